"""A previewed import is kept in a table until it is confirmed, not in the session: the confirmation writes
exactly what the preview showed, a later preview replaces an earlier one, and a confirmed one is gone."""

from __future__ import annotations

import json
from decimal import Decimal

from ntm.audit.models import AuditEntry
from ntm.exchange import layout as L
from ntm.exchange.models import PendingImport
from ntm.exchange.plan import Change, Current, Plan
from ntm.exchange.views import SESSION_KEY
from ntm.figures.models import Figure

from .conftest import NTMNC, QMT, YEAR, download, fill, upload

SHEET = "Quê Mỹ Thạnh"


def current(code: str) -> Figure:
    return Figure.objects.get(unit__key=QMT, criteria_set=NTMNC, indicator=code, year=YEAR,
                              superseded_at__isnull=True)


def test_a_plan_read_back_is_the_plan_that_was_kept():
    plan = Plan(NTMNC, YEAR, (
        Change(QMT, "Quê Mỹ Thạnh", "10.1", "Thu nhập", "triệu đồng/người/năm", None,
               Current(Decimal("77.50"), None, "Sổ hộ nghèo", "", ""), SHEET, 9),
        Change(QMT, "Quê Mỹ Thạnh", "2.1", "Giao thông", "%", Current(Decimal("96"), None, "", "", ">"),
               Current(Decimal("97.25"), None, "", "", ">="), SHEET, 12),
        Change(QMT, "Quê Mỹ Thạnh", "17.8", "Môi trường", "", Current(None, False, "cũ", "UBND huyện", ""),
               Current(None, True, "mới", "", ""), SHEET, 40),
    ), unchanged=5)
    assert Plan.from_json(json.loads(json.dumps(plan.to_json()))) == plan


def test_a_plan_kept_by_the_earlier_version_is_still_read():
    """An import queued before an upgrade holds its changes one dict each."""
    kept = {"set_id": NTMNC, "year": YEAR, "unchanged": 0, "changes": [
        {"unit_key": QMT, "unit_name": "Quê Mỹ Thạnh", "indicator": "10.1", "indicator_name": "Thu nhập",
         "measure": "%", "old": None, "new": {"value": "80", "verdict": None, "note": "", "judged_by": "",
                                              "bound": ""}, "sheet": SHEET, "row": 9}]}
    plan = Plan.from_json(kept)
    assert [(c.indicator, c.old, c.new.value) for c in plan.changes] == [("10.1", None, Decimal("80"))]


def test_the_preview_is_kept_out_of_the_session_and_dropped_once_confirmed(official_qmt):
    data = fill(download(official_qmt), {(SHEET, "10.1"): {L.NEW_VALUE: "91"}})
    entries = AuditEntry.objects.count()
    preview = upload(official_qmt, data)
    token = preview.context["token"]
    assert set(official_qmt.session[SESSION_KEY]) == {"token", "user", "unit"}
    assert PendingImport.objects.filter(token=token, unit__key=QMT).count() == 1
    assert AuditEntry.objects.count() == entries  # the plan is not copied into the audit trail
    response = official_qmt.post(f"/exchange/{QMT}/import/confirm/", {"token": token})
    assert response.status_code == 302 and current("10.1").value == Decimal("91")
    assert not PendingImport.objects.filter(token=token).exists()
    assert SESSION_KEY not in official_qmt.session


def test_a_later_preview_replaces_the_earlier_one(official_qmt):
    first = upload(official_qmt, fill(download(official_qmt), {(SHEET, "10.1"): {L.NEW_VALUE: "91"}}))
    second = upload(official_qmt, fill(download(official_qmt), {(SHEET, "10.1"): {L.NEW_VALUE: "92"}}))
    assert PendingImport.objects.count() == 1
    official_qmt.post(f"/exchange/{QMT}/import/confirm/", {"token": first.context["token"]})
    assert current("10.1").value != Decimal("91")
    official_qmt.post(f"/exchange/{QMT}/import/confirm/", {"token": second.context["token"]})
    assert current("10.1").value == Decimal("92")
