"""Who wants which e-mail, and the signed links that turn one kind off.

Defaults (no choice made): replies, quotes, accepted answers, mentions, moderation items,
events and private questions immediately; each community's new threads in a weekly digest.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core import signing
from django.db import transaction

from accounts.models import Notification
from core.models import Community, Membership
from mail.models import CommunityMail, Frequency, MailSettings, SavedSearch, When

# Which setting decides each kind of notification.
CATEGORY = {
    Notification.Kind.REPLY: "replies",
    Notification.Kind.QUOTE: "replies",
    Notification.Kind.ACCEPTED: "replies",
    Notification.Kind.MENTION: "mentions",
    Notification.Kind.CHAT_MENTION: "mentions",
    Notification.Kind.RESOURCE_DECISION: "moderation",
    Notification.Kind.REPORT: "moderation",
    Notification.Kind.EVENT: "events",
    Notification.Kind.QUESTION: "questions",
}
CATEGORIES = ("replies", "mentions", "moderation", "events", "questions")
_SALT = "mail.unsubscribe"


def settings_for(user) -> MailSettings:
    """The person's settings (made with the defaults the first time)."""
    try:
        return user.mail_settings
    except MailSettings.DoesNotExist:
        mail_settings, _created = MailSettings.objects.get_or_create(user=user)
        return mail_settings


def when(user, kind: str) -> str:
    """When a notification of ``kind`` reaches ``user`` by e-mail (When)."""
    return when_in(settings_for(user), kind)


def when_in(mail_settings: MailSettings, kind: str) -> str:
    category = CATEGORY.get(kind)
    return getattr(mail_settings, category) if category else When.OFF


def settings_of(user_ids) -> dict[int, MailSettings]:
    """Each person's settings in one query; the defaults (unsaved) for who never chose."""
    user_ids = set(user_ids)
    found = {s.user_id: s for s in MailSettings.objects.filter(user_id__in=user_ids)}
    return {uid: found.get(uid) or MailSettings(user_id=uid) for uid in user_ids}


def member_communities(user) -> list[Community]:
    """The communities whose new threads ``user`` may choose to hear of (theirs), in order."""
    return list(
        Community.objects.filter(pk__in=Membership.objects.filter(user=user).values("community_id"))
    )


def frequencies(user) -> dict[int, str]:
    """How each community the person belongs to sends them its new threads."""
    member_of = Membership.objects.filter(user=user).values_list("community_id", flat=True)
    chosen = dict(CommunityMail.objects.filter(user=user).values_list("community_id", "threads"))
    return {cid: chosen.get(cid, Frequency.WEEKLY) for cid in member_of}


@transaction.atomic
def frequency_set(*, user, community: Community, threads: str) -> None:
    CommunityMail.objects.update_or_create(
        user=user, community=community, defaults={"threads": threads}
    )


# The choices of MailSettings a person makes on the preferences page and in the welcome.
CHOICE_FIELDS = (*CATEGORIES, "digests")


@transaction.atomic
def preferences_update(
    *, user, choices: dict, frequencies: Iterable[tuple[Community, str]] = ()
) -> MailSettings:
    """Save ``user``'s e-mail choices, already validated by MailSettingsForm (``choices``:
    its cleaned data, fields of CHOICE_FIELDS) and CommunityMailForm (``frequencies``: how
    each community's new threads reach them). Returns their settings."""
    mail_settings = settings_for(user)
    fields = [field for field in CHOICE_FIELDS if field in choices]
    for field in fields:
        setattr(mail_settings, field, choices[field])
    if fields:
        mail_settings.save(update_fields=fields)
    for community, threads in frequencies:
        frequency_set(user=user, community=community, threads=threads)
    return mail_settings


# --- One-click unsubscribe (RFC 8058) ----------------------------------------------------------


def unsubscribe_token(user, scope: str) -> str:
    """A link's token: who, and what to turn off ("replies", "mentions", "moderation",
    "digest", "threads:<community id>", "alert:<saved search id>"). Signed with the secret
    key, so nobody can make one for someone else; it does not expire, as old e-mails keep it."""
    return signing.dumps({"u": user.pk, "s": scope}, salt=_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[int, str] | None:
    """(user id, scope) of a token, or None if it was not made here or was changed."""
    try:
        data = signing.loads(token, salt=_SALT)
        return int(data["u"]), str(data["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def scope_of(delivery) -> str:
    """What the unsubscribe link of a delivery turns off."""
    if delivery.kind == "notification" and delivery.notification is not None:
        return CATEGORY.get(delivery.notification.kind, "replies")
    if delivery.kind == "thread":
        return f"threads:{delivery.community_id}"
    if delivery.kind == "alert":
        return f"alert:{delivery.data.get('saved_search')}"
    return "digest"


@transaction.atomic
def unsubscribe(user, scope: str) -> bool:
    """Turn off what ``scope`` names for ``user``; False if the scope names nothing of theirs
    (a saved search since removed, a malformed scope)."""
    mail_settings = settings_for(user)
    if scope in CATEGORIES:
        setattr(mail_settings, scope, When.OFF)
        mail_settings.save(update_fields=[scope])
        return True
    if scope == "digest":
        mail_settings.digests = False
        mail_settings.save(update_fields=["digests"])
        return True
    kind, _sep, ident = scope.partition(":")
    if not ident.isdigit():
        return False
    if kind == "threads" and Community.objects.filter(pk=int(ident)).exists():
        CommunityMail.objects.update_or_create(
            user=user, community_id=int(ident), defaults={"threads": Frequency.OFF}
        )
        return True
    if kind == "alert":
        return bool(SavedSearch.objects.filter(user=user, pk=int(ident)).update(alert=When.OFF))
    return False
