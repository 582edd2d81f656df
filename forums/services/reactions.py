"""A reader's own marks on posts: reactions and bookmarks."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core import permissions
from core.permissions import Action, Refusal
from forums.models import Bookmark, Post, Reaction
from forums.services.derived import posts_changed

__all__ = ["post_bookmark", "post_react"]


@transaction.atomic
def post_react(*, post: Post, user: User, kind: str) -> bool:
    """Toggle a reaction; returns whether it is now on. Raises ValidationError (an unknown
    kind) or Refusal (not a member, locked thread, a post readers cannot see)."""
    if kind not in Reaction.Kind.values:
        raise ValidationError(_("Unknown reaction."))
    permissions.check(user, Action.POST_REACT, post.thread.community, obj=post)
    if not post.is_visible:
        raise Refusal(_("This post is not available."), "deleted")
    deleted, _rows = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
    posts_changed(thread_id=post.thread_id, post_id=post.pk)
    if deleted:
        return False
    Reaction.objects.create(post=post, user=user, kind=kind)
    return True


@transaction.atomic
def post_bookmark(*, post: Post, user: User) -> bool:
    """Toggle a bookmark; returns whether the post is now bookmarked. Raises Refusal for
    visitors."""
    permissions.check(user, Action.POST_BOOKMARK, post.thread.community)
    deleted, _rows = Bookmark.objects.filter(post=post, user=user).delete()
    if deleted:
        return False
    Bookmark.objects.create(post=post, user=user)
    return True
