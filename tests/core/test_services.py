"""cop/services.py: memberships and roles, the audit log, and the doorbell after a change."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connections

from core import permissions, services
from core.models import AuditEntry, Membership
from core.permissions import Refusal, Role
from core.realtime import user_group


@pytest.fixture
def here(communities):
    return communities["one-stop-shop"]


def test_join_needs_a_signed_in_person(here):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Refusal) as refused:
        services.membership_join(user=AnonymousUser(), community=here)
    assert refused.value.code == "not_signed_in"
    assert not Membership.objects.exists()


def test_join_and_leave_update_the_roles_cached_on_the_user(here, make_user):
    person = make_user("asel")
    assert permissions.role_of(person, here) == Role.SIGNED_IN
    services.membership_join(user=person, community=here)
    assert permissions.role_of(person, here) == Role.MEMBER
    services.membership_leave(user=person, community=here)
    assert permissions.role_of(person, here) == Role.SIGNED_IN
    # Leaving twice is harmless.
    services.membership_leave(user=person, community=here)
    assert not Membership.objects.exists()


def test_role_grant_refuses_an_unknown_role(here, make_user):
    with pytest.raises(ValueError, match="unknown role 'owner'"):
        services.role_grant(actor=None, user=make_user(), community=here, role="owner")
    assert not Membership.objects.exists()
    assert not AuditEntry.objects.exists()


def test_role_grant_of_the_same_role_is_still_recorded(here, make_member):
    person = make_member(here, "leyla", role="moderator")
    services.role_grant(actor=None, user=person, community=here, role="moderator")
    entry = AuditEntry.objects.get()
    assert (entry.before, entry.after) == (
        {"role": "moderator"},
        {"role": "moderator", "user": "leyla"},
    )


@pytest.mark.parametrize(
    ("actor_role", "allowed"), [("moderator", True), ("member", False), ("other", False)]
)
def test_only_moderators_remove_members_and_it_is_audited(
    communities, here, make_member, actor_role, allowed
):
    where = communities["ai"] if actor_role == "other" else here
    actor = make_member(where, "actor", role="moderator" if actor_role != "member" else "member")
    person = make_member(here, "davron")

    if not allowed:
        with pytest.raises(Refusal):
            services.membership_remove(actor=actor, user=person, community=here, reason="x")
        assert Membership.objects.filter(user=person).exists()
        assert not AuditEntry.objects.exists()
        return
    services.membership_remove(actor=actor, user=person, community=here, reason="Spam links")
    assert not Membership.objects.filter(user=person).exists()
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.community, entry.reason) == (
        actor,
        "membership.remove",
        here,
        "Spam links",
    )
    assert entry.before == {"role": "member", "user": "davron"}
    assert entry.target_repr.startswith("davron @ one-stop-shop")


def test_audit_record_describes_its_target(here, make_member):
    person = make_member(here, "olga")
    membership = Membership.objects.get(user=person)
    entry = services.audit_record(
        actor=person, action="role.grant", target=membership, community=here, reason="why"
    )
    assert (entry.target_type, entry.target_id) == ("cop.membership", str(membership.pk))
    assert entry.target_repr == str(membership)
    assert (entry.before, entry.after) == ({}, {})


def _in_own_event_loop(coroutine_function, *args):
    """Run an async scenario to its end in a thread with its own event loop.

    One loop for the whole scenario: the pub/sub channel layer delivers only to subscriptions
    made in the same loop. Its own thread: a browser test earlier in the session may have left
    Playwright's loop running in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine_function(*args)).result(timeout=30)


async def _doorbell_after(change, user_id: int) -> dict:
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(user_group(user_id), channel)
    try:
        await sync_to_async(change)()
        return await asyncio.wait_for(layer.receive(channel), timeout=5)
    finally:
        await layer.group_discard(user_group(user_id), channel)
        # The connection opened in sync_to_async's thread would keep the test database from
        # being dropped at the end of the run.
        await sync_to_async(connections.close_all)()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", ["leave", "remove"])
def test_losing_a_membership_rings_the_persons_doorbell_after_commit(communities, make_member, how):
    # Their open chat connections listen on this group and stop at once (forums/consumers.py).
    here = communities["one-stop-shop"]
    person = make_member(here, "batbayar")
    moderator = make_member(here, "mod", role="moderator")

    def change() -> None:
        if how == "leave":
            services.membership_leave(user=person, community=here)
        else:
            services.membership_remove(actor=moderator, user=person, community=here)

    message = _in_own_event_loop(_doorbell_after, change, person.pk)

    assert message.pop("rung") > 0  # when it was rung (the fan-out's latency metric)
    assert message == {"type": "user.membership", "community": here.pk}
    assert not Membership.objects.filter(user=person).exists()
