"""Template tags of the evaluation pages: which of them a user may open, for links shown only when they work,
and a matrix cell's markup, built once per kind of cell."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ntm.evaluation.province_summary import may_open_national as _may_open_national

register = template.Library()


@register.simple_tag
def may_open_national(user) -> bool:
    """`{% may_open_national user as ok %}`: the national view opens for this user."""
    return _may_open_national(user)


_CELLS: dict[tuple, SafeString] = {}  # (language, code, status, provisional, demo) → the cell's <td>


@register.filter
def status_cell(cell) -> SafeString:
    """`{{ cell|status_cell }}`: a matrix cell (`matrix.Cell`) as a <td>. A province's matrix has thousands
    of cells but only a few hundred kinds (criterion × status × marks): each kind is rendered and
    translated once per process, not once per cell (issue 12)."""
    key = (get_language(), cell.code, cell.status, cell.provisional, cell.demo)
    html = _CELLS.get(key)
    if html is None:
        html = _CELLS[key] = _cell_html(cell)
    return html


def _cell_html(cell) -> SafeString:
    provisional = f" ({_('ngưỡng tạm tính')})" if cell.provisional else ""
    demo = f" ({_('ngưỡng minh họa (demo)')})" if cell.demo else ""
    marks = (mark_safe('<span class="marker-provisional" aria-hidden="true">*</span>') if cell.provisional else "",
             mark_safe('<span class="marker-demo" aria-hidden="true">†</span>') if cell.demo else "")
    return format_html(
        '<td class="status status-{}" title="{}: {}{}{}"><span aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{}{}</span>{}{}</td>',
        cell.status, cell.code, cell.label, provisional, demo, cell.symbol, cell.label, demo, *marks)
