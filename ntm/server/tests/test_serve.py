"""`ntm serve`: gunicorn with several processes on Linux, waitress elsewhere; refusals say what to do instead."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.core.management import call_command
from django.core.management.base import CommandError

from ntm.server import serving

NTM = str(Path(sys.executable).with_name("ntm"))


@pytest.mark.parametrize(("platform", "requested", "workers", "chosen"), [
    ("linux", "auto", 1, "gunicorn"),
    ("linux", "auto", 5, "gunicorn"),
    ("linux", "waitress", 1, "waitress"),
    ("win32", "auto", 1, "waitress"),
    ("darwin", "auto", 1, "waitress"),
])
def test_gunicorn_on_linux_waitress_elsewhere(monkeypatch, platform, requested, workers, chosen):
    monkeypatch.setattr(sys, "platform", platform)
    assert serving.choose_server(requested, workers) == chosen


@pytest.mark.parametrize(("platform", "requested", "workers", "says"), [
    ("linux", "waitress", 3, "waitress runs one process: --workers 3 needs gunicorn (Linux)"),
    ("win32", "auto", 2, "waitress runs one process: --workers 2 needs gunicorn (Linux)"),
    ("win32", "gunicorn", 1, "gunicorn needs Linux and the gunicorn package; use --server waitress"),
    ("linux", "auto", 0, "--workers 0: cần ít nhất 1 / at least 1"),
])
def test_what_cannot_run_is_refused_with_what_to_do(monkeypatch, platform, requested, workers, says):
    monkeypatch.setattr(sys, "platform", platform)
    with pytest.raises(CommandError, match=says.replace("(", r"\(").replace(")", r"\)")):
        serving.choose_server(requested, workers)


def test_the_command_refuses_before_touching_anything(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    with pytest.raises(CommandError, match="--workers 2 needs gunicorn"):
        call_command("serve", server="waitress", workers=2)
    with pytest.raises(CommandError, match="--threads 0"):
        call_command("serve", threads=0)


def test_gunicorn_runs_threads_trusts_no_forwarded_header_and_logs_in_the_app_format(settings):
    options = serving.gunicorn_options(host="127.0.0.1", port=8000, workers=5, threads=4)
    assert options["bind"] == ["127.0.0.1:8000"]
    assert (options["workers"], options["threads"], options["worker_class"]) == (5, 4, "gthread")
    assert options["secure_scheme_headers"] == {}, "Django's SECURE_PROXY_SSL_HEADER alone says what is secure"
    assert options["control_socket_disable"], "two servers on one host would share gunicorn's control socket"
    logging = options["logconfig_dict"]
    assert logging["formatters"] == settings.LOGGING["formatters"]
    assert logging["loggers"]["gunicorn.error"]["propagate"] and not logging["loggers"]["gunicorn.error"]["handlers"]
    assert serving.gunicorn_options(host="::1", port=8000, workers=1, threads=1)["bind"] == ["[::1]:8000"]


def test_a_missing_storage_package_stops_the_start_with_the_extra_to_install(settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage"}}
    from django.core.files.storage import storages

    storages._storages = {}  # built afresh from the settings above
    try:
        with pytest.raises(CommandError, match=r"NTM_FILE_STORAGE=storages.backends.s3.S3Storage: .*\[s3\]"):
            serving.check_file_storage()
    finally:
        storages._storages = {}


def test_the_start_up_re_evaluation_runs_in_a_child_process(tmp_path):
    marker = tmp_path / "ran"
    pid = serving.refresh_in_child(lambda: marker.write_text(str(os.getpid())))
    assert os.waitpid(pid, 0)[1] == 0
    assert marker.read_text() == str(pid) != str(os.getpid())
    failing = serving.refresh_in_child(lambda: 1 / 0)
    assert os.waitstatus_to_exitcode(os.waitpid(failing, 0)[1]) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="gunicorn runs on Linux")
def test_two_workers_answer_log_json_and_stop_gracefully(tmp_path):
    port = _free_port()
    env = {**os.environ, "NTM_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/ntm.sqlite3",
           "SECRET_KEY": "test-only", "NTM_TASKS": "immediate", "NTM_LOG_FORMAT": "json"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([NTM, "serve", "--port", str(port), "--workers", "2", "--threads", "2"],
                                  env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        for _ in range(240):
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except requests.ConnectionError:
                assert server.poll() is None, log.read_text()
                time.sleep(0.5)
        assert answer.status_code == 200 and answer.json()["status"] == "ok"
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0
    finally:
        if server.poll() is None:
            server.kill()
    lines = log.read_text().splitlines()
    assert "(gunicorn, 2 × 2;" in lines[0]
    records = [json.loads(line) for line in lines if line.startswith("{")]
    booted = [r for r in records if r["logger"] == "gunicorn.error" and r["message"].startswith("Booting worker")]
    assert len(booted) == 2
    assert any(r["logger"] == "ntm.request" and r["path"] == "/healthz" for r in records)
    assert [r["message"] for r in records][-1] == "Shutting down: Master"
