"""The welcome after sign-up: three steps (profile and photo, communities, e-mail), then the
personalised home.

The accounts adapter sends people here until they finish or skip it (``User.onboarded_at``).
Each step is a page with its own form that saves on Continue, through the same form and
service as the page that owns the subject (the profile, joining a community, the e-mail
preferences), so nothing is validated twice. Skip goes to the next step without saving; the
last step's Continue or Skip, and "Skip the welcome" on every step, end the welcome for good.
The steps stay open afterwards, to anyone signed in: they are just forms.

It lives in the project because it spans accounts, core and mail, the last of which accounts
may not import.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import services as account_services
from accounts.forms import WelcomeProfileForm
from core import permissions
from core import services as core_services
from core.forms import CommunityChoiceForm
from core.models import Community
from mail import preferences
from mail.forms import CommunityMailForm, MailSettingsForm


@dataclass(frozen=True)
class Step:
    url_name: str
    title: Promise


STEPS = (
    Step("welcome_profile", gettext_lazy("Your profile and photo")),
    Step("welcome_communities", gettext_lazy("Your communities")),
    Step("welcome_notifications", gettext_lazy("What reaches you by e-mail")),
)


def _render(request: HttpRequest, *, step: int, template: str, context: dict) -> HttpResponse:
    """A step's page: the progress (``steps``: title, address, done or current), where Back
    and Skip lead, and the step's own ``context``."""
    steps = [
        {
            "number": number,
            "title": item.title,
            "url": reverse(item.url_name),
            "current": number == step,
        }
        for number, item in enumerate(STEPS, start=1)
    ]
    return render(
        request,
        template,
        {
            **context,
            "steps": steps,
            "step": steps[step - 1],
            "total": len(STEPS),
            "back_url": steps[step - 2]["url"] if step > 1 else "",
            "skip_url": steps[step]["url"] if step < len(STEPS) else "",
        },
    )


@login_required
def welcome_start(request: HttpRequest) -> HttpResponse:
    return redirect("welcome_profile")


@login_required
def welcome_profile(request: HttpRequest) -> HttpResponse:
    """Step 1: name, photo, where the person works, languages, time zone."""
    # Bound on every POST, even one with nothing in it (``request.POST or None`` is not).
    posted = request.method == "POST"
    form = WelcomeProfileForm(
        request.POST if posted else None, request.FILES if posted else None, instance=request.user
    )
    if posted and form.is_valid():
        account_services.profile_update(user=request.user, data=dict(form.cleaned_data))
        return redirect("welcome_communities")
    # A file input cannot be filled in again: say so when a good photo came with bad input.
    photo_again = form.is_bound and "photo" in request.FILES and "photo" not in form.errors
    return _render(
        request,
        step=1,
        template="project/welcome_profile.html",
        context={"form": form, "photo_again": photo_again},
    )


@login_required
def welcome_communities(request: HttpRequest) -> HttpResponse:
    """Step 2: join (or leave) the four communities, each with what it is about."""
    communities = Community.objects.annotate(
        member_count=Count("memberships", distinct=True)
    ).order_by("position", "slug")
    form = CommunityChoiceForm(
        request.POST if request.method == "POST" else None,  # ticking nothing is a choice
        communities=communities,
        initial={"communities": _member_slugs(request)},
    )
    if request.method == "POST" and form.is_valid():
        core_services.memberships_choose(
            user=request.user, communities=form.cleaned_data["communities"]
        )
        return redirect("welcome_notifications")
    return _render(
        request, step=2, template="project/welcome_communities.html", context={"form": form}
    )


@login_required
def welcome_notifications(request: HttpRequest) -> HttpResponse:
    """Step 3: the e-mail preferences (the same forms as the preferences page); Continue
    saves them and ends the welcome."""
    user = request.user
    data = request.POST if request.method == "POST" else None
    form = MailSettingsForm(data, instance=preferences.settings_for(user))
    community_form = CommunityMailForm(
        data,
        communities=preferences.member_communities(user),
        chosen=preferences.frequencies(user),
    )
    if request.method == "POST" and form.is_valid() and community_form.is_valid():
        preferences.preferences_update(
            user=user, choices=form.cleaned_data, frequencies=community_form.choices()
        )
        return _finish(request)
    return _render(
        request,
        step=3,
        template="project/welcome_notifications.html",
        context={"form": form, "community_form": community_form},
    )


@login_required
@require_POST
def welcome_finish(request: HttpRequest) -> HttpResponse:
    """Skip the rest of the welcome (or its last step): it is not offered again."""
    return _finish(request)


def _finish(request: HttpRequest) -> HttpResponse:
    user = request.user
    if account_services.user_onboarding_finish(user=user):
        if permissions.member_community_ids(user):
            text = _("Welcome, %(name)s! Here is what is new in your communities.")
        else:
            text = _("Welcome, %(name)s! Join a community to follow its discussions here.")
        messages.success(request, text % {"name": user.name})
    else:
        messages.success(request, _("Your choices are saved."))
    return redirect("home")


def _member_slugs(request: HttpRequest) -> list[str]:
    ids = permissions.member_community_ids(request.user)
    return list(Community.objects.filter(pk__in=ids).values_list("slug", flat=True))
