"""The commune page keeps what every reader sees alike (figures, verdicts, history, the predecessors' history)
in the cache: a repeated request reads it, any change shows at once, and what depends on the reader (links,
actions, the merger form and its CSRF token) is never served to another reader."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ntm.accounts.models import Role
from ntm.figures.models import Figure
from ntm.recognition.models import MergerDecision
from ntm.units.models import Succession, Unit

from .conftest import NTMNC, YEAR, build_commune, build_user, record
from .test_pages import main_part

NHUT_TAO = "c28087-2025"
QUE_MY_THANH = "c28084"


def commune_page(client, key: str, **params):
    return client.get(reverse("evaluation:commune", args=[key]), params)


def signed_in(username: str, **options) -> Client:
    client = Client(**options)
    client.force_login(get_user_model().objects.get(username=username))
    return client


def score(html: str) -> str:
    match = re.search(r'<dd class="score"><strong>(\d+/\d+)</strong>', html)
    assert match, "no score on the page"
    return match.group(1)


@pytest.mark.django_db
class TestOneCommune:
    def test_a_repeated_request_reads_the_cached_body(self, office, que_my_thanh, django_assert_max_num_queries):
        first = commune_page(office, que_my_thanh.key)

        # session, user, roles, unit, period (2), successions' token (2: results, audit), alerts; no figure,
        # result, target, assignment or history read
        with django_assert_max_num_queries(10) as queries:
            again = commune_page(office, que_my_thanh.key)

        assert main_part(again.content) == main_part(first.content)
        tables = " ".join(q["sql"] for q in queries.captured_queries)
        assert "figures_figure" not in tables and "evaluation_criterionresult" not in tables

    def test_a_saved_figure_shows_at_once(self, office, que_my_thanh):
        assert score(commune_page(office, que_my_thanh.key).content.decode()) == "9/19"

        Figure.objects.filter(unit=que_my_thanh, indicator="10.1").update(superseded_at=timezone.now())
        record(que_my_thanh, NTMNC, "10.1", YEAR, value="80")  # income now above 75: criterion 10 met

        html = commune_page(office, que_my_thanh.key).content.decode()
        assert score(html) == "10/19"
        assert "80 triệu đồng/người/năm" in html

    def test_a_rename_shows_at_once(self, office, que_my_thanh):
        assert "Quê Mỹ Thạnh" in commune_page(office, que_my_thanh.key).content.decode()

        que_my_thanh.name = "Mỹ Thạnh Mới"
        que_my_thanh.save()  # audited, no result changes

        html = commune_page(office, que_my_thanh.key).content.decode()
        assert "<h1>Xã Mỹ Thạnh Mới</h1>" in html and "Quê Mỹ Thạnh" not in html

    def test_a_new_succession_shows_at_once(self, office, tan_tru, que_my_thanh):
        commune_page(office, que_my_thanh.key)
        successor = build_commune("Tân Trụ Mới", tan_tru)

        Succession.objects.create(predecessor=que_my_thanh, successor=successor, effective="2025-07-01")

        html = commune_page(office, que_my_thanh.key).content.decode()
        assert "xã này trở thành" in html and "Tân Trụ Mới" in html

    def test_the_entry_link_is_the_readers_own(self, client, office, tan_tru, que_my_thanh):
        entry = reverse("figures:entry", args=[que_my_thanh.key])
        assert entry in commune_page(office, que_my_thanh.key).content.decode()  # the office's link, now cached

        client.force_login(build_user("lanhdao", Role.LEADER, tan_tru.parent))  # reads, records nothing
        html = commune_page(client, que_my_thanh.key).content.decode()

        assert score(html) == "9/19"  # the same body
        assert entry not in html

    def test_a_reader_of_another_commune_is_refused_though_the_body_is_cached(self, client, office, tan_tru,
                                                                             que_my_thanh, binh_trinh_dong):
        assert commune_page(office, que_my_thanh.key).status_code == 200
        client.force_login(build_user("canbo.btd", Role.COMMUNE_OFFICIAL, binh_trinh_dong))

        assert commune_page(client, que_my_thanh.key).status_code in (403, 404)
        client.logout()
        assert commune_page(client, que_my_thanh.key).status_code == 302  # to log in


@pytest.mark.django_db
class TestMergedCommune:
    def test_predecessor_links_and_the_merger_form_stay_with_who_may_use_them(self, demo_2026):
        predecessor_link = f'href="/commune/{QUE_MY_THANH}/"'
        office = commune_page(signed_in("vpdp.tayninh"), NHUT_TAO).content.decode()
        admin = Client()
        admin.force_login(get_user_model().objects.create_superuser("admin.cache", password="-"))
        as_admin = commune_page(admin, NHUT_TAO).content.decode()
        assert 'class="merger-form"' in office and 'class="merger-form"' in as_admin
        assert predecessor_link in as_admin

        html = main_part(commune_page(signed_in("canbo.nhuttao"), NHUT_TAO).content)

        assert score(html) == score(as_admin)  # the same figures
        assert 'class="merger-form"' not in html and "csrfmiddlewaretoken" not in html
        assert predecessor_link not in html

    def test_the_cached_merger_form_carries_the_readers_own_token(self, demo_2026):
        first = signed_in("vpdp.tayninh", enforce_csrf_checks=True)
        commune_page(first, NHUT_TAO)  # the body is cached now
        reader = signed_in("vpdp.tayninh", enforce_csrf_checks=True)  # another session of a reader alike

        html = commune_page(reader, NHUT_TAO).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        response = reader.post(reverse("recognition:merger", args=[NHUT_TAO]), {
            "csrfmiddlewaretoken": token, "path": "reassess", "note": "Rà soát lại theo bộ tiêu chí mới."})

        assert response.status_code == 302
        assert MergerDecision.objects.get().decided_by.username == "vpdp.tayninh"
        assert "Tỉnh đã chọn:" in commune_page(reader, NHUT_TAO).content.decode()  # the decision at once

    def test_a_predecessors_figures_opened_without_script_are_their_own_page(self, demo_2026):
        reader = signed_in("canbo.nhuttao")
        closed = commune_page(reader, NHUT_TAO).content.decode()

        opened = commune_page(reader, NHUT_TAO, history=QUE_MY_THANH).content.decode()

        assert f'id="history-{QUE_MY_THANH}" data-predecessor="{QUE_MY_THANH}" open' in opened
        assert f'id="history-{QUE_MY_THANH}" data-predecessor="{QUE_MY_THANH}" open' not in closed
        assert Unit.objects.get(key=QUE_MY_THANH).full_name in opened
