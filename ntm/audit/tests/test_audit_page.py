"""The audit page: administrators read everything, a province office the entries of its province's units
(and its own actions), nobody else; filters, pages, and .xlsx / .csv exports whose text never runs as a
formula."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from openpyxl import load_workbook

from ntm.accounts.models import Membership, Role
from ntm.audit.context import acting
from ntm.audit.models import AuditEntry
from ntm.units.actions import Decision, classify
from ntm.units.models import Unit

EVIL = '=HYPERLINK("http://evil.example/x","click")'


def user(name: str):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def two_provinces(demo_2026):
    """A change in Quê Mỹ Thạnh (Long An, before 2025) and one in a commune of the new Tây Ninh."""
    qmt = Unit.objects.get(key="c28084")
    with acting(user("quantri"), remote_addr="192.0.2.10"):
        Membership.objects.create(user=user("canbo.binhtrinhdong"), role=Role.COMMUNE_LEADER, unit=qmt, title=EVIL)
    commune = Unit.objects.filter(parent__key="p80-2025", kind="commune").order_by("key").first()
    with acting(user("vpdp.tayninh"), remote_addr="192.0.2.11"):
        classify([commune], "commune_group", "G3" if commune.commune_group != "G3" else "G1",
                 decision=Decision("7/QĐ-UBND", date(2026, 2, 1)), valid_from=date(2026, 2, 1), by=user("vpdp.tayninh"))
    return qmt, commune


def listed(client, **params) -> str:
    page = client.get("/audit/", params)
    assert page.status_code == 200
    return page.content.decode()


def test_a_province_office_reads_only_the_entries_of_its_province(client, two_provinces):
    qmt, commune = two_provinces
    client.force_login(user("vpdp.longan"))
    html = listed(client, kind="", unit="")
    assert "Quê Mỹ Thạnh" in html and "192.0.2.10" in html
    assert commune.name not in html and "7/QĐ-UBND" not in html
    client.force_login(user("vpdp.tayninh"))
    html = listed(client)
    assert "7/QĐ-UBND" in html and "192.0.2.10" not in html


def test_an_administrator_reads_both_and_filters_by_user_unit_kind_and_date(client, two_provinces):
    qmt, commune = two_provinces
    client.force_login(user("quantri"))
    html = listed(client)
    assert "Quê Mỹ Thạnh" in html and "7/QĐ-UBND" in html
    by_user = listed(client, user="vpdp.tayninh")
    assert "7/QĐ-UBND" in by_user and "192.0.2.10" not in by_user
    by_unit = listed(client, unit="c28084")
    assert "192.0.2.10" in by_unit and "7/QĐ-UBND" not in by_unit
    membership_kind = [c for c in AuditEntry.objects.values_list("content_type", "content_type__model").distinct()
                       if c[1] == "membership"][0][0]
    by_kind = listed(client, kind=membership_kind)
    assert "192.0.2.10" in by_kind and "7/QĐ-UBND" not in by_kind
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
    assert "Không có mục nào" in listed(client, since=tomorrow)


def test_log_ins_are_a_kind_of_their_own(client, demo):
    client.post("/accounts/login/", {"username": "vpdp.tantru", "password": "sai"}, REMOTE_ADDR="192.0.2.99")
    client.force_login(user("quantri"))
    html = listed(client, kind="logins")
    assert "Đăng nhập thất bại" in html and "192.0.2.99" in html


def test_the_page_is_paged(client, demo):
    client.force_login(user("quantri"))
    total = AuditEntry.objects.count()
    assert total > 50
    first = listed(client)
    assert f"Trang 1/{(total + 49) // 50}" in first and "page=2" in first
    assert client.get("/audit/", {"page": 2}).status_code == 200


def test_others_get_403_and_no_link(client, demo):
    for name in ("canbo.quemythanh", "vpdp.tantru", "lanhdao.tantru"):
        client.force_login(user(name))
        assert client.get("/audit/").status_code == 403
        assert 'href="/audit/"' not in client.get("/overview/").content.decode()
    client.force_login(user("vpdp.longan"))
    assert 'href="/audit/"' in client.get("/overview/").content.decode()


def test_the_xlsx_export_keeps_formula_like_text_as_text(client, two_provinces):
    client.post("/accounts/login/", {"username": EVIL, "password": "x"})  # typed by anyone, exported by the office
    client.force_login(user("quantri"))
    answer = client.get("/audit/", {"format": "xlsx"})
    assert answer["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(answer.content)).active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Thời điểm", "Người thực hiện", "Địa chỉ IP"]
    typed = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value == EVIL]
    assert typed and all(c.data_type == "s" and c.quotePrefix for c in typed)
    assert any("7/QĐ-UBND" in str(c.value) for row in sheet.iter_rows() for c in row)


def test_a_province_office_exports_only_its_province(client, two_provinces):
    client.force_login(user("vpdp.longan"))
    sheet = load_workbook(io.BytesIO(client.get("/audit/", {"format": "xlsx"}).content)).active
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
    assert "Quê Mỹ Thạnh" in text and "7/QĐ-UBND" not in text


def test_the_csv_export_puts_an_apostrophe_before_formula_like_text(client, two_provinces):
    client.post("/accounts/login/", {"username": EVIL, "password": "x"})
    client.force_login(user("quantri"))
    answer = client.get("/audit/", {"format": "csv", "kind": "logins"})
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Thời điểm"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert any(cell == "'" + EVIL for row in rows for cell in row)
