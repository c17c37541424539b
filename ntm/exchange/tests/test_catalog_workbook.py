"""A whole criteria set in one workbook: Annex I of 51/2025/QĐ-TTg (10 criteria, 47 indicators × 3
groups) transcribed in Excel becomes a valid DRAFT version; every set round-trips unchanged; a bad
workbook is refused with the sheet, row and column of each problem, and nothing is stored."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ntm.catalog_source import get_catalog
from ntm.catalogs.actions import create_draft
from ntm.catalogs.models import CatalogVersion, State
from ntm.core.loader import parse_common, parse_set
from ntm.exchange import catalog_sheet as S
from ntm.exchange.catalog_diff import ADDED, INDICATOR, REMOVED, THRESHOLD, diff_sets
from ntm.exchange.xlsx_read import CellError

CATALOG = Path(__file__).resolve().parents[3] / "catalog"
COMMON = (CATALOG / "_common.yaml").read_text(encoding="utf-8")
FILES = sorted(p for p in [*CATALOG.glob("*.yaml"), *CATALOG.glob("provinces/*.yaml")] if p.name != "_common.yaml")
SET_2026 = "commune-ntm-2026-2030"
TEXT_2026 = (CATALOG / f"{SET_2026}.yaml").read_text(encoding="utf-8")
DOC_51 = "51/2025/QĐ-TTg"
URL_51 = "https://xaydungchinhsach.chinhphu.vn/toan-van-quyet-dinh-51-2025-qd-ttg.htm"
PER_CRITERION = (5, 5, 5, 5, 5, 5, 5, 4, 4, 4)  # 47 indicators
GROUPS = ("G1", "G2", "G3")

LAYER = """\
schema: 1
id: long-an-test-layer
version: "2022.1"
base: commune-ntmnc-2021-2025
provinces: [{key: p80, name: "Long An"}]
name_vi: "Bộ tiêu chí xã NTM nâng cao tỉnh Long An (thử)"
name_en: "Long An advanced new-rural commune criteria (test)"
document: LA-TEST-1
documents:
  - {id: LA-TEST-1, number: "8151/QĐ-UBND", title_vi: "Ban hành bộ tiêu chí", signed: 2022-08-31,
     urls: ["https://example.vn/8151"]}
effective_from: 2022-08-31
effective_to: null
demo: false
source: {status: official, document: LA-TEST-1, urls: ["https://example.vn/8151"]}
thresholds:
  - {indicator: "10.1", scope: DBSCL, year: 2024, value: 75, status: official, document: LA-TEST-1,
     urls: ["https://example.vn/8151"]}
  - {indicator: "14.2", scope: "*", value: null, document: LA-TEST-1, note: "chưa chép"}
indicators:
  - {criterion: "10", code: "10.9", name_vi: "Chỉ tiêu thêm", name_en: "Added indicator", unit: "%",
     comparison: ">=", department: agriculture,
     source: {status: official, document: LA-TEST-1, urls: ["https://example.vn/8151"]},
     thresholds: [{scope: "*", value: 50, status: official, document: LA-TEST-1, urls: ["https://example.vn/8151"]}]}
remove_indicators: ["17.9"]
"""


def _book(data: bytes):
    return load_workbook(io.BytesIO(data))


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _col(columns, key: str) -> str:
    return S.col_of(columns, key)


def _set_header(wb, key: str, value) -> None:
    ws = wb[S.SET_SHEET]
    for r in range(S.FIRST, ws.max_row + 1):
        if ws.cell(row=r, column=1).value == key:
            ws.cell(row=r, column=4).value = value
            return
    raise AssertionError(key)


def _clear(ws) -> None:
    ws.delete_rows(S.FIRST, ws.max_row)


def annex_workbook(version: str = "2026.2") -> bytes:
    """What an office makes of Annex I: the set's workbook with its ten "N.0" placeholders replaced by
    47 indicators, each with a level per commune group (names are placeholders: the annex text was
    not obtained)."""
    wb = _book(S.workbook_for(TEXT_2026, common_text=COMMON))
    _set_header(wb, "version", version)
    ind_ws, thr_ws = wb[S.INDICATOR_SHEET], wb[S.THRESHOLD_SHEET]
    _clear(ind_ws)
    _clear(thr_ws)
    ind_row, thr_row = S.FIRST, S.FIRST
    for crit, count in enumerate(PER_CRITERION, 1):
        for k in range(1, count + 1):
            code = f"{crit}.{k}"
            for key, value in {"criterion": str(crit), "code": code, "name_vi": f"Chỉ tiêu {code}",
                               "name_en": f"Indicator {code}", "unit": "%", "comparison": ">=",
                               "department": "agriculture", "min": 0, "max": 100, "source_status": "chính thức",
                               "source_document": DOC_51, "source_urls": URL_51}.items():
                ind_ws[f"{_col(S.INDICATOR_COLUMNS, key)}{ind_row}"] = value
            ind_row += 1
            for g, group in enumerate(GROUPS):
                for key, value in {"indicator": code, "scope": group, "value": 90 - 10 * g + k / 2,
                                   "status": "chính thức", "document": DOC_51, "urls": URL_51,
                                   "note": "Phụ lục I"}.items():
                    thr_ws[f"{_col(S.THRESHOLD_COLUMNS, key)}{thr_row}"] = value
                thr_row += 1
    return _save(wb)


def _parsed(text: str):
    vocab, _p = parse_common(COMMON)
    cset, problems = parse_set(text, "x.yaml", vocab)
    assert not problems, problems
    return cset


# --- Pure: the workbook format ------------------------------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_set_round_trips_unchanged(path):
    text = path.read_text(encoding="utf-8")
    new, problems = S.text_from_workbook(S.workbook_for(text, common_text=COMMON), text, common_text=COMMON)
    assert problems == []
    assert yaml.safe_load(new) == yaml.safe_load(text)


def test_a_province_layer_round_trips_unchanged():
    data = S.workbook_for(LAYER, common_text=COMMON)
    assert _book(data)[S.DOCUMENT_SHEET]["B3"].value == "8151/QĐ-UBND"
    new, problems = S.text_from_workbook(data, common_text=COMMON)
    assert problems == []
    assert yaml.safe_load(new) == yaml.safe_load(LAYER)


def test_the_workbook_has_bilingual_frozen_headers_drop_downs_and_gaps():
    wb = _book(S.workbook_for((CATALOG / "commune-ntm-2021-2025.yaml").read_text(encoding="utf-8"),
                              common_text=COMMON))
    assert wb.sheetnames[:5] == [S.SET_SHEET, S.CRITERIA_SHEET, S.INDICATOR_SHEET, S.THRESHOLD_SHEET,
                                 S.DOCUMENT_SHEET]
    ws = wb[S.INDICATOR_SHEET]
    assert (ws["B1"].value, ws["B2"].value) == ("Mã chỉ tiêu", "Indicator code")
    assert ws.freeze_panes == "C3"
    validated = {str(r) for dv in ws.data_validations.dataValidation for r in dv.sqref.ranges}
    for key in ("unit", "comparison", "department"):
        assert any(v.startswith(_col(S.INDICATOR_COLUMNS, key) + "3") for v in validated), key
    thr = wb[S.THRESHOLD_SHEET]
    assert any(str(r).startswith(_col(S.THRESHOLD_COLUMNS, "scope") + "3")
               for dv in thr.data_validations.dataValidation for r in dv.sqref.ranges)
    value = _col(S.THRESHOLD_COLUMNS, "value")
    gaps = [r for r in range(S.FIRST, thr.max_row + 1) if thr[f"A{r}"].value and thr[f"{value}{r}"].value is None]
    assert gaps and thr[f"{value}{gaps[0]}"].fill.fgColor.rgb.endswith("FFC7CE")


def test_annex_i_reads_into_a_set_the_loader_accepts():
    text, problems = S.text_from_workbook(annex_workbook(), TEXT_2026, common_text=COMMON)
    assert problems == []
    cset = _parsed(text)
    assert len(cset.criteria) == 10 and len(cset.indicators) == 47
    income = next(i for i in cset.indicators if i.code == "6.3")
    assert [str(income.threshold_for(g, 2026).value) for g in GROUPS] == ["91.5", "81.5", "71.5"]
    assert income.threshold_for("G2", 2026).source.document == "QD-51-2025-QD-TTg"
    changes = diff_sets(TEXT_2026, text)
    added = [c.key for c in changes if c.item == INDICATOR and c.kind == ADDED]
    removed = [c.key for c in changes if c.item == INDICATOR and c.kind == REMOVED]
    assert len(added) == 47 and sorted(removed) == sorted(f"{n}.0" for n in range(1, 11))
    assert len([c for c in changes if c.item == THRESHOLD and c.kind == ADDED]) == 141


def test_editing_adding_and_removing_round_trips():
    base = (CATALOG / "commune-ntm-2021-2025.yaml").read_text(encoding="utf-8")
    wb = _book(S.workbook_for(base, common_text=COMMON))
    ind = wb[S.INDICATOR_SHEET]
    rows = {ind[f"B{r}"].value: r for r in range(S.FIRST, ind.max_row + 1)}
    ind[f"{_col(S.INDICATOR_COLUMNS, 'name_en')}{rows['3.1']}"] = "Irrigated share (edited)"
    ind.delete_rows(rows["3.2"])
    new_row = ind.max_row + 1
    for key, value in {"criterion": "3", "code": "3.3", "name_vi": "Chỉ tiêu mới", "name_en": "New", "unit": "%",
                       "comparison": "<=", "department": "agriculture", "source_status": "tạm tính",
                       "source_note": "thử"}.items():
        ind[f"{_col(S.INDICATOR_COLUMNS, key)}{new_row}"] = value
    thr = wb[S.THRESHOLD_SHEET]
    r = thr.max_row + 1
    for key, value in {"indicator": "3.3", "scope": "*", "value": "12,5", "status": "tạm tính", "note": "thử"}.items():
        thr[f"{_col(S.THRESHOLD_COLUMNS, key)}{r}"] = value
    text, problems = S.text_from_workbook(_save(wb), base, common_text=COMMON)
    assert problems == []
    changes = {(c.item, c.kind, c.key): c for c in diff_sets(base, text)}
    assert changes[(INDICATOR, "changed", "3.1")].fields == ("name_en",)
    assert (INDICATOR, REMOVED, "3.2") in changes and (INDICATOR, ADDED, "3.3") in changes
    assert changes[(THRESHOLD, ADDED, "3.3 *")].new["value"] == 12.5
    assert len(changes) == 4
    again, problems = S.text_from_workbook(S.workbook_for(text, common_text=COMMON), common_text=COMMON)
    assert problems == [] and yaml.safe_load(again) == yaml.safe_load(text)


def _bad_annex() -> tuple[bytes, dict[str, tuple[str, int, str]]]:
    wb = _book(annex_workbook())
    ind, thr = wb[S.INDICATOR_SHEET], wb[S.THRESHOLD_SHEET]
    unit, code = _col(S.INDICATOR_COLUMNS, "unit"), _col(S.INDICATOR_COLUMNS, "code")
    value, scope = _col(S.THRESHOLD_COLUMNS, "value"), _col(S.THRESHOLD_COLUMNS, "scope")
    ind[f"{unit}4"] = "km/giờ"
    ind[f"{code}6"] = ind[f"{code}5"].value  # 1.3 written twice
    thr[f"{value}7"] = "abc"
    thr[f"{scope}9"] = "G4"
    return _save(wb), {"unit": (S.INDICATOR_SHEET, 4, unit), "duplicate": (S.INDICATOR_SHEET, 6, code),
                       "value": (S.THRESHOLD_SHEET, 7, value), "group": (S.THRESHOLD_SHEET, 9, scope)}


def test_a_bad_workbook_names_sheet_row_and_column_of_each_problem():
    data, where = _bad_annex()
    _text, problems = S.text_from_workbook(data, TEXT_2026, common_text=COMMON)
    located = {(p.sheet, p.row, p.column): p.message for p in problems}
    for what, place in where.items():
        assert place in located, (what, problems)
    assert "km/giờ" in located[where["unit"]] and "“1.3” bị trùng" in located[where["duplicate"]]
    assert "abc" in located[where["value"]] and "G4" in located[where["group"]]
    assert str(problems[0]).startswith(f"Sheet '{problems[0].sheet}', dòng {problems[0].row}, cột ")


def test_a_loader_problem_comes_back_on_its_row():
    wb = _book(annex_workbook())
    thr = wb[S.THRESHOLD_SHEET]
    thr.delete_rows(S.FIRST + 1)  # 1.1 loses its G2 level
    _text, problems = S.text_from_workbook(_save(wb), TEXT_2026, common_text=COMMON)
    assert [(p.sheet, p.row) for p in problems] == [(S.THRESHOLD_SHEET, S.FIRST)]
    assert "G2" in problems[0].message and "1.1" in problems[0].message


def test_not_a_catalog_workbook():
    _text, problems = S.text_from_workbook(b"PK\x03\x04 not really", common_text=COMMON)
    assert len(problems) == 1 and isinstance(problems[0], CellError)


# --- Stored as a draft --------------------------------------------------------------------------------


def test_annex_i_becomes_a_valid_draft_in_under_two_seconds(db, django_user_model):
    author = django_user_model.objects.create_user("soan.thao")
    data = annex_workbook()
    start = time.perf_counter()
    text, problems = S.text_from_workbook(data, TEXT_2026)
    draft = create_draft(text, by=author, note="Phụ lục I")
    elapsed = time.perf_counter() - start
    assert problems == []
    assert elapsed < 2, f"{elapsed:.2f} s"
    assert (draft.state, draft.version, draft.based_on) == (State.DRAFT, "2026.2", "2026.1")
    assert len(_parsed(draft.text).indicators) == 47
    assert get_catalog().get(SET_2026).version.startswith("2026.1+")  # not in force before approval


def _upload(client, data: bytes):
    return client.post("/exchange/catalog/import/", {"file": SimpleUploadedFile("phu-luc-1.xlsx", data)})


def test_the_province_office_previews_then_creates_a_draft(office_long_an):
    exported = office_long_an.get(f"/exchange/catalog/{SET_2026}.xlsx")
    assert exported.status_code == 200
    assert _book(exported.content)[S.SET_SHEET]["D5"].value == "2026.1"
    before = set(CatalogVersion.objects.values_list("pk", flat=True))  # the demo's own layers
    response = _upload(office_long_an, annex_workbook(version="2026.1"))  # the office forgot to renumber
    assert response.status_code == 200
    found = response.context["found"]
    assert found.ok and found.version == "2026.2" and found.renumbered_from == "2026.1"
    page = response.content.decode()
    assert "Chỉ tiêu: thêm 47, bỏ 10, sửa 0" in page and "Ngưỡng: thêm 141" in page
    assert set(CatalogVersion.objects.values_list("pk", flat=True)) == before  # a preview stores nothing
    done = office_long_an.post("/exchange/catalog/import/confirm/",
                               {"token": response.context["token"], "note": "Phụ lục I"}, follow=True)
    draft = CatalogVersion.objects.exclude(pk__in=before).get()
    assert (draft.set_id, draft.version, draft.state) == (SET_2026, "2026.2", State.DRAFT)
    assert draft.created_by.username == "vpdp.longan"
    assert f'href="/catalog/versions/{draft.pk}/"' in done.content.decode()
    assert get_catalog().get(SET_2026).version.startswith("2026.1+")
    again = office_long_an.post("/exchange/catalog/import/confirm/", {"token": response.context["token"]})
    assert again.status_code == 302 and CatalogVersion.objects.count() == len(before) + 1  # one preview, one draft


def test_a_bad_workbook_is_refused_on_the_page_and_nothing_is_stored(office_long_an):
    data, where = _bad_annex()
    before = CatalogVersion.objects.count()
    response = _upload(office_long_an, data)
    page = response.content.decode()
    assert "Sổ có lỗi; chưa lưu gì" in page and "token" not in response.context
    for sheet, row, column in where.values():
        assert f"<td>{sheet}</td><td>{row}</td><td>{column}</td>" in page
    assert CatalogVersion.objects.count() == before


def test_only_province_offices_and_administrators(office_tan_tru, demo):
    assert office_tan_tru.get(f"/exchange/catalog/{SET_2026}.xlsx").status_code == 403
    assert office_tan_tru.get("/exchange/catalog/import/").status_code == 403
    assert office_tan_tru.post("/exchange/catalog/import/confirm/", {"token": "x"}).status_code == 403


def test_a_province_office_cannot_draft_another_provinces_layer(office_long_an):
    def layer(key: str, name: str) -> str:
        return f"""\
schema: 1
id: {key}-income
version: "2024.1"
base: commune-ntmnc-2021-2025
provinces: [{{key: {key}, name: "{name}"}}]
name_vi: "Mức thu nhập của tỉnh {name}"
name_en: "{name} income level"
document: PROV-{key}
documents:
  - {{id: PROV-{key}, number: "1/QĐ-UBND", title_vi: "Quyết định của tỉnh", urls: ["https://example.vn/{key}"]}}
effective_from: 2024-01-01
source: {{status: official, document: PROV-{key}, urls: ["https://example.vn/{key}"]}}
thresholds:
  - {{indicator: "10.1", scope: DBSCL, year: 2024, value: 80, status: official, document: PROV-{key},
     urls: ["https://example.vn/{key}"]}}
"""

    before = CatalogVersion.objects.count()
    response = _upload(office_long_an, S.workbook_for(layer("p82", "Tiền Giang")))
    found = response.context["found"]
    assert found.ok, found.problems[:3]
    assert "lớp của một tỉnh khác" in response.content.decode() and "token" not in response.context
    ours = _upload(office_long_an, S.workbook_for(layer("p80", "Long An")))
    assert "token" in ours.context and "lớp của một tỉnh khác" not in ours.content.decode()
    assert CatalogVersion.objects.count() == before


def test_annex_i_approved_by_a_second_user_changes_the_stored_results(
        db, django_user_model, django_capture_on_commit_callbacks):
    """The workbook path to the end: import, approval by someone else, results follow, verify finds nothing."""
    from decimal import Decimal

    from django.utils import timezone

    from ntm.catalogs.actions import approve
    from ntm.evaluation.actions import refresh_results
    from ntm.evaluation.models import CriterionResult
    from ntm.evaluation.tests.conftest import build_commune, build_district
    from ntm.evaluation.verify import differences
    from ntm.figures.models import Figure

    district = build_district("Tân Trụ")
    communes = {group: build_commune(f"Xã nhóm {group}", district) for group in ("G1", "G2")}
    for group, commune in communes.items():
        commune.commune_group = group
        commune.save()
        Figure.objects.create(unit=commune, criteria_set=SET_2026, indicator="1.1", year=2026,
                              value=Decimal("85"), entered_at=timezone.now())
    refresh_results(2026)
    text, problems = S.text_from_workbook(annex_workbook(), TEXT_2026)
    assert problems == []
    draft = create_draft(text, by=django_user_model.objects.create_user("soan.thao"))
    with django_capture_on_commit_callbacks(execute=True):
        job = approve(draft, by=django_user_model.objects.create_user("phe.duyet"))
    job.refresh_from_db()
    assert job.state == "done"

    def indicator_1_1(commune) -> dict:
        stored = CriterionResult.objects.get(unit=commune, criteria_set=SET_2026, year=2026, criterion="1")
        return next(i for i in stored.indicators if i["code"] == "1.1")

    assert (indicator_1_1(communes["G1"])["status"], indicator_1_1(communes["G1"])["threshold"]) == ("not_met", "90.5")
    assert (indicator_1_1(communes["G2"])["status"], indicator_1_1(communes["G2"])["threshold"]) == ("met", "80.5")
    assert differences() == []
