"""Pages, exports and reports open on the latest period with results for the unit (the Tân Trụ demo: 2024,
advanced level), not on the calendar year; a period chosen on one page is kept on the next."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ntm.evaluation import periods
from ntm.units.models import Unit

from .conftest import build_commune
from .test_overview_pages import logged_in

COMMUNE = "c28084"
DISTRICT = "d805"


def selected(html: str, name: str) -> str:
    """The option a reader sees chosen in the select called `name`."""
    select = re.search(rf'<select name="{name}">(.*?)</select>', html, re.S)
    assert select, f"no {name} select"
    chosen = re.search(r'<option value="([^"]*)"[^>]*\bselected\b', select.group(1))
    assert chosen, f"nothing chosen in {name}"
    return chosen.group(1)


def page(client, name: str, key: str, params: dict | None = None) -> str:
    response = client.get(reverse(name, args=[key]), params or {})
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


@pytest.fixture
def office(client, demo):
    return logged_in(client, "vpdp.tantru")


class TestDefaultsFollowTheData:
    def test_the_district_page_opens_on_2024_advanced(self, office):
        html = page(office, "evaluation:district", DISTRICT)
        assert (selected(html, "level"), selected(html, "year")) == ("ntmnc", "2024")

    def test_the_commune_page_opens_on_2024(self, office):
        html = page(office, "evaluation:commune", COMMUNE)
        assert selected(html, "year") == "2024"
        assert selected(html, "level") == "ntmnc"

    def test_the_criterion_page_opens_on_the_latest_year_of_its_set(self, office):
        response = office.get(reverse("evaluation:criterion", args=[DISTRICT, "commune-ntmnc-2021-2025", "1"]))
        assert response.status_code == 200
        assert selected(response.content.decode(), "year") == "2024"

    def test_the_entry_page_opens_on_2024_and_the_advanced_set(self, office):
        html = page(office, "figures:entry", COMMUNE)
        assert selected(html, "year") == "2024"
        assert selected(html, "set") == "commune-ntmnc-2021-2025"

    def test_the_excel_template_is_for_2024_and_the_advanced_set(self, office):
        response = office.get(reverse("exchange:template", args=[DISTRICT]))
        assert response.status_code == 200
        assert "bieu-nhap-d805-ntmnc-2024.xlsx" in response["Content-Disposition"]
        book = load_workbook(io.BytesIO(response.content))
        titles = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows(max_row=3) for c in row
                          if c.value)
        assert "năm 2024" in titles

    def test_the_commune_report_is_for_2024(self, office):
        response = office.get(reverse("reports:commune", args=[COMMUNE, "docx"]))
        assert response.status_code == 200
        assert "bao-cao-c28084-ntmnc-2024.docx" in response["Content-Disposition"]

    def test_the_upload_page_proposes_2024(self, office):
        html = page(office, "exchange:upload", DISTRICT)
        assert 'name="year" type="number" min="2000" max="2100" value="2024"' in html


class TestTheChoiceIsKept:
    def test_2023_chosen_on_the_district_page_is_kept_on_the_commune_page(self, office):
        html = page(office, "evaluation:district", DISTRICT, {"level": "ntmnc", "year": "2023"})
        assert selected(html, "year") == "2023"

        html = page(office, "evaluation:commune", COMMUNE)
        assert (selected(html, "level"), selected(html, "year")) == ("ntmnc", "2023")
        html = page(office, "figures:entry", COMMUNE)
        assert (selected(html, "set"), selected(html, "year")) == ("commune-ntmnc-2021-2025", "2023")
        response = office.get(reverse("exchange:matrix", args=[DISTRICT]))
        assert "ma-tran-d805-ntmnc-2023.xlsx" in response["Content-Disposition"]

    def test_a_year_alone_keeps_the_level_its_targets_give(self, office):
        page(office, "evaluation:district", DISTRICT, {"year": "2023"})
        html = page(office, "evaluation:commune", COMMUNE)
        assert selected(html, "year") == "2023"

    def test_a_kept_choice_without_data_for_the_unit_is_not_forced_on_it(self, office):
        page(office, "evaluation:district", DISTRICT, {"level": "ntm", "year": "2023"})
        empty = build_commune("Xã Chưa Có Số Liệu", Unit.objects.get(key=DISTRICT))
        html = page(office, "evaluation:commune", empty.key)
        assert selected(html, "year") == str(timezone.localdate().year)
        # the district, which has results for that choice, keeps it
        html = page(office, "evaluation:district", DISTRICT)
        assert (selected(html, "level"), selected(html, "year")) == ("ntm", "2023")


class TestNoResults:
    def test_a_unit_without_results_falls_back_to_the_current_year(self, office):
        empty = build_commune("Xã Chưa Có Số Liệu", Unit.objects.get(key=DISTRICT))
        assert periods.choose(empty) == periods.Period("ntm", timezone.localdate().year)
        html = page(office, "evaluation:commune", empty.key)
        assert (selected(html, "level"), selected(html, "year")) == ("ntm", str(timezone.localdate().year))

    def test_two_queries_whatever_the_number_of_communes(self, demo, django_assert_max_num_queries):
        district = Unit.objects.get(key=DISTRICT)
        with django_assert_max_num_queries(2):
            assert periods.choose(district) == periods.Period("ntmnc", 2024)


class TestTheNewProvince:
    def test_the_new_tay_ninh_opens_on_2026_while_tan_tru_stays_on_2024(self, client, demo_2026):
        office = logged_in(client, "vpdp.tayninh")
        html = page(office, "evaluation:province", "p80-2025")
        assert (selected(html, "level"), selected(html, "year")) == ("ntm", "2026")

        tantru = logged_in(client, "vpdp.tantru")
        html = page(tantru, "evaluation:district", DISTRICT)
        assert (selected(html, "level"), selected(html, "year")) == ("ntmnc", "2024")
