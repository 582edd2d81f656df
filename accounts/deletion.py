""" "Delete my account": asked for after re-authentication, erased after a grace period.

What happens when (docs/privacy.md):

- **At once, on request**: every session of the person ends (their session rows are deleted)
  and every open websocket of theirs is told to close; ``deletion_requested`` is set and the
  account can no longer be used until they sign in again.
- **During DELETION_GRACE_DAYS days**: signing in again cancels the deletion (the sign-in page
  says so afterwards). Nothing is erased yet.
- **After the grace period** (a periodic job, or at once when staff erase on a data-subject
  request): each app's ``erase`` (accounts/personal_data.py) removes the person's private rows
  (follows, bookmarks, subscriptions, registrations, inbox, mail deliveries, sign-in records)
  and, when the person chose so, their posts and messages where the rules allow; then the
  account row itself is anonymised: no name, e-mail, profile or password, the username becomes
  ``former-<id>``. The row stays so that kept posts, counts and threads stay whole; it reads
  "former member". Audit entries keep pointing at it under that pseudonym, and the person's
  names are replaced by the pseudonym in their texts. The e-mail address is free to sign up
  again.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from accounts.models import Audience, DataExport, Notification, User
from accounts.personal_data import exclusions, sections
from core.models import AuditEntry, Membership
from core.realtime import send_event_on_commit, user_group
from core.services import audit_record
from core.tasks import task

logger = logging.getLogger(__name__)

DELETION_GRACE_DAYS = 14


def pseudonym(user: User) -> str:
    """What audit entries and kept content call an erased person."""
    return f"former-{user.pk}"


def sessions_end(*, user: User) -> int:
    """End every session of ``user`` now and close their open websockets; returns how many
    sessions there were. Sessions are signed blobs keyed by a random key, so finding a
    person's means reading them; this runs on deletion only."""
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = session.get_decoded()
        if str(data.get("_auth_user_id")) == str(user.pk):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    # Every connection of the person (chat rooms, live pages) is in their group: all close.
    send_event_on_commit(user_group(user.pk), {"type": "user.logout", "everywhere": True})
    return len(ended)


@transaction.atomic
def deletion_request(*, user: User, remove_content: bool, actor: User | None = None) -> User:
    """Schedule the deletion of ``user``'s account: sessions end now, the data goes after the
    grace period unless they sign in again. ``actor``: staff acting on a request (audited)."""
    user.deletion_requested = timezone.now()
    user.deletion_remove_content = remove_content
    user.save(update_fields=["deletion_requested", "deletion_remove_content"])
    if actor is not None and actor.pk != user.pk:
        audit_record(
            actor=actor,
            action="account.delete_request",
            target=user,
            community=None,
            after={"remove_content": remove_content},
        )
    sessions_end(user=user)
    return user


def deletion_cancel(*, user: User) -> bool:
    """Signing in during the grace period keeps the account; returns True if it cancelled."""
    if user.deletion_requested is None or user.deleted is not None:
        return False
    user.deletion_requested = None
    user.deletion_remove_content = False
    user.save(update_fields=["deletion_requested", "deletion_remove_content"])
    return True


@transaction.atomic
def account_erase(*, user: User, actor: User | None = None) -> User:
    """Erase ``user`` now (see the module's docstring); returns the anonymised row."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.deleted is not None:
        return user
    names = _identifiers(user)
    remove_content = user.deletion_remove_content
    if actor is not None and actor.pk != user.pk:
        audit_record(actor=actor, action="account.erase", target=user, community=None)
    # Higher apps first (they registered last): removing content checks the person's roles,
    # which go with accounts' own rows at the end.
    for item in reversed([*sections(), *exclusions()]):
        if item.erase is not None:
            item.erase(user, remove_content)
    sessions_end(user=user)
    alias = pseudonym(user)
    _scrub_audit(names=names, alias=alias)
    user_type = ContentType.objects.get_for_model(User)
    LogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).update(
        object_repr=alias, change_message=""
    )
    LogEntry.objects.filter(user=user).delete()
    user.username = alias
    user.email = f"{alias}@deleted.invalid"
    user.set_unusable_password()
    for field in ("first_name", "last_name", "display_name", "organisation", "position", "bio"):
        setattr(user, field, "")
    user.country = ""
    user.languages = []
    user.timezone = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.is_expert = False
    user.profile_audience = Audience.MEMBERS
    user.deleted = timezone.now()
    user.save()
    user.expertise.clear()
    user.groups.clear()
    user.user_permissions.clear()
    return user


def _identifiers(user: User) -> list[str]:
    """The strings that name the person, longest first (so a name inside another goes last)."""
    found = {user.username, user.email, user.display_name, user.get_full_name()}
    found |= set(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    return sorted((s for s in found if s and len(s) >= 3), key=len, reverse=True)


def _scrub(text: str, names: list[str], alias: str) -> str:
    for name in names:
        text = text.replace(name, alias)
    return text


def _scrub_audit(*, names: list[str], alias: str) -> None:
    """Moderators' audit entries stay, with the person's names replaced by the pseudonym."""
    for entry in AuditEntry.objects.iterator():
        blob = json.dumps([entry.target_repr, entry.reason, entry.before, entry.after])
        plain = json.dumps(
            [entry.target_repr, entry.reason, entry.before, entry.after], ensure_ascii=False
        )
        if not any(name in plain or name in blob for name in names):
            continue
        entry.target_repr = _scrub(entry.target_repr, names, alias)
        entry.reason = _scrub(entry.reason, names, alias)
        entry.before = json.loads(_scrub(plain, names, alias))[2]
        entry.after = json.loads(_scrub(plain, names, alias))[3]
        entry.save(update_fields=["target_repr", "reason", "before", "after"])


def deletions_due(*, now=None) -> int:
    """Erase the accounts whose grace period is over; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=DELETION_GRACE_DAYS)
    due = list(
        User.objects.filter(deleted__isnull=True, deletion_requested__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    for pk in due:
        try:
            account_erase(user=User.objects.get(pk=pk))
        except Exception:
            logger.exception("could not erase account %s", pk)
    return len(due)


@task()
def deletions_due_task() -> None:
    deletions_due()


# --- accounts' own rows (registered in accounts.apps) ------------------------------------------


def erase_own(user: User, remove_content: bool) -> None:
    """The rows accounts and the libraries it uses keep about the person."""
    from allauth.mfa.models import Authenticator

    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    if apps.is_installed("allauth.socialaccount"):
        from allauth.socialaccount.models import SocialAccount

        SocialAccount.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    for export in DataExport.objects.filter(user=user):
        if export.file:
            export.file.delete(save=False)
        export.delete()
    memberships = list(Membership.objects.filter(user=user).values_list("community_id", flat=True))
    Membership.objects.filter(user=user).delete()
    for community_id in memberships:
        send_event_on_commit(
            user_group(user.pk), {"type": "user.membership", "community": community_id}
        )
