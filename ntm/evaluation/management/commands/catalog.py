"""`ntm catalog check` and `ntm catalog gaps`: validate the criteria catalog, and list what an office
still has to take from the official documents (missing or provisional thresholds and sources)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ntm.core.catalog import Catalog
from ntm.core.gaps import find_gaps, render, total_line
from ntm.core.loader import CatalogError, load_catalog
from ntm.evaluation.catalog_source import get_catalog


class Command(BaseCommand):
    help = (
        "check: validate the catalog (every problem, one per line; exit status 1 on problems). "
        "gaps: list every missing or provisional threshold and every provisional criterion/indicator source."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check", "gaps"])
        parser.add_argument("--dir", help="catalog folder (default: settings.CATALOG_DIR)")
        parser.add_argument("--set", dest="set_id", help="gaps: only this criteria set (its id)")
        parser.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of the output")

    def handle(self, *args, action: str, dir: str | None, set_id: str | None, lang: str, **options):
        catalog = self._load(Path(dir) if dir else None, lang)
        if action == "check":
            sets = catalog.sets
            counts = (len(sets), sum(len(s.criteria) for s in sets), sum(len(s.indicators) for s in sets))
            self.stdout.write("OK: {} sets, {} criteria, {} indicators".format(*counts))
            return
        if set_id and set_id not in {s.id for s in catalog.sets}:
            known = ", ".join(s.id for s in catalog.sets)
            raise CommandError(f'bộ tiêu chí "{set_id}" không có (có: {known})' if lang == "vi"
                               else f'no criteria set "{set_id}" (known: {known})')
        gaps = find_gaps(catalog, set_id)
        for gap in gaps:
            self.stdout.write(render(gap, lang))
        self.stdout.write(total_line(len(gaps), lang))

    def _load(self, directory: Path | None, lang: str) -> Catalog:
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
