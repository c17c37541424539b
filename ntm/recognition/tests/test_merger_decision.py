"""The path of a commune formed by a merger: proposed by the rule, chosen and recorded by the office of
its province (or an administrator), shown to every reader of the commune page."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ntm.recognition.models import MergerDecision
from ntm.units.models import Recognition, Unit

NHUT_TAO = "c28087-2025"


def as_user(client, username: str):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def commune_page(client) -> str:
    return client.get(reverse("evaluation:commune", args=[NHUT_TAO])).content.decode()


def decide(client, **data):
    return client.post(reverse("recognition:merger", args=[NHUT_TAO]), data)


@pytest.fixture
def recognised_predecessors(demo_2026):
    """The three Tân Trụ communes that formed Xã Nhựt Tảo held NTM; Nhị Thành (Thủ Thừa) has no data."""
    for key, year in (("c28084", 2019), ("c28087", 2018), ("c28078", 2020)):
        Recognition.objects.create(unit=Unit.objects.get(key=key), level="ntm", year=year, is_demo=True)


@pytest.mark.django_db
def test_a_commune_official_gets_no_form_and_is_refused_if_it_posts(client, recognised_predecessors):
    as_user(client, "canbo.nhuttao")

    assert reverse("recognition:merger", args=[NHUT_TAO]) not in commune_page(client)
    assert decide(client, path="recognise", level="ntm").status_code == 403
    assert client.get(reverse("recognition:merger", args=[NHUT_TAO])).status_code == 403
    assert not MergerDecision.objects.exists()


@pytest.mark.django_db
def test_the_office_of_another_province_is_refused(client, recognised_predecessors):
    as_user(client, "vpdp.longan")  # the old Long An: Xã Nhựt Tảo lies in the new Tây Ninh

    assert decide(client, path="recognise", level="ntm").status_code == 403


@pytest.mark.django_db
def test_the_province_office_records_the_path_and_every_reader_sees_it(client, recognised_predecessors):
    as_user(client, "vpdp.tayninh")
    form_page = commune_page(client)
    assert reverse("recognition:merger", args=[NHUT_TAO]) in form_page

    response = decide(client, path="recognise", level="ntm", decision_number="123/QĐ-UBND",
                      decision_date="15/09/2025", note="Xã Nhị Thành đã đạt chuẩn NTM năm 2019 (hồ sơ tỉnh).")

    assert response.status_code == 302 and response["Location"].endswith(f"/commune/{NHUT_TAO}/#merger")
    decision = MergerDecision.objects.get()
    assert (decision.path, decision.level, decision.decision_number) == ("recognise", "ntm", "123/QĐ-UBND")
    assert decision.decision_date.isoformat() == "2025-09-15"  # typed day first
    assert decision.decided_by.username == "vpdp.tayninh"
    assert decision.proposed_path == ""  # the rule gave none: Nhị Thành's title is unknown
    as_user(client, "canbo.nhuttao")
    page = commune_page(client)
    assert "Tỉnh đã chọn:" in page and "Công nhận xã mới theo mức các xã cũ đã đạt" in page
    assert "123/QĐ-UBND" in page and "Đề xuất, tỉnh chưa quyết định." not in page


@pytest.mark.django_db
def test_a_recognition_without_a_level_or_another_path_without_a_note_is_refused_with_the_reason(
        client, recognised_predecessors):
    as_user(client, "vpdp.tayninh")

    no_level = decide(client, path="recognise", level="")
    no_note = decide(client, path="other", level="", note=" ")

    assert "Công nhận xã mới cần ghi mức công nhận." in no_level.content.decode()
    assert "Hướng khác cần ghi rõ trong ghi chú." in no_note.content.decode()
    assert not MergerDecision.objects.exists()


@pytest.mark.django_db
def test_a_later_choice_replaces_the_earlier_one_which_is_kept(client, recognised_predecessors):
    as_user(client, "vpdp.tayninh")
    decide(client, path="recognise", level="ntm")
    decide(client, path="reassess", level="ntm", note="Xã Nhị Thành chưa đạt chuẩn.")

    page = commune_page(client)

    assert MergerDecision.objects.count() == 2
    assert 'data-path="reassess"' in page and 'data-path="recognise"' not in page


@pytest.mark.django_db
def test_a_commune_not_formed_by_a_merger_has_no_path_to_record(client, demo_2026):
    as_user(client, "quantri")

    response = client.post(reverse("recognition:merger", args=["c28084"]), {"path": "recognise", "level": "ntm"})

    assert response.status_code == 404
