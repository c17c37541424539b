"""The overview, criterion and commune pages on the Tân Trụ demo, as each demo user sees them."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from .conftest import NTMNC

NTMNC_2024 = {"level": "ntmnc", "year": 2024}
PILOTS = ["Quê Mỹ Thạnh", "Bình Lãng", "Bình Trinh Đông", "Bình Tịnh"]


def logged_in(client, username: str):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def text_of(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def commune_rows(html: str) -> list[str]:
    return re.findall(r'<tr data-commune="(\w+)">', html)


def hard_panel(html: str) -> str:
    match = re.search(r'<section class="hard-criteria".*?</section>', html, re.S)
    assert match, "no hard-criteria panel"
    return match.group(0)


@pytest.fixture
def office(client, demo):
    return logged_in(client, "vpdp.tantru")


class TestDistrictOverview:
    def test_the_pilot_filter_shows_only_the_four_pilot_communes(self, office):
        url = reverse("evaluation:district", args=["d805"])

        everyone = office.get(url, NTMNC_2024).content.decode()
        pilots = office.get(url, {**NTMNC_2024, "pilot": "1"}).content.decode()

        assert len(commune_rows(everyone)) == 9
        assert len(commune_rows(pilots)) == 4
        assert all(name in pilots for name in PILOTS)
        assert "Nhựt Ninh" not in pilots
        assert 'name="pilot" value="1" checked' in pilots

    def test_the_hard_criteria_panel_leads_with_planning_and_production_failing_everywhere(self, office):
        html = office.get(reverse("evaluation:district", args=["d805"]), NTMNC_2024).content.decode()
        panel = hard_panel(html)
        order = re.findall(r'<li data-criterion="([\w.]+)">', panel)
        counts = dict(zip(order, re.findall(r'class="hard-count">([^<]*)<', panel), strict=True))

        assert counts["1"] == "9/9 xã chưa đạt"
        assert counts["13"] == "9/9 xã chưa đạt"
        assert {"1", "13"} <= set(order[:3])
        assert counts[order[-1]] != "9/9 xã chưa đạt"  # sorted: most communes first

    def test_the_change_since_2023_for_que_my_thanh_is_spelled_out(self, office):
        html = office.get(reverse("evaluation:district", args=["d805"]), NTMNC_2024).content.decode()
        row = re.search(r'<tr data-commune="c28084">(.*?)</tr>', html, re.S).group(1)
        change = re.search(r'<td class="change change-(\w+)" title="([^"]*)"><span aria-hidden="true">([^<]*)<',
                           row)

        direction, title, text = change.groups()
        assert direction == "up"
        assert text.startswith("+")
        assert "so với năm 2023" in title

    def test_a_year_without_the_year_before_shows_a_dash(self, office):
        html = office.get(reverse("evaluation:district", args=["d805"]), {"level": "ntmnc", "year": 2023})
        row = re.search(r'<tr data-commune="c28084">(.*?)</tr>', html.content.decode(), re.S).group(1)

        assert 'class="change change-none" title="Chưa có kết quả năm 2022 để so sánh"' in row

    def test_criterion_headers_link_to_the_criterion_page(self, office):
        html = office.get(reverse("evaluation:district", args=["d805"]), NTMNC_2024).content.decode()

        assert reverse("evaluation:criterion", args=["d805", NTMNC, "10"]) + "?year=2024" in html

    def test_the_leader_follows_every_criterion_of_every_commune(self, client, demo):
        html = logged_in(client, "lanhdao.tantru").get(reverse("evaluation:district", args=["d805"]),
                                                        NTMNC_2024).content.decode()

        assert len(commune_rows(html)) == 9


class TestProvinceOverview:
    def test_long_an_lists_tan_trus_communes(self, client, demo):
        response = logged_in(client, "vpdp.longan").get(reverse("evaluation:province", args=["p80"]), NTMNC_2024)
        html = response.content.decode()

        assert response.status_code == 200
        assert "Tỉnh Long An" in html
        assert {"c28084", "c28090"} <= set(commune_rows(html))
        assert "15/19" in re.search(r'<tr data-commune="c28084">(.*?)</tr>', html, re.S).group(1)
        assert "9/9 xã chưa đạt" in hard_panel(html)  # out of the communes evaluated
        assert reverse("evaluation:province_criterion", args=["p80", NTMNC, "10"]) in html

    def test_a_district_key_is_not_a_province(self, client, demo):
        response = logged_in(client, "vpdp.longan").get(reverse("evaluation:province", args=["d805"]))

        assert response.status_code == 404


class TestCriterionPage:
    def test_criterion_10_shows_each_communes_income_gap(self, office):
        url = reverse("evaluation:criterion", args=["d805", NTMNC, "10"])
        text = text_of(office.get(url, {"year": 2024}))

        assert "Tiêu chí 10. Thu nhập" in text
        assert "0/9 xã đạt" in text
        assert "68,2 / 75 triệu đồng/người/năm: còn thiếu 6,8" in text  # Quê Mỹ Thạnh
        assert "71,9 / 75 triệu đồng/người/năm: còn thiếu 3,1" in text  # Bình Lãng
        assert text.count("còn thiếu") == 9

    def test_says_who_entered_each_figure_and_the_evidence(self, office):
        html = office.get(reverse("evaluation:criterion", args=["d805", NTMNC, "10"]), {"year": 2024})

        assert "Số liệu mẫu (demo)" in html.content.decode()

    def test_the_health_department_follows_its_field_across_communes(self, client, demo):
        url = reverse("evaluation:criterion", args=["d805", NTMNC, "14"])
        text = text_of(logged_in(client, "phong.yte").get(url, {"year": 2024}))

        assert "xã đạt" in text
        assert "Quê Mỹ Thạnh" in text and "Nhựt Ninh" in text

    def test_the_health_department_opens_each_communes_entry_at_its_criterion(self, client, demo):
        url = reverse("evaluation:criterion", args=["d805", NTMNC, "14"])
        html = logged_in(client, "phong.yte").get(url, {"year": 2024}).content.decode()
        entry = reverse("figures:entry", args=["c28084"]) + f"?year=2024&amp;set={NTMNC}#tc-14"

        assert entry in html and html.count('class="entry-link"') == 9
        # The link opens, with criterion 14's insurance rate editable for this department.
        page = client.get(entry.replace("&amp;", "&").split("#")[0]).content.decode()
        row = re.search(r'<div class="entry-row([^"]*)" id="[^"]*" data-indicator="14.1"', page)
        assert row and "readonly" not in row.group(1)

    @pytest.mark.parametrize("username", ["lanhdao.tantru", "phong.nongnghiep"])
    def test_no_entry_link_for_who_may_not_record_the_criterion(self, client, demo, username):
        url = reverse("evaluation:criterion", args=["d805", NTMNC, "14"])
        html = logged_in(client, username).get(url, {"year": 2024}).content.decode()

        assert 'class="entry-link"' not in html

    @pytest.mark.parametrize(("set_id", "code"), [(NTMNC, "99"), ("no-such-set", "1")])
    def test_an_unknown_criterion_is_not_found(self, office, set_id, code):
        assert office.get(reverse("evaluation:criterion", args=["d805", set_id, code])).status_code == 404


class TestCommuneProgress:
    def test_embeds_the_chart_data_for_2023_and_2024(self, office):
        html = office.get(reverse("evaluation:commune", args=["c28084"]), NTMNC_2024).content.decode()
        data = json.loads(re.search(r'<script id="progress-data" type="application/json">(.*?)</script>',
                                    html, re.S).group(1))

        assert data["years"] == [2023, 2024]
        assert data["met"][1] == 15
        assert data["total"] == [19, 19]
        assert 'id="progress-chart"' in html
        assert "vendor/chartjs/chart.umd.min.js" in html
        assert "evaluation/progress-chart.js" in html

    def test_repeats_the_chart_as_a_table(self, office):
        text = text_of(office.get(reverse("evaluation:commune", args=["c28084"]), NTMNC_2024))

        assert "Số tiêu chí đạt qua các năm" in text
        assert "2024 15/19" in text

    def test_the_commune_official_sees_the_own_commune(self, client, demo):
        response = logged_in(client, "canbo.quemythanh").get(reverse("evaluation:commune", args=["c28084"]))

        assert response.status_code == 200
        assert reverse("evaluation:district", args=["d805"]) not in response.content.decode()  # not theirs


class TestOverviewIndex:
    def test_the_district_office_is_offered_its_district(self, office):
        html = office.get(reverse("evaluation:home")).content.decode()

        assert reverse("evaluation:district", args=["d805"]) in html
        assert reverse("evaluation:province", args=["p80"]) not in html

    def test_the_province_office_is_offered_its_province_and_districts(self, client, demo):
        html = logged_in(client, "vpdp.longan").get(reverse("evaluation:home")).content.decode()

        assert reverse("evaluation:province", args=["p80"]) in html
        assert reverse("evaluation:district", args=["d805"]) in html

    def test_a_commune_official_is_offered_only_the_own_commune(self, client, demo):
        html = logged_in(client, "canbo.quemythanh").get(reverse("evaluation:home")).content.decode()

        assert reverse("evaluation:commune", args=["c28084"]) in html
        assert reverse("evaluation:commune", args=["c28090"]) not in html
        assert reverse("evaluation:district", args=["d805"]) not in html


PAGES = [
    ("evaluation:district", ["d805"]),
    ("evaluation:province", ["p80"]),
    ("evaluation:criterion", ["d805", NTMNC, "10"]),
    ("evaluation:province_criterion", ["p80", NTMNC, "10"]),
    ("evaluation:commune", ["c28084"]),
]


class TestPermissions:
    @pytest.mark.parametrize(("name", "args"), PAGES)
    def test_an_official_of_the_next_commune_is_refused(self, client, demo, name, args):
        response = logged_in(client, "canbo.binhtrinhdong").get(reverse(name, args=args))

        assert response.status_code == 403

    @pytest.mark.parametrize(("name", "args"), [*PAGES, ("evaluation:home", [])])
    def test_anonymous_visitors_are_sent_to_log_in(self, client, demo, name, args):
        url = reverse(name, args=args)

        response = client.get(url)

        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"

    def test_the_district_office_may_not_open_the_province(self, office):
        assert office.get(reverse("evaluation:province", args=["p80"])).status_code == 403


def test_the_new_panels_speak_english(office):
    from django.utils import translation

    with translation.override("en"):
        url = reverse("evaluation:district", args=["d805"])
    html = office.get(url, NTMNC_2024).content.decode()

    assert "Hard criteria" in html
    assert "9/9 communes not met" in html
    assert "more criteria met than in 2023" in html


def test_the_commune_page_names_who_answers_for_each_criterion(client, demo):
    from django.contrib.auth import get_user_model

    from ntm.workflow.demo import create_demo_assignments

    create_demo_assignments()
    client.force_login(get_user_model().objects.get(username="vpdp.tantru"))
    html = client.get("/commune/c28084/?level=ntmnc&year=2024").content.decode()
    assert "Phụ trách:" in html and "Nguyễn Văn An" in html
