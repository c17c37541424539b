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
    DEMO = "demo"  # invented for the demo; only in demo layers, never in catalog/


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

    @property
    def demo(self) -> bool:
        return self.status is SourceStatus.DEMO


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
class LayerRef:
    """A province's set or specification (or a demo overlay) composed into a set: what pages name."""

    id: str
    version: str
    name_vi: str
    name_en: str
    document: str  # Document.id
    demo: bool = False
    provinces: str = ""  # names, e.g. "Long An"


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
    layers: tuple[LayerRef, ...] = ()  # province layers composed over the national set, bottom first
    # "" every unit of its kind; "without_communes": districts with no commune-level unit (211/QĐ-TTg)
    applies_to: str = ""

    @property
    def demo(self) -> bool:
        return any(layer.demo for layer in self.layers)

    def in_force(self, year: int) -> bool:
        end = self.effective_to.year if self.effective_to else 9999
        return self.effective_from.year <= year <= end

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for c in self.criteria for i in c.indicators)


@dataclass(frozen=True)
class Layer:
    """A province's own set or specification on top of a national set (or on top of another layer):
    it raises or fills thresholds, adds, replaces or removes indicators and criteria, under its own
    decision. Applies to the communes of `provinces` (unit keys, e.g. "p80") in the years it is in force.
    A demo layer holds values invented for the demo; they are marked demo wherever they show."""

    id: str
    version: str
    base: str  # a set id or another layer's id
    provinces: tuple[str, ...]
    province_names: tuple[str, ...]
    name_vi: str
    name_en: str
    document: str
    effective_from: date
    effective_to: date | None
    source: Source
    demo: bool = False
    thresholds: tuple[tuple[str, Threshold], ...] = ()  # (indicator code, threshold)
    indicators: tuple[tuple[str, Indicator], ...] = ()  # (criterion code, indicator) added or replaced
    removed: tuple[str, ...] = ()  # indicator codes
    criteria: tuple[Criterion, ...] = ()  # added or replaced whole
    path: str = ""

    def in_force(self, year: int) -> bool:
        end = self.effective_to.year if self.effective_to else 9999
        return self.effective_from.year <= year <= end

    def ref(self) -> LayerRef:
        return LayerRef(self.id, self.version, self.name_vi, self.name_en, self.document, self.demo,
                        ", ".join(self.province_names))


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
    layers: tuple[Layer, ...] = ()
    _resolved: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

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

    def layers_over(self, base: str, province: str, year: int) -> Layer | None:
        """The layer in force that year over `base` for that province (the latest decision if several)."""
        found = [layer for layer in self.layers
                 if layer.base == base and province in layer.provinces and layer.in_force(year)]
        return max(found, key=lambda layer: (layer.effective_from, layer.id), default=None)

    def resolve(self, set_id: str, province: str, year: int) -> CriteriaSet:
        """The one place that says which criteria apply to a unit of `province` (its unit key, "" for
        none) in `year`: the national set with every province layer in force composed over it."""
        key = (set_id, province, year)
        found = self._resolved.get(key)
        if found is None:
            from .layers import compose  # composition is its own module; the model stays data only

            found = self.get(set_id)
            base = set_id
            while province and (layer := self.layers_over(base, province, year)) is not None:
                found = compose(found, layer)
                base = layer.id
            self._resolved[key] = found
        return found

    def provinces_with_layers(self, set_id: str) -> frozenset[str]:
        """Province keys for which some layer (directly or through another layer) sits over `set_id`."""
        bases, out = {set_id}, set[str]()
        changed = True
        while changed:
            changed = False
            for layer in self.layers:
                if layer.base in bases and layer.id not in bases:
                    bases.add(layer.id)
                    out.update(layer.provinces)
                    changed = True
        return frozenset(out)

    def describe(self, cset: CriteriaSet, lang: str = "vi") -> str:
        """ "Long An 8151/QĐ-UBND, on top of 318/QĐ-TTg" — the documents a unit's verdicts rest on."""
        def number(doc_id: str) -> str:
            doc = self.documents.get(doc_id)
            return doc.number if doc else doc_id

        parts = [number(cset.document)]
        for layer in cset.layers:
            label = f"{layer.provinces} {number(layer.document)}".strip()
            if layer.demo:
                label += " (minh họa)" if lang == "vi" else " (demo)"
            parts.append(label)
        joiner = ", trên nền " if lang == "vi" else ", on top of "
        return joiner.join(reversed(parts))
