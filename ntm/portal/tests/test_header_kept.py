"""The header's parts kept between requests (`rendered_once`): each reader still gets their own name, roles,
links, alert count and CSRF token, in their language, with the page they are on marked."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ntm.alerts.models import Alert, AlertKind

pytestmark = pytest.mark.django_db


def header(client: Client, url: str) -> str:
    html = client.get(url).content.decode()
    return html[html.index("<header"):html.index("</header>")]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def csrf_tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))


def test_two_readers_one_after_the_other_see_their_own_header(office_tan_tru, official_btd):
    office, official = signed_in(office_tan_tru), signed_in(official_btd)

    first, second, again = header(office, "/"), header(official, "/"), header(office, "/")

    assert "Phạm Thị Dung" in first and "Phạm Thị Dung" not in second
    assert "Trần Thị Bình" in second and "Trần Thị Bình" not in first
    assert re.sub(r'value="[^"]{64}"', "", again) == re.sub(r'value="[^"]{64}"', "", first)  # CSRF: masked anew
    assert csrf_tokens(first) and csrf_tokens(second) and csrf_tokens(first).isdisjoint(csrf_tokens(second))


def test_unread_alerts_are_counted_per_reader(office_tan_tru, official_btd):
    office, official = signed_in(office_tan_tru), signed_in(official_btd)
    header(office, "/")  # kept without a count first
    Alert.objects.create(recipient=office_tan_tru, kind=AlertKind.choices[0][0], created_at=timezone.now())

    assert re.search(r'class="nav-count">1<', header(office, "/"))
    assert "nav-count" not in header(official, "/")


def test_the_page_a_reader_is_on_is_marked_in_the_navigation(office_tan_tru):
    office = signed_in(office_tan_tru)

    on_home, on_overview = header(office, "/"), header(office, reverse("evaluation:home"))

    assert re.search(rf'href="{reverse("portal:home")}" aria-current="page"', on_home)
    assert re.search(rf'href="{reverse("evaluation:home")}" aria-current="page"', on_overview)
    assert on_overview.count('aria-current="page"') == on_home.count('aria-current="page"') == 1


def test_each_language_keeps_its_own_header(office_tan_tru):
    office = signed_in(office_tan_tru)

    vietnamese, english = header(office, "/"), header(office, "/en/")

    assert ">Tổng quan<" in vietnamese and 'href="/overview/"' in vietnamese
    assert ">Overview<" in english and 'href="/en/overview/"' in english


def test_a_kept_part_sees_only_the_values_it_is_given():
    kept = Template("{% load portal_tags %}"
                    "{% rendered_once shown=shown %}[{{ shown }}|{{ secret }}]{% endrendered_once %}")

    assert kept.render(Context({"shown": "a", "secret": "alice's"})) == "[a|]"
    assert kept.render(Context({"shown": "b", "secret": "bob's"})) == "[b|]"


def test_a_block_inside_a_kept_part_is_refused():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load portal_tags %}{% rendered_once %}{% block x %}{% endblock %}{% endrendered_once %}")
