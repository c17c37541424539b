from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """`{{ documents|get:doc_id }}`: a mapping's value, or "" when absent."""
    try:
        return mapping.get(key, "") if key is not None else ""
    except AttributeError:
        return ""
