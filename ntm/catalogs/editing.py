"""Edits of a set or layer as operations on its parsed YAML: `load` the text, change the mapping, `dump`
it back. Pure (no Django, no database); validation is the loader's job (`actions.update_draft`).

A set holds `criteria[].indicators[].thresholds[]`. A layer holds added or replaced `indicators`
(each naming its `criterion`), `thresholds` (each naming its `indicator`), `remove_indicators`, whole
`criteria` and its own `documents`. Every function works on either and raises `EditError` for an edit
that cannot apply (e.g. an indicator code that does not exist)."""

from __future__ import annotations

import copy
import re
from collections.abc import Set as AbstractSet
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: much faster


class EditError(ValueError):
    def __init__(self, message_vi: str, message_en: str):
        self.message_vi, self.message_en = message_vi, message_en
        super().__init__(message_vi)

    def message(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message_vi


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # write shared lists out in full, no &id001 anchors
        return True


def load(text: str) -> dict:
    raw = yaml.load(text, Loader=_LOADER)
    if not isinstance(raw, dict):
        raise EditError("Nội dung phải là một bảng khóa: giá trị.", "The text must be a mapping of keys to values.")
    return raw


def dump(raw: dict) -> str:
    return yaml.dump(raw, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


def is_layer(raw: dict) -> bool:
    return "base" in raw


def next_version(version: str, taken: AbstractSet[str] = frozenset()) -> str:
    """"2026.1" → "2026.2" (the last number goes up; a version without one gets ".1"), skipping `taken`."""
    version = str(version).split("+", 1)[0]
    m = re.match(r"^(.*?)(\d+)$", version)
    stem, n = (m.group(1), int(m.group(2))) if m else (version + ".", 0)
    while True:
        n += 1
        candidate = f"{stem}{n}"
        if candidate not in taken:
            return candidate


def start_from(text: str, version: str) -> str:
    """The text of a new draft: the version in force with a new version number."""
    raw = load(text)
    raw["version"] = version
    return dump(raw)


def new_layer(*, layer_id: str, version: str, base: str, provinces: list[dict], name_vi: str, name_en: str,
              document: dict, effective_from, urls: list[str]) -> str:
    """An empty province layer over `base`, under the province's decision `document` (declared in the layer)."""
    raw = {
        "schema": 1, "id": layer_id, "version": version, "base": base, "provinces": provinces,
        "name_vi": name_vi, "name_en": name_en, "document": document["id"], "documents": [document],
        "effective_from": effective_from, "effective_to": None, "demo": False,
        "source": {"status": "official", "document": document["id"], "urls": urls},
        "thresholds": [], "indicators": [], "remove_indicators": [], "criteria": [],
    }
    return dump(raw)


# --- Finding things ---------------------------------------------------------------------------------


def criteria(raw: dict) -> list[dict]:
    found = raw.get("criteria")
    if found is None:
        found = raw["criteria"] = []
    return found


def find_criterion(raw: dict, code: str) -> dict | None:
    return next((c for c in criteria(raw) if str(c.get("code") or c.get("number")) == str(code)), None)


def find_indicator(raw: dict, code: str) -> tuple[str, dict] | None:
    """(criterion code, indicator mapping) where the indicator is defined in this text."""
    for crit in criteria(raw):
        for ind in crit.get("indicators") or []:
            if str(ind.get("code")) == str(code):
                return str(crit.get("code") or crit.get("number")), ind
    if is_layer(raw):
        for ind in raw.get("indicators") or []:
            if str(ind.get("code")) == str(code):
                return str(ind.get("criterion", "")), ind
    return None


def indicator_thresholds(raw: dict, code: str) -> list[dict]:
    """The thresholds this text gives an indicator (its own list, and a layer's `thresholds` for it)."""
    found = find_indicator(raw, code)
    out = [dict(t) for t in (found[1].get("thresholds") or [])] if found else []
    if is_layer(raw):
        out += [{k: v for k, v in t.items() if k != "indicator"} for t in raw.get("thresholds") or []
                if str(t.get("indicator")) == str(code)]
    return out


# --- Criteria ---------------------------------------------------------------------------------------

CRITERION_FIELDS = ("number", "code", "name_vi", "name_en", "group_vi", "key", "alternatives", "source")


def set_criterion(raw: dict, fields: dict, *, old_code: str | None = None, placeholder: dict | None = None) -> dict:
    """Add a criterion (with `placeholder`, an "N.0" indicator judged as a whole, so it is never empty) or
    change one (`old_code`); its indicators are kept."""
    raw = copy.deepcopy(raw)
    code = str(fields["code"])
    existing = find_criterion(raw, old_code) if old_code else None
    if old_code and existing is None:
        raise EditError(f'Không có tiêu chí "{old_code}".', f'There is no criterion "{old_code}".')
    if (old_code is None or code != str(old_code)) and find_criterion(raw, code) is not None:
        raise EditError(f'Đã có tiêu chí "{code}".', f'Criterion "{code}" already exists.')
    target = existing if existing is not None else {}
    for key in CRITERION_FIELDS:
        if key in fields:
            value = fields[key]
            if value in (None, "", [], False) and key in ("group_vi", "alternatives", "key"):
                target.pop(key, None)
            else:
                target[key] = value
    if existing is None:
        target["indicators"] = [placeholder] if placeholder else []
        criteria(raw).append(target)
        criteria(raw).sort(key=_criterion_order)
    return raw


def _criterion_order(crit: dict) -> tuple:
    number = crit.get("number")
    return (0, number, "") if isinstance(number, int) else (1, 0, str(crit.get("code")))


def remove_criterion(raw: dict, code: str) -> dict:
    raw = copy.deepcopy(raw)
    before = len(criteria(raw))
    raw["criteria"] = [c for c in criteria(raw) if str(c.get("code") or c.get("number")) != str(code)]
    if len(raw["criteria"]) == before:
        raise EditError(f'Không có tiêu chí "{code}" trong phiên bản này.', f'There is no criterion "{code}" here.')
    return raw


# --- Indicators -------------------------------------------------------------------------------------

INDICATOR_FIELDS = ("code", "name_vi", "name_en", "unit", "comparison", "department", "source")


def set_indicator(raw: dict, criterion: str, fields: dict, thresholds: list[dict] | None, *,
                  old_code: str | None = None, start: dict | None = None) -> dict:
    """Add an indicator to `criterion`, or change indicator `old_code` that this text holds (possibly
    renaming it), with its thresholds (None leaves them as they are). In a layer, an added indicator
    names its `criterion`; one with the code of a base indicator replaces it (`start`: the base's
    indicator, whose other keys — min, max, years… — the replacement keeps)."""
    raw = copy.deepcopy(raw)
    code = str(fields["code"])
    found = find_indicator(raw, old_code) if old_code else None
    if old_code and found is None:
        raise EditError(f'Không có chỉ tiêu "{old_code}" trong phiên bản này.',
                        f'There is no indicator "{old_code}" here.')
    if (old_code is None or code != str(old_code)) and find_indicator(raw, code) is not None:
        raise EditError(f'Đã có chỉ tiêu "{code}".', f'Indicator "{code}" already exists.')
    if found is None:
        target: dict = {k: copy.deepcopy(v) for k, v in (start or {}).items() if k not in ("thresholds", "criterion")}
        if is_layer(raw):
            target["criterion"] = str(criterion)
            raw.setdefault("indicators", []).append(target)
            raw["remove_indicators"] = [c for c in raw.get("remove_indicators") or [] if str(c) != code]
        else:
            crit = find_criterion(raw, criterion)
            if crit is None:
                raise EditError(f'Không có tiêu chí "{criterion}".', f'There is no criterion "{criterion}".')
            crit.setdefault("indicators", []).append(target)
    else:
        target = found[1]
    for key in INDICATOR_FIELDS:
        if key in fields:
            if key == "department" and not fields[key]:
                target.pop(key, None)
            else:
                target[key] = fields[key]
    if is_layer(raw) and (thresholds is not None or target.get("comparison") == "met"):
        # the indicator's own list now holds its thresholds; drop the layer's separate lines for it
        raw["thresholds"] = [t for t in raw.get("thresholds") or []
                             if str(t.get("indicator")) not in (code, str(old_code))]
    if target.get("comparison") == "met":
        target.pop("thresholds", None)
    elif thresholds is not None:
        target["thresholds"] = thresholds
    if old_code and code != str(old_code):
        for crit in criteria(raw):
            if crit.get("alternatives"):
                crit["alternatives"] = [[code if str(c) == str(old_code) else c for c in alt]
                                        for alt in crit["alternatives"]]
    return raw


def set_layer_thresholds(raw: dict, code: str, thresholds: list[dict], *, in_place: bool = False) -> dict:
    """A layer's thresholds for an indicator of its base: replace those it held before."""
    if not in_place:
        raw = copy.deepcopy(raw)
    kept = [t for t in raw.get("thresholds") or [] if str(t.get("indicator")) != str(code)]
    raw["thresholds"] = kept + [{"indicator": str(code), **t} for t in thresholds]
    return raw


def remove_indicator(raw: dict, code: str, *, base_codes: AbstractSet[str] = frozenset()) -> dict:
    """Remove an indicator. In a layer, one of the base set (`base_codes`) is listed in `remove_indicators`."""
    raw = copy.deepcopy(raw)
    removed = False
    for crit in criteria(raw):
        kept = [i for i in crit.get("indicators") or [] if str(i.get("code")) != str(code)]
        if len(kept) != len(crit.get("indicators") or []):
            crit["indicators"], removed = kept, True
            if crit.get("alternatives"):
                crit["alternatives"] = [alt for alt in crit["alternatives"] if str(code) not in map(str, alt)]
                if not crit["alternatives"]:
                    crit.pop("alternatives")
    if is_layer(raw):
        kept = [i for i in raw.get("indicators") or [] if str(i.get("code")) != str(code)]
        removed = removed or len(kept) != len(raw.get("indicators") or [])
        raw["indicators"] = kept
        raw["thresholds"] = [t for t in raw.get("thresholds") or [] if str(t.get("indicator")) != str(code)]
        if str(code) in base_codes:
            listed = [str(c) for c in raw.get("remove_indicators") or []]
            if str(code) not in listed:
                raw["remove_indicators"] = [*listed, str(code)]
            removed = True
    if not removed:
        raise EditError(f'Không có chỉ tiêu "{code}" trong phiên bản này.', f'There is no indicator "{code}" here.')
    return raw


# --- Documents (a layer declares the province's own) --------------------------------------------------


def add_document(raw: dict, document: dict) -> dict:
    if not is_layer(raw):
        raise EditError("Chỉ lớp của tỉnh khai báo văn bản riêng; văn bản quốc gia nằm trong _common.yaml.",
                        "Only a province layer declares its own documents; national ones are in _common.yaml.")
    raw = copy.deepcopy(raw)
    docs = raw.setdefault("documents", [])
    if any(str(d.get("id")) == str(document["id"]) for d in docs):
        raise EditError(f'Đã có văn bản "{document["id"]}".', f'Document "{document["id"]}" already exists.')
    docs.append(document)
    return raw


def parse_alternatives(text: str) -> list[list[str]]:
    """"1.1, 1.2; 1.3" → [["1.1", "1.2"], ["1.3"]]: groups separated by ";" or new lines."""
    groups = [g for g in re.split(r"[;\n]", text or "") if g.strip()]
    return [[c.strip() for c in g.split(",") if c.strip()] for g in groups]


def format_alternatives(alternatives) -> str:
    return "; ".join(", ".join(str(c) for c in alt) for alt in alternatives or [])
