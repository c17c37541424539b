"""The one rule for locked figures: once a commune's recognition dossier is verified (then appraised,
recognised), the figures of that commune, the dossier's set and year are locked, so what the reviewers
checked cannot change under them. `record_figure` and `record_figures` ask here, so the page, the Excel
import and the API all obey it. The province office (or an administrator) may lift a lock with a reason;
the dossier's next step locks the figures again.

The lock is read from the dossier's step (never copied), so a return to drafting unlocks at once and
nothing needs a hook in the recognition app."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ntm.accounts.access import covers, is_admin, memberships_of
from ntm.accounts.models import Role
from ntm.evaluation.catalog_source import get_catalog
from ntm.recognition.models import Dossier, DossierEvent, Step
from ntm.units.models import Unit

from .models import FigureUnlock

LOCKING_STEPS = (Step.VERIFIED, Step.APPRAISED, Step.RECOGNISED)


@dataclass(frozen=True)
class Lock:
    """Why the figures of one commune, set and year cannot be changed."""

    dossier: Dossier
    since: datetime

    @property
    def reason(self) -> str:
        d = self.dossier
        return (_("Số liệu đã khóa: hồ sơ công nhận %(level)s năm %(year)s của %(commune)s (hồ sơ số %(id)s) "
                  "ở bước “%(step)s” từ %(since)s. Văn phòng Điều phối NTM tỉnh có thể mở khóa, kèm lý do.")
                % {"level": d.get_level_display(), "year": d.year, "commune": d.commune.name, "id": d.pk,
                   "step": d.get_step_display(), "since": _when(self.since)})


class FigureUnlockRefused(ValueError):
    """An unlock that cannot be made; the message says why."""


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _level_of(set_id: str) -> str | None:
    try:
        return get_catalog().get(set_id).level
    except KeyError:
        return None


def _locks(dossiers: Iterable[Dossier]) -> dict[tuple[int, str, int], Lock]:
    """The locks these dossiers hold, keyed (commune id, level, year); unlocked ones left out."""
    dossiers = [d for d in dossiers if d.step in LOCKING_STEPS]
    if not dossiers:
        return {}
    ids = [d.pk for d in dossiers]
    since = {(row["dossier_id"], row["to_step"]): row["at"] for row in
             DossierEvent.objects.filter(dossier_id__in=ids).values("dossier_id", "to_step").annotate(at=Max("at"))}
    unlocked = {(row["dossier_id"], row["step"]): row["at"] for row in
                FigureUnlock.objects.filter(dossier_id__in=ids).values("dossier_id", "step")
                .annotate(at=Max("unlocked_at"))}
    out = {}
    for d in dossiers:
        at = since.get((d.pk, d.step), d.updated_at)
        lifted = unlocked.get((d.pk, d.step))
        if lifted is None or lifted < at:
            out[(d.commune_id, d.level, d.year)] = Lock(d, at)
    return out


def lock_for(unit: Unit | int, criteria_set: str, year: int) -> Lock | None:
    """The lock on these figures, or None."""
    level = _level_of(criteria_set)
    unit_id = unit if isinstance(unit, int) else unit.pk
    dossiers = Dossier.objects.filter(commune_id=unit_id, level=level, year=year).select_related("commune")
    return _locks(dossiers).get((unit_id, level, year))


def locks_among(keys: Iterable[tuple[int, str, int]]) -> dict[tuple[int, str, int], Lock]:
    """The locks on many (unit id, set id, year) at once, in three queries (imports)."""
    keys = set(keys)
    if not keys:
        return {}
    units, years = {k[0] for k in keys}, {k[2] for k in keys}
    found = _locks(Dossier.objects.filter(commune_id__in=units, year__in=years, step__in=LOCKING_STEPS)
                   .select_related("commune"))
    out = {}
    for unit_id, set_id, year in keys:
        if lock := found.get((unit_id, _level_of(set_id), year)):
            out[(unit_id, set_id, year)] = lock
    return out


def may_unlock(user, commune: Unit) -> bool:
    """The province office over the commune, or an administrator."""
    return is_admin(user) or any(m.role == Role.PROVINCE_OFFICE and m.unit is not None and covers(m.unit, commune)
                                 for m in memberships_of(user))


@transaction.atomic
def unlock_figures(dossier: Dossier, *, by, reason: str) -> FigureUnlock:
    """Lift the lock the dossier holds at its present step, recording who, when and why."""
    dossier = Dossier.objects.select_for_update(of=("self",)).select_related("commune__parent").get(pk=dossier.pk)
    if not may_unlock(by, dossier.commune):
        raise FigureUnlockRefused(_("Chỉ Văn phòng Điều phối NTM tỉnh hoặc quản trị hệ thống mở khóa được số liệu."))
    if dossier.step not in LOCKING_STEPS:
        raise FigureUnlockRefused(_("Hồ sơ đang ở bước “%(step)s”: số liệu không bị khóa.")
                                  % {"step": dossier.get_step_display()})
    if not reason.strip():
        raise FigureUnlockRefused(_("Hãy ghi lý do mở khóa."))
    return FigureUnlock.objects.create(dossier=dossier, step=dossier.step, reason=reason.strip(), unlocked_by=by,
                                       unlocked_at=timezone.now())
