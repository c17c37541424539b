"""Personas from the Tân Trụ demo, and helpers to fill a downloaded workbook as an official would."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from openpyxl import load_workbook

from ntm.exchange import layout as L

QMT = "c28084"  # Quê Mỹ Thạnh
BTD = "c28090"  # Bình Trinh Đông
TAN_TRU = "d805"
NTMNC = "commune-ntmnc-2021-2025"
YEAR = 2024


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def _login(client, username: str):
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def official_qmt(demo, client):
    return _login(client, "canbo.quemythanh")


@pytest.fixture
def official_btd(demo, client):
    return _login(client, "canbo.binhtrinhdong")


@pytest.fixture
def office_tan_tru(demo, client):
    return _login(client, "vpdp.tantru")


@pytest.fixture
def office_long_an(demo, client):
    """Long An's provincial coordination office: completes the catalog (a second person approves)."""
    return _login(client, "vpdp.longan")


@pytest.fixture
def admin(demo, client):
    return _login(client, "quantri")


def download(client, key: str = QMT, year: int = YEAR, set_id: str = NTMNC) -> bytes:
    response = client.get(f"/exchange/{key}/template.xlsx?year={year}&set={set_id}")
    assert response.status_code == 200, response.status_code
    return response.content


def row_of(ws, code: str) -> int:
    for n in range(L.FIRST_ROW, ws.max_row + 1):
        if ws[f"{L.INDICATOR}{n}"].value == code:
            return n
    raise AssertionError(code)


def fill(data: bytes, edits: dict[tuple[str, str], dict[str, object]]) -> bytes:
    """edits: (sheet title, indicator code) → {column letter: value}."""
    wb = load_workbook(io.BytesIO(data))
    for (sheet, code), cells in edits.items():
        ws = wb[sheet]
        n = row_of(ws, code)
        for column, value in cells.items():
            ws[f"{column}{n}"] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, data: bytes, key: str = QMT, name: str = "bieu.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(f"/exchange/{key}/import/", {"file": SimpleUploadedFile(name, data)})
