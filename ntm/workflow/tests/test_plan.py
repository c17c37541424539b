from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from ntm.units.models import Unit
from ntm.workflow import selectors
from ntm.workflow.models import Plan
from ntm.workflow.reference import read_hard_criteria

from .conftest import QMT, TAN_TRU

ARTICLE_DAY = date(2024, 5, 8)


def _progress(today=ARTICLE_DAY):
    return selectors.plan_progress(Plan.objects.get(unit__key=TAN_TRU, year=2024), today=today)


def test_the_plan_is_set_against_the_communes_that_reached_the_level(workflow_demo):
    progress = _progress()
    assert (progress.plan.resolution_number, progress.plan.communes_target) == ("55-NQ/HU", 4)
    assert progress.reached == 0 and not progress.on_target
    targeted = [r.commune.name for r in progress.rows if r.targeted]
    assert sorted(targeted) == sorted(["Quê Mỹ Thạnh", "Bình Lãng", "Bình Trinh Đông", "Bình Tịnh"])
    qmt = next(r for r in progress.rows if r.commune.key == QMT)
    assert (qmt.met, qmt.total) == (15, 19)
    assert qmt.unmet == ("1. Quy hoạch", "10. Thu nhập", "13. Tổ chức sản xuất và phát triển kinh tế nông thôn",
                         "14. Y tế")


def test_pilot_communes_with_hard_criteria_unmet_are_flagged_at_risk(workflow_demo):
    progress = _progress()
    qmt = next(r for r in progress.rows if r.commune.key == QMT)
    assert qmt.at_risk
    assert qmt.risk.hard_unmet == ("1", "10", "13", "14")
    assert any("Tiêu chí khó chưa đạt" in reason for reason in qmt.risk_reasons)
    assert all(r.risk is None for r in progress.rows if not r.targeted)  # only the plan's communes are assessed


def test_quê_mỹ_thạnh_income_is_projected_at_its_pace(workflow_demo):
    qmt = next(r for r in _progress().rows if r.commune.key == QMT)
    assert any(p.startswith("Thu nhập") and "đạt năm 2026" in p and "+4,2" in p for p in qmt.projections)


def test_the_plan_page_shows_plan_against_actual_risk_and_projection(client, office_tan_tru):
    client.force_login(office_tan_tru)
    page = client.get(reverse("workflow:plan", args=[TAN_TRU])).content.decode()
    assert "Xây dựng huyện Tân Trụ đạt chuẩn NTMNC năm 2024" in page
    assert "55-NQ/HU ngày 06/12/2023" in page
    assert "0 / 4 xã theo kế hoạch" in page
    assert "Có nguy cơ" in page
    assert "đạt năm 2026" in page


def test_the_plan_page_needs_the_same_queries_for_more_communes(client, office_tan_tru, django_assert_max_num_queries):
    client.force_login(office_tan_tru)
    with django_assert_max_num_queries(20):
        client.get(reverse("workflow:plan", args=[TAN_TRU]))


def test_an_official_of_another_district_cannot_read_the_plan(client, official_btd):
    client.force_login(official_btd)
    assert client.get(reverse("workflow:plan", args=[TAN_TRU])).status_code == 403


def test_a_commune_is_not_a_plan_area(client, office_tan_tru):
    client.force_login(office_tan_tru)
    assert client.get(reverse("workflow:plan", args=[QMT])).status_code == 404


def test_the_hard_criteria_list_names_only_criteria_of_the_catalog(tmp_path, db):
    bad = tmp_path / "hard.yaml"
    bad.write_text('sets:\n  commune-ntmnc-2021-2025: ["10", "99"]\n  no-such-set: ["1"]\n', encoding="utf-8")
    with pytest.raises(ImproperlyConfigured) as error:
        read_hard_criteria(bad)
    assert "'99'" in str(error.value) and "no-such-set" in str(error.value)


def test_a_district_plan_without_stored_results_counts_none_reached(workflow_demo):
    plan = Plan.objects.create(unit=Unit.objects.get(key=TAN_TRU), title="2025", year=2025, level="ntmnc",
                               communes_target=5, district_targets=False)
    progress = selectors.plan_progress(plan, today=ARTICLE_DAY)
    assert progress.reached == 0
    assert sorted(r.commune.name for r in progress.rows if r.targeted) == sorted(
        ["Lạc Tấn", "Tân Bình", "Đức Tân", "Tân Phước Tây", "Nhựt Ninh"])
