"""Composing a province layer over a set: pure functions from (set, layer) to the set that applies.

A layer's threshold replaces the base's for the same region or group and year. A layer's `null`
(the province's value is not transcribed yet) never hides a value the base already gives: the
national level keeps applying, and the gap list names the provincial document.
"""

from __future__ import annotations

from dataclasses import replace

from .catalog import ANY, CriteriaSet, Criterion, Indicator, Layer, Threshold


def _merge_thresholds(ind: Indicator, scopes: tuple[str, ...], changes: list[Threshold]) -> Indicator:
    thresholds = list(ind.thresholds)
    for t in changes:
        if t.value is None:
            covered = scopes if t.scope == ANY else (t.scope,)
            years = [t.year] if t.year is not None else sorted({x.year for x in ind.thresholds if x.year} | {0})
            if any((found := ind.threshold_for(s, y or 0)) is not None and found.value is not None
                   for s in covered or (ANY,) for y in years):
                continue
        thresholds = [x for x in thresholds if (x.scope, x.year) != (t.scope, t.year)] + [t]
    return replace(ind, thresholds=tuple(thresholds))


def compose(base: CriteriaSet, layer: Layer) -> CriteriaSet:
    """The set `base` as `layer` specifies it. The result keeps the base's id (results stay filed
    under the national set) and carries the layer in its version and `layers`."""
    by_indicator: dict[str, list[Threshold]] = {}
    for code, t in layer.thresholds:
        by_indicator.setdefault(code, []).append(t)
    replaced_criteria = {c.code: c for c in layer.criteria}
    added_indicators: dict[str, list[Indicator]] = {}
    for crit_code, ind in layer.indicators:
        added_indicators.setdefault(crit_code, []).append(ind)
    removed = set(layer.removed)

    criteria: list[Criterion] = []
    for crit in base.criteria:
        crit = replaced_criteria.pop(crit.code, crit)
        extra = {i.code: i for i in added_indicators.pop(crit.code, [])}
        indicators = []
        for ind in crit.indicators:
            if ind.code in removed:
                continue
            ind = extra.pop(ind.code, ind)
            indicators.append(_merge_thresholds(ind, base.scopes, by_indicator.get(ind.code, [])))
        indicators.extend(_merge_thresholds(i, base.scopes, by_indicator.get(i.code, [])) for i in extra.values())
        kept = {i.code for i in indicators}
        alternatives = tuple(alt for alt in crit.alternatives if set(alt) <= kept)
        criteria.append(replace(crit, indicators=tuple(indicators), alternatives=alternatives))
    criteria.extend(replaced_criteria.values())
    return replace(base, version=f"{base.version}/{layer.id}@{layer.version}", criteria=tuple(criteria),
                   layers=(*base.layers, layer.ref()))


def check_layer(base: CriteriaSet, layer: Layer) -> list[tuple[str, str, str]]:
    """What in the layer does not fit its base: (indicator or criterion code, message vi, message en)."""
    codes = {i.code for i in base.indicators}
    crit_codes = {c.code for c in base.criteria} | {c.code for c in layer.criteria}
    added = {i.code for _c, i in layer.indicators} | {i.code for c in layer.criteria for i in c.indicators}
    out = []
    for code, t in layer.thresholds:
        if code not in codes | added:
            out.append((code, f'chỉ tiêu "{code}" không có trong bộ {base.id}',
                        f'indicator "{code}" is not in set {base.id}'))
        elif t.scope != ANY and t.scope not in base.scopes:
            out.append((code, f'vùng/nhóm "{t.scope}" không thuộc bộ {base.id}',
                        f'region/group "{t.scope}" is not one of set {base.id}\'s'))
    for crit_code, ind in layer.indicators:
        if crit_code not in crit_codes:
            out.append((ind.code, f'tiêu chí "{crit_code}" không có trong bộ {base.id}',
                        f'criterion "{crit_code}" is not in set {base.id}'))
    for code in layer.removed:
        if code not in codes:
            out.append((code, f'không thể bỏ chỉ tiêu "{code}": không có trong bộ {base.id}',
                        f'cannot remove indicator "{code}": it is not in set {base.id}'))
    return out
