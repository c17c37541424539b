"""A source that gives only a bound ("trên 96 %"): entered on the data-entry page, stored with its bound,
judged when the bound decides and left "chưa đánh giá được" when it does not."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from ntm.accounts.models import Role
from ntm.catalog_source import reload_catalog
from ntm.catalogs.actions import approve, create_draft
from ntm.evaluation.models import CriterionResult
from ntm.evaluation.tests.conftest import build_commune, build_district, build_province, build_user, record
from ntm.figures.actions import FigureInput, FigureRejected, record_figure
from ntm.figures.models import Figure

NTMNC = "commune-ntmnc-2021-2025"
YEAR = 2024


def layer(province_key: str) -> str:
    """A province's specification that sets the health-insurance level (14.1) at ≥ 95 %."""
    return f"""
schema: 1
id: test-bound-ntmnc
version: "2022.1"
base: {NTMNC}
provinces: [{{key: {province_key}, name: "Tỉnh Thử"}}]
name_vi: "Bộ tiêu chí xã NTM nâng cao tỉnh Thử"
name_en: "Test province advanced commune criteria"
document: TT-1
documents:
  - {{id: TT-1, number: "1/2022/QĐ-UBND", title_vi: "Bộ tiêu chí tỉnh Thử", urls: ["https://example.org/tt"]}}
effective_from: 2022-01-01
source: {{status: official, document: TT-1, urls: ["https://example.org/tt"]}}
thresholds:
  - {{indicator: "14.1", scope: "*", value: 95, status: official, document: TT-1, urls: ["https://example.org/tt"]}}
"""


@pytest.fixture(autouse=True)
def vietnamese():
    """Each test starts in Vietnamese, and an English request leaves no English behind for later tests."""
    with translation.override("vi"):
        yield


@pytest.fixture
def commune(db, settings, django_capture_on_commit_callbacks):
    settings.NTM_JOBS_INLINE = True
    reload_catalog()
    province = build_province("Tỉnh Thử")
    unit = build_commune("Mỹ Bình", build_district("Huyện Thử", province))
    author = build_user("soan", Role.PROVINCE_OFFICE, province)
    approver = build_user("duyet", Role.PROVINCE_OFFICE, province)
    with django_capture_on_commit_callbacks(execute=True):
        approve(create_draft(layer(province.key), by=author), by=approver)
    record(unit, NTMNC, "14.0", YEAR, verdict=True)  # the rest of criterion 14, judged as a whole
    yield unit
    reload_catalog()


@pytest.fixture
def official(client, commune):
    client.force_login(build_user("canbo.mybinh", Role.COMMUNE_OFFICIAL, commune))
    return client


def save(client, commune, typed: str, *, htmx: bool = True):
    shown = Figure.objects.filter(unit=commune, indicator="14.1", superseded_at=None).first()
    data = {"i14_1-value": typed, "i14_1-expected_current": shown.pk if shown else ""}
    return client.post(reverse("figures:save", args=[commune.key, NTMNC, "14.1", YEAR]), data,
                       headers={"HX-Request": "true"} if htmx else {})


def entry_page(client, commune) -> str:
    return client.get(reverse("figures:entry", args=[commune.key]) + f"?year={YEAR}&set={NTMNC}").content.decode()


def row_of(html: str) -> str:
    start = html.index('id="row-14_1"')
    return html[start:html.index("</form>", start)]


def stored_14(commune) -> CriterionResult:
    return CriterionResult.objects.get(unit=commune, criteria_set=NTMNC, year=YEAR, criterion="14")


def stored_14_1(commune) -> dict:
    return next(i for i in stored_14(commune).indicators if i["code"] == "14.1")


def test_above_96_meets_at_least_95_through_the_entry_page(official, commune):
    response = save(official, commune, "> 96")
    assert response.status_code == 200
    figure = Figure.objects.get(unit=commune, indicator="14.1", superseded_at=None)
    assert (figure.bound, figure.value) == (">", Decimal(96))
    html = response.content.decode()
    row = row_of(html)
    assert "&gt; 96 %" in row
    assert "✓</span> Đạt" in row
    assert "&gt; 96 / 95 %: đạt" in row
    assert 'id="status-14" class="status status-met status-inline" hx-swap-oob="true"' in html
    assert stored_14(commune).status == "met"
    assert stored_14_1(commune)["bound"] == ">"
    page = entry_page(official, commune)
    assert "&gt; 96 %" in row_of(page) and 'value="&gt; 96"' in row_of(page)


def test_above_90_does_not_decide_against_at_least_95(official, commune):
    html = save(official, commune, "trên 90").content.decode()
    row = row_of(html)
    assert "&gt; 90 %" in row
    assert "?</span> Chưa đánh giá được" in row
    assert "chưa đánh giá được, vì giới hạn này gồm cả giá trị đạt và chưa đạt" in row
    assert stored_14_1(commune)["status"] == "not_evaluable", stored_14(commune).indicators
    assert stored_14(commune).status == "not_evaluable"


def test_below_90_fails_at_least_95_and_an_exact_value_clears_the_bound(official, commune):
    row = row_of(save(official, commune, "dưới 90").content.decode())
    assert "&lt; 90 %" in row and "✗</span> Chưa đạt" in row
    row = row_of(save(official, commune, "96,5").content.decode())
    assert "96,5 %" in row and "&gt;" not in row and "&lt;" not in row
    assert Figure.objects.get(unit=commune, indicator="14.1", superseded_at=None).bound == ""
    assert "bound" not in stored_14_1(commune)


def test_the_history_shows_each_value_with_its_bound(official, commune):
    save(official, commune, "≥ 96")
    save(official, commune, "97")
    page = official.get(reverse("figures:history", args=[commune.key, NTMNC, "14.1", YEAR])).content.decode()
    assert "≥ 96 %" in page and "97 %" in page


def test_an_impossible_bound_is_refused_with_what_and_where(official, commune):
    html = save(official, commune, "trên 100").content.decode()
    assert "chỉ tiêu 14.1, năm 2024: “&gt; 100” không thể xảy ra" in html
    assert not Figure.objects.filter(unit=commune, indicator="14.1").exists()


def test_without_javascript_the_message_shows_the_bound(official, commune):
    response = save(official, commune, "> 96", htmx=False)
    assert response.status_code == 302
    page = official.get(response.url).content.decode()
    assert "Đã lưu chỉ tiêu 14.1: &gt; 96 %." in page


def test_an_english_page_shows_the_bound_and_the_english_wording(official, commune):
    save(official, commune, "> 90")
    page = official.get("/en" + reverse("figures:entry", args=[commune.key]) + f"?year={YEAR}&set={NTMNC}",
                        headers={"Accept-Language": "en"}).content.decode()
    assert "&gt; 90 / 95 %: not evaluable" in page


def test_a_bound_needs_a_number(commune):
    with pytest.raises(FigureRejected, match="cần đi kèm một số"):
        record_figure(FigureInput(unit=commune, criteria_set=NTMNC, indicator="14.1", year=YEAR, verdict=True,
                                  bound=">"))


def test_the_api_records_a_bound_and_gives_it_back(client, commune):
    import json

    from ntm.api.actions import create_token

    user = build_user("canbo.api", Role.COMMUNE_OFFICIAL, commune)
    headers = {"Authorization": f"Bearer {create_token(user, name='tests')[1]}"}
    body = {"unit": commune.key, "criteria_set": NTMNC, "indicator": "14.1", "year": YEAR, "value": "96",
            "bound": ">", "expected_current": None}
    response = client.post("/api/figures", json.dumps(body), content_type="application/json", headers=headers)
    assert response.status_code == 201, response.content
    assert (response.json()["bound"], Decimal(response.json()["value"])) == (">", Decimal(96))
    assert stored_14_1(commune)["status"] == "met"
    body.update(bound="~", expected_current=response.json()["id"])
    refused = client.post("/api/figures", json.dumps(body), content_type="application/json", headers=headers)
    assert refused.status_code == 422
    assert Figure.objects.get(unit=commune, indicator="14.1", superseded_at=None).bound == ">"


def test_the_excel_round_trip_carries_a_bound(official, commune):
    import io

    from openpyxl import load_workbook

    from ntm.exchange import layout as L
    from ntm.exchange.tests.conftest import download, fill, row_of, upload

    def template() -> bytes:
        return download(official, commune.key, YEAR, NTMNC)

    preview = upload(official, fill(template(), {("Mỹ Bình", "14.1"): {L.NEW_VALUE: "trên 96"}}), commune.key)
    plan = preview.context["plan"]
    assert plan.ok and [(c.indicator, c.new.bound, c.new.value) for c in plan.changes] == [("14.1", ">", 96)]
    assert "&gt; 96 %" in preview.content.decode()
    done = official.post(f"/exchange/{commune.key}/import/confirm/", {"token": preview.context["token"]})
    assert done.status_code == 302
    figure = Figure.objects.get(unit=commune, indicator="14.1", superseded_at=None)
    assert (figure.bound, figure.value) == (">", Decimal(96))
    assert stored_14_1(commune)["status"] == "met"
    ws = load_workbook(io.BytesIO(template()))["Mỹ Bình"]
    shown = ws[f"H{row_of(ws, '14.1')}"].value
    assert shown == "> 96"
    again = upload(official, fill(template(), {("Mỹ Bình", "14.1"): {L.NEW_VALUE: shown}}), commune.key)
    assert again.context["plan"].ok and not again.context["plan"].changes  # the same bound: nothing to do


def test_an_impossible_bound_in_a_workbook_is_refused_at_its_cell(official, commune):
    from ntm.exchange import layout as L
    from ntm.exchange.tests.conftest import download, fill, upload

    data = fill(download(official, commune.key, YEAR, NTMNC), {("Mỹ Bình", "14.1"): {L.NEW_VALUE: "> 100"}})
    errors = [str(e) for e in upload(official, data, commune.key).context["plan"].errors]
    assert len(errors) == 1 and f"cột {L.NEW_VALUE}: “> 100” không thể xảy ra" in errors[0], errors
    assert not Figure.objects.filter(unit=commune, indicator="14.1").exists()


def test_the_commune_page_shows_the_bound_and_says_the_gap_is_unknown(official, commune):
    save(official, commune, "dưới 90")
    html = official.get(reverse("evaluation:commune", args=[commune.key]) + f"?level=ntmnc&year={YEAR}"
                        ).content.decode()
    assert "&lt; 90 %" in html
    assert "&lt; 90 / 95 %: chưa đạt (không giá trị nào trong giới hạn này đạt)" in html
    assert "còn thiếu" not in html[html.index("14.1"):]  # how much is missing is not known
