"""How a bounded figure reads ("> 96 %", "> 96 / 95 %: đạt"), for any page that shows figures. A line is
anything shaped like `ntm.evaluation.presenters.Line` (status, basis, value, threshold, unit, gap text)."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ntm.catalog_source import get_catalog
from ntm.figures.parsing import bound_symbol, with_bound

from . import presenters


def value_with_bound(text: str, bound: str) -> str:
    """A value's text ("96 %", "96 % · Đạt") with its bound in front, unless it already has it."""
    if not bound or text.startswith(bound_symbol(bound)):
        return text
    return with_bound(bound, text)


def bounded_gap(line, bound: str, plain: str) -> str:
    """How a bounded value stands against the threshold: met or not met for every value the bound
    allows, or not evaluable because it allows both. `plain` is the wording for an exact value, used
    when there is no bound, no threshold or the verdict was recorded."""
    if not bound or line.basis == "verdict" or line.value is None or line.threshold is None:
        return plain
    pair = f"{with_bound(bound, presenters.number(line.value))} / {presenters.with_unit(line.threshold, line.unit)}"
    if line.status == "met":
        return _("%(pair)s: đạt (mọi giá trị trong giới hạn này đều đạt)") % {"pair": pair}
    if line.status == "not_met":
        return _("%(pair)s: chưa đạt (không giá trị nào trong giới hạn này đạt)") % {"pair": pair}
    return _("%(pair)s: chưa đánh giá được, vì giới hạn này gồm cả giá trị đạt và chưa đạt; "
             "cần số liệu chính xác hơn") % {"pair": pair}


def set_title(cset) -> str:
    """A criteria set as people name it, in the active language, with its decision: "Bộ tiêu chí quốc gia về
    xã nông thôn mới nâng cao giai đoạn 2021 - 2025 (318/QĐ-TTg)", never its id."""
    english = (get_language() or "vi").startswith("en")
    name = cset.name_en if english and cset.name_en else cset.name_vi
    document = get_catalog().documents.get(cset.document)
    return f"{name} ({document.number})" if document else name
