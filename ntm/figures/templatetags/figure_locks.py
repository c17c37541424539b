"""The lock a dossier puts on its figures, for pages of other apps (the dossier page shows it and, to the
province office, the unlock form)."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from ntm.accounts.names import display_name
from ntm.catalog_source import get_catalog
from ntm.core.catalog import UnitKind
from ntm.figures.locks import Lock, lock_for, may_unlock
from ntm.figures.models import FigureUnlock

register = template.Library()


@dataclass(frozen=True)
class DossierLock:
    lock: Lock | None
    may_unlock: bool
    last_unlock: FigureUnlock | None

    @property
    def unlocked_by(self) -> str:
        return display_name(self.last_unlock.unlocked_by) if self.last_unlock else ""


@register.simple_tag(takes_context=True)
def dossier_figure_lock(context, dossier) -> DossierLock:
    cset = get_catalog().set_for(UnitKind.COMMUNE, dossier.level, dossier.year)
    lock = lock_for(dossier.commune_id, cset.id, dossier.year) if cset else None
    user = context["request"].user
    return DossierLock(lock, lock is not None and may_unlock(user, dossier.commune),
                       FigureUnlock.objects.filter(dossier=dossier).select_related("unlocked_by").first())
