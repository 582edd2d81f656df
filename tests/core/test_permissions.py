"""cop/permissions.py: who may do what, where, on which object.

THE table below is the contract, written out cell by cell (not derived from MIN_ROLE), so that
any change of a rule makes a cell fail and has to be made here on purpose as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core import permissions, services
from core.models import Community
from core.permissions import Action, Refusal, Role
from forums import services as forum_services
from forums.models import ChatMessage, ChatMute, ChatRoom, Post, Thread
from resources import rules
from resources import services as library_services
from resources.models import Resource

ROLES = ("anonymous", "signed_in", "member", "author", "moderator", "other_mod", "staff")

# Who is who, in the community "one-stop-shop":
#   anonymous  - not signed in
#   signed_in  - signed in, not a member
#   member     - a member who did not write the object
#   author     - a member who wrote the thread, the reply and the chat message acted upon
#   moderator  - moderator of this community
#   other_mod  - moderator of "e-government" only
#   staff      - site staff, member of nothing
# "object" names what is passed as obj: the author's thread, the author's reply in it, the general
# chat room, the author's chat message in it, or nothing (community-wide actions); for private
# questions (which belong to no community), the expert asked ("expert": someone outside the roles
# who offers expertise) and the private question the author asked signed_in (an expert too).
TABLE = """
action             object   anonymous signed_in member author moderator other_mod staff
community.view     -        yes       yes       yes    yes    yes       yes       yes
community.join     -        no        yes       yes    yes    yes       yes       yes
community.leave    -        no        no        yes    yes    yes       no        yes
audit.read         -        no        no        no     no     yes       no        yes
moderation.read    -        no        no        no     no     yes       no        yes
thread.read        thread   yes       yes       yes    yes    yes       yes       yes
thread.create      -        no        no        yes    yes    yes       no        yes
post.reply         thread   no        no        yes    yes    yes       no        yes
post.edit          post     no        no        no     yes    no        no        no
post.delete        post     no        no        no     yes    yes       no        yes
post.react         post     no        no        yes    yes    yes       no        yes
post.bookmark      post     no        yes       yes    yes    yes       yes       yes
post.report        post     no        yes       yes    no     yes       yes       yes
thread.follow      thread   no        yes       yes    yes    yes       yes       yes
post.accept        post     no        no        no     yes    yes       no        yes
thread.pin         thread   no        no        no     no     yes       no        yes
thread.lock        thread   no        no        no     no     yes       no        yes
thread.move        thread   no        no        no     no     yes       no        yes
thread.delete      thread   no        no        no     no     yes       no        yes
post.hide          post     no        no        no     no     yes       no        yes
report.resolve     post     no        no        no     no     yes       no        yes
tag.manage         -        no        no        no     no     yes       no        yes
chat.read          room     no        yes       yes    yes    yes       yes       yes
chat.post          room     no        no        yes    yes    yes       no        yes
chat.edit          message  no        no        no     yes    no        no        no
chat.delete        message  no        no        no     yes    yes       no        yes
chat.report        message  no        yes       yes    no     yes       yes       yes
chat.moderate      room     no        no        no     no     yes       no        yes
room.manage        room     no        no        no     no     yes       no        yes
chat.to_thread     message  no        no        yes    yes    yes       no        yes
resource.read      -        yes       yes       yes    yes    yes       yes       yes
resource.submit    -        no        no        yes    yes    yes       no        yes
resource.review    -        no        no        no     no     yes       no        yes
resource.feature   -        no        no        no     no     yes       no        yes
resource.archive   -        no        no        no     no     yes       no        yes
collection.manage  -        no        no        no     no     yes       no        yes
event.read         -        yes       yes       yes    yes    yes       yes       yes
event.register     -        no        yes       yes    yes    yes       yes       yes
event.join         -        no        yes       yes    yes    yes       yes       yes
event.manage       -        no        no        no     no     yes       no        yes
event.registrants  -        no        no        no     no     yes       no        yes
question.ask       expert   no        yes       yes    yes    yes       yes       yes
question.read      question no        yes       no     yes    no        no        no
question.reply     question no        yes       no     yes    no        no        no
"""


def _parse(table: str) -> dict[str, tuple[str, dict[str, bool]]]:
    header, *rows = (line.split() for line in table.strip().splitlines())
    assert header == ["action", "object", *ROLES]
    parsed = {}
    for action, obj, *cells in rows:
        assert len(cells) == len(ROLES), action
        assert set(cells) <= {"yes", "no"}, action
        assert action not in parsed, f"{action} twice in the table"
        parsed[action] = (
            obj,
            {role: cell == "yes" for role, cell in zip(ROLES, cells, strict=True)},
        )
    return parsed


EXPECTED = _parse(TABLE)


@dataclass
class World:
    community: Community
    other: Community
    people: dict
    thread: Thread
    post: Post
    room: ChatRoom
    message: ChatMessage
    former: dict  # what the former member wrote: thread, post, message
    expert: object = None  # someone who takes private questions (none of the roles)
    question: object = None  # the author's private question to signed_in
    # A private question whose expert's account was deactivated since: they read nothing more.
    retired_question: object = None

    def obj(self, name: str):
        return {
            "-": None,
            "thread": self.thread,
            "post": self.post,
            "room": self.room,
            "message": self.message,
            "expert": self.expert,
            "question": self.question,
        }[name]

    def own_obj(self, name: str):
        """The former member's own thread, reply or message (or the room, or nothing)."""
        return self.former.get(name, self.obj(name))


@pytest.fixture
def world(communities, make_user, make_member) -> World:
    here, elsewhere = communities["one-stop-shop"], communities["e-government"]
    people = {
        "anonymous": AnonymousUser(),
        "signed_in": make_user("outsider"),
        "member": make_member(here, "member"),
        "author": make_member(here, "author"),
        "moderator": make_member(here, "moderator", role="moderator"),
        "other_mod": make_member(elsewhere, "othermod", role="moderator"),
        "staff": make_user("staffer", staff=True),
    }
    thread = forum_services.thread_create(
        community=here,
        author=people["author"],
        title="Кезекті қалай қысқартуға болады?",
        body="Халыққа қызмет көрсету орталықтарындағы кезек туралы.",
        language="kk",
    )
    post = forum_services.post_reply(
        thread=thread, author=people["author"], body="Онлайн жазылу көмектесті."
    )
    room = ChatRoom.objects.get(community=here, slug="general")
    message, _created, _frame = forum_services.message_send(
        room=room, author=people["author"], body="Қайырлы таң!"
    )
    # Someone who took part, then left the community.
    people["former"] = make_member(here, "former")
    former_thread = forum_services.thread_create(
        community=here,
        author=people["former"],
        title="Бір терезе орталығы",
        body="Сұрақ.",
        language="kk",
    )
    former_post = forum_services.post_reply(
        thread=former_thread, author=people["former"], body="Тағы бір сұрақ."
    )
    former_message, _created, _frame = forum_services.message_send(
        room=room, author=people["former"], body="Сау бол!"
    )
    former = {"thread": former_thread, "post": former_post, "message": former_message}
    services.membership_leave(user=people["former"], community=here)
    expert = make_user("sage", is_expert=True)
    people["signed_in"].is_expert = True
    people["signed_in"].save(update_fields=["is_expert"])
    question = forum_services.question_ask(
        asker=people["author"],
        expert=people["signed_in"],
        subject="Бір терезе туралы сұрақ",
        body="Кеңес бересіз бе?",
        language="kk",
    )
    people["retired"] = make_user("retired", is_expert=True)
    retired_question = forum_services.question_ask(
        asker=people["author"],
        expert=people["retired"],
        subject="Тағы бір сұрақ",
        body="Жауап бересіз бе?",
        language="kk",
    )
    people["retired"].is_active = False
    people["retired"].save(update_fields=["is_active"])
    return World(
        here,
        elsewhere,
        people,
        thread,
        post,
        room,
        message,
        former,
        expert=expert,
        question=question,
        retired_question=retired_question,
    )


def test_the_table_names_every_action_once():
    assert set(EXPECTED) == {action.value for action in Action}


@pytest.mark.parametrize(
    ("action", "role"),
    [(action, role) for action in EXPECTED for role in ROLES],
    ids=[f"{action}-{role}" for action in EXPECTED for role in ROLES],
)
def test_permission_table(world, action, role):
    obj_name, expected = EXPECTED[action]
    user = world.people[role]
    allowed = permissions.can(user, Action(action), world.community, world.obj(obj_name))
    assert allowed is expected[role], f"{role} {'may' if expected[role] else 'may not'} {action}"
    # check() and refusal() agree with can(): one decision, three ways to ask for it.
    problem = permissions.refusal(user, Action(action), world.community, world.obj(obj_name))
    if expected[role]:
        assert problem is None
        permissions.check(user, Action(action), world.community, world.obj(obj_name))
    else:
        assert isinstance(problem, Refusal)
        assert isinstance(problem, PermissionDenied)
        assert str(problem.message)  # a sentence for the page or the error frame
        with pytest.raises(Refusal):
            permissions.check(user, Action(action), world.community, world.obj(obj_name))


# What a former member may still do with what they wrote while a member (their own thread, reply
# and chat message): read, follow and bookmark like anyone signed in; nothing else (nor report
# their own words).
FORMER_MEMBER = """
action           object   allowed
thread.read      thread   yes
thread.follow    thread   yes
post.bookmark    post     yes
post.report      post     no
chat.read        room     yes
post.reply       thread   no
post.edit        post     no
post.delete      post     no
post.react       post     no
post.accept      post     no
chat.post        room     no
chat.edit        message  no
chat.delete      message  no
chat.to_thread   message  no
"""
FORMER_EXPECTED = {
    action: (obj, allowed == "yes")
    for action, obj, allowed in (line.split() for line in FORMER_MEMBER.strip().splitlines()[1:])
}


@pytest.mark.parametrize("action", FORMER_EXPECTED)
def test_a_former_member_keeps_no_rights_over_what_they_wrote(world, action):
    obj_name, allowed = FORMER_EXPECTED[action]
    person = world.people["former"]
    assert permissions.role_of(person, world.community) == Role.SIGNED_IN
    problem = permissions.refusal(person, Action(action), world.community, world.own_obj(obj_name))
    assert (problem is None) is allowed
    if not allowed:
        assert problem.code == ("own" if action == "post.report" else "not_member")


# Someone whose account was deactivated is nobody (role_of says anonymous): even in their own
# private conversations they read and write nothing more.
INACTIVE_PARTICIPANT = ("question.read", "question.reply")


@pytest.mark.parametrize("action", INACTIVE_PARTICIPANT)
def test_a_deactivated_participant_keeps_no_access_to_their_conversation(world, action):
    problem = permissions.refusal(
        world.people["retired"], Action(action), None, world.retired_question
    )
    assert problem.code == "not_signed_in"


def test_every_rule_shows_in_the_tables(world, monkeypatch):
    """Mutation check of the tables themselves: give any action any other minimum role, and at
    least one cell of the tables above must disagree."""
    unnoticed = []
    for action in Action:
        obj_name, row = EXPECTED[action.value]
        for role in Role:
            if role == permissions.MIN_ROLE[action]:
                continue
            monkeypatch.setitem(permissions.MIN_ROLE, action, role)
            got = {
                r: permissions.can(world.people[r], action, world.community, world.obj(obj_name))
                for r in ROLES
            }
            noticed = got != row
            if action.value in FORMER_EXPECTED:
                former_obj, former_allowed = FORMER_EXPECTED[action.value]
                own = world.own_obj(former_obj)
                noticed |= (
                    permissions.can(world.people["former"], action, world.community, own)
                    is not former_allowed
                )
            if action.value in INACTIVE_PARTICIPANT:
                noticed |= permissions.can(
                    world.people["retired"], action, None, world.retired_question
                )
            if not noticed:
                unnoticed.append(f"{action.value} with minimum role {role.name}")
            monkeypatch.undo()
    assert not unnoticed, unnoticed


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", Role.ANONYMOUS),
        ("signed_in", Role.SIGNED_IN),
        ("member", Role.MEMBER),
        ("author", Role.MEMBER),
        ("moderator", Role.MODERATOR),
        ("other_mod", Role.SIGNED_IN),
        ("staff", Role.STAFF),
    ],
)
def test_role_of(world, role, expected):
    assert permissions.role_of(world.people[role], world.community) == expected


# --- Why a refusal: the code and the sentence shown to the person --------------------------------


@pytest.mark.parametrize(
    ("role", "action", "obj_name", "code", "message"),
    [
        ("anonymous", "thread.create", "-", "not_signed_in", "Please sign in first."),
        ("anonymous", "audit.read", "-", "not_signed_in", "Please sign in first."),
        ("signed_in", "post.reply", "thread", "not_member", "Join this community to take part."),
        (
            "other_mod",
            "thread.pin",
            "thread",
            "not_moderator",
            "Only moderators of this community can do this.",
        ),
        (
            "member",
            "resource.review",
            "-",
            "not_moderator",
            "Only moderators of this community can do this.",
        ),
        ("member", "post.edit", "post", "not_author", "You can only edit your own messages."),
        ("moderator", "chat.edit", "message", "not_author", "You can only edit your own messages."),
        ("member", "post.delete", "post", "not_author", "You can only delete your own messages."),
        (
            "member",
            "post.accept",
            "post",
            "not_author",
            "Only the author of the thread or a moderator can accept an answer.",
        ),
    ],
)
def test_refusals_say_why(world, role, action, obj_name, code, message):
    problem = permissions.refusal(
        world.people[role], Action(action), world.community, world.obj(obj_name)
    )
    assert problem.code == code
    assert str(problem.message) == message


# --- Object rules on top of the table ---------------------------------------------------------


@pytest.fixture
def locked(world) -> Thread:
    Thread.objects.filter(pk=world.thread.pk).update(is_locked=True)
    world.thread.refresh_from_db()
    world.post.thread = world.thread
    return world.thread


@pytest.mark.parametrize(
    ("action", "obj_name", "role", "allowed"),
    [
        ("post.reply", "thread", "member", False),
        ("post.reply", "thread", "author", False),
        ("post.reply", "thread", "moderator", True),
        ("post.reply", "thread", "staff", True),
        ("post.react", "post", "member", False),
        ("post.react", "post", "moderator", True),
        ("post.edit", "post", "author", False),
        ("post.accept", "post", "author", False),
        ("post.accept", "post", "moderator", True),
        # Deleting your own words stays possible, and reading, following and reporting too.
        ("post.delete", "post", "author", True),
        ("thread.read", "thread", "anonymous", True),
        ("thread.follow", "thread", "member", True),
        ("post.report", "post", "member", True),
    ],
)
def test_a_locked_thread_takes_nothing_new_from_non_moderators(
    world, locked, action, obj_name, role, allowed
):
    problem = permissions.refusal(
        world.people[role], Action(action), world.community, world.obj(obj_name)
    )
    assert (problem is None) is allowed
    if not allowed:
        assert problem.code == "locked"
        assert str(problem.message) == "This thread is locked: it takes no new replies."


def test_a_locked_thread_refuses_replies_through_the_service(world, locked):
    with pytest.raises(Refusal) as refused:
        forum_services.post_reply(thread=locked, author=world.people["member"], body="Late.")
    assert refused.value.code == "locked"
    reply = forum_services.post_reply(
        thread=locked, author=world.people["moderator"], body="Closing remark."
    )
    assert reply.number == 3
    assert locked.posts.count() == 3


def test_the_thread_author_accepts_an_answer_written_by_someone_else(world):
    answer = forum_services.post_reply(
        thread=world.thread, author=world.people["member"], body="Бір кезек, бір терезе."
    )
    assert permissions.can(world.people["author"], Action.POST_ACCEPT, world.community, answer)
    # The writer of the answer is not the writer of the question.
    assert not permissions.can(world.people["member"], Action.POST_ACCEPT, world.community, answer)
    assert permissions.can(world.people["moderator"], Action.POST_ACCEPT, world.community, answer)
    thread = forum_services.post_accept(post=answer, actor=world.people["author"])
    assert thread.accepted_post_id == answer.pk
    with pytest.raises(Refusal):
        forum_services.post_accept(post=answer, actor=world.people["member"], accept=False)


def test_only_the_author_edits_and_a_deleted_message_cannot_be_edited(world):
    author, member = world.people["author"], world.people["member"]
    assert permissions.can(author, Action.POST_EDIT, world.community, world.post)
    assert not permissions.can(member, Action.POST_EDIT, world.community, world.post)
    forum_services.post_delete(post=world.post, actor=author)
    world.post.refresh_from_db()
    problem = permissions.refusal(author, Action.POST_EDIT, world.community, world.post)
    assert problem.code == "deleted"

    forum_services.message_delete(message=world.message, actor=world.people["moderator"])
    world.message.refresh_from_db()
    problem = permissions.refusal(author, Action.CHAT_EDIT, world.community, world.message)
    assert problem.code == "deleted"


def _mute(world, user, *, minutes: int) -> ChatMute:
    return ChatMute.objects.create(
        room=world.room,
        user=user,
        until=timezone.now() + timedelta(minutes=minutes),
        muted_by=world.people["moderator"],
    )


def test_a_muted_member_cannot_post_in_chat_until_the_mute_ends(world):
    member = world.people["member"]
    mute = _mute(world, member, minutes=30)
    problem = permissions.refusal(member, Action.CHAT_POST, world.community, world.room)
    assert problem.code == "muted"
    assert str(problem.message) == "You are muted in this room for now."
    # The author's own message, in the room they are muted in, is out of reach too...
    _mute(world, world.people["author"], minutes=30)
    assert not permissions.can(
        world.people["author"], Action.CHAT_EDIT, world.community, world.message
    )
    # ...but reading goes on, and other people are not affected.
    assert permissions.can(member, Action.CHAT_READ, world.community, world.room)
    assert permissions.can(world.people["moderator"], Action.CHAT_POST, world.community, world.room)
    with pytest.raises(Refusal):
        forum_services.message_send(room=world.room, author=member, body="Hello?")
    # A mute that has run out no longer counts.
    ChatMute.objects.filter(pk=mute.pk).update(until=timezone.now() - timedelta(seconds=1))
    assert permissions.can(member, Action.CHAT_POST, world.community, world.room)


def test_a_mute_in_another_room_does_not_count(world):
    member = world.people["member"]
    other_room = ChatRoom.objects.create(community=world.community, slug="other", name="other")
    ChatMute.objects.create(room=other_room, user=member, until=timezone.now() + timedelta(hours=1))
    assert permissions.can(member, Action.CHAT_POST, world.community, world.room)
    assert not permissions.can(member, Action.CHAT_POST, world.community, other_room)


@pytest.mark.parametrize("role", ["member", "author", "moderator", "staff"])
def test_an_archived_room_takes_no_messages_from_anyone(world, role):
    ChatRoom.objects.filter(pk=world.room.pk).update(is_archived=True)
    world.room.refresh_from_db()
    world.message.room = world.room
    user = world.people[role]
    problem = permissions.refusal(user, Action.CHAT_POST, world.community, world.room)
    assert problem.code == "archived"
    assert not permissions.can(user, Action.CHAT_DELETE, world.community, world.message)
    # Its history stays readable.
    assert permissions.can(user, Action.CHAT_READ, world.community, world.room)


def test_an_inactive_account_counts_as_anonymous(world):
    moderator = world.people["moderator"]
    moderator.is_active = False
    assert permissions.role_of(moderator, world.community) == Role.ANONYMOUS
    assert not permissions.can(moderator, Action.THREAD_PIN, world.community, world.thread)
    staff = world.people["staff"]
    staff.is_active = False
    assert permissions.role_of(staff, world.community) == Role.ANONYMOUS


def test_roles_are_read_once_per_user_object_and_forgotten_on_change(
    world, django_assert_num_queries
):
    from django.contrib.auth import get_user_model

    person = get_user_model().objects.get(username="outsider")
    with django_assert_num_queries(1):
        for community in (world.community, world.other, world.community):
            assert permissions.role_of(person, community) == Role.SIGNED_IN
    services.membership_join(user=person, community=world.community)
    assert permissions.role_of(person, world.community) == Role.MEMBER
    services.role_grant(actor=None, user=person, community=world.community, role="moderator")
    assert permissions.role_of(person, world.community) == Role.MODERATOR
    services.membership_leave(user=person, community=world.community)
    assert permissions.role_of(person, world.community) == Role.SIGNED_IN


def test_member_and_moderated_community_ids(world):
    moderator, member = world.people["moderator"], world.people["member"]
    assert permissions.moderated_community_ids(moderator) == {world.community.pk}
    assert permissions.member_community_ids(moderator) == {world.community.pk}
    assert permissions.moderated_community_ids(member) == set()
    assert permissions.member_community_ids(member) == {world.community.pk}
    assert permissions.member_community_ids(world.people["anonymous"]) == set()
    assert permissions.moderated_community_ids(world.people["anonymous"]) == set()


# --- Objects of several communities: can_any / check_any, library resources ----------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("signed_in", False),
        ("member", False),
        ("moderator", True),  # moderates one of the two
        ("other_mod", True),  # moderates the other one
        ("staff", True),
    ],
)
def test_can_any_allows_when_one_community_allows(world, role, allowed):
    both = [world.community, world.other]
    user = world.people[role]
    assert permissions.can_any(user, Action.RESOURCE_REVIEW, both) is allowed
    if allowed:
        permissions.check_any(user, Action.RESOURCE_REVIEW, both)
    else:
        with pytest.raises(Refusal):
            permissions.check_any(user, Action.RESOURCE_REVIEW, both)


@pytest.mark.parametrize("role", ["anonymous", "signed_in", "member"])
def test_check_any_of_no_community_refuses_with_a_refusal(world, role):
    # Nothing to act in means nothing allowed, even for an action anyone may do in a community.
    for action in (Action.RESOURCE_REVIEW, Action.RESOURCE_READ, Action.RESOURCE_SUBMIT):
        assert not permissions.can_any(world.people[role], action, [])
        with pytest.raises(Refusal):
            permissions.check_any(world.people[role], action, [])


def _resource(world, status: str) -> Resource:
    resource = library_services.resource_submit(
        actor=world.people["author"],
        data={
            "title": "Бір терезе қағидаты: кейс",
            "summary": "Қызмет көрсету орталықтарының тәжірибесі.",
            "body": "",
            "kind": "case",
            "language": "kk",
            "year": 2024,
            "countries": ["KZ"],
            "url": "",
            "source": "",
            "authors": "",
            "licence": "",
        },
        communities=[world.community],
    )
    Resource.objects.filter(pk=resource.pk).update(status=status)
    resource.refresh_from_db()
    return resource


# Who sees and edits a library resource, by its status. The submitter is "author".
RESOURCE_TABLE = """
status     rule  anonymous signed_in member author moderator other_mod staff
published  view  yes       yes       yes    yes    yes       yes       yes
submitted  view  no        no        no     yes    yes       no        yes
changes    view  no        no        no     yes    yes       no        yes
rejected   view  no        no        no     yes    yes       no        yes
archived   view  no        no        no     yes    yes       no        yes
draft      edit  no        no        no     yes    yes       no        yes
submitted  edit  no        no        no     yes    yes       no        yes
changes    edit  no        no        no     yes    yes       no        yes
published  edit  no        no        no     no     yes       no        yes
rejected   edit  no        no        no     no     yes       no        yes
archived   edit  no        no        no     no     yes       no        yes
"""
RESOURCE_CASES = [
    (status, rule, role, cell == "yes")
    for status, rule, *cells in (line.split() for line in RESOURCE_TABLE.strip().splitlines()[1:])
    for role, cell in zip(ROLES, cells, strict=True)
]


@pytest.mark.parametrize(("status", "rule", "role", "allowed"), RESOURCE_CASES)
def test_resource_visibility_and_editing(world, status, rule, role, allowed):
    resource = _resource(world, status)
    check = rules.can_view_resource if rule == "view" else rules.can_edit_resource
    assert bool(check(world.people[role], resource)) is allowed
