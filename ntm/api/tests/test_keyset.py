"""Keyset pagination on its own: pages in stored order, a `next` link that keeps the caller's filters and carries
the last id, none on the last page (even when it is exactly full), the page size capped and defaulted."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from django.test import RequestFactory

from ntm.api.pagination import Keyset
from ntm.units.models import Kind, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    return [Unit.objects.create(key=f"c{90000 + n}", code=str(90000 + n), name=f"Xã {n}", division_type="xã",
                                kind=Kind.COMMUNE) for n in range(7)]


def page(rows, *, size: int | None = None, after: int | None = None, query: str = "", **options):
    request = RequestFactory().get(f"/api/units?{query}")
    return Keyset(**options).paginate_queryset(rows, Keyset.Input(after=after, page_size=size), request)


def test_pages_follow_the_stored_order_and_link_to_the_next(units):
    first = page(Unit.objects.order_by("-key"), size=3, query="kind=commune&q=x%C3%A3")
    assert first["items"] == units[:3], "stored order, whatever order the caller's queryset had"
    link = urlparse(first["next"])
    assert link.path == "/api/units" and link.netloc == "testserver"
    assert parse_qs(link.query) == {"kind": ["commune"], "q": ["xã"], "after": [str(units[2].pk)]}


def test_the_next_page_starts_after_the_last_id_and_the_last_page_has_no_link(units):
    second = page(Unit.objects.all(), size=3, after=units[2].pk)
    assert second["items"] == units[3:6] and second["next"]
    last = page(Unit.objects.all(), size=3, after=units[5].pk)
    assert last == {"items": units[6:], "next": None}


def test_a_page_exactly_full_at_the_end_has_no_next_link(units):
    assert page(Unit.objects.all(), size=7)["next"] is None
    assert page(Unit.objects.all(), size=6)["next"] is not None


def test_the_page_size_defaults_and_is_capped(units):
    assert len(page(Unit.objects.all(), page_size=4, max_page_size=5)["items"]) == 4
    assert len(page(Unit.objects.all(), size=100, page_size=4, max_page_size=5)["items"]) == 5


def test_an_earlier_after_replaces_the_one_in_the_query(units):
    following = page(Unit.objects.all(), size=2, after=units[1].pk, query=f"after={units[1].pk}&kind=commune")
    assert parse_qs(urlparse(following["next"]).query)["after"] == [str(units[3].pk)]


def test_nothing_to_list_is_an_empty_last_page(db):
    assert page(Unit.objects.all(), size=3) == {"items": [], "next": None}
