"""`ntm units import [--province "Long An" ...]`, `ntm units find NAME [--kind K] [--on DATE]` and
`ntm units boundaries FILE` (the map's boundaries: ntm/maps adds it, see ntm/units/subcommands.py)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ntm.units.actions import ImportReport, import_units
from ntm.units.models import Kind
from ntm.units.selectors import UnitLookupError, describe, find_unit, predecessors_of, successors_of
from ntm.units.subcommands import REGISTERED

KIND_VI = {"province": "tỉnh/thành phố", "district": "huyện", "commune": "xã", "ward": "phường/thị trấn",
           "hamlet": "ấp/thôn"}
KIND_EN = {"province": "provinces", "district": "districts", "commune": "communes", "ward": "wards",
           "hamlet": "hamlets"}
KIND_EN_ONE = {"province": "province", "district": "district", "commune": "commune", "ward": "ward",
               "hamlet": "hamlet"}  # "1 province", not "1 provinces"


def _by_kind(counts, names: dict[str, str], one: dict[str, str] | None = None) -> str:
    parts = [f"{counts[k]} {(one or names)[k] if counts[k] == 1 else names[k]}" for k in names if counts[k]]
    return f" ({', '.join(parts)})" if parts else ""


def report_lines(report: ImportReport, lang: str = "vi") -> list[str]:
    if lang == "en":
        scope = "all 63 provinces" if len(report.provinces) == 63 else ", ".join(report.provinces)
        return [
            f"Imported units of {scope} and their successors from 1/7/2025 in {report.seconds:.1f} s.",
            f"Units: {report.units_created} created{_by_kind(report.created, KIND_EN, KIND_EN_ONE)}, "
            f"{report.units_updated} updated{_by_kind(report.updated, KIND_EN, KIND_EN_ONE)}, "
            f"{report.units_unchanged} unchanged.",
            f"Successions: {report.successions_created} created, {report.successions_updated} updated, "
            f"{report.successions_unchanged} unchanged.",
        ]
    scope = "cả 63 tỉnh/thành phố" if len(report.provinces) == 63 else ", ".join(report.provinces)
    return [
        f"Đã nhập đơn vị hành chính của {scope} và các đơn vị kế thừa từ 1/7/2025 "
        f"trong {report.seconds:.1f} giây.",
        f"Đơn vị: tạo mới {report.units_created}{_by_kind(report.created, KIND_VI)}, "
        f"cập nhật {report.units_updated}{_by_kind(report.updated, KIND_VI)}, "
        f"không đổi {report.units_unchanged}.",
        f"Quan hệ kế thừa: tạo mới {report.successions_created}, cập nhật {report.successions_updated}, "
        f"không đổi {report.successions_unchanged}.",
    ]


class Command(BaseCommand):
    help = ("Đơn vị hành chính: nhập từ gói vietnam-provinces, tìm theo tên / "
            "Administrative units: import, find.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="nhập tỉnh, huyện, xã (trước và sau 1/7/2025) và quan hệ kế thừa")
        imp.add_argument("--province", action="append", dest="provinces", metavar="TÊN",
                         help='chỉ nhập tỉnh này (tên trước 1/7/2025, có hoặc không dấu); lặp lại được, '
                              'vd. --province "Long An"')
        imp.add_argument("--lang", default="vi", choices=["vi", "en"])
        find = sub.add_parser("find",
                              help="tìm một đơn vị theo tên (có hoặc không dấu, có hoặc không tiền tố)")
        find.add_argument("name")
        find.add_argument("--kind", choices=[k.value for k in Kind])
        find.add_argument("--on", type=date.fromisoformat, help="ngày hiệu lực, YYYY-MM-DD")
        find.add_argument("--lang", default="vi", choices=["vi", "en"])
        for extra in REGISTERED.values():  # added by the apps above (the map's `boundaries`)
            extra.add_parser(sub)

    def handle(self, *args, action: str, lang: str = "vi", **options) -> None:
        if action in REGISTERED:
            REGISTERED[action].run({**options, "lang": lang}, self.stdout)
        elif action == "import":
            self._import(options["provinces"], lang)
        else:
            self._find(options["name"], options["kind"], options["on"], lang)

    def _import(self, provinces: list[str] | None, lang: str) -> None:
        try:
            report = import_units(province_names=provinces)
        except UnitLookupError as exc:
            raise CommandError(exc.message(lang)) from exc
        for line in report_lines(report, lang):
            self.stdout.write(line)

    def _find(self, name: str, kind: str | None, on: date | None, lang: str) -> None:
        try:
            unit = find_unit(name, kind=kind, on=on)
        except UnitLookupError as exc:
            raise CommandError(exc.message(lang)) from exc  # exit status 1
        self.stdout.write(describe(unit, lang))
        for label_vi, label_en, units in (("Kế thừa bởi", "Succeeded by", successors_of(unit)),
                                          ("Kế thừa từ", "Succeeds", predecessors_of(unit))):
            listed = ", ".join(f"{u.full_name} [{u.key}]" for u in units)
            if listed:
                self.stdout.write(f"  {label_en if lang == 'en' else label_vi}: {listed}")
