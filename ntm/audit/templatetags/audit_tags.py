from django import template

from ntm.audit.selectors import may_read_audit

register = template.Library()


@register.simple_tag
def may_read_audit_log(user) -> bool:
    """Shows the "Nhật ký" link only to whoever may open the audit page."""
    return may_read_audit(user)
