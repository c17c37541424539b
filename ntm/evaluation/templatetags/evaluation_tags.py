"""Template tags of the evaluation pages: which of them a user may open, for links shown only when they work."""

from django import template

from ntm.evaluation.province_summary import may_open_national as _may_open_national

register = template.Library()


@register.simple_tag
def may_open_national(user) -> bool:
    """`{% may_open_national user as ok %}`: the national view opens for this user."""
    return _may_open_national(user)
