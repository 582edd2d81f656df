"""What the header needs on every page from accounts: the unread count for the bell."""

from accounts.selectors import notification_unread_count


def inbox(request):
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = notification_unread_count(user=user)
    return {"unread_notifications": unread}
