"""What the catalog still lacks: missing official thresholds (`value: null`), provisional thresholds,
and provisional criterion / indicator sources — each with the document an office must take it from.

Pure: a `Catalog` in, `Gap`s out; `render` turns one into a line of text in Vietnamese or English.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .catalog import ANY, Catalog, CriteriaSet, Criterion, Document, Indicator, Source


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

    @property
    def status(self) -> str:
        return "missing" if self.kind is GapKind.MISSING_THRESHOLD else "provisional"

    @property
    def is_threshold(self) -> bool:
        return self.kind in (GapKind.MISSING_THRESHOLD, GapKind.PROVISIONAL_THRESHOLD)


def _document(catalog: Catalog, *sources: Source | str | None) -> Document | None:
    """The first document named by the sources, most specific first (a set's document id last)."""
    for s in sources:
        doc_id = s if isinstance(s, str) else (s.document if s is not None else None)
        if doc_id and doc_id in catalog.documents:
            return catalog.documents[doc_id]
    return None


def _indicator_gaps(catalog: Catalog, cset: CriteriaSet, crit: Criterion, ind: Indicator) -> list[Gap]:
    out: list[Gap] = []
    if ind.source.provisional:
        out.append(Gap(cset.id, GapKind.PROVISIONAL_INDICATOR, crit.code, ind.code,
                       document=_document(catalog, ind.source, crit.source, cset.document), note=ind.source.note))
    for t in ind.thresholds:
        if not (t.missing or t.source.provisional):
            continue
        kind = GapKind.MISSING_THRESHOLD if t.missing else GapKind.PROVISIONAL_THRESHOLD
        out.append(Gap(cset.id, kind, crit.code, ind.code, t.scope, t.year,
                       _document(catalog, t.source, ind.source, crit.source, cset.document), t.source.note))
    return out


def find_gaps(catalog: Catalog, set_id: str | None = None) -> list[Gap]:
    """Every gap of every set (or of one set), in catalog order. Raises KeyError for an unknown set."""
    sets = (catalog.get(set_id),) if set_id else catalog.sets
    out: list[Gap] = []
    for cset in sets:
        for crit in cset.criteria:
            if crit.source.provisional:
                out.append(Gap(cset.id, GapKind.PROVISIONAL_CRITERION, crit.code,
                               document=_document(catalog, crit.source, cset.document), note=crit.source.note))
            for ind in crit.indicators:
                out.extend(_indicator_gaps(catalog, cset, crit, ind))
    return out


_LABELS = {
    "vi": {
        "criterion": "tiêu chí", "indicator": "chỉ tiêu", "scope": "vùng/nhóm", "all_scopes": "mọi vùng/nhóm",
        "year": "năm", "all_years": "mọi năm", "missing": "thiếu số chính thức", "provisional": "tạm tính",
        "source": "nguồn", "threshold": "ngưỡng", "document": "lấy từ", "no_document": "(chưa rõ văn bản)",
        "total": "Tổng cộng: {n} chỗ thiếu hoặc tạm tính",
    },
    "en": {
        "criterion": "criterion", "indicator": "indicator", "scope": "scope", "all_scopes": "every scope",
        "year": "year", "all_years": "every year", "missing": "official value missing", "provisional": "provisional",
        "source": "source", "threshold": "threshold", "document": "take from", "no_document": "(document unknown)",
        "total": "Total: {n} missing or provisional items",
    },
}


def render(gap: Gap, lang: str = "vi") -> str:
    """One line: set · criterion · indicator · scope/year · status · document (number + title) · note."""
    lab = _LABELS["en" if lang == "en" else "vi"]
    parts = [gap.set_id, f"{lab['criterion']} {gap.criterion}"]
    if gap.indicator:
        parts.append(f"{lab['indicator']} {gap.indicator}")
    if gap.is_threshold:
        scope = lab["all_scopes"] if gap.scope == ANY else f"{lab['scope']} {gap.scope}"
        year = lab["all_years"] if gap.year is None else f"{lab['year']} {gap.year}"
        parts.append(f"{lab['threshold']} {scope}, {year}")
    else:
        parts.append(lab["source"])
    parts.append(lab[gap.status])
    doc = f"{gap.document.number} ({gap.document.title_vi})" if gap.document else lab["no_document"]
    parts.append(f"{lab['document']}: {doc}")
    line = " · ".join(parts)
    return f"{line} — {gap.note}" if gap.note else line


def total_line(count: int, lang: str = "vi") -> str:
    return _LABELS["en" if lang == "en" else "vi"]["total"].format(n=count)
