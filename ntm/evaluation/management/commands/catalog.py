"""`ntm catalog check`, `ntm catalog gaps` and `ntm catalog show`: validate the criteria catalog, count
what an office still has to take from the official documents (lines and values, per set, per province
layer and per province), and list every criterion, indicator and value with what it rests on."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from ntm.catalog_source import get_catalog, shadowed_versions
from ntm.core.catalog import Catalog, CriteriaSet, Dimension
from ntm.core.gaps import render, set_years, summarize, summary_json, summary_lines, total_line
from ntm.core.loader import CatalogError, load_catalog
from ntm.core.provenance import show, show_lines
from ntm.units.classification import communes_without_group


def _say(lang: str, vi: str, en: str) -> str:
    return vi if lang == "vi" else en


def _communes_without_group(province: str | None) -> int | None:
    """How many communes of the 2026–2030 era have no group 1/2/3 (None: the unit tables are not there)."""
    try:
        return communes_without_group(province_key=province or None)
    except DatabaseError:  # before `migrate`: the catalog can still be checked and listed
        return None


class Command(BaseCommand):
    help = (
        "check: validate the catalog (every problem, one per line; exit status 1 on problems), and warn about "
        "published versions left unused. gaps: count every missing or provisional threshold as lines and as "
        "values (indicator × region or group × year), per set, per province layer and per province. "
        "show SET: every criterion, indicator and value with its status, document and the layers composed."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check", "gaps", "show"])
        parser.add_argument("set_arg", nargs="?", metavar="SET", help="show: the criteria set (its id)")
        parser.add_argument("--dir", help="catalog folder (default: the repository's with the published versions)")
        parser.add_argument("--set", dest="set_id", help="gaps, show: only this criteria set (its id)")
        parser.add_argument("--province", help="gaps, show: a province's unit key (e.g. p80): the set with its layers")
        parser.add_argument("--year", type=int, help="show: only this year")
        parser.add_argument("--json", dest="as_json", action="store_true", help="gaps, show: machine-readable output")
        parser.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of the output")

    def handle(self, *args, action: str, set_arg: str | None, dir: str | None, set_id: str | None,
               province: str | None, year: int | None, as_json: bool, lang: str, **options):
        self.lang = lang
        if set_arg and set_id and set_arg != set_id:
            raise CommandError(_say(lang, f'hai bộ tiêu chí khác nhau: "{set_arg}" và --set "{set_id}"',
                                    f'two different sets: "{set_arg}" and --set "{set_id}"'))
        set_id = set_id or set_arg
        if action != "show" and year is not None:
            raise CommandError(_say(lang, "--year chỉ dùng với show", "--year is for show only"))
        if action == "check" and (set_id or province or as_json):
            raise CommandError(_say(lang, "check kiểm tra cả danh mục: không nhận bộ tiêu chí, --province hay --json",
                                    "check validates the whole catalog: no set, --province or --json"))
        catalog = self._load(Path(dir) if dir else None)
        if action == "check":
            self._check(catalog, from_database=dir is None)
            return
        if set_id:
            self._known_set(catalog, set_id)
        province_name = self._province_name(catalog, province) if province else ""
        if action == "gaps":
            self._gaps(catalog, set_id, province or "", province_name, as_json)
            return
        if not set_id:
            raise CommandError(_say(lang, "show cần mã bộ tiêu chí, ví dụ: ntm catalog show commune-ntm-2021-2025",
                                    "show needs a set id, e.g. ntm catalog show commune-ntm-2021-2025"))
        self._show(catalog, set_id, province or "", province_name, year, as_json)

    # --- check -----------------------------------------------------------------------------------------

    def _check(self, catalog: Catalog, *, from_database: bool) -> None:
        sets = catalog.sets
        counts = (len(sets), sum(len(s.criteria) for s in sets), sum(len(s.indicators) for s in sets))
        layers = len(catalog.layers)
        self.stdout.write("OK: {} sets, {} criteria, {} indicators".format(*counts)
                          + (f", {layers} layers" if layers else ""))
        if not from_database:
            return
        for s in shadowed_versions():
            self.stdout.write(_say(
                self.lang,
                f"Cảnh báo: {s.set_id} phiên bản {s.version} đã phê duyệt nhưng không được dùng: tệp trong kho"
                f" (phiên bản {s.repository_version}) mới bằng hoặc mới hơn",
                f"Warning: {s.set_id} version {s.version} is published but not used: the repository's file"
                f" (version {s.repository_version}) is as new or newer"))

    # --- gaps ------------------------------------------------------------------------------------------

    def _gaps(self, catalog: Catalog, set_id: str | None, province: str, province_name: str, as_json: bool):
        summaries = summarize(catalog, set_id, province, province_name)
        without_group = {s.cset.id: _communes_without_group(province) for s in summaries
                         if s.cset.dimension == Dimension.GROUP}
        if as_json:
            data = {"province": province or None,
                    "sets": [summary_json(catalog, s, self.lang, without_group.get(s.cset.id)) for s in summaries]}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for s in summaries:
            for gap in s.gaps + [g for ls in s.layers for g in ls.gaps]:
                self.stdout.write(render(gap, self.lang))
        for s in summaries:
            for line in summary_lines(catalog, s, self.lang, without_group.get(s.cset.id)):
                self.stdout.write(line)
            if s.cset.id in without_group and without_group[s.cset.id] is None:
                self.stdout.write(_say(self.lang, "  số xã chưa có nhóm: chưa biết (cơ sở dữ liệu chưa có danh sách"
                                                  " đơn vị; chạy ntm migrate và ntm units import)",
                                       "  communes without a group: unknown (the database holds no unit list yet;"
                                       " run ntm migrate and ntm units import)"))
        self.stdout.write(total_line(summaries, self.lang))

    # --- show ------------------------------------------------------------------------------------------

    def _show(self, catalog: Catalog, set_id: str, province: str, province_name: str, year: int | None,
              as_json: bool) -> None:
        cset = catalog.get(set_id)
        if year is not None and year not in set_years(catalog, cset):
            raise CommandError(self._years_error(catalog, cset, year))
        data = show(catalog, set_id, province, year, self.lang, province_name)
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for line in show_lines(data, self.lang):
            self.stdout.write(line)

    def _years_error(self, catalog: Catalog, cset: CriteriaSet, year: int) -> str:
        years = set_years(catalog, cset)
        span = f"{years[0]}–{years[-1]}"
        return _say(self.lang, f"bộ {cset.id} không áp dụng cho năm {year} (áp dụng {span})",
                    f"set {cset.id} does not apply to {year} (it applies {span})")

    # --- input -----------------------------------------------------------------------------------------

    def _known_set(self, catalog: Catalog, set_id: str) -> None:
        if set_id not in {s.id for s in catalog.sets}:
            known = ", ".join(s.id for s in catalog.sets)
            layer = next((x for x in catalog.layers if x.id == set_id), None)
            hint = _say(self.lang, f" ({set_id} là lớp của tỉnh trên bộ {layer.base}: dùng --province)",
                        f" ({set_id} is a province layer over {layer.base}: use --province)") if layer else ""
            raise CommandError(_say(self.lang, f'bộ tiêu chí "{set_id}" không có{hint} (có: {known})',
                                    f'no criteria set "{set_id}"{hint} (known: {known})'))

    def _province_name(self, catalog: Catalog, key: str) -> str:
        """The province's name; an error when neither a layer nor the unit list knows the key."""
        from ntm.units.models import Kind, Unit

        try:
            name = Unit.objects.filter(key=key, kind=Kind.PROVINCE).values_list("name", flat=True).first()
        except DatabaseError:
            name = None
        if name:
            return name
        for layer in catalog.layers:
            if key in layer.provinces:
                return layer.province_names[layer.provinces.index(key)]
        raise CommandError(_say(self.lang, f'không có tỉnh mã "{key}" (mã khóa đơn vị, ví dụ p80 hoặc p80-2025)',
                                f'no province with key "{key}" (a unit key, e.g. p80 or p80-2025)'))

    def _load(self, directory: Path | None) -> Catalog:
        lang = self.lang
        try:
            if directory is None:
                return get_catalog()
            return load_catalog(directory)
        except CatalogError as exc:
            # One problem per line: a YAML error message spans several lines of its own.
            lines = [" ".join(part.strip() for part in p.render(lang).splitlines()) for p in exc.problems]
            count = len(exc.problems)
            lines.append(f"{count} lỗi trong danh mục tiêu chí" if lang == "vi" else f"{count} catalog problems")
            raise CommandError("\n".join(lines)) from exc
        except OSError as exc:
            where = directory or settings.CATALOG_DIR
            raise CommandError(f"không đọc được danh mục {where}: {exc}" if lang == "vi"
                               else f"cannot read the catalog at {where}: {exc}") from exc
