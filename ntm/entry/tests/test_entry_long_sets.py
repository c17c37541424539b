"""The entry page for long sets: who edits which row, the list to jump to, the filters, the set and year lists
a commune's data open on, drafts sent twice, and human labels."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ntm.figures.actions import FigureInput, record_figure
from ntm.figures.models import Figure
from ntm.units.models import Unit

NTMNC = "commune-ntmnc-2021-2025"
QMT = "c28084"


def user(name: str):
    return get_user_model().objects.get(username=name)


def entry(client, query: str = f"year=2024&set={NTMNC}", key: str = QMT) -> str:
    response = client.get(f"{reverse('figures:entry', args=[key])}?{query}")
    assert response.status_code == 200
    return response.content.decode()


def post(client, code: str, year: int = 2024, **fields):
    prefix = "i" + code.replace(".", "_")
    data = {f"{prefix}-{name}": value for name, value in fields.items()}
    return client.post(reverse("figures:save", args=[QMT, NTMNC, code, year]), data, headers={"HX-Request": "true"})


def current(code: str, year: int = 2024) -> Figure | None:
    return Figure.objects.filter(unit__key=QMT, criteria_set=NTMNC, indicator=code, year=year,
                                 superseded_at=None).first()


def rows(html: str) -> list[str]:
    return re.findall(r'class="entry-row[^"]*" id="row-[^"]+" data-indicator="([^"]+)"', html)


def test_health_office_edits_the_insurance_rate_of_its_criterion_and_not_another_field(client, demo):
    client.force_login(user("phong.yte"))
    html = entry(client)
    assert 'name="i14_1-value"' in html and 'name="i14_0-verdict"' in html
    assert 'name="i10_1-value"' not in html
    shown = current("14.1")
    response = post(client, "14.1", value="96,5", expected_current=shown.pk if shown else "")
    assert response.status_code == 200 and "entry-row-saved" in response.content.decode()
    assert current("14.1").value == Decimal("96.5")
    assert post(client, "10.1", value="80").status_code == 403


def test_jump_list_names_every_criterion_and_links_to_its_section(client, demo):
    client.force_login(user("canbo.quemythanh"))
    html = entry(client)
    jump = html[html.index('class="entry-jump"'):html.index('class="entry-sections"')]
    assert jump.count('href="#tc-') == 19
    assert 'href="#tc-10"' in jump and "Thu nhập" in jump
    assert 'id="tc-10"' in html


def test_filters_show_only_unmet_rows_and_rows_without_data(client, demo):
    client.force_login(user("canbo.quemythanh"))
    unmet = rows(entry(client, f"year=2024&set={NTMNC}&show=unmet"))
    assert "10.1" in unmet and len(unmet) < 25
    Figure.objects.filter(unit__key=QMT, criteria_set=NTMNC, indicator="10.1", year=2024).delete()
    assert rows(entry(client, f"year=2024&set={NTMNC}&show=nodata")) == ["10.1"]
    assert len(rows(entry(client, f"year=2024&set={NTMNC}&show=bogus"))) == 25  # unknown filter: every row


def test_mine_lists_what_is_assigned_to_the_user_and_is_offered_only_then(client, demo):
    from ntm.workflow.models import Assignment

    official = user("canbo.quemythanh")
    client.force_login(official)
    assert "show=mine" not in entry(client)
    Assignment.objects.create(unit=Unit.objects.get(key=QMT), criteria_set=NTMNC, year=2024, criterion="10",
                              responsible=official, created_at="2024-03-01T00:00Z")
    html = entry(client)
    assert "show=mine" in html and "Việc của tôi" in html
    assert rows(entry(client, f"year=2024&set={NTMNC}&show=mine")) == ["10.1"]


def test_set_list_starts_with_the_level_the_data_open_on_and_years_skip_none(client, demo):
    client.force_login(user("canbo.quemythanh"))
    html = entry(client, "year=2024")
    sets = re.search(r'<select name="set">(.*?)</select>', html, re.S).group(1)
    options = re.findall(r"<option[^>]*>([^<]+)", sets)
    assert "NTMNC" in options[0] and "kiểu mẫu" not in options[0]
    years = [int(y) for y in re.findall(r"<option value=\"(\d{4})\"", html)]
    assert years == list(range(max(years), min(years) - 1, -1))  # newest first, none skipped
    assert 2025 in years  # Quê Mỹ Thạnh existed until 1/7/2025


def test_a_set_not_in_force_in_the_year_chosen_gives_way_to_its_levels_set(client, demo_2026):
    client.force_login(user("canbo.nhuttao"))
    html = entry(client, "year=2026&set=commune-ntm-2021-2025", key="c28087-2025")
    assert "51/2025/QĐ-TTg" in html


def test_a_draft_sent_again_after_its_first_send_arrived_is_answered_as_saved(client, demo):
    client.force_login(user("canbo.quemythanh"))
    seen = current("10.1").pk
    assert "entry-row-saved" in post(client, "10.1", value="77", expected_current=seen).content.decode()
    again = post(client, "10.1", value="77", expected_current=seen).content.decode()  # the answer was lost
    assert "entry-row-saved" in again and "entry-row-stale" not in again
    assert Figure.objects.filter(unit__key=QMT, indicator="10.1", year=2024, value=Decimal("77")).count() == 1


def test_a_draft_sent_again_after_someone_else_saved_is_a_conflict(client, demo):
    seen = current("10.1").pk
    record_figure(FigureInput(unit=Unit.objects.get(key=QMT), criteria_set=NTMNC, indicator="10.1", year=2024,
                              value=Decimal("70")), by=user("vpdp.tantru"))
    client.force_login(user("canbo.quemythanh"))
    response = post(client, "10.1", value="77", expected_current=seen)
    assert "entry-row-stale" in response.content.decode() and response.status_code in (200, 409)
    assert current("10.1").value == Decimal("70")


def test_the_page_carries_what_drafts_need_and_its_script_is_a_file(client, demo):
    official = user("canbo.quemythanh")
    client.force_login(official)
    html = entry(client)
    assert f'data-draft-key="ntm-draft:{official.pk}:{QMT}:{NTMNC}:2024:"' in html
    assert "figures/entry-drafts.js" in html and "<script>" not in html.split("<main", 1)[1]
    assert 'data-draft-status' in html and "Chưa lưu" in html


@pytest.mark.parametrize(("language", "title"), [("vi", "nông thôn mới nâng cao"), ("en", "advanced")])
def test_history_is_headed_by_the_sets_title_not_its_id(client, demo, language, title):
    client.force_login(user("canbo.quemythanh"))
    prefix = "/en" if language == "en" else ""
    html = client.get(f"{prefix}{reverse('figures:history', args=[QMT, NTMNC, '10.1', 2024])}").content.decode()
    head = re.search(r'<p class="set-name">(.*?)</p>', html).group(1)
    assert title in head.lower() and NTMNC not in head and "318/QĐ-TTg" in head
