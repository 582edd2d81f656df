"""What every page's templates need from the core: the DEBUG flag, the drafts just sent, what
waits for a moderator."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from core.moderation import summary


def site(request):
    return {"DEBUG": settings.DEBUG}


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


def moderation(request):
    """What waits for the reader if they moderate (the header's badge, the community tab):
    a core.moderation.Summary, or None. Computed only if a template asks for it."""
    return {"moderation": SimpleLazyObject(lambda: summary(request))}
