"""What a new version of a criteria set or layer changes, item by item: its header, criteria,
indicators, thresholds and documents added, removed or changed. Pure: two YAML texts in, a list of
`Change`s out (shared by the Excel import's preview and the catalog workbench)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ten times faster


def _yaml_load(text: str):
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader


ADDED, REMOVED, CHANGED = "added", "removed", "changed"
HEADER, CRITERION, INDICATOR, THRESHOLD, DOCUMENT = "header", "criterion", "indicator", "threshold", "document"
ORDER = {HEADER: 0, DOCUMENT: 1, CRITERION: 2, INDICATOR: 3, THRESHOLD: 4}
_NESTED = {"criteria", "indicators", "thresholds", "documents"}


@dataclass(frozen=True)
class Change:
    kind: str  # ADDED, REMOVED or CHANGED
    item: str  # HEADER, CRITERION, INDICATOR, THRESHOLD or DOCUMENT
    key: str  # "10.1", "10.1 G2 2026", "version", "QD-51-2025-QD-TTg"
    old: Any = None  # the whole item (added/removed) or, for a change, {field: old value}
    new: Any = None
    fields: tuple[str, ...] = field(default=())  # the fields that changed

    @property
    def label(self) -> str:
        """The item's name where it has one (for the preview)."""
        item = self.new if self.kind != REMOVED else self.old
        if isinstance(item, Mapping):
            return str(item.get("name_vi") or item.get("number") or "")
        return ""


def _load(text: str | None) -> Mapping[str, Any]:
    if not text:
        return {}
    raw = _yaml_load(text)
    return raw if isinstance(raw, Mapping) else {}


def _plain(item: Mapping[str, Any], drop: set[str]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in drop}


def _threshold_key(indicator: str, t: Mapping[str, Any]) -> str:
    year = t.get("year")
    return f"{indicator} {t.get('scope', '*')}" + (f" {year}" if year is not None else "")


def flatten(text: str | None) -> dict[str, dict[str, Any]]:
    """A set or layer as flat maps: header fields, documents, criteria, indicators and thresholds,
    each keyed by its code (a threshold by "indicator scope [year]")."""
    raw = _load(text)
    out: dict[str, dict[str, Any]] = {HEADER: {}, DOCUMENT: {}, CRITERION: {}, INDICATOR: {}, THRESHOLD: {}}
    out[HEADER] = {k: v for k, v in raw.items() if k not in _NESTED}

    def indicator(ind: Mapping[str, Any], crit: str) -> None:
        code = str(ind.get("code"))
        entry = _plain(ind, {"thresholds"})
        entry.setdefault("criterion", crit)
        out[INDICATOR][code] = entry
        for t in ind.get("thresholds") or []:
            out[THRESHOLD][_threshold_key(code, t)] = dict(t)

    for crit in raw.get("criteria") or []:
        code = str(crit.get("code") or crit.get("number"))
        out[CRITERION][code] = _plain(crit, {"indicators"})
        for ind in crit.get("indicators") or []:
            indicator(ind, code)
    for ind in raw.get("indicators") or []:  # a layer's added or replaced indicators
        indicator(ind, str(ind.get("criterion") or ""))
    for t in raw.get("thresholds") or []:  # a layer's thresholds over the base's indicators
        out[THRESHOLD][_threshold_key(str(t.get("indicator")), t)] = _plain(t, {"indicator"})
    for doc in raw.get("documents") or []:
        out[DOCUMENT][str(doc.get("id"))] = dict(doc)
    return out


def diff_sets(old_text: str | None, new_text: str | None) -> list[Change]:
    """Every difference between two versions (texts of a set, or of a layer), in reading order:
    header, documents, criteria, indicators, thresholds."""
    old, new = flatten(old_text), flatten(new_text)
    changes: list[Change] = []
    for item in sorted(ORDER, key=ORDER.__getitem__):
        before, after = old[item], new[item]
        if item == HEADER:
            for key in list(before) + [k for k in after if k not in before]:
                if before.get(key) != after.get(key):
                    changes.append(Change(CHANGED, HEADER, key, before.get(key), after.get(key), (key,)))
            continue
        for key in list(after) + [k for k in before if k not in after]:
            if key not in before:
                changes.append(Change(ADDED, item, key, None, after[key]))
            elif key not in after:
                changes.append(Change(REMOVED, item, key, before[key], None))
            elif before[key] != after[key]:
                fields = tuple(f for f in list(before[key]) + [f for f in after[key] if f not in before[key]]
                               if before[key].get(f) != after[key].get(f))
                changes.append(Change(CHANGED, item, key, {f: before[key].get(f) for f in fields},
                                      {f: after[key].get(f) for f in fields}, fields))
    return changes


def summary(changes: list[Change]) -> dict[str, dict[str, int]]:
    """{item: {kind: count}}, e.g. {"indicator": {"added": 47, "removed": 10}}."""
    out: dict[str, dict[str, int]] = {}
    for c in changes:
        out.setdefault(c.item, {}).setdefault(c.kind, 0)
        out[c.item][c.kind] += 1
    return out
