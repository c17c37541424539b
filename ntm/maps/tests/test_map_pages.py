"""The map pages as the new Tây Ninh's office and an administrator see them, with synthetic square boundaries."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from ntm.evaluation.models import CriterionResult, UnitResult
from ntm.units.models import Kind, Unit

from .shapes import squares, write

PROVINCE = "p80-2025"
SET_2026 = "commune-ntm-2026-2030"  # the set in force in 2026, which the map shows
MAP = f"/province/{PROVINCE}/map/?level=ntm&year=2026"


def communes() -> list[Unit]:
    return list(Unit.objects.filter(parent__key=PROVINCE, kind=Kind.COMMUNE).order_by("code"))


def load_squares(tmp_path, units: list[Unit], *args: str) -> None:
    call_command("units", "boundaries", str(write(tmp_path, squares([u.code for u in units]))), *args,
                 stdout=StringIO())


def client_for(client, username: str):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def features(response) -> list[dict]:
    html = response.content.decode()
    start = html.index('<script id="map-features" type="application/json">') + len(
        '<script id="map-features" type="application/json">')
    return json.loads(html[start:html.index("</script>", start)])["features"]


def test_without_boundaries_the_page_says_how_to_load_them_and_still_lists_every_commune(client, demo_2026):
    response = client_for(client, "vpdp.tayninh").get(MAP)

    html = response.content.decode()
    assert response.status_code == 200
    assert "ntm units boundaries" in html and 'id="map"' not in html
    assert html.count('<tr data-unit="') == len(communes())

    english = client.get(f"/en{MAP}").content.decode()
    assert "An administrator loads boundaries" in english and "Colour by" in english
    assert "Criteria met (n/N)" in english and "1–2 criteria to go" in english


def test_the_province_map_draws_each_commune_with_a_boundary_and_lists_those_without(client, demo_2026, tmp_path):
    shown = communes()
    ward = Unit.objects.filter(parent__key=PROVINCE, kind=Kind.WARD).first()
    load_squares(tmp_path, [*shown[:-3], ward], "--attribution", "Ô vuông tổng hợp")
    office = client_for(client, "vpdp.tayninh")

    response = office.get(MAP)

    html = response.content.decode()
    everything = features(response)
    (ward_drawn,) = [f for f in everything if f["properties"]["css"] == "ward"]  # drawn, not rated, not listed
    assert ward_drawn["properties"]["key"] == ward.key and f'data-unit="{ward.key}"' not in html
    assert "Phường: không xét tiêu chí nông thôn mới (1)" in html
    drawn = [f for f in everything if f["properties"]["css"] != "ward"]
    assert len(drawn) == len(shown) - 3
    assert "3 đơn vị chưa có ranh giới" in html and html.count("chưa có ranh giới</span>") == 3
    assert "Ranh giới: Ô vuông tổng hợp" in html
    stored = {r.unit.key: r for r in UnitResult.objects.filter(unit__in=shown, year=2026, criteria_set=SET_2026)
              .select_related("unit")}
    some = drawn[0]["properties"]
    result = stored[some["key"]]
    assert some["value"] == f"{result.met}/{result.total}"
    expected = "reached" if result.met == result.total else "near" if result.total - result.met <= 2 else "mid"
    assert some["css"] == expected and some["href"].startswith(f"/commune/{some['key']}/")


def test_colouring_by_one_criterion_shows_each_communes_status_in_words(client, demo_2026, tmp_path):
    shown = communes()
    load_squares(tmp_path, shown)
    criterion = CriterionResult.objects.filter(unit__in=shown, year=2026, criteria_set=SET_2026,
                                               status="not_met").first()

    response = client_for(client, "vpdp.tayninh").get(f"{MAP}&colour={criterion.criterion}")

    html = response.content.decode()
    by_key = {f["properties"]["key"]: f["properties"] for f in features(response)}
    assert by_key[criterion.unit.key]["css"] == "not_met"
    assert by_key[criterion.unit.key]["text"] == "Chưa đạt"
    assert f'<option value="{criterion.criterion}" selected>' in html
    assert "Chưa đạt (" in html  # the legend counts each status


def test_an_unknown_colour_falls_back_to_criteria_met(client, demo_2026):
    response = client_for(client, "vpdp.tayninh").get(f"{MAP}&colour=nonsense")

    assert '<option value="score" selected>' in response.content.decode()


@pytest.mark.parametrize(("username", "status"), [("canbo.nhuttao", 403), ("vpdp.longan", 403), ("quantri", 200)])
def test_only_readers_of_the_province_open_its_map(client, demo_2026, username, status):
    assert client_for(client, username).get(MAP).status_code == status


def test_the_national_map_is_for_administrators_and_shares_communes_meeting_every_criterion(
        client, demo_2026, tmp_path):
    province = Unit.objects.get(key=PROVINCE)
    call_command("units", "boundaries", str(write(tmp_path, squares([province.code]))), "--level", "province",
                 stdout=StringIO())
    assert client_for(client, "vpdp.tayninh").get("/map/?level=ntm&year=2026").status_code == 403

    response = client_for(client, "quantri").get("/map/?level=ntm&year=2026")

    html = response.content.decode()
    results = UnitResult.objects.filter(unit__parent=province, year=2026, criteria_set=SET_2026)
    reached, evaluated = sum(1 for r in results if r.met == r.total), results.count()
    (drawn,) = features(response)
    assert drawn["properties"]["key"] == PROVINCE
    assert drawn["properties"]["value"] == f"{reached}/{evaluated} xã ({round(100 * reached / evaluated)} %)"
    assert drawn["properties"]["href"] == f"/province/{PROVINCE}/map/?level=ntm&year=2026"
    assert "Tỉnh Tây Ninh" in html

    by_criterion = client.get("/map/?level=ntm&year=2026&colour=1")
    met = CriterionResult.objects.filter(unit__parent=province, year=2026, criteria_set=SET_2026, criterion="1")
    meeting = met.filter(status="met").count()
    assert features(by_criterion)[0]["properties"]["value"].startswith(f"{meeting}/{met.count()} xã")
    assert "Số xã đạt Tiêu chí 1." in by_criterion.content.decode()


def test_the_province_and_national_pages_link_to_their_maps(client, demo_2026):
    office = client_for(client, "vpdp.tayninh")
    province_page = office.get(f"/province/{PROVINCE}/?level=ntm&year=2026").content.decode()
    assert f'href="/province/{PROVINCE}/map/?level=ntm&amp;year=2026"' in province_page

    national_page = client_for(client, "quantri").get("/national/?level=ntm&year=2026").content.decode()
    assert 'href="/map/?level=ntm&amp;year=2026"' in national_page


def test_the_province_map_needs_the_same_queries_however_many_communes_have_a_boundary(
        client, demo_2026, tmp_path, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.NTM_CATALOG_RECHECK_SECONDS = 0  # look for a newer catalog version at every request, not by the clock
    shown = communes()
    office = client_for(client, "vpdp.tayninh")
    office.get(MAP)  # the first request also keeps the period in the session
    counts = []
    for part in (shown[:3], shown):
        load_squares(tmp_path, part)
        with CaptureQueriesContext(connection) as queries:
            assert len(features(office.get(MAP))) == len(part)
        counts.append(len(queries))
    assert counts[0] == counts[1]
