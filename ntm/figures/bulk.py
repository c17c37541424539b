"""Writing many figures at once, set-based (the Excel import): every item checked with the same rules and
words as a single save (`actions.validate`, the locks), then the current rows of the units concerned read
once (locked), one UPDATE that supersedes those being replaced, one bulk INSERT of the new rows, their
audit entries in bulk, and one `figures_changed` per year. All or nothing; a figure that moved since the
caller read it (`expected`) refuses the whole write.

History is kept as everywhere else: a replaced row gets `superseded_at`, the new row is current
(`one_current_figure`). Costs a fixed number of queries whatever the number of figures (10,000 rows of
a district's workbook in a few hundred milliseconds)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm import bulk_insert
from ntm.audit.bulk import record_bulk_changes, record_bulk_create

from .actions import FigureInput, FigureRejected, _lost_race, refuse_invalid
from .models import Figure
from .signals import announce

Key = tuple[int, str, str, int]  # (unit id, set id, indicator, year)
Compared = tuple[Decimal | None, str, bool | None, str]  # (value, bound, verdict, note): what an import compares
CHUNK = 2000  # primary keys per UPDATE: under SQLite's limit on parameters


class FiguresMoved(FigureRejected):
    """Current figures differ from what the caller expected (someone saved in between): nothing written."""

    def __init__(self, keys: list[Key]):
        self.keys = keys
        super().__init__(_("Trong lúc ghi, có người vừa lưu số liệu của cùng chỉ tiêu; không có gì được ghi. "
                           "Hãy tải tệp lên lần nữa để xem giá trị mới."))


def key_of(item: FigureInput) -> Key:
    return (item.unit.pk, item.criteria_set, item.indicator, item.year)


@transaction.atomic
def write_figures(items: Sequence[FigureInput], *, by=None,
                  expected: Mapping[Key, Compared | None] | None = None) -> int:
    """Record every item or none (see the module's docstring). `expected`: for each item's key, the figure
    the caller saw (None: no figure); `FiguresMoved` when a current row differs from it."""
    items = list(items)
    if not items:
        return 0
    refuse_invalid(items, once_each=True)
    current = _current(items)
    if expected is not None:
        moved = [k for k in map(key_of, items) if (current[k][1] if k in current else None) != expected.get(k)]
        if moved:
            raise FiguresMoved(moved)
    now = timezone.now()
    replaced = [(current[key_of(i)][0], i) for i in items if key_of(i) in current]
    pks = [pk for pk, _item in replaced]
    for start in range(0, len(pks), CHUNK):
        Figure.objects.filter(pk__in=pks[start:start + CHUNK], superseded_at__isnull=True).update(superseded_at=now)
    record_bulk_changes(Figure, {pk: {"superseded_at": (None, now)} for pk in pks},  # bulk: no signal
                        objs=[_loaded(pk, item, current[key_of(item)][1], now) for pk, item in replaced])
    created = _insert(items, by, now)
    record_bulk_create(created)
    by_year: dict[int, tuple[set[int], set[str]]] = defaultdict(lambda: (set(), set()))
    for item in items:
        by_year[item.year][0].add(item.unit.pk)
        by_year[item.year][1].add(item.criteria_set)
    for year, (unit_ids, set_ids) in sorted(by_year.items()):
        announce(year, sorted(unit_ids), set_ids)
    return len(items)


def _current(items: list[FigureInput]) -> dict[Key, tuple[int, Compared]]:
    """The current rows of the items' units, sets and years, locked until the end of the transaction (on
    PostgreSQL), keyed like the items: one query per (set, year), usually one."""
    wanted = set(map(key_of, items))
    out: dict[Key, tuple[int, Compared]] = {}
    for (set_id, year), unit_ids in _groups(items).items():
        rows = (Figure.objects.select_for_update().filter(criteria_set=set_id, year=year, unit_id__in=unit_ids,
                                                          superseded_at__isnull=True)
                .values_list("pk", "unit_id", "indicator", "value", "bound", "verdict", "source_note"))
        for pk, unit_id, indicator, value, bound, verdict, note in rows:
            key = (unit_id, set_id, indicator, year)
            if key in wanted:
                out[key] = (pk, (value, bound, verdict, note))
    return out


def _groups(items: list[FigureInput]) -> dict[tuple[str, int], set[int]]:
    """(set id, year) → the ids of the units written."""
    groups: dict[tuple[str, int], set[int]] = defaultdict(set)
    for item in items:
        groups[(item.criteria_set, item.year)].add(item.unit.pk)
    return groups


def _loaded(pk: int, item: FigureInput, compared: Compared, now) -> Figure:
    """A replaced row as the audit entry names it (str(), its unit), from what `_current` read."""
    value, bound, verdict, note = compared
    figure = Figure(pk=pk, unit_id=item.unit.pk, criteria_set=item.criteria_set, indicator=item.indicator,
                    year=item.year, value=value, bound=bound, verdict=verdict, source_note=note, superseded_at=now)
    Figure._meta.get_field("unit").set_cached_value(figure, item.unit)
    return figure


def _insert(items: list[FigureInput], by, now) -> list[Figure]:
    """The new current rows (`ntm.bulk_insert`: multi-row INSERTs, COPY on PostgreSQL), then their ids
    read back by key; a row another editor made current meanwhile breaks `one_current_figure` and refuses
    everything."""
    by_id = by.pk if by is not None else None
    figures = [Figure(unit_id=i.unit.pk, criteria_set=i.criteria_set, indicator=i.indicator, year=i.year,
                      value=i.value, verdict=i.verdict, bound=i.bound, judged_by=i.judged_by,
                      source_note=i.source_note, entered_by_id=by_id, entered_at=now, is_demo=i.is_demo)
               for i in items]
    unit_field = Figure._meta.get_field("unit")
    for figure, item in zip(figures, items, strict=True):
        unit_field.set_cached_value(figure, item.unit)  # str(figure) names the unit without a query
    try:
        with transaction.atomic():
            bulk_insert.insert(Figure, figures)
    except IntegrityError as exc:
        if not _lost_race(exc):
            raise
        raise FiguresMoved([]) from None
    ids = {}
    for (set_id, year), unit_ids in _groups(items).items():  # the rows just made current, by their key
        rows = Figure.objects.filter(criteria_set=set_id, year=year, unit_id__in=unit_ids, superseded_at__isnull=True,
                                     entered_at=now).values_list("pk", "unit_id", "indicator")
        ids.update({(unit_id, set_id, code, year): pk for pk, unit_id, code in rows})
    for figure in figures:
        figure.pk = ids[(figure.unit_id, figure.criteria_set, figure.indicator, figure.year)]
        figure._state.adding, figure._state.db = False, "default"
    return figures
