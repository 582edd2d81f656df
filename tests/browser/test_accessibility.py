"""axe-core on every main page, at a desktop and a phone width, in the light and the dark theme:
no violation of WCAG 2.1 A/AA or of axe's best practices.

axe-core is vendored in tests/browser/vendor (not fetched at test time); see its README there.
The pages are opened with CSP bypassed only so that the test can inject axe itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.models import Membership
from forums import services as forum_services
from forums.models import ChatRoom
from resources import services as library_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}

# Pages whose templates belong to the thread-page rewrite (another branch): checked by their own
# test below, expected to fail until those templates adopt the design system's markup.


@pytest.fixture
def site(communities, make_member, make_user, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    community = communities["one-stop-shop"]
    alice = make_member(community, "alice", display_name="Әлия Серікқызы", country="KZ")
    bob = make_member(community, "bob", display_name="Bob Smith", country="GE", is_expert=True)
    thread = forum_services.thread_create(
        community=community,
        author=alice,
        title="Электрондық кезек тәжірибесі",
        body="Тәжірибе бөлісейік. **Кезек** қалай басқарылады?",
        language="kk",
    )
    room = ChatRoom.objects.get(community=community, slug="general")
    for author, body in ((alice, "Сәлем!"), (alice, "Кезек туралы сұрақ бар."), (bob, "Hello")):
        message, _created, _frame = forum_services.message_send(room=room, author=author, body=body)
    # Something waiting for moderators: a reported chat message, a submission to review.
    forum_services.message_report_create(message=message, reporter=alice, reason="spam")
    staff = make_user("staffer", staff=True)
    Membership.objects.get_or_create(user=staff, community=community)
    # A private question of the staff member (who opens the pages) to Bob, answered.
    question = forum_services.question_ask(
        asker=staff,
        expert=bob,
        subject="Кезек туралы кеңес",
        body="Электрондық кезекті қалай **енгіздіңіздер**?",
        language="kk",
        community=community,
    )
    forum_services.question_reply(question=question, author=bob, body="Step by step.")
    library_services.resource_submit(
        actor=bob,
        data={"title": "Кезек стандарттары", "summary": "Қысқаша.", "kind": "case"},
        communities=[community],
    )
    published = [
        library_services.resource_submit(
            actor=staff,
            data={"title": title, "summary": "Қысқаша.", "kind": "case", "language": "kk"},
            communities=[community],
            publish=True,
        )
        for title in ("Бір терезе: кезекті қысқарту", "Электрондық кезек жүйесі")
    ]
    collection = library_services.collection_save(
        actor=staff, data={"title_en": "Queues", "title_kk": "Кезектер"}, communities=[community]
    )
    library_services.collection_add(collection=collection, actor=staff, resource=published[0])
    return {
        "community": community,
        "alice": alice,
        "bob": bob,
        "thread": thread,
        "room": room,
        "message": message,
        "collection": collection,
        "staff": staff,
        "question": question,
    }


def _pages(site) -> dict[str, str]:
    """The pages as the staff member sees them (a member of one community, who has not read
    its chat: their own home has something in every section)."""
    c = site["community"]
    return {
        "home_signed_in": "/",
        "welcome_profile": "/welcome/profile/",
        "welcome_communities": "/welcome/communities/",
        "welcome_notifications": "/welcome/email/",
        "community": c.get_absolute_url(),
        "library": "/library/",
        "search": "/search/?q=кезек",
        "events": "/events/",
        "members": "/members/",
        "experts": "/experts/",
        "member": site["bob"].get_absolute_url(),
        "chat": site["room"].get_absolute_url(),
        "profile": "/profile/",
        "notifications": "/notifications/",
        "styleguide": "/styleguide/",
        "thread_list": f"/c/{c.slug}/threads/",
        "thread_detail": site["thread"].get_absolute_url(),
        "question_ask": f"/members/{site['bob'].username}/ask/",
        "questions": "/questions/",
        "question": site["question"].get_absolute_url(),
        "privacy": "/profile/privacy/",
        "moderation": f"/c/{c.slug}/moderation/",
        "moderation_overview": "/moderation/",
        "chat_reports": f"/c/{c.slug}/reports/chat/",
        "message_report": f"/messages/{site['message'].pk}/report/",
        "collection_edit": f"/library/collections/{site['collection'].slug}/edit/?q=кезек",
    }


# Pages as a visitor sees them (no session).
VISITOR_PAGES = {"home_visitor": "/"}


def _violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations",
        TAGS,
    )
    return [
        f"{v['id']}: {v['help']} — "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
        for v in result
    ]


def _check(browser, live_daphne, site, *, width: str, scheme: str, names) -> dict[str, list[str]]:
    from tests.browser.conftest import _session_cookie

    w, h = WIDTHS[width]
    context = browser.new_context(
        base_url=live_daphne.url,
        viewport={"width": w, "height": h},
        color_scheme=scheme,
        bypass_csp=True,
    )
    context.set_default_timeout(15_000)
    found = {}
    try:
        page = context.new_page()
        for signed_in, pages in ((False, VISITOR_PAGES), (True, _pages(site))):
            if signed_in:
                context.add_cookies([_session_cookie(site["staff"], live_daphne.url)])
            for name, url in pages.items():
                if name not in names:
                    continue
                page.goto(url)
                page.wait_for_load_state("networkidle")
                problems = _violations(page)
                if problems:
                    found[name] = problems
    finally:
        context.close()
    return found


# Both widths in the light scheme; the dark scheme (its colours and contrast are the same at
# any width) at the desktop width. Each combination takes half a minute.
@pytest.mark.parametrize(
    ("width", "scheme"), [("desktop", "light"), ("phone", "light"), ("desktop", "dark")]
)
def test_main_pages_have_no_axe_violations(browser, live_daphne, site, width, scheme):
    names = [*VISITOR_PAGES, *_pages(site)]
    found = _check(browser, live_daphne, site, width=width, scheme=scheme, names=names)
    assert found == {}, "\n".join(
        f"{page}: {problem}" for page, items in found.items() for problem in items
    )
