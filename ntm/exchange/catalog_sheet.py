"""A whole criteria set or province layer as one workbook, and back: the way an office transcribes an
annex (e.g. Annex I of 51/2025/QĐ-TTg: 10 criteria, 47 indicators × 3 groups) without touching YAML.

Sheets: "Bộ tiêu chí" (the header: id, version, names, document, dates, base and provinces of a layer),
"Tiêu chí" (criteria), "Chỉ tiêu" (indicators), "Ngưỡng" (one row per threshold value) and "Văn bản"
(documents a layer declares; for a national set, the shared documents, for reference). Every sheet
has its Vietnamese headers on row 1 and English ones on row 2; data start on row 3.

`workbook_for(text) -> bytes` and `text_from_workbook(data, base_text) -> (yaml_text, problems)`. The
loader (ntm/core/loader.py) stays the judge of a set; this module checks what a cell can say on its
own (a number, a unit, a group, a duplicate code) and maps the loader's problems back to the sheet,
row and column they concern (`locate`). Pure apart from gettext and reading `_common.yaml` when no
vocabulary is given."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import Any

import yaml
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ntm.core.loader import Problem, Vocabulary, parse_common, parse_set
from ntm.figures.parsing import NumberUnreadable
from ntm.units.text import fold
from ntm.workbooks.opening import CellError, WorkbookUnreadable, open_workbook, text
from ntm.workbooks.safe_cells import protect_workbook

from .xlsx_read import number, read_meta

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ten times faster


def _yaml_load(text: str):
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader


KIND = "catalog-book"  # the hidden sheet's kind for these workbooks
SET_SHEET, CRITERIA_SHEET, INDICATOR_SHEET, THRESHOLD_SHEET, DOCUMENT_SHEET = (
    "Bộ tiêu chí", "Tiêu chí", "Chỉ tiêu", "Ngưỡng", "Văn bản")
LISTS_SHEET = "_ds"  # hidden: the lists the drop-downs offer
FIRST = 3  # first data row (row 1: Vietnamese headers, row 2: English)
MAX_ROWS = 5000

STATUS_LABELS = {"official": "chính thức", "provisional": "tạm tính", "demo": "minh họa"}
_STATUS = {"chinh thuc": "official", "official": "official", "tam tinh": "provisional", "provisional": "provisional",
           "minh hoa": "demo", "demo": "demo"}
_YES = {"co", "x", "yes", "true", "1", "dung"}
_NO = {"khong", "no", "false", "0", "sai"}
_COMPARISON = {">=": ">=", "≥": ">=", "<=": "<=", "≤": "<=", "=": "=", "met": "met", "dat": "met",
               "dat/khong dat": "met"}

HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
EN_FILL = PatternFill("solid", fgColor="EEF2F9")
GAP_FILLS = {"missing": PatternFill("solid", fgColor="FFC7CE"), "provisional": PatternFill("solid", fgColor="FFEB9C")}
READ_ONLY_FILL = PatternFill("solid", fgColor="F2F2F2")
BOLD = Font(bold=True)
EN_FONT = Font(italic=True, color="595959")
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Column:
    key: str
    vi: str  # header in Vietnamese (translated on export when the page is in English: row 1 stays Vietnamese)
    en: str
    width: float
    kind: str = "text"  # text, code, number, int, ints, date, bool, urls, status, comparison, unit, department,
    #                     scope, document, documents, alternatives, provinces, read (shown, never read back)


def _columns(*cols: Column) -> tuple[Column, ...]:
    return cols


_SOURCE = (
    Column("source_status", "Nguồn: trạng thái", "Source: status", 13, "status"),
    Column("source_document", "Nguồn: văn bản", "Source: document", 16, "document"),
    Column("source_urls", "Nguồn: nơi đọc được (URL)", "Source: where it was read (URLs)", 30, "urls"),
    Column("source_note", "Nguồn: ghi chú", "Source: note", 36),
)
CRITERIA_COLUMNS = _columns(
    Column("code", "Mã tiêu chí", "Criterion code", 9, "code"),
    Column("number", "Số thứ tự", "Number", 8, "int"),
    Column("name_vi", "Tên tiêu chí (tiếng Việt)", "Name (Vietnamese)", 32),
    Column("name_en", "Tên tiêu chí (tiếng Anh)", "Name (English)", 28),
    Column("group_vi", "Nhóm tiêu chí", "Criteria group", 18),
    Column("key", "Tiêu chí then chốt (có/không)", "Key criterion (yes/no)", 12, "bool"),
    Column("alternatives", "Phương án thay thế (vd. 5.2; 5.3)", "Alternatives (e.g. 5.2; 5.3)", 16, "alternatives"),
    *_SOURCE,
    Column("notes", "Ghi chú thêm", "Notes", 30),
)
INDICATOR_COLUMNS = _columns(
    Column("criterion", "Mã tiêu chí", "Criterion code", 9, "code"),
    Column("code", "Mã chỉ tiêu", "Indicator code", 9, "code"),
    Column("name_vi", "Tên chỉ tiêu (tiếng Việt)", "Name (Vietnamese)", 40),
    Column("name_en", "Tên chỉ tiêu (tiếng Anh)", "Name (English)", 32),
    Column("unit", "Đơn vị tính", "Unit", 14, "unit"),
    Column("comparison", "So sánh (>=, <=, =, met)", "Comparison (>=, <=, =, met)", 10, "comparison"),
    Column("department", "Phòng, ngành phụ trách", "Responsible department", 18, "department"),
    Column("min", "Giá trị nhỏ nhất", "Minimum", 9, "number"),
    Column("max", "Giá trị lớn nhất", "Maximum", 9, "number"),
    Column("years", "Các năm có ngưỡng riêng", "Years with their own thresholds", 12, "ints"),
    Column("derived", "Tính từ tỷ lệ xã đạt bộ", "Derived: share of communes meeting set", 18),
    *_SOURCE,
    Column("notes", "Ghi chú thêm", "Notes", 30),
)
THRESHOLD_COLUMNS = _columns(
    Column("indicator", "Mã chỉ tiêu", "Indicator code", 9, "code"),
    Column("indicator_name", "Tên chỉ tiêu (để đối chiếu)", "Indicator name (for reference)", 36, "read"),
    Column("scope", "Vùng/nhóm (* = mọi)", "Region/group (* = all)", 11, "scope"),
    Column("year", "Năm (trống = mọi năm)", "Year (empty = every year)", 10, "int"),
    Column("value", "Giá trị", "Value", 10, "number"),
    Column("status", "Trạng thái", "Status", 13, "status"),
    Column("document", "Văn bản", "Document", 16, "document"),
    Column("urls", "Nơi đọc được (URL)", "Where it was read (URLs)", 30, "urls"),
    Column("note", "Ghi chú", "Note", 40),
)
DOCUMENT_COLUMNS = _columns(
    Column("id", "Mã văn bản", "Document id", 22),
    Column("number", "Số, ký hiệu", "Number", 18),
    Column("title_vi", "Trích yếu (tiếng Việt)", "Title (Vietnamese)", 50),
    Column("title_en", "Trích yếu (tiếng Anh)", "Title (English)", 30),
    Column("signed", "Ngày ký", "Signed", 12, "date"),
    Column("issuer", "Cơ quan ban hành", "Issuer", 18),
    Column("urls", "Nơi đọc được (URL)", "Where it was read (URLs)", 30, "urls"),
    Column("note", "Ghi chú", "Note", 30),
)


@dataclass(frozen=True)
class Field:
    key: str
    vi: str
    en: str
    kind: str = "text"
    applies: str = "both"  # "set", "layer" or "both"


HEADER_FIELDS = (
    Field("kind", "Loại (set = bộ tiêu chí quốc gia, layer = bộ/quy định của tỉnh)",
          "Kind (set = national set, layer = a province's set or specification)"),
    Field("id", "Mã bộ tiêu chí", "Set id"),
    Field("version", "Phiên bản", "Version"),
    Field("base", "Trên nền bộ tiêu chí (mã)", "On top of (set or layer id)", applies="layer"),
    Field("provinces", "Tỉnh áp dụng (mã: tên; …)", "Provinces (key: name; …)", "provinces", "layer"),
    Field("level", "Cấp độ (ntm, ntmnc, model)", "Level (ntm, ntmnc, model)", applies="set"),
    Field("unit_kind", "Áp dụng cho (commune, district)", "Applies to (commune, district)", applies="set"),
    Field("dimension", "Ngưỡng theo (region = vùng, group = nhóm xã, none)",
          "Thresholds by (region, group, none)", applies="set"),
    Field("name_vi", "Tên (tiếng Việt)", "Name (Vietnamese)"),
    Field("name_en", "Tên (tiếng Anh)", "Name (English)"),
    Field("document", "Văn bản ban hành", "Issuing document", "document"),
    Field("amended_by", "Sửa đổi bởi (các văn bản)", "Amended by (documents)", "documents", "set"),
    Field("effective_from", "Hiệu lực từ ngày", "In force from", "date"),
    Field("effective_to", "Hiệu lực đến ngày", "In force until", "date"),
    Field("demo", "Dữ liệu minh họa (có/không)", "Demo data (yes/no)", "bool", "layer"),
    Field("source_status", "Nguồn: trạng thái", "Source: status", "status"),
    Field("source_document", "Nguồn: văn bản", "Source: document", "document"),
    Field("source_urls", "Nguồn: nơi đọc được (URL)", "Source: where it was read (URLs)", "urls"),
    Field("source_note", "Nguồn: ghi chú", "Source: note"),
    Field("remove_indicators", "Bỏ các chỉ tiêu của bộ nền (mã)", "Indicators of the base removed (codes)", "codes",
          "layer"),
    Field("notes", "Ghi chú thêm", "Notes"),
)
ALWAYS = {"set": ("effective_to",), "layer": ("effective_to",)}  # written even when empty (as null)


def _letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def col_of(columns: tuple[Column, ...], key: str) -> str:
    return _letter(next(i for i, c in enumerate(columns, 1) if c.key == key))


# --- Export -------------------------------------------------------------------------------------------


def _vocab(common_text: str | None) -> Vocabulary:
    if common_text is None:
        from .catalog_store import common_text as read_common

        common_text = read_common()
    vocab, _problems = parse_common(common_text)
    return vocab


def _doc_number(doc_id: Any, numbers: Mapping[str, str]) -> str:
    return numbers.get(str(doc_id), str(doc_id)) if doc_id else ""


def _urls(value: Any) -> str:
    return "\n".join(str(u) for u in value or [])


def _status_label(status: Any) -> str:
    return STATUS_LABELS.get(str(status), str(status)) if status else ""


def _source_cells(src: Mapping[str, Any] | None, numbers: Mapping[str, str]) -> dict[str, Any]:
    src = src or {}
    return {"source_status": _status_label(src.get("status")),
            "source_document": _doc_number(src.get("document"), numbers),
            "source_urls": _urls(src.get("urls")), "source_note": src.get("note") or ""}


def _bool_label(value: Any) -> str:
    return "" if value is None else ("có" if value else "không")


def _alternatives_label(alts: Any) -> str:
    return "; ".join(" + ".join(str(c) for c in alt) for alt in alts or [])


def _provinces_label(provinces: Any) -> str:
    return "; ".join(f"{p.get('key')}: {p.get('name')}" if p.get("name") else str(p.get("key"))
                     for p in provinces or [] if isinstance(p, Mapping))


def workbook_for(text_or_set: str, *, common_text: str | None = None) -> bytes:
    """The workbook of a set or layer (its YAML text): every criterion, indicator and threshold value,
    with gaps highlighted (red: no official value yet, amber: provisional), drop-down lists for the
    comparison, unit, department, region/group and status, and the headers frozen."""
    raw = _yaml_load(text_or_set) or {}
    vocab = _vocab(common_text)
    layer = "base" in raw
    own_docs = {str(d.get("id")): d for d in raw.get("documents") or [] if isinstance(d, Mapping)}
    numbers = {doc.id: doc.number for doc in vocab.documents.values()}
    numbers.update({k: str(d.get("number") or k) for k, d in own_docs.items()})
    wb = Workbook()
    lists = _lists_sheet(wb, vocab, numbers, raw)
    ws = wb.active
    ws.title = SET_SHEET
    _header_sheet(ws, raw, "layer" if layer else "set", numbers)

    crit_rows, ind_rows, thr_rows = [], [], []
    names: dict[str, str] = {}

    def add_indicator(ind: Mapping[str, Any], crit: str) -> None:
        code = str(ind.get("code"))
        names[code] = str(ind.get("name_vi") or "")
        derived = ind.get("derived")
        if not isinstance(derived, Mapping):
            derived = {}
        ind_rows.append(({
            "criterion": crit, "code": code, "name_vi": ind.get("name_vi"), "name_en": ind.get("name_en"),
            "unit": ind.get("unit") or "", "comparison": ind.get("comparison"), "department": ind.get("department"),
            "min": ind.get("min"), "max": ind.get("max"), "years": ", ".join(str(y) for y in ind.get("years") or []),
            "derived": derived.get("share_of_communes_meeting", ""), **_source_cells(ind.get("source"), numbers),
            "notes": ind.get("notes") or ""}, _gap((ind.get("source") or {}).get("status"), True)))
        for t in ind.get("thresholds") or []:
            thr_rows.append(_threshold_cells(code, t, numbers))

    for crit in raw.get("criteria") or []:
        code = str(crit.get("code") or crit.get("number"))
        crit_rows.append(({
            "code": code, "number": crit.get("number"), "name_vi": crit.get("name_vi"),
            "name_en": crit.get("name_en"), "group_vi": crit.get("group_vi") or "", "key": _bool_label(crit.get("key")),
            "alternatives": _alternatives_label(crit.get("alternatives")), **_source_cells(crit.get("source"), numbers),
            "notes": crit.get("notes") or ""}, None))
        for ind in crit.get("indicators") or []:
            add_indicator(ind, code)
    for ind in raw.get("indicators") or []:
        add_indicator(ind, str(ind.get("criterion") or ""))
    for t in raw.get("thresholds") or []:
        thr_rows.append(_threshold_cells(str(t.get("indicator")), t, numbers))
    for cells, _fill in thr_rows:
        cells["indicator_name"] = names.get(cells["indicator"], "")

    _table(wb.create_sheet(CRITERIA_SHEET), CRITERIA_COLUMNS, crit_rows, lists)
    _table(wb.create_sheet(INDICATOR_SHEET), INDICATOR_COLUMNS, ind_rows, lists)
    _table(wb.create_sheet(THRESHOLD_SHEET), THRESHOLD_COLUMNS, thr_rows, lists)
    docs = own_docs.values() if layer else [
        {"id": d.id, "number": d.number, "title_vi": d.title_vi, "signed": d.signed, "urls": list(d.urls)}
        for d in vocab.documents.values()]
    doc_ws = wb.create_sheet(DOCUMENT_SHEET)
    _table(doc_ws, DOCUMENT_COLUMNS, [({**d, "urls": _urls(d.get("urls"))}, None) for d in docs], lists)
    if not layer:
        doc_ws.cell(row=1, column=len(DOCUMENT_COLUMNS) + 2, value=_(
            "Văn bản dùng chung của danh mục (để tra cứu). Bộ tiêu chí quốc gia không khai báo văn bản mới ở đây; "
            "cần thêm văn bản thì đề nghị bổ sung vào danh mục chung.")).font = EN_FONT
    from .xlsx_write import _meta

    _meta(wb, KIND, {"set": str(raw.get("id", "")), "version": str(raw.get("version", "")),
                     "layer": "1" if layer else ""})
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames))
    out = io.BytesIO()
    protect_workbook(wb).save(out)
    return out.getvalue()


def _gap(status: Any, source: bool = False) -> str:
    if status == "provisional":
        return "provisional"
    return ""


def _threshold_cells(code: str, t: Mapping[str, Any], numbers: Mapping[str, str]) -> tuple[dict, str]:
    value = t.get("value")
    cells = {"indicator": code, "scope": t.get("scope", "*"), "year": t.get("year"), "value": value,
             "status": _status_label(t.get("status")), "document": _doc_number(t.get("document"), numbers),
             "urls": _urls(t.get("urls")), "note": t.get("note") or ""}
    gap = "missing" if value is None else ("provisional" if t.get("status") == "provisional" else "")
    return cells, gap


@dataclass
class _Lists:
    ranges: dict[str, str] = field(default_factory=dict)  # column kind → "'_ds'!$A$2:$A$9"


def _lists_sheet(wb: Workbook, vocab: Vocabulary, numbers: Mapping[str, str], raw: Mapping[str, Any]) -> _Lists:
    ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    scopes = ["*"] + [r.code for r in vocab.regions] + [g.code for g in vocab.groups]
    if raw.get("dimension") == "group":
        scopes = ["*"] + [g.code for g in vocab.groups]
    elif raw.get("dimension") == "region":
        scopes = ["*"] + [r.code for r in vocab.regions]
    columns = {
        "comparison": [">=", "<=", "=", "met"],
        "unit": sorted(u for u in vocab.units if u),
        "department": sorted(vocab.departments),
        "scope": scopes,
        "status": list(STATUS_LABELS.values())[:2] + (["minh họa"] if raw.get("demo") is True else []),
        "bool": ["có", "không"],
        "document": sorted(set(numbers.values())),
    }
    out = _Lists()
    for n, (kind, values) in enumerate(columns.items(), 1):
        letter = _letter(n)
        ws.cell(row=1, column=n, value=kind)
        for r, v in enumerate(values, 2):
            ws.cell(row=r, column=n, value=v)
        out.ranges[kind] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${max(len(values) + 1, 2)}"
    return out


_STRICT = {"comparison", "unit", "department", "scope", "status", "bool"}


def _validate(ws: Worksheet, letter: str, first: int, last: int, kind: str, lists: _Lists) -> None:
    if kind not in lists.ranges:
        return
    dv = DataValidation(type="list", formula1=f"={lists.ranges[kind]}", allow_blank=True,
                        showErrorMessage=kind in _STRICT, errorStyle="stop" if kind in _STRICT else "warning")
    dv.error = _("Chọn một giá trị trong danh sách.")
    dv.errorTitle = _("Giá trị không có trong danh sách")
    ws.add_data_validation(dv)
    dv.add(f"{letter}{first}:{letter}{last}")


def _header_row(ws: Worksheet, labels: Iterable[tuple[str, str]], widths: Iterable[float]) -> None:
    for n, ((vi, en), width) in enumerate(zip(labels, widths, strict=True), 1):
        top = ws.cell(row=1, column=n, value=vi)
        top.font, top.fill, top.alignment = BOLD, HEADER_FILL, WRAP
        below = ws.cell(row=2, column=n, value=en)
        below.font, below.fill, below.alignment = EN_FONT, EN_FILL, WRAP
        ws.column_dimensions[_letter(n)].width = width


def _cell_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind in ("number", "int"):
        return value
    if kind == "date":
        return value if isinstance(value, date) else str(value)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def _table(ws: Worksheet, columns: tuple[Column, ...], rows: Sequence[tuple[Mapping[str, Any], str | None]],
           lists: _Lists) -> None:
    _header_row(ws, [(c.vi, c.en) for c in columns], [c.width for c in columns])
    for r, (cells, gap) in enumerate(rows, FIRST):
        for n, col in enumerate(columns, 1):
            cell = ws.cell(row=r, column=n, value=_cell_value(cells.get(col.key), col.kind))
            cell.alignment = WRAP
            if col.kind == "code":
                cell.number_format = "@"
            elif col.kind == "date":
                cell.number_format = "DD/MM/YYYY"
            elif col.kind == "read":
                cell.fill = READ_ONLY_FILL
        if gap:
            fill = GAP_FILLS[gap]
            for key in ("value", "status", "source_status"):
                if any(c.key == key for c in columns):
                    ws[f"{col_of(columns, key)}{r}"].fill = fill
    last = max(FIRST + len(rows) + 500, 1000)
    for n, col in enumerate(columns, 1):
        letter = _letter(n)
        if col.kind == "code":
            ws.column_dimensions[letter].number_format = "@"
        _validate(ws, letter, FIRST, last, col.kind, lists)
    ws.freeze_panes = f"{_letter(3 if len(columns) > 3 else 1)}{FIRST}"
    ws.auto_filter.ref = f"A2:{_letter(len(columns))}{max(FIRST + len(rows) - 1, FIRST)}"


def _header_sheet(ws: Worksheet, raw: Mapping[str, Any], kind: str, numbers: Mapping[str, str]) -> None:
    _header_row(ws, [("Mã trường", "Key"), ("Mục", "Item"), ("Mục (tiếng Anh)", "Item (English)"),
                     ("Giá trị", "Value")], [16, 44, 36, 60])
    src = raw.get("source") or {}
    values = {
        "kind": kind, "provinces": _provinces_label(raw.get("provinces")), "demo": _bool_label(raw.get("demo")),
        "document": _doc_number(raw.get("document"), numbers),
        "amended_by": "; ".join(_doc_number(d, numbers) for d in raw.get("amended_by") or []),
        "remove_indicators": ", ".join(str(c) for c in raw.get("remove_indicators") or []),
        **_source_cells(src, numbers),
    }
    r = FIRST
    for f in HEADER_FIELDS:
        if f.applies not in ("both", kind):
            continue
        value = values[f.key] if f.key in values else raw.get(f.key)
        ws.cell(row=r, column=1, value=f.key).font = EN_FONT
        ws.cell(row=r, column=2, value=f.vi).font = BOLD
        ws.cell(row=r, column=3, value=f.en).font = EN_FONT
        cell = ws.cell(row=r, column=4, value=_cell_value(value, f.kind))
        cell.alignment = WRAP
        if f.kind == "date":
            cell.number_format = "DD/MM/YYYY"
        elif f.key in ("id", "version", "kind"):
            cell.number_format = "@"
        if f.key == "kind":
            cell.fill = READ_ONLY_FILL
            cell.comment = Comment(_("Không sửa: cho biết tệp là bộ tiêu chí quốc gia hay bộ/quy định của tỉnh."),
                                   "NTM Tracker")
        r += 1
    ws.freeze_panes = f"D{FIRST}"


# --- Import -------------------------------------------------------------------------------------------


@dataclass
class RowIndex:
    """Where each part of the text came from, to put a loader problem back on its row."""

    header: dict[str, int] = field(default_factory=dict)
    criteria: dict[str, int] = field(default_factory=dict)
    indicators: dict[str, int] = field(default_factory=dict)
    thresholds: dict[str, list[int]] = field(default_factory=dict)
    documents: dict[str, int] = field(default_factory=dict)


@dataclass
class ReadBook:
    text: str
    problems: list[CellError]
    rows: RowIndex
    set_id: str = ""
    version: str = ""
    based_on: str = ""  # the version the workbook was exported from
    layer: bool = False
    base_text: str = ""  # the text it was read over (the version in force of the same id), if any


class _Sheet:
    """Reads one table sheet's rows; collects located problems."""

    def __init__(self, name: str, columns: tuple[Column, ...], errors: list[CellError]):
        self.name, self.columns, self.errors = name, columns, errors

    def rows(self, wb) -> Iterable[tuple[int, dict[str, Any]]]:
        if self.name not in wb.sheetnames:
            self.errors.append(CellError(self.name, None, "", _("không tìm thấy trang này (đã đổi tên hoặc xóa?).")))
            return
        width = len(self.columns)
        for n, values in enumerate(wb[self.name].iter_rows(min_row=FIRST, max_row=MAX_ROWS, max_col=width,
                                                           values_only=True), FIRST):
            values = tuple(values) + (None,) * (width - len(values))
            cells = {c.key: v for c, v in zip(self.columns, values, strict=True) if c.kind != "read"}
            if all(text(v) == "" for v in cells.values()):
                continue
            yield n, cells

    def fail(self, row: int | None, key: str, message: str) -> None:
        column = col_of(self.columns, key) if any(c.key == key for c in self.columns) else key
        self.errors.append(CellError(self.name, row, column, message))


class _Cells:
    """Turns cell values into YAML values; a bad cell becomes a located problem and None."""

    def __init__(self, vocab: Vocabulary, documents: Mapping[str, str], scopes: tuple[str, ...] | None):
        self.vocab = vocab
        self.documents = documents  # folded number or id → id
        self.scopes = scopes  # None: any region or group (a layer: its base decides)
        self.departments = {fold(c): c for c in vocab.departments}

    def convert(self, raw: Any, kind: str, fail: Callable[[str], None]) -> Any:
        value = text(raw)
        if kind in ("text", "code"):
            return value
        if value == "" and kind not in ("number",):
            return None
        try:
            return getattr(self, f"_{kind}")(raw, value)
        except (ValueError, NumberUnreadable) as exc:
            fail(str(exc))
            return None

    def _number(self, raw: Any, value: str) -> int | float | None:
        if isinstance(raw, str) and fold(raw) in ("null", "chua co", "trong"):
            return None
        found = number(raw)
        return None if found is None else _yaml_number(found)

    def _int(self, raw: Any, value: str) -> int:
        if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
            return int(raw)
        if value.isdigit():
            return int(value)
        raise ValueError(_("“%(raw)s” phải là số nguyên (vd. 2026).") % {"raw": value})

    def _ints(self, raw: Any, value: str) -> list[int]:
        return [self._int(p, p) for p in re.split(r"[,;\s]+", value) if p]

    def _date(self, raw: Any, value: str) -> date:
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        for pattern in (r"(\d{4})-(\d{1,2})-(\d{1,2})", r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})"):
            m = re.fullmatch(pattern, value)
            if m:
                a, b, c = (int(x) for x in m.groups())
                try:
                    return date(a, b, c) if a > 31 else date(c, b, a)
                except ValueError:
                    break
        raise ValueError(_("“%(raw)s” không phải là ngày (ghi ngày/tháng/năm, vd. 15/02/2026).") % {"raw": value})

    def _bool(self, raw: Any, value: str) -> bool:
        if isinstance(raw, bool):
            return raw
        if fold(value) in _YES:
            return True
        if fold(value) in _NO:
            return False
        raise ValueError(_("“%(raw)s”: ghi “có” hoặc “không”.") % {"raw": value})

    def _urls(self, raw: Any, value: str) -> list[str]:
        return [u for u in re.split(r"[\s;]+", value) if u]

    def _status(self, raw: Any, value: str) -> str:
        found = _STATUS.get(fold(value))
        if found is None:
            raise ValueError(_("trạng thái “%(raw)s” không hiểu được; ghi “chính thức” hoặc “tạm tính”.")
                             % {"raw": value})
        return found

    def _comparison(self, raw: Any, value: str) -> str:
        found = _COMPARISON.get(fold(value).replace(" ", ""), _COMPARISON.get(fold(value)))
        if found is None:
            raise ValueError(_("phép so sánh “%(raw)s” không hợp lệ; ghi >=, <=, = hoặc met (Đạt/Không đạt).")
                             % {"raw": value})
        return found

    def _unit(self, raw: Any, value: str) -> str:
        if value in self.vocab.units:
            return value
        for unit in self.vocab.units:
            if fold(unit) == fold(value):
                return unit
        raise ValueError(_("đơn vị “%(raw)s” không có trong danh mục đơn vị (%(known)s).") % {
            "raw": value, "known": ", ".join(sorted(u for u in self.vocab.units if u))})

    def _department(self, raw: Any, value: str) -> str:
        if value in self.vocab.departments:
            return value
        if fold(value) in self.departments:
            return self.departments[fold(value)]
        raise ValueError(_("phòng, ngành “%(raw)s” không có trong danh mục (%(known)s).") % {
            "raw": value, "known": ", ".join(sorted(self.vocab.departments))})

    def _scope(self, raw: Any, value: str) -> str:
        known = self.scopes if self.scopes is not None else (
            tuple(r.code for r in self.vocab.regions) + tuple(g.code for g in self.vocab.groups))
        if value == "*" or value in known:
            return value
        for code in known:
            if fold(code) == fold(value):
                return code
        raise ValueError(_("vùng/nhóm “%(raw)s” không thuộc bộ tiêu chí (ghi * hoặc một trong: %(known)s).") % {
            "raw": value, "known": ", ".join(known)})

    def _document(self, raw: Any, value: str) -> str:
        found = self.documents.get(value) or self.documents.get(fold(value))
        if found is None:
            raise ValueError(_("văn bản “%(raw)s” không có trong danh mục văn bản (ghi số, ký hiệu như "
                               "“51/2025/QĐ-TTg”, hoặc khai báo ở trang “Văn bản”).") % {"raw": value})
        return found

    def _documents(self, raw: Any, value: str) -> list[str]:
        return [self._document(p, p.strip()) for p in value.split(";") if p.strip()]

    def _codes(self, raw: Any, value: str) -> list[str]:
        return [p for p in re.split(r"[,;\s]+", value) if p]

    def _alternatives(self, raw: Any, value: str) -> list[list[str]]:
        return [[c.strip() for c in alt.split("+") if c.strip()] for alt in value.split(";") if alt.strip()]

    def _provinces(self, raw: Any, value: str) -> list[dict[str, str]]:
        out = []
        for part in re.split(r"[;\n]+", value):
            if not part.strip():
                continue
            key, _sep, name = part.partition(":")
            if not key.strip():
                raise ValueError(_("mỗi tỉnh ghi “mã: tên”, vd. “p80: Long An”."))
            out.append({"key": key.strip(), "name": name.strip() or key.strip()})
        return out


def _yaml_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _source(cells: dict[str, Any]) -> dict[str, Any] | None:
    src = {k: cells.get(f"source_{k}") for k in ("status", "document", "urls", "note")}
    src = {k: v for k, v in src.items() if v not in (None, "", [])}
    return src or None


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    if value not in (None, "", []):
        out[key] = value


def read_book(data: bytes, base_text: str | None = None, *, common_text: str | None = None,
              base_for: Callable[[str], str | None] | None = None) -> ReadBook:
    """A filled workbook as the YAML text of a set or layer, with every problem a cell shows on its
    own located (sheet, row, column). The loader is not run here: see `text_from_workbook`.
    `base_text` (or `base_for(id)`, given the id the workbook names) is the version it replaces: what
    the workbook does not carry is kept from it."""
    rows = RowIndex()
    try:
        wb = open_workbook(data)
    except WorkbookUnreadable as exc:
        return ReadBook("", [CellError("?", None, "", str(exc))], rows)
    try:
        meta = read_meta(wb)
        if meta is None or meta.kind != KIND or SET_SHEET not in wb.sheetnames:
            return ReadBook("", [CellError(SET_SHEET, None, "", _(
                "tệp này không phải sổ danh mục tiêu chí tải từ NTM Tracker. Hãy tải sổ của bộ tiêu chí từ trang "
                "này, điền rồi tải lên."))], rows)
        return _read(wb, meta, base_text, base_for, _vocab(common_text), rows)
    finally:
        wb.close()


def _read(wb, meta, base_text: str | None, base_for, vocab: Vocabulary, rows: RowIndex) -> ReadBook:
    errors: list[CellError] = []

    # The header, first: it says whether this is a set or a layer and by what its thresholds go.
    header_cells: dict[str, tuple[int, Any]] = {}
    for n, values in enumerate(wb[SET_SHEET].iter_rows(min_row=FIRST, max_row=200, max_col=4, values_only=True),
                               FIRST):
        values = tuple(values) + (None,) * (4 - len(values))
        if text(values[0]):
            header_cells[text(values[0])] = (n, values[3])
    rows.header = {k: n for k, (n, _v) in header_cells.items()}
    if base_text is None and base_for is not None:
        base_text = base_for(text(header_cells.get("id", (0, ""))[1]))
    base = (_yaml_load(base_text) or {}) if base_text else {}
    kind = text(header_cells.get("kind", (0, ""))[1]) or ("layer" if "base" in header_cells else "set")
    layer = kind == "layer"
    dimension = text(header_cells.get("dimension", (0, ""))[1])
    scopes = None if layer else {"region": tuple(r.code for r in vocab.regions),
                                 "group": tuple(g.code for g in vocab.groups), "none": ()}.get(dimension)

    # Documents a layer declares (they can be named by the other sheets).
    doc_sheet = _Sheet(DOCUMENT_SHEET, DOCUMENT_COLUMNS, errors)
    documents: dict[str, str] = {}
    for doc in vocab.documents.values():
        documents[doc.id] = doc.id
        documents[fold(doc.number)] = doc.id
    own_docs: list[dict[str, Any]] = []
    doc_cells = _Cells(vocab, documents, scopes)
    for n, cells in (doc_sheet.rows(wb) if DOCUMENT_SHEET in wb.sheetnames else ()):
        doc_id = text(cells["id"])
        known = vocab.documents.get(doc_id)
        if not layer:
            if known is None or fold(known.number) != fold(text(cells["number"])):
                doc_sheet.fail(n, "id", _("bộ tiêu chí quốc gia chỉ dùng văn bản của danh mục chung; văn bản "
                                          "“%(id)s” không có ở đó (đề nghị bổ sung vào danh mục chung).")
                               % {"id": doc_id or text(cells["number"])})
            continue
        if not doc_id:
            doc_sheet.fail(n, "id", _("văn bản cần mã (vd. LA-NTMNC-8151-2022)."))
            continue
        if doc_id in rows.documents:
            doc_sheet.fail(n, "id", _("mã văn bản “%(id)s” bị trùng (đã có ở dòng %(row)s).")
                           % {"id": doc_id, "row": rows.documents[doc_id]})
            continue
        rows.documents[doc_id] = n
        own: dict[str, Any] = {"id": doc_id}
        for col in DOCUMENT_COLUMNS[1:]:
            _put(own, col.key, doc_cells.convert(cells[col.key], col.kind, partial(doc_sheet.fail, n, col.key)))
        own_docs.append(own)
        documents[doc_id] = doc_id
        if own.get("number"):
            documents[fold(str(own["number"]))] = doc_id
    cells_of = _Cells(vocab, documents, scopes)

    def header_fail(row: int | None, key: str, message: str) -> None:
        errors.append(CellError(SET_SHEET, row, "D", f"{key}: {message}"))

    out: dict[str, Any] = {"schema": base.get("schema", 1)}
    for f in HEADER_FIELDS:
        if f.key == "kind" or f.applies not in ("both", kind) or f.key.startswith("source_"):
            continue
        header_row, raw = header_cells.get(f.key, (None, None))
        value = cells_of.convert(raw, f.kind, partial(header_fail, header_row, f.key))
        if f.key in ALWAYS[kind]:
            out[f.key] = value or None
        else:
            _put(out, f.key, value)
    header_source = {k: cells_of.convert(header_cells.get(k, (None, None))[1], f.kind,
                                         partial(header_fail, rows.header.get(k), k))
                     for f in HEADER_FIELDS if (k := f.key).startswith("source_")}
    source = _source(header_source)
    if source:
        out["source"] = source
    if layer and own_docs:
        out["documents"] = own_docs
    for key in ("id", "version"):
        if out.get(key) is not None:
            out[key] = str(out[key])
    if layer and out.get("demo") is None and "demo" in base:
        out["demo"] = base["demo"]

    # Criteria.
    crit_sheet = _Sheet(CRITERIA_SHEET, CRITERIA_COLUMNS, errors)
    criteria: dict[str, dict[str, Any]] = {}
    for n, cells in crit_sheet.rows(wb):
        code = text(cells["code"]) or text(cells["number"])
        if not code:
            crit_sheet.fail(n, "code", _("thiếu mã tiêu chí."))
            continue
        if code in criteria:
            crit_sheet.fail(n, "code", _("mã tiêu chí “%(code)s” bị trùng (đã có ở dòng %(row)s).")
                            % {"code": code, "row": rows.criteria[code]})
            continue
        rows.criteria[code] = n
        crit: dict[str, Any] = {}
        converted = _convert_row(cells, CRITERIA_COLUMNS, cells_of, crit_sheet, n)
        _put(crit, "number", converted["number"])
        crit["code"] = code
        for key in ("name_vi", "name_en", "group_vi", "key", "alternatives", "notes"):
            _put(crit, key, converted[key])
        if converted["key"] is False:
            crit["key"] = False
        _put(crit, "source", _source(converted))
        crit["indicators"] = []
        criteria[code] = crit

    # Indicators.
    ind_sheet = _Sheet(INDICATOR_SHEET, INDICATOR_COLUMNS, errors)
    indicators: dict[str, dict[str, Any]] = {}
    extra_indicators: list[dict[str, Any]] = []  # a layer's indicators under a base criterion
    for n, cells in ind_sheet.rows(wb):
        code, crit_code = text(cells["code"]), text(cells["criterion"])
        if not code:
            ind_sheet.fail(n, "code", _("thiếu mã chỉ tiêu."))
            continue
        if code in indicators:
            ind_sheet.fail(n, "code", _("mã chỉ tiêu “%(code)s” bị trùng (đã có ở dòng %(row)s).")
                           % {"code": code, "row": rows.indicators[code]})
            continue
        if not crit_code:
            ind_sheet.fail(n, "criterion", _("chỉ tiêu %(code)s: thiếu mã tiêu chí.") % {"code": code})
            continue
        if crit_code not in criteria and not layer:
            ind_sheet.fail(n, "criterion", _("chỉ tiêu %(code)s: tiêu chí “%(crit)s” không có ở trang “%(sheet)s”.")
                           % {"code": code, "crit": crit_code, "sheet": CRITERIA_SHEET})
            continue
        rows.indicators[code] = n
        converted = _convert_row(cells, INDICATOR_COLUMNS, cells_of, ind_sheet, n)
        ind: dict[str, Any] = {}
        if crit_code not in criteria:
            ind["criterion"] = crit_code
        ind["code"] = code
        for key in ("name_vi", "name_en"):
            _put(ind, key, converted[key])
        ind["unit"] = converted["unit"] or ""
        for key in ("comparison", "department", "min", "max", "years"):
            _put(ind, key, converted[key])
        if converted["derived"]:
            ind["derived"] = {"share_of_communes_meeting": converted["derived"]}
        _put(ind, "source", _source(converted))
        _put(ind, "notes", converted["notes"])
        indicators[code] = ind
        (criteria[crit_code]["indicators"] if crit_code in criteria else extra_indicators).append(ind)

    # Thresholds: one row per value.
    thr_sheet = _Sheet(THRESHOLD_SHEET, THRESHOLD_COLUMNS, errors)
    layer_thresholds: list[dict[str, Any]] = []
    for n, cells in thr_sheet.rows(wb):
        code = text(cells["indicator"])
        if not code:
            thr_sheet.fail(n, "indicator", _("thiếu mã chỉ tiêu."))
            continue
        if code not in indicators and not layer:
            thr_sheet.fail(n, "indicator", _("chỉ tiêu “%(code)s” không có ở trang “%(sheet)s”.")
                           % {"code": code, "sheet": INDICATOR_SHEET})
            continue
        rows.thresholds.setdefault(code, []).append(n)
        before = len(errors)
        converted = _convert_row(cells, THRESHOLD_COLUMNS, cells_of, thr_sheet, n, prefix=_(
            "chỉ tiêu %(code)s: ") % {"code": code})
        if len(errors) > before:
            continue
        entry: dict[str, Any] = {"scope": converted["scope"] or "*"}
        _put(entry, "year", converted["year"])
        entry["value"] = converted["value"]
        for key in ("status", "document", "urls", "note"):
            _put(entry, key, converted[key])
        if code in indicators:
            indicators[code].setdefault("thresholds", []).append(entry)
        else:
            layer_thresholds.append({"indicator": code, **entry})

    if layer:
        _put(out, "thresholds", layer_thresholds)
        _put(out, "indicators", extra_indicators)
        out["criteria"] = list(criteria.values())
        if not out["criteria"] and "criteria" not in base:
            del out["criteria"]
    else:
        out["criteria"] = list(criteria.values())
    for key, value in base.items():  # what the workbook does not carry (e.g. a future key) is kept
        if key not in out and key not in {f.key for f in HEADER_FIELDS} | {
                "source", "documents", "thresholds", "indicators", "criteria"}:
            out[key] = value
    ordered = _ordered(out, layer)
    text_ = yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=120)
    return ReadBook(text_, errors, rows, str(out.get("id") or ""), str(out.get("version") or ""),
                    meta.get("version"), layer, base_text or "")


def _convert_row(cells: dict[str, Any], columns: tuple[Column, ...], conv: _Cells, sheet: _Sheet, n: int,
                 prefix: str = "") -> dict[str, Any]:
    def fail(key: str, message: str) -> None:
        sheet.fail(n, key, prefix + message)

    return {c.key: conv.convert(cells.get(c.key), c.kind, partial(fail, c.key)) for c in columns if c.kind != "read"}


_SET_ORDER = ("schema", "id", "version", "base", "provinces", "level", "unit_kind", "name_vi", "name_en", "document",
              "documents", "amended_by", "effective_from", "effective_to", "demo", "dimension", "source",
              "remove_indicators", "notes", "thresholds", "indicators", "criteria")


def _ordered(out: dict[str, Any], layer: bool) -> dict[str, Any]:
    ordered = {k: out[k] for k in _SET_ORDER if k in out}
    ordered.update({k: v for k, v in out.items() if k not in ordered})
    return ordered


# --- Problems back on their rows ----------------------------------------------------------------------

_INDICATOR_COLUMN = (("unit", "unit"), ("comparison", "comparison"), ("department", "department"),
                     ("source", "source_status"), ("name_vi", "name_vi"), ("name_en", "name_en"),
                     ("duplicated", "code"), ("document", "source_document"))
_THRESHOLD_WORDS = ("threshold", "region/group", "year", "met/not-met")


def locate(problems: Iterable[Problem], rows: RowIndex) -> list[CellError]:
    """Loader problems (file, criterion, indicator) as located cell errors."""
    lang = "en" if (get_language() or "vi").startswith("en") else "vi"
    out = []
    for p in problems:
        message = p.message_en if lang == "en" else p.message_vi
        en = p.message_en
        if p.indicator and (p.indicator in rows.indicators or p.indicator in rows.thresholds):
            prefix = _("chỉ tiêu %(code)s: ") % {"code": p.indicator}
            if any(w in en for w in _THRESHOLD_WORDS) and p.indicator in rows.thresholds:
                out.append(CellError(THRESHOLD_SHEET, rows.thresholds[p.indicator][0],
                                     col_of(THRESHOLD_COLUMNS, "scope" if "region/group" in en else "value"),
                                     prefix + message))
                continue
            if p.indicator in rows.indicators:
                key = next((k for word, k in _INDICATOR_COLUMN if word in en), "code")
                out.append(CellError(INDICATOR_SHEET, rows.indicators[p.indicator], col_of(INDICATOR_COLUMNS, key),
                                     prefix + message))
                continue
        if p.criterion and p.criterion in rows.criteria:
            key = "alternatives" if "alternative" in en else "source_status" if "source" in en else (
                "code" if "duplicated" in en or "indicator" in en else "name_vi" if "name" in en else "code")
            out.append(CellError(CRITERIA_SHEET, rows.criteria[p.criterion], col_of(CRITERIA_COLUMNS, key),
                                 _("tiêu chí %(code)s: ") % {"code": p.criterion} + message))
            continue
        if p.indicator:
            out.append(CellError(INDICATOR_SHEET, None, "", _("chỉ tiêu %(code)s: ") % {"code": p.indicator}
                                 + message))
            continue
        field_key = next((f.key for f in HEADER_FIELDS if f'"{f.key}"' in en or f.key in en.split()), "")
        if not field_key and "document" in en:
            field_key = "document"
        if not field_key and "source" in en:
            field_key = "source_status"
        out.append(CellError(SET_SHEET, rows.header.get(field_key), "D" if field_key else "", message))
    return out


def text_from_workbook(data: bytes, base_text: str | None = None, *, common_text: str | None = None
                       ) -> tuple[str, list[CellError]]:
    """The YAML text of the set or layer a filled workbook holds, and every problem (sheet, row, column).
    A national set is also judged by the loader here; a layer is judged with its base when it is stored
    (`ntm.catalogs.actions.check_text`; map its problems with `locate`)."""
    book = read_book(data, base_text, common_text=common_text)
    return book.text, check_book(book, common_text=common_text)


def check_book(book: ReadBook, *, common_text: str | None = None) -> list[CellError]:
    problems = list(book.problems)
    if problems or not book.text or book.layer:
        return problems
    if common_text is None:
        from .catalog_store import common_text as read_common

        common_text = read_common()
    vocab, _p = parse_common(common_text)
    _set, found = parse_set(book.text, f"{book.set_id}@{book.version}.yaml", vocab)
    return locate(found, book.rows)


# --- Versions -----------------------------------------------------------------------------------------


def bump(version: str) -> str:
    """"2024.1" → "2024.2"; "3" → "4"; "2024.1-local" → "2024.1-local.1"."""
    head, _sep, last = version.rpartition(".")
    if last.isdigit():
        return f"{head}.{int(last) + 1}" if head else str(int(last) + 1)
    return f"{version}.1"


def with_version(text_: str, version: str) -> str:
    """The same text with another version number (the rest untouched)."""
    raw = _yaml_load(text_)
    raw["version"] = version
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=120)
