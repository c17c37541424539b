"""The criteria catalog as plain, immutable data.

A catalog holds criteria sets (one per legal decision and level). Every criterion, indicator and
threshold carries a `Source`: `official` with the document it was read in, or `provisional`.
A threshold whose value is None is a known gap: the indicator is then not evaluable by number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum


class Comparison(StrEnum):
    AT_LEAST = ">="
    AT_MOST = "<="
    EQUAL = "="
    VERDICT = "met"  # pass/fail ("Đạt"), judged by a person

    @property
    def is_numeric(self) -> bool:
        return self is not Comparison.VERDICT


class SourceStatus(StrEnum):
    OFFICIAL = "official"
    PROVISIONAL = "provisional"


@dataclass(frozen=True)
class Document:
    id: str
    number: str
    title_vi: str
    signed: date | None = None
    urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    status: SourceStatus
    document: str | None = None  # Document.id
    urls: tuple[str, ...] = ()
    note: str = ""

    @property
    def provisional(self) -> bool:
        return self.status is SourceStatus.PROVISIONAL


ANY = "*"


@dataclass(frozen=True)
class Threshold:
    """The pass level for one scope (region or commune group, or ANY) and optionally one year."""

    scope: str
    year: int | None
    value: Decimal | None  # None: the official value is not in the catalog yet
    source: Source

    @property
    def missing(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Derivation:
    """A district indicator computed from its communes' results: the share (%) of communes that
    meet the criteria set `level` (e.g. "ntm", "ntmnc")."""

    share_of_communes_meeting: str


@dataclass(frozen=True)
class Indicator:
    code: str
    name_vi: str
    name_en: str
    unit: str
    comparison: Comparison
    source: Source
    department: str = ""
    thresholds: tuple[Threshold, ...] = ()
    derived: Derivation | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None

    def threshold_for(self, scope: str, year: int) -> Threshold | None:
        """Most specific threshold: exact scope and year, then scope, then ANY with year, then ANY."""
        best: Threshold | None = None
        best_rank = -1
        for t in self.thresholds:
            if t.scope not in (scope, ANY) or t.year not in (year, None):
                continue
            rank = (2 if t.scope == scope else 0) + (1 if t.year == year else 0)
            if rank > best_rank:
                best, best_rank = t, rank
        return best


@dataclass(frozen=True)
class Criterion:
    code: str
    number: int
    name_vi: str
    name_en: str
    source: Source
    indicators: tuple[Indicator, ...]
    # Each alternative is a tuple of indicator codes; the criterion is met when the indicators
    # outside every alternative are met and all indicators of at least one alternative are met.
    alternatives: tuple[tuple[str, ...], ...] = ()
    key: bool = False  # a "key" criterion for revocation (income, environment, security…)
    group_vi: str = ""


class UnitKind(StrEnum):
    COMMUNE = "commune"
    DISTRICT = "district"


class Dimension(StrEnum):
    REGION = "region"  # the 7 socio-economic regions, 2021–2025
    GROUP = "group"  # commune groups 1/2/3, 2026–2030
    NONE = "none"


def scope_of(dimension: str, *, region: str, group: str, specially_disadvantaged: bool) -> str:
    """The region or commune group whose thresholds apply to a unit. 318/QĐ-TTg (amended by 211/QĐ-TTg):
    specially disadvantaged communes use the levels of the northern midlands and mountains (TDMNPB)."""
    if dimension == Dimension.REGION:
        return "TDMNPB" if specially_disadvantaged else region
    if dimension == Dimension.GROUP:
        return group
    return ""


@dataclass(frozen=True)
class CriteriaSet:
    id: str
    version: str
    level: str  # "ntm", "ntmnc", "model"
    unit_kind: UnitKind
    name_vi: str
    name_en: str
    document: str
    effective_from: date
    effective_to: date | None
    dimension: Dimension
    scopes: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    source: Source
    path: str = ""

    def in_force(self, year: int) -> bool:
        end = self.effective_to.year if self.effective_to else 9999
        return self.effective_from.year <= year <= end

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for c in self.criteria for i in c.indicators)


@dataclass(frozen=True)
class Region:
    code: str
    name_vi: str
    name_en: str


@dataclass(frozen=True)
class Catalog:
    sets: tuple[CriteriaSet, ...]
    documents: Mapping[str, Document] = field(default_factory=dict)
    regions: tuple[Region, ...] = ()
    groups: tuple[Region, ...] = ()
    units_en: Mapping[str, str] = field(default_factory=dict)  # Vietnamese unit → English

    def get(self, set_id: str) -> CriteriaSet:
        for s in self.sets:
            if s.id == set_id:
                return s
        raise KeyError(set_id)

    def set_for(self, unit_kind: UnitKind, level: str, year: int) -> CriteriaSet | None:
        """The set in force for that kind of unit, level and year; the latest one when several are."""
        candidates = [
            s for s in self.sets if s.unit_kind == unit_kind and s.level == level and s.in_force(year)
        ]
        return max(candidates, key=lambda s: s.effective_from, default=None)
