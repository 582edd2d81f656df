"""What accounts (and the sign-in libraries it uses) keep about a person
(accounts/personal_data.py)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from accounts.deletion import erase_own
from accounts.models import Notification, User, notification_message
from accounts.personal_data import register_exclusion, register_personal_data, rows
from core.models import Membership


def _profile(user: User) -> dict:
    profile = rows(
        User.objects.filter(pk=user.pk),
        "username", "email", "first_name", "last_name", "display_name", "country",
        "organisation", "position", "languages", "bio", "language", "timezone", "is_expert",
        "profile_audience", "email_audience", "country_audience", "organisation_audience",
        "accepts_questions", "date_joined", "last_login", "onboarded_at",
    )[0]  # fmt: skip
    profile["expertise"] = list(user.expertise.values_list("slug", flat=True))
    profile["email_addresses"] = rows(
        EmailAddress.objects.filter(user=user), "email", "verified", "primary"
    )
    # What kinds of second factor are set up, never their secrets.
    profile["two_factor"] = rows(
        Authenticator.objects.filter(user=user), "type", "created_at", "last_used_at"
    )
    profile["sign_in_with"] = _social_accounts(user)
    profile["communities"] = rows(
        Membership.objects.filter(user=user), "community__slug", "role", "created"
    )
    return profile


def _social_accounts(user: User) -> list[dict]:
    if not apps.is_installed("allauth.socialaccount"):
        return []
    from allauth.socialaccount.models import SocialAccount

    return rows(
        SocialAccount.objects.filter(user=user), "provider", "uid", "date_joined", "last_login"
    )


def _notifications(user: User) -> list[dict]:
    entries = Notification.objects.filter(recipient=user).select_related("actor")
    return [
        {
            "text": notification_message(entry),
            "kind": entry.kind,
            "url": entry.url,
            "excerpt": entry.excerpt,
            "created": entry.created,
            "read_at": entry.read_at,
        }
        for entry in entries.order_by("pk")
    ]


def register() -> None:
    register_personal_data(
        "profile",
        models=[
            "accounts.User",
            "account.EmailAddress",
            "mfa.Authenticator",
            "socialaccount.SocialAccount",
            "cop.Membership",
        ],
        export=_profile,
        erase=erase_own,
        description=_(
            "your profile, privacy choices, e-mail addresses, sign-in methods and communities"
        ),
    )
    register_personal_data(
        "notifications",
        models=["accounts.Notification"],
        export=_notifications,
        description=_("your notification inbox"),
    )
    register_exclusion(
        "accounts.DataExport",
        reason=_("the list of your data exports itself; each zip is deleted after 7 days"),
    )
    register_exclusion(
        "cop.AuditEntry",
        reason=_("the moderators' log of actions; kept on deletion under a pseudonym"),
    )
    register_exclusion(
        "admin.LogEntry",
        reason=_("the staff's change log of the admin; pseudonymised on deletion"),
    )
