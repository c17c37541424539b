"""The workbench's YAML operations on small texts of their own (`ntm.catalogs.editing`): what `load` refuses,
what `dump` writes, new version numbers, a layer's thresholds read back, and what removing an indicator
leaves behind. test_editing.py covers the edits on the repository's sets."""

from __future__ import annotations

import pytest

from ntm.catalogs import editing

LAYER = """\
id: long-an
version: "2026.1"
base: commune-ntm-2026-2030
provinces: [{key: p80, name: Long An}]
indicators:
  - {criterion: "5", code: "5.9", name_vi: "Chỉ tiêu thêm", thresholds: [{scope: "*", value: 10}]}
thresholds:
  - {indicator: "5.9", scope: G1, value: 12}
  - {indicator: "1.1", scope: G2, value: 80}
  - {indicator: "1.1", scope: G3, value: 70}
remove_indicators: ["3.2"]
criteria:
  - code: "5"
    name_vi: "Trường học"
    alternatives: [["5.1", "5.2"], ["5.3"]]
    indicators: [{code: "5.1"}, {code: "5.2"}, {code: "5.3"}]
"""


@pytest.mark.parametrize("text", ["- a\n- b\n", "chỉ một dòng chữ", ""])
def test_a_text_that_is_not_a_mapping_is_refused_in_both_languages(text):
    with pytest.raises(editing.EditError) as caught:
        editing.load(text)

    assert caught.value.message() == "Nội dung phải là một bảng khóa: giá trị."
    assert caught.value.message("en") == "The text must be a mapping of keys to values."


def test_dump_writes_vietnamese_as_is_in_the_keys_order_and_repeats_shared_lists():
    urls = ["https://example.org/a"]
    text = editing.dump({"name_vi": "Bộ tiêu chí xã nông thôn mới", "id": "s",
                         "source": {"urls": urls}, "documents": [{"urls": urls}]})

    assert text.startswith("name_vi: Bộ tiêu chí xã nông thôn mới\nid: s\n")
    assert "&id" not in text and "*id" not in text and text.count("https://example.org/a") == 2
    assert editing.load(text)["documents"][0]["urls"] == urls


@pytest.mark.parametrize(
    ("version", "taken", "expected"),
    [("2026", (), "2027"), ("v", (), "v.1"), ("2026.1-tinh", (), "2026.1-tinh.1"), ("2026.9", ("2026.10",), "2026.11"),
     ("2026.1+abcd1234", (), "2026.2")],
    ids=["a year", "no number", "a word at the end", "skipping taken ones", "the digest is dropped"],
)
def test_the_next_version_raises_the_last_number(version, taken, expected):
    assert editing.next_version(version, frozenset(taken)) == expected


def test_a_new_draft_changes_only_the_version():
    draft = editing.load(editing.start_from(LAYER, "2026.2"))

    assert draft == {**editing.load(LAYER), "version": "2026.2"}


def test_a_layer_reads_back_an_indicators_own_and_layer_thresholds_without_the_indicator_key():
    raw = editing.load(LAYER)

    assert editing.is_layer(raw)
    assert editing.indicator_thresholds(raw, "5.9") == [{"scope": "*", "value": 10}, {"scope": "G1", "value": 12}]
    assert editing.indicator_thresholds(raw, "1.1") == [{"scope": "G2", "value": 80}, {"scope": "G3", "value": 70}]
    assert editing.indicator_thresholds(raw, "9.9") == []
    assert editing.find_indicator(raw, "5.9")[0] == "5"


def test_removing_an_indicator_drops_the_alternatives_naming_it_and_its_layer_thresholds():
    raw = editing.load(LAYER)

    after = editing.remove_indicator(raw, "5.3")
    assert editing.find_criterion(after, "5")["alternatives"] == [["5.1", "5.2"]]
    assert editing.find_criterion(raw, "5")["alternatives"] == [["5.1", "5.2"], ["5.3"]]  # the input is kept

    after = editing.remove_indicator(editing.remove_indicator(after, "5.1"), "5.9")
    assert "alternatives" not in editing.find_criterion(after, "5")  # no alternative left: the key goes
    assert [t["indicator"] for t in after["thresholds"]] == ["1.1", "1.1"] and after["indicators"] == []


def test_removing_a_base_indicator_lists_it_once_in_the_layer():
    raw = editing.remove_indicator(editing.load(LAYER), "1.1", base_codes={"1.1", "3.2"})
    raw = editing.remove_indicator(raw, "3.2", base_codes={"1.1", "3.2"})

    assert raw["remove_indicators"] == ["3.2", "1.1"]
    assert raw["thresholds"] == [{"indicator": "5.9", "scope": "G1", "value": 12}]
    with pytest.raises(editing.EditError) as caught:
        editing.remove_indicator(raw, "7.7", base_codes={"1.1"})
    assert caught.value.message("en") == 'There is no indicator "7.7" here.'


def test_a_layer_declares_a_document_once():
    raw = editing.add_document(editing.load(LAYER), {"id": "LA-1", "number": "1/QĐ-UBND", "title_vi": "Bộ tỉnh"})

    with pytest.raises(editing.EditError) as caught:
        editing.add_document(raw, {"id": "LA-1", "number": "2/QĐ-UBND", "title_vi": "Khác"})
    assert caught.value.message() == 'Đã có văn bản "LA-1".'


@pytest.mark.parametrize(
    ("text", "groups"),
    [("5.1, 5.2\n5.3", [["5.1", "5.2"], ["5.3"]]), (" ; 5.1 ,, 5.2 ;\n", [["5.1", "5.2"]]), ("", [])],
    ids=["a new line separates groups", "stray separators", "empty"],
)
def test_alternatives_are_read_from_what_an_editor_types(text, groups):
    assert editing.parse_alternatives(text) == groups
    assert editing.parse_alternatives(editing.format_alternatives(groups)) == groups
