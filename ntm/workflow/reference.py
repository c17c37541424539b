"""Small reference data the workflow reads: the hard-criteria list (hard_criteria.yaml) and the catalog's
district departments. Both are read once per process and checked against the catalog, failing loudly."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language

from ntm.catalog_source import get_catalog

HARD_CRITERIA_FILE = Path(__file__).parent / "hard_criteria.yaml"


def read_hard_criteria(path: Path) -> dict[str, frozenset[str]]:
    """Criterion codes per criteria set; every unknown set or code is reported at once."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    catalog = get_catalog()
    problems: list[str] = []
    out: dict[str, frozenset[str]] = {}
    for set_id, codes in (raw.get("sets") or {}).items():
        try:
            known = {c.code for c in catalog.get(set_id).criteria}
        except KeyError:
            problems.append(f"{path.name}: bộ tiêu chí {set_id!r} không có trong danh mục")
            continue
        problems += [f"{path.name}: {set_id}: tiêu chí {code!r} không có trong bộ" for code in codes
                     if str(code) not in known]
        out[set_id] = frozenset(str(c) for c in codes)
    if problems:
        raise ImproperlyConfigured("; ".join(problems))
    return out


@cache
def hard_criteria() -> dict[str, frozenset[str]]:
    return read_hard_criteria(HARD_CRITERIA_FILE)


@cache
def _departments() -> tuple[tuple[str, str, str], ...]:
    raw = yaml.safe_load((Path(settings.CATALOG_DIR) / "_common.yaml").read_text(encoding="utf-8")) or {}
    return tuple((d["code"], d["name_vi"], d.get("name_en") or d["name_vi"]) for d in raw.get("departments") or [])


def departments() -> list[tuple[str, str]]:
    """(code, name) of the catalog's district departments, in the active language."""
    english = (get_language() or "vi").startswith("en")
    return [(code, en if english else vi) for code, vi, en in _departments()]


def department_name(code: str) -> str:
    return dict(departments()).get(code, code)
