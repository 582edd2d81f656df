"""Moderation: reports and their queue, pin, lock, move, hide, delete, tags, the audit log; and
the thread's denormalised counters after every change that affects them."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import formats, timezone

from core.models import AuditEntry, Membership
from forums import services
from forums.models import Post, Report, Tag, Thread
from tests.htmltree import parse


@pytest.fixture
def people(community, make_member):
    return {
        "author": make_member(community, "author", display_name="Author"),
        "second": make_member(community, "second", display_name="Second"),
        "third": make_member(community, "third", display_name="Third"),
        "moderator": make_member(
            community, "moderator", display_name="Mod Erator", role="moderator"
        ),
    }


@pytest.fixture
def thread(community, people, start_thread):
    return start_thread(community, people["author"], title="Procurement of queue machines")


def _counters(thread) -> tuple:
    t = Thread.objects.get(pk=thread.pk)
    last = Post.objects.get(pk=t.last_post_id) if t.last_post_id else None
    return (t.reply_count, last.number if last else None, t.last_poster_id, t.last_activity)


def _replies(thread, people) -> list[Post]:
    return [
        services.post_reply(thread=thread, author=people["second"], body="Second speaks."),
        services.post_reply(thread=thread, author=people["third"], body="Third speaks."),
    ]


# --- Reports ------------------------------------------------------------------------------------


def test_a_report_needs_a_reason(login, thread, people):
    opening = Post.objects.get(thread=thread, number=1)
    url = reverse("post_report", args=[opening.pk])

    bad = login(people["second"]).post(url, {"comment": "I just dislike it"})

    assert bad.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    form = parse(bad).find("form", class_="panel")
    assert "Choose a reason." in form.text
    assert form.find("textarea", name="comment").text == "I just dislike it"
    assert not Report.objects.exists()

    good = login(people["second"]).post(url, {"reason": "off_topic", "comment": "Wrong forum"})

    assert good.status_code == HTTPStatus.FOUND
    report = Report.objects.get()
    assert (report.reporter, report.reason, report.comment) == (
        people["second"],
        "off_topic",
        "Wrong forum",
    )
    # Reporting again while the report is open does not pile up.
    login(people["second"]).post(url, {"reason": "spam"})
    assert Report.objects.count() == 1


def test_moderators_see_the_queue_and_hide_the_post(login, client, thread, people):
    spam = services.post_reply(thread=thread, author=people["second"], body="Buy cheap tickets")
    services.report_create(post=spam, reporter=people["author"], reason="spam", comment="ads")
    services.report_create(post=spam, reporter=people["third"], reason="spam")
    mod = login(people["moderator"])
    queue_url = reverse("report_queue", args=[thread.community.slug])

    queue = parse(mod.get(queue_url)).find("main").find("ul", class_="plain-list")
    items = [li for li in queue.children if not isinstance(li, str)]
    assert len(items) == 2
    assert "Spam or advertising" in items[0].text
    assert "Buy cheap tickets" in items[0].find("blockquote").text
    report = Report.objects.filter(reporter=people["author"]).get()

    response = mod.post(
        reverse("report_resolve", args=[thread.community.slug, report.pk]), {"decision": "hide"}
    )

    assert response["Location"] == queue_url
    spam.refresh_from_db()
    assert spam.is_hidden
    assert spam.hidden_reason == "Spam or advertising"
    # Both reports on the post are closed at once; the queue is empty.
    assert set(Report.objects.values_list("status", "resolved_by")) == {
        ("hidden", people["moderator"].pk)
    }
    assert "No open reports." in parse(mod.get(queue_url)).find("main").text
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "actor", "target_id"))
    assert actions == [
        ("post.hide", people["moderator"].pk, str(spam.pk)),
        ("report.hide", people["moderator"].pk, str(spam.pk)),
    ]
    assert "Buy cheap tickets" not in client.get(thread.get_absolute_url()).content.decode()


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_an_author_cannot_report_their_own_post(login, thread, people, language):
    opening = Post.objects.get(thread=thread, number=1)
    url = reverse("post_report", args=[opening.pk])
    browser = login(people["author"])
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    said = {
        "en": "You cannot report what you wrote yourself.",
        "ru": "Нельзя пожаловаться на то, что вы написали сами.",
        "kk": "Өзіңіз жазған нәрсеге шағым жасай алмайсыз.",
    }[language]

    for response in (browser.get(url), browser.post(url, {"reason": "spam"})):
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert said in parse(response).one("main").text
    assert not Report.objects.exists()
    # Nor through the service, which the API and every other caller use.
    with pytest.raises(PermissionDenied):
        services.report_create(post=opening, reporter=people["author"], reason="spam")
    # Anyone else still may.
    services.report_create(post=opening, reporter=people["second"], reason="spam")
    assert Report.objects.get().reporter == people["second"]


def test_dismissing_a_report_leaves_the_post(login, thread, people):
    post = services.post_reply(thread=thread, author=people["second"], body="Strong opinion")
    report = services.report_create(post=post, reporter=people["third"], reason="abuse")

    login(people["moderator"]).post(
        reverse("report_resolve", args=[thread.community.slug, report.pk]),
        {"decision": "dismiss"},
    )

    assert not Post.objects.get(pk=post.pk).is_hidden
    assert Report.objects.get().status == Report.Status.DISMISSED
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.before, entry.after) == (
        "report.dismiss",
        {"report": "open"},
        {"report": "dismissed"},
    )
    assert entry.reason == "Rude or abusive"


def test_resolving_a_resolved_report_again_records_nothing_more(login, thread, people):
    post = services.post_reply(thread=thread, author=people["second"], body="Meh")
    report = services.report_create(post=post, reporter=people["third"], reason="abuse")
    url = reverse("report_resolve", args=[thread.community.slug, report.pk])
    mod = login(people["moderator"])
    mod.post(url, {"decision": "dismiss"})

    mod.post(url, {"decision": "hide"})  # a second tab with the old queue

    assert Report.objects.get().status == Report.Status.DISMISSED
    assert not Post.objects.get(pk=post.pk).is_hidden
    assert AuditEntry.objects.count() == 1


def test_a_report_of_another_community_is_not_resolved_here(
    login, communities, elsewhere, thread, people, make_member
):
    post = services.post_reply(thread=thread, author=people["second"], body="Text")
    report = services.report_create(post=post, reporter=people["third"], reason="spam")
    other_mod = make_member(elsewhere, role="moderator")

    wrong_place = login(other_mod).post(
        reverse("report_resolve", args=[elsewhere.slug, report.pk]), {"decision": "hide"}
    )

    assert wrong_place.status_code == HTTPStatus.NOT_FOUND
    assert Report.objects.get().status == Report.Status.OPEN
    queue = login(other_mod).get(reverse("report_queue", args=[thread.community.slug]))
    assert queue.status_code == HTTPStatus.FORBIDDEN


# --- Thread flags -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "field", "on", "off", "shown"),
    [
        ("pin", "is_pinned", "thread.pinned", "thread.unpinned", "The thread is pinned."),
        ("lock", "is_locked", "thread.locked", "thread.unlocked", "The thread is locked."),
    ],
)
def test_pin_and_lock_toggle_and_are_audited(login, thread, people, action, field, on, off, shown):
    mod = login(people["moderator"])
    url = reverse("thread_moderate", args=[thread.community.slug, thread.pk, action])

    response = mod.post(url, {"on": "1"}, follow=True)

    assert getattr(Thread.objects.get(pk=thread.pk), field) is True
    assert shown in parse(response).find(class_="messages").text
    mod.post(url, {"on": "1"})  # already on: nothing to record
    mod.post(url, {"on": "0"})
    assert getattr(Thread.objects.get(pk=thread.pk), field) is False
    entries = list(AuditEntry.objects.order_by("id"))
    assert [(e.action, e.before, e.after) for e in entries] == [
        (on, {field: False}, {field: True}),
        (off, {field: True}, {field: False}),
    ]
    assert all(e.actor == people["moderator"] and e.community == thread.community for e in entries)
    assert all(e.target_id == str(thread.pk) for e in entries)


def test_an_unknown_moderation_action_is_not_found(login, thread, people):
    url = reverse("thread_moderate", args=[thread.community.slug, thread.pk, "explode"])
    assert login(people["moderator"]).post(url).status_code == HTTPStatus.NOT_FOUND
    assert not AuditEntry.objects.exists()


def test_deleting_a_thread_removes_it_from_the_list(login, client, thread, people):
    response = login(people["moderator"]).post(
        reverse("thread_moderate", args=[thread.community.slug, thread.pk, "delete"])
    )

    assert response["Location"] == reverse("thread_list", args=[thread.community.slug])
    assert Thread.objects.get(pk=thread.pk).is_deleted
    listed = client.get(reverse("thread_list", args=[thread.community.slug])).content.decode()
    assert "Procurement of queue machines" not in listed
    assert AuditEntry.objects.get().action == "thread.deleted"


# --- Moving -------------------------------------------------------------------------------------


@pytest.fixture
def two_communities_moderator(communities, people, elsewhere):
    Membership.objects.create(user=people["moderator"], community=elsewhere, role="moderator")
    return people["moderator"]


def test_moving_a_thread_keeps_posts_counters_and_matching_tags(
    login, client, community, elsewhere, thread, people, two_communities_moderator
):
    here_tag = services.tag_create(
        community=community, actor=people["moderator"], name="Procurement"
    )
    only_here = services.tag_create(community=community, actor=people["moderator"], name="Local")
    there_tag = services.tag_create(
        community=elsewhere, actor=people["moderator"], name="Procurement"
    )
    thread.tags.set([here_tag, only_here])
    _replies(thread, people)
    before = _counters(thread)
    AuditEntry.objects.all().delete()

    response = login(people["moderator"]).post(
        reverse("thread_move", args=[community.slug, thread.pk]), {"community": elsewhere.slug}
    )

    moved = Thread.objects.get(pk=thread.pk)
    assert response["Location"] == moved.get_absolute_url()
    assert moved.community == elsewhere
    assert list(moved.tags.all()) == [there_tag]
    assert _counters(thread) == before
    assert client.get(moved.get_absolute_url()).status_code == HTTPStatus.OK
    # Links shared before the move lead to the thread's new place.
    old_url = reverse("thread_detail", args=[community.slug, thread.pk])
    assert client.get(old_url + "?page=1")["Location"] == moved.get_absolute_url() + "?page=1"
    # Permalinks (and so notifications) still lead to the posts.
    post = Post.objects.get(thread=thread, number=3)
    assert client.get(post.get_absolute_url())["Location"].startswith(moved.get_absolute_url())
    # Both communities' moderators can see what happened.
    entries = AuditEntry.objects.filter(action="thread.move")
    assert {e.community_id for e in entries} == {community.pk, elsewhere.pk}
    assert all(
        (e.before, e.after) == ({"community": community.slug}, {"community": elsewhere.slug})
        for e in entries
    )


def test_moving_to_a_community_the_moderator_does_not_moderate_is_refused(
    login, community, elsewhere, thread, people
):
    response = login(people["moderator"]).post(
        reverse("thread_move", args=[community.slug, thread.pk]), {"community": elsewhere.slug}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    form = parse(response).find("form", class_="panel")
    assert "You can only move threads to a community you moderate." in form.text
    # The choice made is still selected.
    chosen = [o.attrs["value"] for o in form.find_all("option") if "selected" in o.attrs]
    assert chosen == [elsewhere.slug]
    assert Thread.objects.get(pk=thread.pk).community == community
    assert not AuditEntry.objects.exists()


def test_moving_to_an_unknown_community_is_explained(login, community, thread, people):
    response = login(people["moderator"]).post(
        reverse("thread_move", args=[community.slug, thread.pk]), {"community": "atlantis"}
    )

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "Select a valid choice." in parse(response).find("form", class_="panel").text
    assert Thread.objects.get(pk=thread.pk).community == community


# --- Counters -------------------------------------------------------------------------------------


def test_counters_follow_delete_hide_and_unhide(login, thread, people):
    opening = Post.objects.get(thread=thread, number=1)
    second, third = _replies(thread, people)
    assert _counters(thread) == (2, 3, people["third"].pk, third.created)

    login(people["moderator"]).post(reverse("post_hide", args=[third.pk]), {"hidden": "1"})
    assert _counters(thread) == (1, 2, people["second"].pk, second.created)

    login(people["second"]).post(reverse("post_delete", args=[second.pk]))
    assert _counters(thread) == (0, 1, people["author"].pk, opening.created)

    login(people["moderator"]).post(reverse("post_hide", args=[third.pk]), {"hidden": "0"})
    assert _counters(thread) == (1, 3, people["third"].pk, third.created)
    # Numbers are never reused: the next reply is #4.
    assert services.post_reply(thread=thread, author=people["author"], body="Again").number == 4
    entries = AuditEntry.objects.order_by("id").values_list("action", "reason")
    assert list(entries) == [("post.hide", ""), ("post.unhide", "")]


@pytest.mark.parametrize(("actor", "audited"), [("second", False), ("moderator", True)])
def test_deleting_someone_elses_post_is_audited_with_its_text(
    login, thread, people, actor, audited
):
    post = services.post_reply(thread=thread, author=people["second"], body="Regrettable words")

    login(people[actor]).post(reverse("post_delete", args=[post.pk]))

    assert Post.objects.get(pk=post.pk).is_deleted
    entries = list(AuditEntry.objects.values_list("action", "actor", "before", "after"))
    expected = [
        ("post.delete", people["moderator"].pk, {"body": "Regrettable words"}, {"deleted": True})
    ]
    assert entries == (expected if audited else [])


@pytest.mark.parametrize(("actor", "audited"), [("author", False), ("moderator", True)])
def test_accepting_for_the_author_is_audited(login, thread, people, actor, audited):
    answer = services.post_reply(thread=thread, author=people["second"], body="The answer")

    login(people[actor]).post(reverse("post_accept", args=[answer.pk]), {"accept": "1"})

    assert Thread.objects.get(pk=thread.pk).accepted_post == answer
    entries = list(AuditEntry.objects.values_list("action", "before", "after"))
    expected = [("post.accept", {"accepted_post": None}, {"accepted_post": answer.pk})]
    assert entries == (expected if audited else [])


@pytest.mark.parametrize(("who", "shown"), [("moderator", True), ("author", False)])
def test_the_thread_list_links_moderators_to_their_tools(login, community, people, who, shown):
    page = parse(login(people[who]).get(reverse("thread_list", args=[community.slug])))

    tools = page.find_all("nav", aria_label="Moderation")
    assert bool(tools) is shown
    if shown:
        hrefs = [a.attrs["href"] for a in tools[0].find_all("a")]
        assert hrefs == [
            reverse("report_queue", args=[community.slug]),
            reverse("tag_manage", args=[community.slug]),
            reverse("audit_log", args=[community.slug]),
        ]


def test_a_failed_reply_leaves_nothing_half_saved(monkeypatch, login, thread, people):
    before = _counters(thread)

    def broken_index(post):
        raise RuntimeError("search index is down")

    monkeypatch.setattr("forums.services.derived.post_index", broken_index)
    with pytest.raises(RuntimeError):
        services.post_reply(thread=thread, author=people["second"], body="Lost")

    assert Post.objects.filter(thread=thread).count() == 1
    assert _counters(thread) == before


# --- Tags and the audit log -------------------------------------------------------------------


def test_moderators_manage_the_tag_vocabulary(login, community, people):
    mod = login(people["moderator"])
    url = reverse("tag_manage", args=[community.slug])

    mod.post(url, {"name": "  Service   standards "})
    bad = mod.post(url, {"name": "!!!"})
    tag = Tag.objects.get()
    mod.post(url, {"delete": tag.pk})

    assert (tag.name, tag.slug) == ("Service standards", "service-standards")
    assert bad.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    form = parse(bad).find("form", class_="panel")
    assert "A tag needs a name made of letters or digits." in form.text
    assert form.find("input", name="name").attrs["value"] == "!!!"
    assert not Tag.objects.exists()
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "tag.create",
        "tag.delete",
    ]
    assert login(people["author"]).get(url).status_code == HTTPStatus.FORBIDDEN


def test_the_audit_log_shows_who_did_what_to_what_and_when(
    login, community, elsewhere, thread, people, make_member
):
    mod = login(people["moderator"])
    mod.post(reverse("thread_moderate", args=[community.slug, thread.pk, "lock"]), {"on": "1"})
    entry = AuditEntry.objects.get()

    page = parse(mod.get(reverse("audit_log", args=[community.slug])))

    cells = [td.text for td in page.find("tbody").find("tr").find_all("td")]
    assert cells[0] == formats.date_format(timezone.localtime(entry.created), "DATETIME_FORMAT")
    assert cells[1:4] == ["Mod Erator", "locked a thread", "Procurement of queue machines"]
    assert cells[4] == "locked: no → yes"
    # Another community's log does not show it, and its moderators cannot read this one.
    other_mod = make_member(elsewhere, role="moderator")
    other_log = login(other_mod).get(reverse("audit_log", args=[elsewhere.slug]))
    assert "Procurement" not in other_log.content.decode()
    forbidden = login(other_mod).get(reverse("audit_log", args=[community.slug]))
    assert forbidden.status_code == HTTPStatus.FORBIDDEN
