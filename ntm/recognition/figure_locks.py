"""The locks a recognition dossier puts on its commune's figures once verified, and lifting one. The rule
itself is ntm/figures/locks.py, which asks here through `locks_of` (registered in `RecognitionConfig.ready`:
recognition builds on figures)."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.figures.locks import Lock, may_unlock
from ntm.figures.models import FigureUnlock

from .models import Dossier, DossierEvent, Step

LOCKING_STEPS = (Step.VERIFIED, Step.APPRAISED, Step.RECOGNISED)


class FigureUnlockRefused(ValueError):
    """An unlock that cannot be made; the message says why."""


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


def locks_of(unit_ids: Collection[int], years: Collection[int]) -> dict[tuple[int, str, int], Lock]:
    """The locks the dossiers of these communes and years hold, keyed (commune id, level, year)."""
    return _locks(Dossier.objects.filter(commune_id__in=unit_ids, year__in=years, step__in=LOCKING_STEPS)
                  .select_related("commune"))


def may_lock(level: str) -> Exists:
    """True on a figure row whose commune has a dossier of that level and the row's year at a locking step
    (lifted or not: `locks_of` says), read with the row a save replaces."""
    return Exists(Dossier.objects.filter(commune_id=OuterRef("unit_id"), year=OuterRef("year"), level=level,
                                         step__in=LOCKING_STEPS))


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
