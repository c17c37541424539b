#!/usr/bin/env python
"""Benchmark of one save through the real data-entry POST, against a trivial view in the same run.

    .venv/bin/python benchmarks/bench_save.py [--extra 0,200] [--repeat 40] [--quick] [--database-url URL]

Loads the Tân Trụ demo (2021–2025 era: three commune sets, the district sets) into a scratch database
(a temporary SQLite file, or the PostgreSQL database named by --database-url, dropped and created
afresh), then for each size in --extra adds that many communes, with a figure on every indicator of
commune-ntmnc-2021-2025 in 2024, to Quê Mỹ Thạnh's district, and stores their results.

Then, signed in as Quê Mỹ Thạnh's official through Django's test client, it posts indicator 10.1 as the
entry page's htmx row does (alternating 70 and 76, so the criterion's status flips every other save and
the district's result is refreshed then), alternately with a POST to a trivial view (login required,
returns "ok") in the same process, and prints p50/p95 of each, the save's CPU time in this process (p50: what
a shared machine's other work disturbs least), the ratio save/trivial and the save's
query counts (savepoints left out; the lower one when criterion 10 becomes met, the higher one when it
slips: its alerts are written and their mail queued for the worker) per size. The query count must not
grow with the district's size.
Exit status 1 when it does, or when a save misses the aims (≤ 20 queries; p50 ≤ 20 ms on SQLite,
≤ 30 ms on PostgreSQL). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
import types
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

SET_ID = "commune-ntmnc-2021-2025"
YEAR = 2024
QMT = "c28084"
OFFICIAL = "canbo.quemythanh"
INDICATOR = "10.1"
QUERY_AIM = 20
TIME_AIM_MS = {"sqlite": 20.0, "postgresql": 30.0}


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--extra", default="0,200", help="communes added to the district, one run per size")
    p.add_argument("--repeat", type=int, default=40)
    p.add_argument("--quick", action="store_true", help="6 saves per size (a smoke run for CI)")
    p.add_argument("--database-url", default="")
    p.add_argument("--show-queries", action="store_true", help="print the SQL of the last save")
    p.add_argument("--profile", action="store_true", help="print a cProfile summary of the saves")
    return p.parse_args()


def add_communes(district, count: int, start: int) -> None:
    """`count` communes in `district`, each with a figure on every indicator of the set, results stored."""
    from ntm.catalog_source import get_catalog
    from ntm.evaluation.actions import refresh_results
    from ntm.figures.models import Figure
    from ntm.units.models import Kind, Unit

    if count <= 0:
        return
    communes = Unit.objects.bulk_create(
        Unit(key=f"cb{start + i:05d}", code=f"9{start + i:05d}", name=f"Xã thử {start + i}", division_type="xã",
             kind=Kind.COMMUNE, parent=district, region=district.region or "DBSCL") for i in range(count))
    indicators = [i for i in get_catalog().get(SET_ID).indicators if i.derived is None]
    now = datetime(2024, 12, 31, tzinfo=UTC)
    Figure.objects.bulk_create(
        (Figure(unit=c, criteria_set=SET_ID, indicator=i.code, year=YEAR, verdict=(n + k) % 7 != 0,
                judged_by="bench", entered_at=now, is_demo=True)
         for n, c in enumerate(communes) for k, i in enumerate(indicators)), batch_size=5000)
    refresh_results(YEAR)


def trivial_urlconf():
    """The project's URLs plus /bench-trivial/: a POST behind the same middleware, returning "ok"."""
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.urls import path

    import ntm.urls

    @login_required
    def trivial(request):
        return HttpResponse("ok")

    module = types.ModuleType("bench_save_urls")
    module.urlpatterns = [path("bench-trivial/", trivial), *ntm.urls.urlpatterns]
    module.handler400 = getattr(ntm.urls, "handler400", None)
    sys.modules[module.__name__] = module
    return module.__name__


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


LAST_SQL: list[str] = []


def measure(client, url: str, data: dict, headers: dict, profiler=None) -> tuple[float, float, int, bytes]:
    """Wall time, this process's CPU time (what other work on a shared machine disturbs least), queries, body."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        if profiler:
            profiler.enable()
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.post(url, data, headers=headers)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        if profiler:
            profiler.disable()
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    sql = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    LAST_SQL[:] = sql
    return elapsed, cpu, len(sql), response.content


def run_size(client, repeat: int, *, show: bool = False, profiler=None) -> dict:
    from django.urls import reverse

    from ntm.figures.models import Figure

    url = reverse("figures:save", args=[QMT, SET_ID, INDICATOR, YEAR])
    prefix = "i" + INDICATOR.replace(".", "_")
    headers = {"HX-Request": "true"}
    saves, trivial, counts, cpu = [], [], set(), []
    for n in range(repeat + 2):
        current = Figure.objects.filter(unit__key=QMT, criteria_set=SET_ID, indicator=INDICATOR, year=YEAR,
                                        superseded_at=None).values_list("pk", flat=True).first()
        data = {f"{prefix}-value": "76" if n % 2 else "70", f"{prefix}-expected_current": current or ""}
        elapsed, save_cpu, queries, body = measure(client, url, data, headers, profiler if n >= 2 else None)
        if show and n == repeat + 1:
            print("\n".join(f"{i:3d} {q[:160]}" for i, q in enumerate(LAST_SQL)))
        if b"status-10" not in body:
            raise SystemExit("the save's answer lacks the criterion's status: " + body[:300].decode(errors="replace"))
        t_elapsed, _c, _q, _b = measure(client, "/bench-trivial/", {}, {})
        if n >= 2:  # the first two warm caches (catalog, templates, translations)
            saves.append(elapsed)
            cpu.append(save_cpu)
            trivial.append(t_elapsed)
            counts.add(queries)
    return {"save_p50": statistics.median(saves), "save_p95": percentile(saves, 95),
            "cpu_p50": statistics.median(cpu),
            "trivial_p50": statistics.median(trivial), "trivial_p95": percentile(trivial, 95),
            "queries": max(counts), "query_counts": sorted(counts)}


def main() -> int:
    args = parse_args()
    repeat = 6 if args.quick else args.repeat
    sizes = [int(x) for x in args.extra.split(",") if x.strip()]
    os.environ["NTM_REQUIRE_2FA"] = "false"  # force_login gives no second factor; not what is measured
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("NTM_LOG_LEVEL", "WARNING")
    from bench_evaluation import configure  # the same scratch database set-up

    url, cleanup = configure(args.database_url)
    try:
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client
        from django.urls import clear_url_caches

        from ntm.demo.loader import load_demo
        from ntm.units.models import Unit

        settings.ROOT_URLCONF = trivial_urlconf()
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}  # alerts mail
        settings.NTM_CATALOG_RECHECK_SECONDS = 3600  # the look for new catalog versions is timed, not per save
        clear_url_caches()
        print(f"database: {url.split('@')[-1]}")
        t0 = time.perf_counter()
        load_demo(with_work=False, with_2026=False)
        print(f"demo loaded in {time.perf_counter() - t0:.1f} s")
        district = Unit.objects.get(key=QMT).parent
        client = Client()
        client.force_login(get_user_model().objects.get(username=OFFICIAL))
        results, added = {}, 0
        for size in sizes:
            add_communes(district, size - added, added)
            added = max(added, size)
            total = Unit.objects.filter(parent=district).count()
            profiler = cProfile.Profile() if args.profile else None
            results[total] = run_size(client, repeat, show=args.show_queries, profiler=profiler)
            if profiler:
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
        print(f"\n{'communes in district':>21} {'save p50':>9} {'save p95':>9} {'CPU p50':>8} {'trivial p50':>12} "
              f"{'ratio p50':>10} {'queries':>8}")
        for total, r in results.items():
            print(f"{total:>21} {1000 * r['save_p50']:8.1f}ms {1000 * r['save_p95']:8.1f}ms "
                  f"{1000 * r['cpu_p50']:6.1f}ms {1000 * r['trivial_p50']:11.1f}ms "
                  f"{r['save_p50'] / r['trivial_p50']:9.1f}× "
                  f"{'/'.join(map(str, r['query_counts'])):>8}")
        failed = []
        counts = {r["queries"] for r in results.values()}
        if len(counts) > 1:
            failed.append(f"the query count grows with the district: {sorted(counts)}")
        if max(counts) > QUERY_AIM:
            failed.append(f"{max(counts)} queries > {QUERY_AIM}")
        aim = TIME_AIM_MS.get(connection.vendor, 30.0)
        slowest = max(1000 * r["save_p50"] for r in results.values())
        if slowest > aim:
            failed.append(f"save p50 {slowest:.1f} ms > {aim:.0f} ms")
        for problem in failed:
            print(problem, file=sys.stderr)
        print(f"aims (≤ {QUERY_AIM} queries, constant; p50 ≤ {aim:.0f} ms):", "missed" if failed else "reached")
        return 1 if failed else 0
    finally:
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
