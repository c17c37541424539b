import json
from dataclasses import dataclass
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from ntm.evaluation.presenters import gap_wording, status_label
from ntm.evaluation.report import NoCriteriaSet, as_json, evaluate_unit
from ntm.units.models import Unit
from ntm.units.selectors import AmbiguousUnit, UnitLookupError, describe, find_unit, successors_of


class Command(BaseCommand):
    help = "Đánh giá một xã/huyện theo bộ tiêu chí đang áp dụng / Evaluate a commune or district."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--commune", help="tên xã (có hoặc không dấu) hoặc mã khóa, vd. c28084")
        target.add_argument("--district", help="tên huyện hoặc mã khóa")
        parser.add_argument("--level", default="ntm", help="ntm | ntmnc | model")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
        parser.add_argument("--lang", default="vi", choices=["vi", "en"])

    def handle(self, *args, commune, district, level, year, json: bool, lang: str, **options):
        translation.activate(lang)
        try:
            unit = _find(commune or district, "commune" if commune else "district", year)
        except UnitLookupError as exc:
            raise CommandError(str(exc)) from exc
        if not _existed_in(unit, year):
            raise CommandError(_not_in_year(unit, year, lang))
        try:
            ev = evaluate_unit(unit, level=level, year=year)
        except NoCriteriaSet:
            raise CommandError(_("Không có bộ tiêu chí mức “%(level)s” áp dụng cho năm %(year)s.")
                               % {"level": level, "year": year}) from None
        if json:
            self.stdout.write(_json_dumps(as_json(ev)))
            return
        self._print_text(ev, lang)

    def _print_text(self, ev, lang: str) -> None:
        cset = ev.cset
        name = cset.name_vi if lang == "vi" else cset.name_en
        when = _("năm %(year)s") % {"year": ev.result.year}
        if ev.scope:
            when += ", " + _("vùng/nhóm %(scope)s") % {"scope": ev.scope}
        self.stdout.write(f"{ev.unit.full_name} ({ev.unit.key}) — {name} ({ev.catalog.describe(cset, lang)}), {when}")
        self.stdout.write(_("Đạt %(met)s/%(total)s tiêu chí") % {"met": ev.result.met, "total": ev.result.total})
        if ev.demo_data:
            self.stdout.write(_("Lưu ý: có số liệu mẫu (demo), không phải số liệu thật của đơn vị."))
        crits = {c.code: c for c in cset.criteria}
        inds = {i.code: i for i in cset.indicators}
        for c in ev.result.criteria:
            crit = crits[c.code]
            self.stdout.write(f"{c.code:>3} {crit.name_vi if lang == 'vi' else crit.name_en}: "
                              f"{status_label(c.status).upper()}")
            for i in c.indicators:
                ind = inds[i.code]
                name = ind.name_vi if lang == "vi" else ind.name_en
                unit = ev.catalog.units_en.get(ind.unit, ind.unit) if lang == "en" else ind.unit
                line = _Line(i.status, i.basis, ind.comparison.value, unit, i.value,
                             (i.status == "met") if i.basis == "verdict" else None, i.threshold, i.gap)
                note = _("(ngưỡng minh họa)") if i.demo else _("(ngưỡng tạm tính)") if i.provisional else ""
                note = f" {note}" if note else ""
                self.stdout.write(f"      {i.code} {name}: {gap_wording(line) or status_label(i.status)}{note}")


def _existed_in(unit: Unit, year: int) -> bool:
    return ((unit.valid_from is None or unit.valid_from.year <= year)
            and (unit.valid_to is None or unit.valid_to.year >= year))


def _find(name: str, kind: str, year: int) -> Unit:
    """The unit called `name`; of several (an old and a new commune), the one that existed in `year`."""
    try:
        return find_unit(name, kind=kind)
    except AmbiguousUnit as exc:
        in_year = [u for u in exc.matches if _existed_in(u, year)]
        if len(in_year) == 1:
            return in_year[0]
        raise


def _not_in_year(unit: Unit, year: int, lang: str) -> str:
    """Why `unit` has nothing in `year`, and which units to evaluate instead (lineage of 1/7/2025)."""
    if unit.valid_from is not None and unit.valid_from.year > year:
        others = Unit.objects.filter(successions__successor=unit).select_related("parent__parent").order_by("name")
        text = _("%(unit)s chỉ có từ ngày %(date)s; năm %(year)s hãy đánh giá các đơn vị hợp thành:")
        when = unit.valid_from
    else:
        others = successors_of(unit)
        text = _("%(unit)s không còn sau ngày %(date)s; năm %(year)s hãy đánh giá đơn vị kế thừa:")
        assert unit.valid_to is not None  # not in `year` yet not begun after it: it ended before
        when = unit.valid_to
    head = text % {"unit": unit.full_name, "date": when.strftime("%d/%m/%Y"), "year": year}
    return "\n".join([head, *(f"  - {describe(u, lang)}" for u in others)])


@dataclass(frozen=True)
class _Line:
    """An indicator result in the shape the presenters read."""

    status: str
    basis: str
    comparison: str
    unit: str
    value: Decimal | None
    verdict: bool | None
    threshold: Decimal | None
    gap: Decimal | None


def _json_dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
