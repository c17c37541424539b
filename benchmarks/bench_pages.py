#!/usr/bin/env python
"""Page benchmark: every dashboard, the entry page, search and the API list against a trivial view of the
same server process, at concurrency 1 and 8, on a chosen data size.

    .venv/bin/python benchmarks/bench_pages.py                  # the whole country (ntm demo --national)
    .venv/bin/python benchmarks/bench_pages.py --quick          # 2 then 4 small provinces (CI)
    .venv/bin/python benchmarks/bench_pages.py --database-url URL [--no-build] [--provinces N]
        [--requests 20] [--seconds 20] [--workers 1] [--threads 8] [--json FILE]

It loads the national synthetic data set (`ntm demo --national [--provinces N]`) into a scratch database
(SQLite file, or the PostgreSQL database named, dropped and created; `--no-build` uses the database as it
is), starts the real server (`ntm serve`) on a free port with one extra URL, /bench-trivial/ (a view that
returns "ok": the same process, middleware and log-in), and requests each page over HTTP as a signed-in
administrator: at concurrency 1, then with 8 client threads. It prints p50/p95, requests per second, the
throughput ratio to the trivial view and the ratio of concurrency-8 p95 to concurrency-1 p95, as a table
and (`--json FILE`) as JSON. It also counts each page's queries in-process (Django's test client,
CaptureQueriesContext): the first request after the cache was emptied and a repeated one. With --quick the
counts are taken on two data sizes (2 provinces, then 4) and must not change (the first request's by one at
most: a lapse of the catalog's time to live adds a query): exit status 1 otherwise, or on any page that does
not answer 200. Times are never asserted. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
NTM = str(REPO / ".venv" / "bin" / "ntm")
USER, PASSWORD = "bench.pages", "bench-pages-2026"
TRIVIAL = "trivial view"
TRIVIAL_PUBLIC = "trivial view, anonymous"  # the baseline of the public pages
QUICK_SIZES = (2, 4)  # provinces (the smallest pre-2025 provinces) for the two sizes of --quick
SITE_SETTINGS = '''"""Settings of bench_pages.py's server: the project's, with one more URL."""
from ntm.settings import *  # noqa: F403

ROOT_URLCONF = "bench_pages_urls"
'''
SITE_URLS = '''"""The project's URLs and a trivial view (bench_pages.py's baseline)."""
from django.http import HttpResponse
from django.urls import path

from ntm.urls import urlpatterns as _project


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench-trivial/", trivial), *_project]
'''


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true",
                   help=f"small slices ({QUICK_SIZES[0]} then {QUICK_SIZES[1]} provinces), few requests; "
                        "query counts must not change between them")
    p.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    p.add_argument("--no-build", action="store_true", help="use the database as it is (already loaded)")
    p.add_argument("--provinces", type=int, default=None, help="only N provinces (default: the whole country)")
    p.add_argument("--requests", type=int, default=20, help="requests per page and concurrency (trivial: ×10)")
    p.add_argument("--seconds", type=float, default=20.0, help="at most this long per page and concurrency")
    p.add_argument("--concurrency", default="1,8")
    p.add_argument("--workers", type=int, default=1, help="ntm serve --workers")
    p.add_argument("--threads", type=int, default=8, help="ntm serve --threads")
    p.add_argument("--json", type=Path, default=None, help="also write the results to this file")
    args = p.parse_args()
    if args.quick:
        args.requests, args.seconds = min(args.requests, 6), min(args.seconds, 3.0)
    return args


# --- Scratch database and server -----------------------------------------------------------------------

def scratch_env(url: str, tmp: str, keep: bool) -> dict:
    env = {**os.environ, "NTM_DATA_DIR": tmp, "SECRET_KEY": "benchmark-only", "DEBUG": "false",
           "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver", "NTM_REQUIRE_2FA": "false",
           "DJANGO_SETTINGS_MODULE": "ntm.settings"}
    env.pop("NTM_JOBS_INLINE", None)
    if not url:
        url = f"sqlite:///{tmp}/bench.sqlite3"
    elif url.startswith(("postgres://", "postgresql://")) and not keep:
        import dj_database_url
        import psycopg

        cfg = dj_database_url.parse(url)
        admin = {k: v for k, v in dict(host=cfg["HOST"], port=cfg["PORT"], user=cfg["USER"],
                                       password=cfg["PASSWORD"], dbname="postgres", autocommit=True).items() if v}
        with psycopg.connect(**admin) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
    env["DATABASE_URL"] = url
    return env


def build(env: dict, provinces: int | None) -> float:
    started = time.perf_counter()
    command = [NTM, "demo", "--national", "--load-only", *(["--provinces", str(provinces)] if provinces else [])]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict, tmp: str, workers: int, threads: int) -> tuple[subprocess.Popen, str]:
    site = Path(tmp) / "site"
    site.mkdir(exist_ok=True)
    (site / "bench_pages_site.py").write_text(SITE_SETTINGS, encoding="utf-8")
    (site / "bench_pages_urls.py").write_text(SITE_URLS, encoding="utf-8")
    server_env = {**env, "DJANGO_SETTINGS_MODULE": "bench_pages_site",
                  "PYTHONPATH": os.pathsep.join([str(site), str(REPO), env.get("PYTHONPATH", "")])}
    port = free_port()
    log = open(Path(tmp) / "server.log", "w")  # noqa: SIM115 — closed with the process
    server = subprocess.Popen([NTM, "serve", "--port", str(port), "--workers", str(workers),
                               "--threads", str(threads), "--no-worker"],
                              env=server_env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        if server.poll() is not None:
            break
        try:
            if requests.get(base + "/bench-trivial/", timeout=2).status_code == 200:
                return server, base
        except requests.ConnectionError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"the server did not answer on {base}; see {log.name}")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


# --- In-process: the user, the pages to request, query counts ------------------------------------------

def django_setup(env: dict) -> None:
    for key in ("NTM_DATA_DIR", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "NTM_REQUIRE_2FA", "DATABASE_URL",
                "DJANGO_SETTINGS_MODULE"):
        os.environ[key] = env[key]
    sys.path.insert(0, str(REPO))
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)  # the in-process requests' log lines, slow-query warnings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)  # --no-build: a database loaded by an older version


def ensure_user() -> str:
    """An administrator (no second factor in this run) and an API token; returns the token."""
    from django.contrib.auth import get_user_model

    from ntm.api.actions import create_token

    user, _ = get_user_model().objects.get_or_create(username=USER)
    user.is_staff = user.is_superuser = True
    user.set_password(PASSWORD)
    user.save()
    return create_token(user, name="bench_pages", days=1)[1]


@dataclass
class Page:
    name: str
    url: str
    note: str = ""
    api: bool = False
    public: bool = False  # requested without signing in, against the anonymous trivial view


def choose_pages() -> list[Page]:
    """The pages to measure: the largest current province, the largest pre-2025 district (2024), a commune of
    that province, its entry page, a search with many answers, the API's figure list."""
    from django.db.models import Count

    from ntm.demo.national import NEW_ERA
    from ntm.units.models import Kind, Unit

    province = (Unit.objects.filter(kind=Kind.PROVINCE, valid_from=NEW_ERA)
                .annotate(n=Count("children")).order_by("-n", "key").first())
    district = (Unit.objects.filter(kind=Kind.DISTRICT).annotate(n=Count("children")).order_by("-n", "key").first())
    if province is None or district is None:
        raise SystemExit("no province after 1/7/2025 or no district: is the national data set loaded?")
    commune = Unit.objects.filter(parent=province, kind=Kind.COMMUNE).order_by("key").first()
    return [
        Page(TRIVIAL_PUBLIC, "/bench-trivial/", public=True),
        Page(TRIVIAL, "/bench-trivial/"),
        Page("public home /", "/", "anonymous", public=True),
        Page("province", f"/province/{province.key}/", f"{province.children.count()} units"),
        Page("district (2024)", f"/district/{district.key}/?year=2024", f"{district.children.count()} units"),
        Page("commune", f"/commune/{commune.key}/"),
        Page("entry page", f"/entry/{commune.key}/"),
        Page("search “xã”", "/search/?q=x%C3%A3", "anonymous", public=True),
        Page("API figure list", "/api/figures", api=True),
    ]


def query_counts(pages: list[Page], token: str) -> dict[str, tuple[int, int]]:
    """(first request, repeated request) query counts of each page, through Django's test client: the first
    after the page cache was emptied (other pages already requested once), the repeated one the fewest of
    three (a lapse of the catalog's time to live adds a query now and then)."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, anonymous = Client(), Client()
    client.force_login(get_user_model().objects.get(username=USER))
    pages = [p for p in pages if p.name not in (TRIVIAL, TRIVIAL_PUBLIC)]

    def count(page: Page) -> int:
        headers = {"Authorization": f"Bearer {token}"} if page.api else {}
        with CaptureQueriesContext(connection) as ctx:
            response = (anonymous if page.public else client).get(page.url, headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"{page.name} {page.url}: {response.status_code} in-process")
        return len(ctx.captured_queries)

    for page in pages:  # the process's own first time (catalog, translations, templates) out of the way
        count(page)
    out = {}
    for page in pages:
        cache.clear()
        first = count(page)
        out[page.name] = (first, min(count(page) for _ in range(3)))
    return out


# --- Over HTTP -----------------------------------------------------------------------------------------

def http_session(base: str, token: str) -> requests.Session:
    s = requests.Session()
    s.get(base + "/accounts/login/", timeout=60)
    r = s.post(base + "/accounts/login/", data={"username": USER, "password": PASSWORD,
                                                "csrfmiddlewaretoken": s.cookies["csrftoken"]},
               headers={"Referer": base + "/accounts/login/"}, timeout=60)
    if "sessionid" not in s.cookies:
        raise SystemExit(f"log-in failed ({r.status_code})")
    s.headers["Authorization"] = f"Bearer {token}"  # only the API reads it
    return s


@dataclass
class Run:
    concurrency: int
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    rps: float


@dataclass
class Result:
    name: str
    url: str
    note: str = ""
    public: bool = False
    kb: float = 0.0
    first_ms: float = 0.0  # the first request the server answered for the page (its caches empty)
    queries_first: int | None = None
    queries_again: int | None = None
    runs: dict[int, Run] = field(default_factory=dict)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def measure(sessions: list[requests.Session], base: str, page: Page, concurrency: int, count: int,
            seconds: float) -> tuple[Run, int]:
    """`count` requests (at least 2 per client thread, cut short after `seconds`), `concurrency` at a time."""
    latencies: list[float] = []
    sizes: list[int] = []
    problems: list[str] = []
    lock = threading.Lock()
    per_thread = max(2, math.ceil(count / concurrency))
    deadline = time.perf_counter() + seconds

    def client(s: requests.Session) -> None:
        for n in range(per_thread):
            if n >= 2 and time.perf_counter() > deadline:
                return
            started = time.perf_counter()
            r = s.get(base + page.url, timeout=300)
            elapsed = time.perf_counter() - started
            with lock:
                if r.status_code != 200:
                    problems.append(f"{page.url}: {r.status_code}")
                latencies.append(elapsed)
                sizes.append(len(r.content))

    threads = [threading.Thread(target=client, args=(sessions[i],)) for i in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    if problems:
        raise SystemExit(f"{page.name}: {problems[0]} ({len(problems)} answers not 200)")
    return Run(concurrency, len(latencies), round(wall, 2), round(statistics.median(latencies) * 1000, 1),
               round(p95(latencies) * 1000, 1), round(len(latencies) / wall, 1)), max(sizes)


def warm(sessions: list[requests.Session], base: str, page: Page, workers: int) -> float:
    """The first request (its time: caches empty in that process), then a burst at full concurrency so
    that every server process has served the page once (its caches are its own). Returns the first's ms."""
    started = time.perf_counter()
    sessions[0].get(base + page.url, timeout=600)
    first = (time.perf_counter() - started) * 1000
    if workers > 1:
        burst = [threading.Thread(target=lambda s=s: [s.get(base + page.url, timeout=600) for _ in range(workers)])
                 for s in sessions]
        for t in burst:
            t.start()
        for t in burst:
            t.join()
    return round(first, 1)


def measure_all(base: str, token: str, pages: list[Page], levels: list[int], count: int, seconds: float,
                results: dict[str, Result], workers: int) -> None:
    sessions = [http_session(base, token) for _ in range(max(levels))]
    anonymous = [requests.Session() for _ in range(max(levels))]
    for page in pages:
        results[page.name].first_ms = warm(anonymous if page.public else sessions, base, page, workers)
    for page in pages:
        n = count * 10 if page.name in (TRIVIAL, TRIVIAL_PUBLIC) else count
        for level in levels:
            run, size = measure(anonymous if page.public else sessions, base, page, level, n, seconds)
            results[page.name].runs[level] = run
            results[page.name].kb = round(size / 1024, 1)
            print(f"  {page.name:<34} c{level}: {run.requests:>4} req  p50 {run.p50_ms:>8.1f} ms  "
                  f"p95 {run.p95_ms:>8.1f} ms  {run.rps:>7.1f} req/s", flush=True)


# --- Report ---------------------------------------------------------------------------------------------

def ratio_text(value: float) -> str:
    return "—" if not value else f"1/{1 / value:.0f}" if value < 1 else f"{value:.2f}"


def table(results: dict[str, Result], levels: list[int]) -> tuple[str, list[dict]]:
    head = ["page", "KB", "queries", "first ms"]
    for c in levels:
        head += [f"c{c} p50 ms", f"c{c} p95 ms", f"c{c} req/s", f"c{c} vs trivial"]
    if len(levels) > 1:
        # On few cores the trivial view's own p95 grows with concurrency (requests queue for the CPU):
        # the last column divides a page's growth by its trivial view's, which the page cannot do better than.
        head += [f"p95 c{levels[-1]}/c{levels[0]}", "÷ trivial's"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    rows = []
    for name, r in results.items():
        row = {"page": name, "url": r.url, "note": r.note, "kb": r.kb, "first_ms": r.first_ms,
               "queries_first": r.queries_first, "queries_again": r.queries_again,
               "runs": {str(c): asdict(run) for c, run in r.runs.items()}}
        queries = "—" if r.queries_first is None else f"{r.queries_first} / {r.queries_again}"
        cells = [f"{name} ({r.note})" if r.note else name, f"{r.kb:.1f}", queries, f"{r.first_ms:.0f}"]
        trivial = results[TRIVIAL_PUBLIC if r.public else TRIVIAL].runs
        for c in levels:
            run = r.runs[c]
            ratio = run.rps / trivial[c].rps if trivial[c].rps else 0.0
            row[f"throughput_vs_trivial_c{c}"] = round(ratio, 4)
            cells += [f"{run.p50_ms:.0f}", f"{run.p95_ms:.0f}", f"{run.rps:.1f}", ratio_text(ratio)]
        if len(levels) > 1:
            grow = r.runs[levels[-1]].p95_ms / r.runs[levels[0]].p95_ms if r.runs[levels[0]].p95_ms else 0.0
            row[f"p95_c{levels[-1]}_over_c{levels[0]}"] = round(grow, 2)
            base = trivial[levels[-1]].p95_ms / trivial[levels[0]].p95_ms if trivial[levels[0]].p95_ms else 0.0
            relative = grow / base if base else 0.0
            row[f"p95_growth_vs_trivial_c{levels[-1]}"] = round(relative, 2)
            cells += [f"{grow:.1f}", f"{relative:.1f}"]
        lines.append("| " + " | ".join(cells) + " |")
        rows.append(row)
    return "\n".join(lines), rows


def data_size() -> dict[str, int]:
    from ntm.evaluation.models import UnitResult
    from ntm.figures.models import Figure
    from ntm.units.models import Kind, Unit

    out = {k.value: Unit.objects.filter(kind=k).count() for k in Kind}
    out["figures"] = Figure.objects.filter(superseded_at__isnull=True).count()
    out["unit_results"] = UnitResult.objects.count()
    return out


def main() -> int:
    args = parse_args()
    levels = [int(c) for c in args.concurrency.split(",")]
    tmp = tempfile.mkdtemp(prefix="ntm-bench-pages-")
    env = scratch_env(args.database_url, tmp, keep=args.no_build)
    sizes = list(QUICK_SIZES) if args.quick else [args.provinces]
    print(f"database: {env['DATABASE_URL'].split('@')[-1]}; scratch: {tmp}", flush=True)
    if not args.no_build:
        seconds = build(env, sizes[0])
        print(f"built: ntm demo --national{f' --provinces {sizes[0]}' if sizes[0] else ''} in {seconds:.0f} s",
              flush=True)
    django_setup(env)
    token = ensure_user()
    pages = choose_pages()
    counts = [query_counts(pages, token)]
    size = [data_size()]
    status = 0
    if args.quick:
        from django.db import connections

        connections.close_all()
        seconds = build(env, sizes[1])
        print(f"built: ntm demo --national --provinces {sizes[1]} in {seconds:.0f} s", flush=True)
        pages = choose_pages()
        counts.append(query_counts(pages, token))
        size.append(data_size())
        for name, first in counts[0].items():
            second = counts[1].get(name)
            if second is None or first[1] != second[1] or abs(first[0] - second[0]) > 1:
                print(f"QUERY COUNT CHANGED with the data size: {name}: {first} → {second} "
                      f"(first request after the cache was emptied, repeated request)", file=sys.stderr)
                status = 1
    from django.db import connections

    connections.close_all()
    results = {p.name: Result(p.name, p.url, p.note, p.public) for p in pages}
    for name, (first, again) in counts[-1].items():
        results[name].queries_first, results[name].queries_again = first, again
    server, base = start_server(env, tmp, args.workers, args.threads)
    try:
        print(f"server: ntm serve --workers {args.workers} --threads {args.threads} at {base}", flush=True)
        measure_all(base, token, pages, levels, args.requests, args.seconds, results, args.workers)
    finally:
        stop(server)
    text, rows = table(results, levels)
    print()
    print(f"data: {size[-1]}")
    print(text)
    if args.quick:
        print(f"query counts (first / repeated) at {sizes[0]} and {sizes[1]} provinces: "
              + "; ".join(f"{n}: {counts[0][n]} → {counts[1][n]}" for n in counts[0]))
    if args.quick:
        print("FAILED: a query count changed with the data size" if status else "OK: query counts constant")
    report = {"database": env["DATABASE_URL"].split(":")[0], "quick": args.quick, "workers": args.workers,
              "threads": args.threads, "data": size, "query_counts": counts, "pages": rows,
              "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps({r["page"]: {k: v for k, v in r.items() if k.startswith(("throughput", "p95_"))}
                      for r in rows}, ensure_ascii=False))
    if not status:
        shutil.rmtree(tmp, ignore_errors=True)  # the scratch database (SQLite), static files, server log
    return status


if __name__ == "__main__":
    sys.exit(main())
