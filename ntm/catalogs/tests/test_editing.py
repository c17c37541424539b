"""The YAML edit operations, on the repository's own texts: what they change, what they refuse, and that
the loader accepts the result."""

from pathlib import Path

import pytest
from django.conf import settings

from ntm.catalogs import editing
from ntm.core.loader import build_catalog

CATALOG = Path(settings.CATALOG_DIR)
SET_TEXT = (CATALOG / "commune-ntm-2026-2030.yaml").read_text(encoding="utf-8")
COMMON = (CATALOG / "_common.yaml").read_text(encoding="utf-8")
SOURCE = {"status": "official", "document": "QD-51-2025-QD-TTg", "urls": ["https://example.org/51"]}
THRESHOLDS = [{"scope": "G1", "value": 90, "status": "official", "document": "QD-51-2025-QD-TTg",
               "urls": ["https://example.org/51"]},
              {"scope": "G2", "value": 70, "status": "official", "document": "QD-51-2025-QD-TTg",
               "urls": ["https://example.org/51"]},
              {"scope": "G3", "value": None, "document": "QD-51-2025-QD-TTg"}]


def indicator(code="1.1", **extra):
    return {"code": code, "name_vi": "Tỷ lệ đường xã được cứng hóa", "name_en": "Paved commune roads",
            "unit": "%", "comparison": ">=", "department": "", "source": SOURCE, **extra}


def loads(text: str):
    return build_catalog(COMMON, [("t.yaml", text)])


def test_adding_an_indicator_with_thresholds_per_group_gives_a_text_the_loader_accepts():
    raw = editing.set_indicator(editing.load(SET_TEXT), "1", indicator(), THRESHOLDS)
    text = editing.dump(raw)
    ind = next(i for i in loads(text).get("commune-ntm-2026-2030").indicators if i.code == "1.1")
    assert [(t.scope, t.value) for t in ind.thresholds] == [("G1", 90), ("G2", 70), ("G3", None)]
    assert "&id" not in text and "Quy hoạch" in text  # no anchors; Vietnamese kept readable


def test_the_original_mapping_is_left_untouched():
    raw = editing.load(SET_TEXT)
    editing.set_indicator(raw, "1", indicator(), THRESHOLDS)
    assert editing.find_indicator(raw, "1.1") is None


def test_a_duplicate_code_or_an_unknown_criterion_is_refused_with_a_message_in_both_languages():
    raw = editing.set_indicator(editing.load(SET_TEXT), "1", indicator(), THRESHOLDS)
    with pytest.raises(editing.EditError) as dup:
        editing.set_indicator(raw, "2", indicator(), THRESHOLDS)
    assert dup.value.message("vi") == 'Đã có chỉ tiêu "1.1".'
    assert dup.value.message("en") == 'Indicator "1.1" already exists.'
    with pytest.raises(editing.EditError, match='Không có tiêu chí "99"'):
        editing.set_indicator(raw, "99", indicator("99.1"), THRESHOLDS)


def test_editing_renames_an_indicator_and_a_verdict_drops_its_thresholds():
    raw = editing.set_indicator(editing.load(SET_TEXT), "1", indicator(), THRESHOLDS)
    raw = editing.set_indicator(raw, "1", indicator("1.2", comparison="met", unit=""), THRESHOLDS, old_code="1.1")
    crit, ind = editing.find_indicator(raw, "1.2")
    assert crit == "1" and "thresholds" not in ind and editing.find_indicator(raw, "1.1") is None
    loads(editing.dump(raw))


def test_removing_an_indicator_and_a_criterion():
    raw = editing.set_indicator(editing.load(SET_TEXT), "1", indicator(), THRESHOLDS)
    raw = editing.remove_indicator(raw, "1.0")
    assert [i["code"] for i in editing.find_criterion(raw, "1")["indicators"]] == ["1.1"]
    raw = editing.remove_criterion(raw, "10")
    assert editing.find_criterion(raw, "10") is None
    with pytest.raises(editing.EditError):
        editing.remove_indicator(raw, "10.0")


def test_a_new_criterion_starts_with_an_overall_indicator_and_sorts_by_number():
    placeholder = {"code": "11.0", "name_vi": "Đánh giá chung", "name_en": "Overall", "unit": "",
                   "comparison": "met", "source": {"status": "provisional", "note": "chưa chép"}}
    raw = editing.set_criterion(editing.load(SET_TEXT), {"number": 11, "code": "11", "name_vi": "Mới",
                                                         "name_en": "New", "source": SOURCE, "key": True,
                                                         "alternatives": []}, placeholder=placeholder)
    assert [c["code"] for c in raw["criteria"]][-1] == "11"
    assert raw["criteria"][-1]["key"] is True
    loads(editing.dump(raw))
    with pytest.raises(editing.EditError, match="Đã có tiêu chí"):
        editing.set_criterion(raw, {"number": 1, "code": "1", "name_vi": "x", "name_en": "x"})


LAYER = editing.new_layer(
    layer_id="long-an-ntm-2026-2030", version="2026.1", base="commune-ntm-2026-2030",
    provinces=[{"key": "p80", "name": "Long An"}], name_vi="Bộ tiêu chí xã NTM tỉnh Long An",
    name_en="Long An NTM criteria", effective_from="2026-03-01", urls=["https://example.org/la"],
    document={"id": "LA-NTM-1-2026", "number": "1/QĐ-UBND", "title_vi": "Bộ tiêu chí tỉnh", "signed": "2026-03-01"})


def test_a_layer_adds_an_indicator_to_a_base_criterion_and_removes_a_base_one():
    raw = editing.set_indicator(editing.load(LAYER), "1", indicator(source={**SOURCE, "document": "LA-NTM-1-2026"}),
                                [{**t, "document": "LA-NTM-1-2026"} for t in THRESHOLDS])
    raw = editing.remove_indicator(raw, "2.0", base_codes={"1.0", "2.0"})
    assert raw["indicators"][0]["criterion"] == "1" and raw["remove_indicators"] == ["2.0"]
    catalog = build_catalog(COMMON, [("s.yaml", SET_TEXT), ("l.yaml", editing.dump(raw))])
    resolved = catalog.resolve("commune-ntm-2026-2030", "p80", 2026)
    codes = {i.code for i in resolved.indicators}
    assert "1.1" in codes and "2.0" not in codes


def test_a_layer_sets_its_own_level_for_a_base_indicator_and_declares_a_document():
    raw = editing.add_document(editing.load(LAYER), {"id": "LA-X", "number": "2/QĐ-UBND", "title_vi": "x"})
    raw = editing.set_layer_thresholds(raw, "1.1", [{"scope": "G2", "value": 80, "status": "official",
                                                      "document": "LA-X", "urls": ["https://example.org"]}])
    assert raw["thresholds"] == [{"indicator": "1.1", "scope": "G2", "value": 80, "status": "official",
                                  "document": "LA-X", "urls": ["https://example.org"]}]
    with pytest.raises(editing.EditError):
        editing.add_document(editing.load(SET_TEXT), {"id": "X", "number": "1", "title_vi": "x"})


def test_next_version_and_alternatives():
    assert editing.next_version("2026.1") == "2026.2"
    assert editing.next_version("2026.1", {"2026.2"}) == "2026.3"
    assert editing.next_version("2024.9+ab12") == "2024.10"
    assert editing.parse_alternatives("5.1, 5.2; 5.3") == [["5.1", "5.2"], ["5.3"]]
    assert editing.format_alternatives([["5.1", "5.2"], ["5.3"]]) == "5.1, 5.2; 5.3"
