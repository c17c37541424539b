#!/usr/bin/env python
"""Load test: 50 concurrent writers save figures through the data-entry page and the API of a real
server (`ntm serve`) on a scratch database, for a while; then every accepted write is looked up.

    .venv/bin/python benchmarks/bench_concurrent_writes.py [--quick] [--seconds 60] [--writers 50]
        [--database-url postgres://postgres@127.0.0.1:5432/ntm_bench_writes]

Without --database-url (or DATABASE_URL) a temporary SQLite file is used; a PostgreSQL database named
in the URL is dropped and created afresh, and dropped at the end. Half the writers post the page's
form (session log-in, CSRF token, htmx header), half call the API (Bearer token). A third of them
fight over three figures of one commune, the rest each edit a figure of their own. Every save sends
the id of the figure the writer last saw (`expected_current`); a conflict (API 409, the page's
"someone saved meanwhile" message) refreshes it. Reported: requests per second, answers by class,
latency, and a lost-write check: every accepted write is in the figure's history, and each figure's
current value is the last write accepted for it. Exit status 1 on any server error or lost write.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
NTM = str(ROOT / ".venv" / "bin" / "ntm")
YEARS = (2023, 2024)  # the demo's figures: every commune set of those years
PASSWORD = "tantru2024"  # the demo users' password (README)
USERS = ("vpdp.tantru", "quantri")  # both may edit every field of every Tân Trụ commune (the demo's figures)
PAGE_USER = "vpdp.tantru"  # an administrator's page log-in asks for a second factor


# --- Scratch database and server ----------------------------------------------------------------------


def scratch_env(url: str, tmp: str) -> tuple[dict, callable]:
    env = {**os.environ, "NTM_DATA_DIR": tmp, "SECRET_KEY": "benchmark-only", "DEBUG": "false",
           "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    drop = None
    if not url:
        url = f"sqlite:///{tmp}/bench.sqlite3"
    elif url.startswith(("postgres://", "postgresql://")):
        import dj_database_url
        import psycopg

        cfg = dj_database_url.parse(url)
        admin = {k: v for k, v in dict(host=cfg["HOST"], port=cfg["PORT"], user=cfg["USER"],
                                       password=cfg["PASSWORD"], dbname="postgres", autocommit=True).items() if v}
        with psycopg.connect(**admin) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{cfg["NAME"]}"')

        def drop():
            with psycopg.connect(**admin) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}" WITH (FORCE)')
    env["DATABASE_URL"] = url
    return env, drop


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict, threads: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(Path(env["NTM_DATA_DIR"]) / "server.log", "w")  # noqa: SIM115 — closed with the process
    server = subprocess.Popen([NTM, "serve", "--port", str(port), "--threads", str(threads)], env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            if requests.get(base + "/", timeout=2).status_code == 200:
                return server, base
        except requests.ConnectionError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"the server did not answer on {base}; see {log.name}")


# --- Writers ------------------------------------------------------------------------------------------


@dataclass
class Target:
    unit: str
    cset: str
    year: int
    indicator: str
    value: str  # the demo's value, written back (always within the indicator's range)
    seen: dict = field(default_factory=dict)  # writer's view: writer id → figure id last seen

    @property
    def key(self) -> tuple:
        return (self.unit, self.cset, self.year, self.indicator)


@dataclass
class Tally:
    answers: Counter = field(default_factory=Counter)
    by_channel: Counter = field(default_factory=Counter)  # ("page" | "api", answer) → count
    latencies: list = field(default_factory=list)
    accepted: dict = field(default_factory=lambda: defaultdict(list))  # (unit, indicator) → [(id, note)]
    problems: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, channel: str, kind: str, seconds: float, target: Target, figure_id: int = 0, note: str = ""):
        with self.lock:
            self.answers[kind] += 1
            self.by_channel[(channel, kind.split(":")[0])] += 1
            self.latencies.append(seconds)
            if kind == "2xx":
                self.accepted[target.key].append((figure_id, note))


def page_session(base: str, username: str) -> requests.Session:
    s = requests.Session()
    s.get(base + "/accounts/login/")
    r = s.post(base + "/accounts/login/", data={"username": username, "password": PASSWORD,
                                                "csrfmiddlewaretoken": s.cookies["csrftoken"]},
               headers={"Referer": base + "/accounts/login/"})
    if "sessionid" not in s.cookies:
        raise SystemExit(f"log-in of {username} failed ({r.status_code})")
    return s


def _hidden_id(html: str, prefix: str) -> int | None:
    found = re.search(rf'name="{prefix}-expected_current"[^>]*value="(\d+)"', html) or re.search(
        rf'value="(\d+)"[^>]*name="{prefix}-expected_current"', html)
    return int(found.group(1)) if found else None


def save_by_page(base: str, s: requests.Session, t: Target, expected: int | None, note: str):
    prefix = "i" + t.indicator.replace(".", "_")
    shown = t.value.replace(".", ",")  # "68.2000" → "68,2000": four decimals, never ambiguous
    r = s.post(f"{base}/entry/{t.unit}/{t.cset}/{t.indicator}/{t.year}/",
               data={f"{prefix}-value": shown, f"{prefix}-source_note": note,
                     f"{prefix}-expected_current": expected or ""},
               headers={"HX-Request": "true", "X-CSRFToken": s.cookies["csrftoken"], "Referer": base + "/"})
    if r.status_code >= 500:
        return "5xx", None
    if r.status_code == 200 and "entry-message-saved" in r.text:
        return "2xx", _hidden_id(r.text, prefix)
    if r.status_code == 200 and "entry-message-stale" in r.text:
        return "409", _hidden_id(r.text, prefix)
    if os.environ.get("BENCH_DUMP"):
        Path(os.environ["BENCH_DUMP"]).write_text(r.text)
    problem = re.search(r'class="field-error"[^>]*>\s*(?:<p>)?([^<]*)', r.text)
    return f"other {r.status_code}" + (f": {problem.group(1).strip()[:90]}" if problem else ""), None


def save_by_api(base: str, s: requests.Session, t: Target, expected: int | None, note: str):
    r = s.post(f"{base}/api/figures", json={"unit": t.unit, "criteria_set": t.cset, "indicator": t.indicator,
                                            "year": t.year, "value": t.value, "source_note": note,
                                            "expected_current": expected})
    if r.status_code >= 500:
        return "5xx", None
    if r.status_code == 201:
        return "2xx", r.json()["id"]
    if r.status_code == 409:
        current = r.json().get("current")
        return "409", current["id"] if current else None
    return f"other {r.status_code}: {r.text[:90]}", None


def writer(n: int, base: str, by_page: bool, s: requests.Session, targets: list[Target], deadline: float,
           tally: Tally) -> None:
    rng = random.Random(n)
    seq = 0
    save = save_by_page if by_page else save_by_api
    while time.monotonic() < deadline:
        t = rng.choice(targets)
        seq += 1
        note = f"bench w{n} #{seq}"
        started = time.monotonic()
        try:
            kind, figure_id = save(base, s, t, t.seen[n], note)
        except requests.RequestException as exc:
            kind, figure_id = "connection error", None
            tally.problems.append(f"writer {n}: {exc}")
        tally.add("page" if by_page else "api", kind, time.monotonic() - started, t, figure_id or 0, note)
        if figure_id:
            t.seen[n] = figure_id


# --- Setting up, checking ---------------------------------------------------------------------------------


def api_list(base: str, token: str, **params) -> list[dict]:
    """Every row of the list: keyset pages (follow `next`) or numbered pages (stop at `count`)."""
    out, page, url = [], 1, f"{base}/api/figures"
    query: dict | None = {**params, "page": page, "page_size": 500}
    while True:
        r = requests.get(url, params=query, headers={"Authorization": f"Bearer {token}"}, timeout=60)
        r.raise_for_status()
        body = r.json()
        out += body["items"]
        if "next" in body:  # the link carries the filters and where to go on
            if not body["next"]:
                return out
            url, query = body["next"], None
            continue
        if len(out) >= body["count"] or not body["items"]:
            return out
        page += 1
        query = {**params, "page": page, "page_size": 500}


def choose_targets(base: str, token: str, writers: int) -> tuple[list[Target], list[Target]]:
    figures = [f for year in YEARS for f in api_list(base, token, year=year)
               if f["value"] is not None and not f["bound"] and f["criteria_set"].startswith("commune-")]
    by_unit = defaultdict(list)
    for f in figures:
        by_unit[f["unit"]].append(f)
    units = sorted(by_unit, key=lambda k: -len(by_unit[k]))
    targets = [Target(f["unit"], f["criteria_set"], f["year"], f["indicator"], f["value"],
                      defaultdict(lambda first=f["id"]: first)) for k in units for f in by_unit[k]]
    hot, cold = targets[:3], targets[3:3 + writers]
    if len(cold) < writers:
        raise SystemExit(f"only {len(cold)} figures to share among {writers} writers")
    return hot, cold


def check_no_lost_write(base: str, token: str, tally: Tally) -> list[str]:
    lost = []
    for (unit, cset, year, indicator), accepted in tally.accepted.items():
        rows = api_list(base, token, unit=unit, criteria_set=cset, indicator=indicator, year=year, history="true")
        notes, where = {r["source_note"] for r in rows}, f"{unit} {cset} {year} {indicator}"
        current = [r for r in rows if r["current"]]
        missing = [note for _id, note in accepted if note not in notes]
        if missing:
            lost.append(f"{where}: {len(missing)} accepted writes not in the history, e.g. {missing[0]}")
        last_note = max(accepted)[1]  # ids grow with every row: the highest accepted id is the last accepted write
        if len(current) != 1 or current[0]["source_note"] != last_note:
            shown = current[0]["source_note"] if current else None
            lost.append(f"{where}: current is {shown!r}, the last accepted write was {last_note!r}")
    return lost


def run(url: str, seconds: float, n_writers: int, threads: int) -> int:
    tmp = tempfile.mkdtemp(prefix="ntm-bench-writes-")
    env, drop = scratch_env(url, tmp)
    server = None
    try:
        print(f"database: {env['DATABASE_URL']}")
        subprocess.run([NTM, "demo", "--load-only"], env=env, check=True, stdout=subprocess.DEVNULL)
        tokens = {u: subprocess.run([NTM, "api_token", "create", u, "--name", "bench"], env=env, check=True,
                                    capture_output=True, text=True).stdout.strip() for u in USERS}
        server, base = start_server(env, threads)
        hot, cold = choose_targets(base, tokens["quantri"], n_writers)
        sessions = []
        for n in range(n_writers):
            username, by_page = USERS[n % 2], n % 4 < 2  # page and API
            if by_page:
                s = page_session(base, PAGE_USER)
            else:
                s = requests.Session()
                s.headers["Authorization"] = f"Bearer {tokens[username]}"
            sessions.append((by_page, s))
        tally = Tally()
        deadline = time.monotonic() + seconds
        workers = [threading.Thread(target=writer, args=(n, base, by_page, s, hot if n % 3 == 0 else [cold[n]],
                                                         deadline, tally))
                   for n, (by_page, s) in enumerate(sessions)]
        started = time.monotonic()
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        elapsed = time.monotonic() - started
        lost = check_no_lost_write(base, tokens["quantri"], tally)
        return report(tally, lost, elapsed, n_writers, hot)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if drop:
            drop()
        shutil.rmtree(tmp, ignore_errors=True)


def report(tally: Tally, lost: list[str], elapsed: float, n_writers: int, hot: list[Target]) -> int:
    total = sum(tally.answers.values())
    lat = sorted(tally.latencies) or [0.0]
    print(f"{n_writers} writers for {elapsed:.1f} s (a third on {len(hot)} shared figures of {hot[0].unit}): "
          f"{total} saves, {total / elapsed:.1f} req/s")
    print("answers: " + ", ".join(f"{k}: {v}" for k, v in sorted(tally.answers.items())))
    print("by channel: " + ", ".join(f"{c} {k}: {v}" for (c, k), v in sorted(tally.by_channel.items())))
    print(f"latency: median {statistics.median(lat) * 1000:.0f} ms, p95 {lat[int(len(lat) * 0.95) - 1] * 1000:.0f} ms, "
          f"max {lat[-1] * 1000:.0f} ms")
    accepted = sum(len(v) for v in tally.accepted.values())
    print(f"lost writes: {len(lost)} (of {accepted} accepted writes on {len(tally.accepted)} figures)")
    for line in lost[:10] + tally.problems[:10]:
        print("  " + line, file=sys.stderr)
    bad = tally.answers["5xx"] + tally.answers["connection error"] + len(lost)
    bad += sum(v for k, v in tally.answers.items() if k.startswith("other"))
    print("OK: no server error, no lost write" if not bad else "FAILED", file=sys.stderr if bad else sys.stdout)
    return 1 if bad else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--quick", action="store_true", help="10 seconds")
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--threads", type=int, default=8, help="the server's threads (ntm serve --threads)")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    args = parser.parse_args()
    return run(args.database_url, 10 if args.quick else args.seconds, args.writers, args.threads)


if __name__ == "__main__":
    sys.exit(main())
