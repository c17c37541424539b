"""Each demo role's main task in a real browser, from the log-in form to the result, on a desk screen (1366 px)
and on a phone (390 px). Every page the walk reaches is checked for sideways scrolling: the document may not be
wider than the screen (wide tables scroll inside their own region, which is allowed)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "tantru2024"
WIDTHS = {"desk": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
               && !e.closest('.table-scroll, [role=region]'))
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


class Walk:
    """A user's walk at one screen width: log in through the form, then every page reached is measured."""

    def __init__(self, page, base: str, size: str):
        self.page, self.base, self.size = page, base, size
        self.too_wide: list[str] = []
        page.set_viewport_size(WIDTHS[size])

    def check_width(self) -> None:
        page = self.page
        page.wait_for_load_state()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTHS[self.size]["width"]:
            self.too_wide.append(f"{self.size} {page.url}: {width} px — {page.evaluate(WIDEST)}")

    def log_in(self, username: str) -> None:
        page = self.page
        page.context.clear_cookies()
        page.goto(f"{self.base}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/me/$"))  # each role's home
        self.check_width()

    def open(self, link_name: str | re.Pattern, *, within: str = "main") -> None:
        self.page.locator(within).get_by_role("link", name=link_name).first.click()
        self.check_width()

    def goto(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.check_width()

    def done(self) -> None:
        assert not self.too_wide, "Pages wider than the screen:\n" + "\n".join(self.too_wide)


@pytest.fixture
def walk(live_server, page, full_demo):
    def start(size: str) -> Walk:
        return Walk(page, live_server.url, size)

    return start


def _save(page, code: str, value: str) -> None:
    field = page.get_by_label(re.compile(rf"Giá trị\s+chỉ tiêu {re.escape(code)}\b"))
    field.scroll_into_view_if_needed()
    field.fill(value)
    page.get_by_role("button", name=re.compile(rf"Lưu\s+chỉ tiêu {re.escape(code)}\b")).click()
    row = page.locator(f"#row-{code.replace('.', '_')}")
    expect(row.locator(".entry-message-saved")).to_be_visible()


@pytest.mark.parametrize("size", WIDTHS)
def test_commune_official_enters_income_and_sees_the_commune_reach_16(walk, size):
    from ntm.figures.models import Figure

    w = walk(size)
    w.log_in("canbo.quemythanh")
    w.open("Nhập số liệu")
    page = w.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập số liệu: Xã Quê Mỹ Thạnh")
    expect(page.locator("#entry-score")).to_contain_text("15/19")  # opens on the data's latest: NTMNC 2024
    _save(page, "10.1", "76")
    expect(page.locator("#entry-score")).to_contain_text("16/19")
    w.check_width()
    w.open("Xã Quê Mỹ Thạnh")
    expect(page.locator("main")).to_contain_text("16/19")
    assert Figure.objects.get(unit__key="c28084", criteria_set="commune-ntmnc-2021-2025", year=2024,
                              indicator="10.1", superseded_at__isnull=True).value == 76
    w.done()


@pytest.mark.parametrize("size", WIDTHS)
def test_health_department_records_the_insurance_rate_of_a_commune(walk, size):
    from ntm.figures.models import Figure

    w = walk(size)
    w.log_in("phong.yte")
    w.open("14. Y tế")  # its criterion across the district's communes
    page = w.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Tiêu chí 14. Y tế")
    w.open("Nhập số liệu Quê Mỹ Thạnh")  # straight to the commune's entry page, at criterion 14
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập số liệu: Xã Quê Mỹ Thạnh")
    _save(page, "14.1", "97,5")
    figure = Figure.objects.get(unit__key="c28084", year=2024, indicator="14.1", superseded_at__isnull=True,
                                criteria_set="commune-ntmnc-2021-2025")
    assert figure.value == Decimal("97.5") and figure.entered_by.username == "phong.yte"
    w.done()


@pytest.mark.parametrize("size", WIDTHS)
def test_commune_leader_sees_what_is_missing(walk, size):
    w = walk(size)
    w.log_in("lanhdao.quemythanh")
    expect(w.page.locator("main").get_by_role("link", name="Nhập số liệu")).to_have_count(0)  # a reader
    w.open("Kết quả của xã")
    main = w.page.locator("main")
    expect(w.page.get_by_role("heading", level=1)).to_have_text("Xã Quê Mỹ Thạnh")
    expect(main).to_contain_text("15/19")
    expect(main).to_contain_text("Thu nhập")  # the unmet income criterion is there, in words
    w.done()


@pytest.mark.parametrize("size", WIDTHS)
def test_district_office_checks_progress_and_assigns_a_criterion(walk, size):
    from ntm.workflow.models import Assignment

    w = walk(size)
    w.log_in("vpdp.tantru")
    w.open("Trang của huyện")
    page = w.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Huyện Tân Trụ")
    expect(page.get_by_role("row").filter(has_text="Quê Mỹ Thạnh").first).to_contain_text("15/19")
    w.open("Phân công", within="main nav, main")
    form = page.locator("form").filter(has=page.get_by_role("button", name="Giao việc"))
    form.get_by_label(re.compile(r"^Xã:?$")).select_option(label="Xã Quê Mỹ Thạnh")
    criterion = form.locator("select[name=item] option[value$='|13|']")
    form.get_by_label("Tiêu chí / chỉ tiêu").select_option(criterion.first.get_attribute("value"))
    form.get_by_label("Người phụ trách").select_option(label="Nguyễn Văn An")
    form.get_by_label("Hạn hoàn thành").fill("2027-06-30")
    form.get_by_role("button", name="Giao việc").click()
    expect(page.locator(".messages")).to_contain_text("Đã giao việc")
    w.check_width()
    assert Assignment.objects.filter(unit__key="c28084", criterion="13",
                                     responsible__username="canbo.quemythanh").exists()
    w.done()


@pytest.mark.parametrize("size", WIDTHS)
def test_party_leader_follows_a_criterion_across_communes(walk, size):
    w = walk(size)
    w.log_in("lanhdao.tantru")
    w.open("Trang của huyện")
    w.open("Tiêu chí 10. Thu nhập")
    page = w.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Tiêu chí 10. Thu nhập")
    expect(page.locator("main")).to_contain_text("Quê Mỹ Thạnh")
    w.open("Quê Mỹ Thạnh")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xã Quê Mỹ Thạnh")
    w.done()


@pytest.mark.parametrize("size", WIDTHS)
def test_province_office_narrows_its_communes_to_group_3(walk, size):
    w = walk(size)
    w.log_in("vpdp.tayninh")
    w.open("Trang của tỉnh")
    page = w.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Tỉnh Tây Ninh")
    filters = page.locator("form.filter-form")
    filters.locator("select[name=group]").select_option("G3")
    filters.get_by_role("button", name="Xem").click()
    w.check_width()
    rows = page.locator("#communes tr[data-commune]")
    expect(rows.first).to_be_visible()
    expect(rows.filter(has_not_text="Nhóm 3")).to_have_count(0)
    w.done()


@pytest.mark.parametrize("size", WIDTHS)
def test_administrator_opens_the_national_view_and_a_province(walk, size):
    w = walk(size)
    w.log_in("quantri")
    w.open("Toàn quốc: các tỉnh, thành phố")
    page = w.page
    expect(page.locator("main")).to_contain_text("Tây Ninh")
    w.open(re.compile("Tây Ninh"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tỉnh Tây Ninh")
    w.done()
