"""Building one e-mail: both parts from templates, in the recipient's language, with the headers
a good sender carries (one-click unsubscribe, a stable Message-ID, Auto-Submitted,
Content-Language) and a footer saying why it came."""

from __future__ import annotations

import re
from urllib.parse import quote

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.site import absolute, site_name
from mail.preferences import unsubscribe_token

__all__ = ["absolute", "absolute_html", "language_of", "message", "site_name"]


_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')


def absolute_html(html: str) -> str:
    """Sanitised HTML of the site with its links made absolute (a mention links to
    /members/...), so that they work from a mail client."""
    return _RELATIVE.sub(lambda m: f"{m.group(1)}{settings.SITE_URL}/", html)


def language_of(user) -> str:
    languages = dict(settings.LANGUAGES)
    return user.language if user.language in languages else settings.LANGUAGE_CODE


def message(
    *,
    delivery,
    template: str,
    subject: str,
    context: dict,
    scope: str,
    reason: str,
) -> EmailMultiAlternatives:
    """The e-mail of ``delivery`` from ``mail/email/<template>.txt`` and ``.html``; call inside
    ``translation.override(language_of(recipient))``. ``reason``: the footer's "why you got
    this"; ``scope``: what its unsubscribe link turns off."""
    user = delivery.recipient
    token = unsubscribe_token(user, scope)
    unsubscribe_url = absolute(reverse("mail_unsubscribe", kwargs={"token": token}))
    context = {
        **context,
        "site_name": site_name(),
        "site_url": settings.SITE_URL,
        "recipient": user,
        "reason": reason,
        "unsubscribe_url": unsubscribe_url,
        "preferences_url": absolute(reverse("mail_preferences")),
        "language": translation.get_language(),
    }
    text = render_to_string(f"mail/email/{template}.txt", context)
    html = render_to_string(f"mail/email/{template}.html", context)
    mailto = settings.UNSUBSCRIBE_MAILTO or settings.DEFAULT_FROM_EMAIL
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    headers = {
        "Message-ID": delivery.message_id,
        "List-Unsubscribe": (
            f"<{unsubscribe_url}>, <mailto:{mailto}?subject={quote('unsubscribe ' + token)}>"
        ),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{site_name()} <notifications.{domain}>",
        "Auto-Submitted": "auto-generated",
        "Content-Language": translation.get_language(),
    }
    if delivery.kind in ("digest", "alert"):
        headers["Precedence"] = "bulk"
    email = EmailMultiAlternatives(
        subject=f"[{site_name()}] {subject}",
        body=text,
        from_email=f"{site_name()} <{settings.DEFAULT_FROM_EMAIL}>",
        to=[user.email],
        headers=headers,
    )
    email.attach_alternative(html, "text/html")
    return email
