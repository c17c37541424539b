"""A verified dossier locks the figures it rests on: the page, the API and the Excel import refuse a save
and say which dossier, which step and since when; the province office may unlock with a reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from ntm.api.actions import create_token
from ntm.core.recognition import Step
from ntm.exchange import layout as L
from ntm.exchange.tests.conftest import download, fill, upload
from ntm.figures.actions import FigureInput, FigureLocked, FigureRejected, record_figure, record_figures
from ntm.figures.models import Figure, FigureUnlock
from ntm.recognition import actions as recognition
from ntm.recognition.models import Dossier
from ntm.recognition.tests.conftest import BEFORE, walk
from ntm.units.models import Unit

NTMNC = "commune-ntmnc-2021-2025"
QMT = "c28084"
ENTRY = f"/entry/{QMT}/?year=2024&set={NTMNC}"


@pytest.fixture(autouse=True)
def _vietnamese_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with translation.override("vi"):
        yield


def user(name: str):
    return get_user_model().objects.get(username=name)


class People:
    def __init__(self):
        self.official = user("canbo.quemythanh")
        self.leader = user("lanhdao.quemythanh")
        self.district = user("vpdp.tantru")
        self.province = user("vpdp.longan")
        self.admin = user("quantri")


@pytest.fixture
def people(demo):
    return People()


@pytest.fixture
def verified(people) -> Dossier:
    """Quê Mỹ Thạnh's NTMNC 2024 dossier, walked through the real actions to the district's verification."""
    dossier = recognition.open_dossier(Unit.objects.get(key=QMT), level="ntmnc", year=2024, by=people.leader)
    recognition.set_conditions(dossier, by=people.official, satisfaction_rate=Decimal("95"), security_ok=True)
    return walk(dossier, people, to=Step.VERIFIED)


def current() -> Figure:
    return Figure.objects.get(unit__key=QMT, criteria_set=NTMNC, indicator="10.1", year=2024, superseded_at=None)


def post_income(client, value: str, **headers):
    return client.post(f"/entry/{QMT}/{NTMNC}/10.1/2024/", {"i10_1-value": value,
                                                            "i10_1-expected_current": current().pk},
                       headers=headers)


def test_before_verification_the_figures_are_open(client, people):
    client.force_login(people.official)
    assert post_income(client, "70", **{"HX-Request": "true"}).status_code == 200
    assert current().value == Decimal("70")


def test_the_page_shows_the_lock_and_why_and_offers_no_field(client, people, verified):
    client.force_login(people.official)
    page = client.get(ENTRY).content.decode()
    assert "Số liệu đã khóa: hồ sơ công nhận NTM nâng cao năm 2024" in page
    assert f"(hồ sơ số {verified.pk}) ở bước “Huyện đã thẩm tra” từ" in page
    assert 'name="i10_1-value"' not in page
    assert "Mở khóa số liệu" not in page  # the commune cannot unlock


def test_a_save_on_the_page_is_refused_with_the_reason(client, people, verified):
    before = current()
    client.force_login(people.official)
    html = post_income(client, "80", **{"HX-Request": "true"}).content.decode()
    assert "Số liệu đã khóa" in html and "Huyện đã thẩm tra" in html
    assert current() == before


def test_the_api_refuses_with_423_and_the_reason(client, people, verified):
    before = current()
    token = create_token(people.official, name="tests")[1]
    answer = client.post("/api/figures", {"unit": QMT, "criteria_set": NTMNC, "indicator": "10.1", "year": 2024,
                                          "value": "80", "expected_current": before.pk},
                         content_type="application/json", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 423
    assert "Số liệu đã khóa" in answer.json()["detail"] and "Huyện đã thẩm tra" in answer.json()["detail"]
    assert current() == before


def test_the_excel_import_refuses_at_preview_and_at_write(client, people, verified):
    client.force_login(people.official)
    plan = upload(client, fill(download(client), {("Quê Mỹ Thạnh", "10.1"): {L.NEW_VALUE: "80"}})).context["plan"]
    assert len(plan.errors) == 1 and "Số liệu đã khóa" in plan.errors[0].message
    item = FigureInput(unit=verified.commune, criteria_set=NTMNC, indicator="10.1", year=2024, value=Decimal(80))
    with pytest.raises(FigureRejected, match="Số liệu đã khóa"):
        record_figures([item], by=people.official)


def test_other_sets_and_years_stay_open(people, verified):
    item = FigureInput(unit=verified.commune, criteria_set=NTMNC, indicator="10.1", year=2023, value=Decimal(70))
    assert record_figure(item, by=people.official).value == Decimal(70)


@pytest.mark.parametrize("who", ["official", "district"])
def test_only_the_province_office_or_an_administrator_may_unlock(client, people, verified, who):
    client.force_login(getattr(people, who))
    answer = client.post(f"/entry/{QMT}/unlock/{verified.pk}/", {"reason": "sửa số liệu"})
    assert answer.status_code == 403
    assert not FigureUnlock.objects.exists()


def test_the_province_office_unlocks_with_a_reason_and_the_commune_saves_again(client, people, verified):
    client.force_login(people.province)
    dossier_page = client.get(f"/dossiers/d/{verified.pk}/").content.decode()
    assert "Số liệu đã khóa" in dossier_page and "Mở khóa số liệu" in dossier_page
    client.post(f"/entry/{QMT}/unlock/{verified.pk}/", {"reason": "  "})
    assert not FigureUnlock.objects.exists()  # a reason is required
    client.post(f"/entry/{QMT}/unlock/{verified.pk}/", {"reason": "Thống kê điều chỉnh thu nhập"})
    unlock = FigureUnlock.objects.get()
    assert (unlock.unlocked_by, unlock.reason, unlock.step) == (people.province, "Thống kê điều chỉnh thu nhập",
                                                                Step.VERIFIED)
    assert "Thống kê điều chỉnh thu nhập" in client.get(f"/dossiers/d/{verified.pk}/").content.decode()
    client.force_login(people.official)
    assert post_income(client, "80", **{"HX-Request": "true"}).status_code == 200
    assert current().value == Decimal("80")


def test_the_dossiers_next_step_locks_again(people, verified):
    from ntm.recognition.figure_locks import unlock_figures

    unlock_figures(verified, by=people.admin, reason="sửa lỗi nhập")
    item = FigureInput(unit=verified.commune, criteria_set=NTMNC, indicator="10.1", year=2024, value=Decimal(79))
    record_figure(item, by=people.official)
    dossier = walk(verified, people, to=Step.APPRAISED)
    assert dossier.step == Step.APPRAISED
    with pytest.raises(FigureLocked, match="Tỉnh đã thẩm định"):
        record_figure(item, by=people.official)


def test_a_dossier_returned_to_drafting_unlocks(people, verified):
    recognition.advance_dossier(verified, to=Step.RETURNED, by=people.province, comment="bổ sung", today=BEFORE)
    item = FigureInput(unit=verified.commune, criteria_set=NTMNC, indicator="10.1", year=2024, value=Decimal(79))
    assert record_figure(item, by=people.official).value == Decimal(79)


def test_an_administrator_unlocks_from_the_entry_page_and_comes_back_to_it(client, people, verified):
    client.force_login(people.admin)
    assert "Mở khóa số liệu" in client.get(ENTRY).content.decode()
    answer = client.post(f"/entry/{QMT}/unlock/{verified.pk}/", {"reason": "nhập sai", "next": ENTRY})
    assert answer.status_code == 302 and answer["Location"] == ENTRY
    assert FigureUnlock.objects.get().unlocked_by == people.admin
    assert 'name="i10_1-value"' in client.get(ENTRY).content.decode()


def test_an_unlock_cannot_send_the_user_elsewhere(client, people, verified):
    client.force_login(people.province)
    answer = client.post(f"/entry/{QMT}/unlock/{verified.pk}/", {"reason": "x", "next": "https://evil.example/"})
    assert answer["Location"] == f"/dossiers/d/{verified.pk}/"


def test_a_first_figure_of_a_locked_indicator_is_refused_too(people, verified):
    """A save reads the lock with the row it replaces; an indicator without a current row is locked all the same."""
    from django.utils import timezone

    Figure.objects.filter(pk=current().pk).update(superseded_at=timezone.now())
    item = FigureInput(unit=verified.commune, criteria_set=NTMNC, indicator="10.1", year=2024, value=Decimal(79))
    with pytest.raises(FigureLocked, match="Huyện đã thẩm tra"):
        record_figure(item, by=people.official, expected_current=None)
    assert not Figure.objects.filter(unit__key=QMT, criteria_set=NTMNC, indicator="10.1", year=2024,
                                     superseded_at=None).exists()
