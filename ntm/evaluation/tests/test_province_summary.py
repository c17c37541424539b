"""The province office's page (summary, filters, the matrix on demand) and the national view."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from ntm.accounts.models import Role
from ntm.catalog_source import get_catalog, recheck
from ntm.evaluation.actions import refresh_results
from ntm.units.models import Kind, Succession, Unit

from .conftest import _codes, build_commune, build_district, build_province, build_user, record

SET_2026 = "commune-ntm-2026-2030"
NEW_PROVINCE = "p80-2025"
GROUPS = ("G1", "G2", "G3")


def text_of(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def listed(html: str) -> list[str]:
    return re.findall(r'<tr data-commune="([\w-]+)">', html)


def logged_in(client, username: str):
    client.force_login(get_user_model().objects.get(username=username))
    return client


# --- A province formed on 1/7/2025, built as the importer would -----------------------------------------

def build_new_commune(name: str, province: Unit, group: str, came_from: Unit) -> Unit:
    code = str(next(_codes))
    commune = Unit.objects.create(key=f"c{code}-2025", code=code, name=name, division_type="xã", kind=Kind.COMMUNE,
                                  parent=province, commune_group=group, valid_from=date(2025, 7, 1))
    Succession.objects.create(predecessor=came_from, successor=commune, effective=date(2025, 7, 1))
    return commune


def judge(commune: Unit, year: int, unmet: set[str]) -> None:
    """The commune's verdict on each of the 10 criteria as a whole ("N.0"), as the demo records them."""
    for crit in get_catalog().get(SET_2026).criteria:
        record(commune, SET_2026, f"{crit.code}.0", year, verdict=crit.code not in unmet, refresh=False)


def build_new_province(communes: int) -> tuple[Unit, list[Unit]]:
    """Communes of a province formed on 1/7/2025, each from a commune of one of two former districts, by a
    pattern of four: all 10 met both years; all met in 2026, criterion 3 lost in 2027; 9/10 both years;
    no figures."""
    province = Unit.objects.create(key=f"p{next(_codes)}-2025", code="80", name="Tây Ninh", division_type="tỉnh",
                                   kind=Kind.PROVINCE, valid_from=date(2025, 7, 1))
    old_province = build_province("Long An")
    districts = [build_district("Tân Trụ", old_province), build_district("Cần Đước", old_province)]
    made = []
    for n in range(communes):
        old = build_commune(f"Cũ {n}", districts[n % 2])
        commune = build_new_commune(f"Mới {n:02d}", province, GROUPS[n % 3], old)
        kind = n % 4
        if kind == 0:
            judge(commune, 2026, set())
            judge(commune, 2027, set())
        elif kind == 1:
            judge(commune, 2026, set())
            judge(commune, 2027, {"3"})
        elif kind == 2:
            judge(commune, 2026, {"7"})
            judge(commune, 2027, {"7"})
        made.append(commune)
    refresh_results(2026)
    refresh_results(2027)
    return province, made


@pytest.fixture
def new_province(db):
    return build_new_province(8)


@pytest.fixture
def office(client, new_province):
    client.force_login(build_user("vpdp.tayninh.test", Role.PROVINCE_OFFICE, new_province[0]))
    return client


def page(client, province: Unit, **params):
    return client.get(reverse("evaluation:province", args=[province.key]), {"level": "ntm", "year": 2027, **params})


# --- The summary -------------------------------------------------------------------------------------------

class TestSummary:
    def test_counts_each_commune_once_by_standing(self, office, new_province):
        text = text_of(page(office, new_province[0]))

        assert "8 xã, 2 xã đủ tiêu chí NTM trở lên (25 %); bình quân 9,3/10 tiêu chí" in text  # 56/6, Vietnamese format
        assert "Đủ tiêu chí NTM: 2" in text and "Chưa đủ tiêu chí: 4" in text and "Chưa có số liệu: 2" in text

    def test_counts_by_group_and_by_former_district(self, office, new_province):
        html = page(office, new_province[0]).content.decode()
        by_group = re.search(r'<table class="tally" id="by-group">.*?</table>', html, re.S).group(0)
        by_district = re.search(r'<table class="tally" id="by-district">.*?</table>', html, re.S).group(0)

        def row(table: str, attr: str, key: str) -> list[str]:
            found = re.search(rf'<tr data-{attr}="{key}">(.*?)</tr>', table, re.S)
            assert found, (attr, key)
            cells = found.group(1)
            return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)]

        # G1: communes 0, 3, 6 → reached, no figures, not reached (9/10)
        assert row(by_group, "group", "G1")[:4] == ["3", "1", "1", "1"]  # n; NTM, not reached, no figures
        assert "Theo huyện cũ" in html
        tan_tru = Unit.objects.get(name="Tân Trụ", kind=Kind.DISTRICT)
        assert row(by_district, "district", tan_tru.key)[0] == "4"  # the even communes came from Tân Trụ

    def test_says_which_communes_lost_a_criterion_since_last_year(self, office, new_province):
        response = page(office, new_province[0])
        text = text_of(response)

        assert "2 xã mất ít nhất một tiêu chí đã đạt năm 2026 (so được 6 xã có kết quả cả hai năm)" in text
        lost = page(office, new_province[0], lost="1")
        assert sorted(listed(lost.content.decode())) == sorted(c.key for c in new_province[1][1::4])
        assert "TC 3" in text_of(lost)

    def test_says_so_when_the_year_before_has_no_results_of_the_set(self, office, new_province):
        text = text_of(page(office, new_province[0], year=2026))

        assert "Chưa so được tiêu chí mất đi: năm 2025 không có kết quả theo bộ tiêu chí này." in text
        assert "mất ít nhất một tiêu chí" not in text

    def test_ranks_by_criteria_met(self, office, new_province):
        html = page(office, new_province[0]).content.decode()
        keys = listed(html)
        communes = new_province[1]

        assert set(keys[:2]) == {communes[0].key, communes[4].key}  # 10/10 first
        assert set(keys[-2:]) == {communes[3].key, communes[7].key}  # no result last, unranked


class TestFilters:
    @pytest.mark.parametrize(("params", "pattern"), [
        ({"group": "G3"}, lambda n: n % 3 == 2),
        ({"status": "ntm"}, lambda n: n % 4 == 0),
        ({"status": "no_figures"}, lambda n: n % 4 == 3),
        ({"group": "G1", "status": "not_reached"}, lambda n: n % 3 == 0 and n % 4 in (1, 2)),
        ({"q": "moi 05"}, lambda n: n == 5),  # without diacritics
    ])
    def test_the_list_shows_only_the_communes_asked_for(self, office, new_province, params, pattern):
        html = page(office, new_province[0], **params).content.decode()

        expected = {c.key for n, c in enumerate(new_province[1]) if pattern(n)}
        assert set(listed(html)) == expected

    def test_the_former_district_filter_follows_the_lineage(self, office, new_province):
        can_duoc = Unit.objects.get(name="Cần Đước", kind=Kind.DISTRICT)
        html = page(office, new_province[0], district=can_duoc.key).content.decode()

        assert set(listed(html)) == {c.key for c in new_province[1][1::2]}


class TestFullMatrix:
    def test_only_on_demand_and_paged(self, client, db):
        province, communes = build_new_province(60)
        client.force_login(build_user("office.60", Role.PROVINCE_OFFICE, province))

        summary = page(client, province).content.decode()
        assert '<table class="matrix">' not in summary
        assert "Xem bảng đầy đủ xã × tiêu chí" in summary

        first = page(client, province, matrix="1")
        second = page(client, province, matrix="1", page="2")
        assert first.content.decode().count('<td class="status status-') == 50 * 10
        assert len(listed(first.content.decode())) == 50 and len(listed(second.content.decode())) == 10
        assert not set(listed(first.content.decode())) & set(listed(second.content.decode()))

    def test_keeps_the_filters(self, office, new_province):
        html = page(office, new_province[0], group="G3", matrix="1").content.decode()

        assert set(listed(html)) == {c.key for n, c in enumerate(new_province[1]) if n % 3 == 2}


def queries_for(client, url: str, params: dict) -> int:
    """Queries of one request, the catalog's check for new versions included (as when its time to live
    lapses), the session already holding the period."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params)
    recheck()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_the_province_page_needs_the_same_queries_for_4_and_40_communes(client, db):
    counts = []
    for n in (4, 40):
        province, _made = build_new_province(n)
        client.force_login(build_user(f"office.{n}", Role.PROVINCE_OFFICE, province))
        url = reverse("evaluation:province", args=[province.key])
        counts.append(queries_for(client, url, {"level": "ntm", "year": 2027, "group": "G2", "lost": "1"}))

    assert counts[0] == counts[1]
    assert counts[0] <= 25  # request overhead (session, user, roles, alerts…) + unit, period, matrix 6, summary 7


# --- The demo: the new Tây Ninh ------------------------------------------------------------------------------

class TestTheNewTayNinh:
    def test_the_office_sees_the_summary_of_82_communes_by_group(self, client, demo_2026):
        response = logged_in(client, "vpdp.tayninh").get(reverse("evaluation:province", args=[NEW_PROVINCE]))
        text = text_of(response)

        assert len(response.content) < 150_000
        assert "82 xã" in text and "Theo nhóm xã" in text and "Theo huyện cũ" in text
        assert "2 xã đặt mục tiêu NTM" in text  # Nhựt Tảo and Tân Trụ, 2026
        assert re.search(r"Nhựt Tảo ★ Xã điểm dữ liệu minh họa 9/10", text)

    def test_group_3_lists_only_group_3_communes(self, client, demo_2026):
        url = reverse("evaluation:province", args=[NEW_PROVINCE])
        html = logged_in(client, "vpdp.tayninh").get(url, {"group": "G3"}).content.decode()

        group_3 = set(Unit.objects.filter(parent__key=NEW_PROVINCE, kind=Kind.COMMUNE, commune_group="G3")
                      .values_list("key", flat=True))
        assert group_3 and set(listed(html)) == group_3

    def test_long_an_2024_says_how_many_communes_have_no_figures(self, client, demo_2026):
        url = reverse("evaluation:province", args=["p80"])
        response = logged_in(client, "vpdp.longan").get(url, {"level": "ntmnc", "year": 2024})
        text = text_of(response)

        assert "Chưa có số liệu: 151" in text and "Theo huyện " in text
        assert len(response.content) < 150_000

    def test_speaks_english(self, client, demo_2026):
        office = logged_in(client, "vpdp.tayninh")
        with translation.override("en"):
            url = reverse("evaluation:province", args=[NEW_PROVINCE])
        text = text_of(office.get(url, {"level": "ntm", "year": 2026}, HTTP_ACCEPT_LANGUAGE="en"))

        assert "Summary" in text and "By commune group" in text and "Group 3" in text
        assert "Meets all NTM criteria" in text
        assert "Cannot tell which criteria were lost: 2025 has no results for this set." in text


# --- The national view ---------------------------------------------------------------------------------------

class TestNational:
    def test_one_row_per_province_in_force_with_its_communes(self, client, demo_2026):
        response = logged_in(client, "quantri").get(reverse("evaluation:national"), {"level": "ntm", "year": 2026})
        html = response.content.decode()
        text = text_of(response)

        assert re.findall(r'<tr data-province="([\w-]+)">', html) == [NEW_PROVINCE]  # not Long An of 2024
        assert "Tỉnh Tây Ninh 82" in text
        assert reverse("evaluation:province", args=[NEW_PROVINCE]) in html

    def test_the_administrator_is_offered_it_and_an_office_is_not(self, client, demo_2026):
        admin_home = logged_in(client, "quantri").get(reverse("evaluation:home")).content.decode()
        assert reverse("evaluation:national") in admin_home

        office = logged_in(client, "vpdp.tayninh")
        assert reverse("evaluation:national") not in office.get(reverse("evaluation:home")).content.decode()
        assert office.get(reverse("evaluation:national")).status_code == 403

    def test_needs_the_same_queries_for_4_and_44_communes(self, client, db):
        client.force_login(build_user("root.q", Role.ADMIN, None))
        counts = []
        for n in (4, 40):  # the second province adds 40 communes to the country
            build_new_province(n)
            counts.append(queries_for(client, reverse("evaluation:national"), {"level": "ntm", "year": 2027}))

        assert counts[0] == counts[1]
        assert counts[0] <= 16  # request overhead + years, provinces, communes, standings 2, results
