import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from ntm.catalog_source import get_catalog
from ntm.evaluation.actions import refresh_results
from ntm.evaluation.jobs import years_to_refresh
from ntm.evaluation.verify import differences
from ntm.units.models import Kind, Unit
from ntm.units.selectors import UnitLookupError, find_unit


class Command(BaseCommand):
    help = ("Làm mới hoặc kiểm tra kết quả đã lưu / Refresh stored results, or verify them against a fresh "
            "evaluation (exit 1 on any difference).")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["refresh", "verify"])
        parser.add_argument("--set", dest="set_id", help="mã bộ tiêu chí, vd. commune-ntmnc-2021-2025")
        parser.add_argument("--province", help="tên tỉnh (có hoặc không dấu) hoặc mã khóa, vd. p80")
        parser.add_argument("--year", type=int)
        parser.add_argument("--lang", default="vi", choices=["vi", "en"])

    def handle(self, *args, action: str, set_id, province, year, lang: str, **options):
        translation.activate(lang)
        if set_id and set_id not in {s.id for s in get_catalog().sets}:
            raise CommandError(_("Không có bộ tiêu chí “%(id)s”.") % {"id": set_id})
        unit_ids = self._province_units(province) if province else None
        set_ids = {set_id} if set_id else None
        if action == "refresh":
            years = [year] if year else years_to_refresh(set_ids)
            # force: every result rewritten, also one that was altered while its inputs stayed the same
            written = sum(refresh_results(y, communes=unit_ids, set_ids=set_ids, force=True) for y in years)
            self.stdout.write(_("Đã đánh giá lại %(n)s kết quả (năm %(years)s).")
                              % {"n": written, "years": ", ".join(map(str, years)) or "—"})
            return
        found = differences(set_ids=set_ids, years=[year] if year else None, unit_ids=unit_ids)
        for d in found:
            self.stdout.write(d.render())
        if found:
            self.stderr.write(_("%(n)s khác biệt giữa kết quả đã lưu và đánh giá mới; chạy “ntm results "
                                "refresh”.") % {"n": len(found)})
            sys.exit(1)
        self.stdout.write(_("Kết quả đã lưu khớp với đánh giá mới: 0 khác biệt."))

    def _province_units(self, name: str) -> list[int]:
        try:
            province = find_unit(name, kind=Kind.PROVINCE)
        except UnitLookupError as exc:
            raise CommandError(exc.message(translation.get_language() or "vi")) from exc
        districts = list(Unit.objects.filter(parent=province, kind=Kind.DISTRICT).values_list("pk", flat=True))
        communes = Unit.objects.filter(parent_id__in=[province.pk, *districts]).values_list("pk", flat=True)
        return [*communes, *districts]
