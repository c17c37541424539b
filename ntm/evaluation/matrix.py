"""The communes × criteria matrix of a district or a province: the one builder behind the district page, the
province page's matrix (on demand), the Excel matrix export and the PDF/DOCX district reports, so that all
four show the same cells, n/N and statuses, in the reader's language.

Built from stored results in a fixed number of queries (six; five when the caller passes the communes).
What a cell shows is worked out once per matrix, not once per cell: the status labels are translated once
(`StatusWords`) and each kind of cell (criterion × status × marks) is one shared `Cell`; the pages draw a
cell's markup with the `status_cell` filter (`templatetags/evaluation_tags.py`), made once per kind."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.db.models import TextField
from django.db.models.functions import Cast

from ntm.catalog_source import get_catalog
from ntm.core.catalog import Criterion, UnitKind
from ntm.core.engine import Status
from ntm.figures.models import Figure
from ntm.units.models import Unit

from . import presenters
from .models import CriterionResult, UnitResult
from .selectors import (
    AppliedSet,
    Column,
    Staleness,
    TargetInfo,
    _name,
    _set_title,
    _targets_by_unit,
    applied_in,
    area_communes,
    area_province,
    staleness,
)

DEMO_MARK = "†"
# A stored criterion result rests on a demo threshold when one of its indicators says so (`rests_on_demo`);
# read from the JSON's text, as SQLite stores it and PostgreSQL prints jsonb, instead of decoding every row.
DEMO_KEY = '"demo": true'


@dataclass(frozen=True)
class StatusWords:
    """The label and symbol of each status, translated once for a whole matrix."""

    labels: dict[str, str]
    symbols: dict[str, str]

    @classmethod
    def now(cls) -> StatusWords:
        """In the active language."""
        return cls({s.value: presenters.status_label(s) for s in Status},
                   {s.value: presenters.status_symbol(s) for s in Status})


@dataclass(frozen=True)
class Cell:
    code: str
    status: str
    provisional: bool
    demo: bool  # the verdict rests on a threshold invented for the demo
    label: str  # "Đạt" / "Met", …
    symbol: str  # "✓", so that colour is never the only signal

    @property
    def text(self) -> str:
        """What a printed matrix shows (the Excel export and the reports): the label, and † for a demo
        threshold."""
        return f"{self.label} {DEMO_MARK}" if self.demo else self.label


@dataclass(frozen=True)
class Change:
    """A commune's n/N against the same set's result the year before."""

    delta: int | None  # None: no result in one of the two years
    previous_met: int | None
    previous_total: int | None
    previous_year: int

    @cached_property
    def text(self) -> str:
        return presenters.change_text(self.delta)

    @cached_property
    def title(self) -> str:  # shown twice per row (title and screen-reader text): worded once
        return presenters.change_title(self.delta, self.previous_met, self.previous_total, self.previous_year)

    @property
    def direction(self) -> str:
        if self.delta is None:
            return "none"
        return "up" if self.delta > 0 else "down" if self.delta < 0 else "same"


@dataclass(frozen=True)
class MatrixRow:
    key: str
    name: str
    cells: tuple[Cell, ...]
    met: int
    total: int
    evaluated: bool  # a stored result exists for the set and year
    targets: tuple[TargetInfo, ...]
    pilot: bool  # targeted at the page's level and year
    demo: bool
    provisional: bool
    change: Change
    stale: bool = False  # made with another version of the set than the one that applies now

    @property
    def threshold_demo(self) -> bool:
        return any(c.demo for c in self.cells)

    @property
    def reached(self) -> bool:
        """Every criterion of the set met."""
        return self.evaluated and self.total > 0 and self.met >= self.total

    @property
    def score(self) -> str:
        """ "15/19", or "—" when the commune has no stored result."""
        return f"{self.met}/{self.total}" if self.evaluated else "—"


@dataclass(frozen=True)
class HardCriterion:
    """A criterion not met in `failing` of the `total` communes evaluated."""

    code: str
    number: int
    name: str
    failing: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.failing / self.total) if self.total else 0


@dataclass(frozen=True)
class DistrictMatrix:
    district: Unit  # the area: a district, or a province after 1/7/2025
    level: str
    year: int
    set_id: str | None
    set_name: str
    columns: tuple[Column, ...]
    rows: tuple[MatrixRow, ...]
    pilot_only: bool = False
    applied: AppliedSet | None = None
    staleness: Staleness | None = None

    @property
    def basis(self) -> str:
        return self.applied.basis if self.applied else ""

    @property
    def demo(self) -> bool:
        return any(r.demo for r in self.rows)

    @property
    def threshold_demo(self) -> bool:
        """Some verdict shown rests on a threshold invented for the demo."""
        return any(r.threshold_demo for r in self.rows)

    @property
    def provisional(self) -> bool:
        return any(r.provisional for r in self.rows)

    @property
    def reached(self) -> int:
        """Communes meeting every criterion."""
        return sum(1 for r in self.rows if r.reached)

    @property
    def hard_criteria(self) -> tuple[HardCriterion, ...]:
        """Criteria not met in at least one commune shown, those failing in the most communes first;
        out of the communes evaluated (a province lists many communes without results yet)."""
        evaluated = [r for r in self.rows if r.evaluated]
        failing = [
            HardCriterion(col.code, col.number, col.name,
                          sum(1 for r in evaluated if r.cells[i].status == Status.NOT_MET), len(evaluated))
            for i, col in enumerate(self.columns)
        ]
        return tuple(sorted((h for h in failing if h.failing), key=lambda h: (-h.failing, h.number)))


def district_matrix(district: Unit, *, level: str, year: int, pilot_only: bool = False,
                    communes: list[Unit] | None = None) -> DistrictMatrix:
    """Communes × criteria of the set in force for `level` in `year` as it applies in the area's province
    (resolved once), with each commune's change since the year before: six queries, for a district or a
    province alike (five when the caller passes the area's `communes`, as `area_communes` gives them)."""
    national = get_catalog().set_for(UnitKind.COMMUNE, level, year)
    communes = area_communes(district, year) if communes is None else communes
    ids = [c.pk for c in communes]
    targets = _targets_by_unit(ids)
    if pilot_only:
        communes = [c for c in communes if any(t.level == level and t.year == year for t in targets[c.pk])]
        ids = [c.pk for c in communes]
    build = _RowBuilder(level, year)
    if national is None:
        rows = tuple(build.row(c, (), None, {}, targets[c.pk], demo=False, change=build.no_change) for c in communes)
        return DistrictMatrix(district, level, year, None, "", (), rows, pilot_only)
    applied = applied_in(area_province(district), national.id, year)
    cset = applied.cset
    results: dict[tuple[int, int], UnitResult] = {
        (r.unit_id, r.year): r
        for r in UnitResult.objects.filter(unit_id__in=ids, criteria_set=cset.id, year__in=[year, year - 1])
    }
    cells: dict[int, dict[str, tuple[str, bool, bool]]] = defaultdict(dict)
    for unit_id, code, status, provisional, indicators in CriterionResult.objects.filter(
        unit_id__in=ids, criteria_set=cset.id, year=year
    ).annotate(text=Cast("indicators", TextField())).values_list("unit_id", "criterion", "status", "provisional",
                                                                 "text"):
        cells[unit_id][code] = (status, provisional, DEMO_KEY in (indicators or ""))
    # The set is compared here, not in SQL: with it, SQLite (no statistics) reads the set's figures across
    # the country by (set, year) instead of these communes' own (11 → 2 ms for a province).
    demo_units = {unit_id for unit_id, set_id in Figure.objects.filter(
        unit_id__in=ids, year=year, superseded_at__isnull=True, is_demo=True)
        .values_list("unit_id", "criteria_set").distinct() if set_id == cset.id}
    rows = tuple(
        build.row(c, cset.criteria, results.get((c.pk, year)), cells[c.pk], targets[c.pk], demo=c.pk in demo_units,
                  change=_change(results.get((c.pk, year)), results.get((c.pk, year - 1)), year),
                  version=applied.version)
        for c in communes
    )
    columns = tuple(Column(c.code, c.number, _name(c)) for c in cset.criteria)
    current = [r for (_u, y), r in results.items() if y == year]
    return DistrictMatrix(district, level, year, cset.id, _set_title(cset), columns, rows, pilot_only,
                          applied, staleness(current, applied))


def _change(now: UnitResult | None, before: UnitResult | None, year: int) -> Change:
    if before is None:
        return Change(None, None, None, year - 1)
    delta = now.met - before.met if now is not None else None
    return Change(delta, before.met, before.total, year - 1)


class _RowBuilder:
    """Rows of one matrix: the words shared by all its cells, and one `Cell` per kind of cell."""

    def __init__(self, level: str, year: int) -> None:
        self.level, self.year = level, year
        self.words = StatusWords.now()
        self.no_change = Change(None, None, None, year - 1)
        self._cells: dict[tuple[str, str, bool, bool], Cell] = {}

    def cell(self, code: str, status: str, provisional: bool, demo: bool) -> Cell:
        key = (code, status, provisional, demo)
        made = self._cells.get(key)
        if made is None:  # cells are frozen: one object per kind of cell, shared by the rows
            made = self._cells[key] = Cell(code, status, provisional, demo, self.words.labels.get(status, status),
                                           self.words.symbols.get(status, ""))
        return made

    def row(self, commune: Unit, criteria: tuple[Criterion, ...], result: UnitResult | None,
            cells: dict[str, tuple[str, bool, bool]], targets: list[TargetInfo], *, demo: bool, change: Change,
            version: str = "") -> MatrixRow:
        no_data = (Status.NO_DATA.value, False, False)
        row_cells = tuple(self.cell(c.code, *cells.get(c.code, no_data)) for c in criteria)
        met = result.met if result else sum(1 for c in row_cells if c.status == Status.MET)
        return MatrixRow(
            key=commune.key, name=commune.name, cells=row_cells, met=met,
            total=result.total if result else len(criteria), evaluated=result is not None,
            targets=tuple(targets), pilot=any(t.level == self.level and t.year == self.year for t in targets),
            demo=demo or any(t.is_demo for t in targets), provisional=any(c.provisional for c in row_cells),
            change=change, stale=bool(result and version and result.set_version != version),
        )
