#!/usr/bin/env python
"""Benchmark of the evaluation of a synthetic nation against commune-ntmnc-2021-2025.

    .venv/bin/python benchmarks/bench_evaluation.py [--communes 10051] [--database-url URL]
        [--repeat 5] [--profile] [--json FILE]
    .venv/bin/python benchmarks/bench_evaluation.py --quick   # CI: 1,000 communes, query counts checked

Without --database-url a temporary SQLite file is used; with a PostgreSQL URL the database named
in it is dropped and created afresh, and dropped again at the end. Times are medians of --repeat
runs; the interesting figures are the ratios against the reference (one SQL statement, one NumPy
pass) measured in the same run on the same machine. See benchmarks/README.md.

Storage cases (issue 12): (a0) the first write into an empty store, (a) a refresh after 1 % of the
communes changed, (a=) a refresh where nothing changed; each against (c), one SQL statement evaluating
every commune. With --quick, time is not judged; the query counts are: a refresh where nothing changed
writes nothing and needs as many queries for 200 communes as for 1,000.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import io
import json
import os
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SET_ID = "commune-ntmnc-2021-2025"
YEAR = 2024
REGIONS = ("TDMNPB", "DBSH", "BTB", "DHNTB", "TN", "DNB", "DBSCL")
PROVINCES = 63
DISTRICTS = 696
SEED = 20240101
P_MET = 0.97  # chance that one indicator is met: 23 indicators → about half the communes reach the set


# --- set-up -----------------------------------------------------------------------------------

def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--communes", type=int, default=10051)
    p.add_argument("--small", type=int, default=1000, help="first nation size for the single-commune case")
    p.add_argument("--database-url", default="")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--profile", action="store_true", help="print a cProfile summary of (a) and (b)")
    p.add_argument("--json", default="", help="also write the figures and ratios to this file")
    p.add_argument("--quick", action="store_true", help="CI: 1,000 communes, repeat 1, query counts checked")
    args = p.parse_args()
    if args.quick:
        args.communes, args.small, args.repeat = 1000, 200, 1
    return args


def configure(url: str) -> tuple[str, callable]:
    """Point Django at a scratch database; return its description and a clean-up function."""
    tmp = tempfile.mkdtemp(prefix="ntm-bench-")
    os.environ["NTM_DATA_DIR"] = tmp
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "ntm.settings"
    drop = None
    if not url:
        url = f"sqlite:///{tmp}/bench.sqlite3"
    elif url.startswith(("postgres://", "postgresql://")):
        import dj_database_url
        import psycopg

        cfg = dj_database_url.parse(url)
        name = cfg["NAME"]
        admin = dict(host=cfg["HOST"] or None, port=cfg["PORT"] or None, user=cfg["USER"] or None,
                     password=cfg["PASSWORD"] or None, dbname="postgres", autocommit=True)
        with psycopg.connect(**{k: v for k, v in admin.items() if v is not None}) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}"')
            c.execute(f'CREATE DATABASE "{name}"')

        def drop():
            with psycopg.connect(**{k: v for k, v in admin.items() if v is not None}) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    os.environ["DATABASE_URL"] = url

    def cleanup():
        from django.db import connections

        connections.close_all()
        if drop:
            drop()
        shutil.rmtree(tmp, ignore_errors=True)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url, cleanup


def bench_catalog():
    """The repository catalog with every null threshold of the set given a benchmark value, so
    that every numeric indicator is evaluable by number (the catalog files are not touched)."""
    from ntm.core.loader import load_catalog

    catalog = load_catalog(REPO / "catalog")
    cset = catalog.get(SET_ID)
    criteria = []
    for crit in cset.criteria:
        indicators = []
        for ind in crit.indicators:
            if ind.comparison.is_numeric and any(t.value is None for t in ind.thresholds):
                known = [t.value for t in ind.thresholds if t.value is not None]
                if known:
                    fill = min(known) if ind.comparison == ">=" else max(known)
                else:
                    fill = ((ind.minimum or Decimal(0)) + (ind.maximum or Decimal(100))) / 2
                ind = dataclasses.replace(ind, thresholds=tuple(
                    dataclasses.replace(t, value=fill) if t.value is None else t for t in ind.thresholds))
            indicators.append(ind)
        criteria.append(dataclasses.replace(crit, indicators=tuple(indicators)))
    cset = dataclasses.replace(cset, criteria=tuple(criteria))
    return dataclasses.replace(catalog, sets=(cset,)), cset


def build_admin(n_communes: int):
    """Provinces and districts (all), and the commune rows to insert (not yet saved)."""
    from ntm.units.models import Kind, Unit

    rng = random.Random(SEED)
    provinces = Unit.objects.bulk_create(
        Unit(key=f"p{i:02d}", code=f"{i:02d}", name=f"Tỉnh {i}", kind=Kind.PROVINCE, region=REGIONS[i % 7])
        for i in range(1, PROVINCES + 1))
    owner = [provinces[(i - 1) * PROVINCES // DISTRICTS] for i in range(1, DISTRICTS + 1)]
    districts = Unit.objects.bulk_create(
        Unit(key=f"d{i:03d}", code=f"{i:03d}", name=f"Huyện {i}", kind=Kind.DISTRICT,
             parent=owner[i - 1], region=owner[i - 1].region)
        for i in range(1, DISTRICTS + 1))
    communes = []
    for i in range(1, n_communes + 1):
        d = districts[(i - 1) * DISTRICTS // n_communes]
        communes.append(Unit(key=f"c{i:05d}", code=f"{i:05d}", name=f"Xã {i}", kind=Kind.COMMUNE, parent=d,
                             region=d.region, specially_disadvantaged=rng.random() < 0.05))
    return communes


def add_communes(rows, cset) -> None:
    """Save communes and a figure for every indicator of the set in YEAR (seeded, mostly met)."""
    from ntm.figures.models import Figure
    from ntm.units.models import Unit

    Unit.objects.bulk_create(rows, batch_size=2000)
    rng = random.Random(SEED + rows[0].pk)
    now = datetime(2024, 12, 31, tzinfo=UTC)
    figures = []
    for u in rows:
        scope = "TDMNPB" if u.specially_disadvantaged else u.region
        for ind in cset.indicators:
            ok = rng.random() < P_MET
            if ind.comparison.is_numeric:
                t = ind.threshold_for(scope, YEAR).value
                step = Decimal(rng.randint(0, 2000)) / 100
                if ind.comparison == ">=":
                    value = t + step if ok else t - step - Decimal("0.01")
                elif ind.comparison == "<=":
                    value = t - step if ok else t + step + Decimal("0.01")
                else:
                    value = t if ok else t + step + Decimal("0.01")
                figures.append(Figure(unit=u, criteria_set=SET_ID, indicator=ind.code, year=YEAR, value=value,
                                      entered_at=now))
            else:
                figures.append(Figure(unit=u, criteria_set=SET_ID, indicator=ind.code, year=YEAR, verdict=ok,
                                      judged_by="bench", entered_at=now))
    Figure.objects.bulk_create(figures, batch_size=5000)


# --- measurements -----------------------------------------------------------------------------

CPU: dict[str, float] = {}  # label → median CPU time of this process (seconds), beside the wall times


def timed(fn, repeat: int, before=None, label: str = "") -> tuple[float, object]:
    """Median wall time of `repeat` runs and the last result; the median CPU time of this process goes to
    CPU[label] (on a shared machine it moves less than wall time; PostgreSQL's own work is not in it)."""
    times, cpu, out = [], [], None
    for _ in range(repeat):
        if before:
            before()
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    if label:
        CPU[label] = statistics.median(cpu)
    return statistics.median(times), out


def profile(label: str, fn) -> None:
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(22)
    print(f"\n--- profile {label} ---")
    print("\n".join(buf.getvalue().splitlines()[:45]))


def commune_ids() -> list[int]:
    from ntm.units.models import Kind, Unit

    return list(Unit.objects.filter(kind=Kind.COMMUNE).order_by("pk").values_list("pk", flat=True))


def single_commune(catalog, repeat: int) -> tuple[float, int]:
    """(d): one commune's figure is saved, then that commune alone is refreshed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ntm.evaluation.actions import refresh_results
    from ntm.figures.models import Figure

    ids = commune_ids()
    one = ids[len(ids) // 2]
    verdict = Figure.objects.get(unit_id=one, indicator="5.0", superseded_at__isnull=True)
    original = verdict.verdict
    times, counts = [], []
    for _ in range(max(repeat, 5)):
        verdict.verdict = not verdict.verdict
        verdict.save(update_fields=["verdict"])
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            refresh_results(YEAR, communes=[one], catalog=catalog, set_ids={SET_ID})
            times.append(time.perf_counter() - t0)
        counts.append(len(ctx.captured_queries))
    if verdict.verdict != original:  # leave the figures as found, and the stored results with them
        verdict.verdict = original
        verdict.save(update_fields=["verdict"])
        refresh_results(YEAR, communes=[one], catalog=catalog, set_ids={SET_ID})
    return statistics.median(times), max(counts)


def unchanged_queries(catalog) -> tuple[int, int]:
    """(queries, writes) of a refresh of every commune where nothing changed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ntm.evaluation.actions import refresh_results

    with CaptureQueriesContext(connection) as ctx:
        refresh_results(YEAR, catalog=catalog, set_ids={SET_ID})
    writes = [q for q in ctx.captured_queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    return len(ctx.captured_queries), len(writes)


def clear_results() -> None:
    """An empty store: no stored result of the set (outside the timed part)."""
    from django.db import connection

    from ntm.evaluation import models as em

    em.CriterionResult.objects.filter(criteria_set=SET_ID).delete()
    em.UnitResult.objects.filter(criteria_set=SET_ID).delete()
    if connection.vendor == "postgresql":  # as a new store: no dead rows left for the unique indexes to visit
        with connection.cursor() as cur:
            cur.execute(f"VACUUM ANALYZE {em.UnitResult._meta.db_table}, {em.CriterionResult._meta.db_table}")


def make_thresholds_table(cset) -> None:
    """The reference's thresholds: one row per indicator, scope and year (resolved from the catalog)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_threshold")
        cur.execute("CREATE TABLE bench_threshold (indicator varchar(16), criterion varchar(16), scope varchar(8),"
                    " year integer, comparison varchar(4), is_numeric integer, value numeric(14, 4))")
        rows = []
        for crit in cset.criteria:
            for ind in crit.indicators:
                for scope in REGIONS:
                    t = ind.threshold_for(scope, YEAR)
                    rows.append((ind.code, crit.code, scope, YEAR, ind.comparison.value,
                                 1 if ind.comparison.is_numeric else 0, t.value if t else None))
        cur.executemany("INSERT INTO bench_threshold VALUES (%s, %s, %s, %s, %s, %s, %s)", rows)
        cur.execute("CREATE INDEX bench_threshold_scope ON bench_threshold (scope, year)")
    analyze()


def analyze() -> None:
    """Planner statistics, as a database in service has them (without them PostgreSQL picks a
    nested loop over the freshly filled tables and the reference query takes minutes)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")


REFERENCE_SQL = """
WITH u AS (
    SELECT id, CASE WHEN specially_disadvantaged THEN 'TDMNPB' ELSE region END AS scope
    FROM units_unit
    WHERE kind = 'commune'
      AND (valid_from IS NULL OR valid_from <= %(end)s) AND (valid_to IS NULL OR valid_to >= %(start)s)
), ind AS (
    SELECT u.id AS unit_id, t.criterion,
           CASE WHEN t.is_numeric = 1 AND t.value IS NOT NULL AND f.value IS NOT NULL THEN
                     CASE WHEN (t.comparison = '>=' AND f.value >= t.value)
                            OR (t.comparison = '<=' AND f.value <= t.value)
                            OR (t.comparison = '=' AND f.value = t.value) THEN 1 ELSE 0 END
                WHEN f.verdict THEN 1
                ELSE 0 END AS ok
    FROM u
    JOIN bench_threshold t ON t.scope = u.scope AND t.year = %(year)s
    LEFT JOIN figures_figure f ON f.unit_id = u.id AND f.indicator = t.indicator
         AND f.criteria_set = %(set)s AND f.year = %(year)s AND f.superseded_at IS NULL
), crit AS (
    SELECT unit_id, criterion, MIN(ok) AS met FROM ind GROUP BY unit_id, criterion
)
SELECT unit_id, SUM(met), COUNT(*) FROM crit GROUP BY unit_id
"""


def reference_sql() -> dict[int, tuple[int, int]]:
    from django.db import connection

    params = {"start": f"{YEAR}-01-01", "end": f"{YEAR}-12-31", "year": YEAR, "set": SET_ID}
    with connection.cursor() as cur:
        cur.execute(REFERENCE_SQL, params)
        return {uid: (int(met), int(total)) for uid, met, total in cur.fetchall()}


class NumpyReference:
    """The same rules as array operations; arrays are prepared outside the timed pass."""

    def __init__(self, cset, facts, figures):
        import numpy as np

        self.np = np
        inds = [(c.code, i) for c in cset.criteria for i in c.indicators]
        n, k = len(facts), len(inds)
        self.keys = [int(f.key) for f in facts]
        scopes = {s: j for j, s in enumerate(REGIONS)}
        self.scope = np.array([scopes[f.scope] for f in facts], dtype=np.intp)
        self.values = np.full((n, k), np.nan)
        self.verdicts = np.zeros((n, k), dtype=bool)
        for r, f in enumerate(facts):
            for c, (_crit, ind) in enumerate(inds):
                fig = figures.get((f.key, ind.code))
                if fig is None:
                    continue
                if fig.value is not None:
                    self.values[r, c] = float(fig.value)
                self.verdicts[r, c] = bool(fig.verdict)
        self.thresholds = np.full((len(REGIONS), k), np.nan)
        for s, scope in enumerate(REGIONS):
            for c, (_crit, ind) in enumerate(inds):
                t = ind.threshold_for(scope, YEAR)
                if ind.comparison.is_numeric and t is not None and t.value is not None:
                    self.thresholds[s, c] = float(t.value)
        comp = [i.comparison.value for _c, i in inds]
        self.ge = np.array([c == ">=" for c in comp])
        self.le = np.array([c == "<=" for c in comp])
        starts, last = [], None
        for c, (crit, _i) in enumerate(inds):
            if crit != last:
                starts.append(c)
                last = crit
        self.starts = np.array(starts)

    def run(self):
        np = self.np
        thr = self.thresholds[self.scope]
        vals = self.values
        by_number = np.where(self.ge, vals >= thr, np.where(self.le, vals <= thr, vals == thr))
        numeric = ~np.isnan(thr) & ~np.isnan(vals)
        ok = np.where(numeric, by_number, self.verdicts)
        crit_ok = np.logical_and.reduceat(ok, self.starts, axis=1)
        return crit_ok.sum(axis=1), crit_ok.shape[1]


# --- main -------------------------------------------------------------------------------------

def main() -> int:
    args = parse_args()
    url, cleanup = configure(args.database_url)
    try:
        return run(args, url)
    finally:
        cleanup()


def run(args, url: str) -> int:
    from django.db import connection

    from ntm.evaluation import models as em
    from ntm.evaluation.actions import UNIT_FIELDS, _facts, load_figures, refresh_results, valid_in
    from ntm.units.models import Kind, Unit

    catalog, cset = bench_catalog()
    print(f"database: {connection.vendor} ({url.split('@')[-1]}), communes: {args.communes}, "
          f"set: {SET_ID} ({len(cset.criteria)} criteria, {len(cset.indicators)} indicators), "
          f"repeat: {args.repeat}")
    if any(c.alternatives for c in cset.criteria):
        print("note: the reference SQL/NumPy ignore alternatives; this set has some")

    t0 = time.perf_counter()
    rows = build_admin(args.communes)
    small = min(args.small, args.communes)
    add_communes(rows[:small], cset)
    refresh_results(YEAR, catalog=catalog, set_ids={SET_ID})
    q_small = unchanged_queries(catalog)
    d_small = single_commune(catalog, args.repeat)
    if small < args.communes:
        add_communes(rows[small:], cset)
    analyze()
    print(f"setup: {Unit.objects.count()} units, {len(cset.indicators) * args.communes} figures "
          f"in {time.perf_counter() - t0:.1f} s")

    refresh = lambda: refresh_results(YEAR, catalog=catalog, set_ids={SET_ID})  # noqa: E731
    # (a0) the first write into an empty store: every result of the set deleted before each run.
    a_first, _ = timed(refresh, args.repeat, before=clear_results, label="a0")
    ids = commune_ids()
    rng = random.Random(SEED)

    def change_one_percent():
        """Between repetitions, 1% of communes get one verdict flipped (outside the timed part)."""
        from ntm.figures.models import Figure

        picked = rng.sample(ids, max(1, len(ids) // 100))
        for code in ("3.0",):
            for f in Figure.objects.filter(unit_id__in=picked, indicator=code, superseded_at__isnull=True):
                f.verdict = not f.verdict
                f.save(update_fields=["verdict"])

    a, _ = timed(refresh, args.repeat, before=change_one_percent, label="a")
    a_same, _ = timed(refresh, args.repeat, label="a=")
    q_full = unchanged_queries(catalog)

    unit_list = list(Unit.objects.filter(valid_in(YEAR), kind=Kind.COMMUNE).values_list(*UNIT_FIELDS))
    facts = _facts(unit_list, cset)
    figures = load_figures(SET_ID, YEAR, None)
    from ntm.core.engine import evaluate_units

    b, engine = timed(lambda: evaluate_units(cset, facts, figures, YEAR), args.repeat, label="b")

    make_thresholds_table(cset)
    c_sql, sql = timed(reference_sql, args.repeat)
    ref_np = NumpyReference(cset, facts, figures)
    c_np, (np_met, np_total) = timed(ref_np.run, max(args.repeat, 20))

    d_full = single_commune(catalog, args.repeat)

    if args.profile:
        profile("(a) refresh_results, all communes", refresh)
        profile("(b) evaluate_units", lambda: evaluate_units(cset, facts, figures, YEAR))

    # --- agreement ---
    stored = {u: (m, t) for u, m, t in em.UnitResult.objects.filter(criteria_set=SET_ID, year=YEAR)
              .values_list("unit_id", "met", "total")}
    a_res = {u: stored[u] for u in ids if u in stored}
    b_res = {int(k): (r.met, r.total) for k, r in engine.items()}
    n_res = {k: (int(m), int(np_total)) for k, m in zip(ref_np.keys, np_met, strict=True)}
    reached = {name: sum(1 for m, t in res.values() if m == t)
               for name, res in (("a", a_res), ("b", b_res), ("c_sql", sql), ("c_numpy", n_res))}
    sample = random.Random(SEED + 1).sample(ids, min(500, len(ids)))
    problems = []
    if len(set(reached.values())) != 1:
        problems.append(f"communes meeting all criteria differ: {reached}")
    for name, res in (("a", a_res), ("b", b_res), ("c_numpy", n_res)):
        if len(res) != len(sql):
            problems.append(f"{name}: {len(res)} communes, c_sql: {len(sql)}")
        bad = [u for u in sample if res.get(u) != sql.get(u)]
        if bad:
            problems.append(f"{name} vs c_sql: {len(bad)} of {len(sample)} sampled communes differ, e.g. "
                            f"{bad[0]}: {res.get(bad[0])} vs {sql.get(bad[0])}")
    met_mix = sorted({m for m, _t in sql.values()})

    print()
    print(f"communes meeting all criteria: {reached['c_sql']} of {len(sql)} (met counts seen: {met_mix})")
    for label, text, wall in (("a0", "(a0) refresh_results, first write into an empty store", a_first),
                              ("a", "(a)  refresh_results, all communes, 1% changed      ", a),
                              ("a=", "(a=) refresh_results, all communes, nothing changed ", a_same),
                              ("b", "(b)  evaluate_units in memory                       ", b)):
        print(f"{text} {wall * 1000:9.1f} ms  (CPU of this process {CPU[label] * 1000:7.1f} ms)")
    print(f"(c)  reference, one SQL statement                    {c_sql * 1000:9.1f} ms")
    print(f"(c') reference, one NumPy pass                       {c_np * 1000:9.1f} ms")
    print(f"(d)  one commune after a save, {small:>6} communes    {d_small[0] * 1000:9.2f} ms, {d_small[1]} queries")
    print(f"(d)  one commune after a save, {args.communes:>6} communes    {d_full[0] * 1000:9.2f} ms, "
          f"{d_full[1]} queries")
    print(f"(a=) queries, nothing changed: {q_small[0]} for {small} communes, {q_full[0]} for {args.communes}; "
          f"writes: {q_small[1]}, {q_full[1]}")
    ratios = {"(a)/(c_sql)": a / c_sql, "(a=)/(c_sql)": a_same / c_sql, "(a0)/(c_sql)": a_first / c_sql,
              "(b)/(c_sql)": b / c_sql, "(b)/(c_numpy)": b / c_np}
    print("ratios: " + "   ".join(f"{k} {v:.2f}" for k, v in ratios.items()))
    aims = [("(a) <= 2x one SQL statement", a <= 2 * c_sql), ("(a) < 1 s", a < 1),
            ("(a=) <= 0.3 s", a_same <= 0.3), ("(a0) <= 3 s", a_first <= 3),
            ("(d) < 20 ms", d_full[0] < 0.02), ("(d) query count flat", d_full[1] <= d_small[1])]
    checks = [("(a=) writes nothing", q_small[1] == q_full[1] == 0),
              ("(a=) query count flat", q_small[0] == q_full[0]), ("(d) query count flat", d_full[1] <= d_small[1])]
    if not args.quick:
        print("aims: " + ", ".join(f"{name}: {'yes' if ok else 'NO'}" for name, ok in aims))
    print("query checks: " + ", ".join(f"{name}: {'yes' if ok else 'NO'}" for name, ok in checks))
    if args.json:
        Path(args.json).write_text(json.dumps({
            "database": connection.vendor, "communes": args.communes, "repeat": args.repeat,
            "ms": {"a0_first_write": a_first * 1000, "a_one_percent": a * 1000,
                   "a_nothing_changed": a_same * 1000, "b_engine": b * 1000, "c_sql": c_sql * 1000,
                   "c_numpy": c_np * 1000, "d_one_commune": d_full[0] * 1000},
            "cpu_ms": {label: v * 1000 for label, v in CPU.items()},
            "queries": {"nothing_changed": [q_small[0], q_full[0]], "one_commune": [d_small[1], d_full[1]]},
            "ratios": ratios, "aims": dict(aims), "checks": dict(checks)}, indent=2))
    problems += [f"query check failed: {name}" for name, ok in checks if not ok]
    if problems:
        print("\n!!! MISMATCH !!!", file=sys.stderr)
        for p in problems:
            print("!!! " + p, file=sys.stderr)
        return 1
    print("agreement: (a), (b), (c_sql), (c_numpy) agree on reached count and on met counts of "
          f"{len(sample)} sampled communes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
