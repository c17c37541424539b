"""What deploy/ hands an office agrees with the app: its environment file passes Django's deployment check,
its systemd units run commands and options that exist, and its nginx example sets the headers the settings
trust."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
NTM = str(ROOT / ".venv" / "bin" / "ntm")


def env_file() -> dict[str, str]:
    """deploy/ntm.env as systemd's EnvironmentFile= and `docker run --env-file` read it (values unquoted)."""
    pairs = {}
    for line in (DEPLOY / "ntm.env").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, sep, value = line.partition("=")
            assert sep and name == name.strip() and re.fullmatch(r"[A-Z_][A-Z0-9_]*", name), line
            assert not value.startswith(('"', "'")), f"{name}: docker's --env-file would keep the quotes"
            pairs[name] = value
    return pairs


def exec_lines() -> list[tuple[str, list[str]]]:
    found = []
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        for line in unit.read_text().splitlines():
            if line.startswith("ExecStart=") and "/.venv/bin/ntm " in line:
                words = line.split("/.venv/bin/ntm ", 1)[1].split()
                found.append((unit.name, [w for w in words if not w.startswith("/var/")]))
    return found


def test_the_environment_file_passes_the_deployment_check(tmp_path):
    key = tmp_path / "secret_key"
    key.write_text("a-long-random-key-for-this-test-only-" * 2)
    env = {k: v for k, v in os.environ.items() if k not in env_file() and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(env_file())
    env.update(DATABASE_URL=f"sqlite:///{tmp_path}/ntm.sqlite3", NTM_DATA_DIR=str(tmp_path),
               NTM_MEDIA_DIR=str(tmp_path / "media"), SECRET_KEY_FILE=str(key), DJANGO_SETTINGS_MODULE="ntm.settings")
    done = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert env_file()["NTM_PROXY_COUNT"] == "1", "nginx appends one address to X-Forwarded-For"


@pytest.mark.parametrize(("unit", "words"), exec_lines(), ids=[u for u, _ in exec_lines()])
def test_each_unit_runs_a_command_and_options_that_exist(unit, words):
    command, options = words[0], [w.split("=")[0] for w in words[1:] if w.startswith("--")]
    shown = subprocess.run([NTM, command, "--help"], capture_output=True, text=True, timeout=120, check=False,
                           env={**os.environ, "COLUMNS": "200"})
    assert shown.returncode == 0, f"{unit}: `ntm {command}` does not exist: {shown.stderr[-500:]}"
    for option in options:
        assert re.search(rf"{re.escape(option)}\b", shown.stdout), f"{unit}: `ntm {command}` has no {option}"


def test_the_units_cover_the_server_the_worker_and_the_backup():
    assert sorted(words[0] for _unit, words in exec_lines()) == ["backup", "serve", "worker"]
    web = dict(exec_lines())["ntm-web.service"]
    assert "--workers" in web and "--no-worker" in web, "background work runs in ntm-worker.service"


def test_nginx_sets_the_headers_the_settings_trust():
    conf = (DEPLOY / "nginx" / "ntm.conf").read_text()
    header, _, value = env_file()["SECURE_PROXY_SSL_HEADER"].partition(":")
    assert value.strip() == "https"
    proxied = re.findall(r"location [^{]*\{([^}]*proxy_pass[^}]*)\}", conf)
    assert len(proxied) == 2  # the site, and /healthz over plain HTTP
    for block in proxied:
        # set on every request: it replaces whatever a client sent, so a client cannot claim HTTPS
        assert f"proxy_set_header {header} $scheme;" in block
        assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in block
        assert "proxy_set_header X-Request-ID $request_id;" in block
        assert "proxy_set_header Host $host;" in block
    body_limit = int(re.search(r"client_max_body_size (\d+)m;", conf).group(1))
    assert body_limit * 1024 * 1024 > 20 * 1024 * 1024, "above NTM_MAX_UPLOAD_BYTES, so the app says why"
