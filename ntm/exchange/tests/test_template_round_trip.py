"""The Excel template opens on the period the data give (level and year), offers the other levels, and a
template downloaded as the page offers it, filled and uploaded, changes the figures. The preview reads as
people write: the year as a year, the set by its title, a value in its own precision."""

from __future__ import annotations

import io
import re
from decimal import Decimal

from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from ntm.exchange import layout as L
from ntm.figures.models import Figure

from .conftest import NTMNC, QMT, fill, upload

NHUT_TAO = "c28087-2025"


def offered(client, key: str) -> tuple[str, list[str], str]:
    """What the upload page's template form offers: the level selected, every level in order, the year."""
    html = client.get(f"/exchange/{key}/import/").content.decode()
    select = _group(r'<select id="id_level" name="level">(.*?)</select>', html)
    selected = _group(r'<option value="([^"]+)" selected>', select)
    year = _group(r'id="id_year" name="year" type="number"[^>]* value="(\d+)"', html)
    return selected, re.findall(r'<option value="([^"]+)"', select), year


def _group(pattern: str, html: str) -> str:
    found = re.search(pattern, html, re.S)
    assert found, pattern
    return found.group(1)


def as_offered(client, key: str) -> bytes:
    level, _levels, year = offered(client, key)
    response = client.get(f"/exchange/{key}/template.xlsx?level={level}&year={year}")
    assert response.status_code == 200
    return response.content


def meta(data: bytes) -> dict[str, str]:
    ws = load_workbook(io.BytesIO(data))[L.META_SHEET]
    return {row[0]: str(row[1]) for row in ws.iter_rows(values_only=True) if row and row[0]}


def first_sheet(data: bytes) -> str:
    return load_workbook(io.BytesIO(data)).sheetnames[0]


def confirm(client, response, key: str):
    return client.post(f"/exchange/{key}/import/confirm/", {"token": response.context["token"]})


def current(key: str, set_id: str, code: str, year: int) -> Figure | None:
    return Figure.objects.filter(unit__key=key, criteria_set=set_id, indicator=code, year=year,
                                 superseded_at__isnull=True).first()


def test_the_form_opens_on_the_datas_level_and_year_and_offers_the_others(official_qmt):
    level, levels, year = offered(official_qmt, QMT)
    assert (level, year) == ("ntmnc", "2024")  # Quê Mỹ Thạnh's results and targets, not the calendar's 2026
    assert levels[0] == "ntmnc" and {"ntm", "model"} <= set(levels)


def test_a_level_chosen_gives_that_levels_template(official_qmt):
    response = official_qmt.get(f"/exchange/{QMT}/template.xlsx?level=ntm&year=2024")
    assert meta(response.content)["set"] == "commune-ntm-2021-2025"


def test_template_as_offered_filled_and_uploaded_changes_the_figures(official_qmt):
    data = as_offered(official_qmt, QMT)
    assert meta(data)["set"] == NTMNC and meta(data)["year"] == "2024"
    filled = fill(data, {(first_sheet(data), "10.1"): {L.NEW_VALUE: "77,5", L.NOTE: "Cục Thống kê 2024"}})
    preview = upload(official_qmt, filled)
    html = preview.content.decode()
    assert [c.indicator for c in preview.context["plan"].changes] == ["10.1"]
    assert "Năm 2024" in html and "2.024" not in html
    assert "318/QĐ-TTg" in html and NTMNC not in html.split("<caption>", 1)[1].split("</caption>", 1)[0]
    assert "77,5 triệu đồng/người/năm" in html and "77,5000" not in html
    assert confirm(official_qmt, preview, QMT).status_code == 302
    assert current(QMT, NTMNC, "10.1", 2024).value == Decimal("77.5")


def test_a_new_commune_round_trips_its_2026_verdicts(demo_2026, client):
    client.force_login(get_user_model().objects.get(username="canbo.nhuttao"))
    data = as_offered(client, NHUT_TAO)
    assert meta(data)["set"] == "commune-ntm-2026-2030" and meta(data)["year"] == "2026"
    before = current(NHUT_TAO, "commune-ntm-2026-2030", "1.0", 2026)
    verdict = "Chưa đạt" if before is None or before.verdict else "Đạt"
    preview = upload(client, fill(data, {(first_sheet(data), "1.0"): {L.NEW_VERDICT: verdict}}), key=NHUT_TAO)
    assert len(preview.context["plan"].changes) == 1
    assert confirm(client, preview, NHUT_TAO).status_code == 302
    assert current(NHUT_TAO, "commune-ntm-2026-2030", "1.0", 2026).verdict is (verdict == "Đạt")


def test_a_district_template_as_offered_round_trips(office_tan_tru):
    data = as_offered(office_tan_tru, "d805")
    sheet = first_sheet(data)
    filled = fill(data, {(sheet, "10.1"): {L.NEW_VALUE: 81}})
    preview = upload(office_tan_tru, filled, key="d805")
    change = preview.context["plan"].changes[0]
    assert change.indicator == "10.1" and "81 triệu đồng/người/năm" in preview.content.decode()
    assert confirm(office_tan_tru, preview, "d805").status_code == 302
    assert current(change.unit_key, NTMNC, "10.1", 2024).value == Decimal("81")
