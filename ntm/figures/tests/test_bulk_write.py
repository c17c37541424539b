"""The set-based writer behind the Excel import: the same history, checks, locks and audit trail as a single
save, in a fixed number of queries whatever the number of figures."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from auditlog.diff import model_instance_diff
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ntm.audit.bulk import _creation_changes, record_rows_written
from ntm.audit.models import AuditEntry
from ntm.catalog_source import get_catalog
from ntm.evaluation.models import UnitResult
from ntm.figures.actions import FigureInput, FigureRejected
from ntm.figures.bulk import FiguresMoved, key_of, write_figures
from ntm.figures.models import Figure
from ntm.units.models import Kind, Unit

NTMNC = "commune-ntmnc-2021-2025"
YEAR = 2024


@pytest.fixture
def communes(demo) -> list[Unit]:
    return list(Unit.objects.filter(kind=Kind.COMMUNE, parent__key="d805").order_by("key"))


@pytest.fixture
def official(db):
    return get_user_model().objects.create_user("can_bo_bulk", password="x")


def verdicts(units: list[Unit], met: bool) -> list[FigureInput]:
    """A verdict for every verdict-only indicator of the set, for each unit."""
    codes = [i.code for i in get_catalog().get(NTMNC).indicators if not i.comparison.is_numeric]
    return [FigureInput(unit=u, criteria_set=NTMNC, indicator=c, year=YEAR, verdict=met, source_note="bulk")
            for u in units for c in codes]


def current(unit: Unit, code: str) -> Figure | None:
    return Figure.objects.filter(unit=unit, criteria_set=NTMNC, indicator=code, year=YEAR,
                                 superseded_at__isnull=True).first()


def test_replaced_figures_stay_in_the_history_and_the_new_ones_are_current(communes, official):
    unit = communes[0]
    before = current(unit, "10.1")
    write_figures([FigureInput(unit=unit, criteria_set=NTMNC, indicator="10.1", year=YEAR, value=Decimal("77"))],
                  by=official)
    rows = Figure.objects.filter(unit=unit, criteria_set=NTMNC, indicator="10.1", year=YEAR).order_by("pk")
    assert [r.value for r in rows][-2:] == [before.value, Decimal("77")]
    assert rows.get(pk=before.pk).superseded_at is not None
    assert current(unit, "10.1").entered_by == official
    assert UnitResult.objects.filter(unit=unit, criteria_set=NTMNC, year=YEAR).exists()  # results refreshed


def test_the_number_of_queries_does_not_grow_with_the_number_of_figures(communes, official):
    def queries(items) -> int:
        with CaptureQueriesContext(connection) as captured:
            write_figures(items, by=official)
        return len([q for q in captured if "figures_figure" in q["sql"] or "audit" in q["sql"]])

    small = queries(verdicts(communes[:1], True))
    large = queries(verdicts(communes, True))
    assert len(verdicts(communes, True)) > 5 * len(verdicts(communes[:1], True))
    assert large == small


def test_one_invalid_figure_refuses_them_all_with_its_words(communes, official):
    items = [*verdicts(communes[:2], False),
             FigureInput(unit=communes[0], criteria_set=NTMNC, indicator="10.1", year=YEAR, value=Decimal("-5"))]
    count = Figure.objects.count()
    with pytest.raises(FigureRejected, match="nằm ngoài khoảng cho phép"):
        write_figures(items, by=official)
    assert Figure.objects.count() == count


def test_a_figure_saved_meanwhile_refuses_the_write(communes, official):
    unit = communes[0]
    item = FigureInput(unit=unit, criteria_set=NTMNC, indicator="10.1", year=YEAR, value=Decimal("80"))
    seen = current(unit, "10.1")
    stale = (seen.value - 1, seen.bound, seen.verdict, seen.source_note)  # not what is stored now
    with pytest.raises(FiguresMoved) as moved:
        write_figures([item], by=official, expected={key_of(item): stale})
    assert moved.value.keys == [key_of(item)]
    assert current(unit, "10.1").pk == seen.pk
    exact = (seen.value, seen.bound, seen.verdict, seen.source_note)
    assert write_figures([item], by=official, expected={key_of(item): exact}) == 1


def test_every_write_is_in_the_audit_trail_as_auditlog_would_record_it(communes, official):
    items = verdicts(communes[:1], True)
    replaced = {current(communes[0], i.indicator) for i in items} - {None}
    write_figures(items, by=official)
    new = Figure.objects.filter(unit=communes[0], criteria_set=NTMNC, year=YEAR, superseded_at__isnull=True,
                                source_note="bulk")
    created = AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, object_id__in=[f.pk for f in new])
    assert created.count() == len(items)
    updated = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE, object_id__in=[f.pk for f in replaced])
    assert updated.count() == len(replaced) and all("superseded_at" in e.changes for e in updated)


def test_the_fast_creation_diff_is_auditlogs_own(communes):
    now = timezone.now()
    figures = [Figure(pk=1, unit=communes[0], criteria_set=NTMNC, indicator="10.1", year=YEAR,
                      value=Decimal("76.4"), entered_at=now),
               Figure(pk=2, unit=communes[1], criteria_set=NTMNC, indicator="2.0", year=YEAR, verdict=False,
                      judged_by="UBND huyện", source_note="Biên bản", bound="", entered_at=now, superseded_at=now),
               Figure(pk=3, unit=communes[1], criteria_set=NTMNC, indicator="2.0", year=YEAR, verdict=True,
                      value=Decimal("96"), bound=">", entered_at=now, is_demo=True)]
    expected = [{k: list(v) for k, v in model_instance_diff(None, f).items()} for f in figures]
    assert [json.loads(c) for c in _creation_changes(figures)] == expected


def test_entries_written_from_plain_rows_read_as_auditlogs_own(communes):
    """The import builds no model instance: its entries, made from the rows' values, hold the same changes
    and name the figure the same way as entries auditlog makes from instances."""
    now = timezone.now()
    figures = [Figure(pk=10**9 + 1, unit=communes[0], criteria_set=NTMNC, indicator="10.1", year=YEAR,
                      value=Decimal("76.4"), entered_at=now),
               Figure(pk=10**9 + 2, unit=communes[1], criteria_set=NTMNC, indicator="2.0", year=YEAR, verdict=True,
                      value=Decimal("96"), bound=">", judged_by="UBND huyện", entered_at=now, is_demo=True)]
    rows = [{f.attname: getattr(fig, f.attname) for f in Figure._meta.concrete_fields} for fig in figures]
    record_rows_written(Figure, created=[(row, str(fig), fig.unit_id) for row, fig in zip(rows, figures, strict=True)],
                        changed=[(10**9 + 3, "đã thay", communes[0].pk)], change={"superseded_at": (None, now)})
    entries = AuditEntry.objects.filter(object_id__gt=10**9).order_by("object_id")
    assert [(e.action, e.object_repr, e.unit_id) for e in entries] == [
        (AuditEntry.Action.CREATE, str(figures[0]), communes[0].pk),
        (AuditEntry.Action.CREATE, str(figures[1]), communes[1].pk),
        (AuditEntry.Action.UPDATE, "đã thay", communes[0].pk)]
    assert [e.changes for e in entries[:2]] == [
        {k: list(v) for k, v in model_instance_diff(None, f).items()} for f in figures]
    assert entries[2].changes == {"superseded_at": ["None", str(now)]}
