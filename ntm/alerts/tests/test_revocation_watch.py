"""A recognised commune with too many unmet criteria (18/2022) is flagged to the office and leaders."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from ntm.alerts.actions import revocation_watch
from ntm.alerts.models import Alert, AlertKind
from ntm.alerts.selectors import at_risk
from ntm.figures.models import Figure

from .conftest import NTM, fail, record

FOUR_NON_KEY = ("1.0", "2.0", "4.0", "6.0")


def risk_recipients(alerts):
    return sorted(a.recipient.username for a in alerts if a.kind == AlertKind.REVOCATION_RISK)


def test_six_of_nineteen_unmet_with_income_puts_the_title_at_risk(people, recognised_qmt):
    alerts = fail(recognised_qmt, *FOUR_NON_KEY, "7.0") + record(recognised_qmt, "10.1", value=60)
    assert risk_recipients(alerts) == ["lanhdao.tantru", "vpdp.tantru"]
    [row] = at_risk([recognised_qmt.pk], 2024)
    assert row.risk.key_unmet == ("10",) and len(row.risk.unmet) == 6
    assert "6/19" in row.reason and "trọng yếu 10" in row.reason


def test_five_of_nineteen_unmet_with_income_is_not_at_risk(people, recognised_qmt):
    alerts = fail(recognised_qmt, *FOUR_NON_KEY) + record(recognised_qmt, "10.1", value=60)
    assert risk_recipients(alerts) == []
    assert at_risk([recognised_qmt.pk], 2024) == []


def test_a_commune_without_a_live_title_is_not_watched(people, que_my_thanh):
    alerts = fail(que_my_thanh, *FOUR_NON_KEY, "7.0") + record(que_my_thanh, "10.1", value=60)
    assert risk_recipients(alerts) == []


def test_the_same_risk_is_announced_once(people, recognised_qmt):
    fail(recognised_qmt, *FOUR_NON_KEY, "7.0")
    record(recognised_qmt, "10.1", value=60)
    assert revocation_watch([recognised_qmt.pk], 2024) == []


def test_a_save_on_the_entry_page_watches_the_title_as_the_action_does(client, people, recognised_qmt):
    """The page reads whether the commune holds a title with the commune itself (the watch reads no more)."""
    fail(recognised_qmt, *FOUR_NON_KEY, "7.0")
    client.force_login(get_user_model().objects.get(username="canbo.quemythanh"))
    url = reverse("figures:save", args=[recognised_qmt.key, NTM, "10.1", 2024])
    shown = Figure.objects.get(unit=recognised_qmt, criteria_set=NTM, indicator="10.1", year=2024,
                               superseded_at=None)
    response = client.post(url, {"i10_1-value": "60", "i10_1-expected_current": shown.pk},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert risk_recipients(Alert.objects.all()) == ["lanhdao.tantru", "vpdp.tantru"]
