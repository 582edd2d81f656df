"""What the header needs on every page from accounts: the unread count for the bell, the
colour theme the reader chose."""

from accounts.selectors import notification_unread_count


def inbox(request):
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = notification_unread_count(user=user)
    return {"unread_notifications": unread}


def theme(request):
    """The reader's colour theme: their profile's, else the cookie's, else "" (the device's).
    Costs no query: the user row is already loaded by the authentication middleware."""
    user = getattr(request, "user", None)
    chosen = getattr(user, "theme", "") if user is not None and user.is_authenticated else ""
    chosen = chosen or request.COOKIES.get("theme", "")
    return {"theme": chosen if chosen in ("light", "dark") else ""}
