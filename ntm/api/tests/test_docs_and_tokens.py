"""The documentation page works without any CDN, and tokens are issued once and can be withdrawn."""

import re
from io import StringIO

from django.core.management import call_command

from ntm.api.models import ApiToken, digest

from .conftest import QMT


def test_docs_page_lists_every_operation_and_loads_nothing_from_elsewhere(client, db):
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    for path in client.get("/api/openapi.json").json()["paths"]:
        assert path in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "cdn" not in html.lower()


def test_openapi_schema_needs_no_login_and_describes_bearer_and_session_auth(client, db):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "NTM Tracker API"
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}


def test_a_created_token_is_printed_once_stored_hashed_and_works(client, demo):
    out = StringIO()
    call_command("api_token", "create", "canbo.quemythanh", "--name", "excel-sync", stdout=out, stderr=StringIO())
    token = out.getvalue().strip()
    row = ApiToken.objects.get(name="excel-sync")
    assert row.key_hash == digest(token) and token not in (row.key_hash, row.prefix)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/api/units/{QMT}", headers=headers).status_code == 200
    row.refresh_from_db()
    assert row.last_used is not None


def test_a_revoked_token_no_longer_works(client, demo):
    out = StringIO()
    call_command("api_token", "create", "canbo.quemythanh", stdout=out, stderr=StringIO())
    token = out.getvalue().strip()
    call_command("api_token", "revoke", "canbo.quemythanh", "--prefix", token[:12], stdout=StringIO())
    assert client.get(f"/api/units/{QMT}", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert ApiToken.objects.get().revoked is not None
