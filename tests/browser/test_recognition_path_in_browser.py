"""The accountability and recognition path in a real browser, with the Tân Trụ demo district:
assign → inspect → follow-up done → dossier complete → verified → appraised → recognised.

Every step is a click or a form fill on the real pages; only the starting state (units, figures, users)
comes from the demo loader. The clock is frozen on 20/6/2024 (time-machine patches it process-wide, so the
live server's thread sees it too), which walks the 2021–2025 path with the district's verification step."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from ntm.recognition.tests.conftest import PDF  # a one-page PDF that parses whole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = datetime(2024, 6, 20, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
XA = re.compile(r"^Xã:?$")  # Django's label "Xã:", not the header's search box "Tìm xã, …"


@pytest.fixture
def frozen_day():
    time_machine = pytest.importorskip("time_machine")
    with time_machine.travel(DAY, tick=True):
        yield DAY.date()


@pytest.fixture
def demo_units(transactional_db, frozen_day):
    """Units, targets, figures and users only: no recognitions, assignments, inspections or dossiers."""
    from ntm.demo.loader import load_demo

    return load_demo(with_work=False)


@pytest.fixture
def as_user(page, login, live_server):
    def switch(username: str) -> None:
        page.context.clear_cookies()
        login(live_server, username)

    return switch


@pytest.fixture
def pdf_file(tmp_path):
    def make(name: str):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(PDF)
        return path

    return make


def _upload(page, pdf_file, code: str) -> None:
    form = page.locator("form[action$='/files/']")
    form.get_by_label("Loại tài liệu").select_option(code)
    form.get_by_label(re.compile("^Tệp")).set_input_files(pdf_file(code))
    form.get_by_role("button", name="Tải lên").click()
    expect(page.locator(".messages")).to_contain_text("Đã tải lên")


def _step_form(page, to: str):
    return page.locator("form.rec-step-form").filter(has=page.locator(f"input[name=to][value={to}]"))


def _step(page, to: str, button_name: str, *, comment: str = "") -> None:
    form = _step_form(page, to)
    if comment:
        form.get_by_label("Ý kiến").fill(comment)
    button = form.get_by_role("button", name=button_name, exact=True)
    expect(button).to_be_enabled()
    button.click()
    expect(page.locator(".messages")).to_contain_text("Đã chuyển bước")


def test_assign_inspect_follow_up_and_recognise_quemythanh(live_server, page, screenshot, as_user, pdf_file,
                                                          demo_units, frozen_day):
    from ntm.recognition.models import Dossier
    from ntm.workflow.models import Assignment, FollowUp

    base = live_server.url
    # The live server's thread sees the frozen clock: the assignment form proposes the frozen year.
    as_user("vpdp.tantru")
    page.goto(f"{base}/district/d805/assignments/?level=ntm&year=2024")
    expect(page.get_by_label("Năm")).to_have_value("2024")

    # 1. Assign: the district office gives criterion 17's work in Quê Mỹ Thạnh to the commune official.
    page.get_by_label(XA).select_option(label="Xã Quê Mỹ Thạnh")
    page.get_by_label("Tiêu chí / chỉ tiêu").select_option("commune-ntm-2021-2025|17|")
    page.get_by_label("Người phụ trách").select_option(label="Nguyễn Văn An")
    page.get_by_label("Hạn hoàn thành").fill("2024-09-30")
    page.get_by_label("Ghi chú").fill("Hoàn thiện hồ sơ môi trường trước khi trình công nhận")
    page.get_by_role("button", name="Giao việc").click()
    expect(page.locator(".messages")).to_contain_text("Đã giao việc")
    row = page.locator("tr.work-item").filter(has_text="Quê Mỹ Thạnh")
    expect(row).to_contain_text("17.")
    expect(row).to_contain_text("Nguyễn Văn An")
    expect(row).to_contain_text("30/09/2024")
    screenshot("path-assign")
    assignment = Assignment.objects.get(unit__key="c28084", criterion="17")
    assert assignment.responsible.username == "canbo.quemythanh" and assignment.created_at.year == 2024

    # 2. Inspect: an inspection of Quê Mỹ Thạnh, a finding and a follow-up owned by the commune official.
    page.goto(f"{base}/district/d805/inspections/")
    page.get_by_label("Tên đợt kiểm tra").fill("Kiểm tra tiến độ NTM tháng 6/2024")
    page.get_by_label("Ngày kiểm tra").fill("2024-06-18")
    page.get_by_label("Đoàn kiểm tra").fill("Văn phòng Điều phối NTM huyện")
    page.get_by_label("Quê Mỹ Thạnh").check()
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra tiến độ NTM tháng 6/2024")

    finding = page.locator("form[action$='/findings/']")
    finding.get_by_label(XA).select_option(label="Xã Quê Mỹ Thạnh")
    # The picker offers the criteria of the set the inspection's year opens on (one set, not three).
    criterion_17 = finding.locator("select[name=criterion] option[value$='|17']")
    expect(criterion_17).to_have_count(1)
    finding.get_by_label(re.compile(r"^Tiêu chí:?$")).select_option(criterion_17.get_attribute("value"))
    finding.get_by_label("Nội dung ghi nhận").fill("Bãi tập kết rác ấp 3 chưa có mái che")
    finding.get_by_role("button", name="Lưu ghi nhận").click()
    expect(page.locator("ul.findings")).to_contain_text("Bãi tập kết rác ấp 3 chưa có mái che")

    follow_up = page.locator("form[action$='/follow-ups/']")
    follow_up.get_by_label(XA).select_option(label="Xã Quê Mỹ Thạnh")
    follow_up.get_by_label("Kết luận cần thực hiện").fill("Làm mái che bãi tập kết rác ấp 3")
    follow_up.get_by_label("Người thực hiện").select_option(label="Nguyễn Văn An")
    follow_up.get_by_label("Hạn thực hiện").fill("2024-07-15")
    follow_up.get_by_role("button", name="Lưu việc").click()
    open_row = page.locator("tr[id^=follow-up-]").filter(has_text="Làm mái che bãi tập kết rác ấp 3")
    expect(open_row).to_contain_text("Nguyễn Văn An")
    expect(open_row).to_contain_text("15/07/2024")
    expect(open_row.get_by_role("button", name="Đánh dấu đã xong")).to_be_visible()  # open; the office may close it

    # 3. Follow-up done: the commune official sees both on "my work" and closes the follow-up (htmx).
    as_user("canbo.quemythanh")
    page.goto(f"{base}/my-work/")
    expect(page.locator("tr.work-item").filter(has_text="Quê Mỹ Thạnh")).to_contain_text("30/09/2024")
    mine = page.locator("tr[id^=follow-up-]").filter(has_text="Làm mái che bãi tập kết rác ấp 3")
    expect(mine).to_contain_text("15/07/2024")
    page.evaluate("window.notReloaded = true")
    mine.get_by_label("Kết quả thực hiện").fill("Đã làm mái che tôn ngày 19/6")
    mine.get_by_role("button", name="Đánh dấu đã xong").click()
    expect(mine).to_contain_text("Đã xong (Nguyễn Văn An, 20/06/2024): Đã làm mái che tôn ngày 19/6")
    assert page.evaluate("window.notReloaded") is True
    screenshot("path-followup-done")
    assert FollowUp.objects.get(text="Làm mái che bãi tập kết rác ấp 3").done_at.date() == frozen_day

    # 4. Dossier: the commune opens an NTM 2024 dossier; submitting is refused until the documents are there.
    page.goto(f"{base}/dossiers/c28084/")
    page.get_by_label("Mức").select_option("ntm")
    expect(page.get_by_label("Năm")).to_have_value("2024")  # the frozen year, proposed
    page.get_by_role("button", name="Lập hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quê Mỹ Thạnh — NTM 2024")
    expect(page.locator(".muted").filter(has_text="Quy trình")).to_contain_text("huyện thẩm tra")
    submit = _step_form(page, "submitted")
    expect(submit.get_by_role("button")).to_be_disabled()
    expect(submit.locator(".rec-refusal")).to_contain_text(
        "hồ sơ chưa đủ: thiếu Báo cáo kết quả xây dựng NTM của xã")
    expect(submit.locator(".rec-refusal")).to_contain_text("Kết quả khảo sát sự hài lòng của người dân")

    for code in ("commune-report", "commune-request", "commune-meeting-minutes", "commune-opinions",
                 "satisfaction-survey"):
        _upload(page, pdf_file, code)
    page.get_by_label("Tỷ lệ hài lòng (%)").fill("96")
    page.locator("form[action$='/conditions/']").get_by_label("An ninh, trật tự").select_option("yes")
    page.locator("form[action$='/conditions/']").get_by_role("button", name="Lưu").click()
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("96")
    expect(facts).to_contain_text("không phức tạp")
    expect(facts.locator("div").filter(has_text="Tiêu chí chưa đạt")).to_contain_text("không có")
    # Every document the commune submits is there (the rest of the checklist is the district's and the
    # province's, so the whole dossier is half complete).
    for line in page.locator("ul.rec-checklist li").all()[:5]:
        expect(line).to_have_class("rec-present")
    expect(facts).to_contain_text("50%")
    expect(page.locator("table.rec-table")).to_contain_text("Kết quả khảo sát sự hài lòng của người dân")
    expect(submit.get_by_role("button")).to_be_enabled()
    expect(submit.locator(".rec-refusal")).to_have_count(0)
    screenshot("path-dossier-complete")
    _step(page, "submitted", "Trình hồ sơ", comment="Xã đề nghị thẩm tra")
    expect(facts).to_contain_text("Đã trình")
    dossier_url = page.url

    # 5. Verified: the district office uploads its two documents and verifies.
    as_user("vpdp.tantru")
    page.goto(dossier_url)
    verify = _step_form(page, "verified")
    expect(verify.locator(".rec-refusal")).to_contain_text("thiếu Báo cáo thẩm tra hồ sơ")
    for code in ("district-verification", "district-request"):
        _upload(page, pdf_file, code)
    _step(page, "verified", "Thẩm tra (huyện)", comment="Huyện đã thẩm tra, đề nghị tỉnh thẩm định")
    expect(facts).to_contain_text("Huyện đã thẩm tra")

    # 6. Appraised and recognised by the provincial office, with its documents and the decision.
    as_user("vpdp.longan")
    page.goto(dossier_url)
    _upload(page, pdf_file, "province-appraisal")
    _step(page, "appraised", "Thẩm định (tỉnh)")
    expect(facts).to_contain_text("Tỉnh đã thẩm định")
    for code in ("appraisal-opinions", "province-request"):
        _upload(page, pdf_file, code)
    recognise = _step_form(page, "recognised")
    recognise.get_by_label("Số quyết định").fill("1234/QĐ-UBND")
    recognise.get_by_label("Ngày quyết định").fill("2024-06-20")
    _step(page, "recognised", "Công nhận")

    # 7. The recognition shows on the dossier and on the public home page.
    expect(facts).to_contain_text("Đã công nhận")
    expect(facts).to_contain_text("1234/QĐ-UBND (20/06/2024)")
    expect(facts).to_contain_text("100%")
    expect(page.locator("ul.rec-checklist li.rec-missing")).to_have_count(1)  # only the optional photos
    expect(_step_form(page, "revoked").get_by_role("button")).to_have_text("Thu hồi công nhận")
    timeline = page.locator("ol.rec-timeline")
    for label in ("Đang soạn hồ sơ", "Đã trình", "Huyện đã thẩm tra", "Tỉnh đã thẩm định", "Đã công nhận"):
        expect(timeline).to_contain_text(label)
    screenshot("path-recognised")
    dossier = Dossier.objects.get(commune__key="c28084", level="ntm", year=2024)
    assert dossier.step == "recognised"
    assert [e.to_step for e in dossier.events.order_by("at", "pk")] == [
        "drafting", "submitted", "verified", "appraised", "recognised"]
    assert {e.at.date() for e in dossier.events.all()} == {frozen_day}

    page.context.clear_cookies()
    page.goto(f"{base}/")
    recognised = page.locator("#area-d805 table.recognitions").get_by_role("row").filter(has_text="Quê Mỹ Thạnh")
    expect(recognised).to_contain_text("NTM")
    expect(recognised).to_contain_text("2024")
    expect(recognised).to_contain_text("1234/QĐ-UBND ngày 20/06/2024")
    screenshot("path-home-recognised")
