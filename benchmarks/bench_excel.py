#!/usr/bin/env python
"""Benchmark of the Excel exchange through the real pages, against a bare reference in the same run.

    .venv/bin/python benchmarks/bench_excel.py [--communes 345] [--repeat 3] [--quick] [--profile]
        [--database-url URL]

Builds a district of --communes communes (pre-2025, so commune-ntm-2021-2025 applies in 2024: 29
indicators a commune, 10,005 rows for 345 communes), half of them with figures already. Logged in as an
administrator through Django's test client, it then measures:

- (t) the blank template for the district (`GET /exchange/<district>/template.xlsx`);
- (i) the import through the page: the filled template POSTed to the upload page (read, checks, preview)
  then the confirmation POSTed (every figure written, results refreshed). Two filled workbooks alternate,
  so that every run changes every row;
- (b) the reference: the same bytes read with python-calamine into rows, then written with one
  INSERT … ON CONFLICT (unit, set, indicator, year) WHERE current DO UPDATE (batched under the SQLite
  parameter limit), rolled back.

It prints the medians, the ratio (i)/(b), the query counts, and whether the aims hold: (i) < 2 s and
≤ 5 × (b), (t) ≤ 1 s. Exit status 1 when an import is refused or writes the wrong number of figures.
See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

SET_ID = "commune-ntm-2021-2025"
YEAR = 2024
SEED = 20241231
STEPS: dict[str, list[float]] = {"upload": [], "confirm": [], "refresh": [], "audit": []}


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--communes", type=int, default=345)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--quick", action="store_true", help="40 communes, one run (a smoke run for CI)")
    p.add_argument("--profile", action="store_true", help="print a cProfile summary of each measured step")
    p.add_argument("--database-url", default="")
    return p.parse_args()


def build(n: int):
    """A province, one district with `n` communes (DBSCL), and figures for every other commune."""
    from ntm.catalog_source import get_catalog
    from ntm.figures.models import Figure
    from ntm.units.models import Kind, Unit

    rng = random.Random(SEED)
    province = Unit.objects.create(key="p80", code="80", name="Tỉnh thử", division_type="tỉnh",
                                   kind=Kind.PROVINCE, region="DBSCL")
    district = Unit.objects.create(key="d800", code="800", name="Huyện thử", division_type="huyện",
                                   kind=Kind.DISTRICT, parent=province, region="DBSCL")
    communes = Unit.objects.bulk_create(
        Unit(key=f"c8{i:04d}", code=f"8{i:04d}", name=f"Xã {i:03d}", division_type="xã", kind=Kind.COMMUNE,
             parent=district, region="DBSCL") for i in range(n))
    now = datetime(2024, 6, 30, tzinfo=UTC)
    figures = [Figure(unit=u, criteria_set=SET_ID, indicator=ind.code, year=YEAR, entered_at=now,
                      **_figure(ind, rng, 0)) for u in communes[::2] for ind in get_catalog().get(SET_ID).indicators]
    Figure.objects.bulk_create(figures, batch_size=5000)
    return district


def _figure(ind, rng: random.Random, round_: int) -> dict:
    """Round 0 (stored before): 5 % of the range, "met"; round 1: 10–50 %, "not met"; round 2: 50–90 %,
    "met". So every round changes every row it touches."""
    if not ind.comparison.is_numeric:
        return {"verdict": round_ % 2 == 0}
    low = ind.minimum if ind.minimum is not None else Decimal(0)
    high = ind.maximum if ind.maximum is not None else low + 1000
    share = Decimal(50) if round_ == 0 else Decimal(rng.randint(100, 499) + 400 * (round_ - 1))
    return {"value": (low + (high - low) * share / 1000).quantize(Decimal("0.01"))}


def filled(template: bytes, round_: int) -> tuple[bytes, int]:
    """The downloaded template with every indicator row filled in (as read by calamine, written back by
    openpyxl in write-only mode: the same cells an official's Excel would send); the number of rows."""
    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook

    from ntm.catalog_source import get_catalog
    from ntm.exchange import layout as L

    indicators = {i.code: i for i in get_catalog().get(SET_ID).indicators}
    rng = random.Random(SEED + round_)
    source = CalamineWorkbook.from_filelike(io.BytesIO(template))
    wb = Workbook(write_only=True)
    count = 0
    for name in source.sheet_names:
        rows = source.get_sheet_by_name(name).to_python(skip_empty_area=False)
        ws = wb.create_sheet(name)
        for n, row in enumerate(rows, 1):
            row = list(row) + [""] * (len(L.FIGURE_COLUMNS) - len(row))
            if name != L.META_SHEET and n >= L.FIRST_ROW and row[L.index(L.INDICATOR)] in indicators:
                fig = _figure(indicators[row[L.index(L.INDICATOR)]], rng, round_)
                if "value" in fig:
                    row[L.index(L.NEW_VALUE)] = float(fig["value"])
                else:
                    row[L.index(L.NEW_VERDICT)] = "Đạt" if fig["verdict"] else "Chưa đạt"
                count += 1
            ws.append([None if v == "" else v for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), count


# --- measurements -------------------------------------------------------------------------------------


class Counted:
    def __init__(self):
        self.seconds: list[float] = []
        self.cpu: list[float] = []  # the process's CPU time: steadier than wall time on a shared machine
        self.queries = 0


def run(label: str, fn, counted: Counted, profile: bool):
    from django.db import connection

    prof = cProfile.Profile() if profile else None
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    # Counted, not captured: capturing makes Django render every statement with its parameters (on
    # SQLite one extra SELECT QUOTE(?) … per 999 values), which the import would pay and production never does.
    with connection.execute_wrapper(count):
        if prof:
            prof.enable()
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        counted.seconds.append(time.perf_counter() - t0)
        counted.cpu.append(time.process_time() - c0)
        if prof:
            prof.disable()
    counted.queries = len(queries)
    if prof:
        buf = io.StringIO()
        stats = pstats.Stats(prof, stream=buf)
        stats.sort_stats("cumulative").print_stats(r"ntm/", 40)
        stats.sort_stats("tottime").print_stats(15)
        print(f"\n--- profile {label} ---\n" + "\n".join(line for line in buf.getvalue().splitlines() if line))
    return out


def import_through_pages(client, district, data: bytes, expected: int) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ntm.figures.models import Figure

    before = Figure.objects.count()
    t0 = time.perf_counter()
    preview = client.post(f"/exchange/{district.key}/import/", {"file": SimpleUploadedFile("bieu.xlsx", data)})
    STEPS["upload"].append(time.perf_counter() - t0)
    plan = preview.context["plan"] if preview.context else None
    if preview.status_code != 200 or plan is None or plan.errors or len(plan.changes) != expected:
        errors = [str(e) for e in plan.errors[:5]] if plan else preview.status_code
        raise SystemExit(f"upload refused or incomplete: {len(plan.changes) if plan else 0} of {expected}; {errors}")
    STEPS["refresh"].append(0.0)
    STEPS["audit"].append(0.0)
    t0 = time.perf_counter()
    done = client.post(f"/exchange/{district.key}/import/confirm/", {"token": preview.context["token"]})
    STEPS["confirm"].append(time.perf_counter() - t0)
    if done.status_code != 302 or "/import/?year=" not in done["Location"]:
        raise SystemExit(f"confirmation refused: {done.status_code}")
    written = Figure.objects.count() - before
    if written != expected:
        raise SystemExit(f"the import wrote {written} rows, not {expected}")


def timed_steps() -> None:
    """Time, inside the confirmation, the refresh of stored results (the evaluation app's receiver of
    `figures_changed`) and the audit entries, so that the table says where the time goes."""
    import ntm.figures.bulk as bulk

    def timed(fn, step):
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                STEPS[step][-1] += time.perf_counter() - t0
        return wrapper

    bulk.announce = timed(bulk.announce, "refresh")
    bulk._audit = timed(bulk._audit, "audit")


def warm_up(client, district) -> None:
    """One commune's template downloaded and uploaded unchanged: modules imported, caches filled."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ntm.units.models import Unit

    commune = Unit.objects.filter(parent=district).order_by("key").first()
    data = client.get(f"/exchange/{commune.key}/template.xlsx?year={YEAR}&set={SET_ID}").content
    client.post(f"/exchange/{commune.key}/import/", {"file": SimpleUploadedFile("bieu.xlsx", data)})


def reference(data: bytes, expected: int) -> None:
    """calamine read of every sheet, then one upsert statement (batched) of the rows, rolled back."""
    from django.db import connection, transaction
    from python_calamine import CalamineWorkbook

    from ntm.exchange import layout as L
    from ntm.units.models import Unit

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    ids = dict(Unit.objects.values_list("key", "pk"))
    now = datetime.now(UTC)
    rows = []
    for name in book.sheet_names:
        if name == L.META_SHEET:
            continue
        for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False)[L.FIRST_ROW - 1:]:
            value, verdict = row[L.index(L.NEW_VALUE)], row[L.index(L.NEW_VERDICT)]
            if value == "" and verdict == "":
                continue
            rows.append((ids[row[0]], SET_ID, row[1], YEAR, None if value == "" else Decimal(str(value)),
                         None if verdict == "" else verdict == "Đạt", "", "", "", now, False))
    if len(rows) != expected:
        raise SystemExit(f"reference read {len(rows)} rows, not {expected}")
    columns = ("unit_id, criteria_set, indicator, year, value, verdict, bound, judged_by, source_note, "
               "entered_at, is_demo")
    per = 11
    batch = 2500
    with transaction.atomic():
        with connection.cursor() as cursor:
            for start in range(0, len(rows), batch):
                chunk = rows[start:start + batch]
                values = ", ".join(["(" + ", ".join(["%s"] * per) + ")"] * len(chunk))
                cursor.execute(
                    f"INSERT INTO figures_figure ({columns}) VALUES {values} "
                    "ON CONFLICT (unit_id, criteria_set, indicator, year) WHERE superseded_at IS NULL "
                    "DO UPDATE SET value = excluded.value, verdict = excluded.verdict, "
                    "entered_at = excluded.entered_at",
                    [v for r in chunk for v in r])
        transaction.set_rollback(True)


def main() -> int:
    args = parse_args()
    communes = 40 if args.quick else args.communes
    repeat = 1 if args.quick else args.repeat
    os.environ["NTM_REQUIRE_2FA"] = "false"  # the administrator's second factor is not what is measured
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    from bench_evaluation import configure  # the same scratch database set-up

    url, cleanup = configure(args.database_url)
    try:
        import logging

        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.test.utils import setup_test_environment

        from ntm.accounts.models import Membership, Role

        setup_test_environment()  # the client then keeps the page's context (the plan, the token)
        logging.getLogger("ntm.request").setLevel(logging.WARNING)
        print(f"database: {url.split('@')[-1]}")
        t0 = time.perf_counter()
        district = build(communes)
        admin = get_user_model().objects.create_user("bench.admin")
        Membership.objects.create(user=admin, role=Role.ADMIN)
        client = Client()
        client.force_login(admin)
        print(f"built {communes} communes in {time.perf_counter() - t0:.1f} s")

        timed_steps()
        warm_up(client, district)
        template_url = f"/exchange/{district.key}/template.xlsx?year={YEAR}&set={SET_ID}"
        t, i, b = Counted(), Counted(), Counted()
        template = b""
        for n in range(repeat):
            response = run("template", lambda: client.get(template_url), t, args.profile and n == 0)
            if response.status_code != 200:
                raise SystemExit(f"template: HTTP {response.status_code}")
            template = response.content
        books = [filled(template, r) for r in (1, 2)]
        expected = books[0][1]
        print(f"template: {len(template) / 1024:.0f} KB; filled workbook: {expected} rows, "
              f"{len(books[0][0]) / 1024:.0f} KB")
        for n in range(repeat):
            data = books[n % 2][0]
            run("reference", lambda d=data: reference(d, expected), b, args.profile and n == 0)
            run("import", lambda d=data: import_through_pages(client, district, d, expected), i,
                args.profile and n == 0)

        ti, tb, tt = (statistics.median(c.seconds) for c in (i, b, t))
        ci, cb, ct = (statistics.median(c.cpu) for c in (i, b, t))
        ratio = ti / tb
        print(f"\n{'what':<48} {'median s':>9} {'queries':>8} {'CPU s':>7}")
        print(f"{'(t) blank template, ' + str(communes) + ' communes':<48} {tt:>9.2f} {t.queries:>8} {ct:>7.2f}")
        print(f"{'(i) import through the pages (upload + confirm)':<48} {ti:>9.2f} {i.queries:>8} {ci:>7.2f}")
        for step, label in (("upload", "upload: read, check, preview"), ("confirm", "confirm: write, refresh"),
                            ("audit", "  of which audit entries"), ("refresh", "  of which results refresh")):
            print(f"{'    ' + label:<48} {statistics.median(STEPS[step]):>9.2f}")
        print(f"{'(b) calamine read + one upsert':<48} {tb:>9.2f} {b.queries:>8} {cb:>7.2f}")
        print(f"ratio (i)/(b) = {ratio:.1f} (process CPU: {ci / cb:.1f})")
        print(f"aims: (i) < 2 s: {'yes' if ti < 2 else 'NO'}; (i) <= 5 x (b): {'yes' if ratio <= 5 else 'NO'}; "
              f"(t) <= 1 s: {'yes' if tt <= 1 else 'NO'}")
        return 0
    finally:
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
