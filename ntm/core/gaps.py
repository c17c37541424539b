"""What the catalog still lacks: missing official thresholds (`value: null`), provisional thresholds,
and provisional criterion / indicator sources — each with the document an office must take it from —
counted as lines (what the files say) and as values (indicator × region or group × year: one `null`
line with scope "*" and no year stands for every region of the set × every year it is in force).

Per set, per province layer (its own lines, the values it fills, what is still missing after it) and
per province (the set that `Catalog.resolve` gives its communes, year by year).

Pure: a `Catalog` in, `Gap`s and summaries out; `render` and `summary_lines` turn them into text in
Vietnamese or English, `summary_json` into plain data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from .catalog import ANY, Catalog, CriteriaSet, Criterion, Dimension, Document, Indicator, Layer, Source, Threshold


class GapKind(StrEnum):
    MISSING_THRESHOLD = "missing_threshold"  # the official value is not in the catalog (value: null)
    PROVISIONAL_THRESHOLD = "provisional_threshold"
    PROVISIONAL_CRITERION = "provisional_criterion"  # the criterion's name/number is not confirmed
    PROVISIONAL_INDICATOR = "provisional_indicator"  # the indicator's content is not confirmed


@dataclass(frozen=True)
class Gap:
    set_id: str
    kind: GapKind
    criterion: str
    indicator: str = ""  # "" for a criterion-level gap
    scope: str = ""  # threshold gaps only: region / group code or "*"
    year: int | None = None  # threshold gaps only; None: every year
    document: Document | None = None  # where an office must take the official fact from
    note: str = ""
    values: int = 0  # threshold gaps: how many values (scope × year) this line decides
    layer: str = ""  # the province layer the line is in ("" for the national set)

    @property
    def status(self) -> str:
        return "missing" if self.kind is GapKind.MISSING_THRESHOLD else "provisional"

    @property
    def is_threshold(self) -> bool:
        return self.kind in (GapKind.MISSING_THRESHOLD, GapKind.PROVISIONAL_THRESHOLD)


# --- the values of a set: indicator × scope × year -------------------------------------------------------

_PERIOD = re.compile(r"(\d{4})\s*[-–]\s*(\d{4})")


def set_years(catalog: Catalog, cset: CriteriaSet) -> tuple[int, ...]:
    """The years the set applies: from its first year to `effective_to`; an open set runs to the end of the
    period its id or name gives ("2021-2025"; else five years), or to the year before a later set of the
    same kind and level takes over, whichever comes first."""
    start = cset.effective_from.year
    if cset.effective_to is not None:
        end = cset.effective_to.year
    else:
        period = _PERIOD.search(cset.id) or _PERIOD.search(cset.name_vi)
        end = int(period.group(2)) if period and int(period.group(2)) >= start else start + 4
        later = [s.effective_from.year for s in catalog.sets if s.unit_kind == cset.unit_kind
                 and s.level == cset.level and s.effective_from > cset.effective_from]
        if later:
            end = min(end, min(later) - 1)
    return tuple(range(start, max(start, end) + 1))


def grid_scopes(cset: CriteriaSet) -> tuple[str, ...]:
    """The regions or groups a value is given for; one value per year for a set without a dimension."""
    return cset.scopes if cset.dimension != Dimension.NONE and cset.scopes else (ANY,)


def value_status(t: Threshold | None) -> str:
    """official, missing (no number: null or no line at all), provisional or demo."""
    if t is None or t.missing:
        return "missing"
    return str(t.source.status)


STATUSES = ("official", "missing", "provisional", "demo")


@dataclass
class ValueCounts:
    official: int = 0
    missing: int = 0
    provisional: int = 0
    demo: int = 0

    @property
    def total(self) -> int:
        return self.official + self.missing + self.provisional + self.demo

    def add(self, status: str, n: int = 1) -> None:
        setattr(self, status, getattr(self, status) + n)

    def __iadd__(self, other: ValueCounts) -> ValueCounts:
        for s in STATUSES:
            self.add(s, getattr(other, s))
        return self

    def as_dict(self) -> dict[str, int]:
        return {"values_total": self.total, **{f"values_{s}": getattr(self, s) for s in STATUSES}}


def numeric_indicators(cset: CriteriaSet) -> Iterable[Indicator]:
    """Indicators judged against a number (the others take a recorded verdict and have no values)."""
    return (i for i in cset.indicators if i.comparison.is_numeric)


def count_values(cset: CriteriaSet, years: Iterable[int]) -> ValueCounts:
    """Every value the set gives (numeric indicator × scope × year), by the status of the line deciding it."""
    counts = ValueCounts()
    years = tuple(years)
    scopes = grid_scopes(cset)
    for ind in numeric_indicators(cset):
        for scope in scopes:
            for year in years:
                counts.add(value_status(ind.threshold_for(scope, year)))
    return counts


def _covers(t: Threshold, scope: str, year: int) -> bool:
    return t.scope in (scope, ANY) and t.year in (year, None)


def decided_values(ind: Indicator | None, t: Threshold, scopes: tuple[str, ...], years: Iterable[int]) -> int:
    """How many values (scope × year) the line `t` stands for in the indicator `ind` as it applies: the
    cells where it is the most specific line, and, for a null line, also the cells it covers that are
    still without a number (a province's null never hides a national value: it stays a gap there only)."""
    if ind is None:
        return 0
    n = 0
    for scope in scopes:
        for year in years:
            if not _covers(t, scope, year):
                continue
            found = ind.threshold_for(scope, year)
            if found is t or (t.missing and (found is None or found.missing)):
                n += 1
    return n


# --- gap lines ------------------------------------------------------------------------------------------

def _document(catalog: Catalog, *sources: Source | str | None) -> Document | None:
    """The first document named by the sources, most specific first (a set's document id last)."""
    for s in sources:
        doc_id = s if isinstance(s, str) else (s.document if s is not None else None)
        if doc_id and doc_id in catalog.documents:
            return catalog.documents[doc_id]
    return None


def _is_gap(t: Threshold) -> bool:
    return t.missing or t.source.provisional


def _indicator_gaps(catalog: Catalog, set_id: str, crit: str, ind: Indicator, applied: Indicator | None,
                    scopes: tuple[str, ...], years: tuple[int, ...], fallback: tuple, layer: str = "") -> list[Gap]:
    """`fallback`: the sources (or document ids) to take the document from when the indicator names none."""
    out: list[Gap] = []
    if ind.source.provisional:
        out.append(Gap(set_id, GapKind.PROVISIONAL_INDICATOR, crit, ind.code,
                       document=_document(catalog, ind.source, *fallback), note=ind.source.note, layer=layer))
    for t in ind.thresholds:
        if _is_gap(t):
            kind = GapKind.MISSING_THRESHOLD if t.missing else GapKind.PROVISIONAL_THRESHOLD
            out.append(Gap(set_id, kind, crit, ind.code, t.scope, t.year,
                           _document(catalog, t.source, ind.source, *fallback), t.source.note,
                           decided_values(applied, t, scopes, years), layer))
    return out


def _criteria_gaps(catalog: Catalog, set_id: str, criteria: Iterable[Criterion], applied: CriteriaSet,
                   years: tuple[int, ...], fallback: tuple, layer: str = "") -> list[Gap]:
    by_code = {i.code: i for i in applied.indicators}
    scopes = grid_scopes(applied)
    out: list[Gap] = []
    for crit in criteria:
        if crit.source.provisional:
            out.append(Gap(set_id, GapKind.PROVISIONAL_CRITERION, crit.code,
                           document=_document(catalog, crit.source, *fallback), note=crit.source.note, layer=layer))
        for ind in crit.indicators:
            out.extend(_indicator_gaps(catalog, set_id, crit.code, ind, by_code.get(ind.code), scopes, years,
                                       (crit.source, *fallback), layer))
    return out


def find_gaps(catalog: Catalog, set_id: str | None = None) -> list[Gap]:
    """Every gap of every national set (or of one set), in catalog order, each with the number of values
    it stands for. Raises KeyError for an unknown set."""
    sets = (catalog.get(set_id),) if set_id else catalog.sets
    out: list[Gap] = []
    for cset in sets:
        out.extend(_criteria_gaps(catalog, cset.id, cset.criteria, cset, set_years(catalog, cset), (cset.document,)))
    return out


# --- layers and provinces -------------------------------------------------------------------------------

def layer_chain(catalog: Catalog, layer: Layer) -> tuple[str, tuple[Layer, ...]]:
    """The national set at the bottom of a layer and the layers from just above it up to `layer`."""
    by_id = {x.id: x for x in catalog.layers}
    chain = [layer]
    while chain[-1].base in by_id and len(chain) <= len(by_id):
        chain.append(by_id[chain[-1].base])
    return chain[-1].base, tuple(reversed(chain))


def _compose_chain(catalog: Catalog, set_id: str, chain: Iterable[Layer]) -> CriteriaSet:
    from .layers import compose

    cset = catalog.get(set_id)
    for layer in chain:
        cset = compose(cset, layer)
    return cset


@dataclass
class LayerSummary:
    layer: Layer
    set_id: str
    years: tuple[int, ...]
    gaps: list[Gap]
    values: ValueCounts  # the values of the set as this layer leaves it, over the years it is in force
    filled: int  # values without a number under the layer that the layer gives a number


def summarize_layer(catalog: Catalog, layer: Layer) -> LayerSummary:
    set_id, chain = layer_chain(catalog, layer)
    under = _compose_chain(catalog, set_id, chain[:-1])
    applied = _compose_chain(catalog, set_id, chain)
    years = tuple(y for y in set_years(catalog, catalog.get(set_id)) if layer.in_force(y))
    scopes = grid_scopes(applied)
    by_code = {i.code: (c, i) for c in applied.criteria for i in c.indicators}
    fallback = (layer.source, layer.document)
    gaps: list[Gap] = []
    for code, t in layer.thresholds:
        if _is_gap(t):
            crit, ind = by_code.get(code, (None, None))
            gaps.append(Gap(set_id, GapKind.MISSING_THRESHOLD if t.missing else GapKind.PROVISIONAL_THRESHOLD,
                            crit.code if crit else "", code, t.scope, t.year, _document(catalog, t.source, *fallback),
                            t.source.note, decided_values(ind, t, scopes, years), layer.id))
    for crit_code, added in layer.indicators:
        gaps.extend(_indicator_gaps(catalog, set_id, crit_code, added, by_code.get(added.code, (None, None))[1],
                                    scopes, years, fallback, layer.id))
    gaps.extend(_criteria_gaps(catalog, set_id, layer.criteria, applied, years, fallback, layer.id))
    under_by_code = {i.code: i for i in numeric_indicators(under)}
    filled = 0
    for ind in numeric_indicators(applied):
        before = under_by_code.get(ind.code)
        for scope in scopes:
            for year in years:
                was = value_status(before.threshold_for(scope, year) if before else None)
                if was == "missing" and value_status(ind.threshold_for(scope, year)) != "missing":
                    filled += 1
    return LayerSummary(layer, set_id, years, gaps, count_values(applied, years), filled)


@dataclass
class ProvinceSummary:
    key: str
    name: str
    values: ValueCounts  # over every year of the set, each year with the set resolved for the province
    rests_on: list[tuple[tuple[int, ...], CriteriaSet]]  # the years each composition applies


def summarize_province(catalog: Catalog, set_id: str, key: str, name: str = "") -> ProvinceSummary:
    values = ValueCounts()
    rests_on: list[tuple[tuple[int, ...], CriteriaSet]] = []
    for year in set_years(catalog, catalog.get(set_id)):
        cset = catalog.resolve(set_id, key, year)
        values += count_values(cset, (year,))
        if rests_on and rests_on[-1][1].version == cset.version:
            rests_on[-1] = ((*rests_on[-1][0], year), cset)
        else:
            rests_on.append(((year,), cset))
    if not name:
        name = next((n for layer in catalog.layers for k, n in zip(layer.provinces, layer.province_names, strict=False)
                     if k == key), "")
    return ProvinceSummary(key, name, values, rests_on)


def _layer_set_id(catalog: Catalog, layer: Layer) -> str:
    return layer_chain(catalog, layer)[0]


@dataclass
class SetSummary:
    cset: CriteriaSet
    years: tuple[int, ...]
    gaps: list[Gap]
    values: ValueCounts
    verdicts: int  # indicators judged by a recorded verdict (no values)
    layers: list[LayerSummary] = field(default_factory=list)
    provinces: list[ProvinceSummary] = field(default_factory=list)

    @property
    def lines(self) -> int:
        return len(self.gaps)


def summarize(catalog: Catalog, set_id: str | None = None, province: str = "",
              province_name: str = "") -> list[SetSummary]:
    """Per national set: its gap lines, its values by status, its layers and its provinces (every
    province with a layer, or only `province`: then only the layers that apply to it)."""
    out = []
    for cset in (catalog.get(set_id),) if set_id else catalog.sets:
        years = set_years(catalog, cset)
        layers = [x for x in catalog.layers if _layer_set_id(catalog, x) == cset.id
                  and (not province or province in x.provinces)]
        keys = [province] if province else sorted(catalog.provinces_with_layers(cset.id))
        out.append(SetSummary(
            cset, years, find_gaps(catalog, cset.id), count_values(cset, years),
            sum(1 for i in cset.indicators if not i.comparison.is_numeric),
            [summarize_layer(catalog, x) for x in layers],
            [summarize_province(catalog, cset.id, k, province_name if k == province else "") for k in keys],
        ))
    return out


# --- text and data --------------------------------------------------------------------------------------

_LABELS = {
    "vi": {
        "criterion": "tiêu chí", "indicator": "chỉ tiêu", "scope": "vùng/nhóm", "all_scopes": "mọi vùng/nhóm",
        "year": "năm", "all_years": "mọi năm", "missing": "thiếu số chính thức", "provisional": "tạm tính",
        "source": "nguồn", "threshold": "ngưỡng", "document": "lấy từ", "no_document": "(chưa rõ văn bản)",
        "values": "{n} giá trị",
        "set": "{id}: {lines} dòng thiếu hoặc tạm tính; {total} giá trị ({grid}{years} năm {span}"
               " × {indicators} chỉ tiêu định lượng): {official} chính thức, {missing} thiếu, {provisional} tạm tính,"
               " {demo} minh họa; {verdicts} chỉ tiêu đánh giá Đạt/Không đạt",
        "layer": "  lớp {id} ({rests_on}; {years}): {lines} dòng thiếu hoặc tạm tính; điền {filled} giá trị; sau lớp:"
                 " {official} chính thức, {missing} thiếu, {provisional} tạm tính, {demo} minh họa",
        "province": "  tỉnh {name} ({key}): {official} chính thức, {missing} thiếu, {provisional} tạm tính,"
                    " {demo} minh họa trên {total} giá trị — {rests_on}",
        "no_groups": "  {n} xã chưa có nhóm (nhóm 1/2/3)",
        "total": "Tổng cộng: {n} dòng thiếu hoặc tạm tính; {missing} giá trị thiếu, {provisional} tạm tính,"
                 " {demo} minh họa",
        "no_years": "không năm nào", "grid_region": "{n} vùng × ", "grid_group": "{n} nhóm xã × ",
    },
    "en": {
        "criterion": "criterion", "indicator": "indicator", "scope": "scope", "all_scopes": "every scope",
        "year": "year", "all_years": "every year", "missing": "official value missing", "provisional": "provisional",
        "source": "source", "threshold": "threshold", "document": "take from", "no_document": "(document unknown)",
        "values": "{n} values",
        "set": "{id}: {lines} missing or provisional lines; {total} values ({grid}{years} years"
               " {span} × {indicators} numeric indicators): {official} official, {missing} missing, {provisional}"
               " provisional, {demo} demo; {verdicts} indicators judged met / not met",
        "layer": "  layer {id} ({rests_on}; {years}): {lines} missing or provisional lines; fills {filled} values;"
                 " after it: {official} official, {missing} missing, {provisional} provisional, {demo} demo",
        "province": "  province {name} ({key}): {official} official, {missing} missing, {provisional} provisional,"
                    " {demo} demo of {total} values — {rests_on}",
        "no_groups": "  {n} communes without a group (1/2/3)",
        "total": "Total: {n} missing or provisional lines; {missing} values missing, {provisional} provisional,"
                 " {demo} demo",
        "no_years": "no year", "grid_region": "{n} regions × ", "grid_group": "{n} commune groups × ",
    },
}


def _lab(lang: str) -> dict[str, str]:
    return _LABELS["en" if lang == "en" else "vi"]


def number(n: int, lang: str = "vi") -> str:
    """1.680 in Vietnamese, 1,680 in English."""
    text = f"{n:,}"
    return text.replace(",", ".") if lang != "en" else text


def span(years: tuple[int, ...], lang: str = "vi") -> str:
    if not years:
        return _lab(lang)["no_years"]
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def render(gap: Gap, lang: str = "vi") -> str:
    """One line: set [layer] · criterion · indicator · scope/year · status (values) · document · note."""
    lab = _lab(lang)
    parts = [f"{gap.set_id} [{gap.layer}]" if gap.layer else gap.set_id]
    if gap.criterion:
        parts.append(f"{lab['criterion']} {gap.criterion}")
    if gap.indicator:
        parts.append(f"{lab['indicator']} {gap.indicator}")
    if gap.is_threshold:
        scope = lab["all_scopes"] if gap.scope == ANY else f"{lab['scope']} {gap.scope}"
        year = lab["all_years"] if gap.year is None else f"{lab['year']} {gap.year}"
        parts.append(f"{lab['threshold']} {scope}, {year}")
        parts.append(f"{lab[gap.status]} ({lab['values'].format(n=number(gap.values, lang))})")
    else:
        parts.append(lab["source"])
        parts.append(lab[gap.status])
    doc = f"{gap.document.number} ({gap.document.title_vi})" if gap.document else lab["no_document"]
    parts.append(f"{lab['document']}: {doc}")
    line = " · ".join(parts)
    return f"{line} — {gap.note}" if gap.note else line


def _counts(values: ValueCounts, lang: str) -> dict[str, str]:
    return {s: number(getattr(values, s), lang) for s in (*STATUSES, "total")}


def _rests_on(catalog: Catalog, province: ProvinceSummary, lang: str) -> str:
    return "; ".join(f"{span(years, lang)}: {catalog.describe(cset, lang)}" for years, cset in province.rests_on)


def summary_lines(catalog: Catalog, summary: SetSummary, lang: str = "vi",
                  communes_without_group: int | None = None) -> list[str]:
    """The count lines of one set: the set, each layer, each province, communes without a group."""
    lab = _lab(lang)
    s = summary
    out = [lab["set"].format(
        id=s.cset.id, lines=number(s.lines, lang), years=len(s.years),
        grid=lab.get(f"grid_{s.cset.dimension}", "").format(n=len(s.cset.scopes)),
        span=span(s.years, lang), indicators=sum(1 for _ in numeric_indicators(s.cset)),
        verdicts=number(s.verdicts, lang), **_counts(s.values, lang))]
    for ls in s.layers:
        rests_on = catalog.describe(_compose_chain(catalog, ls.set_id, layer_chain(catalog, ls.layer)[1]), lang)
        out.append(lab["layer"].format(id=ls.layer.id, rests_on=rests_on, years=span(ls.years, lang),
                                       lines=number(len(ls.gaps), lang), filled=number(ls.filled, lang),
                                       **_counts(ls.values, lang)))
    for p in s.provinces:
        out.append(lab["province"].format(name=p.name or p.key, key=p.key, rests_on=_rests_on(catalog, p, lang),
                                          **_counts(p.values, lang)))
    if communes_without_group is not None:
        out.append(lab["no_groups"].format(n=number(communes_without_group, lang)))
    return out


def total_line(summaries: Iterable[SetSummary], lang: str = "vi") -> str:
    summaries = list(summaries)
    values = ValueCounts()
    for s in summaries:
        values += s.values
    lines = sum(s.lines + sum(len(x.gaps) for x in s.layers) for s in summaries)
    return _lab(lang)["total"].format(n=number(lines, lang), **_counts(values, lang))


def document_json(doc: Document | None) -> dict | None:
    if doc is None:
        return None
    return {"id": doc.id, "number": doc.number, "title_vi": doc.title_vi,
            "signed": doc.signed.isoformat() if doc.signed else None, "urls": list(doc.urls)}


def gap_json(gap: Gap) -> dict:
    return {
        "kind": str(gap.kind), "status": gap.status, "layer": gap.layer or None, "criterion": gap.criterion,
        "indicator": gap.indicator or None, "scope": gap.scope or None, "year": gap.year,
        "values": gap.values if gap.is_threshold else None, "document": document_json(gap.document),
        "note": gap.note,
    }


def summary_json(catalog: Catalog, summary: SetSummary, lang: str = "vi",
                 communes_without_group: int | None = None) -> dict:
    s = summary
    return {
        "set": s.cset.id, "version": s.cset.version, "name_vi": s.cset.name_vi, "name_en": s.cset.name_en,
        "document": document_json(catalog.documents.get(s.cset.document)), "dimension": str(s.cset.dimension),
        "scopes": list(grid_scopes(s.cset)), "years": list(s.years),
        "numeric_indicators": sum(1 for _ in numeric_indicators(s.cset)), "verdict_indicators": s.verdicts,
        "lines": s.lines, "lines_missing": sum(1 for g in s.gaps if g.kind is GapKind.MISSING_THRESHOLD),
        **s.values.as_dict(),
        "communes_without_group": communes_without_group,
        "gaps": [gap_json(g) for g in s.gaps],
        "layers": [{
            "id": ls.layer.id, "version": ls.layer.version, "base": ls.layer.base, "demo": ls.layer.demo,
            "provinces": [{"key": k, "name": n} for k, n in zip(ls.layer.provinces, ls.layer.province_names,
                                                                 strict=False)],
            "document": document_json(catalog.documents.get(ls.layer.document)), "years": list(ls.years),
            "rests_on": catalog.describe(_compose_chain(catalog, ls.set_id, layer_chain(catalog, ls.layer)[1]),
                                         lang),
            "lines": len(ls.gaps), "lines_missing": sum(1 for g in ls.gaps if g.kind is GapKind.MISSING_THRESHOLD),
            "values_filled": ls.filled, **ls.values.as_dict(), "gaps": [gap_json(g) for g in ls.gaps],
        } for ls in s.layers],
        "provinces": [{
            "key": p.key, "name": p.name, **p.values.as_dict(),
            "rests_on": [{"years": list(years), "version": cset.version, "text": catalog.describe(cset, lang)}
                         for years, cset in p.rests_on],
        } for p in s.provinces],
    }
