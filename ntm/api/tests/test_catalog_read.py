"""The catalog as the API gives it, checked against the catalog the server evaluates with (no demo): every set
listed with its facts, each set in full with every criterion, indicator and threshold, numbers as strings (never
floats), documents resolved, and the refusals' one shape."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from ntm.api.actions import create_token
from ntm.catalog_source import get_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    token = create_token(get_user_model().objects.create_user("may.doc"))[1]

    def get(path: str, **params):
        return client.get(path, params, headers={"Authorization": f"Bearer {token}"})

    return get


def test_every_set_in_force_or_past_is_listed_with_its_facts(api):
    catalog = get_catalog()
    listed = {s["id"]: s for s in api("/api/catalog/sets").json()}
    assert set(listed) == {s.id for s in catalog.sets}
    for cset in catalog.sets:
        row = listed[cset.id]
        assert (row["version"], row["level"], row["unit_kind"]) == (cset.version, cset.level, cset.unit_kind.value)
        assert row["criteria_count"] == len(cset.criteria) and row["scopes"] == list(cset.scopes)
        assert row["effective_from"] == cset.effective_from.isoformat()
        assert row["effective_to"] == (cset.effective_to.isoformat() if cset.effective_to else None)
        assert row["name_vi"] == cset.name_vi and row["dimension"] == cset.dimension.value


def test_a_listed_set_names_its_document_when_the_catalog_has_it(api):
    catalog = get_catalog()
    for row in api("/api/catalog/sets").json():
        doc = catalog.documents.get(catalog.get(row["id"]).document)
        if doc is None:
            assert row["document"] is None
        else:
            assert row["document"]["number"] == doc.number and row["document"]["urls"] == list(doc.urls)


def test_each_set_in_full_has_every_criterion_indicator_and_threshold(api):
    catalog = get_catalog()
    for cset in catalog.sets:
        body = api(f"/api/catalog/sets/{cset.id}").json()
        assert [c["code"] for c in body["criteria"]] == [c.code for c in cset.criteria]
        for crit, out in zip(cset.criteria, body["criteria"], strict=True):
            assert [i["code"] for i in out["indicators"]] == [i.code for i in crit.indicators]
            assert out["alternatives"] == [list(a) for a in crit.alternatives]
            for ind, ind_out in zip(crit.indicators, out["indicators"], strict=True):
                assert ind_out["comparison"] == ind.comparison.value and ind_out["unit"] == ind.unit
                assert len(ind_out["thresholds"]) == len(ind.thresholds)


def test_threshold_values_travel_as_exact_decimal_strings(api):
    catalog = get_catalog()
    seen = 0
    for cset in catalog.sets:
        body = api(f"/api/catalog/sets/{cset.id}").json()
        for crit, out in zip(cset.criteria, body["criteria"], strict=True):
            for ind, ind_out in zip(crit.indicators, out["indicators"], strict=True):
                for t, t_out in zip(ind.thresholds, ind_out["thresholds"], strict=True):
                    assert (t_out["scope"], t_out["year"]) == (t.scope, t.year)
                    if t.value is None:
                        assert t_out["value"] is None
                    else:
                        assert isinstance(t_out["value"], str) and Decimal(t_out["value"]) == t.value
                        seen += 1
                    assert t_out["source"]["status"] == t.source.status.value
    assert seen, "the production catalog carries numeric thresholds"


def test_an_unknown_set_is_404_in_the_one_error_shape(api):
    response = api("/api/catalog/sets/commune-ntm-1990-1995")
    assert response.status_code == 404 and list(response.json()) == ["detail"]


def test_reading_the_catalog_needs_credentials(client):
    assert client.get("/api/catalog/sets").status_code == 401
    assert client.get("/api/catalog/sets/commune-ntm-2021-2025").status_code == 401


def test_the_catalog_workbench_is_refused_to_a_reader(api):
    assert api("/api/catalog/versions").status_code == 403
