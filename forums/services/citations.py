"""Which library resources a post links to ("discussed in" on the resource's page)."""

from __future__ import annotations

import re

from forums.models import Citation, Post
from resources.models import Resource

_RESOURCE_LINK = re.compile(r"/library/(\d+)/")


def citations_update(*, post: Post) -> None:
    """Record the resources the post links to, forgetting those it no longer links to (all of
    them once the post is not visible). Call inside the transaction that saves the post."""
    ids = {int(m) for m in _RESOURCE_LINK.findall(post.body or "")}
    Citation.objects.filter(post=post).exclude(resource_id__in=ids).delete()
    if not ids or not post.is_visible:
        Citation.objects.filter(post=post).delete()
        return
    known = Resource.objects.filter(pk__in=ids).values_list("pk", flat=True)
    Citation.objects.bulk_create(
        [Citation(resource_id=rid, post=post, thread_id=post.thread_id) for rid in known],
        ignore_conflicts=True,
    )
