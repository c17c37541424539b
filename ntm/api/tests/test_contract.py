"""Contract tests over every operation: who gets in, who is refused, and that refusals write nothing."""

import re
from decimal import Decimal

import pytest

from ntm.api.api import api
from ntm.evaluation.models import UnitResult
from ntm.figures.models import Figure

from .conftest import BTD, NTMNC, QMT, TAN_TRU

SAMPLE = {"key": QMT, "set_id": NTMNC, "figure_id": "1", "version_id": "1", "job_id": "1",
          "inspection_id": "1", "follow_up_id": "1", "dossier_id": "1"}


def _operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema(path_prefix="/api")
    return [(method.upper(), re.sub(r"\{(\w+)\}", lambda m: SAMPLE[m[1]], path))
            for path, item in schema["paths"].items() for method in item]


OPERATIONS = _operations()


def income(value: str, *, expected_current, unit: str = QMT) -> dict:
    return {"unit": unit, "criteria_set": NTMNC, "indicator": "10.1", "year": 2024, "value": value,
            "expected_current": expected_current}


def current_income(unit: str = QMT) -> Figure:
    return Figure.objects.get(unit__key=unit, criteria_set=NTMNC, indicator="10.1", year=2024, superseded_at=None)


def test_every_operation_is_listed():
    assert len(OPERATIONS) >= 11
    assert ("POST", "/api/figures") in OPERATIONS


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_anonymous_callers_get_401_everywhere(client, db, method, path):
    response = client.generic(method, path, "{}", content_type="application/json")
    assert response.status_code == 401, response.content


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_a_revoked_or_made_up_token_gets_401(client, official_qmt, method, path):
    from ntm.api.actions import revoke_tokens
    from ntm.api.models import ApiToken

    revoke_tokens(ApiToken.objects.all())
    for token in (official_qmt, "ntm_made-up"):
        response = client.generic(method, path, "{}", content_type="application/json",
                                  headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401


@pytest.mark.parametrize("path", [
    f"/api/units/{QMT}", f"/api/units/{QMT}/successors", f"/api/units/{QMT}/predecessors",
    f"/api/figures?unit={QMT}", f"/api/results/units?unit={QMT}", f"/api/results/criteria?unit={QMT}",
    f"/api/units?parent={TAN_TRU}", f"/api/results/units?parent={TAN_TRU}",
])
def test_the_official_next_door_is_refused_que_my_thanh(as_caller, official_btd, path):
    assert as_caller(official_btd).get(path).status_code == 403


def test_the_official_next_door_cannot_open_one_of_que_my_thanhs_figures(as_caller, official_btd):
    assert as_caller(official_btd).get(f"/api/figures/{current_income().pk}").status_code == 403


@pytest.mark.parametrize("path", ["/api/units/c99999", "/api/figures?unit=c99999", "/api/figures/999999999",
                                  "/api/catalog/sets/no-such-set"])
def test_what_does_not_exist_is_404(as_caller, official_btd, path):
    assert as_caller(official_btd).get(path).status_code == 404


def test_lists_leave_out_other_communes(as_caller, official_btd):
    units = {f["unit"] for f in as_caller(official_btd).get("/api/figures", page_size=500).json()["items"]}
    assert units == {BTD}
    results = as_caller(official_btd).get("/api/results/units").json()["items"]
    assert {r["unit"] for r in results} == {BTD}


def test_the_district_office_reads_every_commune_of_the_district(as_caller, office_tan_tru):
    caller = as_caller(office_tan_tru)
    communes = caller.get("/api/units", parent=TAN_TRU, page_size=500).json()
    assert {QMT, BTD} <= {u["key"] for u in communes["items"]}
    figures = caller.get("/api/figures", unit=QMT, criteria_set=NTMNC, indicator="10.1", year=2024).json()
    assert [Decimal(f["value"]) for f in figures["items"]] == [Decimal("68.2")]
    results = caller.get("/api/results/units", parent=TAN_TRU, criteria_set=NTMNC, year=2024).json()
    assert {QMT, BTD} <= {r["unit"] for r in results["items"]}


def test_official_records_income_and_the_stored_result_becomes_16_of_19(as_caller, official_qmt):
    caller = as_caller(official_qmt)
    response = caller.post("/api/figures", income("76", expected_current=current_income().pk))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["unit"], Decimal(body["value"]), body["current"]) == (QMT, Decimal("76"), True)
    assert body["entered_by"] == "canbo.quemythanh"
    result = caller.get("/api/results/units", unit=QMT, criteria_set=NTMNC, year=2024).json()["items"][0]
    assert (result["met"], result["total"]) == (16, 19)
    stored = UnitResult.objects.get(unit__key=QMT, criteria_set=NTMNC, year=2024)
    assert (stored.met, stored.total) == (16, 19)


def test_official_of_another_commune_is_refused_and_nothing_is_written(as_caller, official_btd):
    before = Figure.objects.count()
    response = as_caller(official_btd).post("/api/figures", income("76", expected_current=current_income().pk))
    assert response.status_code == 403
    assert Figure.objects.count() == before
    assert current_income().value == Decimal("68.2")


def test_a_department_is_refused_an_indicator_outside_its_field(as_caller, health_department):
    response = as_caller(health_department).post("/api/figures", income("76", expected_current=current_income().pk))
    assert response.status_code == 403
    assert current_income().value == Decimal("68.2")


def test_a_department_records_every_indicator_of_its_criterion_as_on_the_entry_page(as_caller, health_department):
    """Criterion 14's insurance rate (14.1) is given to social insurance in the catalog; the health office
    enters it on the page, so the API lets it too."""
    current = Figure.objects.filter(unit__key=QMT, criteria_set=NTMNC, indicator="14.1", year=2024,
                                    superseded_at=None).first()
    body = {"unit": QMT, "criteria_set": NTMNC, "indicator": "14.1", "year": 2024, "value": "95",
            "expected_current": current.pk if current else None}
    response = as_caller(health_department).post("/api/figures", body)
    assert response.status_code == 201, response.content
    assert response.json()["entered_by"] == "phong.yte"


def test_second_editor_gets_409_with_the_newer_value_and_nothing_is_written(as_caller, official_qmt):
    caller = as_caller(official_qmt)
    seen = current_income().pk
    assert caller.post("/api/figures", income("70", expected_current=seen)).status_code == 201
    response = caller.post("/api/figures", income("80", expected_current=seen))
    assert response.status_code == 409
    assert Decimal(response.json()["current"]["value"]) == Decimal("70")
    assert current_income().value == Decimal("70")


@pytest.mark.parametrize(("change", "fragment"), [
    ({"value": "5000"}, "1000"),
    ({"indicator": "99.9"}, "99.9"),
    ({"criteria_set": "district-ntm-2021-2025"}, ""),
    ({"value": None}, ""),
])
def test_a_refused_figure_gets_400_with_the_reason_and_nothing_is_written(as_caller, official_qmt, change, fragment):
    before = Figure.objects.count()
    response = as_caller(official_qmt).post("/api/figures",
                                            {**income("76", expected_current=current_income().pk), **change})
    assert response.status_code == 400, response.content
    assert fragment in response.json()["detail"] and response.json()["detail"]
    assert Figure.objects.count() == before


def test_a_malformed_figure_gets_422(as_caller, official_qmt):
    body = {k: v for k, v in income("76", expected_current=None).items() if k != "expected_current"}
    assert as_caller(official_qmt).post("/api/figures", body).status_code == 422


def test_history_shows_superseded_values_only_when_asked(as_caller, official_qmt):
    caller = as_caller(official_qmt)
    caller.post("/api/figures", income("76", expected_current=current_income().pk))
    query = {"unit": QMT, "criteria_set": NTMNC, "indicator": "10.1", "year": 2024}
    current = caller.get("/api/figures", **query).json()["items"]
    history = caller.get("/api/figures", history="true", **query).json()["items"]
    assert [Decimal(f["value"]) for f in current] == [Decimal("76")]
    assert [(Decimal(f["value"]), f["current"]) for f in history] == [(Decimal("68.2"), False),
                                                                       (Decimal("76"), True)]


def test_session_users_read_and_must_send_the_csrf_token_to_write(demo):
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.get(username="canbo.quemythanh")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.get(f"/api/units/{QMT}").status_code == 200
    body = income("76", expected_current=current_income().pk)
    refused = browser.post("/api/figures", body, content_type="application/json")
    assert refused.status_code == 403 and current_income().value == Decimal("68.2")
    browser.cookies["csrftoken"] = "k" * 32  # what the pages' forms would have received
    accepted = browser.post("/api/figures", body, content_type="application/json", headers={"X-CSRFToken": "k" * 32})
    assert accepted.status_code == 201, accepted.content


class TestPaginationAndFilters:
    def test_next_links_walk_every_row_once_without_counting(self, as_caller, office_tan_tru):
        caller = as_caller(office_tan_tru)
        everything = {u["key"] for u in caller.get("/api/units", page_size=500).json()["items"]}
        seen, page = [], caller.get("/api/units", page_size=2).json()
        while True:
            assert "count" not in page and len(page["items"]) <= 2
            seen += [u["key"] for u in page["items"]]
            if page["next"] is None:
                break
            assert "page_size=2" in page["next"] and "after=" in page["next"]
            page = caller.get(page["next"].removeprefix("http://testserver")).json()
        assert len(seen) == len(set(seen)) and set(seen) == everything and len(seen) > 4

    def test_the_next_link_keeps_the_filters(self, as_caller, office_tan_tru):
        first = as_caller(office_tan_tru).get("/api/units", kind="commune", page_size=1).json()
        following = as_caller(office_tan_tru).get(first["next"].removeprefix("http://testserver")).json()

        assert "kind=commune" in first["next"]
        assert following["items"][0]["kind"] == "commune"
        assert following["items"][0]["key"] != first["items"][0]["key"]

    def test_page_size_is_capped(self, as_caller, admin_token):
        body = as_caller(admin_token).get("/api/figures", page_size=100000).json()
        assert len(body["items"]) == 500 and body["next"]

    @pytest.mark.parametrize("q", ["que my thanh", "Quê Mỹ Thạnh", "QUE MY", "28084"])
    def test_unit_search_ignores_diacritics_and_accepts_codes(self, as_caller, office_tan_tru, q):
        keys = {u["key"] for u in as_caller(office_tan_tru).get("/api/units", q=q).json()["items"]}
        assert QMT in keys

    def test_units_filter_by_kind_and_year(self, as_caller, office_tan_tru):
        caller = as_caller(office_tan_tru)
        communes = caller.get("/api/units", kind="commune", year=2024, page_size=500).json()["items"]
        assert communes and {u["kind"] for u in communes} == {"commune"}
        assert caller.get("/api/units", kind="province").json() == {"items": [], "next": None}

    def test_criterion_results_filter_by_status(self, as_caller, official_qmt):
        rows = as_caller(official_qmt).get("/api/results/criteria", unit=QMT, criteria_set=NTMNC, year=2024,
                                           status="not_met").json()["items"]
        assert rows and {r["status"] for r in rows} == {"not_met"}
        assert "10" in {r["criterion"] for r in rows}

    def test_an_invalid_filter_is_422(self, as_caller, official_qmt):
        assert as_caller(official_qmt).get("/api/units", kind="planet").status_code == 422


def test_catalog_set_carries_thresholds_with_their_source_and_document(as_caller, official_qmt):
    sets = as_caller(official_qmt).get("/api/catalog/sets").json()
    assert NTMNC in {s["id"] for s in sets}
    cset = as_caller(official_qmt).get(f"/api/catalog/sets/{NTMNC}").json()
    assert len(cset["criteria"]) == 19 and cset["document"]["number"]
    income_ind = next(i for c in cset["criteria"] for i in c["indicators"] if i["code"] == "10.1")
    assert income_ind["department"] == "statistics"
    assert income_ind["thresholds"] and income_ind["thresholds"][0]["source"]["status"] in {"official", "provisional"}


def test_a_cursor_beyond_any_real_one_is_422_not_a_server_error(as_caller, office_tan_tru):
    assert as_caller(office_tan_tru).get("/api/figures", after=10**22).status_code == 422
    assert as_caller(office_tan_tru).get("/api/figures", after="x").status_code == 422
    assert as_caller(office_tan_tru).get("/api/figures", after=10**12).json() == {"items": [], "next": None}
