"""Profiles, the member directory, the expert roster and the notification inbox."""

from __future__ import annotations

import re
from urllib.parse import quote

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import deletion, export, selectors, services
from accounts.forms import DeletionForm, DirectoryFilterForm, PrivacyForm, ProfileForm
from accounts.models import DataExport, Notification, User, notification_message
from accounts.sso import provider_reauthentication_required
from core.avatars import AVATAR_DIRECTORY
from core.params import query_int
from core.site import url_for_each

DIRECTORY_PAGE_SIZE = 30


def member_list(request: HttpRequest) -> HttpResponse:
    return _directory(request, experts_only=False)


def expert_list(request: HttpRequest) -> HttpResponse:
    return _directory(request, experts_only=True)


def _directory(request: HttpRequest, *, experts_only: bool) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = {}
    if form.is_bound:
        # The valid filters apply even when another one is not (an unknown country in a shared
        # link must not drop the name filter): cleaned_data holds the valid fields only.
        form.is_valid()
        filters = form.cleaned_data
    people = selectors.user_list(
        viewer=request.user,
        q=filters.get("q", ""),
        country=filters.get("country", ""),
        community=filters.get("community"),
        expertise=filters.get("expertise"),
        experts_only=experts_only,
    )
    page = Paginator(people, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/directory.html",
        {
            "form": form,
            "page": page,
            "experts_only": experts_only,
            "query_string": query.urlencode(),
        },
    )


# A stored photo's file name: letters, digits, "_", "-" and ".", as uploads are named (a
# storage may add a suffix before the extension).
AVATAR_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,150}")


def avatar_photo(request: HttpRequest, name: str) -> HttpResponse:
    """A profile photo, at an address that never expires (core.avatars.photo_url).

    Pages and their cached fragments keep this address for as long as they live; a storage's
    own URL would not do (S3's are signed for an hour, and /media/ is not served in
    production). Only a file someone uses as their photo is sent: the name is unguessable
    and unique per upload, so the answer may be kept for good. Behind nginx the bytes come from
    nginx (X-Accel-Redirect), as library downloads do."""
    if not AVATAR_NAME.fullmatch(name):  # what accounts/avatars.py names them, nothing else
        raise Http404("photo")
    path = f"{AVATAR_DIRECTORY}{name}"
    if not User.objects.filter(avatar=path).exists():
        raise Http404("photo")
    if settings.MEDIA_ACCEL_REDIRECT and settings.MEDIA_STORAGE == "filesystem":
        response = HttpResponse(content_type="image/jpeg")
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT + quote(path)
    else:
        try:
            handle = default_storage.open(path, "rb")
        except FileNotFoundError:
            raise Http404("photo") from None
        response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def member_detail(request: HttpRequest, username: str) -> HttpResponse:
    person = selectors.user_get_profile(username=username, viewer=request.user)
    return render(request, "accounts/member_detail.html", {"person": person})


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=request.user, data=dict(form.cleaned_data))
        messages.success(request, _("Your profile has been saved."))
        return redirect("member_detail", username=request.user.username)
    return render(request, "accounts/profile_edit.html", {"form": form})


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    items = selectors.notification_list(
        user=request.user, before_id=query_int(request.GET, "before", default=None)
    )
    open_url = url_for_each("notification_open")
    read_url = url_for_each("notification_read")
    for item in items:
        item.message = notification_message(item)
        item.open_url = open_url(item.pk)
        item.read_url = read_url(item.pk)
    return render(
        request,
        "accounts/notifications.html",
        {"items": items, "next_before": items[-1].pk if len(items) == 30 else None},
    )


@login_required
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Go to the exact place the notification points at; opening it from the inbox (a POST,
    so that following a link never changes anything) also marks it read."""
    item = get_object_or_404(Notification, pk=notification_id, recipient=request.user)
    if request.method == "POST":
        services.notification_mark_read(user=request.user, notification_id=item.pk)
    target = item.url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int | None = None) -> HttpResponse:
    services.notification_mark_read(user=request.user, notification_id=notification_id)
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Refresh": "true"})
    return redirect("notification_list")


def language_set(request: HttpRequest) -> HttpResponse:
    """Django's set_language, which also remembers a signed-in person's choice on their
    profile (their e-mails are written in it)."""
    from django.views.i18n import set_language

    response = set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        services.user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response


THEME_COOKIE = "theme"


@require_POST
def theme_set(request: HttpRequest) -> HttpResponse:
    """The header's light/dark switch: kept on the profile of a signed-in person and, for
    everyone, in a cookie (so the choice holds before sign-in too). Back to where it was
    pressed."""
    theme = request.POST.get("theme", "")
    if theme not in {"light", "dark"}:
        theme = ""
    if request.user.is_authenticated:
        services.user_theme_set(user=request.user, theme=theme)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(target)
    if theme:
        response.set_cookie(THEME_COOKIE, theme, max_age=365 * 24 * 3600, samesite="Lax")
    else:
        response.delete_cookie(THEME_COOKIE)
    return response


@login_required
def privacy_edit(request: HttpRequest) -> HttpResponse:
    form = PrivacyForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=request.user, data=dict(form.cleaned_data))
        messages.success(request, _("Your privacy choices have been saved."))
        return redirect("privacy_edit")
    return render(request, "accounts/privacy_edit.html", {"form": form})


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """Download my data, and delete my account."""
    if request.method == "POST":
        export.export_request(user=request.user)  # the one being prepared, if any
        messages.success(
            request,
            _(
                "We are preparing your data. You will be notified, here and by e-mail, "
                "when it is ready to download."
            ),
        )
        return redirect("my_data")
    exports = list(DataExport.objects.filter(user=request.user).order_by("-created")[:5])
    for item in exports:
        item.url = export.download_url(item) if item.status == DataExport.Status.READY else ""
    return render(
        request,
        "accounts/my_data.html",
        {
            "exports": exports,
            "keep_days": export.EXPORT_KEEP_DAYS,
            "grace_days": deletion.DELETION_GRACE_DAYS,
            "deletion_form": DeletionForm(),
        },
    )


@login_required
def my_data_download(request: HttpRequest, token: str) -> HttpResponse:
    item = export.export_from_token(token=token, user=request.user)
    if item is None or not item.file:
        # Expired, deleted, or someone else's: the same answer, with the way to a new one.
        return render(request, "accounts/export_expired.html", status=404)
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.file.name.rsplit("/", 1)[-1]
    )


@login_required
@provider_reauthentication_required  # people without a password: their institution asks
@reauthentication_required(allow_get=True)
def account_delete(request: HttpRequest) -> HttpResponse:
    """Ask for the account's deletion; allauth asks for the password (or a second factor)
    again first if the person has not just given it."""
    form = DeletionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        deletion.deletion_request(
            user=user, remove_content=form.cleaned_data["content"] == "remove"
        )
        logout(request)
        messages.success(
            request,
            _(
                "Your account will be deleted in %(days)d days. You have been signed out "
                "everywhere. Signing in again before then cancels the deletion."
            )
            % {"days": deletion.DELETION_GRACE_DAYS},
        )
        return redirect("home")
    return render(
        request,
        "accounts/account_delete.html",
        {"form": form, "grace_days": deletion.DELETION_GRACE_DAYS},
    )
