import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ntm.evaluation.models import UnitResult
from ntm.figures.models import Figure
from ntm.units.models import Target, Unit

PILOTS = ["Quê Mỹ Thạnh", "Bình Lãng", "Bình Trinh Đông", "Bình Tịnh"]


def evaluate(*args: str) -> str:
    out = StringIO()
    call_command("evaluate", *args, stdout=out)
    return out.getvalue()


def evaluate_json(commune: str, level: str = "ntmnc", year: int = 2024) -> dict:
    return json.loads(evaluate("--commune", commune, "--level", level, "--year", str(year), "--json"))


def test_que_my_thanh_meets_15_of_19_advanced_criteria_in_2024(demo):
    result = evaluate_json("Quê Mỹ Thạnh")
    assert (result["met"], result["total"]) == (15, 19)
    assert result["unmet"] == ["1", "10", "13", "14"]
    assert result["criteria_set"] == "commune-ntmnc-2021-2025"


def test_binh_trinh_dong_meets_13_of_19_as_in_the_article(demo):
    result = evaluate_json("Bình Trinh Đông")
    assert (result["met"], result["total"]) == (13, 19)


def test_text_output_says_how_far_income_is_from_its_threshold(demo):
    text = evaluate("--commune", "Quê Mỹ Thạnh", "--level", "ntmnc", "--year", "2024")
    assert "Đạt 15/19 tiêu chí" in text
    assert "68,2 / 75 triệu đồng/người/năm: còn thiếu 6,8 (ngưỡng minh họa)" in text


def test_english_output_uses_english_names_and_number_format(demo):
    text = evaluate("--commune", "Quê Mỹ Thạnh", "--level", "ntmnc", "--year", "2024", "--lang", "en")
    assert ("Average per-capita income (rural area): 68.2 / 75 million VND/person/year: short by 6.8"
            " (demo threshold)") in text


def test_the_income_verdict_says_it_rests_on_a_demo_threshold(demo):
    """The level 75 is the demo's own (ntm/demo/catalog), on top of Long An's 8151/QĐ-UBND: never official."""
    result = evaluate_json("Quê Mỹ Thạnh")
    income = next(c for c in result["criteria"] if c["code"] == "10")
    assert income["status"] == "not_met" and income["demo"] is True and income["provisional"] is False
    indicator = income["indicators"][0]
    assert (indicator["value"], indicator["threshold"], indicator["gap"]) == (68.2, 75.0, 6.8)
    assert indicator["basis"] == "threshold" and indicator["demo"] is True
    assert "demo-long-an-ntmnc-2021-2025" in result["version"] and "long-an-ntmnc-2021-2025@" in result["version"]


def test_a_number_without_any_level_is_judged_by_the_recorded_verdict(demo):
    """Smartphone subscriptions (8.1): no national, provincial or demo level, so the office's verdict counts."""
    ict = next(c for c in evaluate_json("Quê Mỹ Thạnh")["criteria"] if c["code"] == "8")
    smartphones = next(i for i in ict["indicators"] if i["code"] == "8.1")
    assert (smartphones["basis"], smartphones["status"], smartphones["threshold"]) == ("verdict", "met", None)


def test_2023_figures_show_progress_to_2024(demo):
    assert evaluate_json("Quê Mỹ Thạnh", year=2023)["met"] < 15


def test_the_four_pilot_communes_target_ntmnc_in_2024(demo):
    targeted = set(Target.objects.filter(level="ntmnc", year=2024, unit__kind="commune")
                   .values_list("unit__name", flat=True))
    assert targeted == set(PILOTS)


def test_demo_figures_are_marked_as_demo_data(demo):
    assert Figure.objects.filter(is_demo=False).count() == 0
    assert Figure.objects.filter(is_demo=True).count() > 0


def test_results_are_stored_for_every_commune_of_the_district(demo):
    communes = Unit.objects.filter(kind="commune", parent__name="Tân Trụ")
    stored = UnitResult.objects.filter(unit__in=communes, criteria_set="commune-ntmnc-2021-2025", year=2024)
    assert stored.count() == communes.count() == 9


def test_an_ambiguous_commune_name_lists_the_candidates(demo):
    with pytest.raises(CommandError) as error:
        evaluate("--commune", "Tân Bình", "--level", "ntmnc", "--year", "2024")
    assert "c28078" in str(error.value) and "Huyện Tân Trụ" in str(error.value)


def test_a_level_without_a_set_in_force_is_a_clear_error(demo):
    with pytest.raises(CommandError, match="năm 1999"):
        evaluate("--commune", "Quê Mỹ Thạnh", "--level", "ntmnc", "--year", "1999")


def test_the_district_counts_its_ntm_communes_from_their_results(demo):
    result = json.loads(evaluate("--district", "Tân Trụ", "--level", "ntm", "--year", "2024", "--json"))
    shares = {c["code"]: c["indicators"][0] for c in result["criteria"] if c["code"] in ("D1", "D2")}
    assert shares["D1"]["value"] == 100.0 and shares["D1"]["status"] == "met"
    assert shares["D2"]["value"] == 0.0 and shares["D2"]["status"] == "not_met"


def test_saving_a_district_figure_refreshes_the_districts_stored_result(demo):
    from decimal import Decimal

    from ntm.figures.actions import FigureInput, record_figure

    district = Unit.objects.get(key="d805")
    record_figure(FigureInput(unit=district, criteria_set="district-ntm-2021-2025", indicator="D4.1", year=2024,
                              value=Decimal("80")))
    stored = UnitResult.objects.get(unit=district, criteria_set="district-ntm-2021-2025", year=2024)
    assert "D4" in stored.unmet


def test_the_cli_says_when_it_shows_demo_data(demo):
    assert evaluate_json("Quê Mỹ Thạnh")["demo_data"] is True
    assert "số liệu mẫu (demo)" in evaluate("--commune", "Quê Mỹ Thạnh", "--level", "ntmnc", "--year", "2024")


def test_the_full_demo_brings_the_districts_work_and_loads_twice(full_demo):
    from ntm.demo.loader import load_demo
    from ntm.recognition.models import Dossier
    from ntm.resources.models import Funding
    from ntm.units.models import Recognition
    from ntm.workflow.models import FollowUp, Plan

    load_demo()  # idempotent: a second load changes nothing
    assert Recognition.objects.filter(revoked_on=None, level="ntm").count() == 10
    assert Plan.objects.filter(resolution_number="55-NQ/HU").exists()
    assert FollowUp.objects.exists()
    assert Dossier.objects.filter(level="ntmnc", year=2024).count() == 4
    assert Funding.objects.exists()
