from django import template

from ntm.catalogs.access import may_use

register = template.Library()


@register.filter
def get(mapping, key):
    """`{{ documents|get:doc_id }}`: a mapping's value, or "" when absent."""
    try:
        return mapping.get(key, "") if key is not None else ""
    except AttributeError:
        return ""


@register.simple_tag
def may_use_workbench(user) -> bool:
    """Whether the header links to the catalog workbench (province offices and administrators)."""
    return may_use(user)
