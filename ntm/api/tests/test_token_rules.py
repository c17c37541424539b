"""API tokens by their rules (what is stored, who a token stands for, when it stops working, how often its use is
noted), and the unit lineage answers across the 2025 reorganisation — on a small hand-built tree, no demo."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from ntm.api.actions import LAST_USED_EVERY, TOKEN_PREFIX, create_token, revoke_tokens, token_user
from ntm.api.models import ApiToken, digest
from ntm.units.models import Kind, Succession, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return get_user_model().objects.create_user("canbo.thu")


@pytest.fixture
def admin():
    return get_user_model().objects.create_superuser("quantri.thu")


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_only_a_hash_and_a_short_prefix_of_a_token_are_kept(person):
    row, token = create_token(person, name="máy tổng hợp")
    assert token.startswith(TOKEN_PREFIX) and len(token) > 40
    row.refresh_from_db()
    assert row.key_hash == digest(token) != token and row.prefix == token[:12]
    assert not ApiToken.objects.filter(key_hash=token).exists()
    assert str(row) == "canbo.thu — máy tổng hợp"


def test_an_unnamed_token_is_told_apart_by_its_prefix(person):
    row, token = create_token(person)
    assert str(row) == f"canbo.thu — {token[:12]}"


def test_two_tokens_of_one_person_differ(person):
    assert create_token(person)[1] != create_token(person)[1]


def test_validity_defaults_to_the_setting_and_zero_means_none(person, settings):
    settings.NTM_API_TOKEN_DAYS = 30
    default, _ = create_token(person)
    assert timedelta(days=29, hours=23) < default.expires - timezone.now() <= timedelta(days=30)
    forever, _ = create_token(person, days=0)
    assert forever.expires is None and forever.active and not forever.expired
    short, _ = create_token(person, days=2)
    assert timedelta(days=2) - timedelta(minutes=1) < short.expires - short.created <= timedelta(days=2)


def test_a_token_stands_for_its_user(person):
    _, token = create_token(person)
    assert token_user(token) == person


@pytest.mark.parametrize("made_up", ["", "ntm_", "ntm_made-up", "Bearer ntm_x"])
def test_a_made_up_token_stands_for_nobody(person, made_up):
    create_token(person)
    assert token_user(made_up) is None


def test_a_revoked_token_stands_for_nobody_and_is_counted_once(person):
    row, token = create_token(person)
    other, _ = create_token(person)
    assert revoke_tokens(ApiToken.objects.filter(pk=row.pk)) == 1
    assert token_user(token) is None
    assert revoke_tokens(ApiToken.objects.all()) == 1, "only the one still active"
    row.refresh_from_db()
    assert row.revoked and not row.active


def test_an_expired_token_stands_for_nobody(person):
    row, token = create_token(person, days=1)
    with time_machine.travel(timezone.now() + timedelta(days=1, seconds=1)):
        assert token_user(token) is None
        row.refresh_from_db()
        assert row.expired and not row.active


def test_the_token_of_someone_who_left_stops_working(person):
    _, token = create_token(person)
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert token_user(token) is None


def test_its_use_is_noted_at_most_once_a_minute(person):
    row, token = create_token(person)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        token_user(token)
    row.refresh_from_db()
    assert row.last_used == start
    with time_machine.travel(start + LAST_USED_EVERY - timedelta(seconds=1), tick=False):
        token_user(token)
    row.refresh_from_db()
    assert row.last_used == start, "not written on every request"
    later = start + LAST_USED_EVERY + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        token_user(token)
    row.refresh_from_db()
    assert row.last_used == later


def test_the_api_answers_401_with_the_one_error_shape_for_someone_who_left(client, admin):
    _, token = create_token(admin)
    assert client.get("/api/units", headers=bearer(token)).status_code == 200
    admin.is_active = False
    admin.save(update_fields=["is_active"])
    refused = client.get("/api/units", headers=bearer(token))
    assert refused.status_code == 401 and set(refused.json()) == {"detail"}


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Token abc", "ntm_abc"])
def test_a_malformed_authorization_header_is_401(client, admin, header):
    create_token(admin)
    assert client.get("/api/units", headers={"Authorization": header}).status_code == 401


# --- Units and their lineage ------------------------------------------------------------------------------------


@pytest.fixture
def merged():
    """Two old communes of one district merged into one new commune right under the province on 1/7/2025,
    a third only partly."""
    province = Unit.objects.create(key="p99", code="99", name="Thử", division_type="tỉnh", kind=Kind.PROVINCE)
    district = Unit.objects.create(key="d999", code="999", name="Cũ", division_type="huyện", kind=Kind.DISTRICT,
                                   parent=province, valid_to=date(2025, 6, 30))
    old = [Unit.objects.create(key=f"c9990{n}", code=f"9990{n}", name=name, division_type="xã",
                               kind=Kind.COMMUNE, parent=district, valid_to=date(2025, 6, 30))
           for n, name in enumerate(["An Hòa", "Bình Đức", "Phú Mỹ"], start=1)]
    new = Unit.objects.create(key="c99100", code="99100", name="Hòa Đức", division_type="xã", kind=Kind.COMMUNE,
                              parent=province, valid_from=date(2025, 7, 1))
    for unit, partial in zip(old, (False, False, True), strict=True):
        Succession.objects.create(predecessor=unit, successor=new, effective=date(2025, 7, 1), partial=partial,
                                  source="Nghị quyết 1/2025")
    return province, district, old, new


def test_a_unit_names_its_parent_and_validity(client, admin, merged):
    _, token = create_token(admin)
    body = client.get("/api/units/c99100", headers=bearer(token)).json()
    assert body["full_name"] == "Xã Hòa Đức" and body["parent"] == "p99" and body["kind"] == "commune"
    assert body["valid_from"] == "2025-07-01" and body["valid_to"] is None
    assert client.get("/api/units/p99", headers=bearer(token)).json()["parent"] is None


def test_a_new_commune_lists_what_it_was_made_of(client, admin, merged):
    _, token = create_token(admin)
    rows = client.get("/api/units/c99100/predecessors", headers=bearer(token)).json()
    assert [(r["unit"]["key"], r["unit"]["name"], r["partial"]) for r in rows] == [
        ("c99901", "An Hòa", False), ("c99902", "Bình Đức", False), ("c99903", "Phú Mỹ", True)]
    assert {r["effective"] for r in rows} == {"2025-07-01"} and {r["source"] for r in rows} == {"Nghị quyết 1/2025"}
    assert client.get("/api/units/c99100/successors", headers=bearer(token)).json() == []


def test_an_old_commune_names_what_it_became(client, admin, merged):
    _, token = create_token(admin)
    rows = client.get("/api/units/c99903/successors", headers=bearer(token)).json()
    assert rows == [{"unit": {"key": "c99100", "code": "99100", "name": "Hòa Đức", "kind": "commune"},
                     "effective": "2025-07-01", "partial": True, "source": "Nghị quyết 1/2025"}]


def test_units_valid_in_a_year_before_and_after_the_reorganisation(client, admin, merged):
    _, token = create_token(admin)

    def keys(**params) -> list[str]:
        return [u["key"] for u in client.get("/api/units", params, headers=bearer(token)).json()["items"]]

    assert keys(kind="commune", year=2024) == ["c99901", "c99902", "c99903"]
    assert keys(kind="commune", year=2026) == ["c99100"]
    assert keys(parent="d999") == ["c99901", "c99902", "c99903"]
    assert keys(q="hoa duc") == ["c99100"] and keys(q="99902") == ["c99902"]


def test_lineage_of_an_unknown_unit_is_404(client, admin, merged):
    _, token = create_token(admin)
    for path in ("/api/units/c00000", "/api/units/c00000/successors", "/api/units/c00000/predecessors"):
        response = client.get(path, headers=bearer(token))
        assert response.status_code == 404 and set(response.json()) == {"detail"}
