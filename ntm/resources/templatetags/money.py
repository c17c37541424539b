from django import template

from ntm.resources.money import vnd as _vnd

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """1250000000 → "1.250.000.000 đ"."""
    return _vnd(amount)
