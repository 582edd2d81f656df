"""Script in titles, bodies and tag names is shown as text, never run: on the thread list, the
thread page, the pages around posts, and in the notification inbox."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from forums import services
from forums.models import Post, Tag
from tests.htmltree import assert_inert, parse

TITLE = '<script>alert("title")</script><img src=x onerror=alert(1)>'
TAG = '<svg onload=alert("tag")>'
BODIES = [
    '<script>alert("body")</script>',
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">raw link</a>',
    "![x](javascript:alert(1))",
    '<iframe src="https://evil.example"></iframe>',
    "<div style=\"background:url('javascript:alert(1)')\" onmouseover=alert(1)>hover</div>",
    "[x](JaVaScRiPt:alert(1)) [y](data:text/html;base64,PHNjcmlwdD4=)",
    "`<b onclick=alert(1)>code</b>` and **<u onclick=alert(1)>bold</u>**",
]


@pytest.fixture
def attacked(community, make_member, start_thread):
    """A thread whose title, tag and posts carry payloads, with a mention so that the victim's
    inbox shows them too."""
    attacker = make_member(community, "mallory", display_name='<b onmouseover="alert(1)">M</b>')
    victim = make_member(community, "victim")
    moderator = make_member(community, role="moderator")
    tag = Tag.objects.create(community=community, slug="evil", name=TAG)
    thread = start_thread(
        community, attacker, title=TITLE, body="\n\n".join(BODIES) + "\n\n@victim", tags=[tag]
    )
    reply = services.post_reply(thread=thread, author=attacker, body=BODIES[0] + " @victim")
    services.post_edit(post=reply, editor=attacker, body=BODIES[1] + " edited @victim")
    services.post_bookmark(post=reply, user=victim)
    services.report_create(post=reply, reporter=victim, reason="abuse", comment=TITLE)
    return {
        "thread": thread,
        "attacker": attacker,
        "victim": victim,
        "moderator": moderator,
        "reply": reply,
    }


def _pages(attacked, community) -> dict[str, tuple[str, str]]:
    """Page name → (who looks, url)."""
    thread, reply = attacked["thread"], attacked["reply"]
    return {
        "thread list": ("victim", reverse("thread_list", args=[community.slug])),
        "thread page": ("victim", thread.get_absolute_url()),
        "thread page (moderator)": ("moderator", thread.get_absolute_url()),
        "new posts": ("victim", reverse("posts_new", args=[community.slug, thread.pk])),
        "post history": ("victim", reverse("post_history", args=[reply.pk])),
        "edit form": ("attacker", reverse("post_edit", args=[reply.pk])),
        "bookmarks": ("victim", reverse("bookmark_list")),
        "report queue": ("moderator", reverse("report_queue", args=[community.slug])),
        "notifications": ("victim", reverse("notification_list")),
        "quote prefill": ("victim", f"{thread.get_absolute_url()}?quote={reply.pk}"),
    }


PAGES = [
    "thread list",
    "thread page",
    "thread page (moderator)",
    "new posts",
    "post history",
    "edit form",
    "bookmarks",
    "report queue",
    "notifications",
    "quote prefill",
]


@pytest.mark.parametrize("name", PAGES)
def test_payloads_are_inert(login, community, attacked, name):
    who, url = _pages(attacked, community)[name]

    response = login(attacked[who]).get(url)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert_inert(html)
    assert '<script>alert("title")' not in html
    assert all(
        "icon" in svg.attrs.get("class", "") for svg in parse(html).iter() if svg.tag == "svg"
    )


@pytest.mark.parametrize("name", ["thread list", "thread page", "notifications"])
def test_the_title_is_shown_as_the_text_that_was_typed(login, community, attacked, name):
    who, url = _pages(attacked, community)[name]

    page = parse(login(attacked[who]).get(url))

    assert TITLE in page.find("main").text


def test_the_tag_name_is_shown_as_text(login, community, attacked):
    for who, url in [_pages(attacked, community)[n] for n in ("thread list", "thread page")]:
        pills = [p.text for p in parse(login(attacked[who]).get(url)).find_all(class_="pill")]
        assert TAG in pills


def test_stored_html_keeps_only_allowed_markup(attacked):
    html = Post.objects.get(thread=attacked["thread"], number=1).html

    assert_inert(html)
    tags = {node.tag for node in parse(html).iter()} - {"#document"}
    assert tags <= {"p", "a", "code", "strong", "br"}
    hrefs = [a.attrs.get("href", "") for a in parse(html).find_all("a")]
    assert all(h.startswith(("/", "http://", "https://")) or not h for h in hrefs), hrefs
