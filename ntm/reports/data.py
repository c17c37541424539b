"""Plain report data built from stored results: what the PDF and DOCX renderers draw, no ORM inside them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ntm.catalog_source import get_catalog
from ntm.core import levels
from ntm.evaluation.matrix import district_matrix
from ntm.evaluation.models import UnitResult
from ntm.evaluation.presenters import status_label
from ntm.evaluation.report import evaluate_unit
from ntm.evaluation.selectors import _name
from ntm.units.models import Unit

DEMO_MARK = "†"
DEMO_NOTE = ("† Ngưỡng minh họa của dữ liệu mẫu (demo), không phải ngưỡng chính thức; kết quả dựa trên ngưỡng này "
             "chỉ để minh họa.")
LEVEL_NAMES = {lvl.code: lvl.phrase_vi for lvl in levels.LEVELS}  # in the documents' Vietnamese sentences


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
    cells: tuple[str, ...]  # `evaluation.matrix.Cell.text`: "Đạt" / "Met" …, "†" added for a demo threshold
    statuses: tuple[str, ...] = ()  # the status behind each cell ("met", "not_met", …), for its colour

    @property
    def marked(self) -> tuple[tuple[str, str], ...]:
        """(status, text) per cell."""
        return tuple(zip(self.statuses or ("",) * len(self.cells), self.cells, strict=True))


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
        subtitle=f"Kết quả thực hiện Bộ tiêu chí xã {levels.phrase(level)} năm {year} "
                 f"của {commune.full_name}, {place}")
    return CommuneReport(
        header, commune.full_name, cset.name_vi, catalog.documents[cset.document].number, year, ev.result.met,
        ev.result.total, tuple(names[c] for c in ev.result.unmet), tuple(rows), history, ev.demo_data,
        catalog.describe(cset, "vi"), ev.result_demo)


def district_report(district: Unit, *, level: str, year: int, today: date) -> DistrictReport | None:
    """The district's communes × criteria from the one matrix builder (`evaluation.matrix`): the same cells,
    n/N and statuses as the district page and the Excel export, in the active language."""
    built = district_matrix(district, level=level, year=year)
    if built.applied is None:  # no set for this level and year (set_id is None too)
        return None
    catalog = get_catalog()
    cset = built.applied.cset
    rows = tuple(MatrixRow(r.name, r.met, r.total, tuple(c.text for c in r.cells), tuple(c.status for c in r.cells))
                 for r in built.rows)
    phrase = levels.phrase(level)
    header = Header(
        issuer_parent=f"UBND {district.full_name.upper()}", issuer="VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI",
        number="Số: ……/BC-VPĐP", place=district.name, dated=official_date(today), title="BÁO CÁO",
        subtitle=f"Tổng hợp kết quả thực hiện Bộ tiêu chí xã {phrase} năm {year} trên địa bàn {district.full_name}")
    return DistrictReport(header, district.full_name, _name(cset), catalog.documents[cset.document].number, year,
                          tuple((c.code, c.name) for c in built.columns), rows, built.reached, built.demo,
                          built.basis, built.threshold_demo)
