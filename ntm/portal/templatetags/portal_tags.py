"""Header helpers: who is signed in, in words."""

from __future__ import annotations

from django import template

from ntm.accounts import access, names
from ntm.accounts.access import memberships_of  # cached on the user: no extra query

register = template.Library()


@register.simple_tag
def role_names(user) -> str:
    """The user's roles in words, e.g. "Văn phòng Điều phối NTM huyện (Huyện Tân Trụ)"."""
    names = []
    for m in memberships_of(user):
        label = str(m.get_role_display())
        names.append(f"{label} ({m.unit.full_name})" if m.unit else label)
    return "; ".join(dict.fromkeys(names))


@register.simple_tag
def display_name(user) -> str:
    """Family name first, as Vietnamese names are written: "Phạm Thị Dung" (Django's order is the reverse)."""
    return names.display_name(user)


@register.filter(name="display_name")
def display_name_filter(user) -> str:
    """The same, as a filter: "" for no one (a demo version has no author), so `|default:"—"` applies."""
    return names.display_name(user)


@register.simple_tag(takes_context=True)
def may(context, action: str, unit) -> bool:
    """`{% may "enter" unit as ok %}`: show a link only to a user it will open for (`access.may`)."""
    return access.may(context["request"].user, action, unit)
