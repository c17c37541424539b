"""Read-only queries behind the workflow pages. Statuses come from stored results; risk, due marks and
pace projections from the pure functions in `ntm.core`, fed with `today` by the caller."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ntm.accounts.names import display_name
from ntm.catalog_source import get_catalog
from ntm.core.catalog import CriteriaSet, Criterion, Indicator, UnitKind
from ntm.core.engine import Basis, Status
from ntm.core.projection import project
from ntm.core.risk import Due, Risk, assess_risk, due_state, is_overdue
from ntm.evaluation import presenters as evaluation_presenters
from ntm.evaluation.models import CriterionResult, UnitResult
from ntm.evaluation.selectors import area_communes, under
from ntm.figures.models import Figure
from ntm.units.models import Target, Unit

from . import presenters
from .models import Assignment, FollowUp, Inspection, Plan
from .reference import department_name, hard_criteria


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


def _name(obj: Criterion | Indicator | CriteriaSet) -> str:
    return obj.name_en if _english() and obj.name_en else obj.name_vi


def _unit_text(unit: str) -> str:
    return get_catalog().units_en.get(unit, unit) if _english() else unit


def person(user) -> str:
    return display_name(user)


@dataclass(frozen=True)
class _Line:
    """A stored indicator outcome in the shape `evaluation.presenters.gap_wording` reads."""

    status: str
    basis: str
    comparison: str
    unit: str
    value: Decimal | None
    verdict: bool | None
    threshold: Decimal | None
    gap: Decimal | None


def _decimal(raw: str | None) -> Decimal | None:
    return None if raw is None else Decimal(raw)


def gap_lines(cset: CriteriaSet, crit: Criterion, outcomes: list[dict], only: str = "") -> tuple[str, ...]:
    """What is unmet and how far, one phrase per indicator not met: "Thu nhập …: 68,2 / 75 …: còn thiếu 6,8"."""
    by_code = {o["code"]: o for o in outcomes}
    out = []
    for ind in crit.indicators:
        if only and ind.code != only:
            continue
        o = by_code.get(ind.code, {"status": Status.NO_DATA, "basis": Basis.NONE})
        if o["status"] == Status.MET:
            continue
        line = _Line(o["status"], o["basis"], ind.comparison.value, _unit_text(ind.unit), _decimal(o.get("value")),
                     (o["status"] == Status.MET) if o["basis"] == Basis.VERDICT else None,
                     _decimal(o.get("threshold")), _decimal(o.get("gap")))
        out.append(f"{ind.code} {_name(ind)}: {evaluation_presenters.gap_wording(line)}")
    return tuple(out)


# --- Assignments ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkItem:
    assignment: Assignment
    criterion_label: str  # "10. Thu nhập"
    indicator_label: str
    set_label: str  # "NTMNC 2024"
    status: str
    gaps: tuple[str, ...]
    department: str
    due_state: Due

    @property
    def status_label(self) -> str:
        return evaluation_presenters.status_label(self.status)

    @property
    def status_symbol(self) -> str:
        return evaluation_presenters.status_symbol(self.status)

    @property
    def due_label(self) -> str:
        """A criterion already met when assigned is "đã đạt", not a task "đã xong" nobody did."""
        return _("đã đạt") if self.due_state is Due.DONE else presenters.due_label(self.due_state)

    @property
    def responsible(self) -> str:
        return person(self.assignment.responsible)


def _work_items(assignments: QuerySet[Assignment], *, today: date) -> list[WorkItem]:
    """Each assignment with its stored status: two queries, however many assignments."""
    rows = list(assignments.select_related("unit", "responsible"))
    query = Q(pk__in=[])
    for a in rows:
        query |= Q(unit_id=a.unit_id, criteria_set=a.criteria_set, year=a.year, criterion=a.criterion)
    stored = {(r.unit_id, r.criteria_set, r.year, r.criterion): r for r in CriterionResult.objects.filter(query)}
    catalog = get_catalog()
    items = []
    for a in rows:
        cset = catalog.get(a.criteria_set)
        crit = next(c for c in cset.criteria if c.code == a.criterion)
        ind = next((i for i in crit.indicators if i.code == a.indicator), None)
        result = stored.get((a.unit_id, a.criteria_set, a.year, a.criterion))
        outcomes = result.indicators if result else []
        status = _status(result, a.indicator)
        items.append(WorkItem(
            a, f"{crit.code}. {_name(crit)}", f"{ind.code} {_name(ind)}" if ind else "",
            f"{evaluation_presenters.level_label(cset.level)} {a.year}", status,
            gap_lines(cset, crit, outcomes, a.indicator) if status != Status.MET else (),
            department_name(a.department) if a.department else "",
            due_state(a.due, status == Status.MET, today=today)))
    return items


def _status(result: CriterionResult | None, indicator: str) -> str:
    if result is None:
        return Status.NO_DATA
    if not indicator:
        return result.status
    return next((o["status"] for o in result.indicators if o["code"] == indicator), Status.NO_DATA)


def my_work(user, *, today: date) -> list[WorkItem]:
    """The criteria and indicators the user answers for, across communes: overdue first."""
    items = _work_items(Assignment.objects.filter(responsible=user), today=today)
    order = {Due.OVERDUE: 0, Due.DUE_SOON: 1, Due.ON_TRACK: 2, Due.NO_DUE_DATE: 3, Due.DONE: 4}
    return sorted(items, key=lambda i: (order[i.due_state], i.assignment.due or date.max, i.assignment.unit.name))


def area_assignments(area: Unit, *, today: date) -> list[WorkItem]:
    return _work_items(Assignment.objects.filter(under(area, "unit__")).order_by("unit__name", "due", "criterion"),
                       today=today)


def commune_assignments(commune: Unit, *, today: date) -> list[WorkItem]:
    return _work_items(Assignment.objects.filter(unit=commune).order_by("due", "criterion"), today=today)


# --- Plans ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommuneRow:
    commune: Unit
    targets: tuple[str, ...]  # "NTMNC 2024"
    targeted: bool  # targeted at the plan's level and year
    met: int
    total: int
    evaluated: bool
    reached: bool
    unmet: tuple[str, ...]  # "10. Thu nhập"
    risk: Risk | None
    risk_reasons: tuple[str, ...]
    projections: tuple[str, ...]

    @property
    def at_risk(self) -> bool:
        return self.risk is not None and self.risk.at_risk


@dataclass(frozen=True)
class PlanProgress:
    plan: Plan
    set_title: str
    reached: int  # communes at the level in the stored results of the plan's year
    district_reached: bool | None  # None: the district has no stored result that year
    rows: tuple[CommuneRow, ...]

    @property
    def level_label(self) -> str:
        return evaluation_presenters.level_label(self.plan.level)

    @property
    def on_target(self) -> bool:
        return self.reached >= self.plan.communes_target

    @property
    def at_risk(self) -> tuple[CommuneRow, ...]:
        return tuple(r for r in self.rows if r.at_risk)


def area_plans(area: Unit, *, today: date) -> list[PlanProgress]:
    return [plan_progress(p, today=today) for p in Plan.objects.filter(unit=area)]


def plan_progress(plan: Plan, *, today: date) -> PlanProgress:
    """Plan against actual, each commune's targets, risk and pace: a fixed number of queries."""
    catalog = get_catalog()
    cset = catalog.set_for(UnitKind.COMMUNE, plan.level, plan.year)
    communes = area_communes(plan.unit, plan.year)
    ids = [c.pk for c in communes]
    targets: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for unit_id, level, year in Target.objects.filter(unit_id__in=ids).order_by("year").values_list(
            "unit_id", "level", "year"):
        targets[unit_id].append((level, year))
    if cset is None:
        rows = tuple(_plain_row(c, targets[c.pk], plan) for c in communes)
        return PlanProgress(plan, "", 0, None, rows)
    results = {r.unit_id: r for r in UnitResult.objects.filter(unit_id__in=ids, criteria_set=cset.id, year=plan.year)}
    unmet = _unmet_results(ids, cset, plan.year)
    history = _history([c.pk for c in communes if (plan.level, plan.year) in targets[c.pk]], cset, plan.year)
    rows = tuple(sorted(
        (_row(c, targets[c.pk], plan, cset, results.get(c.pk), unmet[c.pk], history[c.pk], today) for c in communes),
        key=lambda r: (not r.targeted, r.commune.name)))
    reached = sum(1 for r in results.values() if r.reached)
    return PlanProgress(plan, _name(cset), reached, _district_reached(plan), rows)


def _district_reached(plan: Plan) -> bool | None:
    dset = get_catalog().set_for(UnitKind.DISTRICT, plan.level, plan.year)
    if dset is None:
        return None
    result = UnitResult.objects.filter(unit=plan.unit, criteria_set=dset.id, year=plan.year).first()
    return result.reached if result else None


def _unmet_results(ids: list[int], cset: CriteriaSet, year: int) -> dict[int, list[CriterionResult]]:
    out: dict[int, list[CriterionResult]] = defaultdict(list)
    for r in CriterionResult.objects.filter(unit_id__in=ids, criteria_set=cset.id, year=year).exclude(
            status=Status.MET):
        out[r.unit_id].append(r)
    return out


def _history(ids: list[int], cset: CriteriaSet, year: int) -> dict[int, dict[str, dict[int, Decimal]]]:
    """Unit → indicator → year → current value, up to `year`."""
    out: dict[int, dict[str, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    rows = Figure.objects.filter(unit_id__in=ids, criteria_set=cset.id, year__lte=year, superseded_at__isnull=True,
                                 value__isnull=False).values_list("unit_id", "indicator", "year", "value")
    for unit_id, code, y, value in rows:
        assert value is not None  # value__isnull=False
        out[unit_id][code][y] = value
    return out


def _target_labels(targets: list[tuple[str, int]]) -> tuple[str, ...]:
    return tuple(f"{evaluation_presenters.level_label(level)} {year}" for level, year in targets)


def _plain_row(commune: Unit, targets: list[tuple[str, int]], plan: Plan) -> CommuneRow:
    return CommuneRow(commune, _target_labels(targets), (plan.level, plan.year) in targets, 0, 0, False, False, (),
                      None, (), ())


def _row(commune: Unit, targets: list[tuple[str, int]], plan: Plan, cset: CriteriaSet, result: UnitResult | None,
         unmet: list[CriterionResult], history: dict[str, dict[int, Decimal]], today: date) -> CommuneRow:
    targeted = (plan.level, plan.year) in targets
    criteria = {c.code: c for c in cset.criteria}
    names = {code: f"{code}. {_name(c)}" for code, c in criteria.items()}
    unmet_codes = [r.criterion for r in sorted(unmet, key=lambda r: criteria[r.criterion].number)]
    risk = reasons = None
    projections: tuple[str, ...] = ()
    if targeted and result is not None:
        risk = assess_risk(unmet_codes, target_year=plan.year, today=today,
                           hard=hard_criteria().get(cset.id, frozenset()))
        reasons = tuple(presenters.risk_reasons(risk, {c: _name(criteria[c]) for c in criteria}))
        projections = tuple(_projections(cset, unmet, history))
    return CommuneRow(commune, _target_labels(targets), targeted, result.met if result else 0,
                      result.total if result else len(cset.criteria), result is not None,
                      bool(result and result.reached), tuple(names[c] for c in unmet_codes), risk, reasons or (),
                      projections)


def _projections(cset: CriteriaSet, unmet: list[CriterionResult], history: dict[str, dict[int, Decimal]]):
    indicators = {i.code: i for i in cset.indicators}
    for result in unmet:
        for o in result.indicators:
            ind = indicators.get(o["code"])
            if ind is None or o["status"] != Status.NOT_MET or o["basis"] != Basis.THRESHOLD:
                continue
            outlook = project(history.get(ind.code, {}), threshold=Decimal(o["threshold"]),
                              comparison=ind.comparison.value)
            yield presenters.projection_text(_name(ind), _unit_text(ind.unit), outlook)


# --- Inspections ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpRow:
    follow_up: FollowUp
    due_state: Due
    may_close: bool = False

    @property
    def due_label(self) -> str:
        return presenters.due_label(self.due_state)

    @property
    def owner(self) -> str:
        return person(self.follow_up.owner)

    @property
    def done_by(self) -> str:
        return person(self.follow_up.done_by)


def follow_up_row(follow_up: FollowUp, *, today: date, may_close: bool = False) -> FollowUpRow:
    return FollowUpRow(follow_up, due_state(follow_up.due, follow_up.done, today=today), may_close)


def area_inspections(area: Unit) -> QuerySet[Inspection]:
    return Inspection.objects.filter(district=area).annotate(
        finding_count=Count("findings", distinct=True),
        open_count=Count("follow_ups", filter=Q(follow_ups__done_at__isnull=True), distinct=True),
    ).prefetch_related("communes")


@dataclass
class InspectionDetail:
    inspection: Inspection
    communes: list[Unit]
    findings: list = field(default_factory=list)
    follow_ups: list[FollowUpRow] = field(default_factory=list)


def inspection_detail(inspection: Inspection, *, today: date, closer=None) -> InspectionDetail:
    """The inspection with its findings and follow-ups; `closer(follow_up)` says who may close each."""
    follow_ups = inspection.follow_ups.select_related("commune", "owner", "done_by", "finding")
    catalog = get_catalog()
    findings = []
    for f in inspection.findings.select_related("commune"):
        label = ""
        if f.criterion and f.criteria_set:
            crit = next((c for c in catalog.get(f.criteria_set).criteria if c.code == f.criterion), None)
            label = f"{f.criterion}. {_name(crit)}" if crit else f.criterion
        findings.append((f, label))
    return InspectionDetail(
        inspection, list(inspection.communes.order_by("name")), findings,
        [follow_up_row(fu, today=today, may_close=bool(closer and closer(fu))) for fu in follow_ups])


def overdue_follow_ups(area: Unit, *, today: date) -> list[FollowUpRow]:
    """Open follow-ups past their due date in the area's inspections, the longest overdue first."""
    candidates = FollowUp.objects.filter(inspection__district=area, done_at__isnull=True, due__isnull=False,
                                         due__lt=today).select_related("commune", "owner", "inspection")
    return [follow_up_row(fu, today=today) for fu in candidates.order_by("due", "commune__name")
            if is_overdue(fu.due, fu.done, today=today)]


def my_follow_ups(user, *, today: date) -> list[FollowUpRow]:
    rows = FollowUp.objects.filter(owner=user, done_at__isnull=True).select_related("commune", "inspection")
    return [follow_up_row(fu, today=today, may_close=True) for fu in rows.order_by("due")]


def responsible_by_criterion(commune: Unit, set_id: str, year: int) -> dict[str, tuple[str, ...]]:
    """Who answers for each criterion of the commune (the assignments), in one query; shown on the
    evaluation app's commune page (registered in `WorkflowConfig.ready`)."""
    out: dict[str, list[str]] = defaultdict(list)
    for a in Assignment.objects.filter(unit=commune, criteria_set=set_id, year=year).select_related("responsible"):
        extra = [a.indicator] if a.indicator else []
        if a.due:
            extra.append(_("hạn %(due)s") % {"due": date_format(a.due, "SHORT_DATE_FORMAT")})
        out[a.criterion].append(f"{display_name(a.responsible)}" + (f" ({', '.join(extra)})" if extra else ""))
    return {k: tuple(v) for k, v in out.items()}


def assigned_to(user, commune: Unit, set_id: str, year: int) -> set[tuple[str, str]]:
    """(criterion, indicator) pairs assigned to the user; indicator "" for a whole criterion: one query. The
    figures entry page's "mine" filter (registered in `WorkflowConfig.ready`)."""
    return set(Assignment.objects.filter(unit=commune, criteria_set=set_id, year=year, responsible=user)
               .values_list("criterion", "indicator"))
