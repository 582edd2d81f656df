"""Single sign-on beyond what allauth does by itself: asking people who have only their
institution's sign-in to confirm it is them before a grave step.

allauth re-authenticates with a password or a second factor. Someone who joined through their
institution has neither, and allauth then lets them through without asking (its
``did_recently_reauthenticate`` returns true when it has no way to ask). For deleting an
account that is not enough: a session left open on a shared computer would do. Here such a
person is sent to sign in at their provider again when their last sign-in is older than
``ACCOUNT_REAUTHENTICATION_TIMEOUT``; they come back to the page they wanted. (Reads allauth's
sign-in records through its ``internal`` flows, which the pinned version fixes; the tests in
tests/accounts/test_sso.py and tests/browser/test_sso.py notice if an upgrade moves them.)

Also here: the form for finishing a sign-up through an institution, which says up front when
the address the institution gave belongs to an account here already.
"""

from __future__ import annotations

import time
from functools import wraps

from allauth.account import app_settings as account_settings
from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.reauthentication import get_reauthentication_flows
from allauth.account.models import EmailAddress
from allauth.socialaccount.forms import SignupForm
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def provider_sign_in_needed(request: HttpRequest) -> str | None:
    """Where to send ``request.user`` to sign in at their provider again, or None when that
    is not needed: allauth can ask them itself (a password, a second factor), they signed in
    recently enough, or none of their providers is configured any more."""
    user = request.user
    if not user.is_authenticated or get_reauthentication_flows(user):
        return None
    records = get_authentication_records(request, user)
    latest = max((record.get("at", 0) for record in records), default=0)
    if time.time() - latest < account_settings.REAUTHENTICATION_TIMEOUT:
        return None
    for account in SocialAccount.objects.filter(user=user).order_by("-last_login"):
        try:
            provider = account.get_provider(request)
        except SocialApp.DoesNotExist:
            continue
        messages.info(
            request,
            _("To confirm it is you, sign in again with %(provider)s.")
            % {"provider": provider.name},
        )
        return provider.get_login_url(request, process="login", next=request.get_full_path())
    return None


def provider_reauthentication_required(view):
    """Put under ``@login_required`` (and beside allauth's ``reauthentication_required``) on
    views that need a recent sign-in from people who sign in only through an institution."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        url = provider_sign_in_needed(request)
        if url:
            return redirect(url)
        return view(request, *args, **kwargs)

    return wrapper


class InstitutionSignupForm(SignupForm):
    """allauth's form for finishing a sign-up through an institution, knowing up front when
    the address the institution gave (without confirming it) already belongs to an account
    here: the page then says so and leads to signing in to that account (SOCIALACCOUNT_FORMS)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        address = (self.initial.get("email") or "").strip()
        self.address_taken = bool(address) and (
            EmailAddress.objects.filter(email__iexact=address).exists()
            or get_user_model().objects.filter(email__iexact=address).exists()
        )
