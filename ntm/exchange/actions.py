"""Writes of the exchange app: applying an import plan (through `record_figures`, all or nothing) and
storing a new version of a criteria set."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ntm.evaluation.catalog_source import reload_catalog
from ntm.figures.actions import FigureInput, FigureRejected, record_figures
from ntm.units.models import Unit

from . import catalog_store
from .catalog_sheet import NewVersion
from .plan import Current, Plan
from .selectors import current_figures


class PlanStale(FigureRejected):
    """Someone changed a figure between the preview and the confirmation."""


@transaction.atomic
def apply_plan(plan: Plan, *, by) -> int:
    """Record every change of the plan, or nothing. Refused if a figure changed since the preview."""
    keys = sorted({c.unit_key for c in plan.changes})
    units = {u.key: u for u in Unit.objects.filter(key__in=keys)}
    now = current_figures(list(units.values()), plan.set_id, plan.year)
    moved = [c for c in plan.changes if _same(now.get((c.unit_key, c.indicator))) != _same(c.old)]
    if moved:
        raise PlanStale(_("Trong lúc xem trước, số liệu đã được người khác cập nhật (%(which)s). Hãy tải tệp "
                          "lên lần nữa để xem thay đổi mới.") % {
            "which": ", ".join(f"{c.unit_name} {c.indicator}" for c in moved)})
    return record_figures([
        FigureInput(unit=units[c.unit_key], criteria_set=plan.set_id, indicator=c.indicator, year=plan.year,
                    value=c.new.value, verdict=c.new.verdict, judged_by=c.new.judged_by, source_note=c.new.note)
        for c in plan.changes
    ], by=by)


def _same(c: Current | None) -> tuple | None:
    return None if c is None else (c.value, c.verdict, c.note)


def save_catalog_version(version: NewVersion) -> str:
    """Write the new version beside the older ones; never overwrite one. Returns the file name."""
    directory = catalog_store.local_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / version.file_name).open("x", encoding="utf-8") as f:
        f.write(version.text)
    reload_catalog()  # the new version is what this process evaluates with from now on
    return version.file_name
