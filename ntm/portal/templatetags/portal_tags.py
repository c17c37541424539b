"""Header helpers: who is signed in, in words; which links the header shows; parts rendered once."""

from __future__ import annotations

from typing import NamedTuple

from django import template
from django.template.base import FilterExpression, token_kwargs
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.functional import LazyObject, empty
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language

from ntm.accounts import access, names
from ntm.accounts.access import memberships_of  # cached on the user: no extra query
from ntm.audit.selectors import may_read_audit
from ntm.catalogs.access import may_use
from ntm.evaluation.province_summary import may_open_national

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


class HeaderLinks(NamedTuple):
    """Which of the header's links a reader gets, and their unread alerts: all the header's navigation
    depends on about them (and the key its HTML is kept under, `rendered_once`)."""

    signed_in: bool
    national: bool = False
    catalog: bool = False
    audit: bool = False
    unread: int = 0


@register.simple_tag(takes_context=True)
def header_links(context) -> HeaderLinks:
    user = context.get("user")
    if not getattr(user, "is_authenticated", False):
        return HeaderLinks(False)
    return HeaderLinks(True, national=may_open_national(user), catalog=may_use(user), audit=may_read_audit(user),
                       unread=_plain(context.get("unread_alerts")) or 0)


# What a kept part's form gets as its CSRF token, replaced by the reader's (no other text of the part has it).
CSRF_HOLE = "ntm-chrome-csrf-hole"
KEPT_PARTS = 256  # per {% rendered_once %}: beyond that (languages × values seen), start again


class RenderedOnceNode(template.Node):
    # No {% block %} inside (refused when read): an extending template's every render looks for blocks
    # through the child node lists, which need not descend into these parts.
    child_nodelists = ()

    def __init__(self, nodelist: template.NodeList, values: dict[str, FilterExpression]) -> None:
        self.nodelist = nodelist
        self.values = values
        self.kept: dict[tuple, str] = {}  # on the node: a template read again (development) starts empty

    def render(self, context: template.Context) -> str:
        values = {name: _plain(expr.resolve(context)) for name, expr in self.values.items()}
        csrf = context.get("csrf_token")
        hole = bool(csrf) and csrf != "NOTPROVIDED"
        key = (get_language(), get_script_prefix(), get_urlconf(), context.autoescape, hole,
               None if hole else csrf, *((name, value, isinstance(value, SafeData)) for name, value in values.items()))
        html = self.kept.get(key)
        if html is None:
            if len(self.kept) >= KEPT_PARTS:
                self.kept.clear()
            alone = template.Context({**values, "csrf_token": CSRF_HOLE if hole else csrf},
                                     autoescape=context.autoescape)
            alone.template = context.template
            html = self.kept[key] = self.nodelist.render(alone)
        if hole and CSRF_HOLE in html:
            html = html.replace(f'value="{CSRF_HOLE}"', f'value="{conditional_escape(str(csrf))}"')
        return mark_safe(html)  # noqa: S308 -- our own templates' output


def _plain(value):
    """A value a part is kept under: None, a bool, a number, a string or a tuple of them (a lazy value read)."""
    if isinstance(value, LazyObject):
        if value._wrapped is empty:
            value._setup()
        value = value._wrapped
    if value is None or isinstance(value, bool | int | str | tuple):
        return value
    raise template.TemplateSyntaxError(f"rendered_once: {type(value).__name__} is not a plain value")


@register.tag
def rendered_once(parser, token):
    """`{% rendered_once name=value … %}…{% endrendered_once %}`: HTML the same for every request with the same
    language, URL prefix and values (a header's links, translations, static URLs), rendered once per process
    and kept. The part sees only the values given, never the page's context (no reader's data can get in
    and be shown to another); a form in it gets the reader's CSRF token."""
    bits = token.split_contents()[1:]
    values = token_kwargs(bits, parser)  # takes what it reads off `bits`
    if bits:
        raise template.TemplateSyntaxError("rendered_once takes name=value arguments only")
    nodelist = parser.parse(("endrendered_once",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("rendered_once: a {% block %} inside would not be overridden")
    return RenderedOnceNode(nodelist, values)
