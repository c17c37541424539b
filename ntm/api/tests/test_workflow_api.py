"""The API's workflow writes do what the pages do: same people allowed, same refusals (the page's words),
every answer documented in the schema."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from ntm.workflow.models import Assignment, FollowUp, Inspection

from .conftest import BTD, QMT, TAN_TRU, token_of

NTMNC_2024 = "commune-ntmnc-2021-2025"


@pytest.fixture
def workflow(demo):
    from ntm.workflow.demo import create_demo_workflow

    create_demo_workflow()
    return Inspection.objects.get(district__key=TAN_TRU, is_demo=True)


def page_as(username: str) -> Client:
    browser = Client()
    browser.force_login(get_user_model().objects.get(username=username))
    return browser


ASSIGNMENT = {"commune": QMT, "criteria_set": NTMNC_2024, "criterion": "10", "year": 2024,
              "responsible": "canbo.quemythanh", "due": "2024-09-30", "note": "API"}


def test_the_district_office_assigns_a_criterion(as_caller, workflow):
    answer = as_caller(token_of("vpdp.tantru")).post("/api/assignments", {**ASSIGNMENT, "criterion": "2"})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["unit"], body["criterion"], body["responsible"]) == (QMT, "2", "canbo.quemythanh")
    assert Assignment.objects.filter(pk=body["id"], created_by__username="vpdp.tantru").exists()


def test_a_commune_official_may_not_assign_on_the_page_nor_through_the_api(as_caller, workflow):
    page = page_as("canbo.quemythanh").post(reverse("workflow:commune_assignments", args=[QMT]), {})
    api = as_caller(token_of("canbo.quemythanh")).post("/api/assignments", ASSIGNMENT)
    assert page.status_code == api.status_code == 403
    assert api.json() == {"detail": "Không có quyền / Forbidden"}


def test_a_person_outside_the_commune_is_refused_with_the_pages_words(as_caller, workflow):
    """Bình Trinh Đông's official holds no role in Quê Mỹ Thạnh: the page's picker does not offer them."""
    outsider = get_user_model().objects.get(username="canbo.binhtrinhdong")
    page = page_as("vpdp.tantru").post(reverse("workflow:commune_assignments", args=[QMT]), {
        "commune": Assignment.objects.filter(unit__key=QMT).first().unit_id, "item": f"{NTMNC_2024}|2|",
        "year": 2024, "responsible": outsider.pk})
    api = as_caller(token_of("vpdp.tantru")).post("/api/assignments", {**ASSIGNMENT, "responsible": outsider.username})
    assert page.status_code == api.status_code == 400
    detail = api.json()["detail"]
    assert detail.startswith("Người phụ trách: ")
    assert detail.removeprefix("Người phụ trách: ") in page.content.decode()


INSPECTION = {"area": TAN_TRU, "title": "Kiểm tra qua API", "date": "2024-05-10", "communes": [QMT, BTD]}


def test_the_office_creates_an_inspection_and_lists_it(as_caller, workflow):
    office = as_caller(token_of("vpdp.tantru"))
    answer = office.post("/api/inspections", INSPECTION)
    assert answer.status_code == 201, answer.content
    assert answer.json()["communes"] == sorted([QMT, BTD])
    listed = office.get("/api/inspections", area=TAN_TRU)
    assert answer.json()["id"] in {i["id"] for i in listed.json()}


def test_a_department_may_not_create_an_inspection(as_caller, workflow):
    page = page_as("phong.yte").post(reverse("workflow:inspections", args=[TAN_TRU]), {})
    api = as_caller(token_of("phong.yte")).post("/api/inspections", INSPECTION)
    assert page.status_code == api.status_code == 403


def test_a_commune_outside_the_area_is_refused(as_caller, workflow):
    api = as_caller(token_of("vpdp.tantru")).post("/api/inspections", {**INSPECTION, "communes": ["c00001"]})
    assert api.status_code == 400
    assert api.json()["detail"].startswith("Các xã được kiểm tra: ")


def test_the_office_records_a_finding_and_a_follow_up(as_caller, workflow):
    office = as_caller(token_of("vpdp.tantru"))
    finding = office.post(f"/api/inspections/{workflow.pk}/findings", {
        "commune": QMT, "text": "Đường ấp 3 chưa cứng hóa.", "criteria_set": NTMNC_2024, "criterion": "2",
        "status_seen": "not_met"})
    assert finding.status_code == 201, finding.content
    assert (finding.json()["commune"], finding.json()["criterion"]) == (QMT, "2")
    follow_up = office.post(f"/api/inspections/{workflow.pk}/follow-ups", {
        "commune": QMT, "text": "Cứng hóa đường ấp 3.", "owner": "canbo.quemythanh", "due": "2024-12-31"})
    assert follow_up.status_code == 201, follow_up.content
    assert FollowUp.objects.get(pk=follow_up.json()["id"]).owner.username == "canbo.quemythanh"


def test_a_commune_not_in_the_inspection_is_refused_like_the_page(as_caller, workflow):
    from ntm.units.models import Unit

    outside = Unit.objects.filter(parent__key=TAN_TRU, kind="commune").exclude(
        pk__in=workflow.communes.values("pk")).first()
    api = as_caller(token_of("vpdp.tantru")).post(f"/api/inspections/{workflow.pk}/findings",
                                                  {"commune": outside.key, "text": "x"})
    page = page_as("vpdp.tantru").post(reverse("workflow:add_finding", args=[TAN_TRU, workflow.pk]),
                                       {"commune": outside.pk, "text": "x"})
    assert page.status_code == api.status_code == 400
    detail = api.json()["detail"]
    assert detail.startswith("Xã: ")
    assert detail.removeprefix("Xã: ") in page.content.decode()


def test_a_commune_official_may_not_add_follow_ups(as_caller, workflow):
    page = page_as("canbo.quemythanh").post(reverse("workflow:add_follow_up", args=[TAN_TRU, workflow.pk]), {})
    api = as_caller(token_of("canbo.quemythanh")).post(f"/api/inspections/{workflow.pk}/follow-ups", {
        "commune": QMT, "text": "x", "owner": "canbo.quemythanh"})
    assert page.status_code == api.status_code == 403


def test_the_owner_marks_a_follow_up_done_and_another_commune_may_not(as_caller, workflow):
    follow_up = FollowUp.objects.filter(owner__username="canbo.quemythanh", done_at__isnull=True).first()
    page = page_as("canbo.binhtrinhdong").post(reverse("workflow:mark_done", args=[follow_up.pk]), {})
    api = as_caller(token_of("canbo.binhtrinhdong")).post(f"/api/follow-ups/{follow_up.pk}/done", {})
    assert page.status_code == api.status_code == 403
    done = as_caller(token_of("canbo.quemythanh")).post(f"/api/follow-ups/{follow_up.pk}/done", {"note": "Xong."})
    assert done.status_code == 200
    assert done.json()["done_at"] and done.json()["done_note"] == "Xong."


def test_an_unknown_inspection_is_404_with_the_one_error_shape(as_caller, workflow):
    answer = as_caller(token_of("vpdp.tantru")).post("/api/inspections/999999/findings", {"commune": QMT, "text": "x"})
    assert answer.status_code == 404
    assert set(answer.json()) == {"detail"}


@pytest.mark.parametrize(("path", "method", "codes"), [
    ("/api/assignments", "post", {"201", "400", "401", "403", "404"}),
    ("/api/inspections", "get", {"200", "401", "403", "404"}),
    ("/api/inspections", "post", {"201", "400", "401", "403", "404"}),
    ("/api/inspections/{inspection_id}/findings", "post", {"201", "400", "401", "403", "404"}),
    ("/api/inspections/{inspection_id}/follow-ups", "post", {"201", "400", "401", "403", "404"}),
    ("/api/follow-ups/{follow_up_id}/done", "post", {"200", "400", "401", "403", "404"}),
])
def test_the_schema_lists_every_answer(client, db, path, method, codes):
    operation = client.get("/api/openapi.json").json()["paths"][path][method]
    assert codes <= set(operation["responses"])


def test_every_refusal_has_the_one_error_shape(client, as_caller, workflow):
    """401, 403, 404 and 422 all answer `{"detail": "<words>"}`."""
    office = as_caller(token_of("vpdp.tantru"))
    answers = [
        as_caller(None).post("/api/inspections", INSPECTION),
        as_caller(token_of("phong.yte")).post("/api/inspections", INSPECTION),
        office.post("/api/inspections", {**INSPECTION, "area": "d999999"}),
        office.post("/api/inspections", {**INSPECTION, "date": "not a date"}),
    ]
    assert [a.status_code for a in answers] == [401, 403, 404, 422]
    for answer in answers:
        body = answer.json()
        assert set(body) == {"detail"} and isinstance(body["detail"], str) and body["detail"]
    assert "date" in answers[3].json()["detail"]


def test_the_same_assignment_twice_is_refused_not_a_server_error(as_caller, workflow):
    office = as_caller(token_of("vpdp.tantru"))
    item = {**ASSIGNMENT, "criterion": "3"}
    assert office.post("/api/assignments", item).status_code == 201
    again = office.post("/api/assignments", item)
    assert again.status_code == 400
    assert again.json() == {"detail": "Người này đã được giao mục này."}
