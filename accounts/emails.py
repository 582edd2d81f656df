"""E-mails of the accounts app that are not allauth's own."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from core.site import site_name

logger = logging.getLogger(__name__)


def failed_signins_notice_send(*, account: str) -> None:
    """Tell the owner of ``account`` ("account:<id>"; anything else names nobody) that someone
    keeps failing to sign in with it, and what to do. Sent after commit; a mail server that
    fails is logged, never shown to whoever is signing in."""
    kind, _sep, pk = account.partition(":")
    user = User.objects.filter(pk=pk).first() if kind == "account" and pk.isdigit() else None
    if user is None or not user.email or not user.is_active:
        return
    reset = f"{settings.SITE_URL}{reverse('account_reset_password')}"
    with translation.override(user.language or translation.get_language()):
        subject = f"[{site_name()}] " + _("Failed sign-in attempts on your account")
        sender = f"{site_name()} <{settings.DEFAULT_FROM_EMAIL}>"
        body = _(
            "Hello %(name)s,\n\n"
            "Someone has repeatedly tried to sign in to your account with a wrong password. "
            "Your account is not locked: you can sign in as usual.\n\n"
            "If it was not you, nothing is needed; to be safe, you can choose a new password "
            "here:\n%(reset)s\n\n"
            "You receive this message because it concerns the security of your account."
        ) % {"name": user.name, "reset": reset}

    def send() -> None:
        try:
            send_mail(subject, body, sender, [user.email])
        except Exception:
            logger.warning("could not send the failed sign-in notice", exc_info=True)

    transaction.on_commit(send)
