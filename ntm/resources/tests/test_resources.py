"""Resources mobilised: district totals per source, criterion and commune; commune list and form."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ntm.resources.demo import create_demo_funding
from ntm.resources.models import Funding
from ntm.resources.money import vnd
from ntm.resources.selectors import district_totals
from ntm.units.models import Unit

SET = "commune-ntmnc-2021-2025"


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def funded(demo):
    create_demo_funding()


@pytest.mark.parametrize(("amount", "text"), [
    (Decimal("1250000000"), "1.250.000.000 đ"), (Decimal(0), "0 đ"), (999, "999 đ"), (1000, "1.000 đ"),
    (None, "—"),
])
def test_money_is_grouped_with_dots_and_the_dong_sign(amount, text):
    assert vnd(amount) == text


def test_district_totals_per_source_criterion_and_commune(funded):
    totals = district_totals(Unit.objects.get(key="d805"), 2023)
    by_source = {line.key: line.amount for line in totals.by_source}
    assert by_source["central_budget"] == Decimal(1800 + 1620 + 2070 + 1440) * 1_000_000
    assert totals.total == sum(by_source.values())
    by_criterion = {line.key: line.amount for line in totals.by_criterion}
    assert by_criterion["13"] == Decimal(2100 + 1890 + 2415 + 1680) * 1_000_000
    assert [line.key for line in totals.by_criterion] == ["2", "5", "13", "17", ""]
    assert len(totals.by_commune) == 4 and totals.demo
    assert 0 < totals.residents_percent < 100


def test_the_district_page_shows_the_totals_in_vietnamese_money(client, users, funded):
    client.force_login(users["lanhdao.tantru"])
    page = client.get(reverse("resources:district", args=["d805"]), {"year": 2023}).content.decode()
    assert "6.930.000.000 đ" in page  # central budget, the 4 pilot communes
    assert "Người dân hiến đất (quy ra tiền)" in page and "Dữ liệu mẫu" in page


def test_create_demo_funding_is_idempotent(funded):
    assert create_demo_funding() == Funding.objects.count() == 4 * 2 * 11


def post(client, key="c28084", **changes):
    data = {"year": 2024, "criteria_set": SET, "criterion": "10", "source": "residents_labour",
            "amount": "1.250.000.000", "note": "Ngày công làm đường ấp 3"} | changes
    return client.post(reverse("resources:commune", args=[key]), data)


@pytest.mark.parametrize("username", ["canbo.quemythanh", "vpdp.tantru"])
def test_commune_officials_and_the_office_add_a_funding(client, users, username):
    client.force_login(users[username])
    assert post(client).status_code == 302
    row = Funding.objects.get()
    assert (row.amount, row.criterion, row.entered_by) == (Decimal(1250000000), "10", users[username])
    page = client.get(reverse("resources:commune", args=["c28084"])).content.decode()
    assert "1.250.000.000 đ" in page and "Người dân góp ngày công" in page


@pytest.mark.parametrize(("username", "key"), [
    ("lanhdao.tantru", "c28084"), ("lanhdao.quemythanh", "c28084"), ("phong.yte", "c28084"),
    ("canbo.binhtrinhdong", "c28084"),
])
def test_others_are_refused_and_nothing_is_written(client, users, username, key):
    client.force_login(users[username])
    assert post(client, key).status_code == 403
    assert not Funding.objects.exists()


def test_leaders_read_the_list_without_the_form(client, users, funded):
    client.force_login(users["lanhdao.tantru"])
    page = client.get(reverse("resources:commune", args=["c28084"])).content.decode()
    assert "Thêm nguồn lực" not in page and "1.800.000.000 đ" in page


@pytest.mark.parametrize(("changes", "message"), [
    ({"amount": "-5"}, "lớn hơn 0"), ({"criterion": "99"}, "không có trong bộ tiêu chí"),
])
def test_a_bad_entry_is_shown_again_and_nothing_is_written(client, users, changes, message):
    client.force_login(users["canbo.quemythanh"])
    response = post(client, **changes)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Funding.objects.exists()


def test_an_outsider_cannot_read_the_district_totals(client, users):
    client.force_login(users["canbo.quemythanh"])
    assert client.get(reverse("resources:district", args=["d805"])).status_code == 403


def test_outstanding_capital_construction_debt_is_shown_per_commune(client, users, funded):
    recognition = pytest.importorskip("ntm.recognition.models")
    if not hasattr(recognition, "CapitalDebt"):
        pytest.skip("ntm.recognition has no CapitalDebt yet")
    from datetime import date

    qmt = Unit.objects.get(key="c28084")
    recognition.CapitalDebt.objects.create(commune=qmt, amount=Decimal(350_000_000), description="Đường ấp 3",
                                           as_of=date(2024, 6, 1))
    recognition.CapitalDebt.objects.create(commune=qmt, amount=Decimal(99_000_000), description="Đã trả",
                                           as_of=date(2024, 1, 1), settled_on=date(2024, 3, 1))
    client.force_login(users["vpdp.tantru"])
    page = client.get(reverse("resources:district", args=["d805"]), {"year": 2024}).content.decode()
    assert "Nợ đọng xây dựng cơ bản" in page and "350.000.000 đ" in page and "449.000.000" not in page
