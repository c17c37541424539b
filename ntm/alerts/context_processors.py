from .selectors import unread_count


def unread_alerts(request) -> dict:
    """The header's unread-alert count: one query, only for signed-in users."""
    user = getattr(request, "user", None)
    return {"unread_alerts": unread_count(user) if user is not None else 0}
