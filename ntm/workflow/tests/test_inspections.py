import re
from datetime import date

from django.contrib.auth import get_user_model
from django.urls import reverse

from ntm.units.models import Unit
from ntm.workflow import selectors
from ntm.workflow.models import Finding, FollowUp, Inspection

from .conftest import QMT, TAN_TRU


def _march(workflow_demo=None) -> Inspection:
    return Inspection.objects.get(district__key=TAN_TRU, is_demo=True)


def test_the_office_records_an_inspection_a_finding_and_a_follow_up_that_its_owner_marks_done(
        client, office_tan_tru, official_qmt):
    client.force_login(office_tan_tru)
    qmt = Unit.objects.get(key=QMT)
    response = client.post(reverse("workflow:inspections", args=[TAN_TRU]), {
        "title": "Kiểm tra tiến độ tháng 6/2024", "date": "2024-06-10", "team": "VPĐP", "communes": [qmt.pk]})
    assert response.status_code == 302
    inspection = Inspection.objects.get(title="Kiểm tra tiến độ tháng 6/2024")
    page_url = reverse("workflow:inspection", args=[TAN_TRU, inspection.pk])
    assert response.url == page_url
    client.post(reverse("workflow:add_finding", args=[TAN_TRU, inspection.pk]), {
        "commune": qmt.pk, "criterion": "commune-ntmnc-2021-2025|10", "status_seen": "not_met",
        "text": "Chưa có phương án nâng thu nhập"})
    client.post(reverse("workflow:add_follow_up", args=[TAN_TRU, inspection.pk]), {
        "commune": qmt.pk, "text": "Lập phương án nâng thu nhập", "owner": official_qmt.pk, "due": "2024-07-15"})
    follow_up = FollowUp.objects.get(text="Lập phương án nâng thu nhập")
    assert Finding.objects.filter(inspection=inspection, criterion="10").exists()
    page = client.get(page_url).content.decode()
    assert "10. Thu nhập" in page and "Lập phương án nâng thu nhập" in page

    client.force_login(official_qmt)
    response = client.post(reverse("workflow:mark_done", args=[follow_up.pk]), {"note": "Đã trình UBND xã"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Đã xong" in response.content.decode() and "<html" not in response.content.decode()
    follow_up.refresh_from_db()
    assert (follow_up.done_by, follow_up.done_note) == (official_qmt, "Đã trình UBND xã")


def test_marking_done_twice_keeps_the_first_closing(client, official_qmt, office_tan_tru):
    follow_up = FollowUp.objects.filter(owner=official_qmt, done_at__isnull=True).first()
    client.force_login(official_qmt)
    client.post(reverse("workflow:mark_done", args=[follow_up.pk]), {"note": "lần 1"})
    client.force_login(office_tan_tru)
    client.post(reverse("workflow:mark_done", args=[follow_up.pk]), {"note": "lần 2"})
    follow_up.refresh_from_db()
    assert (follow_up.done_by, follow_up.done_note) == (official_qmt, "lần 1")


def test_someone_else_cannot_mark_a_follow_up_done_and_nothing_is_written(client, official_btd, official_qmt):
    follow_up = FollowUp.objects.filter(owner=official_qmt, done_at__isnull=True).first()
    client.force_login(official_btd)
    assert client.post(reverse("workflow:mark_done", args=[follow_up.pk]), {"note": "x"}).status_code == 403
    follow_up.refresh_from_db()
    assert follow_up.done_at is None


def test_the_office_marks_any_follow_up_of_its_district_done(client, office_tan_tru):
    follow_up = FollowUp.objects.filter(inspection=_march(), done_at__isnull=True).first()
    client.force_login(office_tan_tru)
    assert client.post(reverse("workflow:mark_done", args=[follow_up.pk])).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.done_by == office_tan_tru


def test_on_the_articles_day_two_follow_ups_of_the_march_inspection_are_overdue(workflow_demo):
    rows = selectors.overdue_follow_ups(Unit.objects.get(key=TAN_TRU), today=date(2024, 5, 8))
    assert sorted(r.follow_up.commune.name for r in rows) == ["Bình Lãng", "Quê Mỹ Thạnh"]
    assert all(r.due_label == "quá hạn" for r in rows)


def test_the_overdue_list_is_for_the_office(client, office_tan_tru, official_qmt):
    client.force_login(office_tan_tru)
    page = client.get(reverse("workflow:overdue", args=[TAN_TRU])).content.decode()
    assert "Hoàn chỉnh hồ sơ quy hoạch" in page and "quá hạn" in page
    assert "Xóa điểm tập kết rác" not in page  # done in April
    client.force_login(official_qmt)
    assert client.get(reverse("workflow:overdue", args=[TAN_TRU])).status_code == 403


def test_only_the_office_creates_inspections_findings_and_follow_ups(client, official_qmt, workflow_demo):
    inspection = _march()
    qmt = Unit.objects.get(key=QMT)
    leader = get_user_model().objects.get(username="lanhdao.tantru")
    counts = (Inspection.objects.count(), Finding.objects.count(), FollowUp.objects.count())
    for user in (official_qmt, leader):
        client.force_login(user)
        posts = [
            (reverse("workflow:inspections", args=[TAN_TRU]),
             {"title": "x", "date": "2024-06-01", "communes": [qmt.pk]}),
            (reverse("workflow:add_finding", args=[TAN_TRU, inspection.pk]), {"commune": qmt.pk, "text": "x"}),
            (reverse("workflow:add_follow_up", args=[TAN_TRU, inspection.pk]),
             {"commune": qmt.pk, "text": "x", "owner": official_qmt.pk}),
        ]
        for url, data in posts:
            assert client.post(url, data).status_code == 403, (user, url)
    assert (Inspection.objects.count(), Finding.objects.count(), FollowUp.objects.count()) == counts


def test_the_district_leader_reads_the_inspection_without_forms(client, workflow_demo):
    client.force_login(get_user_model().objects.get(username="lanhdao.tantru"))
    page = client.get(reverse("workflow:inspection", args=[TAN_TRU, _march().pk])).content.decode()
    assert "tháng 3/2024" in page and "Thêm ghi nhận" not in page


def test_the_inspection_pages_two_forms_give_each_label_its_own_field(client, office_tan_tru, workflow_demo):
    """Both forms have a commune and a text: with Django's default ids the follow-up form's labels pointed
    at the finding form's fields (duplicate id_commune, id_text)."""
    client.force_login(office_tan_tru)
    page = client.get(reverse("workflow:inspection", args=[TAN_TRU, _march().pk])).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for form in ("finding", "follow_up"):
        for field in ("commune", "text"):
            assert f'<label for="{form}_{field}">' in page and f'id="{form}_{field}"' in page
