"""The digest and alert mails as text (`ntm.alerts.digest`) and alert texts (`ntm.alerts.messages`): what a
reader sees, in Vietnamese or English, from plain rows. The mailing itself is in test_notify.py."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from ntm.alerts.digest import DigestInput, WorkRow, build_alert_mail, build_digest
from ntm.alerts.messages import alert_message

TODAY = date(2024, 6, 20)


def test_overdue_work_comes_first_and_each_list_is_by_due_date():
    data = DigestInput("Nguyễn Văn An", TODAY,
                       due=(WorkRow("Cập nhật thu nhập", date(2024, 6, 25), "Xã Quê Mỹ Thạnh"),
                            WorkRow("Họp dân", date(2024, 6, 22))),
                       overdue=(WorkRow("Nộp báo cáo", date(2024, 6, 10), "Xã Tân Trụ"),
                                WorkRow("Kiểm tra đường", date(2024, 5, 2), "Xã Tân Trụ")))

    subject, body = build_digest(data)

    assert subject == "NTM Tracker: bản tin ngày 20/06/2024 — 2 sắp đến hạn, 2 quá hạn, 0 cảnh báo"
    assert body.split("\n") == [
        "Kính gửi Nguyễn Văn An,", "",
        "Quá hạn (2):",
        "- Kiểm tra đường (Xã Tân Trụ) — hạn 02/05/2024",
        "- Nộp báo cáo (Xã Tân Trụ) — hạn 10/06/2024", "",
        "Đến hạn trong 7 ngày (2):",
        "- Họp dân — hạn 22/06/2024",
        "- Cập nhật thu nhập (Xã Quê Mỹ Thạnh) — hạn 25/06/2024", "",
        "Xem và đánh dấu đã đọc tại trang Cảnh báo của NTM Tracker.",
    ]


def test_a_digest_of_alerts_only_has_no_empty_work_sections():
    data = DigestInput("Lê Thị Bình", TODAY, alerts=("Xã Quê Mỹ Thạnh: tiêu chí 10 trước đạt, nay chưa đạt.",))

    subject, body = build_digest(data)

    assert subject.endswith("0 sắp đến hạn, 0 quá hạn, 1 cảnh báo")
    assert "Quá hạn" not in body and "Đến hạn" not in body
    assert "Tiêu chí tụt hạng và cảnh báo (1):\n- Xã Quê Mỹ Thạnh: tiêu chí 10" in body


@pytest.mark.parametrize("lang", ["en", "en-gb"])
def test_the_digest_reads_in_english_with_iso_dates(lang):
    data = DigestInput("An", TODAY, due=(WorkRow("Income update", date(2024, 6, 25), "Que My Thanh"),))

    subject, body = build_digest(data, lang)

    assert subject == "NTM Tracker: digest for 2024-06-20 — 1 due soon, 0 overdue, 0 alerts"
    assert body.startswith("Dear An,\n\nDue within 7 days (1):\n- Income update (Que My Thanh) — due 2024-06-25")
    assert body.endswith("See them and mark them read on the Alerts page of NTM Tracker.")


def test_an_unknown_language_falls_back_to_vietnamese():
    subject, _body = build_digest(DigestInput("An", TODAY, alerts=("x",)), "fr")
    assert subject.startswith("NTM Tracker: bản tin ngày")


def test_the_alert_mail_lists_the_alerts_in_either_language():
    alerts = ("Xã A: tiêu chí 5 trước đạt, nay chưa đạt.", "Xã B có nguy cơ bị thu hồi danh hiệu NTM")

    subject, body = build_alert_mail("Trần Văn Cường", alerts)
    assert subject == "NTM Tracker: 2 cảnh báo mới"
    assert body.split("\n") == ["Kính gửi Trần Văn Cường,", "", f"- {alerts[0]}", f"- {alerts[1]}", "",
                                "Xem và đánh dấu đã đọc tại trang Cảnh báo của NTM Tracker."]

    subject, body = build_alert_mail("Cuong", alerts[:1], "en")
    assert subject == "NTM Tracker: 1 new alert(s)" and body.startswith("Dear Cuong,\n\n- Xã A")


SLIPPED = {"commune": "Xã Quê Mỹ Thạnh", "criterion": "10", "criterion_name_vi": "Thu nhập",
           "criterion_name_en": "Income", "set_name_vi": "NTM 2021–2025", "set_name_en": "NTM 2021–2025 (en)",
           "year": 2024}


def test_a_slipped_criterion_is_told_with_the_names_in_the_readers_language():
    with translation.override("vi"):
        assert alert_message("criterion_slipped", SLIPPED) == (
            "Xã Quê Mỹ Thạnh: tiêu chí 10 “Thu nhập” (NTM 2021–2025, năm 2024) trước đạt, nay chưa đạt.")
    with translation.override("en"):
        assert alert_message("criterion_slipped", SLIPPED) == (
            "Xã Quê Mỹ Thạnh: criterion 10 “Income” (NTM 2021–2025 (en), 2024) was met and is no longer met.")


def test_an_english_reader_gets_the_vietnamese_name_when_no_english_one_was_stored():
    params = {**SLIPPED, "criterion_name_en": "", "set_name_en": None}

    with translation.override("en"):
        text = alert_message("criterion_slipped", params)

    assert "“Thu nhập” (NTM 2021–2025, 2024)" in text


def test_revocation_risk_and_deadlines_are_told_in_both_languages():
    risk = {"commune": "Xã Tân Trụ", "level_name_vi": "NTM nâng cao", "level_name_en": "advanced NTM",
            "reason_vi": "tiêu chí 17 chưa đạt 2 năm", "reason_en": "criterion 17 unmet for 2 years"}
    with translation.override("vi"):
        assert alert_message("revocation_risk", risk) == (
            "Xã Tân Trụ có nguy cơ bị thu hồi danh hiệu NTM nâng cao: tiêu chí 17 chưa đạt 2 năm")
        assert alert_message("due", {"due": "25/06/2024", "title": "Họp dân"}) == "Đến hạn ngày 25/06/2024: Họp dân"
        assert alert_message("overdue", {"due": "10/06/2024", "title": "Nộp báo cáo"}) == (
            "Quá hạn từ ngày 10/06/2024: Nộp báo cáo")
    with translation.override("en"):
        assert alert_message("revocation_risk", risk) == (
            "Xã Tân Trụ risks losing its advanced NTM title: criterion 17 unmet for 2 years")
        assert alert_message("overdue", {"due": "2024-06-10", "title": "Report"}) == "Overdue since 2024-06-10: Report"


def test_an_alert_of_an_unknown_kind_still_shows_its_facts():
    assert alert_message("new_kind", {"commune": "Xã A"}) == "{'commune': 'Xã A'}"
