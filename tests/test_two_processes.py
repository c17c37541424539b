"""Beyond one machine (issue 13): two `ntm serve` processes on two ports — one gunicorn master with two
workers, one with a single worker — and the background worker (`ntm worker`, when the installation has it)
against one PostgreSQL database. 50 writers, spread over both servers, save figures for ~20 s through the
data-entry page and the API; a page writer logs in on one server and writes through the other (sessions live
in the database). Then: no server error, no lost write (every accepted write in the history, each figure's
current value the last one accepted), and the stored results match a fresh evaluation (`ntm results verify`).

The writers and the lost-write check are the concurrent-writes benchmark's (benchmarks/); it runs on a
database of its own, named after DATABASE_URL's with `_two_processes`, created and dropped here."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
NTM = str(ROOT / ".venv" / "bin" / "ntm")
URL = os.environ.get("DATABASE_URL", "")
SECONDS = float(os.environ.get("NTM_TWO_PROCESSES_SECONDS", "20"))
WRITERS = 50

pytestmark = pytest.mark.skipif(
    not URL.startswith(("postgres://", "postgresql://")),
    reason="needs PostgreSQL: several servers share one database server; SQLite is one file on one machine "
           "(set DATABASE_URL=postgres://…, as .ci/run's PostgreSQL pass does)")


def _bench():
    """The benchmark's module (benchmarks/ is not a package)."""
    path = ROOT / "benchmarks" / "bench_concurrent_writes.py"
    spec = importlib.util.spec_from_file_location("bench_concurrent_writes", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def _own_database(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_two_processes"))


def _has_worker() -> bool:
    return any((ROOT / "ntm").glob("*/management/commands/worker.py"))


def _serve_options(env: dict) -> list[str]:
    """`--no-worker` where `ntm serve` would start a worker of its own: this test runs exactly one, apart."""
    shown = subprocess.run([NTM, "serve", "--help"], env=env, capture_output=True, text=True, check=True).stdout
    return ["--no-worker"] if "--no-worker" in shown else []


def _start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen([NTM, *command], env=env, stdout=out, stderr=subprocess.STDOUT)


def _wait_until_up(base: str, process: subprocess.Popen, log: Path) -> None:
    for _ in range(240):
        if process.poll() is not None:
            pytest.fail(f"{base} stopped at start ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if requests.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    pytest.fail(f"{base} did not answer:\n{log.read_text()[-3000:]}")


def _wait_for_background_work(base: str, seconds: float = 120) -> dict:
    """Until /healthz says nothing waits: re-evaluations under way, tasks not yet taken by the worker."""
    body: dict = {}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = requests.get(base + "/healthz", timeout=10).json()
        pending = [c.get("pending", 0) + c.get("waiting", 0) for c in body["checks"].values()]
        if body["status"] == "ok" and not any(pending):
            return body
        time.sleep(1)
    pytest.fail(f"background work still pending after {seconds:.0f} s: {body}")


@pytest.fixture
def installation():
    """A fresh database with the demo, API tokens, two servers and (when it exists) a worker."""
    bench = _bench()
    tmp = tempfile.mkdtemp(prefix="ntm-two-processes-")
    env, drop = bench.scratch_env(_own_database(URL), tmp)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # pytest-django's switch; a server never has it
    processes: list[tuple[subprocess.Popen, Path]] = []
    try:
        subprocess.run([NTM, "demo", "--load-only"], env=env, check=True, stdout=subprocess.DEVNULL, timeout=600)
        tokens = {u: subprocess.run([NTM, "api_token", "create", u, "--name", "two-processes"], env=env,
                                    check=True, capture_output=True, text=True).stdout.strip() for u in bench.USERS}
        bases, apart = [], _serve_options(env)
        for n, workers in enumerate((2, 1)):  # one after the other: each runs migrate and collectstatic at start
            port = bench.free_port()
            log = Path(tmp) / f"server-{n}.log"
            server = _start(["serve", "--port", str(port), "--workers", str(workers), "--threads", "4", *apart],
                            env, log)
            processes.append((server, log))
            bases.append(f"http://127.0.0.1:{port}")
            _wait_until_up(bases[-1], server, log)
        if _has_worker():
            processes.append((_start(["worker"], env, Path(tmp) / "worker.log"), Path(tmp) / "worker.log"))
        yield bench, env, bases, tokens, processes
    finally:
        for process, _log in processes:
            process.terminate()
        for process, _log in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        if drop:
            drop()
        subprocess.run(["rm", "-rf", tmp], check=False)


def test_fifty_writers_over_two_servers_lose_nothing_and_results_verify(installation):
    bench, env, bases, tokens, processes = installation
    hot, cold = bench.choose_targets(bases[0], tokens["quantri"], WRITERS)
    tallies = [bench.Tally(), bench.Tally()]  # one per server
    sessions = []
    for n in range(WRITERS):
        server = (n // 4) % 2  # each server gets page and API writers, both users, hot and cold figures
        username, by_page = bench.USERS[n % 2], n % 4 < 2
        if by_page:
            session = bench.page_session(bases[1 - server], bench.PAGE_USER)  # logged in on the other server
        else:
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {tokens[username]}"
        sessions.append((server, by_page, session))
    deadline = time.monotonic() + SECONDS
    writers = [threading.Thread(target=bench.writer, args=(n, bases[server], by_page, session,
                                                           hot if n % 3 == 0 else [cold[n]], deadline, tallies[server]))
               for n, (server, by_page, session) in enumerate(sessions)]
    for w in writers:
        w.start()
    for w in writers:
        w.join()

    answers = [dict(t.answers) for t in tallies]
    print(f"{WRITERS} writers, {SECONDS:.0f} s: server 1 {answers[0]}, server 2 {answers[1]}")  # pytest -s shows it
    for n, tally in enumerate(tallies):
        # A save costs the CPU of a result refresh: on a busy 2-core machine both servers together take ~4–14
        # saves a second (benchmarks/README.md), so a few dozen each in 20 s.
        assert tally.answers["2xx"] >= 10, f"server {n} accepted too few writes: {answers}"
        unexpected = {k: v for k, v in tally.answers.items() if k not in ("2xx", "409")}
        assert not unexpected, f"server {n}: {unexpected}; {tally.problems[:5]}"  # 5xx, connection errors, other
    merged = bench.Tally()
    for tally in tallies:
        for key, accepted in tally.accepted.items():
            merged.accepted[key] += accepted
    assert sum(t.by_channel[("page", "2xx")] for t in tallies) and sum(t.by_channel[("api", "2xx")] for t in tallies)
    assert bench.check_no_lost_write(bases[1], tokens["quantri"], merged) == []

    _wait_for_background_work(bases[0])
    verified = subprocess.run([NTM, "results", "verify", "--lang", "en"], env=env, capture_output=True, text=True,
                              timeout=600, check=False)
    assert verified.returncode == 0, verified.stdout[-3000:] + verified.stderr[-3000:]
    assert "0 differences" in verified.stdout
    for process, log in processes:
        assert process.poll() is None, f"{process.args} stopped during the run:\n{log.read_text()[-3000:]}"
