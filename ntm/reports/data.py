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
from ntm.evaluation.selectors import applied_in, area_province, rests_on_demo
from ntm.figures.models import Figure
from ntm.units.models import Kind, Unit

DEMO_MARK = "†"
DEMO_NOTE = ("† Ngưỡng minh họa của dữ liệu mẫu (demo), không phải ngưỡng chính thức; kết quả dựa trên ngưỡng này "
             "chỉ để minh họa.")
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
    demo: bool = False  # the verdict rests on a threshold invented for the demo (marked †)


@dataclass(frozen=True)
class CriterionRow:
    code: str
    name: str
    status: str
    met: bool
    indicators: tuple[IndicatorRow, ...]
    demo: bool = False


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
    basis: str = ""  # "Long An 8151/QĐ-UBND, trên nền 1345/QĐ-TTg": the documents the verdicts rest on
    threshold_demo: bool = False  # some verdict rests on a threshold invented for the demo

    demo_mark = DEMO_MARK
    demo_note = DEMO_NOTE


@dataclass(frozen=True)
class MatrixRow:
    name: str
    met: int
    total: int
    cells: tuple[str, ...]  # "Đạt" / "Chưa đạt" / "—" per criterion, "†" added when it rests on a demo threshold


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
    basis: str = ""
    threshold_demo: bool = False

    demo_mark = DEMO_MARK
    demo_note = DEMO_NOTE


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
                         (f"{inds[i.code].comparison.value} {_fmt(i.threshold)} {inds[i.code].unit}".strip()
                          + (f" {DEMO_MARK} minh họa" if i.demo else "")) if i.threshold is not None else "",
                         status_label(i.status) + (f" {DEMO_MARK}" if i.demo else ""), i.demo)
            for i in c.indicators)
        rows.append(CriterionRow(c.code, names[c.code], status_label(c.status) + (f" {DEMO_MARK}" if c.demo else ""),
                                 c.status == "met", lines, c.demo))
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
        ev.result.total, tuple(names[c] for c in ev.result.unmet), tuple(rows), history, ev.demo_data,
        catalog.describe(cset, "vi"), ev.result_demo)


def district_report(district: Unit, *, level: str, year: int, today: date) -> DistrictReport | None:
    catalog = get_catalog()
    national = catalog.set_for(UnitKind.COMMUNE, level, year)
    if national is None:
        return None
    cset = applied_in(area_province(district), national.id, year, catalog).cset  # once for the district
    communes = list(Unit.objects.filter(valid_in(year), kind=Kind.COMMUNE, parent=district).order_by("name"))
    results = {r.unit_id: r for r in UnitResult.objects.filter(unit__in=communes, criteria_set=cset.id, year=year)}
    cells: dict[int, dict[str, tuple[str, bool]]] = {}
    for unit_id, code, status, indicators in CriterionResult.objects.filter(
            unit__in=communes, criteria_set=cset.id, year=year).values_list("unit_id", "criterion", "status",
                                                                             "indicators"):
        cells.setdefault(unit_id, {})[code] = (status, rests_on_demo(indicators))
    codes = [c.code for c in cset.criteria]

    def cell(status: str, demo: bool) -> str:
        return {"met": "Đạt", "not_met": "Chưa đạt"}.get(status, "—") + (f" {DEMO_MARK}" if demo else "")

    rows = tuple(
        MatrixRow(u.name, results[u.pk].met if u.pk in results else 0, len(codes),
                  tuple(cell(*cells.get(u.pk, {}).get(code, ("", False))) for code in codes))
        for u in communes)
    threshold_demo = any(demo for by_code in cells.values() for _status, demo in by_code.values())
    demo = Figure.objects.filter(unit__in=communes, criteria_set=cset.id, year=year, is_demo=True).exists()
    header = Header(
        issuer_parent=f"UBND {district.full_name.upper()}", issuer="VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI",
        number="Số: ……/BC-VPĐP", place=district.name, dated=official_date(today), title="BÁO CÁO",
        subtitle=f"Tổng hợp kết quả thực hiện Bộ tiêu chí xã {LEVEL_NAMES.get(level, level)} năm {year} "
                 f"trên địa bàn {district.full_name}")
    return DistrictReport(header, district.full_name, cset.name_vi, catalog.documents[cset.document].number, year,
                          tuple((c.code, c.name_vi) for c in cset.criteria), rows,
                          sum(1 for r in rows if r.met == r.total), demo, catalog.describe(cset, "vi"), threshold_demo)
