"""A net over every page: as an anonymous visitor, a member, a moderator and staff, in each
language, no page fails, and each has one <h1>, a <main>, a <nav> and labels on its form fields;
none carries inline script or style that the Content-Security-Policy would block."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from core.models import Community
from events import services as event_services
from events.models import Event
from forums import services as forum_services
from forums.models import ChatMessage, ChatRoom, Post, Thread
from resources import services as library_services
from resources.models import Collection, CollectionItem, Resource
from tests.content import KAZAKH
from tests.htmltree import Node, parse

ROLES = ["anonymous", "member", "moderator", "staff"]
LANGUAGES = ["en", "ru", "kk"]
UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}


@dataclass
class Site:
    community: Community
    people: dict
    thread: Thread
    reply: Post
    room: ChatRoom
    message: ChatMessage
    resource: Resource
    pending: Resource
    collection: Collection
    event: Event

    def paths(self) -> dict[str, str]:
        """Every page, by a name that does not depend on database ids."""
        c = self.community.slug
        t = f"/c/{c}/threads/{self.thread.pk}"
        room = f"/c/{c}/chat/{self.room.slug}"
        r = f"/library/{self.resource.pk}"
        collection = f"/library/collections/{self.collection.slug}"
        return {
            "home": "/",
            "community": f"/c/{c}/",
            "threads": f"/c/{c}/threads/",
            "threads-unanswered": f"/c/{c}/threads/?filter=unanswered",
            "thread-new": f"/c/{c}/threads/new/",
            "thread": f"{t}/",
            "thread-move": f"{t}/move/",
            "reports": f"/c/{c}/reports/",
            "tags": f"/c/{c}/tags/",
            "audit": f"/c/{c}/audit/",
            "moderation": f"/c/{c}/moderation/",
            "moderation-overview": "/moderation/",
            "chat-reports": f"/c/{c}/reports/chat/",
            "rooms": f"/c/{c}/chat/",
            "room-new": f"/c/{c}/chat/new/",
            "room": f"{room}/",
            "room-settings": f"{room}/settings/",
            "room-moderation": f"{room}/moderation/",
            "community-library": f"/c/{c}/library/",
            "review": f"/c/{c}/review/",
            "post-edit": f"/posts/{self.reply.pk}/edit/",
            "post-history": f"/posts/{self.reply.pk}/history/",
            "post-report": f"/posts/{self.reply.pk}/report/",
            "chat-to-thread": f"/messages/{self.message.pk}/thread/",
            "message-report": f"/messages/{self.message.pk}/report/",
            "bookmarks": "/bookmarks/",
            "members": "/members/",
            "members-filtered": "/members/?country=KZ&community=one-stop-shop",
            "member": f"/members/{self.people['member'].username}/",
            "experts": "/experts/",
            "profile": "/profile/",
            "notifications": "/notifications/",
            "library": "/library/",
            "library-filtered": "/library/?kind=case",
            "resource-submit": "/library/submit/",
            "my-submissions": "/library/mine/",
            "collections": "/library/collections/",
            "collection-new": "/library/collections/new/",
            "collection": f"{collection}/",
            "collection-edit": f"{collection}/edit/",
            "collection-edit-search": f"{collection}/edit/?q=кезек",
            "resource": f"{r}/",
            "resource-edit": f"{r}/edit/",
            "resource-pending": f"/library/{self.pending.pk}/",
            "search": "/search/",
            "search-query": "/search/?q=кезек",
            "login": "/accounts/login/",
            "signup": "/accounts/signup/",
            "password-reset": "/accounts/password/reset/",
            "logout": "/accounts/logout/",
            "emails": "/accounts/email/",
            "password-change": "/accounts/password/change/",
            "two-factor": "/accounts/2fa/",
            "unknown-community": "/c/no-such-community/",
            "email-preferences": "/profile/email/",
            "events": "/events/",
            "events-past": "/events/?when=past&kind=webinar&language=kk&month=2026-01",
            "community-events": f"/c/{c}/events/",
            "event": f"/events/{self.event.pk}/",
            "event-new": f"/c/{c}/events/new/",
            "event-edit": f"/events/{self.event.pk}/edit/",
            "event-duplicate": f"/events/{self.event.pk}/duplicate/",
            "event-registrants": f"/events/{self.event.pk}/registrants/",
            "my-events": "/events/mine/",
        }


@pytest.fixture
def site(communities, make_member, make_user, make_thread, make_resource) -> Site:
    community = communities["one-stop-shop"]
    people = {
        "member": make_member(community, "member", display_name="Арман Садықов", country="KZ"),
        "moderator": make_member(community, "moderator", role="moderator"),
        "staff": make_user("staff", staff=True, is_superuser=True),
    }
    thread = make_thread(community, people["member"], "Кезекті қалай қысқартуға болады?")
    reply = forum_services.post_reply(thread=thread, author=people["member"], body=KAZAKH[1])
    # A reply by someone else: the member gets a notification (they follow their thread).
    forum_services.post_reply(thread=thread, author=people["moderator"], body=KAZAKH[2])
    forum_services.report_create(post=reply, reporter=people["moderator"], reason="spam")
    room = ChatRoom.objects.get(community=community, slug="general")
    message, _created, _frame = forum_services.message_send(
        room=room, author=people["member"], body=KAZAKH[3]
    )
    forum_services.message_report_create(
        message=message, reporter=people["moderator"], reason="spam"
    )
    resource = make_resource([community], "Бір терезе қағидаты: кейс", body=KAZAKH[0])
    pending = library_services.resource_submit(
        actor=people["member"],
        data={
            "title": "Кезек стандарттары",
            "summary": KAZAKH[4],
            "body": KAZAKH[5],
            "kind": "practice-note",
            "language": "kk",
            "year": 2023,
            "countries": ["KZ"],
            "url": "",
            "source": "",
            "authors": "",
            "licence": "",
        },
        communities=[community],
    )
    collection = Collection.objects.create(
        slug="virtual-alliance", title_en="Virtual Alliance", title_kk="Виртуалды альянс"
    )
    collection.communities.add(community)
    CollectionItem.objects.create(collection=collection, resource=resource)
    start = timezone.now() + timedelta(days=2)
    event = event_services.event_create(
        actor=people["moderator"],
        community=community,
        data=event_services.EventData(
            title="Бір терезе: тәжірибе алмасу вебинары",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            body=KAZAKH[2],
            language="kk",
            languages=["kk", "ru"],
            join_url="https://meet.example.org/osc",
            capacity=20,
            speakers=["@member", "Guest speaker"],
        ),
    )
    event_services.registration_create(user=people["member"], event=event)
    return Site(
        community, people, thread, reply, room, message, resource, pending, collection, event
    )


def client_for(site: Site, role: str, lang: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(site.people[role])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client


def _is_labelled(field: Node, page: Node) -> bool:
    if field.attrs.get("aria-label", "").strip() or field.attrs.get("aria-labelledby"):
        return True
    if any(node.tag == "label" for node in field.ancestors()):
        return True
    field_id = field.attrs.get("id")
    return bool(field_id) and bool(page.find("label", **{"for": field_id}))


def structure_problems(page: Node) -> list[str]:
    problems = []
    h1 = page.find_all("h1")
    if len(h1) != 1:
        problems.append(f"{len(h1)} <h1>")
    if len(page.find_all("main")) != 1:
        problems.append(f"{len(page.find_all('main'))} <main>")
    if not page.find_all("nav"):
        problems.append("no <nav>")
    for field in page.iter():
        if field.tag not in ("input", "select", "textarea"):
            continue
        if field.tag == "input" and field.attrs.get("type", "text") in UNLABELLED_INPUT_TYPES:
            continue
        if not _is_labelled(field, page):
            problems.append(f"unlabelled <{field.tag} name={field.attrs.get('name')!r}>")
    return problems


def csp_problems(page: Node) -> list[str]:
    problems = []
    for node in page.iter():
        if node.tag == "script" and "src" not in node.attrs:
            problems.append("inline <script>")
        if node.tag == "style":
            problems.append("<style> element")
        if "style" in node.attrs:
            problems.append(f"style attribute on <{node.tag}>")
        problems += [f"{name} on <{node.tag}>" for name in node.attrs if name.startswith("on")]
        href = node.attrs.get("href", "") + node.attrs.get("action", "")
        if href.strip().lower().startswith("javascript:"):
            problems.append(f"javascript: URL on <{node.tag}>")
    return problems


def crawl(site: Site, role: str, lang: str, check) -> tuple[list[str], dict[str, int]]:
    client = client_for(site, role, lang)
    problems, statuses = [], {}
    for name, path in site.paths().items():
        response = client.get(path)
        statuses[name] = response.status_code
        if response.status_code >= HTTPStatus.INTERNAL_SERVER_ERROR:
            problems.append(f"{path}: {response.status_code}")
            continue
        if not response.headers.get("Content-Type", "").startswith("text/html"):
            continue
        if response.status_code in (HTTPStatus.FOUND, HTTPStatus.MOVED_PERMANENTLY):
            continue
        page = parse(response.content)
        if page.find("html") and page.one("html").attrs.get("lang") != lang:
            problems.append(f"{path}: lang={page.one('html').attrs.get('lang')!r}")
        problems += [f"{path}: {problem}" for problem in check(page)]
    return problems, statuses


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_has_one_h1_a_main_a_nav_and_labelled_fields(site, role, lang):
    problems, statuses = crawl(site, role, lang, structure_problems)

    assert not problems, "\n".join(problems)
    # The crawl saw real pages, not only redirects and refusals.
    shown = [name for name, status in statuses.items() if status == HTTPStatus.OK]
    assert len(shown) >= {"anonymous": 20, "member": 35, "moderator": 40, "staff": 40}[role]


# What each role gets on each page (GET). "member" wrote the thread, the reply, the chat message
# and the pending resource (so they may not report them); 302 sends an anonymous visitor to sign
# in (or a signed-in person away from the sign-in pages).
STATUSES = """
page                anonymous member moderator staff
home                200       200    200       200
community           200       200    200       200
threads             200       200    200       200
threads-unanswered  200       200    200       200
thread-new          302       200    200       200
thread              200       200    200       200
thread-move         302       403    200       200
reports             302       403    200       200
tags                302       403    200       200
audit               302       403    200       200
moderation          302       403    200       200
moderation-overview 302       403    200       200
chat-reports        302       403    200       200
rooms               302       200    200       200
room-new            302       403    200       200
room                302       200    200       200
room-settings       302       403    200       200
room-moderation     302       403    200       200
community-library   200       200    200       200
review              302       403    200       200
post-edit           302       200    403       403
post-history        200       200    200       200
post-report         302       403    200       200
chat-to-thread      302       200    200       200
message-report      302       403    200       200
bookmarks           302       200    200       200
members             200       200    200       200
members-filtered    200       200    200       200
member              200       200    200       200
experts             200       200    200       200
profile             302       200    200       200
notifications       302       200    200       200
library             200       200    200       200
library-filtered    200       200    200       200
resource-submit     302       200    200       200
my-submissions      302       200    200       200
collections         200       200    200       200
collection-new      302       403    200       200
collection          200       200    200       200
collection-edit     302       403    200       200
collection-edit-search 302    403    200       200
resource            200       200    200       200
resource-edit       302       403    200       200
resource-pending    404       200    200       200
search              200       200    200       200
search-query        200       200    200       200
login               200       302    302       302
signup              200       302    302       302
password-reset      200       200    200       200
logout              302       200    200       200
emails              302       200    200       200
password-change     302       200    200       200
two-factor          302       200    200       200
unknown-community   404       404    404       404
email-preferences   302       200    200       200
events              200       200    200       200
events-past         200       200    200       200
community-events    200       200    200       200
event               200       200    200       200
event-new           302       403    200       200
event-edit          302       403    200       200
event-duplicate     302       403    200       200
event-registrants   302       403    200       200
my-events           302       200    200       200
"""


def _statuses() -> dict[str, dict[str, int]]:
    header, *rows = (line.split() for line in STATUSES.strip().splitlines())
    assert header == ["page", *ROLES]
    return {page: dict(zip(ROLES, map(int, cells), strict=True)) for page, *cells in rows}


@pytest.mark.parametrize("role", ROLES)
def test_what_each_role_gets_on_each_page(site, role):
    expected = _statuses()
    assert set(expected) == set(site.paths())
    _problems, statuses = crawl(site, role, "en", lambda page: [])
    wrong = {
        name: f"{statuses[name]} instead of {by_role[role]}"
        for name, by_role in expected.items()
        if statuses[name] != by_role[role]
    }
    assert not wrong, wrong


@pytest.mark.parametrize("role", ROLES)
def test_no_page_carries_inline_script_or_style(site, role):
    problems, _statuses = crawl(site, role, "en", csp_problems)
    assert not problems, "\n".join(problems)
