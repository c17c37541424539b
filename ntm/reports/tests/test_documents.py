"""The Word reports and the district PDF's page, built from plain report data (no database): what a reader of the
document checks — the masthead and date of Decree 30/2020, the overall result, one table row per criterion and
indicator, the demo notes only when they apply, the chart, the signature, and names printed as given."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT

from ntm.reports import docx, pdf
from ntm.reports.data import DEMO_NOTE, CommuneReport, CriterionRow, DistrictReport, Header, IndicatorRow, MatrixRow

HEADER = Header(issuer_parent="UBND HUYỆN TÂN TRỤ", issuer="UBND XÃ QUÊ MỸ THẠNH", number="Số: ……/BC-UBND",
                place="Quê Mỹ Thạnh", dated="ngày 05 tháng 02 năm 2026", title="BÁO CÁO",
                subtitle="Kết quả thực hiện Bộ tiêu chí xã nông thôn mới nâng cao năm 2024 của Xã Quê Mỹ Thạnh")
INCOME = CriterionRow("10", "Thu nhập", "Chưa đạt", False, (
    IndicatorRow("10.1", "Thu nhập bình quân đầu người", "58,5 triệu đồng", "≥ 60 triệu đồng", "Chưa đạt"),))
TRANSPORT = CriterionRow("2", "Giao thông", "Đạt †", True, (
    IndicatorRow("2.1", "Đường xã được nhựa hóa", "100 %", "≥ 100 % † minh họa", "Đạt †", demo=True),
    IndicatorRow("2.2", "Đường ấp được cứng hóa", "95 %", "≥ 90 %", "Đạt")), demo=True)


def commune(**changes) -> CommuneReport:
    report = CommuneReport(header=HEADER, unit_name="Xã Quê Mỹ Thạnh", set_name="Bộ tiêu chí xã NTM nâng cao",
                           document="318/QĐ-TTg", year=2024, met=17, total=19, unmet_names=("Thu nhập", "Môi trường"),
                           criteria=(TRANSPORT, INCOME), history=(), demo=False)
    return replace(report, **changes)


def district(**changes) -> DistrictReport:
    rows = (MatrixRow("Quê Mỹ Thạnh", 2, 3, ("Đạt", "Đạt", "Chưa đạt"), ("met", "met", "not_met")),
            MatrixRow("Bình Trinh Đông", 3, 3, ("Đạt", "Đạt †", "Đạt"), ("met", "met", "met")))
    report = DistrictReport(header=HEADER, unit_name="Huyện Tân Trụ", set_name="Bộ tiêu chí xã NTM nâng cao",
                            document="318/QĐ-TTg", year=2024, criteria=(("1", "Quy hoạch"), ("2", "Giao thông"),
                                                                        ("10", "Thu nhập")),
                            rows=rows, reached=1, demo=False)
    return replace(report, **changes)


def opened(content: bytes):
    return Document(io.BytesIO(content))


def paragraphs(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text]


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def cell_lines(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


# --- A commune's report -----------------------------------------------------------------------------------------


def test_the_page_is_a4_with_the_decrees_margins_and_font():
    doc = opened(docx.commune_docx(commune()))
    section = doc.sections[0]
    mm = [round(length.mm) for length in (section.page_width, section.page_height, section.left_margin,
                                           section.right_margin, section.top_margin, section.bottom_margin)]
    assert mm == [210, 297, 30, 15, 20, 20]  # Word keeps twentieths of a point: compare in whole mm
    assert doc.styles["Normal"].font.name == "Times New Roman"


def test_the_masthead_names_the_issuer_the_motto_and_the_date():
    doc = opened(docx.commune_docx(commune()))
    left, right = doc.tables[0].rows[0].cells
    assert cell_lines(left) == ["UBND HUYỆN TÂN TRỤ", "UBND XÃ QUÊ MỸ THẠNH", "Số: ……/BC-UBND"]
    assert cell_lines(right) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                                 "Quê Mỹ Thạnh, ngày 05 tháng 02 năm 2026"]
    issuer = [r for p in left.paragraphs for r in p.runs if r.text == "UBND XÃ QUÊ MỸ THẠNH"]
    assert issuer[0].bold, "the issuing body is bold, its parent is not"
    assert paragraphs(doc)[:2] == ["BÁO CÁO", HEADER.subtitle]


def test_the_overall_result_names_the_set_its_decision_and_what_is_unmet():
    text = paragraphs(opened(docx.commune_docx(commune())))
    assert ("Căn cứ Bộ tiêu chí xã NTM nâng cao (Quyết định số 318/QĐ-TTg), đến năm 2024 Xã Quê Mỹ Thạnh đạt "
            "17/19 tiêu chí. Các tiêu chí chưa đạt: Thu nhập; Môi trường.") in text


def test_a_commune_meeting_everything_lists_nothing_unmet():
    text = paragraphs(opened(docx.commune_docx(commune(met=19, unmet_names=()))))
    assert any(p.endswith("đạt 19/19 tiêu chí.") for p in text)
    assert not any("chưa đạt:" in p for p in text)


def test_each_criterion_then_its_indicators_is_a_row():
    doc = opened(docx.commune_docx(commune()))
    assert table_rows(doc.tables[1]) == [
        ["TT", "Tiêu chí / chỉ tiêu", "Kết quả", "Mức đạt chuẩn", "Đánh giá"],
        ["2", "Giao thông", "", "", "Đạt †"],
        ["2.1", "Đường xã được nhựa hóa", "100 %", "≥ 100 % † minh họa", "Đạt †"],
        ["2.2", "Đường ấp được cứng hóa", "95 %", "≥ 90 %", "Đạt"],
        ["10", "Thu nhập", "", "", "Chưa đạt"],
        ["10.1", "Thu nhập bình quân đầu người", "58,5 triệu đồng", "≥ 60 triệu đồng", "Chưa đạt"]]


def test_real_figures_with_official_thresholds_carry_no_demo_note():
    text = "\n".join(paragraphs(opened(docx.commune_docx(commune()))))
    assert "số liệu mẫu" not in text and "ngưỡng minh họa" not in text and DEMO_NOTE not in text


def test_demo_figures_and_demo_thresholds_are_each_said_once():
    text = paragraphs(opened(docx.commune_docx(commune(demo=True, threshold_demo=True))))
    assert text.count("Lưu ý: báo cáo dùng số liệu mẫu (demo) minh họa, không phải số liệu thật của đơn vị.") == 1
    assert sum("ngưỡng minh họa (demo), đánh dấu †" in p for p in text) == 1
    assert text.count(DEMO_NOTE) == 1, "the footnote under the table"


def test_demo_figures_alone_do_not_claim_demo_thresholds():
    text = "\n".join(paragraphs(opened(docx.commune_docx(commune(demo=True)))))
    assert "số liệu mẫu (demo)" in text and "đánh dấu †" not in text and DEMO_NOTE not in text


def test_the_basis_is_named_when_known():
    with_basis = paragraphs(opened(docx.commune_docx(commune(basis="Long An 8151/QĐ-UBND, trên nền 318/QĐ-TTg"))))
    assert "Bộ tiêu chí áp dụng: Long An 8151/QĐ-UBND, trên nền 318/QĐ-TTg." in with_basis
    assert not any(p.startswith("Bộ tiêu chí áp dụng") for p in paragraphs(opened(docx.commune_docx(commune()))))


def test_without_history_there_is_no_chart_and_proposals_are_part_three():
    doc = opened(docx.commune_docx(commune()))
    text = paragraphs(doc)
    assert not doc.inline_shapes
    assert "III. ĐỀ XUẤT, KIẾN NGHỊ" in text and "III. SỐ TIÊU CHÍ ĐẠT QUA CÁC NĂM" not in text


def test_with_history_the_years_are_charted_and_proposals_become_part_four():
    doc = opened(docx.commune_docx(commune(history=((2022, 12, 19), (2023, 15, 19), (2024, 17, 19)))))
    text = paragraphs(doc)
    assert len(doc.inline_shapes) == 1 and round(doc.inline_shapes[0].width.mm) == 160
    assert text.index("III. SỐ TIÊU CHÍ ĐẠT QUA CÁC NĂM") < text.index("IV. ĐỀ XUẤT, KIẾN NGHỊ")


def test_the_commune_chairman_signs_and_the_district_office_receives_it():
    doc = opened(docx.commune_docx(commune()))
    left, right = doc.tables[-1].rows[0].cells
    assert cell_lines(left) == ["Nơi nhận:", "- Văn phòng Điều phối NTM huyện;", "- Lưu: VT."]
    assert cell_lines(right) == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "(Ký, ghi rõ họ tên và đóng dấu)"]
    hint = right.paragraphs[-1].runs[0]
    assert hint.italic and not hint.bold, "the hint in brackets is italic, the titles bold"


# --- A district's report ----------------------------------------------------------------------------------------


def test_the_district_result_counts_communes_meeting_every_criterion():
    text = paragraphs(opened(docx.district_docx(district())))
    assert ("Căn cứ Bộ tiêu chí xã NTM nâng cao (Quyết định số 318/QĐ-TTg), năm 2024 trên địa bàn Huyện Tân Trụ "
            "có 1/2 xã đạt đủ 3 tiêu chí.") in text
    assert "Xã Quê Mỹ Thạnh: đạt 2/3 tiêu chí." in text and "Xã Bình Trinh Đông: đạt 3/3 tiêu chí." in text


def test_the_district_matrix_is_on_a_landscape_page_with_a_row_per_commune():
    doc = opened(docx.district_docx(district()))
    wide = doc.sections[-1]
    assert wide.orientation == WD_ORIENT.LANDSCAPE and round(wide.page_width.mm) == 297
    assert len(doc.inline_shapes) == 1, "the chart"
    matrix = next(t for t in doc.tables if t.rows[0].cells[0].text == "Xã")
    assert table_rows(matrix) == [["Xã", "1", "2", "10", "Số TC đạt"],
                                  ["Quê Mỹ Thạnh", "Đạt", "Đạt", "Chưa đạt", "2/3"],
                                  ["Bình Trinh Đông", "Đạt", "Đạt †", "Đạt", "3/3"]]


def test_the_district_office_signs_for_the_steering_committee():
    left, right = opened(docx.district_docx(district())).tables[-1].rows[0].cells
    assert cell_lines(left) == ["Nơi nhận:", "- Ban Chỉ đạo các CTMTQG huyện;", "- UBND các xã;", "- Lưu: VT."]
    assert cell_lines(right) == ["CHÁNH VĂN PHÒNG", "(Ký, ghi rõ họ tên)"]


def test_a_district_footnote_only_for_demo_thresholds():
    assert DEMO_NOTE in paragraphs(opened(docx.district_docx(district(threshold_demo=True))))
    assert DEMO_NOTE not in paragraphs(opened(docx.district_docx(district())))


def test_a_district_without_communes_still_makes_a_document():
    doc = opened(docx.district_docx(district(rows=(), reached=0)))
    assert any("có 0/0 xã đạt đủ 3 tiêu chí." in p for p in paragraphs(doc))
    matrix = next(t for t in doc.tables if t.rows[0].cells[0].text == "Xã")
    assert len(matrix.rows) == 1


# --- The district PDF's page and its rows -----------------------------------------------------------------------


def test_each_cell_keeps_its_status_for_its_colour():
    row = district().rows[0]
    assert row.marked == (("met", "Đạt"), ("met", "Đạt"), ("not_met", "Chưa đạt"))
    assert MatrixRow("X", 0, 2, ("—", "—")).marked == (("", "—"), ("", "—")), "no statuses: no colour"


def test_the_pdf_page_colours_cells_by_status_and_escapes_names():
    report = district(rows=(MatrixRow("<b>An</b> & Hòa", 1, 3, ("Đạt", "Chưa đạt", "—"),
                                      ("met", "not_met", "no_data")),))
    html = pdf.district_html(report, b"<svg/>")
    assert '<td class="s-met">Đạt</td><td class="s-not_met">Chưa đạt</td><td class="s-no_data">—</td>' in html
    assert "&lt;b&gt;An&lt;/b&gt; &amp; Hòa" in html and "<b>An</b>" not in html
    assert '<th title="Thu nhập">TC 10</th>' in html
    assert "Ghi chú — tên tiêu chí: 1. Quy hoạch; 2. Giao thông; 10. Thu nhập." in html
    assert 'src="data:image/svg+xml;base64,' in html


@pytest.mark.parametrize("labels", [["Quê Mỹ Thạnh", "Bình Trinh Đông"], ["A & B", "<x>"]])
def test_the_pdf_chart_is_svg_naming_the_district_and_year(labels):
    rows = tuple(MatrixRow(name, 1, 3, ("Đạt",) * 3) for name in labels)
    svg = pdf.district_chart(district(rows=rows)).decode()
    assert svg.startswith("<svg") and "Số tiêu chí đạt của các xã — Huyện Tân Trụ, năm 2024" in svg
    assert "<x>" not in svg
