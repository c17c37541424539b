"""A commune's public page, where the search leads anyone who may not open the commune's own page: its
name and area, what it became or came from on 1/7/2025, its latest n/N per level and its titles. Only
public facts, as on the home page: no figures, people or notes. Five queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from ntm.evaluation import presenters
from ntm.evaluation.models import UnitResult
from ntm.figures.models import Figure
from ntm.units.models import Kind, Recognition, Succession, Unit

from .selectors import Lineage, RecognitionInfo, _lineage, _readable_ids, _recognition

PUBLIC_KINDS = (Kind.COMMUNE, Kind.WARD)


@dataclass(frozen=True)
class LatestScore:
    level: str
    year: int
    met: int
    total: int

    @property
    def level_label(self) -> str:
        return presenters.level_label(self.level)


@dataclass(frozen=True)
class PublicCommune:
    unit: Unit
    within: str
    since: date | None
    until: date | None
    scores: tuple[LatestScore, ...]
    titles: tuple[RecognitionInfo, ...]
    now_in: tuple[Lineage, ...]
    formed_from: tuple[Lineage, ...]
    demo: bool
    readable: bool  # the user may open the commune's own page


def public_commune(key: str, user) -> PublicCommune | None:
    unit = Unit.objects.select_related("parent").filter(key=key, kind__in=PUBLIC_KINDS).first()
    if unit is None:
        return None
    latest: dict[str, LatestScore] = {}
    for r in UnitResult.objects.filter(unit=unit).order_by("-year", "level"):
        latest.setdefault(r.level, LatestScore(r.level, r.year, r.met, r.total))
    links = list(Succession.objects.filter(Q(predecessor=unit) | Q(successor=unit))
                 .select_related("predecessor__parent", "successor__parent").order_by("effective"))
    readable = _readable_ids(user, {unit.pk, *(s.predecessor_id for s in links), *(s.successor_id for s in links)})
    titles = Recognition.objects.filter(unit=unit, revoked_on__isnull=True).select_related("unit").order_by("year")
    return PublicCommune(
        unit, unit.parent.full_name if unit.parent else "", unit.valid_from, unit.valid_to,
        tuple(sorted(latest.values(), key=lambda s: presenters.level_label(s.level))),
        tuple(_recognition(r) for r in titles),
        tuple(_lineage(s.successor, s.partial, readable) for s in links if s.predecessor_id == unit.pk),
        tuple(_lineage(s.predecessor, s.partial, readable) for s in links if s.successor_id == unit.pk),
        Figure.objects.filter(unit=unit, is_demo=True).exists(), unit.pk in readable)
