"""The one rule for locked figures: once a commune's recognition dossier is verified (then appraised,
recognised), the figures of that commune, the dossier's set and year are locked, so what the reviewers
checked cannot change under them. `record_figure` and `record_figures` ask here, so the page, the Excel
import and the API all obey it. The province office (or an administrator) may lift a lock with a reason;
the dossier's next step locks the figures again.

The lock is read from the dossier's step (never copied), so a return to drafting unlocks at once. Dossiers
belong to the recognition app, which builds on this one: it registers where the locks are read
(`ntm.recognition.figure_locks.locks_of`) in `RecognitionConfig.ready`, and holds the unlocking."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Value
from django.db.models.expressions import BaseExpression
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ntm.accounts.access import covers, is_admin, memberships_of
from ntm.accounts.models import Role
from ntm.catalog_source import get_catalog
from ntm.units.models import Unit


@dataclass(frozen=True)
class Lock:
    """Why the figures of one commune, set and year cannot be changed."""

    dossier: Any  # ntm.recognition.models.Dossier
    since: datetime

    @property
    def reason(self) -> str:
        d = self.dossier
        return (_("Số liệu đã khóa: hồ sơ công nhận %(level)s năm %(year)s của %(commune)s (hồ sơ số %(id)s) "
                  "ở bước “%(step)s” từ %(since)s. Văn phòng Điều phối NTM tỉnh có thể mở khóa, kèm lý do.")
                % {"level": d.get_level_display(), "year": d.year, "commune": d.commune.name, "id": d.pk,
                   "step": d.get_step_display(), "since": _when(self.since)})


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _level_of(set_id: str) -> str | None:
    try:
        return get_catalog().get(set_id).level
    except KeyError:
        return None


# Where the locks are read: {(commune id, level, year): Lock} of some communes and years. Registered by the
# recognition app; no lock while none is.
_lock_sources: list[Callable[[Collection[int], Collection[int]], dict[tuple[int, str, int], Lock]]] = []
# The source's cheap test, an expression over a figure row given the set's level: true when its figures may
# be locked (a save reads it with the row it replaces, and reads the lock only then).
_lock_hints: list[Callable[[str], BaseExpression]] = []


def read_locks_from(source: Callable[[Collection[int], Collection[int]], dict[tuple[int, str, int], Lock]],
                    hint: Callable[[str], BaseExpression] | None = None) -> None:
    _lock_sources[:] = [source]
    _lock_hints[:] = [hint] if hint is not None else []


def lock_hint(criteria_set: str) -> BaseExpression | None:
    """An expression over a figure row of that set: false when its figures are surely not locked, true when
    `lock_for` must say. None when the source gives no such test (ask `lock_for`)."""
    level = _level_of(criteria_set)
    if level is None or not _lock_sources:
        return Value(False)
    return _lock_hints[0](level) if _lock_hints else None


def _locks(unit_ids: Collection[int], years: Collection[int]) -> dict[tuple[int, str, int], Lock]:
    out: dict[tuple[int, str, int], Lock] = {}
    for source in _lock_sources:
        out.update(source(unit_ids, years))
    return out


def lock_for(unit: Unit | int, criteria_set: str, year: int) -> Lock | None:
    """The lock on these figures, or None."""
    level = _level_of(criteria_set)
    if level is None:  # not a set of the catalog: nothing locks it
        return None
    unit_id = unit if isinstance(unit, int) else unit.pk
    return _locks({unit_id}, {year}).get((unit_id, level, year))


def locks_among(keys: Iterable[tuple[int, str, int]]) -> dict[tuple[int, str, int], Lock]:
    """The locks on many (unit id, set id, year) at once, in three queries (imports)."""
    keys = set(keys)
    if not keys:
        return {}
    units, years = {k[0] for k in keys}, {k[2] for k in keys}
    found = _locks(units, years)
    out = {}
    for unit_id, set_id, year in keys:
        if (level := _level_of(set_id)) is not None and (lock := found.get((unit_id, level, year))):
            out[(unit_id, set_id, year)] = lock
    return out


def may_unlock(user, commune: Unit) -> bool:
    """The province office over the commune, or an administrator."""
    return is_admin(user) or any(m.role == Role.PROVINCE_OFFICE and m.unit is not None and covers(m.unit, commune)
                                 for m in memberships_of(user))
