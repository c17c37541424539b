"""Production settings come from the environment: with the README's "Production" variables set, Django's
deployment check passes at warning level; without them it names what is missing; a malformed value stops
the start with a message naming the variable. Every page carries the Content-Security-Policy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ntm import settings as project_settings

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "ntm.example.gov.vn",
    "CSRF_TRUSTED_ORIGINS": "https://ntm.example.gov.vn",
    "SECURE_SSL_REDIRECT": "true",
    "SESSION_COOKIE_SECURE": "true",
    "CSRF_COOKIE_SECURE": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https",
    "NTM_MAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}
DEPLOY_NAMES = [*PRODUCTION, "NTM_CSP", "NTM_CSP_REPORT_URI"]


def check_deploy(tmp_path, **env: str) -> subprocess.CompletedProcess:
    # As a server would start: none of the test run's own switches (pytest-django allows async-unsafe calls).
    clean = {k: v for k, v in os.environ.items() if k not in DEPLOY_NAMES and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean.update(NTM_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="ntm.settings", **env)
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120, check=False)


def test_the_production_variables_pass_the_deployment_check(tmp_path):
    done = check_deploy(tmp_path, **PRODUCTION)
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_without_them_the_check_names_what_is_missing(tmp_path):
    done = check_deploy(tmp_path)
    assert done.returncode != 0
    for code in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert code in done.stderr


@pytest.mark.parametrize(("name", "raw", "read", "says"), [
    ("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto", lambda: project_settings._proxy_ssl_header(),
     "expected 'Header-Name: value'"),
    ("SECURE_HSTS_SECONDS", "one year", lambda: project_settings.env_int("SECURE_HSTS_SECONDS", 0),
     "expected a whole number"),
    ("SESSION_COOKIE_SECURE", "yes", lambda: project_settings.env_bool("SESSION_COOKIE_SECURE", False),
     "expected 'true' or 'false'"),
    ("NTM_CSP", "strict", lambda: project_settings._content_security_policy(),
     "expected 'enforce', 'report-only' or 'off'"),
])
def test_a_malformed_value_names_the_variable(monkeypatch, name, raw, read, says):
    monkeypatch.setenv(name, raw)
    with pytest.raises(ImproperlyConfigured, match=says) as caught:
        read()
    assert name in str(caught.value)


def test_the_proxy_header_is_read_as_django_wants_it(monkeypatch):
    monkeypatch.setenv("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto: https")
    assert project_settings._proxy_ssl_header() == ("HTTP_X_FORWARDED_PROTO", "https")
    monkeypatch.delenv("SECURE_PROXY_SSL_HEADER")
    assert project_settings._proxy_ssl_header() is None


def test_the_policy_can_be_reported_only_or_switched_off(monkeypatch):
    enforce, report = project_settings._content_security_policy()
    assert enforce["script-src"][0] == "'self'" and not report
    monkeypatch.setenv("NTM_CSP", "report-only")
    monkeypatch.setenv("NTM_CSP_REPORT_URI", "https://csp.example.gov.vn/report")
    enforce, report = project_settings._content_security_policy()
    assert not enforce and report["report-uri"] == ["https://csp.example.gov.vn/report"]
    monkeypatch.setenv("NTM_CSP", "off")
    assert project_settings._content_security_policy() == ({}, {})


def test_every_page_carries_the_policy(client, db):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff" and response["X-Frame-Options"] == "DENY"
