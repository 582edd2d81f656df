"""E-mail preferences, one-click unsubscribe, saved searches and their private feeds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.models import Community
from mail import alerts, compose, preferences
from mail.forms import CommunityMailForm, MailSettingsForm, SavedSearchForm
from mail.models import SavedSearch, _feed_token


@login_required
def mail_preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    mail_settings = preferences.settings_for(user)
    communities = preferences.member_communities(user)
    data = request.POST if request.method == "POST" else None
    form = MailSettingsForm(data, instance=mail_settings)
    community_form = CommunityMailForm(
        data, communities=communities, chosen=preferences.frequencies(user)
    )
    if request.method == "POST" and form.is_valid() and community_form.is_valid():
        preferences.preferences_update(
            user=user, choices=form.cleaned_data, frequencies=community_form.choices()
        )
        messages.success(request, _("Your e-mail settings are saved."))
        return redirect("mail_preferences")
    return render(
        request,
        "mail/preferences.html",
        {
            "form": form,
            "community_form": community_form,
            "saved_searches": SavedSearch.objects.filter(user=user),
        },
    )


@csrf_exempt  # RFC 8058: mail clients POST here without a session; the token is the proof
def mail_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: say what the link turns off, with a button. POST (the button, or a mail client's
    one-click "List-Unsubscribe=One-Click"): turn it off, no sign-in needed. A link that was
    altered, or whose account is gone, gets a plain page saying nothing changed."""
    found = preferences.unsubscribe_read(token)
    user = None
    if found is not None:
        user = get_user_model().objects.filter(pk=found[0], is_active=True).first()
    if user is None:
        return render(request, "mail/unsubscribe.html", {"invalid": True})
    scope = found[1]
    context = {"scope": scope, "what": _scope_label(scope)}
    if request.method == "POST":
        context["done"] = preferences.unsubscribe(user, scope)
        context["invalid"] = not context["done"]
    return render(request, "mail/unsubscribe.html", context)


def _scope_label(scope: str) -> str:
    labels = {
        "replies": _("e-mails about replies, quotes and accepted answers"),
        "mentions": _("e-mails about mentions of you"),
        "moderation": _("e-mails about library decisions, reviews and reports"),
        "events": _("e-mails about events you registered for"),
        "questions": _("e-mails about private questions and their replies"),
        "digest": _("digests of your communities"),
    }
    if scope in labels:
        return labels[scope]
    kind, _sep, ident = scope.partition(":")
    if kind == "threads" and ident.isdigit():
        community = Community.objects.filter(pk=int(ident)).first()
        if community:
            return _("e-mails about new threads in %(community)s") % {"community": community.name}
    if kind == "alert" and ident.isdigit():
        saved = SavedSearch.objects.filter(pk=int(ident)).first()
        if saved:
            return _("alerts for the saved search “%(name)s”") % {"name": saved.name}
    return _("these e-mails")


# --- Saved searches ---------------------------------------------------------------------------


@login_required
@require_POST
def saved_search_create(request: HttpRequest) -> HttpResponse:
    """ "Alert me about new results" on the search page and the library: keep the search."""
    params = alerts.params_kept(request.POST)
    name = request.POST.get("name", "").strip() or params.get("q", "") or _("All results")
    form = SavedSearchForm({"name": name[:200], "alert": request.POST.get("alert", "digest")})
    if not form.is_valid():
        messages.error(request, _("The search could not be saved."))
        return redirect(reverse("search") + "?" + request.POST.urlencode())
    from search.models import SearchEntry

    latest = SearchEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    saved = form.save(commit=False)
    saved.user = request.user
    saved.params = params
    saved.last_entry = latest
    saved.save()
    messages.success(request, _("Search saved. New results will reach you by e-mail as you chose."))
    return redirect("saved_search_detail", saved_id=saved.pk)


def _own(request: HttpRequest, saved_id: int) -> SavedSearch:
    return get_object_or_404(SavedSearch, pk=saved_id, user=request.user)


@login_required
def saved_search_detail(request: HttpRequest, saved_id: int) -> HttpResponse:
    saved = _own(request, saved_id)
    if request.method == "POST":
        form = SavedSearchForm(request.POST, instance=saved)
        if form.is_valid():
            form.save()
            messages.success(request, _("Saved search updated."))
            return redirect("saved_search_detail", saved_id=saved.pk)
    else:
        form = SavedSearchForm(instance=saved)
    checked = alerts.checked(saved)
    from dataclasses import replace

    from core.params import query_int
    from search.query import search

    page = query_int(request.GET, "page", default=1, maximum=1000)
    result = search(user=request.user, params=replace(checked.params, page=page))
    return render(
        request,
        "mail/saved_search.html",
        {
            "saved": saved,
            "form": form,
            "ignored": checked.ignored,
            "result": result,
            "search_url": reverse("search") + "?" + _query_string(saved.params),
            "feed_url": compose.absolute(
                reverse("saved_search_feed", kwargs={"token": saved.feed_token})
            ),
        },
    )


def _query_string(params: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


@login_required
@require_POST
def saved_search_delete(request: HttpRequest, saved_id: int) -> HttpResponse:
    _own(request, saved_id).delete()
    messages.success(request, _("Saved search removed."))
    return redirect("mail_preferences")


@login_required
@require_POST
def saved_search_feed_reset(request: HttpRequest, saved_id: int) -> HttpResponse:
    """A new private feed address; the old one stops working."""
    saved = _own(request, saved_id)
    saved.feed_token = _feed_token()
    saved.save(update_fields=["feed_token"])
    messages.success(request, _("The feed has a new address; the old one no longer works."))
    return redirect("saved_search_detail", saved_id=saved.pk)


class SavedSearchFeed(Feed):
    """A saved search's newest results, for its owner's feed reader (the token in the address
    is the key: anyone with it reads what its owner may read, until they reset it)."""

    feed_type = Atom1Feed

    def get_object(self, request, token: str):
        saved = SavedSearch.objects.select_related("user").filter(feed_token=token).first()
        if saved is None or not saved.user.is_active:
            raise Http404
        return saved

    def title(self, saved):
        return f"{saved.name} · {compose.site_name()}"

    def link(self, saved):
        return reverse("saved_search_detail", kwargs={"saved_id": saved.pk})

    def subtitle(self, saved):
        return _("Newest results of a saved search")

    def items(self, saved):
        from dataclasses import replace

        from search.query import search

        params = replace(alerts.checked(saved).params, order="newest", per_page=30)
        return search(user=saved.user, params=params).results

    def item_title(self, hit):
        return hit.title

    def item_description(self, hit):
        return str(hit.snippet)

    def item_link(self, hit):
        return hit.url

    def item_pubdate(self, hit):
        return hit.created

    def item_guid(self, hit):
        return compose.absolute(hit.url)
