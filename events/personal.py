"""What events keep about a person (accounts/personal_data.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.personal_data import register_exclusion, register_personal_data, rows
from events.models import CalendarToken, Registration, Speaker


def _registrations(user):
    return rows(
        Registration.objects.filter(user=user),
        "event_id", "event__title", "event__starts_at", "status", "requested", "attended",
    )  # fmt: skip


def _erase(user, remove_content: bool) -> None:
    CalendarToken.objects.filter(user=user).delete()
    Speaker.objects.filter(user=user).update(name="")


def register() -> None:
    register_personal_data(
        "registrations",
        models=["events.Registration"],
        export=_registrations,
        erase=_erase,
        description=_("events you registered for, and whether you attended"),
    )
    register_exclusion(
        "events.Event",
        reason=_(
            "events you organised are public pages of their communities; they stay, signed "
            "“former member”"
        ),
    )
    register_exclusion(
        "events.Speaker",
        reason=_(
            "speaker listings are part of public event pages; your name is removed on deletion"
        ),
    )
    register_exclusion(
        "events.CalendarToken",
        reason=_(
            "a secret for your calendar feed: a credential, not data; deleted with the account"
        ),
    )
