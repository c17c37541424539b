"""API tokens expire (NTM_API_TOKEN_DAYS by default), and each user lists, creates and revokes their own
tokens on a page; a new token is shown once."""

import re
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ntm.api.actions import create_token
from ntm.api.models import ApiToken
from ntm.audit.models import AuditEntry

from .conftest import QMT


@pytest.fixture(autouse=True)
def _whole_site(settings):
    settings.ROOT_URLCONF = "ntm.urls"  # the token page lives among the account pages


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def user(name: str):
    return get_user_model().objects.get(username=name)


def test_a_token_works_until_it_expires_then_answers_401(client, demo, settings):
    settings.NTM_API_TOKEN_DAYS = 90
    row, token = create_token(user("canbo.quemythanh"))
    assert row.expires.date() == (timezone.now() + timedelta(days=90)).date()
    with time_machine.travel(timezone.now() + timedelta(days=89)):
        assert client.get(f"/api/units/{QMT}", headers=bearer(token)).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        assert client.get(f"/api/units/{QMT}", headers=bearer(token)).status_code == 401


def test_the_command_sets_the_validity_and_zero_means_no_expiry(demo):
    out = StringIO()
    call_command("api_token", "create", "vpdp.tantru", "--name", "sync", "--days", "7", stdout=out, stderr=StringIO())
    assert ApiToken.objects.get(name="sync").expires.date() == (timezone.now() + timedelta(days=7)).date()
    call_command("api_token", "create", "vpdp.tantru", "--name", "forever", "--days", "0", stdout=out,
                 stderr=StringIO())
    assert ApiToken.objects.get(name="forever").expires is None


def test_the_page_creates_a_token_shown_once_that_works(client, demo):
    client.force_login(user("canbo.quemythanh"))
    created = client.post("/accounts/tokens/", {"name": "excel-sync", "days": "30"})
    html = created.content.decode()
    token = re.search(r'<code class="new-token">(ntm_[^<]+)</code>', html).group(1)
    assert "không hiển thị lại" in html
    assert Client().get(f"/api/units/{QMT}", headers=bearer(token)).status_code == 200
    listing = client.get("/accounts/tokens/").content.decode()
    assert "excel-sync" in listing and token[:12] in listing and token not in listing
    row = ApiToken.objects.get(name="excel-sync")
    assert row.expires.date() == (timezone.now() + timedelta(days=30)).date()


def test_revoking_on_the_page_stops_the_token_and_is_audited(client, demo):
    row, token = create_token(user("canbo.quemythanh"), name="old")
    client.force_login(user("canbo.quemythanh"))
    assert client.post(f"/accounts/tokens/{row.pk}/revoke/", REMOTE_ADDR="203.0.113.40").status_code == 302
    assert Client().get(f"/api/units/{QMT}", headers=bearer(token)).status_code == 401  # a machine, no session
    assert "đã thu hồi" in client.get("/accounts/tokens/").content.decode()
    entry = AuditEntry.objects.filter(content_type__model="apitoken", action=AuditEntry.Action.UPDATE).get()
    assert entry.actor.username == "canbo.quemythanh" and entry.remote_addr == "203.0.113.40"
    assert entry.changes["revoked"][0] == "None" and entry.changes["revoked"][1] != "None"


def test_nobody_lists_or_revokes_someone_elses_tokens(client, demo):
    row, token = create_token(user("vpdp.tantru"), name="office-system")
    client.force_login(user("canbo.quemythanh"))
    assert "office-system" not in client.get("/accounts/tokens/").content.decode()
    assert client.post(f"/accounts/tokens/{row.pk}/revoke/").status_code == 404
    assert client.get(f"/api/units/{QMT}", headers=bearer(token)).status_code == 200


def test_an_expired_token_is_listed_as_expired_without_a_revoke_button(client, demo):
    row, _token = create_token(user("canbo.quemythanh"), name="short", days=1)
    client.force_login(user("canbo.quemythanh"))
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        html = client.get("/accounts/tokens/").content.decode()
    assert "hết hạn" in html and f"/accounts/tokens/{row.pk}/revoke/" not in html
