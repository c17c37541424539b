"""Reads: a user's alerts, the unread count for the header, and the recognised communes whose
title is at risk (from stored results, never evaluating while a page loads)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.utils.translation import get_language

from ntm import shared_reads
from ntm.catalog_source import get_catalog
from ntm.core import levels
from ntm.core.catalog import UnitKind
from ntm.core.engine import Status
from ntm.core.revocation import RevocationRisk, revocation_risk
from ntm.evaluation.models import CriterionResult
from ntm.units.models import Recognition, Unit

from .models import Alert


def inbox(user) -> QuerySet[Alert]:
    """The user's alerts, unread first, newest first within each."""
    return (Alert.objects.filter(recipient=user).select_related("unit")
            .order_by(F("read_at").desc(nulls_first=True), "-created_at", "-pk"))


def unread_count(user) -> int:
    """For the header: how many of the user's alerts are unread (0 when signed out)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Alert.objects.filter(recipient=user, read_at__isnull=True).count()


@dataclass(frozen=True)
class AtRisk:
    unit: Unit
    recognition: Recognition
    set_id: str
    risk: RevocationRisk

    @property
    def level_name(self) -> tuple[str, str]:
        code = self.recognition.level
        return levels.phrase(code).capitalize(), levels.phrase(code, english=True).capitalize()

    @property
    def level(self) -> str:
        return self.level_name[1 if _english() else 0]

    @property
    def reason(self) -> str:
        return self.risk.reason_en if _english() else self.risk.reason_vi


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


def at_risk(unit_ids: Collection[int], year: int) -> list[AtRisk]:
    """Communes among `unit_ids` holding a live title granted by `year` whose stored results, on the
    set of that title's level in force in `year`, put it at risk under 18/2022. Two queries (none for the
    units a caller has found holding no title: `shared_reads.titled_key`)."""
    unit_ids = [u for u in unit_ids if shared_reads.peek(shared_reads.titled_key(u, year)) is not False]
    if not unit_ids:
        return []
    catalog = get_catalog()
    recognitions = list(Recognition.objects.filter(unit_id__in=unit_ids, revoked_on__isnull=True, year__lte=year)
                        .select_related("unit").order_by("unit__name", "level"))
    if not recognitions:
        return []
    sets = {r.level: catalog.set_for(UnitKind.COMMUNE, r.level, year) for r in recognitions}
    stored: dict[tuple[int, str], dict[str, Status]] = defaultdict(dict)
    rows = CriterionResult.objects.filter(unit_id__in=[r.unit_id for r in recognitions], year=year,
                                          criteria_set__in=[s.id for s in sets.values() if s])
    for unit_id, set_id, code, status in rows.values_list("unit_id", "criteria_set", "criterion", "status"):
        stored[(unit_id, set_id)][code] = Status(status)
    out = []
    for rec in recognitions:
        cset = sets[rec.level]
        if cset is None:
            continue
        mine = stored.get((rec.unit_id, cset.id), {})
        statuses = {c.code: mine.get(c.code, Status.NO_DATA) for c in cset.criteria}
        risk = revocation_risk(statuses, {c.code for c in cset.criteria if c.key})
        if risk is not None:
            out.append(AtRisk(rec.unit, rec, cset.id, risk))
    return out


def latest_result_year(units: QuerySet[Unit]) -> int | None:
    return (CriterionResult.objects.filter(unit__in=units).order_by("-year")
            .values_list("year", flat=True).first())
