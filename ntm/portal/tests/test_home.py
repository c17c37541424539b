"""The public home page: each district's progress as a provincial portal publishes it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ntm.portal import selectors
from ntm.units.models import Recognition, Unit


def home(client, **extra):
    return client.get(reverse("portal:home"), **extra)


def section(html: str, key: str) -> str:
    match = re.search(rf'<section class="area" id="area-{key}".*?</section>', html, re.S)
    assert match, f"no section for {key}"
    return match.group(0)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.django_db
class TestHomePage:
    def test_is_public_and_explains_the_programme(self, client, demo):
        response = home(client)

        assert response.status_code == 200
        assert "“15/19” nghĩa là xã đã đạt 15 trong 19 tiêu chí" in response.content.decode()
        assert 'href="/accounts/login/"' in response.content.decode()

    def test_shows_tan_trus_progress_at_the_level_its_communes_are_targeted_at(self, client, demo):
        area = text(section(home(client).content.decode(), "d805"))

        assert "Huyện Tân Trụ · Tỉnh Long An" in area
        assert "Tiến độ theo tiêu chí NTMNC năm 2024" in area
        assert "Số xã có kết quả 9" in area
        assert "Xã đạt đủ tiêu chí NTM 9 /9" in area
        assert "Xã đạt đủ tiêu chí NTMNC 0 /9" in area
        assert "Bình quân tiêu chí NTMNC đạt 12,9 /19" in area

    def test_lists_the_four_pilot_communes_with_their_score(self, client, demo):
        area = section(home(client).content.decode(), "d805")

        assert 'data-pilots="4"' in area
        assert "4 xã điểm" in area
        assert re.search(r"Quê Mỹ Thạnh</span> <strong>15/19</strong>", area)
        assert re.search(r"Bình Trinh Đông</span> <strong>13/19</strong>", area)
        assert "Lạc Tấn" not in area  # targeted for 2025, not 2024

    def test_shows_the_districts_own_criteria_and_target(self, client, demo):
        area = text(section(home(client).content.decode(), "d805"))

        assert "Bộ tiêu chí NTMNC cấp huyện: 7/10" in area
        assert "Mục tiêu: NTMNC 2024" in area

    def test_says_so_when_nothing_is_recognised(self, client, demo):
        area = section(home(client).content.decode(), "d805")

        assert "Chưa có quyết định công nhận nào được ghi nhận" in area

    def test_lists_live_recognitions_with_their_decision_but_not_revoked_ones(self, client, demo):
        qmt, btd = Unit.objects.get(key="c28084"), Unit.objects.get(key="c28090")
        Recognition.objects.create(unit=qmt, level="ntm", year=2019, decision="QĐ 1234/QĐ-UBND", is_demo=True)
        Recognition.objects.create(unit=btd, level="ntm", year=2018, decision="QĐ 999/QĐ-UBND",
                                   revoked_on="2023-01-01")

        area = text(section(home(client).content.decode(), "d805"))

        assert "Xã Quê Mỹ Thạnh dữ liệu minh họa NTM 2019 QĐ 1234/QĐ-UBND" in area
        assert "999/QĐ-UBND" not in area

    def test_marks_demo_data_in_words_not_read_as_a_model_commune(self, client, demo):
        area = section(home(client).content.decode(), "d805")
        assert "Dữ liệu minh họa" in area
        assert ">mẫu<" not in area  # "mẫu" alone was read as "kiểu mẫu" (model commune)

    def test_publishes_no_people_and_no_evidence_notes(self, client, demo):
        html = home(client).content.decode()

        for private in ("Số liệu mẫu (demo) minh họa", "UBND xã (tự đánh giá)", "Nguyễn Văn An",
                        "Phạm Thị Dung", "Nghị quyết số 55-NQ/HU"):
            assert private not in html

    def test_without_results_says_nothing_is_published_yet(self, client, db):
        assert "Chưa có kết quả đánh giá nào được công bố." in home(client).content.decode()

    def test_renders_in_english_on_a_first_visit_from_an_english_browser(self, client, demo):
        html = home(client, HTTP_ACCEPT_LANGUAGE="en", follow=True).content.decode()

        assert '<html lang="en">' in html
        assert "Progress in building new-rural areas" in html
        assert "Demo data" in html

    def test_a_chosen_language_wins_over_the_browsers(self, client, demo):
        client.cookies["django_language"] = "vi"

        response = home(client, HTTP_ACCEPT_LANGUAGE="en")

        assert response.status_code == 200
        assert '<html lang="vi">' in response.content.decode()


@pytest.mark.django_db
def test_progress_needs_the_same_queries_however_many_districts(demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        areas = selectors.public_progress()

    assert [a.key for a in areas] == ["d805"]
    assert areas[0].levels[1].level == "ntmnc" and areas[0].levels[1].reached == 0


@pytest.mark.django_db
def test_the_home_page_needs_a_fixed_number_of_queries(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        home(client)


@pytest.mark.django_db
def test_a_second_visit_reads_only_the_results_generation(client, demo, django_assert_num_queries):
    home(client)

    with django_assert_num_queries(1):
        response = home(client)

    assert "Quê Mỹ Thạnh" in response.content.decode()


@pytest.mark.django_db
def test_a_new_recognition_shows_although_the_page_was_cached(client, demo):
    home(client)
    Recognition.objects.create(unit=Unit.objects.get(key="c28084"), level="ntm", year=2019, decision="QĐ 77/QĐ-UBND")

    assert "QĐ 77/QĐ-UBND" in section(home(client).content.decode(), "d805")


@pytest.mark.django_db
def test_results_written_by_an_evaluation_show_although_the_page_was_cached(client, demo):
    from ntm.evaluation.actions import refresh_results
    from ntm.evaluation.models import UnitResult

    assert "Số xã có kết quả 9" in text(section(home(client).content.decode(), "d805"))
    UnitResult.objects.filter(unit__key="c28084").delete()  # as if never evaluated, then evaluated again

    refresh_results(2024, communes=[Unit.objects.get(key="c28084").pk])

    assert "Số xã có kết quả 9" in text(section(home(client).content.decode(), "d805"))
    assert "Quê Mỹ Thạnh</span> <strong>15/19</strong>" in section(home(client).content.decode(), "d805")


@pytest.fixture
def national(monkeypatch):
    """The home page of an installation with more districts than it opens at once."""
    from ntm.portal import views

    monkeypatch.setattr(views, "OPEN_AREAS", 0)


@pytest.mark.django_db
class TestNationalHomePage:
    def test_lists_provinces_with_their_figures_and_no_district_sections(self, client, demo, national):
        html = home(client).content.decode()

        long_an = re.search(r'<details class="province" id="province-p80".*?</details>', html, re.S).group(0)
        assert "Tỉnh Long An đến 30/06/2025 · 1 huyện · 9 xã có kết quả · 9/9 xã đạt đủ tiêu chí NTM" in text(long_an)
        assert '<section class="area"' not in html

    def test_a_province_opens_its_districts_in_place_or_on_a_page_of_its_own(self, client, demo, national):
        long_an = re.search(r'<details class="province" id="province-p80".*?</details>', home(client).content.decode(),
                            re.S).group(0)
        assert 'hx-get="/area/p80/" hx-trigger="toggle once"' in long_an
        assert '<a href="/area/p80/">' in long_an  # without JavaScript

        fragment = client.get("/area/p80/", HTTP_HX_REQUEST="true").content.decode()
        page = client.get("/area/p80/").content.decode()

        assert fragment.lstrip().startswith('<section class="area" id="area-d805"')
        assert "Quê Mỹ Thạnh</span> <strong>15/19</strong>" in fragment
        assert "<h1>Tỉnh Long An</h1>" in page and "Quê Mỹ Thạnh</span> <strong>15/19</strong>" in page

    def test_a_district_has_its_page_and_a_province_without_results_says_so(self, client, demo):
        assert "Tiến độ theo tiêu chí NTMNC năm 2024" in text(section(client.get("/area/d805/").content.decode(),
                                                                          "d805"))
        Unit.objects.create(key="p99", code="99", name="Thử", division_type="tỉnh", kind="province")

        assert "Chưa có kết quả đánh giá nào được công bố." in client.get("/area/p99/").content.decode()
        assert client.get("/area/nowhere/").status_code == 404

    def test_stays_small_and_in_english_too(self, client, demo, national):
        html = client.get("/en/").content.decode()

        assert "9/9 communes meet every NTM criterion" in text(html)
        assert len(html) < 150_000
