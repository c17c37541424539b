"""Reports as DOCX (python-docx), laid out after Decree 30/2020: the same content as the PDF."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from .chart import met_chart
from .data import DEMO_MARK, DEMO_NOTE, CommuneReport, DistrictReport, Header


def _document() -> DocxDocument:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    return doc


def _masthead(doc: DocxDocument, header: Header) -> None:
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.text = ""
    for text, bold in ((header.issuer_parent, False), (header.issuer, True), ("", False), (header.number, False)):
        p = left.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold, run.font.size = bold, Pt(12.5)
    for text, bold, italic in (("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False),
                               ("Độc lập - Tự do - Hạnh phúc", True, False), ("", False, False),
                               (f"{header.place}, {header.dated}", False, True)):
        p = right.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(12.5)
    for text, size in ((header.title, 14), (header.subtitle, 13)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold, run.font.size = True, Pt(size)


def _heading(doc: DocxDocument, text: str) -> None:
    doc.add_paragraph().add_run(text).bold = True


def _signature(doc: DocxDocument, recipients: list[str], signer: list[str]) -> None:
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.text = ""
    run = left.paragraphs[0].add_run("Nơi nhận:")
    run.bold, run.italic = True, True
    for r in recipients:
        left.add_paragraph(r).runs[0].font.size = Pt(11)
    right.text = ""
    for i, line in enumerate(signer):
        p = right.add_paragraph() if i else right.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(line)
        run.bold = not line.startswith("(")
        run.italic = line.startswith("(")


def _bytes(doc: DocxDocument) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _demo_note(doc: DocxDocument, demo: bool, threshold_demo: bool = False) -> None:
    if demo:
        doc.add_paragraph("Lưu ý: báo cáo dùng số liệu mẫu (demo) minh họa, không phải số liệu thật của đơn vị.")
    if threshold_demo:
        doc.add_paragraph(f"Lưu ý: có kết quả dựa trên ngưỡng minh họa (demo), đánh dấu {DEMO_MARK}, "
                          "không phải ngưỡng chính thức.")


def _basis(doc: DocxDocument, basis: str) -> None:
    if basis:
        doc.add_paragraph().add_run(f"Bộ tiêu chí áp dụng: {basis}.").italic = True


def _footnote(doc: DocxDocument, threshold_demo: bool) -> None:
    if threshold_demo:
        doc.add_paragraph().add_run(DEMO_NOTE).font.size = Pt(11)


def commune_docx(r: CommuneReport) -> bytes:
    doc = _document()
    _masthead(doc, r.header)
    _demo_note(doc, r.demo, r.threshold_demo)
    _heading(doc, "I. KẾT QUẢ CHUNG")
    unmet = f" Các tiêu chí chưa đạt: {'; '.join(r.unmet_names)}." if r.unmet_names else ""
    doc.add_paragraph(f"Căn cứ {r.set_name} (Quyết định số {r.document}), đến năm {r.year} {r.unit_name} đạt "
                      f"{r.met}/{r.total} tiêu chí.{unmet}")
    _basis(doc, r.basis)
    _heading(doc, "II. KẾT QUẢ THỰC HIỆN TỪNG TIÊU CHÍ")
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["TT", "Tiêu chí / chỉ tiêu", "Kết quả", "Mức đạt chuẩn", "Đánh giá"],
                          strict=True):
        cell.text = text
    for c in r.criteria:
        row = table.add_row().cells
        row[0].text, row[1].text, row[4].text = c.code, c.name, c.status
        for i in c.indicators:
            cells = table.add_row().cells
            for cell, text in zip(cells, [i.code, i.name, i.value, i.threshold, i.verdict], strict=True):
                cell.text = text
    _footnote(doc, r.threshold_demo)
    if r.history:
        _heading(doc, "III. SỐ TIÊU CHÍ ĐẠT QUA CÁC NĂM")
        png = met_chart([str(y) for y, _, _ in r.history], [m for _, m, _ in r.history], r.total,
                        title=f"Số tiêu chí đạt qua các năm — {r.unit_name}", fmt="png")
        doc.add_picture(io.BytesIO(png), width=Mm(160))
    _heading(doc, "IV. ĐỀ XUẤT, KIẾN NGHỊ" if r.history else "III. ĐỀ XUẤT, KIẾN NGHỊ")
    doc.add_paragraph("Tập trung huy động nguồn lực, phân công cán bộ, công chức phụ trách các tiêu chí chưa đạt; "
                      "đề nghị các phòng, ngành huyện hỗ trợ hoàn thiện hồ sơ theo quy định.")
    _signature(doc, ["- Văn phòng Điều phối NTM huyện;", "- Lưu: VT."],
               ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "(Ký, ghi rõ họ tên và đóng dấu)"])
    return _bytes(doc)


def district_docx(r: DistrictReport) -> bytes:
    doc = _document()
    _masthead(doc, r.header)
    _demo_note(doc, r.demo, r.threshold_demo)
    _heading(doc, "I. KẾT QUẢ CHUNG")
    doc.add_paragraph(f"Căn cứ {r.set_name} (Quyết định số {r.document}), năm {r.year} trên địa bàn {r.unit_name} "
                      f"có {r.reached}/{len(r.rows)} xã đạt đủ {len(r.criteria)} tiêu chí.")
    _basis(doc, r.basis)
    for row in r.rows:
        doc.add_paragraph(f"Xã {row.name}: đạt {row.met}/{row.total} tiêu chí.", style="List Bullet")
    _heading(doc, "II. BIỂU ĐỒ")
    png = met_chart([row.name for row in r.rows], [row.met for row in r.rows], len(r.criteria),
                    title=f"Số tiêu chí đạt của các xã — {r.unit_name}, năm {r.year}", fmt="png")
    doc.add_picture(io.BytesIO(png), width=Mm(160))
    wide = doc.add_section()
    wide.orientation = WD_ORIENT.LANDSCAPE
    wide.page_width, wide.page_height = Mm(297), Mm(210)
    _heading(doc, "III. BẢNG TỔNG HỢP CÁC XÃ THEO TỪNG TIÊU CHÍ")
    table = doc.add_table(rows=1, cols=len(r.criteria) + 2)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["Xã", *[c for c, _ in r.criteria], "Số TC đạt"], strict=True):
        cell.text = text
    for row in r.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, [row.name, *row.cells, f"{row.met}/{row.total}"], strict=True):
            cell.text = text
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(8)
    _footnote(doc, r.threshold_demo)
    _signature(doc, ["- Ban Chỉ đạo các CTMTQG huyện;", "- UBND các xã;", "- Lưu: VT."],
               ["CHÁNH VĂN PHÒNG", "(Ký, ghi rõ họ tên)"])
    return _bytes(doc)
