from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from ntm.core.risk import Due
from ntm.units.models import Unit
from ntm.workflow import actions, selectors

from .conftest import QMT


def test_my_work_lists_the_officials_criteria_with_their_gaps_and_overdue_marks(client, official_qmt):
    client.force_login(official_qmt)
    page = client.get(reverse("workflow:my_work")).content.decode()
    assert "1. Quy hoạch" in page and "10. Thu nhập" in page and "14.1" in page
    assert "68,2 / 75 triệu đồng/người/năm: còn thiếu 6,8" in page
    assert "quá hạn" in page  # due 30/06/2024, read after it
    assert "13. Tổ chức sản xuất" not in page  # the commune leader's, not this official's


def test_my_work_marks_due_within_fourteen_days_as_due_soon(official_qmt, office_tan_tru):
    today = date(2024, 6, 20)
    items = selectors.my_work(official_qmt, today=today)
    assert {i.due_state for i in items} == {Due.DUE_SOON}
    assert [i.due_state for i in selectors.my_work(official_qmt, today=date(2024, 7, 1))][0] is Due.OVERDUE
    assert selectors.my_work(official_qmt, today=date(2024, 5, 8))[0].due_state is Due.ON_TRACK


def test_a_new_assignment_due_next_week_is_shown_as_due_soon(client, official_qmt, office_tan_tru):
    actions.assign(actions.AssignmentInput(
        unit=Unit.objects.get(key=QMT), criteria_set="commune-ntmnc-2021-2025", year=2024, criterion="13",
        responsible=official_qmt, due=timezone.localdate() + timedelta(days=7)), by=office_tan_tru, now=timezone.now())
    client.force_login(official_qmt)
    page = client.get(reverse("workflow:my_work")).content.decode()
    assert "sắp đến hạn" in page


def test_a_criterion_already_met_is_not_marked_overdue(official_qmt, office_tan_tru):
    actions.assign(actions.AssignmentInput(
        unit=Unit.objects.get(key=QMT), criteria_set="commune-ntmnc-2021-2025", year=2024, criterion="18",
        responsible=official_qmt, due=date(2024, 6, 30)), by=office_tan_tru, now=timezone.now())
    item = next(i for i in selectors.my_work(official_qmt, today=date(2024, 7, 1)) if i.assignment.criterion == "18")
    assert (item.status, item.due_state, item.gaps) == ("met", Due.DONE, ())


def test_my_work_lists_open_follow_ups_the_user_owns(client, official_qmt):
    client.force_login(official_qmt)
    page = client.get(reverse("workflow:my_work")).content.decode()
    assert "Hoàn chỉnh hồ sơ quy hoạch" in page


def test_my_work_needs_signing_in(client, workflow_demo):
    response = client.get(reverse("workflow:my_work"))
    assert response.status_code == 302


def test_my_work_reads_in_english(client, official_qmt):
    client.force_login(official_qmt)
    page = client.get("/en/my-work/").content.decode()
    assert "My work" in page and "overdue" in page and "68.2 / 75" in page
