"""What `ntm units import` prints when it is done, in both languages: the provinces (or "all 63"), the time, and
units and successions created, updated or unchanged, broken down by kind only where there are some."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from ntm.units.actions import ImportReport
from ntm.units.management.commands.units import report_lines


def report(**changes: Any) -> ImportReport:
    base = ImportReport(provinces=["Long An"], created=Counter(province=1, district=15, commune=188),
                        updated=Counter(), unchanged=Counter(commune=3), successions_created=190,
                        successions_updated=2, successions_unchanged=0, seconds=4.26)
    return replace(base, **changes)


def test_the_report_in_vietnamese_names_the_province_and_counts_by_kind():
    assert report_lines(report()) == [
        "Đã nhập đơn vị hành chính của Long An và các đơn vị kế thừa từ 1/7/2025 trong 4.3 giây.",
        "Đơn vị: tạo mới 204 (1 tỉnh/thành phố, 15 huyện, 188 xã), cập nhật 0, không đổi 3.",
        "Quan hệ kế thừa: tạo mới 190, cập nhật 2, không đổi 0.",
    ]


def test_the_report_in_english():
    assert report_lines(report(), "en") == [
        "Imported units of Long An and their successors from 1/7/2025 in 4.3 s.",
        "Units: 204 created (1 province, 15 districts, 188 communes), 0 updated, 3 unchanged.",
        "Successions: 190 created, 2 updated, 0 unchanged.",
    ]


def test_several_provinces_are_listed_and_all_of_them_said_in_words():
    assert report_lines(report(provinces=["Long An", "Tây Ninh"]))[0].startswith(
        "Đã nhập đơn vị hành chính của Long An, Tây Ninh và")
    everything = report(provinces=[f"Tỉnh {n}" for n in range(63)])
    assert "của cả 63 tỉnh/thành phố và" in report_lines(everything)[0]
    assert "Imported units of all 63 provinces and" in report_lines(everything, "en")[0]


def test_a_second_run_reports_everything_unchanged_without_an_empty_breakdown():
    again = report(created=Counter(), unchanged=Counter(province=1, district=15, commune=188, ward=4),
                   successions_created=0, successions_updated=0, successions_unchanged=192)
    assert report_lines(again)[1] == "Đơn vị: tạo mới 0, cập nhật 0, không đổi 208."
    assert report_lines(again, "en")[2] == "Successions: 0 created, 0 updated, 192 unchanged."


def test_the_breakdown_follows_the_order_of_the_levels_not_of_the_counts():
    mixed = report(created=Counter(hamlet=2, commune=5, ward=1, province=1))
    assert "(1 tỉnh/thành phố, 5 xã, 1 phường/thị trấn, 2 ấp/thôn)" in report_lines(mixed)[1]
    assert "(1 province, 5 communes, 1 ward, 2 hamlets)" in report_lines(mixed, "en")[1]
