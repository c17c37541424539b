"""One save through the entry page costs the same number of queries however large the commune's district
is: the sheet is built once, only the set saved is refreshed, and the district only when the commune's
reached status changes (issue 12). benchmarks/bench_save.py times the same request."""

from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ntm.alerts.models import Alert, AlertKind
from ntm.catalog_source import get_catalog
from ntm.entry.tests.test_data_entry import NTMNC, QMT, current, post_figure
from ntm.evaluation.actions import refresh_results
from ntm.evaluation.models import CriterionResult, UnitResult
from ntm.figures.models import Figure
from ntm.units.models import Kind, Unit

# What one save reads and writes today, whatever the district's size (savepoints not counted; inside the
# test's transaction there is no BEGIN and COMMIT, and the alert mail's task is queued at commit: with the
# database queue of production it is one insert more): 17 when criterion 10 becomes met, 19 when it slips
# (its alerts: the people to tell in one query, then the alerts). Lower them when a query goes; never raise
# them without saying which query came and why.
SAVE_QUERIES = 15
SAVE_QUERIES_WITH_ALERT = 17


def add_communes(district: Unit, count: int, start: int) -> None:
    """Communes with a verdict on every indicator of the set, their results stored."""
    communes = Unit.objects.bulk_create(
        Unit(key=f"cq{start + i:04d}", code=f"8{start + i:05d}", name=f"Xã thêm {start + i}", division_type="xã",
             kind=Kind.COMMUNE, parent=district, region="DBSCL") for i in range(count))
    indicators = [i for i in get_catalog().get(NTMNC).indicators if i.derived is None]
    Figure.objects.bulk_create(
        Figure(unit=c, criteria_set=NTMNC, indicator=i.code, year=2024, verdict=True, judged_by="test",
               entered_at=datetime(2024, 12, 31, tzinfo=UTC)) for c in communes for i in indicators)
    refresh_results(2024)


def save_queries(client, value: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = post_figure(client, "10.1", value=value)
    assert response.status_code == 200
    assert 'id="status-10"' in response.content.decode()
    return sum(1 for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]) - 1  # the helper's read


def test_a_save_needs_the_same_queries_in_a_small_and_a_large_district(client, demo, settings):
    settings.NTM_CATALOG_RECHECK_SECONDS = 3600  # the catalog's look for new versions is timed, not per save
    client.force_login(get_user_model().objects.get(username="canbo.quemythanh"))
    district = Unit.objects.get(key=QMT).parent
    save_queries(client, "70")  # warm: the first save may write the commune's first results
    small = [save_queries(client, v) for v in ("76", "70")]  # criterion 10 met, then slipped: an alert
    add_communes(district, 40, 0)
    large = [save_queries(client, v) for v in ("76", "70")]
    assert small == large, f"queries grow with the district: {small} → {large}"
    met, slipped = large
    assert met <= SAVE_QUERIES and slipped <= SAVE_QUERIES_WITH_ALERT, large
    assert current("10.1").value == 70
    assert Alert.objects.filter(unit__key=QMT, criterion="10", kind=AlertKind.CRITERION_SLIPPED).exists()


def test_a_save_stores_what_a_national_refresh_would_and_shows_it(client, demo):
    """The save's own refresh (one commune, its unit and statuses in hand) stores the result and the digest
    a refresh of the whole year computes: that refresh then finds nothing to rewrite."""
    client.force_login(get_user_model().objects.get(username="canbo.quemythanh"))
    response = post_figure(client, "10.1", value="76")
    assert response.status_code == 200
    commune = Unit.objects.get(key=QMT)
    saved = UnitResult.objects.get(unit=commune, criteria_set=NTMNC, year=2024)
    stored = {c.criterion: c.status for c in CriterionResult.objects.filter(unit=commune, criteria_set=NTMNC,
                                                                            year=2024)}
    assert stored["10"] == "met"
    assert 'id="status-10"' in response.content.decode() and "76" in response.content.decode()
    refresh_results(2024)
    again = UnitResult.objects.get(unit=commune, criteria_set=NTMNC, year=2024)
    assert (again.evaluated_at, again.inputs_digest) == (saved.evaluated_at, saved.inputs_digest)
    refresh_results(2024, force=True)  # evaluated afresh from the database: the same statuses
    assert {c.criterion: c.status for c in CriterionResult.objects.filter(
        unit=commune, criteria_set=NTMNC, year=2024)} == stored


def test_district_result_is_refreshed_only_when_a_commune_reaches_or_loses_the_level(client, demo):
    client.force_login(get_user_model().objects.get(username="canbo.quemythanh"))
    district = Unit.objects.get(key=QMT).parent
    stamp = {s: UnitResult.objects.get(unit=district, criteria_set=s, year=2024).evaluated_at
             for s in UnitResult.objects.filter(unit=district, year=2024).values_list("criteria_set", flat=True)}
    assert stamp, "the demo stores its district's results"
    post_figure(client, "10.1", value="76")  # Quê Mỹ Thạnh stays short of the level: other criteria are unmet
    after = {s: UnitResult.objects.get(unit=district, criteria_set=s, year=2024).evaluated_at for s in stamp}
    assert after == stamp
