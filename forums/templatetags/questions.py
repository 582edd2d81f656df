"""``{% ask_state person as state %}``: whether the reader may ask ``person`` a private
question from a member card or page ("ask"), would after signing in ("sign_in"), or not ("").

One permission check per card, no query: the directory has the cards' memberships prefetched
and the reader's roles are cached on the reader (privacy.py asks both)."""

from __future__ import annotations

from django import template

from core import permissions
from core.permissions import Action
from forums.rules import takes_questions

register = template.Library()


@register.simple_tag(takes_context=True)
def ask_state(context, person) -> str:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        # Visitors see the way in to experts who take questions; the rest is decided after.
        return "sign_in" if takes_questions(person) else ""
    return "ask" if permissions.can(user, Action.QUESTION_ASK, None, person) else ""
