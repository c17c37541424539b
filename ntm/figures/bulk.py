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
from datetime import UTC
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm import bulk_insert
from ntm.audit.bulk import record_rows_written

from .actions import FigureInput, FigureRejected, _lost_race, refuse_invalid
from .models import Figure, figure_text
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
    keys = [key_of(i) for i in items]
    current = _current(items, keys)
    if expected is not None:
        moved = [k for k in keys if (current[k][1] if k in current else None) != expected.get(k)]
        if moved:
            raise FiguresMoved(moved)
    now = timezone.now()
    pks = [current[k][0] for k in keys if k in current]
    for start in range(0, len(pks), CHUNK):
        Figure.objects.filter(pk__in=pks[start:start + CHUNK], superseded_at__isnull=True).update(superseded_at=now)
    rows = _insert(items, keys, by, now)
    _audit(items, keys, rows, current, by, now)
    by_year: dict[int, tuple[set[int], set[str]]] = defaultdict(lambda: (set(), set()))
    for unit_id, set_id, _code, year in keys:
        by_year[year][0].add(unit_id)
        by_year[year][1].add(set_id)
    for year, (unit_ids, set_ids) in sorted(by_year.items()):
        announce(year, sorted(unit_ids), set_ids)
    return len(items)


def _current(items: list[FigureInput], keys: list[Key]) -> dict[Key, tuple[int, Compared]]:
    """The current rows of the items' units, sets and years, locked until the end of the transaction (on
    PostgreSQL), keyed like the items: one query per (set, year), usually one."""
    wanted = set(keys)
    out: dict[Key, tuple[int, Compared]] = {}
    for (set_id, year), unit_ids in _groups(keys).items():
        rows = (Figure.objects.select_for_update().filter(criteria_set=set_id, year=year, unit_id__in=unit_ids,
                                                          superseded_at__isnull=True)
                .values_list("pk", "unit_id", "indicator", "value", "bound", "verdict", "source_note"))
        for pk, unit_id, indicator, value, bound, verdict, note in rows:
            key = (unit_id, set_id, indicator, year)
            if key in wanted:
                out[key] = (pk, (value, bound, verdict, note))
    return out


def _groups(keys: list[Key]) -> dict[tuple[str, int], set[int]]:
    """(set id, year) → the ids of the units written."""
    groups: dict[tuple[str, int], set[int]] = defaultdict(set)
    for unit_id, set_id, _code, year in keys:
        groups[(set_id, year)].add(unit_id)
    return groups


def _insert(items: list[FigureInput], keys: list[Key], by, now) -> list[dict]:
    """The new current rows as plain values (`ntm.bulk_insert`: multi-row INSERTs, COPY on PostgreSQL; no
    model instance), then their ids read back by key; a row another editor made current meanwhile breaks
    `one_current_figure` and refuses everything."""
    rows = [{"unit_id": unit_id, "criteria_set": set_id, "indicator": code, "year": year, "value": i.value,
             "bound": i.bound, "verdict": i.verdict, "judged_by": i.judged_by, "source_note": i.source_note,
             "is_demo": i.is_demo} for i, (unit_id, set_id, code, year) in zip(items, keys, strict=True)]
    try:
        with transaction.atomic():
            bulk_insert.insert_rows(Figure, rows, shared=_shared(by, now))
    except IntegrityError as exc:
        if not _lost_race(exc):
            raise
        raise FiguresMoved([]) from None
    ids = {}
    for (set_id, year), unit_ids in _groups(keys).items():  # the rows just made current, by their key
        found = Figure.objects.filter(criteria_set=set_id, year=year, unit_id__in=unit_ids, superseded_at__isnull=True,
                                      entered_at=now).values_list("pk", "unit_id", "indicator")
        ids.update({(unit_id, set_id, code, year): pk for pk, unit_id, code in found})
    for row, key in zip(rows, keys, strict=True):
        row["id"] = ids[key]
    return rows


def _shared(by, now) -> dict:
    """The columns every new row has alike."""
    return {"entered_by_id": by.pk if by is not None else None, "entered_at": now, "superseded_at": None}


def _audit(items: list[FigureInput], keys: list[Key], rows: list[dict], current: dict[Key, tuple[int, Compared]],
           by, now) -> None:
    """One CREATE entry per new row and one UPDATE entry (superseded_at) per replaced row, as a single save
    records them, named from the values in hand: one multi-row insert, no instance, no query."""
    names: dict[int, str] = {}
    created, changed = [], []
    for item, key, row in zip(items, keys, rows, strict=True):
        unit_id, set_id, code, year = key
        name = names.get(unit_id)
        if name is None:
            name = names[unit_id] = str(item.unit)
        created.append((row, figure_text(name, set_id, code, year, item.value, item.bound, item.verdict), unit_id))
        if key in current:
            pk, (value, bound, verdict, _note) = current[key]
            changed.append((pk, figure_text(name, set_id, code, year, value, bound, verdict), unit_id))
    shown = timezone.make_naive(now, UTC) if timezone.is_aware(now) else now  # auditlog's text: naive UTC
    record_rows_written(Figure, created=created, changed=changed, change={"superseded_at": (None, shown)},
                        shared=_shared(by, now))
