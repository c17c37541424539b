"""What a commune formed by the 1/7/2025 merger came from: each predecessor's last stored statuses,
recognitions and figures, as read-only history labelled with the old commune's name, year and set, and
the recognition path letter 267/BNN-VPĐP proposes from them (`ntm.core.merger`) with the path chosen.

Bulk: a fixed number of queries however many predecessors (one per kind of row, plus one scope lookup
per distinct last year). Nothing here is ever counted as the new commune's own figures."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Protocol

from django.utils.translation import gettext as _

from ntm.accounts.access import can_read
from ntm.accounts.names import display_name
from ntm.catalog_source import get_catalog
from ntm.core import merger
from ntm.core.catalog import Catalog
from ntm.figures.models import Figure
from ntm.units.classification import scopes_in_year
from ntm.units.models import Recognition, Succession, Unit
from ntm.units.selectors import province_key_of

from . import presenters
from .models import CriterionResult, UnitResult
from .selectors import CriterionBlock, _block, _set_title, applied_in  # the page's own blocks: history reads alike

LEVEL_ORDER = {lvl: i for i, lvl in enumerate(merger.LEVELS)}


@dataclass(frozen=True)
class SetStanding:
    """A predecessor against one set in its last year with results: n/N and each criterion with figures."""

    set_id: str
    set_name: str
    level: str
    met: int
    total: int
    criteria: tuple[CriterionBlock, ...]

    @property
    def reached(self) -> bool:
        return self.total > 0 and self.met == self.total

    @property
    def level_label(self) -> str:
        return presenters.level_label(self.level)


@dataclass(frozen=True)
class TitleHeld:
    level: str
    year: int
    decision: str
    revoked_on: date | None
    is_demo: bool

    @property
    def label(self) -> str:
        return presenters.level_label(self.level)


@dataclass(frozen=True)
class PredecessorHistory:
    unit: Unit
    district: str  # the former district's name, "" if none
    readable: bool  # the reader may open the old commune's own page
    partial: bool
    effective: date
    year: int | None  # the last year with stored results
    standings: tuple[SetStanding, ...]
    titles: tuple[TitleHeld, ...]
    figures_loaded: bool = False  # its criteria and figures were read (the reader opened them)

    @property
    def known(self) -> bool:
        return self.year is not None or bool(self.titles)

    @property
    def held_level(self) -> str | None:
        """The highest title live on the day of the merger."""
        live = [t.level for t in self.titles if t.level in LEVEL_ORDER
                and (t.revoked_on is None or t.revoked_on >= self.effective)]
        return max(live, key=LEVEL_ORDER.__getitem__) if live else None

    @property
    def reached(self) -> tuple[SetStanding, ...]:
        return tuple(s for s in self.standings if s.reached)

    @property
    def has_detail(self) -> bool:
        return any(s.criteria for s in self.standings)


@dataclass(frozen=True)
class ProposalView:
    """The core's proposal with its wording for the page."""

    proposal: merger.Proposal

    @property
    def path(self) -> str:
        return self.proposal.path.value if self.proposal.path else ""

    @property
    def text(self) -> str:
        return proposal_text(self.proposal)

    @property
    def if_recognised(self) -> str:
        return proposal_text(self.proposal.if_recognised) if self.proposal.if_recognised else ""

    @property
    def if_recognised_level(self) -> str:
        """The level the constituents with data share, which the ones without are supposed to hold."""
        p = self.proposal.if_recognised
        return presenters.level_label(p.level) if p and p.level else ""

    @property
    def if_not(self) -> str:
        return proposal_text(self.proposal.if_not) if self.proposal.if_not else ""

    @property
    def unknown(self) -> str:
        return ", ".join(self.proposal.unknown)


class _Decision(Protocol):
    """What the page reads of a merger decision (ntm.recognition.models.MergerDecision, not imported here:
    recognition builds on evaluation)."""

    @property
    def decided_by(self) -> object: ...


@dataclass(frozen=True)
class Lineage:
    predecessors: tuple[PredecessorHistory, ...]
    proposal: ProposalView | None
    decision: _Decision | None  # the path chosen, latest first
    can_decide: bool
    form: object | None = None  # the decision form, for a reader who may decide

    def __bool__(self) -> bool:
        return bool(self.predecessors)

    def predecessor(self, key: str) -> PredecessorHistory | None:
        return next((p for p in self.predecessors if p.unit.key == key), None)

    @property
    def decided_by(self) -> str:
        return display_name(self.decision.decided_by) if self.decision is not None else ""


def proposal_text(p: merger.Proposal) -> str:
    level = presenters.level_label(p.level) if p.level else ""
    target = presenters.level_label(p.target) if p.target else ""
    if p.rule == merger.Rule.ALL_SAME:
        return _("Mọi xã cũ đều đã đạt chuẩn %(level)s: UBND tỉnh công nhận xã mới đạt chuẩn %(level)s.") % {
            "level": level}
    if p.rule == merger.Rule.ALL_DIFFERENT:
        return _("Mọi xã cũ đều đã đạt chuẩn, ở các mức khác nhau: công nhận xã mới ở mức chung %(level)s, "
                 "xây dựng lên %(target)s.") % {"level": level, "target": target}
    if p.rule == merger.Rule.MIXED:
        return _("Xã đã đạt chuẩn sáp nhập với xã chưa đạt chuẩn: rà soát, đánh giá lại theo bộ tiêu chí "
                 "hiện hành, mục tiêu %(target)s.") % {"target": target}
    if p.rule == merger.Rule.NONE:
        return _("Chưa xã cũ nào đạt chuẩn: xã mới xây dựng %(target)s như mọi xã (ngoài phạm vi văn bản "
                 "267/BNN-VPĐP).") % {"target": target}
    return _("Chưa đề xuất được: chưa có thông tin công nhận của %(names)s.") % {"names": ", ".join(p.unknown)}


def commune_lineage(commune: Unit, user, *, figures_of: str = "",
                    came_from: Sequence[Succession] | None = None) -> Lineage:
    """The predecessors of `commune` (none for a commune that was not formed by a merger), with the criteria
    and figures of the one whose key is `figures_of` (loaded when the reader opens them: they are long).
    `came_from`: the commune's successions as successor, when the caller read them (by predecessor name)."""
    successions = list(came_from) if came_from is not None else list(
        Succession.objects.filter(successor=commune).select_related("predecessor__parent__parent")
        .order_by("predecessor__name"))
    if not successions:
        return Lineage((), None, None, False)
    preds = [s.predecessor for s in successions]
    ids = [p.pk for p in preds]
    results = defaultdict(list)
    for r in UnitResult.objects.filter(unit_id__in=ids).order_by("level", "criteria_set"):
        results[r.unit_id].append(r)
    last = {uid: max(r.year for r in rows) for uid, rows in results.items()}
    detailed = {p.pk for p in preds if p.key == figures_of}
    standings = _standings(preds, results, last, detailed)
    titles = defaultdict(list)
    for t in Recognition.objects.filter(unit_id__in=ids).order_by("year", "level"):
        titles[t.unit_id].append(TitleHeld(t.level, t.year, t.decision, t.revoked_on, t.is_demo))
    history = tuple(PredecessorHistory(
        s.predecessor, _district_name(s.predecessor), can_read(user, s.predecessor), s.partial, s.effective,
        last.get(s.predecessor.pk), standings.get(s.predecessor.pk, ()), tuple(titles[s.predecessor.pk]),
        s.predecessor.pk in detailed,
    ) for s in successions)
    proposal = merger.propose([merger.Constituent(p.unit.full_name, p.held_level, p.known) for p in history])
    return Lineage(history, ProposalView(proposal) if proposal else None, *_decision(commune, user, proposal))


def reader_view(came_from: Sequence[Succession], commune: Unit, user) -> tuple[tuple[str, ...], bool]:
    """What of the lineage depends on the reader, without reading the history: the predecessors whose own
    page they may open, and whether they may choose the recognition path (the commune page's cache key)."""
    readable = tuple(s.predecessor.key for s in came_from if can_read(user, s.predecessor))
    return readable, bool(came_from and _may_decide) and _may_decide[0](user, commune)


# The merger decision shown with the lineage: the recognition app, which builds on this one (dossiers read
# results), registers it in `RecognitionConfig.ready` (`ntm.recognition.merger_views.decision_on_page`),
# and who may choose the path (`ntm.recognition.merger.can_decide`).
_decision_sources: list[Callable[[Unit, Any, merger.Proposal | None], tuple]] = []
_may_decide: list[Callable[[Any, Unit], bool]] = []


def read_decision_from(source: Callable[[Unit, Any, merger.Proposal | None], tuple],
                       may_decide: Callable[[Any, Unit], bool]) -> None:
    _decision_sources[:] = [source]
    _may_decide[:] = [may_decide]


def _decision(commune: Unit, user, proposal: merger.Proposal | None) -> tuple:
    """The path chosen, whether `user` may choose, and the form that opens on the proposal (none chosen,
    nobody may choose while no app says)."""
    if not _decision_sources:
        return None, False, None
    return _decision_sources[0](commune, user, proposal)


def _district_name(unit: Unit) -> str:
    parent = unit.parent if unit.parent_id else None
    return parent.full_name if parent is not None and parent.kind == "district" else ""


def _standings(preds: list[Unit], results: dict[int, list[UnitResult]], last: dict[int, int],
               detailed: set[int]) -> dict[int, tuple[SetStanding, ...]]:
    """Each predecessor's n/N per set in its last year; criteria and figures for those in `detailed` (one
    query per kind of row, none when no predecessor is detailed)."""
    if not last:
        return {}
    catalog = get_catalog()
    ids = [uid for uid in last if uid in detailed]
    years = {last[uid] for uid in ids}
    stored: dict[tuple[int, str], dict[str, CriterionResult]] = defaultdict(dict)
    figures: dict[tuple[int, str], dict[str, Figure]] = defaultdict(dict)
    if ids:
        for cr in CriterionResult.objects.filter(unit_id__in=ids, year__in=years):
            if last[cr.unit_id] == cr.year:
                stored[cr.unit_id, cr.criteria_set][cr.criterion] = cr
        for f in Figure.objects.filter(unit_id__in=ids, year__in=years, superseded_at__isnull=True).select_related(
                "entered_by"):
            if last[f.unit_id] == f.year:
                figures[f.unit_id, f.criteria_set][f.indicator] = f
    by_pk = {p.pk: p for p in preds}
    scopes: dict[tuple[int, str], dict[int, str]] = {}

    def scope_of(unit: Unit, dimension: str, year: int) -> str:  # one lookup per year and dimension
        if (year, dimension) not in scopes:
            units = [by_pk[uid] for uid, y in last.items() if y == year]
            scopes[year, dimension] = scopes_in_year(units, dimension, year)
        return scopes[year, dimension][unit.pk]

    out = {}
    for uid, year in last.items():
        rows = sorted((r for r in results[uid] if r.year == year), key=lambda r: LEVEL_ORDER.get(r.level, 9))
        out[uid] = tuple(s for r in rows if (s := _standing(catalog, by_pk[uid], r, stored, figures, scope_of,
                                                             detail=uid in detailed)) is not None)
    return out


def _standing(catalog: Catalog, unit: Unit, result: UnitResult, stored, figures, scope_of, *,
              detail: bool) -> SetStanding | None:
    if result.criteria_set not in {s.id for s in catalog.sets}:
        return None  # a set no longer in the catalog: nothing to name its criteria with
    cset = applied_in(province_key_of(unit), result.criteria_set, result.year, catalog).cset
    key = (unit.pk, result.criteria_set)
    if not detail or (not figures[key] and not stored[key]):
        return SetStanding(result.criteria_set, _set_title(cset), result.level, result.met, result.total, ())
    scope = scope_of(unit, cset.dimension, result.year)
    # Only what was recorded: the old commune's empty indicators would bury its figures.
    blocks = tuple(replace(b, indicators=tuple(i for i in b.indicators if i.value is not None or i.verdict is not None))
                   for c in cset.criteria
                   for b in [_block(catalog, c, stored[key].get(c.code), figures[key], scope, result.year)])
    return SetStanding(result.criteria_set, _set_title(cset), result.level, result.met, result.total, blocks)
