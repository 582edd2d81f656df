"""Granting roles: ``manage.py grant_role`` and the Django admin, both through role_grant."""

from __future__ import annotations

import subprocess
import sys
from http import HTTPStatus
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core.models import AuditEntry, Membership
from tests.conftest import BASE_DIR, database_url_of_tests


def grant(*args) -> str:
    out = StringIO()
    call_command("grant_role", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("who", ["aigerim", "aigerim@example.org", "AIGERIM@Example.ORG"])
def test_grant_role_by_username_or_email(communities, make_user, who):
    person = make_user("aigerim")

    out = grant(who, "one-stop-shop", "moderator")

    assert out.strip() == "aigerim is now moderator of one-stop-shop."
    membership = Membership.objects.get(user=person)
    assert (membership.community.slug, membership.role) == ("one-stop-shop", "moderator")
    entry = AuditEntry.objects.get()
    assert entry.actor is None  # the operator at the command line
    assert entry.action == "role.grant"
    assert entry.community == communities["one-stop-shop"]
    assert entry.target_type == "cop.membership"
    assert entry.target_id == str(membership.pk)
    assert entry.before == {}
    assert entry.after == {"role": "moderator", "user": "aigerim"}


def test_grant_role_promotes_and_demotes_an_existing_member(communities, make_member):
    person = make_member(communities["ai"], "jiwoo")

    grant("jiwoo", "ai", "moderator")
    assert Membership.objects.get(user=person).role == "moderator"
    grant("jiwoo", "ai", "member")

    assert Membership.objects.filter(user=person).count() == 1
    assert Membership.objects.get(user=person).role == "member"
    entries = list(AuditEntry.objects.order_by("id").values_list("before", "after"))
    assert entries == [
        ({"role": "member"}, {"role": "moderator", "user": "jiwoo"}),
        ({"role": "moderator"}, {"role": "member", "user": "jiwoo"}),
    ]


def test_a_username_wins_over_someone_elses_email(communities, make_user):
    # Usernames made in the admin may look like addresses; the exact username is meant.
    named = make_user("nino@example.org", email="nino.b@example.org")
    make_user("nino")
    grant("nino@example.org", "innovation", "member")
    assert list(Membership.objects.values_list("user", flat=True)) == [named.pk]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nobody", "ai", "member"), "No user with username or e-mail “nobody”."),
        (
            ("aigerim", "no-such", "member"),
            "No community “no-such”. Known: one-stop-shop, e-government, innovation, ai.",
        ),
        (("aigerim", "ai", "owner"), "argument role: invalid choice: 'owner'"),
    ],
)
def test_grant_role_refuses_with_a_clear_message(communities, make_user, args, message):
    make_user("aigerim")
    with pytest.raises(CommandError) as refused:
        grant(*args)
    assert message in str(refused.value)
    assert refused.value.returncode == 1
    assert not Membership.objects.exists()
    assert not AuditEntry.objects.exists()


def test_grant_role_exits_with_status_1_and_one_line_on_stderr(communities):
    # The real command line, on this test's database (tables exist; the user does not).
    result = subprocess.run(
        [sys.executable, "manage.py", "grant_role", "ghost@example.org", "ai", "member"],
        cwd=BASE_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "ENV_FILE": "",
            "DATABASE_URL": database_url_of_tests(),
            "DEBUG": "True",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == "CommandError: No user with username or e-mail “ghost@example.org”."
    )
    assert result.stdout == ""


# --- The Django admin --------------------------------------------------------------------------


@pytest.fixture
def admin_client(make_user, login):
    admin = make_user("hubadmin", staff=True, is_superuser=True)
    return login(admin), admin


def test_admin_add_membership_goes_through_role_grant(communities, make_user, admin_client):
    client, admin = admin_client
    person = make_user("timur")

    response = client.post(
        "/admin/cop/membership/add/",
        {"user": person.pk, "community": communities["e-government"].pk, "role": "moderator"},
    )

    assert response.status_code == HTTPStatus.FOUND, response.content
    membership = Membership.objects.get(user=person)
    assert membership.role == "moderator"
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_id) == (admin, "role.grant", str(membership.pk))
    assert entry.after == {"role": "moderator", "user": "timur"}


def test_admin_change_of_role_is_audited_and_cannot_move_the_membership(
    communities, make_member, make_user, admin_client
):
    client, admin = admin_client
    person = make_member(communities["ai"], "olga")
    other = make_user("asel")
    membership = Membership.objects.get(user=person)

    page = client.get(f"/admin/cop/membership/{membership.pk}/change/")
    assert page.status_code == HTTPStatus.OK
    response = client.post(
        f"/admin/cop/membership/{membership.pk}/change/",
        # user and community are read-only here: a forged value is ignored.
        {"user": other.pk, "community": communities["innovation"].pk, "role": "moderator"},
    )

    assert response.status_code == HTTPStatus.FOUND, response.content
    assert list(Membership.objects.values_list("user__username", "community__slug", "role")) == [
        ("olga", "ai", "moderator")
    ]
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.before, entry.after) == (
        admin,
        {"role": "member"},
        {"role": "moderator", "user": "olga"},
    )


def test_admin_delete_of_a_membership_is_audited(communities, make_member, admin_client):
    client, admin = admin_client
    person = make_member(communities["ai"], "batbayar", role="moderator")
    membership = Membership.objects.get(user=person)

    response = client.post(f"/admin/cop/membership/{membership.pk}/delete/", {"post": "yes"})

    assert response.status_code == HTTPStatus.FOUND
    assert not Membership.objects.exists()
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.before) == (
        admin,
        "membership.remove",
        {"role": "moderator", "user": "batbayar"},
    )


def test_admin_bulk_delete_of_memberships_is_audited(communities, make_member, admin_client):
    client, _admin = admin_client
    people = [make_member(communities["ai"], name) for name in ("p1", "p2")]
    ids = list(Membership.objects.filter(user__in=people).values_list("pk", flat=True))

    response = client.post(
        "/admin/cop/membership/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert not Membership.objects.exists()
    assert sorted(AuditEntry.objects.values_list("before__user", flat=True)) == ["p1", "p2"]


def test_the_audit_log_cannot_be_edited_in_the_admin(communities, make_user, admin_client):
    client, _admin = admin_client
    grant(make_user("leyla").username, "ai", "member")
    entry = AuditEntry.objects.get()
    assert client.get("/admin/cop/auditentry/").status_code == HTTPStatus.OK
    assert client.get("/admin/cop/auditentry/add/").status_code == HTTPStatus.FORBIDDEN
    response = client.post(f"/admin/cop/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


# --- Roles kept in the cache ---------------------------------------------------------------------


def _fresh(user):
    """The person as the next request loads them (the roles cached on an object are its own)."""
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize("caches", ["warm", "none"])
def test_every_change_of_a_membership_applies_to_the_next_request(
    communities, make_user, settings, caches
):
    from core import permissions, services
    from core.permissions import Action, Role

    if caches == "none":
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    community = communities["e-government"]
    person = make_user("aigerim")
    assert permissions.role_of(_fresh(person), community) == Role.SIGNED_IN  # cached now

    services.membership_join(user=person, community=community)
    assert permissions.role_of(_fresh(person), community) == Role.MEMBER
    services.role_grant(user=person, community=community, role="moderator", actor=None)
    assert permissions.can(_fresh(person), Action.THREAD_PIN, community)
    services.role_grant(user=person, community=community, role="member", actor=None)
    assert not permissions.can(_fresh(person), Action.THREAD_PIN, community)
    services.membership_leave(user=person, community=community)
    assert permissions.role_of(_fresh(person), community) == Role.SIGNED_IN
    assert not permissions.can(_fresh(person), Action.POST_REPLY, community)


def test_roles_read_before_a_change_and_stored_after_it_are_not_used(communities, make_member):
    from django.core.cache import cache

    from core import permissions
    from core.permissions import Role, _roles_keys

    community = communities["e-government"]
    person = make_member(community, "aigerim")
    generation_key, roles_key = _roles_keys(person.pk)
    assert permissions.role_of(_fresh(person), community) == Role.MEMBER
    read_before = cache.get_many([generation_key, roles_key])

    Membership.objects.filter(user=person).delete()  # a removal commits meanwhile...
    # ... and the slow read stores what it read, under the generation it began with.
    cache.set(roles_key, (read_before.get(generation_key, 0), {community.pk: "member"}))

    assert permissions.role_of(_fresh(person), community) == Role.SIGNED_IN
