"""What the e-mail channel keeps about a person (accounts/personal_data.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.personal_data import register_exclusion, register_personal_data, rows
from mail.models import CommunityMail, Delivery, MailSettings, SavedSearch


def _settings(user):
    return {
        "settings": rows(
            MailSettings.objects.filter(user=user),
            "replies", "mentions", "moderation", "events", "questions", "digests",
        ),
        "communities": rows(
            CommunityMail.objects.filter(user=user), "community__slug", "threads"
        ),
    }  # fmt: skip


def _saved_searches(user):
    return rows(SavedSearch.objects.filter(user=user), "name", "params", "alert", "created")


def _erase(user, remove_content: bool) -> None:
    Delivery.objects.filter(recipient=user).delete()
    MailSettings.objects.filter(user=user).delete()
    CommunityMail.objects.filter(user=user).delete()
    SavedSearch.objects.filter(user=user).delete()


def register() -> None:
    register_personal_data(
        "email_preferences",
        models=["mail.MailSettings", "mail.CommunityMail"],
        export=_settings,
        erase=_erase,
        description=_("what e-mail you chose to receive"),
    )
    register_personal_data(
        "saved_searches",
        models=["mail.SavedSearch"],
        export=_saved_searches,
        description=_("your saved searches and their alerts"),
    )
    register_exclusion(
        "mail.Delivery",
        reason=_(
            "the record of e-mails sent to you (their content is in notifications.json); "
            "deleted with the account"
        ),
    )
