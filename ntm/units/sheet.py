"""The province's decision list as a workbook: a template with its communes prefilled, and reading an
uploaded list (code or name → group, optional flags) into assignments, every problem named by sheet,
row and column. Reading writes nothing: `actions.classify_many` applies the whole list or none of it."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ntm.workbooks.opening import CellError, WorkbookUnreadable, open_workbook, text
from ntm.workbooks.safe_cells import protect_workbook

from .actions import parse_group
from .models import Attribute, Unit
from .text import fold, split_prefix

MAX_ROWS = 5000
HEADER_SCAN = 15  # the header may sit under a title, as in a province's decision annex

# Column title (folded) → what it holds. Flags match anywhere in a title ("Là xã miền núi"); the others
# when the title equals the key or starts with it ("Nhóm xã (1/2/3)").
_FLAG_TITLES: tuple[tuple[str, str], ...] = (
    ("dac biet kho khan", "specially_disadvantaged"), ("mien nui", "mountain"), ("hai dao", "island"),
    ("ven bien", "coastal"), ("bai ngang", "coastal"),
)
_TITLES: tuple[tuple[str, str], ...] = (
    ("ma xa", "code"), ("ma don vi", "code"), ("ma dvhc", "code"), ("ma", "code"), ("code", "code"),
    ("ten xa", "name"), ("ten don vi", "name"), ("ten", "name"), ("xa", "name"), ("name", "name"),
    ("commune", "name"), ("nhom", "commune_group"), ("group", "commune_group"),
)
FLAGS = ("specially_disadvantaged", "mountain", "island", "coastal")
_YES = {"x", "co", "1", "true", "yes", "dung", "v"}
_NO = {"khong", "0", "false", "no", "sai", "-"}


@dataclass(frozen=True)
class Assignment:
    row: int
    unit_id: int
    unit_name: str
    attribute: str
    old: object
    new: object

    @property
    def changes(self) -> bool:
        return self.old != self.new


@dataclass
class ReadList:
    assignments: list[Assignment] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    rows: int = 0  # data rows read

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.assignments)


def _column_of(title: str) -> str | None:
    folded = fold(title)
    for key, what in _FLAG_TITLES:
        if key in folded:
            return what
    for key, what in _TITLES:
        if folded == key or folded.startswith(key + " ") or folded.startswith(key + "("):
            return what
    return None


def template_workbook(province: Unit, communes: Sequence[Unit]) -> bytes:
    """One sheet: code, name, group (1/2/3) and the flags, prefilled with the current values."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Nhom xa"
    ws["A1"] = _("Danh sách xếp nhóm xã — %(province)s") % {"province": province.full_name}
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = _("Điền nhóm 1, 2 hoặc 3 theo quyết định của tỉnh; đánh dấu x ở các cột đặc điểm (để trống: "
                 "giữ nguyên, ghi “không”: bỏ). Có thể dán danh sách từ phụ lục quyết định: chỉ cần cột mã "
                 "hoặc tên xã và cột nhóm.")
    headers = [_("Mã xã"), _("Tên xã"), _("Nhóm xã (1/2/3)"), _("Đặc biệt khó khăn"), _("Miền núi"),
               _("Hải đảo"), _("Ven biển")]
    fill = PatternFill("solid", fgColor="D9E1F2")
    for col, label in enumerate(headers, start=1):
        cell = ws.cell(row=4, column=col, value=label)
        cell.font = Font(bold=True)
        cell.fill = fill
    for row, unit in enumerate(communes, start=5):
        ws.cell(row=row, column=1, value=unit.code)
        ws.cell(row=row, column=2, value=unit.full_name)
        ws.cell(row=row, column=3, value=int(unit.commune_group[1]) if unit.commune_group else None)
        for col, flag in enumerate(FLAGS, start=4):
            ws.cell(row=row, column=col, value="x" if getattr(unit, flag) else None)
    for col, width in enumerate([10, 32, 16, 18, 12, 12, 12], start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A5"
    out = io.BytesIO()
    protect_workbook(wb).save(out)
    return out.getvalue()


def _flag(raw: object) -> bool | None | str:
    """True, False, None (blank: unchanged) or "?" (unreadable)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        return raw
    value = fold(text(raw))
    if value in _YES:
        return True
    if value in _NO:
        return False
    return "?"


class _Communes:
    """The province's communes found by code or name (with or without diacritics and prefix)."""

    def __init__(self, communes: Sequence[Unit]) -> None:
        self.by_code: dict[str, Unit] = {u.code.lstrip("0"): u for u in communes}
        self.by_name: dict[str, list[Unit]] = defaultdict(list)
        for u in communes:
            self.by_name[u.search_name].append(u)

    def by_text(self, name: str) -> list[Unit]:
        prefix, bare = split_prefix(name)
        found = self.by_name.get(fold(name), []) or self.by_name.get(bare, [])
        if prefix:
            found = [u for u in found if fold(u.division_type) == prefix] or found
        return found


def read_list(data: bytes, communes: Sequence[Unit], province_name: str) -> ReadList:
    out = ReadList()
    try:
        wb = open_workbook(data)
    except WorkbookUnreadable as exc:
        out.errors.append(CellError("", None, "", str(exc)))
        return out
    ws = wb.worksheets[0]
    sheet = ws.title
    rows = ws.iter_rows(values_only=True, max_row=MAX_ROWS + HEADER_SCAN)
    columns: dict[str, int] = {}
    header_row = 0
    for number, values in enumerate(rows, start=1):
        found = {}
        for index, heading in enumerate(values):
            what = _column_of(text(heading)) if isinstance(heading, str) else None
            if what and what not in found:
                found[what] = index
        if "commune_group" in found or ("code" in found or "name" in found) and any(f in found for f in FLAGS):
            columns, header_row = found, number
            break
        if number >= HEADER_SCAN:
            break
    if not header_row:
        out.errors.append(CellError(sheet, None, "", _(
            "không tìm thấy dòng tiêu đề (trong %(n)s dòng đầu) có cột “Nhóm xã” và cột “Mã xã” hoặc “Tên xã”. "
            "Hãy dùng biểu mẫu tải từ trang này.") % {"n": HEADER_SCAN}))
        return out
    if "code" not in columns and "name" not in columns:
        out.errors.append(CellError(sheet, header_row, "", _("thiếu cột “Mã xã” hoặc “Tên xã”.")))
        return out
    lookup = _Communes(communes)
    seen: dict[int, int] = {}
    letter = {what: get_column_letter(index + 1) for what, index in columns.items()}

    def cell(values: tuple, what: str):
        index = columns.get(what)
        return values[index] if index is not None and index < len(values) else None

    for number, values in enumerate(rows, start=header_row + 1):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        out.rows += 1
        if out.rows > MAX_ROWS:
            out.errors.append(CellError(sheet, number, "", _("quá %(n)s dòng.") % {"n": MAX_ROWS}))
            break
        code, name = text(cell(values, "code")).lstrip("0"), text(cell(values, "name"))
        unit = None
        if code:
            unit = lookup.by_code.get(code)
            if unit is None:
                out.errors.append(CellError(sheet, number, letter["code"], _(
                    "không có xã mã %(code)s trong %(province)s.") % {"code": code, "province": province_name}))
                continue
            if name and unit not in lookup.by_text(name):
                out.errors.append(CellError(sheet, number, letter["name"], _(
                    "mã %(code)s là %(unit)s, không phải “%(name)s”.") % {
                    "code": code, "unit": unit.full_name, "name": name}))
                continue
        elif name:
            matches = lookup.by_text(name)
            if not matches:
                out.errors.append(CellError(sheet, number, letter["name"], _(
                    "không có xã tên “%(name)s” trong %(province)s.") % {"name": name, "province": province_name}))
                continue
            if len(matches) > 1:
                out.errors.append(CellError(sheet, number, letter["name"], _(
                    "có %(n)s xã tên “%(name)s” (mã %(codes)s); hãy ghi mã xã.") % {
                    "n": len(matches), "name": name, "codes": ", ".join(u.code for u in matches)}))
                continue
            unit = matches[0]
        else:  # one of the two columns is there (checked above)
            column = letter.get("code") or letter["name"]
            out.errors.append(CellError(sheet, number, column, _("thiếu mã hoặc tên xã.")))
            continue
        if unit.pk in seen:
            out.errors.append(CellError(sheet, number, letter.get("code") or letter["name"], _(
                "%(unit)s đã có ở dòng %(row)s.") % {"unit": unit.full_name, "row": seen[unit.pk]}))
            continue
        seen[unit.pk] = number
        if "commune_group" in columns:
            raw = cell(values, "commune_group")
            group = parse_group(raw)
            if group is None:
                out.errors.append(CellError(sheet, number, letter["commune_group"], _(
                    "“%(value)s” không phải nhóm xã; ghi 1, 2 hoặc 3.") % {"value": text(raw)}))
            elif group:
                out.assignments.append(Assignment(number, unit.pk, unit.full_name, Attribute.GROUP.value,
                                                  unit.commune_group, group))
        for flag in FLAGS:
            if flag not in columns:
                continue
            value = _flag(cell(values, flag))
            if value == "?":
                out.errors.append(CellError(sheet, number, letter[flag], _(
                    "“%(value)s” không đọc được; ghi x (có) hoặc “không”, hoặc để trống.") % {
                    "value": text(cell(values, flag))}))
            elif value is not None:
                out.assignments.append(Assignment(number, unit.pk, unit.full_name, flag, getattr(unit, flag), value))
    if not out.errors and not out.assignments:
        out.errors.append(CellError(sheet, None, "", _("không có dòng nào ghi nhóm xã hay đặc điểm.")))
    return out
