"""Conditions on events, on top of the role table (registered in EventsConfig.ready())."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.permissions import Action, Refusal, Role, register_object_rule
from events.models import Event, Registration


def _event_rule(user, action, role, event) -> Refusal | None:
    if not isinstance(event, Event):
        return None
    now = timezone.now()
    if action == Action.EVENT_REGISTER:
        if event.is_cancelled:
            return Refusal(_("This event was cancelled."), "cancelled")
        if event.ends_at <= now:
            return Refusal(_("This event is over; registration is closed."), "past")
    if action == Action.EVENT_JOIN:
        if role >= Role.MODERATOR or event.organiser_id == user.pk:
            return None
        if event.is_cancelled:
            return Refusal(_("This event was cancelled."), "cancelled")
        registered = Registration.objects.filter(
            event=event, user_id=user.pk, status=Registration.Status.REGISTERED
        ).exists()
        if not registered:
            return Refusal(_("The join link is for registered participants."), "not_registered")
        if now < event.join_opens_at():
            return Refusal(_("The join link appears shortly before the start."), "too_early")
        if event.ends_at <= now:
            return Refusal(_("This event is over."), "past")
    return None


def register() -> None:
    register_object_rule([Action.EVENT_REGISTER, Action.EVENT_JOIN], _event_rule)
