"""Pages cite where a threshold comes from as a reader would (document number, date, title); the catalog
editors' research notes (files read, "confidence low") never reach a tooltip."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from ntm.catalog_source import get_catalog
from ntm.core.provenance import citation

pytestmark = pytest.mark.django_db


def test_the_commune_and_entry_pages_show_no_editors_notes(client, demo):
    client.force_login(get_user_model().objects.get(username="canbo.quemythanh"))
    for url in ("/commune/c28084/?level=ntmnc&year=2024", "/entry/c28084/?year=2024",
                "/commune/c28084/?level=ntm&year=2024"):
        page = client.get(url).content.decode()
        titles = " ".join(re.findall(r'title="([^"]*)"', page))
        assert "confidence" not in page and ".yaml" not in titles, url


def test_a_citation_names_the_document_and_never_the_note():
    catalog = get_catalog()
    cset = catalog.get("commune-ntm-2021-2025")
    noted = [t.source for c in cset.criteria for i in c.indicators for t in i.thresholds
             if "confidence" in t.source.note and t.source.document]
    assert noted, "the national set still has thresholds with research notes"
    text = citation(catalog, noted[0])
    assert text.startswith(catalog.documents[noted[0].document].number)
    assert "confidence" not in text
