"""/healthz answers probes: 200 with each check's figures, 503 naming the check that failed."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db.utils import OperationalError
from django.utils import timezone

from ntm.evaluation.models import RefreshJob

pytestmark = pytest.mark.django_db


def test_all_checks_pass(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "storage", "refresh_queue", "task_queue"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["refresh_queue"]["pending"] == 0
    assert not list(tmp_path.rglob("*.txt")), "the storage probe leaves no file behind"
    assert "sessionid" not in response.cookies and not Session.objects.exists()
    assert "no-cache" in response["Cache-Control"]


def test_database_down_is_503_naming_it_without_details(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with mock.patch("ntm.server.health.connection.cursor",
                    side_effect=OperationalError("could not connect to server at 10.0.0.5")):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["failed"] == ["database", "refresh_queue", "task_queue"], "the queues live in the database too"
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError",
                                          "ms": body["checks"]["database"]["ms"]}
    assert "10.0.0.5" not in response.content.decode(), "the public answer hides internal addresses"


def test_storage_that_cannot_write_is_503(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with mock.patch("ntm.server.health.default_storage.save", side_effect=PermissionError("read-only")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]


def test_old_waiting_reevaluation_is_503_with_its_age(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.NTM_HEALTH_QUEUE_MAX_SECONDS = 600
    job = RefreshJob.objects.create(reason="test")
    RefreshJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=2))
    response = client.get("/healthz")
    assert response.status_code == 503
    queue = response.json()["checks"]["refresh_queue"]
    assert queue["ok"] is False and queue["pending"] == 1
    assert 7200 <= queue["oldest_seconds"] < 7300
    assert "limit 600 s" in queue["error"]

    RefreshJob.objects.filter(pk=job.pk).update(state=RefreshJob.State.DONE)
    assert client.get("/healthz").status_code == 200, "a finished job no longer counts"


def test_only_reads(client):
    assert client.post("/healthz").status_code == 405


def test_answers_over_plain_http_when_the_site_redirects_to_https(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/").status_code == 301
    assert client.get("/healthz").status_code == 200
