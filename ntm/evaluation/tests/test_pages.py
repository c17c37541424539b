"""The district and commune pages, through the Django test client, logged in as the district office."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation

from ntm.accounts.models import Role
from ntm.evaluation.actions import refresh_results
from ntm.figures.models import Figure
from ntm.units.models import Succession

from .conftest import NTMNC, YEAR, build_commune, build_district, build_user, meet_criteria, record, target


def district_page(client, district, **params):
    return client.get(reverse("evaluation:district", args=[district.key]), params)


def commune_page(client, commune, **params):
    return client.get(reverse("evaluation:commune", args=[commune.key]), params)


def row_of(html: str, commune_key: str) -> str:
    match = re.search(rf'<tr data-commune="{commune_key}">(.*?)</tr>', html, re.S)
    assert match, f"no row for {commune_key}"
    return match.group(1)


def cell_labels(row: str) -> list[str]:
    return re.findall(r'<td class="status status-\w+"[^>]*>.*?<span class="visually-hidden">([^<]*)</span>', row)


@pytest.mark.django_db
class TestDistrictPage:
    def test_shows_each_communes_met_count_out_of_the_sets_criteria(self, office, tan_tru, que_my_thanh,
                                                                     binh_trinh_dong):
        html = district_page(office, tan_tru).content.decode()

        assert "9/19" in row_of(html, que_my_thanh.key)
        assert "4/19" in row_of(html, binh_trinh_dong.key)

    def test_each_cell_says_its_status_in_words(self, office, tan_tru, que_my_thanh):
        labels = cell_labels(row_of(district_page(office, tan_tru).content.decode(), que_my_thanh.key))

        assert labels[:9] == ["Đạt"] * 9
        assert labels[9] == "Chưa đạt"  # income 68,2 < 75
        assert labels[10] == "Chưa có số liệu"
        assert len(labels) == 19

    def test_defaults_to_the_level_its_communes_are_targeted_at_and_the_latest_year(self, office, tan_tru,
                                                                                     que_my_thanh):
        response = district_page(office, tan_tru)

        assert response.context["matrix"].level == "ntmnc"
        assert response.context["matrix"].year == YEAR

    def test_marks_the_pilot_commune_its_target_and_provisional_results(self, office, tan_tru, que_my_thanh):
        row = row_of(district_page(office, tan_tru).content.decode(), que_my_thanh.key)

        assert "NTMNC 2024" in row
        assert "Xã điểm" in row
        assert 'class="marker-provisional"' in row

    def test_demo_figures_raise_the_demo_badge(self, office, tan_tru):
        commune = build_commune("Bình Lãng", tan_tru)
        record(commune, NTMNC, "2.0", YEAR, verdict=True, is_demo=True)

        html = district_page(office, tan_tru, level="ntmnc", year=YEAR).content.decode()

        assert "Dữ liệu mẫu" in html

    def test_real_figures_show_no_demo_badge(self, office, tan_tru, que_my_thanh):
        assert "Dữ liệu mẫu" not in district_page(office, tan_tru).content.decode()

    def test_a_level_without_a_criteria_set_says_so(self, office, tan_tru, que_my_thanh):
        html = district_page(office, tan_tru, level="ntmnc", year=2019).content.decode()

        assert "Chưa có bộ tiêu chí NTMNC áp dụng cho xã trong năm 2019" in html

    def test_shows_in_english_after_switching_language(self, office, tan_tru, que_my_thanh):
        url = reverse("evaluation:district", args=[tan_tru.key])

        html = office.post(reverse("set_language"), {"language": "en", "next": url}, follow=True).content.decode()

        assert '<html lang="en">' in html
        assert "Income" in html  # criterion 10's English name
        assert "Not met" in html

    def test_unknown_district_is_not_found(self, office):
        assert office.get(reverse("evaluation:district", args=["d00000"])).status_code == 404

    def test_a_commune_key_is_not_a_district(self, office, que_my_thanh):
        assert district_page(office, que_my_thanh).status_code == 404

    @pytest.mark.parametrize("communes", [3, 30])
    def test_district_matrix_needs_the_same_queries(self, office, tan_tru, communes,
                                                     django_assert_max_num_queries):
        for n in range(communes):
            commune = build_commune(f"Xã {n}", tan_tru)
            target(commune, is_demo=n == 0)
            meet_criteria(commune, n % 19)
            record(commune, NTMNC, "10.1", YEAR, value=60 + n, refresh=False)
        refresh_results(YEAR)

        # session, user, roles, unread alerts, unit, the cache's two tokens + 8
        with django_assert_max_num_queries(15):
            response = district_page(office, tan_tru)

        assert response.status_code == 200
        assert response.context["matrix"].hard_criteria  # the panel and the change column come free

    @pytest.mark.parametrize("communes", [3, 30])
    def test_province_overview_and_pilot_filter_need_the_same_queries(self, client, tan_tru, communes,
                                                                       django_assert_max_num_queries):
        for n in range(communes):
            commune = build_commune(f"Xã {n}", tan_tru)
            if n % 2:  # every other commune is a pilot
                target(commune)
            meet_criteria(commune, n % 19)
            meet_criteria(commune, n % 19, year=YEAR - 1)
        refresh_results(YEAR - 1)
        refresh_results(YEAR)
        client.force_login(build_user("vpdp.longan", Role.PROVINCE_OFFICE, tan_tru.parent))
        url = reverse("evaluation:province", args=[tan_tru.parent.key])

        # The district page's 15 + the province summary's 6, + the province office's second factor (its
        # device; the session saved: savepoint, update, release) + the catalog's check when its time to live lapsed
        with django_assert_max_num_queries(26):
            response = client.get(url, {"pilot": "1"})

        assert len(response.context["matrix"].rows) == communes // 2


def main_part(html: bytes) -> str:
    """What the page shows in <main>, without the CSRF tokens of its forms (they change on every request)."""
    main = html.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', main)


@pytest.mark.django_db
class TestCachedParts:
    """The district and province pages keep their body (the same for every reader) in the cache: a repeated
    request reads it, any change of the data shows at once, and what depends on the reader never leaks."""

    def test_a_repeated_request_reads_the_cached_body(self, office, tan_tru, que_my_thanh,
                                                      django_assert_max_num_queries):
        first = district_page(office, tan_tru)

        with django_assert_max_num_queries(9):  # session, user, roles, alerts, unit, period, tokens
            again = district_page(office, tan_tru)

        assert main_part(again.content) == main_part(first.content)

    def test_new_results_show_at_once(self, office, tan_tru, que_my_thanh):
        assert "9/19" in row_of(district_page(office, tan_tru).content.decode(), que_my_thanh.key)

        Figure.objects.filter(unit=que_my_thanh, indicator="10.1").update(superseded_at=timezone.now())
        record(que_my_thanh, NTMNC, "10.1", YEAR, value="80")  # income now above 75: criterion 10 met

        assert "10/19" in row_of(district_page(office, tan_tru).content.decode(), que_my_thanh.key)

    def test_a_change_that_leaves_results_alone_shows_at_once(self, office, tan_tru, que_my_thanh):
        assert "Quê Mỹ Thạnh" in district_page(office, tan_tru).content.decode()

        que_my_thanh.name = "Mỹ Thạnh Mới"
        que_my_thanh.save()  # audited, no result changes

        html = district_page(office, tan_tru).content.decode()
        assert "Mỹ Thạnh Mới" in row_of(html, que_my_thanh.key)

    def test_links_that_depend_on_the_reader_are_not_cached(self, client, office, tan_tru, que_my_thanh):
        overdue = reverse("workflow:overdue", args=[tan_tru.key])
        assert overdue in district_page(office, tan_tru).content.decode()  # the office's link, now cached

        client.force_login(build_user("so.nn", Role.DEPARTMENT, tan_tru.parent, department="agriculture"))
        html = district_page(client, tan_tru).content.decode()

        assert "9/19" in row_of(html, que_my_thanh.key)
        assert overdue not in html

    def test_the_national_link_is_the_readers_own(self, client, tan_tru, que_my_thanh):
        url = reverse("evaluation:province", args=[tan_tru.parent.key])
        national = reverse("evaluation:national")
        client.force_login(get_user_model().objects.create_superuser("admin.cache", password="-"))
        assert national in client.get(url).content.decode()

        client.force_login(build_user("vpdp.longan", Role.PROVINCE_OFFICE, tan_tru.parent))
        html = client.get(url).content.decode()

        assert que_my_thanh.key in html and national not in html

    def test_a_reader_of_another_area_is_refused_though_the_body_is_cached(self, client, office, tan_tru,
                                                                          que_my_thanh):
        assert district_page(office, tan_tru).status_code == 200
        other = build_district("Tân Thạnh", tan_tru.parent)
        client.force_login(build_user("vpdp.tanthanh", Role.DISTRICT_OFFICE, other))

        assert district_page(client, tan_tru).status_code in (403, 404)


@pytest.mark.django_db
class TestCommunePage:
    def test_shows_value_threshold_and_gap_in_plain_words(self, office, que_my_thanh):
        html = commune_page(office, que_my_thanh).content.decode()

        assert "68,2 triệu đồng/người/năm" in html
        assert "≥ 75 triệu đồng/người/năm" in html
        assert "68,2 / 75 triệu đồng/người/năm: còn thiếu 6,8" in html

    def test_marks_the_threshold_as_provisional_with_the_region_and_year(self, office, que_my_thanh):
        html = commune_page(office, que_my_thanh).content.decode()

        assert "tạm tính" in html
        assert "Đồng bằng sông Cửu Long, 2024" in html
        assert "Có kết quả dựa trên ngưỡng tạm tính" in html

    def test_shows_the_met_count_and_the_source_note(self, office, que_my_thanh):
        html = commune_page(office, que_my_thanh).content.decode()

        assert "9/19" in html
        assert "Báo cáo thống kê xã 2024" in html

    def test_a_missing_official_threshold_is_said_as_missing(self, office, tan_tru):
        commune = build_commune("Bình Tịnh", tan_tru, region="DBSH")
        record(commune, NTMNC, "10.1", YEAR, value="80")

        html = commune_page(office, commune, level="ntmnc", year=YEAR).content.decode()

        assert "chưa có ngưỡng chính thức" in html
        assert "318/QĐ-TTg" in html

    def test_uses_english_number_format_in_english(self, office, que_my_thanh):
        with translation.override("en"):
            url = reverse("evaluation:commune", args=[que_my_thanh.key])

        html = office.get(url, {"level": "ntmnc", "year": YEAR}).content.decode()

        assert "68.2 / 75 million VND/person/year: short by 6.8" in html

    def test_tells_what_the_commune_became_after_the_merger(self, office, tan_tru, que_my_thanh):
        nhut_tao = build_commune("Nhựt Tảo", tan_tru)
        Succession.objects.create(predecessor=que_my_thanh, successor=nhut_tao,
                                  effective="2025-07-01", partial=True)

        html = commune_page(office, que_my_thanh).content.decode()

        assert "Sau ngày 1/7/2025, xã này trở thành:" in html
        assert "Xã Nhựt Tảo" in html
        assert "một phần" in html

    def test_unknown_commune_is_not_found(self, office):
        assert office.get(reverse("evaluation:commune", args=["c00000"])).status_code == 404


@pytest.mark.django_db
def test_home_links_to_districts_with_results(office, tan_tru, que_my_thanh):
    html = office.get(reverse("evaluation:home")).content.decode()

    assert "Tỉnh Long An" in html
    assert reverse("evaluation:district", args=[tan_tru.key]) in html
