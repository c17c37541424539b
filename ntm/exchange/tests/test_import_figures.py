"""Importing figures from the downloaded template: preview, confirm, and every kind of refusal."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from ntm.exchange import layout as L
from ntm.figures.models import Figure
from ntm.units.models import Unit

from .conftest import BTD, NTMNC, QMT, TAN_TRU, YEAR, download, fill, upload

SHEET = "Quê Mỹ Thạnh"


def current(key: str, code: str) -> Figure | None:
    return Figure.objects.filter(unit__key=key, criteria_set=NTMNC, indicator=code, year=YEAR,
                                 superseded_at__isnull=True).first()


def confirm(client, response, key: str = QMT):
    return client.post(f"/exchange/{key}/import/confirm/", {"token": response.context["token"]})


def test_template_has_one_row_per_indicator_with_threshold_and_hidden_metadata(official_qmt):
    wb = load_workbook(io.BytesIO(download(official_qmt)))
    assert wb.sheetnames == [SHEET, L.META_SHEET]
    assert wb[L.META_SHEET].sheet_state == "hidden"
    ws = wb[SHEET]
    n = next(r for r in range(L.FIRST_ROW, ws.max_row + 1) if ws[f"B{r}"].value == "10.1")
    assert ws[f"A{n}"].value == QMT
    assert ws[f"D{n}"].value == "triệu đồng/người/năm"
    assert ws[f"F{n}"].value == 75 and ws[f"G{n}"].value == "minh họa (demo)"  # the demo layer's level for Long An
    assert ws[f"H{n}"].value is not None  # the demo's current income
    assert ws[f"{L.NEW_VALUE}{n}"].value is None


def test_filled_template_round_trips_to_the_same_figures(official_qmt):
    data = fill(download(official_qmt), {
        (SHEET, "10.1"): {L.NEW_VALUE: "76,4", L.NOTE: "Báo cáo thống kê 2024"},
        (SHEET, "2.0"): {L.NEW_VERDICT: "Chưa đạt"},
    })
    preview = upload(official_qmt, data)
    assert preview.status_code == 200
    plan = preview.context["plan"]
    assert not plan.errors and {c.indicator for c in plan.changes} == {"10.1", "2.0"}
    assert "76,4" in preview.content.decode() or "76.4" in preview.content.decode()
    done = confirm(official_qmt, preview)
    assert done.status_code == 302
    assert current(QMT, "10.1").value == Decimal("76.4")
    assert current(QMT, "10.1").source_note == "Báo cáo thống kê 2024"
    assert current(QMT, "2.0").verdict is False
    # What was exported now reads back unchanged: nothing to do.
    again = fill(download(official_qmt), {(SHEET, "10.1"): {L.NEW_VALUE: 76.4},
                                          (SHEET, "2.0"): {L.NEW_VERDICT: "chưa đạt"}})
    plan = upload(official_qmt, again).context["plan"]
    assert plan.ok and not plan.changes and plan.unchanged == 2


def test_an_unchanged_template_plans_no_change(official_qmt):
    plan = upload(official_qmt, download(official_qmt)).context["plan"]
    assert plan.ok and not plan.changes


@pytest.mark.parametrize(("typed", "expected"), [("1.234,5", "1234.5"), ("1,234.5", "1234.5"), ("68,2", "68.2"),
                                                 ("68.2", "68.2"), (68.2, "68.2"), (75, "75"), ("1.234.567", "1234567"),
                                                 ("0,125", "0.125"), (" 70 ", "70")])
def test_numbers_are_read_in_both_conventions(typed, expected):
    from ntm.exchange.xlsx_read import number

    assert number(typed) == Decimal(expected)


@pytest.mark.parametrize("typed", ["1,234", "1.000", "12,5.3", "68,2%"])
def test_ambiguous_or_garbled_numbers_are_refused_with_their_cell(official_qmt, typed):
    plan = upload(official_qmt, fill(download(official_qmt), {(SHEET, "10.1"): {L.NEW_VALUE: typed}})).context["plan"]
    assert plan.changes == () and len(plan.errors) == 1
    message = str(plan.errors[0])
    assert message.startswith(f"Sheet '{SHEET}', dòng ") and f", cột {L.NEW_VALUE}: “{typed}”" in message


def test_a_typed_number_is_previewed_and_written(official_qmt):
    preview = upload(official_qmt, fill(download(official_qmt), {(SHEET, "10.1"): {L.NEW_VALUE: "999,5"}}))
    assert preview.context["plan"].changes[0].new.value == Decimal("999.5")


def _errors(client, edits, key=QMT) -> list[str]:
    response = upload(client, fill(download(client, key), edits), key)
    return [str(e) for e in response.context["plan"].errors]


def test_every_bad_row_is_listed_with_sheet_row_and_column_and_nothing_is_written(official_qmt):
    before = current(QMT, "10.1").value
    ws = load_workbook(io.BytesIO(download(official_qmt)))[SHEET]
    rows = {code: next(r for r in range(L.FIRST_ROW, ws.max_row + 1) if ws[f"B{r}"].value == code)
            for code in ("10.1", "1.1", "1.2", "2.0", "3.0", "4.0", "5.0")}
    errors = _errors(official_qmt, {
        (SHEET, "10.1"): {L.NEW_VALUE: "abc"},                                   # not a number
        (SHEET, "1.1"): {L.NEW_VERDICT: "tốt"},                                  # verdict not recognised
        (SHEET, "1.2"): {L.INDICATOR: "99.9", L.NEW_VERDICT: "Đạt"},             # unknown indicator
        (SHEET, "2.0"): {L.UNIT_KEY: BTD, L.NEW_VERDICT: "Đạt"},                 # wrong commune
        (SHEET, "3.0"): {L.NEW_VALUE: "5"},                                      # number for a verdict indicator
        (SHEET, "4.0"): {L.NOTE: "chỉ có ghi chú"},                              # note alone
    })
    assert len(errors) == 6, errors
    assert f"Sheet '{SHEET}', dòng {rows['10.1']}, cột {L.NEW_VALUE}: “abc” không phải là số" in errors[-1] or any(
        e.startswith(f"Sheet '{SHEET}', dòng {rows['10.1']}, cột {L.NEW_VALUE}:") for e in errors)
    expected = {(rows["1.1"], L.NEW_VERDICT, "tốt"), (rows["1.2"], L.INDICATOR, "99.9"),
                (rows["2.0"], L.UNIT_KEY, BTD), (rows["3.0"], L.NEW_VALUE, "chỉ nhận kết luận"),
                (rows["4.0"], L.NOTE, "ghi chú")}
    for row, column, words in expected:
        assert any(e.startswith(f"Sheet '{SHEET}', dòng {row}, cột {column}: ") and words in e for e in errors), (
            row, column, errors)
    assert current(QMT, "10.1").value == before


def test_out_of_range_values_and_wrong_units_are_refused(official_qmt):
    errors = _errors(official_qmt, {(SHEET, "10.1"): {L.NEW_VALUE: "1.500,5"}})
    assert len(errors) == 1 and "nằm ngoài khoảng cho phép 0–1000" in errors[0] and f"cột {L.NEW_VALUE}" in errors[0]
    errors = _errors(official_qmt, {(SHEET, "10.1"): {L.NEW_VALUE: "80", L.MEASURE: "nghìn đồng/tháng"}})
    assert len(errors) == 1 and f"cột {L.MEASURE}: đơn vị tính “nghìn đồng/tháng” khác" in errors[0]


def test_one_bad_row_means_nothing_is_written(official_qmt):
    before = current(QMT, "10.1").value
    response = upload(official_qmt, fill(download(official_qmt), {
        (SHEET, "10.1"): {L.NEW_VALUE: "80"}, (SHEET, "2.0"): {L.NEW_VERDICT: "có lẽ"}}))
    assert "token" not in response.context and len(response.context["plan"].errors) == 1
    assert "Xác nhận" not in response.content.decode()
    assert current(QMT, "10.1").value == before


@pytest.mark.parametrize("data", [b"", b"%PDF-1.4 not a workbook", b"a;b;c\n1;2;3\n"])
def test_a_file_that_is_not_excel_gets_a_clear_message(official_qmt, data):
    response = upload(official_qmt, data or b" ", name="so-lieu.csv")
    assert response.status_code == 200
    assert "không phải là tệp Excel" in response.content.decode() or "Tệp rỗng" in response.content.decode()


def test_a_truncated_workbook_gets_a_clear_message(official_qmt):
    data = download(official_qmt)
    response = upload(official_qmt, data[: len(data) // 2])
    assert response.status_code == 200
    assert "bị hỏng hoặc chưa tải lên hết" in response.content.decode()


def test_a_workbook_not_made_here_is_refused(official_qmt):
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    response = upload(official_qmt, out.getvalue())
    assert "không phải biểu nhập số liệu tải từ NTM Tracker" in response.content.decode()


def test_official_of_another_commune_is_refused_and_nothing_is_written(official_qmt, client):
    data = fill(download(official_qmt), {(SHEET, "10.1"): {L.NEW_VALUE: "99"}})
    before = current(QMT, "10.1").value
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="canbo.binhtrinhdong"))
    assert client.get(f"/exchange/{QMT}/template.xlsx?year={YEAR}").status_code == 403
    assert upload(client, data).status_code == 403
    assert client.post(f"/exchange/{QMT}/import/confirm/", {"token": "x"}).status_code == 403
    # Uploading it on her own commune's page: the rows belong to another commune.
    errors = [str(e) for e in upload(client, data, key=BTD).context["plan"].errors]
    assert errors and all(f"cột {L.UNIT_KEY}: mã xã “{QMT}”" in e for e in errors)
    assert current(QMT, "10.1").value == before


def test_a_preview_cannot_be_confirmed_by_someone_else(official_qmt, client):
    preview = upload(official_qmt, fill(download(official_qmt), {(SHEET, "10.1"): {L.NEW_VALUE: "90"}}))
    token = preview.context["token"]
    from django.contrib.auth import get_user_model

    client.logout()
    client.force_login(get_user_model().objects.get(username="vpdp.tantru"))
    response = client.post(f"/exchange/{QMT}/import/confirm/", {"token": token})
    assert response.status_code == 302
    assert current(QMT, "10.1").value != Decimal("90")


def test_a_figure_changed_after_the_preview_stops_the_confirmation(official_qmt):
    from ntm.figures.actions import FigureInput, record_figure

    preview = upload(official_qmt, fill(download(official_qmt), {(SHEET, "10.1"): {L.NEW_VALUE: "90"}}))
    record_figure(FigureInput(unit=Unit.objects.get(key=QMT), criteria_set=NTMNC, indicator="10.1", year=YEAR,
                              value=Decimal("71")))
    response = confirm(official_qmt, preview)
    assert response.status_code == 302
    assert current(QMT, "10.1").value == Decimal("71")


def test_district_office_imports_one_sheet_per_commune(office_tan_tru):
    data = download(office_tan_tru, TAN_TRU)
    wb = load_workbook(io.BytesIO(data))
    assert SHEET in wb.sheetnames and "Bình Trinh Đông" in wb.sheetnames
    filled = fill(data, {(SHEET, "10.1"): {L.NEW_VALUE: "77"}, ("Bình Trinh Đông", "10.1"): {L.NEW_VALUE: "78"}})
    preview = upload(office_tan_tru, filled, key=TAN_TRU)
    assert len(preview.context["plan"].changes) == 2
    confirm(office_tan_tru, preview, key=TAN_TRU)
    assert current(QMT, "10.1").value == Decimal("77") and current(BTD, "10.1").value == Decimal("78")


def test_a_verdict_for_an_indicator_with_a_threshold_and_a_repeated_indicator_are_refused(official_qmt):
    errors = _errors(official_qmt, {(SHEET, "10.1"): {L.NEW_VERDICT: "Đạt"},
                                    (SHEET, "1.2"): {L.NEW_VERDICT: "Đạt"},  # filled before 1.1 is renamed
                                    (SHEET, "1.1"): {L.INDICATOR: "1.2", L.NEW_VERDICT: "Đạt"}})
    assert len(errors) == 2, errors
    assert any(f"cột {L.NEW_VERDICT}: chỉ tiêu 10.1 có ngưỡng số" in e for e in errors)
    assert any(f"cột {L.INDICATOR}: chỉ tiêu 1.2 đã có ở dòng" in e for e in errors)
