"""Plain report data built from stored results: what the PDF and DOCX renderers draw, no ORM inside them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ntm.core.catalog import UnitKind
from ntm.evaluation.actions import valid_in
from ntm.evaluation.catalog_source import get_catalog
from ntm.evaluation.models import CriterionResult, UnitResult
from ntm.evaluation.presenters import status_label
from ntm.evaluation.report import evaluate_unit
from ntm.figures.models import Figure
from ntm.units.models import Kind, Unit

LEVEL_NAMES = {"ntm": "nông thôn mới", "ntmnc": "nông thôn mới nâng cao", "model": "nông thôn mới kiểu mẫu"}


@dataclass(frozen=True)
class Header:
    issuer_parent: str  # e.g. "UBND HUYỆN TÂN TRỤ"
    issuer: str  # e.g. "VĂN PHÒNG ĐIỀU PHỐI NTM"
    number: str  # "Số: …/BC-UBND"
    place: str
    dated: str  # "ngày 05 tháng 02 năm 2026"
    title: str
    subtitle: str


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    value: str
    threshold: str
    verdict: str


@dataclass(frozen=True)
class CriterionRow:
    code: str
    name: str
    status: str
    met: bool
    indicators: tuple[IndicatorRow, ...]


@dataclass(frozen=True)
class CommuneReport:
    header: Header
    unit_name: str
    set_name: str
    document: str
    year: int
    met: int
    total: int
    unmet_names: tuple[str, ...]
    criteria: tuple[CriterionRow, ...]
    history: tuple[tuple[int, int, int], ...]  # (year, met, total)
    demo: bool


@dataclass(frozen=True)
class MatrixRow:
    name: str
    met: int
    total: int
    cells: tuple[str, ...]  # "Đạt" / "Chưa đạt" / "—" per criterion


@dataclass(frozen=True)
class DistrictReport:
    header: Header
    unit_name: str
    set_name: str
    document: str
    year: int
    criteria: tuple[tuple[str, str], ...]  # (code, name)
    rows: tuple[MatrixRow, ...]
    reached: int
    demo: bool


def official_date(day: date) -> str:
    """Decree 30/2020: "ngày 05 tháng 02 năm 2026" — a zero before days under 10 and months 1 and 2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def _fmt(value) -> str:
    from ntm.evaluation.presenters import number

    return "" if value is None else number(value)


def commune_report(commune: Unit, *, level: str, year: int, today: date) -> CommuneReport:
    ev = evaluate_unit(commune, level=level, year=year)
    cset, catalog = ev.cset, ev.catalog
    inds = {i.code: i for i in cset.indicators}
    names = {c.code: c.name_vi for c in cset.criteria}
    rows = []
    for c in ev.result.criteria:
        lines = tuple(
            IndicatorRow(i.code, inds[i.code].name_vi, f"{_fmt(i.value)} {inds[i.code].unit}".strip(),
                         f"{inds[i.code].comparison.value} {_fmt(i.threshold)} {inds[i.code].unit}".strip()
                         if i.threshold is not None else "", status_label(i.status))
            for i in c.indicators)
        rows.append(CriterionRow(c.code, names[c.code], status_label(c.status), c.status == "met", lines))
    history = tuple(UnitResult.objects.filter(unit=commune, criteria_set=cset.id).order_by("year")
                    .values_list("year", "met", "total"))
    place = commune.parent.name if commune.parent else commune.name
    header = Header(
        issuer_parent=f"UBND {(commune.parent.full_name if commune.parent else '').upper()}".strip(),
        issuer=f"UBND {commune.full_name.upper()}", number="Số: ……/BC-UBND", place=commune.name,
        dated=official_date(today), title="BÁO CÁO",
        subtitle=f"Kết quả thực hiện Bộ tiêu chí xã {LEVEL_NAMES.get(level, level)} năm {year} "
                 f"của {commune.full_name}, {place}")
    return CommuneReport(
        header, commune.full_name, cset.name_vi, catalog.documents[cset.document].number, year, ev.result.met,
        ev.result.total, tuple(names[c] for c in ev.result.unmet), tuple(rows), history, ev.demo_data)


def district_report(district: Unit, *, level: str, year: int, today: date) -> DistrictReport | None:
    catalog = get_catalog()
    cset = catalog.set_for(UnitKind.COMMUNE, level, year)
    if cset is None:
        return None
    communes = list(Unit.objects.filter(valid_in(year), kind=Kind.COMMUNE, parent=district).order_by("name"))
    results = {r.unit_id: r for r in UnitResult.objects.filter(unit__in=communes, criteria_set=cset.id, year=year)}
    cells: dict[int, dict[str, str]] = {}
    for unit_id, code, status in CriterionResult.objects.filter(
            unit__in=communes, criteria_set=cset.id, year=year).values_list("unit_id", "criterion", "status"):
        cells.setdefault(unit_id, {})[code] = status
    codes = [c.code for c in cset.criteria]
    rows = tuple(
        MatrixRow(u.name, results[u.pk].met if u.pk in results else 0, len(codes),
                  tuple({"met": "Đạt", "not_met": "Chưa đạt"}.get(cells.get(u.pk, {}).get(code, ""), "—")
                        for code in codes))
        for u in communes)
    demo = Figure.objects.filter(unit__in=communes, criteria_set=cset.id, year=year, is_demo=True).exists()
    header = Header(
        issuer_parent=f"UBND {district.full_name.upper()}", issuer="VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI",
        number="Số: ……/BC-VPĐP", place=district.name, dated=official_date(today), title="BÁO CÁO",
        subtitle=f"Tổng hợp kết quả thực hiện Bộ tiêu chí xã {LEVEL_NAMES.get(level, level)} năm {year} "
                 f"trên địa bàn {district.full_name}")
    return DistrictReport(header, district.full_name, cset.name_vi, catalog.documents[cset.document].number, year,
                          tuple((c.code, c.name_vi) for c in cset.criteria), rows,
                          sum(1 for r in rows if r.met == r.total), demo)
