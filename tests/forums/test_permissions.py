"""Who may do what to threads, through the HTTP views: roles × actions, asserting the state.

The thread under test belongs to ``author`` (a member): post #1 and post #3 are theirs, post #2
is a reply by another member. The moderator of this community also moderates a third community,
so a move has somewhere allowed to go; the moderator of another community moderates neither.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from core.models import AuditEntry, Membership
from forums import services
from forums.models import Post, Reaction, Report, Thread

ROLES = (
    "anonymous",
    "non_member",
    "member",
    "author",
    "moderator",
    "other_moderator",
    "staff",
)
EVERYONE = set(ROLES)
MEMBERS = {"member", "author", "moderator", "staff"}
MODERATORS = {"moderator", "staff"}


@pytest.fixture
def scene(communities, community, elsewhere, make_user, make_member, start_thread):
    people = {
        "anonymous": None,
        "non_member": make_user("outsider"),
        "member": make_member(community, "member"),
        "author": make_member(community, "author"),
        "moderator": make_member(community, "moderator", role="moderator"),
        "other_moderator": make_member(elsewhere, "elsewhere_mod", role="moderator"),
        "staff": make_user("staffer", staff=True),
    }
    target = communities["innovation"]
    Membership.objects.create(user=people["moderator"], community=target, role="moderator")
    replier = make_member(community, "replier")
    thread = start_thread(community, people["author"], title="Queues at the service centre")
    second = services.post_reply(thread=thread, author=replier, body="Try an appointment system.")
    third = services.post_reply(thread=thread, author=people["author"], body="We did, thanks.")
    report = services.report_create(post=second, reporter=people["member"], reason="spam")
    # Something for the audit log to show.
    services.tag_create(community=community, actor=people["moderator"], name="queues")
    return {
        "people": people,
        "community": community,
        "target": target,
        "thread": thread,
        "second": second,
        "third": third,
        "report": report,
    }


def _thread(scene) -> Thread:
    return Thread.objects.get(pk=scene["thread"].pk)


def _audited(scene, action: str) -> bool:
    return AuditEntry.objects.filter(action=action, target_id=str(scene["thread"].pk)).exists()


def _post(scene, key: str) -> Post:
    return Post.objects.get(pk=scene[key].pk)


# Each action: (method, url(scene), data(scene), did_it_happen(scene, response)).
ACTIONS = {
    "read": (
        "get",
        lambda s: s["thread"].get_absolute_url(),
        None,
        lambda s, r: r.status_code == HTTPStatus.OK and b"We did, thanks." in r.content,
    ),
    "create_thread": (
        "post",
        lambda s: reverse("thread_create", args=[s["community"].slug]),
        lambda s: {"title": "A brand new question", "body": "Text.", "language": "en"},
        lambda s, r: Thread.objects.filter(title="A brand new question").exists(),
    ),
    "reply": (
        "post",
        lambda s: reverse("post_reply", args=[s["community"].slug, s["thread"].pk]),
        lambda s: {"body": "My two cents."},
        lambda s, r: Post.objects.filter(body="My two cents.").exists(),
    ),
    "edit": (
        "post",
        lambda s: reverse("post_edit", args=[s["third"].pk]),
        lambda s: {"body": "We did, and it worked."},
        lambda s, r: (
            _post(s, "third").body == "We did, and it worked."
            and _post(s, "third").revisions.count() == 1
        ),
    ),
    "delete": (
        "post",
        lambda s: reverse("post_delete", args=[s["third"].pk]),
        lambda s: {},
        lambda s, r: _post(s, "third").is_deleted,
    ),
    "react": (
        "post",
        lambda s: reverse("post_react", args=[s["second"].pk]),
        lambda s: {"kind": "thanks"},
        lambda s, r: Reaction.objects.filter(post=s["second"], kind="thanks").exists(),
    ),
    "accept": (
        "post",
        lambda s: reverse("post_accept", args=[s["second"].pk]),
        lambda s: {"accept": "1"},
        lambda s, r: _thread(s).accepted_post_id == s["second"].pk,
    ),
    "pin": (
        "post",
        lambda s: reverse("thread_moderate", args=[s["community"].slug, s["thread"].pk, "pin"]),
        lambda s: {"on": "1"},
        lambda s, r: _thread(s).is_pinned and _audited(s, "thread.pinned"),
    ),
    "lock": (
        "post",
        lambda s: reverse("thread_moderate", args=[s["community"].slug, s["thread"].pk, "lock"]),
        lambda s: {"on": "1"},
        lambda s, r: _thread(s).is_locked and _audited(s, "thread.locked"),
    ),
    "move": (
        "post",
        lambda s: reverse("thread_move", args=[s["community"].slug, s["thread"].pk]),
        lambda s: {"community": s["target"].slug},
        lambda s, r: _thread(s).community_id == s["target"].pk and _audited(s, "thread.move"),
    ),
    "delete_thread": (
        "post",
        lambda s: reverse("thread_moderate", args=[s["community"].slug, s["thread"].pk, "delete"]),
        lambda s: {},
        lambda s, r: _thread(s).is_deleted and _audited(s, "thread.deleted"),
    ),
    "hide": (
        "post",
        lambda s: reverse("post_hide", args=[s["second"].pk]),
        lambda s: {"hidden": "1", "reason": "advertising"},
        lambda s, r: (
            _post(s, "second").is_hidden
            and AuditEntry.objects.filter(
                action="post.hide", target_id=str(s["second"].pk)
            ).exists()
        ),
    ),
    "resolve_report": (
        "post",
        lambda s: reverse("report_resolve", args=[s["community"].slug, s["report"].pk]),
        lambda s: {"decision": "hide"},
        lambda s, r: (
            Report.objects.get(pk=s["report"].pk).status == Report.Status.HIDDEN
            and _post(s, "second").is_hidden
            and AuditEntry.objects.filter(action="report.hide").exists()
        ),
    ),
    "read_audit_log": (
        "get",
        lambda s: reverse("audit_log", args=[s["community"].slug]),
        None,
        lambda s, r: r.status_code == HTTPStatus.OK and b"queues" in r.content,
    ),
}

ALLOWED = {
    "read": EVERYONE,
    "create_thread": MEMBERS,
    "reply": MEMBERS,
    "edit": {"author"},
    "delete": {"author", "moderator", "staff"},
    "react": MEMBERS,
    "accept": {"author", "moderator", "staff"},
    "pin": MODERATORS,
    "lock": MODERATORS,
    "move": MODERATORS,
    "delete_thread": MODERATORS,
    "hide": MODERATORS,
    "resolve_report": MODERATORS,
    "read_audit_log": MODERATORS,
}

CASES = [(action, role, role in ALLOWED[action]) for action in ACTIONS for role in ROLES]


@pytest.mark.parametrize(("action", "role", "allowed"), CASES)
def test_role_action_matrix(client, login, scene, action, role, allowed):
    method, url, data, happened = ACTIONS[action]
    user = scene["people"][role]
    browser = login(user) if user else client
    audit_before = AuditEntry.objects.count()

    response = getattr(browser, method)(url(scene), data(scene) if data else None)

    assert happened(scene, response) is allowed
    if allowed:
        expected = HTTPStatus.OK if method == "get" else HTTPStatus.FOUND
        assert response.status_code == expected
    elif user is None:
        # Anonymous visitors are sent to sign in, nothing else happens.
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert AuditEntry.objects.count() == audit_before
