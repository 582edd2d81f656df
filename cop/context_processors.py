from django.conf import settings


def site(request):
    """What the header needs on every page: the unread notification count for the bell."""
    unread = 0
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from accounts.selectors import notification_unread_count

        unread = notification_unread_count(user=user)
    return {"unread_notifications": unread, "DEBUG": settings.DEBUG}


DRAFTS_SENT_KEY = "drafts_sent"


def mark_draft_sent(request, key: str) -> None:
    """Tell the next page that the draft ``key`` went in, so the browser forgets it."""
    sent = request.session.get(DRAFTS_SENT_KEY, [])
    request.session[DRAFTS_SENT_KEY] = [*sent, key][-5:]


def drafts(request):
    session = getattr(request, "session", None)
    if session is None or DRAFTS_SENT_KEY not in session:
        return {"drafts_sent": ""}
    return {"drafts_sent": " ".join(session.pop(DRAFTS_SENT_KEY))}
