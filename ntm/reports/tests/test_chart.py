"""The report's bar chart as SVG (`ntm.reports.chart.met_svg`): one bar and one "met/total" label per commune or
year, names kept readable (escaped, turned when many), bars in proportion, and a dashed line at the total."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from ntm.reports.chart import met_svg

SVG = "{http://www.w3.org/2000/svg}"


def drawn(labels, met, total, title="Số tiêu chí đạt"):
    root = ET.fromstring(met_svg(labels, met, total, title=title))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    return root, texts


def test_each_bar_is_labelled_with_its_count_and_name_under_an_escaped_title():
    root, texts = drawn(["Xã Quê Mỹ Thạnh", "Xã Bình Trinh Đông"], [17, 19], 19,
                        title="Huyện Tân Trụ <2024> & NTM")

    assert texts[0] == "Huyện Tân Trụ <2024> & NTM"  # escaped in the file, read back as written
    assert "17/19" in texts and "19/19" in texts
    assert "Xã Quê Mỹ Thạnh" in texts and "Xã Bình Trinh Đông" in texts
    assert len(root.findall(f"{SVG}rect")) == 2


def test_bars_are_in_proportion_and_the_total_is_a_dashed_line_above_the_tallest():
    root, _texts = drawn(["2022", "2023", "2024"], [0, 10, 19], 19)

    heights = [float(r.get("height")) for r in root.findall(f"{SVG}rect")]
    assert heights[0] == 0 and heights[2] == pytest.approx(heights[1] * 19 / 10, abs=0.2)
    [dashed] = [line for line in root.findall(f"{SVG}line") if line.get("stroke-dasharray")]
    tallest_top = min(float(r.get("y")) for r in root.findall(f"{SVG}rect"))
    assert float(dashed.get("y1")) == pytest.approx(tallest_top, abs=0.1)  # 19 of 19 reaches the line


def test_many_names_are_turned_so_they_do_not_overlap():
    few = met_svg(["2023", "2024"], [5, 6], 19, title="t").decode()
    many = met_svg([f"Xã {n}" for n in "ABCDE"], [1, 2, 3, 4, 5], 19, title="t").decode()

    assert "rotate(" not in few
    assert many.count("rotate(-30") == 5


def test_an_empty_chart_is_still_a_drawing():
    root, texts = drawn([], [], 19)

    assert root.findall(f"{SVG}rect") == [] and "19" in texts and "0" in texts


def test_names_and_counts_must_pair_up():
    with pytest.raises(ValueError):
        met_svg(["Xã A", "Xã B"], [3], 19, title="t")
