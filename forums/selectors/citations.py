"""Which threads discuss a library resource (registered with the library as its provider of
"discussed in": ForumsConfig.ready)."""

from __future__ import annotations

from forums.models import Citation
from resources.models import Resource
from resources.selectors import Discussion

DISCUSSIONS_MAX = 20


def resource_discussions(resource: Resource) -> list[Discussion]:
    """Live threads whose visible posts link to ``resource``, most recently active first."""
    citations = (
        Citation.objects.filter(resource=resource, thread__is_deleted=False)
        .select_related("thread__community")
        .order_by("-thread__last_activity")
    )
    threads = {}
    for citation in citations:
        threads.setdefault(citation.thread_id, citation.thread)
    return [
        Discussion(
            title=thread.title,
            url=thread.get_absolute_url(),
            language=thread.language,
            place=thread.community.name,
        )
        for thread in list(threads.values())[:DISCUSSIONS_MAX]
    ]
