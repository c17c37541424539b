"""The inbox (unread first, marked read with htmx) and the district's revocation-risk page."""

import pytest
from django.urls import reverse

from ntm.alerts.models import Alert
from ntm.alerts.selectors import unread_count

from .conftest import fail, record


@pytest.fixture
def slipped(people, que_my_thanh):
    return record(que_my_thanh, "10.1", value=60)


def test_the_inbox_lists_the_users_alerts_unread_first(client, people, slipped):
    client.force_login(people["canbo.quemythanh"])
    page = client.get(reverse("alerts:inbox")).content.decode()
    assert "trước đạt, nay chưa đạt" in page and "1 cảnh báo chưa đọc" in page
    assert unread_count(people["canbo.quemythanh"]) == 1
    assert unread_count(people["lanhdao.quemythanh"]) == 0


def test_marking_read_with_htmx_returns_the_alert_fragment(client, people, slipped):
    mine = next(a for a in slipped if a.recipient.username == "canbo.quemythanh")
    client.force_login(people["canbo.quemythanh"])
    response = client.post(reverse("alerts:mark_read", args=[mine.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200 and "alert-read" in response.content.decode()
    assert unread_count(people["canbo.quemythanh"]) == 0


def test_someone_elses_alert_cannot_be_marked_read(client, people, slipped):
    theirs = next(a for a in slipped if a.recipient.username == "vpdp.tantru")
    client.force_login(people["canbo.quemythanh"])
    assert client.post(reverse("alerts:mark_read", args=[theirs.pk])).status_code == 404
    assert Alert.objects.get(pk=theirs.pk).read_at is None


@pytest.mark.parametrize("username", ["vpdp.tantru", "lanhdao.tantru", "vpdp.longan", "quantri"])
def test_the_office_leaders_and_province_see_communes_at_risk_with_the_reason(client, people, recognised_qmt,
                                                                              username):
    fail(recognised_qmt, "1.0", "2.0", "4.0", "6.0", "7.0")
    record(recognised_qmt, "10.1", value=60)
    client.force_login(people[username])
    page = client.get(reverse("alerts:revocation_risk", args=["d805"]), {"year": 2024}).content.decode()
    assert "Xã Quê Mỹ Thạnh" in page and "6/19 tiêu chí chưa đạt (31.6%)" in page


@pytest.mark.parametrize("username", ["canbo.quemythanh", "lanhdao.quemythanh", "phong.yte"])
def test_others_are_refused_the_revocation_risk_page(client, people, username):
    client.force_login(people[username])
    assert client.get(reverse("alerts:revocation_risk", args=["d805"])).status_code == 403
