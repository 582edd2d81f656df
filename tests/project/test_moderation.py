"""The moderators' dashboard (/c/<slug>/moderation/), the list of one's communities
(/moderation/) and the pending counts in the header and on the community page: who sees what,
whether the numbers are right, and what they cost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import services as core_services
from core.models import Community, Membership
from forums import services as forum_services
from forums.models import ChatMessage, ChatRoom, MessageReport, Report
from resources import services as library_services
from resources.models import Resource
from tests.content import KAZAKH
from tests.htmltree import Node, parse

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "non_member", "member", "other_mod", "moderator", "staff")


@dataclass
class Scene:
    community: Community
    elsewhere: Community
    people: dict
    submitted: list[Resource]
    reported_post: object
    message: ChatMessage


def _submit(person, community, title: str) -> Resource:
    return library_services.resource_submit(
        actor=person,
        data={
            "title": title,
            "summary": KAZAKH[4],
            "body": "",
            "kind": "practice-note",
            "language": "kk",
            "year": 2024,
            "countries": ["KZ"],
            "url": "",
            "source": "",
            "authors": "",
            "licence": "",
        },
        communities=[community],
    )


def _say(community, author, body: str) -> ChatMessage:
    room = ChatRoom.objects.get(community=community, slug="general")
    message, _created, _frame = forum_services.message_send(room=room, author=author, body=body)
    return message


@pytest.fixture
def scene(communities, make_user, make_member, make_thread) -> Scene:
    """In one-stop-shop: 2 submissions waiting, 2 open reports on one post, 2 open reports on
    one chat message, and things that must not count (decided, elsewhere, waiting for the
    submitter). In e-government: one of each kind."""
    here, there = communities["one-stop-shop"], communities["e-government"]
    people = {
        "anonymous": None,
        "non_member": make_user("outsider"),
        "member": make_member(here, "member", display_name="Арман Садықов"),
        "other_mod": make_member(there, "othermod", role="moderator"),
        "moderator": make_member(here, "moderator", role="moderator"),
        "staff": make_user("staffer", staff=True),
    }
    member, moderator = people["member"], people["moderator"]
    reporters = [make_member(here, f"reader{n}") for n in range(2)]
    writer_there = make_member(there, "writer")

    submitted = [
        _submit(member, here, "Кезек стандарттары"),
        _submit(member, here, "ХҚКО тәжірибесі"),
    ]
    changes = _submit(member, here, "Қайта жіберілетін кейс")
    library_services.resource_request_changes(
        resource=changes, actor=moderator, comment="Дереккөзді көрсетіңіз."
    )
    _submit(writer_there, there, "Электрондық үкімет кейсі")

    thread = make_thread(here, member, "Кезекті қалай қысқартуға болады?")
    reported = forum_services.post_reply(thread=thread, author=member, body=KAZAKH[1])
    for reader in reporters:
        forum_services.report_create(post=reported, reporter=reader, reason="spam")
    dismissed = forum_services.post_reply(thread=thread, author=member, body=KAZAKH[2])
    report = forum_services.report_create(post=dismissed, reporter=reporters[0], reason="abuse")
    forum_services.report_resolve(report=report, actor=moderator, hide=False)
    thread_there = make_thread(there, writer_there, "Электрондық үкімет")
    post_there = forum_services.post_reply(thread=thread_there, author=writer_there, body="Иә")
    forum_services.report_create(post=post_there, reporter=people["other_mod"], reason="spam")

    message = _say(here, member, "Арзан несие! Сілтемені басыңыз.")
    for reader in reporters:
        forum_services.message_report_create(message=message, reporter=reader, reason="spam")
    fine = _say(here, member, "Қайырлы таң!")
    chat_report = forum_services.message_report_create(
        message=fine, reporter=reporters[1], reason="other"
    )
    forum_services.message_report_resolve(report=chat_report, actor=moderator, remove=False)
    forum_services.message_report_create(
        message=_say(there, writer_there, "Спам"), reporter=people["other_mod"], reason="spam"
    )
    return Scene(here, there, people, submitted, reported, message)


def _client(scene: Scene, role: str, client, login):
    person = scene.people[role]
    return login(person) if person else client


def _stat(page: Node, queue: str) -> int:
    card = page.one("a", class_="stat-card", data_queue=queue)
    return int(card.one("span", class_="number").text)


def _badge(page: Node) -> Node | None:
    return page.find("a", data_moderation_link="")


# --- Who may see what ---------------------------------------------------------------------------

# GET each page as each role: "login" sends a visitor to sign in.
PAGES = """
page        anonymous non_member member other_mod moderator staff
dashboard   login     403        403    403       200       200
overview    login     403        403    200       200       200
"""


def _pages(scene: Scene) -> dict[str, str]:
    return {"dashboard": f"/c/{scene.community.slug}/moderation/", "overview": "/moderation/"}


def _table(text: str) -> dict[str, dict[str, str]]:
    header, *rows = (line.split() for line in text.strip().splitlines())
    assert header[1:] == list(ROLES)
    return {name: dict(zip(ROLES, cells, strict=True)) for name, *cells in rows}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["dashboard", "overview"])
def test_who_may_open_the_moderation_pages(scene, client, login, page, role):
    expected = _table(PAGES)[page][role]

    response = _client(scene, role, client, login).get(_pages(scene)[page])

    if expected == "login":
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == int(expected)
    if expected == "403":
        assert "moderators" in response.content.decode()  # the refusal says why


# What each role sees of the counts: the header's badge (its number and where it leads), and on
# the community page the Moderation button and tab. "-" means not shown at all.
SHOWN = """
what         anonymous non_member member other_mod  moderator  staff
badge        -         -          -      3          6          9
badge_link   -         -          -      e-gov      osc        all
button       -         -          -      -          6          6
tab          -         -          -      -          6          6
"""
LINKS = {
    "e-gov": "/c/e-government/moderation/",
    "osc": "/c/one-stop-shop/moderation/",
    "all": "/moderation/",
}


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_pending_counts_in_the_header_and_on_the_community_page(
    scene, client, login, role
):
    expected = {what: cells[role] for what, cells in _table(SHOWN).items()}

    page = parse(_client(scene, role, client, login).get(scene.community.get_absolute_url()))

    badge = _badge(page)
    if expected["badge"] == "-":
        assert badge is None
    else:
        assert badge.one("span", class_="badge").text == expected["badge"]
        assert badge.attrs["href"] == LINKS[expected["badge_link"]]
        assert f"{expected['badge']} items waiting" in badge.attrs["aria-label"]
    button = page.find("a", data_moderation_button="")
    tab = page.one("ul", class_="tabs").find("a", href="/c/one-stop-shop/moderation/")
    for node, shown in ((button, expected["button"]), (tab, expected["tab"])):
        if shown == "-":
            assert node is None
        else:
            assert node.attrs["href"] == "/c/one-stop-shop/moderation/"
            assert node.text.startswith(f"Moderation {shown}")


# --- The numbers ---------------------------------------------------------------------------------


def test_the_dashboard_counts_what_waits_and_links_to_each_item(scene, login):
    moderator = scene.people["moderator"]
    Membership.objects.filter(user=scene.people["member"]).update(
        created=timezone.now() - timedelta(days=10)
    )

    page = parse(login(moderator).get("/c/one-stop-shop/moderation/"))

    assert "6 items are waiting for a moderator." in page.one("main").text
    assert _stat(page, "review") == 2
    assert _stat(page, "reports") == 2
    assert _stat(page, "chat_reports") == 2
    # Joined this week: the moderator and the two readers; the member joined ten days ago.
    assert _stat(page, "joined") == 3
    cards = {a.attrs["data-queue"]: a.attrs["href"] for a in page.find_all("a", class_="stat-card")}
    assert cards == {
        "review": "/c/one-stop-shop/review/",
        "reports": "/c/one-stop-shop/reports/",
        "chat_reports": "/c/one-stop-shop/reports/chat/",
        "joined": "/members/?community=one-stop-shop",
    }
    review = page.one("section", aria_labelledby="queue-review")
    assert [a.attrs["href"] for a in review.find_all("a")][:2] == [
        r.get_absolute_url()
        for r in scene.submitted  # oldest first, as the queue page
    ]
    assert "submitted by Арман Садықов" in review.text
    reports = page.one("section", aria_labelledby="queue-reports")
    assert reports.find_all("a")[0].attrs["href"] == scene.reported_post.get_absolute_url()
    assert "Spam or advertising, reported by" in reports.text
    chat = page.one("section", aria_labelledby="queue-chat_reports")
    assert chat.find_all("a")[0].attrs["href"] == scene.message.get_absolute_url()
    assert "#general: Арзан несие!" in chat.text
    joined = page.one("aside", aria_labelledby="joined-heading")
    assert "Арман Садықов" not in joined.text


def test_the_counts_agree_with_the_queue_pages(scene, login):
    browser = login(scene.people["moderator"])
    dashboard = parse(browser.get("/c/one-stop-shop/moderation/"))

    review = parse(browser.get("/c/one-stop-shop/review/"))
    reports = parse(browser.get("/c/one-stop-shop/reports/"))
    chat = parse(browser.get("/c/one-stop-shop/reports/chat/"))

    assert len(review.one("ul", data_queue="waiting").find_all("li")) == _stat(dashboard, "review")
    assert len(reports.one("main").find_all("blockquote")) == _stat(dashboard, "reports")
    assert len(chat.one("main").find_all("blockquote")) == _stat(dashboard, "chat_reports")


def test_deciding_lowers_the_counts_everywhere(scene, login):
    browser = login(scene.people["moderator"])
    report = MessageReport.objects.filter(message=scene.message).first()

    response = browser.post(
        f"/c/one-stop-shop/reports/chat/{report.pk}/", {"decision": "dismiss"}, follow=True
    )
    browser.post(f"/library/{scene.submitted[0].pk}/decide/", {"decision": "publish"})

    assert "Report dismissed." in response.content.decode()
    page = parse(browser.get("/c/one-stop-shop/moderation/"))
    assert _stat(page, "chat_reports") == 0
    assert _stat(page, "review") == 1
    assert _badge(page).one("span", class_="badge").text == "3"
    assert page.find("section", aria_labelledby="queue-chat_reports") is None
    # Both reports on the message were answered by the one decision.
    statuses = MessageReport.objects.filter(message=scene.message).values_list("status", flat=True)
    assert set(statuses) == {"dismissed"}


def test_the_overview_lists_each_community_the_reader_moderates(scene, login):
    page = parse(login(scene.people["staff"]).get("/moderation/"))

    cards = {s.one("h2").one("a").text: s for s in page.one("main").find_all("section")}
    assert len(cards) == 4  # staff moderate every community
    here = cards[scene.community.name]
    assert here.one("span", class_="badge").text == "6"
    assert "Reported chat messages: 2" in here.text
    assert cards[scene.elsewhere.name].one("span", class_="badge").text == "3"
    other = parse(login(scene.people["other_mod"]).get("/moderation/"))
    assert [s.one("h2").one("a").text for s in other.one("main").find_all("section")] == [
        scene.elsewhere.name
    ]


def test_with_nothing_waiting_the_dashboard_says_what_to_do_next(communities, make_member, login):
    moderator = make_member(communities["ai"], "calm", role="moderator")

    page = parse(login(moderator).get("/c/ai/moderation/"))

    assert "Nothing is waiting for a moderator." in page.one("main").text
    empty = page.one("div", class_="empty-state")
    assert empty.one("h2").text == "All caught up"
    links = [a.attrs["href"] for a in empty.find_all("a")]
    assert "/c/ai/library/" in links
    assert "/library/collections/new/" in links
    assert _badge(page).one("span", class_="badge").attrs["class"] == "badge is-empty"


def test_recent_moderation_actions_read_in_words(scene, login):
    moderator = scene.people["moderator"]
    report = Report.objects.filter(post=scene.reported_post).first()
    forum_services.report_resolve(report=report, actor=moderator, hide=True)

    page = parse(login(moderator).get("/c/one-stop-shop/moderation/"))

    actions = page.one("section", aria_labelledby="recent-actions")
    first = actions.find_all("li")[0].text
    assert first.startswith("Hid a reported post: ")
    assert "· moderator ·" in first  # who did it
    assert "report: open → hidden" in first
    assert "Spam or advertising" in first  # the reason
    assert actions.find("a", href="/c/one-stop-shop/audit/")


# --- What it costs -------------------------------------------------------------------------------


def _more(scene: Scene, make_member, n: int) -> None:
    here, member = scene.community, scene.people["member"]
    for i in range(n):
        resource = _submit(member, here, f"Кейс {n}.{i}")
        reader = make_member(here)
        post = forum_services.post_reply(thread=scene.reported_post.thread, author=member, body="+")
        forum_services.report_create(post=post, reporter=reader, reason="spam")
        message = _say(here, member, f"Хабар {n}.{i}")
        forum_services.message_report_create(message=message, reporter=reader, reason="spam")
        core_services.audit_record(
            actor=scene.people["moderator"],
            action="resource.feature",
            target=resource,
            community=here,
            after={"featured": True},
        )


def test_the_dashboard_costs_the_same_with_more_waiting(
    scene, make_member, login, django_assert_num_queries, no_flood_limit
):
    browser = login(scene.people["moderator"])
    url = "/c/one-stop-shop/moderation/"
    browser.get(url)  # warm: the cached unread count

    # session, user (the community and the memberships are cached); the pending counts (one
    # query for every queue, shared with the header); the latest of each queue (3); who joined
    # this week and how many (2); recent actions with their moderators (1).
    with django_assert_num_queries(9):
        browser.get(url)
    _more(scene, make_member, 12)
    browser.get(url)  # the new submissions notified the moderator: the unread count again
    with django_assert_num_queries(9):
        page = parse(browser.get(url))

    assert _stat(page, "review") == 14
    assert len(page.one("section", aria_labelledby="queue-review").find_all("li")) == 5


def test_the_header_badge_costs_one_query_for_moderators_and_none_for_others(
    scene, login, django_assert_num_queries
):
    """The bookmarks page asks nothing about communities, so it shows what the header adds."""
    member, moderator = login(scene.people["member"]), login(scene.people["moderator"])
    member.get("/bookmarks/")
    moderator.get("/bookmarks/")

    # session, user, bookmarks (what the member moderates is cached after the first page).
    with django_assert_num_queries(3):
        member.get("/bookmarks/")
    # ... and for a moderator the pending counts.
    with django_assert_num_queries(4):
        page = parse(moderator.get("/bookmarks/"))
    assert _badge(page).one("span", class_="badge").text == "6"


def test_a_new_role_shows_the_badge_at_once_and_a_removed_one_hides_it(
    scene, login, django_capture_on_commit_callbacks
):
    person = scene.people["member"]
    browser = login(person)
    assert _badge(parse(browser.get("/bookmarks/"))) is None  # cached: moderates nothing

    with django_capture_on_commit_callbacks(execute=True):
        core_services.role_grant(
            actor=scene.people["staff"], user=person, community=scene.community, role="moderator"
        )
    badge = _badge(parse(browser.get("/bookmarks/")))
    assert badge.attrs["href"] == "/c/one-stop-shop/moderation/"

    with django_capture_on_commit_callbacks(execute=True):
        core_services.membership_remove(
            actor=scene.people["staff"], user=person, community=scene.community
        )
    assert _badge(parse(browser.get("/bookmarks/"))) is None


def test_the_community_page_costs_a_moderator_one_query_more_than_a_member(scene, login):
    member, moderator = login(scene.people["member"]), login(scene.people["moderator"])
    url = scene.community.get_absolute_url()
    member.get(url)
    moderator.get(url)

    with CaptureQueriesContext(connection) as as_member:
        member.get(url)
    with CaptureQueriesContext(connection) as as_moderator:
        moderator.get(url)

    assert len(as_moderator.captured_queries) == len(as_member.captured_queries) + 1
