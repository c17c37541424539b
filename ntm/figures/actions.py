"""Recording figures: the one place where figures are written. A correction supersedes the current
row and adds a new one, then `signals.figures_changed` announces it in the same transaction; the
evaluation app refreshes the stored results and the alerts app reacts to slipped criteria (see
ntm/figures/signals.py), so no page ever evaluates while it loads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from decimal import Decimal

from auditlog.context import disable_auditlog
from django.db import IntegrityError, transaction
from django.db.models.expressions import BaseExpression
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ntm.accounts.names import display_name
from ntm.audit.bulk import record_bulk_changes, record_bulk_create, record_rows_written
from ntm.catalog_source import get_catalog
from ntm.core.catalog import Catalog, Indicator
from ntm.core.engine import BOUNDS
from ntm.units.models import Kind, Unit
from ntm.units.selectors import province_key_of, province_keys

from .locks import Lock, lock_for, lock_hint, locks_among
from .models import Figure
from .parsing import NumberUnreadable, editable_text, storable, with_bound
from .signals import announce


class FigureRejected(ValueError):
    """A figure that cannot be recorded; the message says what and where."""


class StaleFigure(FigureRejected):
    """Someone saved a newer value since the editor loaded the form (`current` is it, None if it was
    withdrawn meanwhile)."""

    def __init__(self, current: Figure | None):
        self.current = current
        if current is None:
            super().__init__(_("Số liệu vừa được người khác thay đổi; hãy tải lại trang trước khi lưu."))
            return
        super().__init__(_("Số liệu đã được %(who)s cập nhật lúc %(when)s (giá trị: %(value)s); hãy xem giá trị "
                           "mới trước khi lưu.")
                         % {"who": display_name(current.entered_by) or "?",
                            "when": formats.date_format(timezone.localtime(current.entered_at),
                                                        "SHORT_DATETIME_FORMAT"),
                            "value": _shown(current)})


class FigureLocked(FigureRejected):
    """The figures rest on a verified dossier (see locks.py); the message says which, at which step, since when."""

    def __init__(self, lock: Lock):
        self.lock = lock
        super().__init__(lock.reason)


def _shown(figure: Figure) -> str:
    if figure.value is not None:
        return with_bound(figure.bound, editable_text(figure.value))
    return "—" if figure.verdict is None else _("Đạt") if figure.verdict else _("Chưa đạt")


@dataclass(frozen=True)
class FigureInput:
    unit: Unit
    criteria_set: str
    indicator: str
    year: int
    value: Decimal | None = None
    verdict: bool | None = None
    bound: str = ""  # "" exact, or ">", ">=", "<", "<=": the value is only a bound (see ntm.core.engine.Figure)
    judged_by: str = ""
    source_note: str = ""
    is_demo: bool = False


def _indicator(catalog: Catalog, item: FigureInput, province: str) -> Indicator:
    """The indicator in the set as it applies in the unit's province (a province layer may add some)."""
    try:
        cset = catalog.resolve(item.criteria_set, province, item.year)
    except KeyError:
        raise FigureRejected(_("Bộ tiêu chí “%(set)s” không tồn tại.") % {"set": item.criteria_set}) from None
    for ind in cset.indicators:
        if ind.code == item.indicator:
            return ind
    raise FigureRejected(_("Chỉ tiêu “%(code)s” không có trong bộ tiêu chí “%(set)s”.")
                         % {"code": item.indicator, "set": item.criteria_set})


def validate(catalog: Catalog, item: FigureInput, province: str | None = None, *,
             indicator: Indicator | None = None) -> None:
    """Refuse a figure the set (as it applies in the unit's province, `province` its key) cannot take.
    `indicator`: the item's indicator when the caller already looked it up."""
    ind = indicator or _indicator(catalog, item, province_key_of(item.unit) if province is None else province)
    where = {"unit": item.unit, "code": ind.code, "year": item.year}
    if item.value is None and item.verdict is None:
        raise FigureRejected(_("%(unit)s, chỉ tiêu %(code)s, năm %(year)s: cần một giá trị hoặc một kết luận "
                               "đạt/không đạt.") % where)
    if item.value is not None and not ind.comparison.is_numeric:
        raise FigureRejected(_("%(unit)s, chỉ tiêu %(code)s, năm %(year)s: chỉ tiêu này chỉ nhận kết luận "
                               "đạt/không đạt, không nhận số.") % where)
    if item.bound not in BOUNDS:
        raise FigureRejected(_("%(unit)s, chỉ tiêu %(code)s, năm %(year)s: giới hạn “%(bound)s” không hợp lệ; "
                               "chỉ dùng >, ≥, <, ≤.") % {**where, "bound": item.bound})
    if item.bound and item.value is None:
        raise FigureRejected(_("%(unit)s, chỉ tiêu %(code)s, năm %(year)s: giới hạn “%(bound)s” cần đi kèm "
                               "một số.") % {**where, "bound": item.bound})
    if item.value is not None:
        try:
            storable(item.value, str(item.value))
        except NumberUnreadable as exc:
            raise FigureRejected(_("%(unit)s, chỉ tiêu %(code)s, năm %(year)s: %(problem)s")
                                 % {**where, "problem": exc}) from None
        low, high = ind.minimum, ind.maximum
        if (low is not None and item.value < low) or (high is not None and item.value > high):
            raise FigureRejected(_("%(unit)s, chỉ tiêu %(code)s, năm %(year)s: giá trị %(value)s nằm ngoài "
                                   "khoảng cho phép %(low)s–%(high)s.")
                                 % {**where, "value": item.value, "low": low, "high": high})
        if (item.bound == ">" and high is not None and item.value >= high) or (
                item.bound == "<" and low is not None and item.value <= low):
            raise FigureRejected(_("%(unit)s, chỉ tiêu %(code)s, năm %(year)s: “%(shown)s” không thể xảy ra, "
                                   "vì giá trị chỉ nằm trong khoảng %(low)s–%(high)s.")
                                 % {**where, "shown": f"{item.bound} {item.value}", "low": low, "high": high})


UNCHECKED = -1


def _current(item: FigureInput, *, lock: bool, hint: BaseExpression | None = None) -> Figure | None:
    """The current row; read to be replaced (`lock`), without who entered it (only a conflict names them).
    `hint` (locks.lock_hint): read with it as `may_be_locked`."""
    rows = Figure.objects.filter(unit=item.unit, criteria_set=item.criteria_set, indicator=item.indicator,
                                 year=item.year, superseded_at__isnull=True)
    if hint is not None:
        rows = rows.annotate(may_be_locked=hint)
    current = (rows.select_for_update(of=("self",)) if lock else rows.select_related("entered_by")).first()
    if current is not None:
        current.unit = item.unit  # the audit trail names it: no second read of the unit
    return current


@transaction.atomic
def record_figure(item: FigureInput, *, by=None, expected_current: int | None = UNCHECKED) -> Figure:
    """Record one figure. `expected_current` is the id of the row the editor saw (None for none):
    if another row became current meanwhile, nothing is written and `StaleFigure` says who saved it,
    when and what. Two editors saving at the same instant: one wins, the other gets `StaleFigure`
    (or, unchecked, supersedes the winner). Locked figures (locks.py) raise `FigureLocked`."""
    validate(get_catalog(), item)
    hint = lock_hint(item.criteria_set)  # read with the current row: the lock itself only when it may be
    for attempt in range(3):
        current = _current(item, lock=True, hint=hint if attempt == 0 else None)
        if attempt == 0 and (current is None or getattr(current, "may_be_locked", True)) and (
                lock := lock_for(item.unit, item.criteria_set, item.year)):
            raise FigureLocked(lock)
        current_pk = current.pk if current is not None else None
        if expected_current != UNCHECKED and current_pk != expected_current:
            # Under READ COMMITTED the locked read may miss a row committed while it waited: read again.
            raise StaleFigure(current or _current(item, lock=False))
        if (figure := _write(item, current, by)) is not None:
            announce(item.year, [item.unit.pk], {item.criteria_set}, units=[item.unit])
            return figure
        if expected_current != UNCHECKED:  # a first write lost the race to another first write
            raise StaleFigure(_current(item, lock=False))
    raise StaleFigure(_current(item, lock=False))


def _write(item: FigureInput, current: Figure | None, by) -> Figure | None:
    """Supersede `current` and add the new row; None when another editor's row became current first."""
    now = timezone.now()
    try:
        with transaction.atomic():  # a savepoint: the losing insert rolls back alone
            if current is not None:
                Figure.objects.filter(pk=current.pk).update(superseded_at=now)
                current.superseded_at = now
            with disable_auditlog():  # audited below, with the replaced row, in one insert
                figure = Figure.objects.create(
                    unit=item.unit, criteria_set=item.criteria_set, indicator=item.indicator, year=item.year,
                    value=item.value, verdict=item.verdict, bound=item.bound, judged_by=item.judged_by,
                    source_note=item.source_note, entered_by=by, entered_at=now, is_demo=item.is_demo,
                )
            _audit(figure, current, now)
            return figure
    except IntegrityError as exc:
        if not _lost_race(exc):
            raise
        return None


def _audit(figure: Figure, current: Figure | None, now) -> None:
    """The new row's CREATE entry and the replaced row's UPDATE entry (superseded_at), as auditlog writes
    them, in one insert and without auditlog reading the replaced row again."""
    row = {f.attname: getattr(figure, f.attname) for f in Figure._meta.concrete_fields}
    shown = timezone.make_naive(now, UTC) if timezone.is_aware(now) else now  # auditlog's text: naive UTC
    record_rows_written(Figure, created=[(row, str(figure), figure.unit_id)],
                        changed=[(current.pk, str(current), current.unit_id)] if current is not None else [],
                        change={"superseded_at": (None, shown)})


def _lost_race(exc: IntegrityError) -> bool:
    """The insert broke `one_current_figure`: another editor's row became current first
    (PostgreSQL names the constraint; SQLite lists its columns)."""
    text = str(exc)
    return "one_current_figure" in text or "figures_figure.unit_id, figures_figure.criteria_set" in text


def refuse_invalid(items: list[FigureInput], *, once_each: bool = False) -> None:
    """`FigureRejected` listing every item the set cannot take, then every lock (and, with `once_each`, a
    figure given twice): nothing of a batch is written when one of its items is refused."""
    catalog = get_catalog()
    provinces = province_keys()
    problems = []
    tables: dict[tuple[str, str, int], dict[str, Indicator]] = {}  # the set as each province applies it, by code
    for item in items:
        parent = item.unit.parent_id
        province = "" if item.unit.kind == Kind.PROVINCE or parent is None else provinces.get(parent, "")
        table = tables.get((item.criteria_set, province, item.year))
        if table is None:
            try:
                applied = catalog.resolve(item.criteria_set, province, item.year).indicators
            except KeyError:
                applied = ()  # validate says the set does not exist
            table = tables[(item.criteria_set, province, item.year)] = {i.code: i for i in applied}
        try:
            validate(catalog, item, province, indicator=table.get(item.indicator))
        except FigureRejected as exc:
            problems.append(str(exc))
    if once_each and len({(i.unit.pk, i.criteria_set, i.indicator, i.year) for i in items}) != len(items):
        problems.append(_("Cùng một chỉ tiêu của cùng một đơn vị xuất hiện hai lần; mỗi chỉ tiêu chỉ ghi một lần."))
    locks = locks_among((i.unit.pk, i.criteria_set, i.year) for i in items)
    problems += sorted({lock.reason for lock in locks.values()})
    if problems:
        raise FigureRejected("\n".join(problems))


@transaction.atomic
def record_figures(items: Iterable[FigureInput], *, by=None) -> int:
    """Record many figures at once (imports, the demo): all validated first, then written in bulk;
    one refresh per year for the units concerned. Nothing is written if any item is rejected."""
    items = list(items)
    refuse_invalid(items)
    now = timezone.now()
    by_year: dict[int, set[int]] = defaultdict(set)
    sets_by_year: dict[int, set[str]] = defaultdict(set)
    for item in items:
        by_year[item.year].add(item.unit.pk)
        sets_by_year[item.year].add(item.criteria_set)
    keys = {(i.unit.pk, i.criteria_set, i.indicator, i.year) for i in items}
    for year, unit_ids in by_year.items():
        current = Figure.objects.filter(year=year, unit_id__in=unit_ids, superseded_at__isnull=True)
        stale = [pk for pk, *key in current.values_list("pk", "unit_id", "criteria_set", "indicator", "year")
                 if tuple(key) in keys]
        Figure.objects.filter(pk__in=stale).update(superseded_at=now)
        record_bulk_changes(Figure, {pk: {"superseded_at": (None, now)} for pk in stale})  # bulk: no signal
    try:
        with transaction.atomic():
            created = Figure.objects.bulk_create(
                [Figure(unit=i.unit, criteria_set=i.criteria_set, indicator=i.indicator, year=i.year, value=i.value,
                        verdict=i.verdict, bound=i.bound, judged_by=i.judged_by, source_note=i.source_note,
                        entered_by=by, entered_at=now, is_demo=i.is_demo) for i in items],
                batch_size=2000,
            )
    except IntegrityError as exc:
        if not _lost_race(exc):
            raise
        raise FigureRejected(_("Trong lúc ghi, có người vừa lưu số liệu của cùng chỉ tiêu; không có gì được ghi. "
                               "Hãy tải tệp lên lần nữa để xem giá trị mới.")) from None
    record_bulk_create(created)
    for year, unit_ids in by_year.items():
        announce(year, sorted(unit_ids), sets_by_year[year])
    return len(items)
