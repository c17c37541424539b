import pytest
from django.urls import reverse

from ntm.units.models import Unit
from ntm.workflow.models import Assignment

from .conftest import BTD, QMT, TAN_TRU


def _post(client, user, url, responsible, commune=QMT):
    client.force_login(user)
    return client.post(url, {
        "commune": Unit.objects.get(key=commune).pk, "item": "commune-ntmnc-2021-2025|18|", "year": 2024,
        "responsible": responsible.pk, "department": "environment", "due": "2024-09-30", "note": "Nước sạch",
    })


def test_the_district_office_assigns_a_criterion_to_a_commune_official(client, office_tan_tru, official_qmt):
    response = _post(client, office_tan_tru, reverse("workflow:district_assignments", args=[TAN_TRU]), official_qmt)
    assert response.status_code == 302
    a = Assignment.objects.get(criterion="18", responsible=official_qmt)
    assert (a.unit.key, a.department, a.created_by, str(a.due)) == (QMT, "environment", office_tan_tru, "2024-09-30")
    page = client.get(reverse("workflow:district_assignments", args=[TAN_TRU])).content.decode()
    assert "18. Chất lượng môi trường sống" in page


def test_the_commune_page_names_who_answers_for_an_assigned_criterion(client, office_tan_tru, official_qmt):
    from ntm.accounts.names import display_name

    _post(client, office_tan_tru, reverse("workflow:district_assignments", args=[TAN_TRU]), official_qmt)
    page = client.get(reverse("evaluation:commune", args=[QMT]), {"level": "ntmnc", "year": 2024}).content.decode()
    assert f"{display_name(official_qmt)} (hạn 30/09/2024)" in page


def test_the_same_assignment_twice_is_refused_with_words_and_written_once(client, office_tan_tru, official_qmt):
    url = reverse("workflow:district_assignments", args=[TAN_TRU])
    assert _post(client, office_tan_tru, url, official_qmt).status_code == 302
    again = _post(client, office_tan_tru, url, official_qmt)
    assert again.status_code == 400  # the form again, with the refusal
    assert "Người này đã được giao mục này." in again.content.decode()
    assert Assignment.objects.filter(criterion="18", responsible=official_qmt).count() == 1


def test_a_commune_official_of_another_commune_cannot_assign_and_nothing_is_written(client, official_btd,
                                                                                      official_qmt):
    before = Assignment.objects.count()
    for url in (reverse("workflow:district_assignments", args=[TAN_TRU]),
                reverse("workflow:commune_assignments", args=[QMT])):
        assert _post(client, official_btd, url, official_qmt).status_code == 403
    assert Assignment.objects.count() == before


def test_a_commune_official_cannot_assign_in_their_own_commune(client, official_qmt):
    before = Assignment.objects.count()
    url = reverse("workflow:commune_assignments", args=[QMT])
    assert _post(client, official_qmt, url, official_qmt).status_code == 403
    assert Assignment.objects.count() == before


def test_the_commune_leader_assigns_within_the_commune(client, leader_qmt, official_qmt):
    response = _post(client, leader_qmt, reverse("workflow:commune_assignments", args=[QMT]), official_qmt)
    assert response.status_code == 302
    assert Assignment.objects.filter(criterion="18", unit__key=QMT, created_by=leader_qmt).exists()


def test_the_commune_leader_cannot_assign_in_another_commune(client, leader_qmt, official_btd):
    before = Assignment.objects.count()
    url = reverse("workflow:commune_assignments", args=[BTD])
    assert _post(client, leader_qmt, url, official_btd, commune=BTD).status_code == 403
    assert Assignment.objects.count() == before


def test_the_leader_cannot_slip_another_commune_into_their_own_form(client, leader_qmt, official_btd):
    before = Assignment.objects.count()
    url = reverse("workflow:commune_assignments", args=[QMT])
    assert _post(client, leader_qmt, url, official_btd, commune=BTD).status_code == 400
    assert Assignment.objects.count() == before


@pytest.mark.parametrize("username", ["phong.nongnghiep", "lanhdao.tantru"])
def test_district_readers_see_assignments_without_the_form_and_cannot_post(client, workflow_demo, username,
                                                                           official_qmt):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    url = reverse("workflow:district_assignments", args=[TAN_TRU])
    page = client.get(url)
    assert page.status_code == 200 and 'name="item"' not in page.content.decode()
    before = Assignment.objects.count()
    assert _post(client, user, url, official_qmt).status_code == 403
    assert Assignment.objects.count() == before
