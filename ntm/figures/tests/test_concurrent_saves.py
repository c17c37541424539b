"""Two editors saving one figure at once: one value is recorded, the other editor is told who saved what
and when (409 on the API, the conflict message on the page); never a server error, never a lost write."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import close_old_connections, connection
from django.utils import translation

from ntm.accounts.names import display_name
from ntm.api.actions import create_token
from ntm.figures import actions
from ntm.figures.actions import FigureInput, StaleFigure, record_figure
from ntm.figures.models import Figure
from ntm.units.models import Unit

NTMNC = "commune-ntmnc-2021-2025"
QMT = "c28084"
EMPTY_YEAR = 2022  # the demo has no 2022 figures: every save there is a first write


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def user(name: str):
    return get_user_model().objects.get(username=name)


def income(value: str, year: int = 2024) -> FigureInput:
    return FigureInput(unit=Unit.objects.get(key=QMT), criteria_set=NTMNC, indicator="10.1", year=year,
                       value=Decimal(value))


def current(year: int = 2024) -> Figure | None:
    return Figure.objects.filter(unit__key=QMT, criteria_set=NTMNC, indicator="10.1", year=year,
                                 superseded_at=None).first()


def api_save(client, token: str, value: str, expected: int | None, year: int = 2024):
    return client.post("/api/figures", {"unit": QMT, "criteria_set": NTMNC, "indicator": "10.1", "year": year,
                                        "value": value, "expected_current": expected},
                       content_type="application/json", headers={"Authorization": f"Bearer {token}"})


def test_api_conflict_answers_409_with_who_when_and_their_value(client, demo):
    official, office = user("canbo.quemythanh"), user("vpdp.tantru")
    seen = current().pk
    assert api_save(client, create_token(official, name="t")[1], "70", seen).status_code == 201
    answer = api_save(client, create_token(office, name="t")[1], "80", seen)
    assert answer.status_code == 409
    body = answer.json()
    assert display_name(official) in body["detail"] and "(giá trị: 70)" in body["detail"]
    assert Decimal(body["current"]["value"]) == Decimal(70) and body["current"]["entered_at"]
    assert body["current"]["entered_by"]
    assert current().value == Decimal(70)


def test_two_first_writes_through_the_api_the_second_is_told_who_saved(client, demo):
    official, office = user("canbo.quemythanh"), user("vpdp.tantru")
    assert api_save(client, create_token(official, name="t")[1], "70", None, EMPTY_YEAR).status_code == 201
    answer = api_save(client, create_token(office, name="t")[1], "80", None, EMPTY_YEAR)
    assert answer.status_code == 409 and display_name(official) in answer.json()["detail"]
    assert current(EMPTY_YEAR).value == Decimal(70)


def test_two_first_writes_on_the_page_the_second_gets_the_conflict_message(client, demo):
    official, office = user("canbo.quemythanh"), user("vpdp.tantru")
    url = f"/entry/{QMT}/{NTMNC}/10.1/{EMPTY_YEAR}/"
    client.force_login(official)
    client.post(url, {"i10_1-value": "70", "i10_1-expected_current": ""}, headers={"HX-Request": "true"})
    client.force_login(office)
    html = client.post(url, {"i10_1-value": "80", "i10_1-expected_current": ""},
                       headers={"HX-Request": "true"}).content.decode()
    assert f"Trong lúc bạn nhập, {display_name(official)} đã lưu giá trị 70" in html
    assert "không có gì bị ghi đè" in html
    assert current(EMPTY_YEAR).value == Decimal(70)


def _lose_the_race_once(monkeypatch, winner_value: str, by):
    """Another editor's first write is committed, yet our locked read does not see it, as happens when it
    commits between our read and our insert. Deterministic on any database."""
    record_figure(income(winner_value, EMPTY_YEAR), by=by)
    real, missed = actions._current, list[bool]()

    def racing(item, *, lock, hint=None):
        if lock and not missed:
            missed.append(True)
            return None
        return real(item, lock=lock, hint=hint)

    monkeypatch.setattr(actions, "_current", racing)


def test_a_first_write_that_loses_at_the_insert_is_a_conflict_not_an_error(demo, monkeypatch):
    official, office = user("canbo.quemythanh"), user("vpdp.tantru")
    _lose_the_race_once(monkeypatch, "70", official)
    with pytest.raises(StaleFigure) as stale:
        record_figure(income("80", EMPTY_YEAR), by=office, expected_current=None)
    assert stale.value.current.value == Decimal(70) and stale.value.current.entered_by == official
    assert display_name(official) in str(stale.value)
    assert Figure.objects.filter(unit__key=QMT, indicator="10.1", year=EMPTY_YEAR).count() == 1


def test_an_unchecked_write_that_loses_at_the_insert_supersedes_the_winner(demo, monkeypatch):
    official, office = user("canbo.quemythanh"), user("vpdp.tantru")
    _lose_the_race_once(monkeypatch, "70", official)
    record_figure(income("80", EMPTY_YEAR), by=office)
    history = Figure.objects.filter(unit__key=QMT, indicator="10.1", year=EMPTY_YEAR).order_by("pk")
    assert [(f.value, f.superseded_at is None) for f in history] == [(Decimal(70), False), (Decimal(80), True)]


def _race(n: int, expected, year: int) -> list[str]:
    """`n` threads save the same figure at once; what each got: "saved", "stale" or the error."""
    barrier, outcomes = threading.Barrier(n), []
    office = user("vpdp.tantru")

    def save(i: int):
        try:
            barrier.wait()
            record_figure(income(str(60 + i), year), by=office, expected_current=expected)
            outcomes.append("saved")
        except StaleFigure as stale:
            outcomes.append("stale" if stale.current is not None else "stale without current")
        except Exception as exc:  # noqa: BLE001 — the point is to see any other failure
            outcomes.append(repr(exc))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads share one SQLite test database poorly")
def test_twenty_simultaneous_first_writes_on_postgresql_one_wins_the_rest_are_told(demo):
    outcomes = _race(20, None, EMPTY_YEAR)
    assert sorted(outcomes) == ["saved"] + ["stale"] * 19
    assert Figure.objects.filter(unit__key=QMT, indicator="10.1", year=EMPTY_YEAR).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads share one SQLite test database poorly")
def test_twenty_simultaneous_corrections_on_postgresql_one_wins_the_rest_are_told(demo):
    seen = current().pk
    outcomes = _race(20, seen, 2024)
    assert sorted(outcomes) == ["saved"] + ["stale"] * 19
    assert Figure.objects.filter(unit__key=QMT, criteria_set=NTMNC, indicator="10.1", year=2024,
                                 superseded_at=None).count() == 1
