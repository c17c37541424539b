"""With the demo loaded, its layers are versions without an author: the workbench shows them, marked demo."""

import html
import re

from django.contrib.auth import get_user_model
from django.urls import reverse

from ntm.catalogs.models import CatalogVersion


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_the_province_office_opens_every_workbench_page_of_the_demo(demo, client):
    client.force_login(get_user_model().objects.get(username="vpdp.longan"))
    versions = list(CatalogVersion.objects.filter(demo=True))
    assert versions and all(v.created_by is None for v in versions)
    index = client.get(reverse("catalogs:index"))
    assert index.status_code == 200
    assert "minh họa" in text_of(index)
    for v in versions:
        page = client.get(reverse("catalogs:version", args=[v.pk]))
        assert page.status_code == 200 and v.set_id in text_of(page)
        assert client.get(reverse("catalogs:history", args=[v.set_id])).status_code == 200
