"""What a version changes against another, from their YAML texts: criteria, indicators and thresholds
added, removed or changed. Pure (no Django). Works on sets and on layers (a layer's `thresholds` lines
count as its indicators' thresholds; `remove_indicators` as removed indicators)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: much faster

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class Change:
    kind: str  # added | removed | changed
    what: str  # criterion | indicator | threshold
    key: str  # "5", "5.1", "5.1 G2 2026"
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)

    @property
    def fields(self) -> list[tuple[str, Any, Any]]:
        """(key, before, after) of what differs, for a changed item."""
        keys = list(dict.fromkeys([*self.before, *self.after]))
        return [(k, self.before.get(k), self.after.get(k)) for k in keys if self.before.get(k) != self.after.get(k)]


@dataclass(frozen=True)
class Diff:
    criteria: tuple[Change, ...] = ()
    indicators: tuple[Change, ...] = ()
    thresholds: tuple[Change, ...] = ()
    header: tuple[tuple[str, Any, Any], ...] = ()  # top-level keys that changed (name, dates, document…)

    @property
    def empty(self) -> bool:
        return not (self.criteria or self.indicators or self.thresholds or self.header)

    def counts(self) -> dict[str, int]:
        out = {ADDED: 0, REMOVED: 0, CHANGED: 0}
        for c in (*self.criteria, *self.indicators, *self.thresholds):
            out[c.kind] += 1
        return out


def _load(text: str) -> dict:
    try:
        raw = yaml.load(text or "", Loader=_LOADER) or {}
    except yaml.YAMLError:
        return {}
    return raw if isinstance(raw, dict) else {}


def _flatten(raw: dict) -> tuple[dict, dict, dict]:
    criteria: dict[str, dict] = {}
    indicators: dict[str, dict] = {}
    thresholds: dict[str, dict] = {}

    def add_indicator(crit_code: str, ind: dict) -> None:
        code = str(ind.get("code"))
        indicators[code] = {"criterion": crit_code,
                            **{k: v for k, v in ind.items() if k not in ("thresholds", "criterion")}}
        for t in ind.get("thresholds") or []:
            add_threshold(code, t)

    def add_threshold(code: str, t: dict) -> None:
        if not isinstance(t, dict):
            return
        year = t.get("year")
        key = f"{code} {t.get('scope', '*')}" + (f" {year}" if year is not None else "")
        thresholds[key] = {"indicator": code, **{k: v for k, v in t.items() if k != "indicator"}}

    for crit in raw.get("criteria") or []:
        if not isinstance(crit, dict):
            continue
        code = str(crit.get("code") or crit.get("number"))
        criteria[code] = {k: v for k, v in crit.items() if k != "indicators"}
        for ind in crit.get("indicators") or []:
            if isinstance(ind, dict):
                add_indicator(code, ind)
    for ind in raw.get("indicators") or []:  # a layer's added or replaced indicators
        if isinstance(ind, dict):
            add_indicator(str(ind.get("criterion", "")), ind)
    for t in raw.get("thresholds") or []:  # a layer's thresholds
        if isinstance(t, dict):
            add_threshold(str(t.get("indicator")), t)
    for code in raw.get("remove_indicators") or []:
        indicators[f"−{code}"] = {"removes": str(code)}
    return criteria, indicators, thresholds


def _compare(what: str, old: dict, new: dict) -> tuple[Change, ...]:
    out = []
    for key in new:
        if key not in old:
            out.append(Change(ADDED, what, key, after=new[key]))
        elif old[key] != new[key]:
            out.append(Change(CHANGED, what, key, old[key], new[key]))
    out += [Change(REMOVED, what, key, before=old[key]) for key in old if key not in new]
    return tuple(sorted(out, key=lambda c: _natural(c.key)))


def _natural(key: str) -> tuple:
    import re

    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", key))


HEADER_SKIP = {"criteria", "indicators", "thresholds", "remove_indicators", "version"}


def diff_texts(old_text: str, new_text: str) -> Diff:
    """Changes from `old_text` (the version in force; "" for none) to `new_text`."""
    old, new = _load(old_text), _load(new_text)
    oc, oi, ot = _flatten(old)
    nc, ni, nt = _flatten(new)
    header = tuple((k, old.get(k), new.get(k)) for k in dict.fromkeys([*old, *new])
                   if k not in HEADER_SKIP and old.get(k) != new.get(k))
    return Diff(_compare("criterion", oc, nc), _compare("indicator", oi, ni), _compare("threshold", ot, nt), header)
