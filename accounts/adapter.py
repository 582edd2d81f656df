"""allauth customised through its adapter, not by copying its views."""

import math
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings
from django.contrib import messages
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from accounts import throttle
from accounts.deletion import deletion_cancel
from accounts.emails import failed_signins_notice_send
from accounts.models import User
from core.realtime import announce_session_end
from core.site import site_domain, site_name
from core.text import line_clean


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username, shallow=False):
        # "@name" mentions end at the first character that cannot be part of a username, so a
        # username may not itself contain "@".
        if "@" in username:
            raise forms.ValidationError(_("A username cannot contain “@”."))
        return super().clean_username(username, shallow=shallow)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        if not user.display_name:
            user.display_name = user.username
        if not user.language:  # the language the sign-up page was shown in
            language = (get_language() or "").split("-")[0]
            user.language = language if language in dict(settings.LANGUAGES) else ""
        user.onboarded_at = None  # the welcome waits for them (get_login_redirect_url)
        if commit:
            user.save()
        return user

    # --- the welcome after sign-up (project/welcome.py) ---

    def get_login_redirect_url(self, request):
        """Someone who signed up and has not finished or skipped the welcome goes to it:
        right after signing up (with optional verification), after confirming their address
        (allauth signs them in and asks here, through get_signup_redirect_url or
        get_email_verification_redirect_url), and at a later sign-in if they left it half
        way. A ``next`` address (a link they followed to sign in) wins, as for everyone."""
        if request.user.needs_welcome:
            return reverse("welcome_profile")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        if request.user.is_authenticated and request.user.needs_welcome:
            return reverse("welcome_profile")
        return super().get_signup_redirect_url(request)

    # --- allauth's own e-mails: the site's name and address, the recipient's language ---

    def send_mail(self, template_prefix, email, context):
        """allauth's messages (confirm your address, reset your password, security notices)
        carry the site's name and public address rather than the request's host, and are
        written in the interface language the recipient last chose; someone not yet known
        (a sign-up, an unknown address) gets the language of the page they used."""
        user = context.get("user")
        if not isinstance(user, User):
            user = User.objects.filter(email__iexact=email).only("language").first()
        language = user.language if user is not None and user.language else get_language()
        links = {key: _on_site(value) for key, value in context.items() if key.endswith("_url")}
        with translation.override(language):
            site = _Site(name=site_name(), domain=site_domain())
            super().send_mail(template_prefix, email, {**context, **links, "current_site": site})

    def format_email_subject(self, subject):
        return f"[{site_name()}] {subject}"

    def get_from_email(self):
        return f"{site_name()} <{settings.DEFAULT_FROM_EMAIL}>"

    # --- sign-in throttling (accounts/throttle.py), instead of allauth's lock per account ---

    def pre_authenticate(self, request, **credentials):
        login = _login_of(credentials)
        wait = throttle.retry_after(login=login, address=self.get_client_ip(request))
        if wait:
            # Shown on the form, which keeps what was typed; accounts.middleware turns the
            # answer into a 429 with Retry-After.
            request.signin_retry_after = wait
            minutes = math.ceil(wait / 60)
            message = (
                ngettext(
                    "Too many failed sign-in attempts from your connection. Try again in %(n)d "
                    "second.",
                    "Too many failed sign-in attempts from your connection. Try again in %(n)d "
                    "seconds.",
                    wait,
                )
                % {"n": wait}
                if wait < 60
                else ngettext(
                    "Too many failed sign-in attempts from your connection. Try again in %(n)d "
                    "minute.",
                    "Too many failed sign-in attempts from your connection. Try again in %(n)d "
                    "minutes.",
                    minutes,
                )
                % {"n": minutes}
            )
            raise forms.ValidationError(message, code="too_many_login_attempts")

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None:
            throttle.success_record(
                login=_login_of(credentials), address=self.get_client_ip(request)
            )
        return user

    def authentication_failed(self, request, **credentials):
        login = _login_of(credentials)
        if throttle.failure_record(login=login, address=self.get_client_ip(request)):
            failed_signins_notice_send(account=login)

    def logout(self, request):
        # Open websocket connections of this session must stop too (docs/realtime.md).
        user = request.user
        session_key = request.session.session_key
        super().logout(request)
        if user.is_authenticated and session_key:
            announce_session_end(user_id=user.pk, session_key=session_key)

    def login(self, request, user):
        # Signing in during the grace period keeps the account (accounts/deletion.py).
        super().login(request, user)
        if deletion_cancel(user=user):
            messages.info(request, _("Welcome back: the deletion of your account is cancelled."))


def _on_site(url):
    """allauth builds links from the request's host; e-mails use the site's public address."""
    if not isinstance(url, str) or not settings.SITE_URL:
        return url
    parts = urlsplit(url)
    if not parts.scheme:
        return url
    return settings.SITE_URL + urlunsplit(("", "", parts.path, parts.query, parts.fragment))


class _Site:
    """What allauth's templates read from ``current_site``."""

    def __init__(self, *, name: str, domain: str) -> None:
        self.name = name
        self.domain = domain


def _login_of(credentials: dict) -> str:
    """The account the person named, however they named it (e-mail address or username): its
    id when there is one, so that both names count as one; else what they typed."""
    typed = str(credentials.get("email") or credentials.get("username") or "").strip()
    user = (
        User.objects.filter(email__iexact=typed).only("pk").first()
        or User.objects.filter(username=typed).only("pk").first()
        if typed
        else None
    )
    return f"account:{user.pk}" if user else f"typed:{typed.lower()}"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Institutions' single sign-on (SSO_PROVIDERS in the settings)."""

    def can_authenticate_by_email(self, login, email):
        # A verified address signs in to the account that has it, except a staff account: one
        # provider that is wrong about an address must not hand out the admin. Staff link
        # their institution themselves, signed in (Institution sign-in on the profile).
        if User.objects.filter(email__iexact=email, is_staff=True).exists():
            return False
        return super().can_authenticate_by_email(login, email)

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        # The name the institution knows the person by, until they change it on the profile.
        name = " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        ) or (data.get("name") or "")
        user.display_name = line_clean(name)[:120]
        # Their e-mails are written in the language the sign-in page was shown in, as for a
        # sign-up with a password (AccountAdapter.save_user).
        language = (get_language() or "").split("-")[0]
        user.language = language if language in dict(settings.LANGUAGES) else ""
        # A new account: the welcome waits for them as for a sign-up with a password (an
        # existing account that an institution's address signs in to is not populated here).
        user.onboarded_at = None
        return user
