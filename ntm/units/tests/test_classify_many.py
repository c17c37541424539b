"""Recording a decision's list of classifications (`ntm.units.actions.classify_many`): every problem of the list
named at once in both languages and nothing written, the group as offices write it, and a decision applied twice
counted as unchanged. History and evaluation are in test_classification.py."""

from __future__ import annotations

from datetime import date

import pytest

from ntm.units.actions import ClassificationRefused, Decision, classify_many, parse_group
from ntm.units.models import Classification

from .conftest import build_commune

DECISION = Decision("88/QĐ-UBND", date(2026, 2, 20), "UBND tỉnh")
FROM = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("raw", "group"),
    [(1, "G1"), (2.0, "G2"), ("3", "G3"), ("G2", "G2"), ("g3", "G3"), ("Nhóm 1", "G1"), ("nhom 2", "G2"),
     ("Xã nhóm 3", "G3"), ("Group 1", "G1"), (None, ""), ("", ""), ("Nhóm", ""),
     (4, None), ("nhóm 5", None), (1.5, None), ("G 1 A", None), ("một", None)],
)
def test_a_group_is_read_as_offices_write_it(raw, group):
    assert parse_group(raw) == group


def refused(assignments, decision=DECISION, valid_from=FROM) -> ClassificationRefused:
    before = Classification.objects.count()
    with pytest.raises(ClassificationRefused) as caught:
        classify_many(assignments, decision=decision, valid_from=valid_from)
    assert Classification.objects.count() == before
    return caught.value


def test_every_problem_of_a_list_is_named_at_once_in_both_languages(province, communes):
    dahuoai, baolam, _dilinh = communes

    problem = refused([(dahuoai.pk, "group", "G1"), (dahuoai.pk, "group", "nhóm 2"), (baolam.pk, "region", "DBSH"),
                       (baolam.pk, "region", "Tây Nguyên"), (province.pk, "mountain", True), (987654, "group", 1),
                       (baolam.pk, "island", "có")], decision=Decision(" ", None), valid_from=None)

    assert problem.messages() == [
        "Thiếu số quyết định.", "Thiếu ngày ký quyết định.", "Thiếu ngày có hiệu lực.",
        "Xã Đạ Huoai: hai giá trị khác nhau cho Nhóm xã.",
        "Xã Bảo Lâm: giá trị «Tây Nguyên» không hợp lệ cho Vùng kinh tế - xã hội.",  # the code is TN
        "Tỉnh Lâm Đồng: chỉ đơn vị cấp xã mới có thuộc tính này.",
        "Không có đơn vị mã số 987654.",
        "Xã Bảo Lâm: giá trị «có» không hợp lệ cho Xã hải đảo.",  # a flag is True or False here
    ]
    assert problem.messages("en")[:4] == ["The decision number is missing.", "The decision date is missing.",
                                          "The date it takes effect is missing.",
                                          "Xã Đạ Huoai: two different values for commune_group."]
    assert problem.messages("en")[-1] == "Xã Bảo Lâm: “có” is not a valid island."
    assert str(problem).split("\n") == problem.messages()


def test_the_same_value_twice_in_one_list_is_one_change(communes):
    report = classify_many([(communes[0].pk, "group", 1), (communes[0].pk, "commune_group", "Nhóm 1")],
                           decision=DECISION, valid_from=FROM)

    assert (report.written, report.unchanged, report.unit_ids) == (1, 0, [communes[0].pk])
    communes[0].refresh_from_db()
    assert communes[0].commune_group == "G1"


def test_a_decision_applied_again_changes_nothing(communes):
    rows = [(communes[0].pk, "group", "G2"), (communes[1].pk, "mountain", True)]
    classify_many(rows, decision=DECISION, valid_from=FROM)

    again = classify_many(rows, decision=DECISION, valid_from=FROM)

    assert (again.written, again.unchanged, again.unit_ids) == (0, 2, [])
    assert Classification.objects.count() == 2


def test_a_flag_is_set_on_a_ward_but_a_group_is_not(province, communes):
    ward = build_commune("Phường 1", province, kind="ward")

    report = classify_many([(ward.pk, "coastal", True)], decision=DECISION, valid_from=FROM)
    ward.refresh_from_db()
    assert report.written == 1 and ward.coastal

    assert refused([(ward.pk, "group", "G1")]).messages("en") == ["Phường Phường 1: only communes have a group "
                                                                  "(this is a ward)."]
