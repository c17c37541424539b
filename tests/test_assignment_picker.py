"""The assignment form offers the criteria of one set — the page's level and year — in the page's language,
and a criterion already met when assigned reads "đã đạt", not a task "đã xong"."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


def _options(page: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def _office(client):
    client.force_login(get_user_model().objects.get(username="vpdp.tantru"))


def test_the_picker_offers_one_set_only(client, demo):
    _office(client)
    page = client.get("/district/d805/assignments/?level=ntmnc&year=2024").content.decode()
    items = [value for value, _label in _options(page, "item")]
    assert items and {v.split("|")[0] for v in items} == {"commune-ntmnc-2021-2025"}
    assert "<optgroup" not in page.split('name="item"')[1].split("</select>")[0]
    assert 'href="?level=ntm&amp;year=2024"' in page  # another level is one click away


def test_criterion_names_are_english_on_english_pages(client, demo):
    _office(client)
    page = client.get("/en/district/d805/assignments/?level=ntmnc&year=2024").content.decode()
    labels = dict(_options(page, "item"))
    assert labels["commune-ntmnc-2021-2025|10|"] == "10. Income"


def test_a_criterion_met_when_assigned_reads_already_met(client, demo):
    from ntm.evaluation.models import CriterionResult

    met = CriterionResult.objects.filter(unit__key="c28084", criteria_set="commune-ntmnc-2021-2025", year=2024,
                                         status="met").values_list("criterion", flat=True).first()
    from ntm.units.models import Unit

    assert met, "the demo has a criterion Quê Mỹ Thạnh meets in 2024"
    _office(client)
    qmt = Unit.objects.get(key="c28084")
    official = get_user_model().objects.get(username="canbo.quemythanh")
    response = client.post("/district/d805/assignments/?level=ntmnc&year=2024", {
        "commune": qmt.pk, "item": f"commune-ntmnc-2021-2025|{met}|", "year": 2024,
        "responsible": official.pk, "due": "30/12/2026"})
    assert response.status_code == 302
    page = client.get("/district/d805/assignments/?level=ntmnc&year=2024").content.decode()
    assert "đã đạt" in page and "đã xong" not in page
