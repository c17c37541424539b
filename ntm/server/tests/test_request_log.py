"""Logs: one line per request with its id, user, status and time; slow SQL with the request id; JSON lines."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from ntm.server.request_log import JsonFormatter, TextFormatter

pytestmark = pytest.mark.django_db


def request_lines(caplog):
    return [r for r in caplog.records if r.name == "ntm.request"]


def test_one_line_per_request_with_id_user_status_and_time(client, caplog, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = get_user_model().objects.create_user("an.nguyen", password="x" * 12)
    client.force_login(user)
    caplog.set_level(logging.INFO, logger="ntm")
    response = client.get("/me/")
    [line] = request_lines(caplog)
    assert response["X-Request-ID"] == line.request_id and len(line.request_id) == 32
    assert (line.method, line.path, line.status, line.user) == ("GET", "/me/", response.status_code, "an.nguyen")
    assert line.duration_ms >= 0

    formatted = json.loads(JsonFormatter().format(line))
    assert formatted["request_id"] == line.request_id
    assert formatted["user"] == "an.nguyen" and formatted["status"] == response.status_code
    assert formatted["level"] == "INFO" and formatted["logger"] == "ntm.request"


def test_api_caller_with_a_token_is_named(client, caplog):
    from ntm.api.actions import create_token

    user = get_user_model().objects.create_user("may.tinh", password="x" * 12)
    _, token = create_token(user, name="test")
    caplog.set_level(logging.INFO, logger="ntm")
    response = client.get("/api/catalog/versions", headers={"Authorization": f"Bearer {token}"})
    [line] = request_lines(caplog)
    assert (line.path, line.status, line.user) == ("/api/catalog/versions", response.status_code, "may.tinh")


def test_incoming_request_id_is_kept_and_a_forged_one_replaced(client, caplog, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    caplog.set_level(logging.INFO, logger="ntm")
    response = client.get("/healthz", headers={"X-Request-ID": "proxy-7f3a.12"})
    assert response["X-Request-ID"] == "proxy-7f3a.12"
    assert request_lines(caplog)[-1].request_id == "proxy-7f3a.12"
    assert request_lines(caplog)[-1].user is None, "a probe never looks the user up"

    response = client.get("/healthz", headers={"X-Request-ID": 'x" injected\nline'})
    assert response["X-Request-ID"] != 'x" injected\nline' and len(response["X-Request-ID"]) == 32


def test_slow_query_logged_with_sql_and_request_id(client, caplog, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.NTM_SLOW_QUERY_MS = 0  # every statement is "slow"
    caplog.set_level(logging.INFO, logger="ntm")
    response = client.get("/healthz")
    slow = [r for r in caplog.records if r.name == "ntm.sql"]
    assert any(r.sql == "SELECT 1" for r in slow)
    assert {r.request_id for r in slow} == {response["X-Request-ID"]}
    assert all(r.levelno == logging.WARNING and r.duration_ms >= 0 for r in slow)


def test_fast_queries_not_logged(client, caplog, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.NTM_SLOW_QUERY_MS = 60_000
    caplog.set_level(logging.INFO, logger="ntm")
    client.get("/healthz")
    assert not [r for r in caplog.records if r.name == "ntm.sql"]
    assert not connection.execute_wrappers, "the wrapper lives only as long as the request"


def test_error_inside_a_request_carries_its_id(client, caplog, settings, tmp_path):
    """Any record written while serving (here a failing health check's traceback) gets the request id."""
    settings.MEDIA_ROOT = tmp_path
    caplog.set_level(logging.INFO, logger="ntm")
    with mock.patch("ntm.server.health.default_storage.save", side_effect=OSError("disk full")):
        response = client.get("/healthz")
    [error] = [r for r in caplog.records if r.name == "ntm.health" and r.exc_info]
    assert error.request_id == response["X-Request-ID"], "set by the configured handler's filter"
    line = json.loads(JsonFormatter().format(error))
    assert line["request_id"] == response["X-Request-ID"]
    assert "disk full" in line["error"] and line["level"] == "ERROR"
    first_line = TextFormatter().format(error).splitlines()[0]
    assert f"ERROR ntm.health [{response['X-Request-ID']}] health check storage failed" in first_line


def run_python(tmp_path, code: str, **env: str):
    root = Path(__file__).resolve().parents[3]
    environ = {**os.environ, "NTM_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "ntm.settings", **env}
    return subprocess.run([sys.executable, "-c", "import django; django.setup(); " + code], cwd=root, env=environ,
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize(("fmt", "looks_like"), [("json", '"logger": "ntm.jobs"'), ("text", "INFO ntm.jobs hello")])
def test_the_configured_format_reaches_standard_error(tmp_path, fmt, looks_like):
    done = run_python(tmp_path, "import logging; logging.getLogger('ntm.jobs').info('hello')", NTM_LOG_FORMAT=fmt)
    assert done.returncode == 0, done.stderr
    assert looks_like in done.stderr
    if fmt == "json":
        assert json.loads(done.stderr.strip().splitlines()[-1])["message"] == "hello"


def test_a_wrong_format_names_the_variable(tmp_path):
    done = run_python(tmp_path, "", NTM_LOG_FORMAT="xml")
    assert done.returncode != 0 and "NTM_LOG_FORMAT='xml': expected 'json' or 'text'" in done.stderr


def test_a_crashing_view_gives_a_500_line_and_its_traceback_under_the_same_id(caplog, settings, tmp_path):
    from django.test import Client

    settings.MEDIA_ROOT = tmp_path
    caplog.set_level(logging.INFO, logger="ntm")
    with mock.patch("ntm.server.health.JsonResponse", side_effect=RuntimeError("boom")):
        response = Client(raise_request_exception=False).get("/healthz")
    assert response.status_code == 500
    [line] = request_lines(caplog)
    assert line.status == 500 and line.request_id == response["X-Request-ID"]
    [error] = [r for r in caplog.records if r.name == "django.request"]
    assert error.request_id == response["X-Request-ID"] and "boom" in json.loads(JsonFormatter().format(error))["error"]
