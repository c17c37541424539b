"""What an uploaded figures workbook would change: old → new per commune and indicator, or the list of
every row that cannot be taken. Pure: read rows, the catalog and the current figures in; a `Plan` out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.utils.translation import gettext as _

from ntm.core.catalog import Catalog, CriteriaSet, Indicator
from ntm.figures.parsing import bound_symbol
from ntm.units.text import fold

from . import layout as L
from .xlsx_read import CellError, FigureRow


@dataclass(frozen=True)
class UnitInfo:
    key: str
    name: str
    scope: str  # region or commune group selecting the thresholds
    province: str = ""  # province key: which province layers apply (Catalog.resolve)


class Current(NamedTuple):  # Current and Change are tuples: a district's plan holds 10,000 of each
    value: Decimal | None
    verdict: bool | None
    note: str = ""
    judged_by: str = ""
    bound: str = ""  # see ntm.core.engine.Figure

    @property
    def bound_symbol(self) -> str:
        return bound_symbol(self.bound)

    @property
    def compared(self) -> tuple:
        """What makes two figures the same for an import: a changed note or bound is a change."""
        return (self.value, self.bound, self.verdict, self.note)


class Change(NamedTuple):
    unit_key: str
    unit_name: str
    indicator: str
    indicator_name: str
    measure: str
    old: Current | None
    new: Current
    sheet: str
    row: int


@dataclass(frozen=True)
class Plan:
    set_id: str
    year: int
    changes: tuple[Change, ...] = ()
    unchanged: int = 0
    errors: tuple[CellError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict:
        """Kept between preview and confirmation: strings and numbers only, column by column (a few long lists
        read back faster, and leave less for the garbage collector, than 10,000 small ones), each commune's
        and indicator's names once."""
        changes = self.changes
        olds = [c.old for c in changes]
        columns = {"unit": [c.unit_key for c in changes], "indicator": [c.indicator for c in changes],
                   "sheet": [c.sheet for c in changes], "row": [c.row for c in changes],
                   "old": [old is not None for old in olds]}
        for n, name in enumerate(Current._fields):
            columns[f"old_{name}"] = _column(n, olds)
            columns[f"new_{name}"] = _column(n, [c.new for c in changes])
        return {"set_id": self.set_id, "year": self.year, "unchanged": self.unchanged,
                "units": {c.unit_key: c.unit_name for c in changes},
                "indicators": {c.indicator: [c.indicator_name, c.measure] for c in changes}, "columns": columns}

    @classmethod
    def from_json(cls, data: Mapping) -> Plan:
        if "columns" not in data:  # kept by an earlier version (a queued import)
            return cls(data["set_id"], int(data["year"]), tuple(_change_from(c) for c in data["changes"]),
                       int(data["unchanged"]))
        units, indicators, columns = data["units"], data["indicators"], data["columns"]
        olds = map(_old, columns["old"], *(columns[f"old_{name}"] for name in Current._fields))
        news = map(_new, *(columns[f"new_{name}"] for name in Current._fields))
        changes = tuple(Change(key, units[key], code, indicators[code][0], indicators[code][1], old, new, sheet, row)
                        for key, code, old, new, sheet, row in zip(columns["unit"], columns["indicator"], olds, news,
                                                                    columns["sheet"], columns["row"], strict=True))
        return cls(data["set_id"], int(data["year"]), changes, int(data["unchanged"]))


def _column(n: int, figures: list[Current | None]) -> list:
    if n == 0:  # the value: a Decimal as its text
        return [None if f is None or f.value is None else str(f.value) for f in figures]
    return [None if f is None else f[n] for f in figures]


def _new(value, *rest) -> Current:
    return Current(None if value is None else Decimal(value), *rest)


def _old(present: bool, value, *rest) -> Current | None:
    return _new(value, *rest) if present else None


def _current_from(d: dict | None) -> Current | None:
    return None if d is None else _current(d)


def _current(d: dict) -> Current:
    return Current(None if d["value"] is None else Decimal(d["value"]), d["verdict"], d["note"], d["judged_by"],
                   d.get("bound", ""))


def _change_from(d: dict) -> Change:
    return Change(d["unit_key"], d["unit_name"], d["indicator"], d["indicator_name"], d["measure"],
                  _current_from(d["old"]), _current(d["new"]), d["sheet"], d["row"])


def plan_changes(rows: tuple[FigureRow, ...], catalog: Catalog, *, set_id: str, year: int,
                 units: Mapping[str, UnitInfo], sheets: Mapping[str, str],
                 current: Mapping[tuple[str, str], Current], read_errors: tuple[CellError, ...] = ()) -> Plan:
    """`units`: the communes this upload may change; `sheets`: sheet name → the commune it was made for;
    `current`: (commune key, indicator) → the figure stored now."""
    cset = catalog.get(set_id)
    by_province: dict[str, dict[str, Indicator]] = {}  # the set as it applies in each province
    for province in dict.fromkeys(u.province for u in units.values()):  # each once, in order
        applied = catalog.resolve(set_id, province, year)
        by_province[province] = {i.code: i for i in applied.indicators}
    errors = list(read_errors)
    folded = _Folded()
    changes: list[Change] = []
    unchanged = 0
    seen: dict[tuple[str, str], FigureRow] = {}
    for row in rows:
        info = units.get(row.unit_key)
        indicators = by_province[info.province] if info else {i.code: i for i in cset.indicators}
        problem = _problem(row, cset, indicators, units, sheets, seen, year, folded)
        if problem:
            errors.append(CellError(row.sheet, row.row, *problem))
            continue
        seen[(row.unit_key, row.indicator)] = row
        old = current.get((row.unit_key, row.indicator))
        new = _new_figure(row, old)
        if old is not None and old.compared == new.compared:
            unchanged += 1
            continue
        ind, unit = indicators[row.indicator], units[row.unit_key]
        changes.append(Change(unit.key, unit.name, ind.code, ind.name_vi, ind.unit, old, new, row.sheet, row.row))
    errors.sort(key=lambda e: (e.sheet, e.row or 0, e.column))
    return Plan(set_id, year, tuple(changes), unchanged, tuple(errors))


class _Folded(dict):
    """`fold(text)` once per distinct text (a unit of measure repeats on every row)."""

    def __missing__(self, text: str) -> str:
        self[text] = found = fold(text)
        return found


def _new_figure(row: FigureRow, old: Current | None) -> Current:
    """An empty note keeps the note already stored; a verdict kept as it was keeps who judged it."""
    note = row.note or (old.note if old else "")
    judged_by = old.judged_by if old and old.verdict == row.verdict else ""
    return Current(row.value, row.verdict, note, judged_by, row.bound)


def _problem(row: FigureRow, cset: CriteriaSet, indicators: Mapping[str, Indicator],
             units: Mapping[str, UnitInfo], sheets: Mapping[str, str],
             seen: Mapping[tuple[str, str], FigureRow], year: int, folded: _Folded) -> tuple[str, str] | None:
    """(column, message) for the first thing wrong with the row, or None."""
    expected = sheets.get(row.sheet, "")
    if row.unit_key not in units or (expected and row.unit_key != expected):
        where = units[expected].name if expected in units else ", ".join(u.name for u in units.values())
        return L.UNIT_KEY, _("mã xã “%(key)s” không phải xã của trang này (%(where)s); không sửa cột mã xã.") % {
            "key": row.unit_key, "where": where}
    ind = indicators.get(row.indicator)
    if ind is None:
        return L.INDICATOR, _("chỉ tiêu “%(code)s” không có trong bộ tiêu chí %(set)s.") % {
            "code": row.indicator, "set": cset.id}
    if ind.derived is not None:
        return L.INDICATOR, _("chỉ tiêu %(code)s được tính tự động, không nhập.") % {"code": ind.code}
    if (row.unit_key, row.indicator) in seen:
        first = seen[(row.unit_key, row.indicator)]
        return L.INDICATOR, _("chỉ tiêu %(code)s đã có ở dòng %(row)s; mỗi chỉ tiêu chỉ một dòng.") % {
            "code": ind.code, "row": first.row}
    if row.measure and folded[row.measure] != folded[ind.unit]:
        return L.MEASURE, _("đơn vị tính “%(typed)s” khác với danh mục (“%(unit)s”) của chỉ tiêu %(code)s; "
                            "hãy đổi số liệu về đúng đơn vị.") % {"typed": row.measure, "unit": ind.unit,
                                                                   "code": ind.code}
    if row.value is None and row.verdict is None:
        return L.NOTE, _("có ghi chú nhưng chưa nhập giá trị hoặc kết luận.")
    return _value_problem(row, ind, units[row.unit_key].scope, year)


def _value_problem(row: FigureRow, ind: Indicator, scope: str, year: int) -> tuple[str, str] | None:
    if row.verdict is not None and ind.comparison.is_numeric:
        threshold = ind.threshold_for(scope, year)
        if threshold is not None and not threshold.missing:
            return L.NEW_VERDICT, _("chỉ tiêu %(code)s có ngưỡng số: nhập giá trị ở cột %(col)s; kết luận chỉ dùng "
                                    "khi chưa có ngưỡng chính thức.") % {"code": ind.code, "col": L.NEW_VALUE}
    if row.value is not None and not ind.comparison.is_numeric:
        return L.NEW_VALUE, _("chỉ tiêu %(code)s chỉ nhận kết luận Đạt/Chưa đạt (cột %(col)s), không nhận số.") % {
            "code": ind.code, "col": L.NEW_VERDICT}
    if row.value is not None:
        low, high = ind.minimum, ind.maximum
        if (low is not None and row.value < low) or (high is not None and row.value > high):
            return L.NEW_VALUE, _("giá trị %(value)s nằm ngoài khoảng cho phép %(low)s–%(high)s.") % {
                "value": row.value, "low": "" if low is None else low, "high": "" if high is None else high}
        if (row.bound == ">" and high is not None and row.value >= high) or (
                row.bound == "<" and low is not None and row.value <= low):
            return L.NEW_VALUE, _("“%(shown)s” không thể xảy ra, vì giá trị chỉ nằm trong khoảng %(low)s–%(high)s.") % {
                "shown": f"{row.bound} {row.value}", "low": "" if low is None else low,
                "high": "" if high is None else high}
    return None
