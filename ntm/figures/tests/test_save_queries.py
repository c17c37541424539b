"""One save through the entry page costs the same number of queries however large the commune's district
is: the sheet is built once, only the set saved is refreshed, and the district only when the commune's
reached status changes (issue 12). benchmarks/bench_save.py times the same request."""

from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ntm.evaluation.actions import refresh_results
from ntm.evaluation.catalog_source import get_catalog
from ntm.evaluation.models import UnitResult
from ntm.figures.models import Figure
from ntm.units.models import Kind, Unit

from .test_data_entry import NTMNC, QMT, current, post_figure

# What one save reads and writes today (SQLite; savepoints not counted), whatever the district's size:
# 31 when no criterion changes status, 36 when one slips (its alert, the people to tell). Lower it when a
# query goes; never raise it without saying which query came and why.
SAVE_QUERIES = 36


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
    assert max(large) <= SAVE_QUERIES
    assert current("10.1").value == 70


def test_district_result_is_refreshed_only_when_a_commune_reaches_or_loses_the_level(client, demo):
    client.force_login(get_user_model().objects.get(username="canbo.quemythanh"))
    district = Unit.objects.get(key=QMT).parent
    stamp = {s: UnitResult.objects.get(unit=district, criteria_set=s, year=2024).evaluated_at
             for s in UnitResult.objects.filter(unit=district, year=2024).values_list("criteria_set", flat=True)}
    assert stamp, "the demo stores its district's results"
    post_figure(client, "10.1", value="76")  # Quê Mỹ Thạnh stays short of the level: other criteria are unmet
    after = {s: UnitResult.objects.get(unit=district, criteria_set=s, year=2024).evaluated_at for s in stamp}
    assert after == stamp
