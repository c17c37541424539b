from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def unread_alerts(request) -> dict:
    """The header's unread-alert count: one query, only for signed-in users and only when a template
    shows it (an htmx fragment without the header asks nothing)."""
    user = getattr(request, "user", None)
    return {"unread_alerts": SimpleLazyObject(lambda: unread_count(user) if user is not None else 0)}
