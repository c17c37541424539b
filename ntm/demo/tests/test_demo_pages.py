"""The article's facts on the two pages, with the demo loaded as `ntm demo --load-only` loads it."""

import re

from django.contrib.auth import get_user_model
from django.urls import reverse


def page_text(client, url: str) -> str:
    client.force_login(get_user_model().objects.get(username="vpdp.tantru"))
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_district_page_shows_15_of_19_and_13_of_19_for_the_two_communes_of_the_article(client, demo):
    text = page_text(client, reverse("evaluation:district", args=["d805"]) + "?level=ntmnc&year=2024")
    assert re.search(r"Quê Mỹ Thạnh.{0,200}?15/19", text)
    assert re.search(r"Bình Trinh Đông.{0,200}?13/19", text)
    assert "NTMNC 2024" in text
    assert "Dữ liệu mẫu" in text


def test_district_page_defaults_to_the_level_the_pilots_target(client, demo):
    text = page_text(client, reverse("evaluation:district", args=["d805"]) + "?year=2024")
    assert re.search(r"Quê Mỹ Thạnh.{0,200}?15/19", text)


def test_commune_page_shows_income_its_threshold_and_the_gap(client, demo):
    text = page_text(client, reverse("evaluation:commune", args=["c28084"]) + "?level=ntmnc&year=2024")
    assert "15/19" in text
    assert "68,2 / 75 triệu đồng/người/năm: còn thiếu 6,8" in text
    assert "tạm tính" in text
    assert "318/QĐ-TTg" in text


def test_commune_page_names_the_commune_it_became_after_the_2025_merger(client, demo):
    text = page_text(client, reverse("evaluation:commune", args=["c28084"]) + "?level=ntmnc&year=2024")
    assert "Nhựt Tảo" in text
