"""Writes of the exchange app: applying an import plan (through `ntm.figures.bulk.write_figures`, all or nothing) and
reading a catalog workbook into a draft version of a set or layer (stored through `ntm.catalogs`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from ntm.catalogs.actions import VersionRefused, check_text, create_draft, in_force_version
from ntm.figures.actions import FigureInput, FigureRejected
from ntm.figures.bulk import FiguresMoved, key_of, write_figures
from ntm.units.models import Unit

from . import catalog_sheet, catalog_store
from .catalog_diff import Change, diff_sets
from .plan import Current, Plan
from .xlsx_read import CellError


class PlanStale(FigureRejected):
    """Someone changed a figure between the preview and the confirmation."""


@transaction.atomic
def apply_plan(plan: Plan, *, by) -> int:
    """Record every change of the plan, or nothing (`ntm.figures.bulk.write_figures`: set-based, the same
    checks and locks as a single save). Refused if a figure changed since the preview."""
    keys = sorted({c.unit_key for c in plan.changes})
    units = {u.key: u for u in Unit.objects.filter(key__in=keys)}
    items, expected, changes = [], {}, {}
    for c in plan.changes:
        item = FigureInput(unit=units[c.unit_key], criteria_set=plan.set_id, indicator=c.indicator, year=plan.year,
                           value=c.new.value, bound=c.new.bound, verdict=c.new.verdict, judged_by=c.new.judged_by,
                           source_note=c.new.note)
        items.append(item)
        expected[key_of(item)] = _same(c.old)
        changes[key_of(item)] = c
    try:
        return write_figures(items, by=by, expected=expected)
    except FiguresMoved as exc:
        if not exc.keys:
            raise
        raise PlanStale(_("Trong lúc xem trước, số liệu đã được người khác cập nhật (%(which)s). Hãy tải tệp "
                          "lên lần nữa để xem thay đổi mới.") % {
            "which": ", ".join(f"{changes[k].unit_name} {changes[k].indicator}" for k in exc.keys)}) from None


def _same(c: Current | None) -> tuple | None:
    return None if c is None else c.compared


@dataclass
class CatalogImport:
    """A workbook read and judged, before anything is stored: the YAML text of the new version, what
    it changes against the version in force, or the located problems that refuse it."""

    text: str = ""
    set_id: str = ""
    version: str = ""
    renumbered_from: str = ""  # the workbook's version, when it was not newer than the one in force
    based_on: str = ""  # the version in force it was compared with ("" for a new set or layer)
    layer: bool = False
    changes: list[Change] = field(default_factory=list)
    problems: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.text)


def read_catalog_import(data: bytes) -> CatalogImport:
    """Read a filled catalog workbook, number its version after the one in force, and judge it with
    everything else in force (the rules of `ntm catalog check`). Writes nothing."""
    book = catalog_sheet.read_book(data, base_for=_in_force_text)
    base_text = book.base_text
    found = CatalogImport(set_id=book.set_id, version=book.version, layer=book.layer)
    found.problems = catalog_sheet.check_book(book)
    if found.problems:
        return found
    text = book.text
    current = str((yaml.safe_load(base_text) or {}).get("version", "")) if base_text else ""
    if current and catalog_store.version_key(book.version) <= catalog_store.version_key(current):
        found.renumbered_from, found.version = book.version, catalog_sheet.bump(current)
        text = catalog_sheet.with_version(text, found.version)
    try:
        check_text(text)
    except VersionRefused as exc:
        found.problems = catalog_sheet.locate(exc.problems, book.rows) or [CellError(
            catalog_sheet.SET_SHEET, None, "", str(exc))]
        return found
    found.text, found.based_on = text, current
    found.changes = diff_sets(base_text or None, text)
    return found


def _in_force_text(set_id: str) -> str | None:
    try:
        return catalog_store.base_text(set_id)[1]
    except KeyError:
        return None


def store_catalog_import(text: str, *, based_on: str, by, note: str = ""):
    """The previewed text as a DRAFT version (in force only once a second person approves it).
    Refused (`VersionRefused`) if the version in force moved since the preview."""
    raw = yaml.safe_load(text)
    current = in_force_version(str(raw.get("id")))
    if current != based_on:
        raise VersionRefused(_("Trong lúc xem trước, phiên bản đang áp dụng đã đổi (%(old)s → %(new)s). Hãy tải "
                               "sổ lên lần nữa để xem thay đổi so với phiên bản mới.")
                             % {"old": based_on or "—", "new": current or "—"})
    return create_draft(text, by=by, note=note or _("Nhập từ sổ Excel"))
