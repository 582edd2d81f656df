"""Saved searches: a search someone keeps, its new results by e-mail and in a private feed.

A saved search stores the search page's parameters. It is run with the owner's rights; a filter
whose value no longer exists (a community or collection removed, a kind no longer offered) is
left out, and its page says so. "New" results are library resources and threads whose index
entry came after the last one the person was told about (entry ids only grow).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.models import Community
from mail import compose, preferences, registry
from mail.deliveries import _create, _enqueue
from mail.models import Delivery, SavedSearch, When
from search.models import SearchEntry, SearchFacet
from search.params import params_from_strings
from search.query import SearchParams, search

ALERT_TYPES = ("resource", "thread")  # what "new results" means: new cases and new threads
RESULTS_PER_ALERT = 20
# The query-string names a saved search keeps.
KEPT = ("q", "type", "community", "kind", "country", "language", "tag", "year_from", "year_to",
        "collection", "order")  # fmt: skip


@dataclass
class Checked:
    params: SearchParams
    ignored: list[str]  # names of filters left out (malformed, or naming what no longer exists)


def params_kept(data) -> dict[str, str]:
    """The parameters of a search page's query string worth keeping."""
    return {name: str(data.get(name, "")) for name in KEPT if data.get(name, "")}


def checked(saved: SavedSearch, **overrides) -> Checked:
    """The saved search's parameters, with what no longer makes sense left out."""
    params, _query, dropped = params_from_strings(saved.params, **overrides)
    ignored = list(dropped)
    if params.community and not Community.objects.filter(slug=params.community).exists():
        ignored.append("community")
        params = _without(params, "community")
    for name in ("collection", "tag"):
        value = getattr(params, name)
        if value and not SearchFacet.objects.filter(name=name, value=value).exists():
            ignored.append(name)
            params = _without(params, name)
    return Checked(params, ignored)


def _without(params: SearchParams, name: str) -> SearchParams:
    from dataclasses import replace

    return replace(params, **{name: ""})


def new_results(saved: SavedSearch, *, limit: int = RESULTS_PER_ALERT):
    """The saved search's results added since the last alert, best first."""
    from dataclasses import replace

    params = replace(
        checked(saved).params,
        entry_after=saved.last_entry,
        doc_types=ALERT_TYPES,
        order="newest",
        page=1,
        per_page=limit,
    )
    return search(user=saved.user, params=params)


def run() -> int:
    """Alert the saved searches set to "immediately" that have new results (the periodic
    job); returns how many e-mails were queued."""
    newest = SearchEntry.objects.aggregate(top=Max("id"))["top"] or 0
    queued = 0
    saved_searches = SavedSearch.objects.filter(
        alert=When.NOW, last_entry__lt=newest, user__is_active=True
    ).select_related("user")
    for saved in saved_searches.iterator(chunk_size=200):
        result = new_results(saved)
        with transaction.atomic():
            if result.results:
                ids = _create(
                    [
                        Delivery(
                            recipient=saved.user,
                            kind=Delivery.Kind.ALERT,
                            key=f"alert:{saved.pk}:{newest}",
                            data={
                                "saved_search": saved.pk,
                                "entries": [[hit.type, hit.id] for hit in result.results],
                                "count": result.count,
                            },
                        )
                    ]
                )
                _enqueue(ids)
                queued += len(ids)
            SavedSearch.objects.filter(pk=saved.pk).update(last_entry=newest)
    return queued


def digest_results(user) -> list[registry.Item]:
    """New results of the person's saved searches set to the digest (then marked seen)."""
    newest = SearchEntry.objects.aggregate(top=Max("id"))["top"] or 0
    items: list[registry.Item] = []
    for saved in SavedSearch.objects.filter(user=user, alert=When.DIGEST, last_entry__lt=newest):
        result = new_results(saved, limit=5)
        for hit in result.results:
            items.append(
                registry.Item(
                    title=hit.title,
                    url=compose.absolute(hit.url),
                    meta=saved.name,
                    language=hit.language,
                )
            )
        SavedSearch.objects.filter(pk=saved.pk).update(last_entry=newest)
    return items


def alert_email(delivery: Delivery):
    """(the e-mail, "") or (None, why not): the results still there (a resource unpublished
    since has no entry any more)."""
    saved = SavedSearch.objects.filter(pk=delivery.data.get("saved_search")).first()
    if saved is None:
        return None, "removed"
    if saved.alert != When.NOW:
        return None, "preference"
    wanted = [tuple(pair) for pair in delivery.data.get("entries", [])]
    entries = SearchEntry.objects.filter(
        doc_type__in={t for t, _id in wanted}, object_id__in={i for _t, i in wanted}
    ).only("doc_type", "object_id", "title", "url", "language", "text")
    by_key = {(e.doc_type, e.object_id): e for e in entries}
    found = [by_key[key] for key in wanted if key in by_key]
    if not found:
        return None, "gone"
    email = compose.message(
        delivery=delivery,
        template="alert",
        subject=_("New results for “%(name)s”") % {"name": saved.name},
        context={
            "saved": saved,
            "entries": [
                {
                    "title": e.title,
                    "url": compose.absolute(e.url),
                    "language": e.language,
                    "excerpt": e.text[:200],
                }
                for e in found
            ],
            "search_url": compose.absolute(saved_search_url(saved)),
        },
        scope=preferences.scope_of(delivery),
        reason=_("You saved this search and asked to hear about new results."),
    )
    return email, ""


def saved_search_url(saved: SavedSearch) -> str:
    from django.urls import reverse

    return reverse("saved_search_detail", kwargs={"saved_id": saved.pk})
