"""The library list and the search page are rendered once per version and served from the
cache (core/pagecache.py): the whole page for a visitor, the part under the head for a
signed-in reader. Every change to what they show must reach them at once, with the cache warm
or with no cache at all; readers who share a cached part keep their own head and token."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client

from core.models import Community
from events.models import Event
from forums import services as thread_services
from resources import services
from resources.models import Collection, Resource
from tests.htmltree import parse
from tests.resources.test_views import card_titles

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["visitor", "member"])
def reader(request, communities, make_member, login) -> Client:
    if request.param == "visitor":
        return Client()
    return login(make_member(communities["ai"], "reader"))


def _library(reader, path="/library/") -> list[str]:
    return card_titles(reader.get(path).content.decode())


def _text(reader, path) -> str:
    """The page's text (results' titles are highlighted: their words are apart in the HTML)."""
    return " ".join(parse(reader.get(path)).find("main").text.split())


def _without_tokens(html: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', "", html)


def test_every_change_to_the_library_reaches_its_list(
    reader, cache_state, make_resource, curator, communities
):
    first = make_resource(title="Archive of practice", community="ai")
    assert _library(reader) == ["Archive of practice"]
    assert _library(reader, "/c/ai/library/") == ["Archive of practice"]

    make_resource(title="Second case", community="ai")  # published
    assert _library(reader) == ["Second case", "Archive of practice"]

    services.resource_update(resource=first, actor=curator, data={"title": "Renamed archive"})
    assert "Renamed archive" in _library(reader)
    assert "Renamed archive" in _library(reader, "/c/ai/library/")

    services.resource_archive(resource=first, actor=curator)
    assert _library(reader) == ["Second case"]
    assert _library(reader, "/c/ai/library/") == ["Second case"]


def test_collections_and_community_names_reach_the_library_filters(
    reader, cache_state, make_resource, curator, communities
):
    resource = make_resource(title="Kept in a collection", community="ai")
    make_resource(title="Not in it", community="ai")
    collection = services.collection_save(
        actor=curator,
        data={"slug": "picks", "title_en": "Picks", "title_ru": "Picks", "title_kk": "Picks"},
        communities=[communities["ai"]],
    )

    def options(name):
        form = parse(reader.get("/library/")).find("form", class_="filter-bar")
        return [o.text.strip() for o in form.find("select", name=name).find_all("option")]

    assert "Picks" in options("collection")
    assert _library(reader, "/library/?collection=picks") == []
    services.collection_add(collection=collection, actor=curator, resource=resource)
    assert _library(reader, "/library/?collection=picks") == ["Kept in a collection"]

    Collection.objects.filter(pk=collection.pk).first().delete()
    assert "Picks" not in options("collection")

    community = Community.objects.get(slug="ai")
    community.name_en = "Artificial intelligence and more"
    community.save()
    assert "Artificial intelligence and more" in options("community")


def test_every_change_to_the_index_reaches_the_search_page(
    reader, cache_state, make_thread, make_reply
):
    thread = make_thread(title="Queue management in centres", body="Queues and waiting.")
    assert "Queue management in centres" in _text(reader, "/search/?q=queue")
    assert "Ticket machines" not in _text(reader, "/search/?q=queue")

    reply = make_reply(thread, "Ticket machines cut the queue in half.")
    assert "Ticket machines" in _text(reader, "/search/?q=queue")

    thread_services.post_delete(post=reply, actor=reply.author)
    assert "Ticket machines" not in _text(reader, "/search/?q=queue")

    opening = thread.posts.get(number=1)
    thread_services.post_edit(
        post=opening, editor=thread.author, body="Nothing about it now.", title="Renamed talk"
    )
    html = _text(reader, "/search/?q=queue")
    assert "Queue management in centres" not in html
    assert "Renamed talk" not in html


def test_a_visitors_second_search_and_library_visit_ask_nothing(
    make_resource, make_thread, client, django_assert_num_queries
):
    make_resource(title="Budget case", community="ai")
    make_thread(title="Budget talk", body="Budgets.")
    for path in ("/library/", "/search/?q=budget", "/c/ai/library/?kind=case"):
        first = client.get(path).content.decode()
        # The community is cached too; the versions are in the cache.
        with django_assert_num_queries(0):
            second = client.get(path).content.decode()
        assert "Budget" in first
        assert _without_tokens(second) == _without_tokens(first)


def test_signed_in_readers_share_the_results_but_keep_their_own_head(
    communities, make_member, login, make_resource
):
    make_resource(title="Budget case", community="ai")
    moderator = login(make_member(communities["ai"], "mod", role="moderator"))
    member = login(make_member(communities["ai"], "plain"))
    for first, second in ((moderator, member), (member, moderator)):
        cache.clear()
        pages = {}
        for http in (first, second):
            response = http.get("/c/ai/library/")
            page = parse(response)
            pages[http] = page
            token = http.cookies["csrftoken"].value
            assert card_titles(response.content.decode()) == ["Budget case"]
            assert token  # the reader's own token, not the slot
            assert "csrf-" not in response.content.decode()
        assert pages[moderator].find("a", href=_review_link)
        assert not pages[member].find("a", href=_review_link)


def _review_link(href) -> bool:
    return bool(href) and href.startswith("/c/ai/review/")


def test_search_results_are_shared_only_by_readers_who_may_read_the_same(
    communities, make_member, make_user, login, make_thread, make_message
):
    make_thread(title="Queue policy", body="Queues.", community="ai")
    make_message("Queue at the centre today", community="ai")
    staff = login(make_user("staffer", staff=True))
    visitor = Client()
    member = login(make_member(communities["ai"], "someone"))
    seen = {}
    for name, http in (("staff", staff), ("visitor", visitor), ("member", member)):
        seen[name] = "Queue at the centre today" in _text(http, "/search/?q=queue")
    # Chat is for members (and staff); a visitor's page never carries it, in any order.
    assert seen == {"staff": True, "visitor": False, "member": True}
    assert "Queue at the centre today" not in _text(visitor, "/search/?q=queue")


def test_every_change_reaches_a_resource_page(
    cache_state, reader, make_resource, make_thread, curator, communities, django_assert_num_queries
):
    resource = make_resource(title="Service standards", community="ai")
    visitor = reader

    def text() -> str:
        return _text(visitor, resource.get_absolute_url())

    assert "Service standards" in text()
    if cache_state == "warm cache":
        # A visitor's page whole; a member's under the header: the session, the person, the
        # resource and its communities (who may review or edit it).
        with django_assert_num_queries(4 if reader.cookies.get("sessionid") else 0):
            text()

    services.resource_update(resource=resource, actor=curator, data={"title": "Standards v2"})
    assert "Standards v2" in text()

    citing = make_thread(title="Citing it", body=f"See {resource.get_absolute_url()} here.")
    assert "Citing it" in text()
    citing.title = "Citing it, renamed"
    citing.save()
    assert "Citing it, renamed" in text()
    thread_services.post_edit(
        post=citing.posts.get(number=1), editor=citing.author, body="No link any more."
    )
    assert "Citing it" not in text()

    event = Event.objects.create(
        community=communities["ai"],
        title="Where it came from",
        starts_at=resource.created,
        ends_at=resource.created + timedelta(hours=1),
        time_zone="UTC",
        kind="webinar",
        language="en",
    )
    assert "Where it came from" not in text()
    event.resources.add(resource)
    assert "Where it came from" in text()

    services.resource_archive(resource=resource, actor=curator)
    assert visitor.get(resource.get_absolute_url()).status_code == 404


def test_who_may_review_or_edit_a_resource_gets_their_own_page(
    cache_state, login, make_member, make_resource, communities, curator
):
    """Readers who may neither review nor edit share the page under the header; a moderator
    of the resource's community, staff and its submitter (while they may edit it) get theirs,
    with their buttons, whoever reads first, and never leave them in the shared copy."""
    ai = communities["ai"]
    submitter = make_member(ai, "submitter")
    resource = make_resource(title="Queue data", community="ai", submitter=submitter)
    Resource.objects.filter(pk=resource.pk).update(status=Resource.Status.CHANGES_REQUESTED)
    readers = {
        "moderator": login(make_member(ai, "aimod", role="moderator")),
        "staff": login(curator),
        "submitter": login(submitter),
    }
    page = resource.get_absolute_url()

    def buttons(browser) -> set[str]:
        main = parse(browser.get(page)).one("main")
        return {b.text.strip() for b in main.find_all(["button", "a"]) if b.text.strip() in WANTED}

    WANTED = {"Edit", "Decide", "Archive", "Stop featuring", "Feature on the community page"}
    assert buttons(readers["submitter"]) == {"Edit"}
    assert buttons(readers["moderator"]) == {"Edit", "Decide"}
    services.resource_publish(resource=resource, actor=curator)
    member = login(make_member(ai, "member"))
    other = login(make_member(ai, "another"))
    browsers = {**readers, "member": member, "other": other}
    curation = {"Edit", "Archive", "Feature on the community page"}
    expected = {
        "member": set(),
        "moderator": curation,
        "staff": curation,
        "submitter": set(),  # published: changes now go through a moderator
        "other": set(),
    }
    for order in (["moderator", "member", "staff", "other", "submitter"], list(reversed(expected))):
        cache.clear()
        assert {name: buttons(browsers[name]) for name in order} == expected
