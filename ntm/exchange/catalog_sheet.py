"""Completing the catalog through Excel: a set's thresholds as rows (gaps marked), and a filled sheet
turned back into the YAML text of a new version of the set. The loader's own `parse_set` judges the
result, so the rules live in one place (ntm/core/loader.py); this module only maps its problems back
to sheet rows. Pure: texts and bytes in, texts and problems out."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml
from django.utils.translation import gettext as _

from ntm.core.catalog import ANY, CriteriaSet, SourceStatus
from ntm.core.loader import Vocabulary, parse_common, parse_set
from ntm.evaluation import presenters
from ntm.figures.parsing import NumberUnreadable
from ntm.units.text import fold

from . import layout as L
from .xlsx_read import CellError, WorkbookUnreadable, number, open_workbook, read_meta, text


@dataclass(frozen=True)
class ThresholdRow:
    criterion: str
    criterion_name: str
    indicator: str
    indicator_name: str
    measure: str
    comparison: str
    scope: str
    year: int | None
    value: Decimal | None
    status: str  # "official", "provisional" or "missing"
    document: str  # the document's number, e.g. "318/QĐ-TTg"
    urls: str
    note: str

    @property
    def gap(self) -> str:
        return "" if self.status == "official" else self.status

    @property
    def status_label(self) -> str:
        return presenters.source_status_label(self.status)


def threshold_rows(cset: CriteriaSet, vocab: Vocabulary) -> list[ThresholdRow]:
    out = []
    for crit in cset.criteria:
        for ind in crit.indicators:
            for t in ind.thresholds:
                status = "missing" if t.missing else t.source.status.value
                doc = vocab.documents.get(t.source.document or "")
                out.append(ThresholdRow(
                    crit.code, crit.name_vi, ind.code, ind.name_vi, ind.unit, ind.comparison.value, t.scope, t.year,
                    t.value, status, doc.number if doc else (t.source.document or ""), "\n".join(t.source.urls),
                    t.source.note))
    return out


# --- Reading a filled sheet ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetThreshold:
    row: int
    criterion: str
    indicator: str
    entry: dict[str, Any]  # the threshold as the YAML file writes it


@dataclass(frozen=True)
class CatalogSheet:
    set_id: str
    version: str
    thresholds: tuple[SheetThreshold, ...]
    errors: tuple[CellError, ...]


_STATUS = {
    "chinh thuc": "official", "official": "official",
    "tam tinh": "provisional", "provisional": "provisional",
    "": "missing", "missing": "missing", "thieu": "missing", "chua co": "missing",
    "chua co nguong chinh thuc": "missing",
}


def read_catalog_workbook(data: bytes, vocab: Vocabulary) -> CatalogSheet:
    try:
        wb = open_workbook(data)
    except WorkbookUnreadable as exc:
        return CatalogSheet("", "", (), (CellError("?", None, "", str(exc)),))
    try:
        meta = read_meta(wb)
        if meta is None or meta.kind != "catalog" or L.CATALOG_SHEET not in wb.sheetnames:
            return CatalogSheet("", "", (), (CellError(L.META_SHEET, None, "", _(
                "tệp này không phải bảng ngưỡng tải từ NTM Tracker. Hãy tải bảng của bộ tiêu chí, điền rồi tải "
                "lên.")),))
        errors: list[CellError] = []
        found: list[SheetThreshold] = []
        ws = wb[L.CATALOG_SHEET]
        width = len(L.CATALOG_COLUMNS)
        for n, values in enumerate(ws.iter_rows(min_row=L.FIRST_ROW, max_row=5000, max_col=width, values_only=True),
                                   L.FIRST_ROW):
            row = tuple(values) + (None,) * (width - len(values))
            if all(text(c) == "" for c in row):
                continue
            item = _threshold(n, row, vocab, errors)
            if item is not None:
                found.append(item)
        return CatalogSheet(meta.get("set"), meta.get("version"), tuple(found), tuple(errors))
    finally:
        wb.close()


def _cell(row: tuple, column: str) -> Any:
    return row[L.index(column)]


def _threshold(n: int, row: tuple, vocab: Vocabulary, errors: list[CellError]) -> SheetThreshold | None:
    crit, code = text(_cell(row, L.C_CRITERION)), text(_cell(row, L.C_INDICATOR))
    where = _("tiêu chí %(crit)s, chỉ tiêu %(code)s: ") % {"crit": crit, "code": code}
    before = len(errors)

    def fail(column: str, message: str) -> None:
        errors.append(CellError(L.CATALOG_SHEET, n, column, where + message))

    try:
        value = number(_cell(row, L.C_VALUE))
    except NumberUnreadable as exc:
        fail(L.C_VALUE, str(exc))
        value = None
    year_text = text(_cell(row, L.C_YEAR))
    if year_text and not year_text.isdigit():
        fail(L.C_YEAR, _("năm “%(raw)s” phải là số năm (vd. 2024) hoặc để trống.") % {"raw": year_text})
    status_text = text(_cell(row, L.C_STATUS))
    status = _STATUS.get(fold(status_text))
    if status is None:
        fail(L.C_STATUS, _("trạng thái “%(raw)s” không hiểu được; ghi “chính thức” hoặc “tạm tính” (để trống khi "
                           "chưa có số).") % {"raw": status_text})
    elif value is None and status != "missing" and not errors[before:]:
        fail(L.C_VALUE, _("trạng thái “%(raw)s” cần một giá trị.") % {"raw": status_text})
    elif value is not None and status == "missing":
        fail(L.C_STATUS, _("đã có giá trị: ghi trạng thái “chính thức” (kèm văn bản) hoặc “tạm tính” (kèm ghi chú)."))
    if len(errors) > before:
        return None
    entry: dict[str, Any] = {"scope": text(_cell(row, L.C_SCOPE)) or ANY}
    if year_text:
        entry["year"] = int(year_text)
    entry["value"] = None if value is None else _yaml_number(value)
    if value is not None:
        entry["status"] = status
    document = _document_id(text(_cell(row, L.C_DOCUMENT)), vocab)
    urls = [u for u in re.split(r"[\s;]+", text(_cell(row, L.C_URLS))) if u]
    if status == SourceStatus.OFFICIAL and document in vocab.documents and not urls:
        urls = list(vocab.documents[document].urls)  # read in the document itself: its own addresses
    for key, item in (("document", document), ("urls", urls), ("note", text(_cell(row, L.C_NOTE)))):
        if item:
            entry[key] = item
    return SheetThreshold(n, crit, code, entry)


def _document_id(typed: str, vocab: Vocabulary) -> str:
    """A document id ("QD-318-TTg-2022") or its number as printed ("318/QĐ-TTg")."""
    if not typed or typed in vocab.documents:
        return typed
    for doc in vocab.documents.values():
        if fold(doc.number) == fold(typed):
            return doc.id
    return typed


def _yaml_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# --- The new version ----------------------------------------------------------------------------------


def bump(version: str) -> str:
    """"2024.1" → "2024.2"; "3" → "4"; "2024.1-local" → "2024.1-local.1"."""
    head, _sep, last = version.rpartition(".")
    if last.isdigit():
        return f"{head}.{int(last) + 1}" if head else str(int(last) + 1)
    return f"{version}.1"


@dataclass(frozen=True)
class NewVersion:
    set_id: str
    version: str
    text: str
    file_name: str
    changed: int  # indicators whose thresholds differ from the base version
    errors: tuple[str, ...]


def new_version(base_text: str, base_file: str, common_text: str, sheet: CatalogSheet) -> NewVersion:
    """The base set's YAML with the sheet's thresholds in place of each indicator's, version bumped,
    then judged by the loader; its problems come back with the sheet rows they concern."""
    raw = yaml.safe_load(base_text)
    version = bump(str(raw["version"]))
    file_name = f"{raw['id']}@{version}.yaml"
    errors = [str(e) for e in sheet.errors]
    if sheet.set_id != raw["id"]:
        errors.append(_("Bảng ngưỡng thuộc bộ “%(got)s”, không phải “%(want)s”.") % {"got": sheet.set_id,
                                                                                      "want": raw["id"]})
    elif sheet.version != str(raw["version"]):
        errors.append(_("Bảng được tải từ phiên bản %(got)s; bộ tiêu chí nay đã ở phiên bản %(now)s. Hãy tải bảng "
                        "mới và điền lại.") % {"got": sheet.version, "now": raw["version"]})
    rows_of, changed = _replace_thresholds(raw, sheet, errors)
    if errors:
        return NewVersion(raw["id"], version, "", file_name, 0, tuple(errors))
    raw["version"] = version
    text_ = (f"# {raw['id']} version {version}: completed locally from an Excel sheet (based on version "
             f"{sheet.version}, {base_file}).\n" + yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=120))
    vocab, problems = parse_common(common_text)
    _set, found = parse_set(text_, file_name, vocab)
    for p in problems + found:
        rows = rows_of.get((p.criterion, p.indicator)) or rows_of.get((p.criterion, "")) or []
        where = (_("Sheet '%(sheet)s', dòng %(rows)s: ") % {"sheet": L.CATALOG_SHEET,
                                                           "rows": ", ".join(map(str, rows))}) if rows else ""
        errors.append(where + p.render("vi"))
    return NewVersion(raw["id"], version, text_, file_name, changed, tuple(errors))


def _replace_thresholds(raw: dict, sheet: CatalogSheet, errors: list[str]
                        ) -> tuple[dict[tuple[str, str], list[int]], int]:
    by_indicator: dict[str, list[SheetThreshold]] = defaultdict(list)
    for t in sheet.thresholds:
        by_indicator[t.indicator].append(t)
    rows_of: dict[tuple[str, str], list[int]] = {}
    changed = 0
    known: dict[str, str] = {}
    for crit in raw.get("criteria") or []:
        crit_code = str(crit.get("code") or crit.get("number"))
        for ind in crit.get("indicators") or []:
            code = str(ind.get("code"))
            known[code] = crit_code
            if code not in by_indicator:
                continue
            rows = by_indicator[code]
            rows_of[(crit_code, code)] = [t.row for t in rows]
            rows_of.setdefault((crit_code, ""), []).extend(t.row for t in rows)
            new = [t.entry for t in rows]
            changed += new != (ind.get("thresholds") or [])
            ind["thresholds"] = new
    for code, rows in by_indicator.items():
        for t in rows:
            if code not in known:
                errors.append(str(CellError(L.CATALOG_SHEET, t.row, L.C_INDICATOR, _(
                    "chỉ tiêu “%(code)s” không có trong bộ tiêu chí.") % {"code": code})))
            elif t.criterion and t.criterion != known[code]:
                errors.append(str(CellError(L.CATALOG_SHEET, t.row, L.C_CRITERION, _(
                    "chỉ tiêu %(code)s thuộc tiêu chí %(right)s, không phải %(typed)s.") % {
                    "code": code, "right": known[code], "typed": t.criterion})))
    return rows_of, changed
