"""The demo continued into 2026: the new Tây Ninh's office sees its whole territory under the 2026–2030 set."""

import re

from django.contrib.auth import get_user_model
from django.urls import reverse

from ntm.evaluation.models import UnitResult
from ntm.figures.models import Figure
from ntm.units.models import Classification, Unit


def page_text(client, username: str, url: str) -> str:
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_province_office_sees_every_commune_of_the_new_province_with_n_of_10(client, demo_2026):
    communes = Unit.objects.filter(parent__key="p80-2025", kind="commune")
    assert communes.count() == 82  # all of the new Tây Ninh, from both former provinces
    url = reverse("evaluation:province", args=["p80-2025"]) + "?level=ntm&year=2026"
    text = page_text(client, "vpdp.tayninh", url)
    assert re.search(r"Nhựt Tảo ★ Xã điểm dữ liệu minh họa 9/10", text)  # targeted for 2026, demo figures, 9 of 10 met
    assert re.search(r"Tân Trụ ★ Xã điểm dữ liệu minh họa 10/10", text)
    assert "51/2025/QĐ-TTg" in text
    results = UnitResult.objects.filter(criteria_set="commune-ntm-2026-2030", year=2026, unit__in=communes)
    assert results.count() == 82
    spread = sorted(r.met for r in results)
    assert spread.count(10) >= 5 and sum(6 <= m <= 9 for m in spread) > len(spread) / 2


def test_nhut_tao_page_shows_its_2026_result_labelled_demo(client, demo_2026):
    url = reverse("evaluation:commune", args=["c28087-2025"]) + "?level=ntm&year=2026"
    text = page_text(client, "canbo.nhuttao", url)
    assert "9/10" in text
    assert "51/2025/QĐ-TTg" in text
    assert "Kết luận của: UBND xã (tự đánh giá, minh họa)" in text  # who judged each criterion
    assert "Số liệu mẫu (demo) minh họa" in text


def test_groups_and_verdicts_say_they_are_illustrative(demo_2026):
    unit = Unit.objects.get(key="c28087-2025")
    assert unit.commune_group == "G2"
    record = Classification.objects.get(unit=unit, attribute="commune_group", superseded_at__isnull=True)
    assert "minh họa" in record.decision_number and "demo" in record.decision_issuer
    figures = Figure.objects.filter(unit=unit, criteria_set="commune-ntm-2026-2030", superseded_at__isnull=True)
    assert figures.count() == 20  # 10 criteria × 2025 and 2026
    assert all(f.is_demo and f.verdict is not None and f.judged_by for f in figures)


def test_the_2024_story_is_unchanged(demo_2026):
    def met(key):
        return UnitResult.objects.get(unit__key=key, criteria_set="commune-ntmnc-2021-2025", year=2024).met

    assert (met("c28084"), met("c28090")) == (15, 13)
