"""Status words on the dashboards: translated once per language, not once per cell (issue 12)."""

from __future__ import annotations

from unittest import mock

from django.utils import translation

from ntm.evaluation import presenters
from ntm.evaluation.matrix import Cell
from ntm.evaluation.templatetags.evaluation_tags import status_cell


def test_a_status_label_is_looked_up_once_per_language():
    with translation.override("en"):
        presenters.status_label("met")
        with mock.patch.object(presenters, "_", side_effect=AssertionError("translated again")):
            labels = [presenters.status_label(s) for s in ("met", "not_met", "no_data", "not_evaluable") * 100]
    with translation.override("vi"):
        vietnamese = presenters.status_label("not_met")

    assert labels[:4] == ["Met", "Not met", "No data", "Not evaluable"]
    assert vietnamese == "Chưa đạt"


def test_a_matrix_cell_says_its_status_in_words_and_marks_demo_and_provisional_thresholds():
    with translation.override("vi"):
        plain = str(status_cell(Cell("10", "met", False, False, "Đạt", "✓")))
        marked = str(status_cell(Cell("10", "not_met", True, True, "Chưa đạt", "✗")))
    with translation.override("en"):
        english = str(status_cell(Cell("10", "not_met", True, True, "Not met", "✗")))

    assert plain == ('<td class="status status-met" title="10: Đạt"><span aria-hidden="true">✓</span>'
                     '<span class="visually-hidden">Đạt</span></td>')
    assert 'title="10: Chưa đạt (ngưỡng tạm tính) (ngưỡng minh họa (demo))"' in marked
    assert '<span class="visually-hidden">Chưa đạt (ngưỡng minh họa (demo))</span>' in marked
    assert marked.endswith('<span class="marker-provisional" aria-hidden="true">*</span>'
                           '<span class="marker-demo" aria-hidden="true">†</span></td>')
    assert "Not met (provisional threshold)" in english
