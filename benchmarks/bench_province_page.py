#!/usr/bin/env python
"""Benchmark of the province office's page against the district page, measured in the same run.

    .venv/bin/python benchmarks/bench_province_page.py [--communes 200] [--district-communes 15]
        [--repeat 30] [--quick] [--database-url URL]

Builds a province formed on 1/7/2025 with --communes communes (groups 1/2/3, each from a commune of one
of 12 former districts) and, as the reference, a district with --district-communes communes; every
commune gets a verdict on each criterion of commune-ntm-2026-2030 in 2026 and 2027 (seeded), and the
results are stored by the real refresh. Then it requests, through Django's test client as an
administrator, the province page (summary and list), the same narrowed by a filter, the full matrix
(first page) and the district page, alternately, and prints p50/p95 per page, the ratio province/district,
the HTML sizes and the query counts. Exit status 1 when the province page's HTML is 150 KB or more, or
its p50 is more than 10 × the district page's (not "the same order"). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

SET_ID = "commune-ntm-2026-2030"
YEARS = (2026, 2027)
SEED = 20260215
FORMER_DISTRICTS = 12
HTML_LIMIT = 150_000
RATIO_LIMIT = 10.0


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--communes", type=int, default=200)
    p.add_argument("--district-communes", type=int, default=15)
    p.add_argument("--repeat", type=int, default=30)
    p.add_argument("--quick", action="store_true", help="5 requests per page (a smoke run for CI)")
    p.add_argument("--database-url", default="")
    return p.parse_args()


def build(n_province: int, n_district: int):
    """The province (after 1/7/2025), the reference district, their communes' verdicts and stored results."""
    from ntm.catalog_source import get_catalog
    from ntm.evaluation.actions import refresh_results
    from ntm.figures.models import Figure
    from ntm.units.models import Kind, Succession, Unit

    rng = random.Random(SEED)
    new = date(2025, 7, 1)
    old_province = Unit.objects.create(key="p91", code="91", name="Tỉnh cũ", division_type="tỉnh",
                                       kind=Kind.PROVINCE, valid_to=date(2025, 6, 30))
    former = Unit.objects.bulk_create(
        Unit(key=f"d9{i:02d}", code=f"9{i:02d}", name=f"Huyện cũ {i}", division_type="huyện", kind=Kind.DISTRICT,
             parent=old_province, valid_to=date(2025, 6, 30)) for i in range(FORMER_DISTRICTS))
    province = Unit.objects.create(key="p91-2025", code="91", name="Tỉnh mới", division_type="tỉnh",
                                   kind=Kind.PROVINCE, valid_from=new)
    olds = Unit.objects.bulk_create(
        Unit(key=f"c9{i:04d}", code=f"9{i:04d}", name=f"Xã cũ {i}", division_type="xã", kind=Kind.COMMUNE,
             parent=former[i % FORMER_DISTRICTS], valid_to=date(2025, 6, 30)) for i in range(n_province))
    communes = Unit.objects.bulk_create(
        Unit(key=f"c9{i:04d}-2025", code=f"9{i:04d}", name=f"Xã {i:03d}", division_type="xã", kind=Kind.COMMUNE,
             parent=province, valid_from=new, commune_group=("G1", "G2", "G2", "G3")[i % 4])
        for i in range(n_province))
    Succession.objects.bulk_create(Succession(predecessor=o, successor=c, effective=new)
                                   for o, c in zip(olds, communes, strict=True))
    reference_province = Unit.objects.create(key="p92", code="92", name="Tỉnh tham chiếu", division_type="tỉnh",
                                             kind=Kind.PROVINCE)
    district = Unit.objects.create(key="d920", code="920", name="Huyện tham chiếu", division_type="huyện",
                                   kind=Kind.DISTRICT, parent=reference_province)
    reference = Unit.objects.bulk_create(
        Unit(key=f"c92{i:03d}", code=f"92{i:03d}", name=f"Xã tham chiếu {i}", division_type="xã",
             kind=Kind.COMMUNE, parent=district, commune_group=("G1", "G2", "G3")[i % 3]) for i in range(n_district))
    criteria = get_catalog().get(SET_ID).criteria
    now = datetime(2027, 12, 31, tzinfo=UTC)
    figures = []
    for unit in [*communes, *reference]:
        if rng.random() < 0.05:
            continue  # about one commune in twenty has no figures
        for year in YEARS:
            for crit in criteria:
                figures.append(Figure(unit=unit, criteria_set=SET_ID, indicator=f"{crit.code}.0", year=year,
                                      verdict=rng.random() < 0.85, judged_by="bench", entered_at=now))
    Figure.objects.bulk_create(figures, batch_size=5000)
    for year in YEARS:
        refresh_results(year)
    return province, district


def measure(client, url: str) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - t0
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return elapsed, len(response.content), len(queries)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> int:
    args = parse_args()
    repeat = 5 if args.quick else args.repeat
    os.environ["NTM_REQUIRE_2FA"] = "false"  # the administrator's second factor is not what is measured
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    from bench_evaluation import configure  # the same scratch database set-up

    url, cleanup = configure(args.database_url)
    try:
        from django.test import Client

        from ntm.accounts.models import Membership, Role

        print(f"database: {url.split('@')[-1]}")
        t0 = time.perf_counter()
        province, district = build(args.communes, args.district_communes)
        print(f"built {args.communes} + {args.district_communes} communes, {len(YEARS)} years, in "
              f"{time.perf_counter() - t0:.1f} s")
        from django.contrib.auth import get_user_model

        admin = get_user_model().objects.create_user("bench.admin")
        Membership.objects.create(user=admin, role=Role.ADMIN)
        client = Client()
        client.force_login(admin)
        period = "?level=ntm&year=2027"
        pages = {
            "province": f"/province/{province.key}/{period}",
            "province, filtered": f"/province/{province.key}/{period}&group=G2&status=not_reached",
            "province, full matrix": f"/province/{province.key}/{period}&matrix=1",
            "district (reference)": f"/district/{district.key}/{period}",
        }
        for page_url in pages.values():  # warm up: catalog, templates, translations
            for _ in range(2):
                measure(client, page_url)
        times: dict[str, list[float]] = {name: [] for name in pages}
        sizes: dict[str, int] = {}
        queries: dict[str, int] = {}
        for _ in range(repeat):
            for name, page_url in pages.items():  # alternate, so that noise falls on every page alike
                elapsed, size, count = measure(client, page_url)
                times[name].append(elapsed)
                sizes[name], queries[name] = size, count
        print(f"\n{'page':<24} {'p50 ms':>8} {'p95 ms':>8} {'HTML KB':>8} {'queries':>8}")
        for name in pages:
            print(f"{name:<24} {1000 * statistics.median(times[name]):8.1f} {1000 * percentile(times[name], 95):8.1f} "
                  f"{sizes[name] / 1000:8.1f} {queries[name]:8d}")
        ratio = statistics.median(times["province"]) / statistics.median(times["district (reference)"])
        print(f"\nratio province/district (p50): {ratio:.2f}  "
              f"({args.communes} communes against {args.district_communes}, {repeat} requests each)")
        failed = False
        if sizes["province"] >= HTML_LIMIT:
            print(f"province page HTML {sizes['province']} B ≥ {HTML_LIMIT} B", file=sys.stderr)
            failed = True
        if ratio > RATIO_LIMIT:
            print(f"province page {ratio:.1f} × the district page's time (> {RATIO_LIMIT})", file=sys.stderr)
            failed = True
        print("aims: HTML < 150 KB and ratio ≤ 10:", "missed" if failed else "reached")
        return 1 if failed else 0
    finally:
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
