"""Entering figures on the data-entry page: who may, what is written, and what the editor is shown."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from ntm.accounts.names import display_name
from ntm.evaluation.models import UnitResult
from ntm.figures.models import Figure

NTMNC = "commune-ntmnc-2021-2025"
QMT = "c28084"


@pytest.fixture
def official_qmt(demo):
    return get_user_model().objects.get(username="canbo.quemythanh")


@pytest.fixture
def official_btd(demo):
    return get_user_model().objects.get(username="canbo.binhtrinhdong")


@pytest.fixture
def health_department(demo):
    return get_user_model().objects.get(username="phong.yte")


def save_url(indicator: str, key: str = QMT) -> str:
    return reverse("figures:save", args=[key, NTMNC, indicator, 2024])


def entry_url(key: str = QMT) -> str:
    return reverse("figures:entry", args=[key]) + f"?year=2024&set={NTMNC}"


def current(indicator: str) -> Figure | None:
    return Figure.objects.filter(unit__key=QMT, criteria_set=NTMNC, indicator=indicator, year=2024,
                                 superseded_at=None).first()


def post_figure(client, indicator: str, *, htmx: bool = True, expected="seen", key: str = QMT, **fields):
    """Post one row as the page does, with the figure it showed as `expected_current` unless told."""
    prefix = "i" + indicator.replace(".", "_")
    if expected == "seen":
        shown = current(indicator)
        expected = shown.pk if shown else ""
    data = {f"{prefix}-{name}": value for name, value in fields.items()}
    data[f"{prefix}-expected_current"] = expected
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(save_url(indicator, key), data, headers=headers)


def test_official_enters_income_and_the_criterion_and_commune_result_follow(client, official_qmt):
    client.force_login(official_qmt)
    response = post_figure(client, "10.1", value="76")
    assert response.status_code == 200
    assert current("10.1").value == Decimal("76")
    assert current("10.1").entered_by == official_qmt
    html = response.content.decode()
    assert 'id="status-10" class="status status-met status-inline" hx-swap-oob="true"' in html
    assert "✓</span> Đạt" in html
    assert "16/19" in html
    result = UnitResult.objects.get(unit__key=QMT, criteria_set=NTMNC, year=2024)
    assert (result.met, result.total) == (16, 19)


def test_entry_page_lists_the_indicators_with_thresholds_values_and_statuses(client, official_qmt):
    client.force_login(official_qmt)
    page = client.get(reverse("figures:entry", args=[QMT])).content.decode()
    assert "Nhập số liệu: Xã Quê Mỹ Thạnh" in page
    assert "Tiêu chí 10. Thu nhập" in page
    assert "≥ 75 triệu đồng/người/năm" in page and "tạm tính" in page
    assert 'value="68,2"' in page
    assert 'id="status-10" class="status status-not_met' in page
    assert "15/19" in page
    assert 'hx-headers=\'{"X-CSRFToken": "' in page


def test_official_of_another_commune_is_refused_and_nothing_is_written(client, official_btd):
    client.force_login(official_btd)
    before = Figure.objects.count()
    assert post_figure(client, "10.1", value="76").status_code == 403
    assert client.get(entry_url()).status_code == 403
    assert Figure.objects.count() == before


def test_unknown_commune_is_not_found(client, official_qmt):
    client.force_login(official_qmt)
    assert client.get(reverse("figures:entry", args=["c99999"])).status_code == 404


def test_department_saves_its_own_field_and_is_refused_another(client, health_department):
    client.force_login(health_department)
    page = client.get(entry_url()).content.decode()
    assert 'name="i14_0-verdict"' in page and 'name="i10_1-value"' not in page
    assert "Chỉ xem" in page
    assert post_figure(client, "14.0", verdict="met", source_note="Biên bản kiểm tra").status_code == 200
    assert current("14.0").verdict is True and current("14.0").source_note == "Biên bản kiểm tra"
    before = Figure.objects.count()
    assert post_figure(client, "10.1", value="76").status_code == 403
    assert Figure.objects.count() == before


def test_second_editor_is_shown_the_newer_value_instead_of_overwriting_it(client, official_qmt, demo):
    seen = current("10.1").pk
    client.force_login(official_qmt)
    post_figure(client, "10.1", value="70", expected=seen)
    client.force_login(get_user_model().objects.get(username="vpdp.tantru"))
    response = post_figure(client, "10.1", value="80", expected=seen)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hiện tại: <strong class=\"entry-value\">70 triệu đồng/người/năm</strong>" in html
    assert display_name(official_qmt) in html
    assert "không có gì bị ghi đè" in html and "(80)" in html
    assert current("10.1").value == Decimal("70")


def test_a_stale_save_without_javascript_redirects_with_a_warning(client, official_qmt):
    seen = current("10.1").pk
    client.force_login(official_qmt)
    post_figure(client, "10.1", value="70", expected=seen)
    response = post_figure(client, "10.1", htmx=False, value="80", expected=seen)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Giá trị bạn nhập chưa được lưu" in page
    assert current("10.1").value == Decimal("70")


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("abc", "“abc” không phải là số"),
        ("1,2,3", "“1,2,3” không đọc được thành số"),
        ("1200", "giá trị 1200 nằm ngoài khoảng cho phép 0–1000"),
        ("", "cần một giá trị hoặc một kết luận"),
    ],
)
def test_bad_numbers_get_a_clear_message_and_nothing_is_written(client, official_qmt, typed, says):
    client.force_login(official_qmt)
    before = Figure.objects.count()
    response = post_figure(client, "10.1", value=typed)
    assert response.status_code == 200
    assert says in response.content.decode()
    assert Figure.objects.count() == before
    assert current("10.1").value == Decimal("68.2")


@pytest.mark.parametrize(("typed", "stored"), [("68,2", "68.2"), ("1.234,5", None), ("77.5", "77.5")])
def test_vietnamese_and_english_decimals_are_saved(client, official_qmt, typed, stored):
    client.force_login(official_qmt)
    post_figure(client, "10.1", value=typed)
    if stored is None:  # 1234.5 is read correctly, then refused as outside 0–1000
        assert current("10.1").value == Decimal("68.2")
    else:
        assert current("10.1").value == Decimal(stored)


def test_without_javascript_a_save_redirects_back_with_a_message(client, official_qmt):
    client.force_login(official_qmt)
    response = post_figure(client, "10.1", htmx=False, value="76,5")
    assert response.status_code == 302
    assert response["Location"].startswith(entry_url()) and response["Location"].endswith("#row-10_1")
    page = client.get(response["Location"]).content.decode()
    assert "Đã lưu chỉ tiêu 10.1: 76,5 triệu đồng/người/năm." in page


def test_anonymous_users_are_sent_to_log_in(client, demo):
    for response in (client.get(entry_url()), post_figure(client, "10.1", value="76")):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert current("10.1").value == Decimal("68.2")


def test_history_lists_earlier_values(client, official_qmt):
    client.force_login(official_qmt)
    post_figure(client, "10.1", value="76", source_note="Báo cáo thống kê 2024")
    page = client.get(reverse("figures:history", args=[QMT, NTMNC, "10.1", 2024])).content.decode()
    assert "68,2 triệu đồng/người/năm" in page and "76 triệu đồng/người/năm" in page
    assert "Bị thay thế lúc" in page and "Đang dùng" in page
    assert "Báo cáo thống kê 2024" in page and "Nguyễn Văn An" in page


def test_in_english_the_page_and_its_errors_are_translated(client, official_qmt):
    client.force_login(official_qmt)
    with translation.override("en"):  # requests switch the thread's language; restore it afterwards
        page = client.get(entry_url()).content.decode()
        response = client.post(save_url("10.1"), {"i10_1-value": "abc", "i10_1-expected_current": ""},
                               headers={"HX-Request": "true"})
    assert "Data entry: Xã Quê Mỹ Thạnh" in page and "Criterion 10." in page
    assert "“abc” is not a number" in response.content.decode()
