"""Library pages, downloads, curation, collections and the search page."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import permissions, versions
from core.filters import applied_filters
from core.forms import add_service_errors
from core.pagecache import shared_part, visitor_page
from core.params import query_int
from core.permissions import Action, Refusal
from core.selectors import community_get
from mail.alerts import params_kept
from resources import selectors, services
from resources.forms import (
    CandidateSearchForm,
    CollectionForm,
    CollectionItemForm,
    CollectionMoveForm,
    DecisionForm,
    LibraryFilterForm,
    ResourceForm,
)
from resources.indexing import DOC_TYPE
from resources.models import Resource, ResourceFile
from resources.rules import can_edit_resource, can_review_resource
from resources.uploads import stored_name, too_large_message
from search.documents import document_types, visibilities_for
from search.params import SearchQuery, params_from_strings
from search.query import QUERY_MAX, search

# --- Browsing ----------------------------------------------------------------------------------


# What the library's pages show moves these versions (core/versions.py): a library page with
# words typed is a search.
LIBRARY_VERSIONS = (versions.LIBRARY, versions.SEARCH)
LIBRARY_SECONDS = 600


def library(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """The library's cards, kinds and filters, or with words typed its search results.

    Everything under the page's head is the same for every reader of the same address (but
    the link to submit when nothing matches, for signed-in readers): a visitor's whole page is
    cached, and a signed-in reader's part under the head, both under LIBRARY_VERSIONS."""
    community = community_get(slug=slug) if slug else None
    head = {
        "community": community,
        "can_submit": request.user.is_authenticated,
        "can_review_here": community is not None
        and permissions.can(request.user, Action.RESOURCE_REVIEW, community),
    }
    return _library_page(
        request,
        name="library",
        template="resources/library.html",
        main_template="resources/_library_main.html",
        head=head,
        main=lambda: _library_main(request, community),
    )


# What the library and search pages read from their address (core.pagecache.query_cacheable):
# the filter form's fields and the search parameters.
LIBRARY_PARAMS = frozenset(LibraryFilterForm.base_fields) | frozenset(SearchQuery.model_fields)


def _library_page(
    request: HttpRequest,
    *,
    name: str,
    template: str,
    main_template: str,
    head: dict,
    main: Callable[[], dict],
) -> HttpResponse:
    """A page of the library or of search results: a visitor's whole page, or for someone
    signed in the part under its head (``main_template``), shared with readers whose role
    reads the same documents; both under LIBRARY_VERSIONS. ``main()`` is what that part shows
    (``head`` what the rest does)."""
    if not request.user.is_authenticated:
        return visitor_page(
            request,
            name=name,
            version=lambda: versions.current(*LIBRARY_VERSIONS),
            seconds=LIBRARY_SECONDS,
            render=lambda csrf_token: render(
                request, template, {**head, **main(), "csrf_token": csrf_token}
            ),
            params=LIBRARY_PARAMS,
        )
    main_html = shared_part(
        request,
        name=name,
        # Results with words typed are those the reader's role may read.
        key=(versions.current(*LIBRARY_VERSIONS), ",".join(visibilities_for(request.user))),
        seconds=LIBRARY_SECONDS,
        render=lambda csrf_token: render_to_string(
            main_template, {**head, **main(), "csrf_token": csrf_token}, request=request
        ),
        params=LIBRARY_PARAMS,
    )
    return render(request, template, {**head, "main_html": main_html})


def _library_main(request: HttpRequest, community) -> dict:
    """What the library page shows under its head (templates/resources/_library_main.html)."""
    form = LibraryFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    if community is not None:
        data["community"] = community
    filters = selectors.LibraryFilters(
        q=data.get("q") or "",
        kind=data.get("kind") or "",
        community=data.get("community"),
        country=data.get("country") or "",
        language=data.get("language") or "",
        year_from=data.get("year_from"),
        year_to=data.get("year_to"),
        tag=data.get("tag") or "",
        collection=data.get("collection"),
        # Words typed: best matches first unless another order is chosen.
        sort=data.get("sort") or ("relevance" if data.get("q") else "newest"),
    )
    chips, clear_url = applied_filters(
        request.GET, form, skip=("q", "sort", "community") if community else ("q", "sort")
    )
    context = {
        "form": form,
        "chips": chips,
        "clear_url": clear_url,
        "filter_notice": getattr(form, "notice", ""),
    }
    page_number = query_int(request.GET, "page", default=1, maximum=1000)
    if filters.q:
        # Words typed: the library page is a search restricted to resources.
        wanted = {
            "q": filters.q,
            "community": filters.community.slug if filters.community else "",
            "kind": filters.kind,
            "country": filters.country,
            "language": filters.language,
            "tag": filters.tag,
            "year_from": filters.year_from or "",
            "year_to": filters.year_to or "",
            "collection": filters.collection.slug if filters.collection else "",
        }
        params, _query, _dropped = params_from_strings(
            {**wanted, "order": filters.sort, "page": page_number}, type=DOC_TYPE
        )
        context["result"] = search(user=request.user, params=params)
        context["alert_params"] = params_kept({**wanted, "type": DOC_TYPE})
    else:
        context["page"] = selectors.library_cards(filters=filters, page=page_number)
        counts = selectors.library_kind_counts(filters=filters)
        context["kind_tabs"] = [
            ("", _("All kinds"), sum(counts.values())),
            *((value, label, counts.get(value, 0)) for value, label in Resource.Kind.choices),
        ]
    return context


# A resource's page: the resource (and its communities' names), its files, related resources,
# the events it comes from and the threads that cite it.
RESOURCE_VERSIONS = (versions.LIBRARY, versions.EVENTS, versions.THREADS)


def resource_detail(request: HttpRequest, resource_id: int) -> HttpResponse:
    return visitor_page(
        request,
        name="resource",
        version=lambda: versions.current(*RESOURCE_VERSIONS),
        seconds=LIBRARY_SECONDS,
        render=lambda csrf_token: _resource_detail(request, resource_id, csrf_token),
    )


def _resource_detail(request: HttpRequest, resource_id: int, csrf_token: str) -> HttpResponse:
    """A resource's page. A visitor's is cached whole (resource_detail); for someone signed in
    who may neither review nor edit it, the part under the header is the same for all of them
    and is shared (core.pagecache.shared_part) under the same versions."""
    user = request.user
    # Read before the content, as every versioned page does (core/versions.py).
    version = versions.current(*RESOURCE_VERSIONS) if user.is_authenticated else ""
    resource = selectors.resource_get_for_viewer(user=user, resource_id=resource_id, content=False)
    can_review = can_review_resource(user, resource)
    can_edit = can_edit_resource(user, resource)

    def context(token: str) -> dict:
        selectors.resource_content_prefetch(resource)
        return {
            "csrf_token": token,
            "resource": resource,
            "related": selectors.resource_list_related(resource=resource),
            "discussed_in": selectors.discussion_list(resource=resource),
            "origins": selectors.origin_list(resource=resource),
            "can_review": can_review,
            "can_edit": can_edit,
            "decision_form": DecisionForm() if can_review else None,
            "revisions": selectors.resource_revisions(resource=resource) if can_review else [],
        }

    if user.is_authenticated and not can_review and not can_edit:
        main_html = shared_part(
            request,
            name="resource",
            key=(version, resource.pk),
            seconds=LIBRARY_SECONDS,
            render=lambda token: render_to_string(
                "resources/_resource_main.html", context(token), request=request
            ),
        )
        return render(
            request,
            "resources/resource_detail.html",
            {"resource": resource, "main_html": main_html},
        )
    return render(request, "resources/resource_detail.html", context(csrf_token))


def resource_file(request: HttpRequest, resource_id: int, file_id: int) -> FileResponse:
    """Files are always downloads: never rendered inline, never sniffed, sandboxed if opened."""
    resource = selectors.resource_get_for_viewer(user=request.user, resource_id=resource_id)
    item = get_object_or_404(ResourceFile, pk=file_id, resource=resource)
    filename = stored_name(item.original_name, item.content_type)
    if settings.MEDIA_ACCEL_REDIRECT and settings.MEDIA_STORAGE == "filesystem":
        # Behind nginx: the permission was checked here; nginx sends the bytes.
        response = HttpResponse(content_type=item.content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT + quote(item.file.name)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return _download_headers(response, resource)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404("file") from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=item.content_type
    )
    return _download_headers(response, resource)


def _download_headers(response: HttpResponse, resource) -> HttpResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store" if not resource.is_published else "private"
    return response


# --- Submitting and editing ----------------------------------------------------------------------


def _resource_form(request, *, initial=None):
    communities = permissions.communities_where(request.user, Action.RESOURCE_SUBMIT)
    form = ResourceForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        communities=communities,
        upload_limit=filesizeformat(settings.UPLOAD_MAX_BYTES),
    )
    too_large = getattr(request, "uploads_too_large", None)
    return form, too_large


@login_required
def resource_submit(request: HttpRequest) -> HttpResponse:
    form, too_large = _resource_form(
        request,
        initial={
            "language": request.LANGUAGE_CODE,
            "communities": request.GET.getlist("community"),
        },
    )
    status = HTTPStatus.OK
    if not permissions.communities_where(request.user, Action.RESOURCE_SUBMIT).exists():
        messages.info(
            request, _("Join a community first: resources are shared within communities.")
        )
    if request.method == "POST":
        valid = form.is_valid()
        if too_large:
            form.add_error("files", too_large_message(too_large))
            valid = False
        if valid:
            publish = "publish" in request.POST
            try:
                resource = services.resource_submit(
                    actor=request.user,
                    data=form.resource_data(),
                    communities=list(form.cleaned_data["communities"]),
                    tags=form.cleaned_data["tags"],
                    files=form.cleaned_data["files"],
                    related=form.cleaned_data["related"],
                    publish=publish,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except Refusal as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("The resource is published.")
                    if publish
                    else _("Thank you. Moderators will review your submission."),
                )
                return redirect(resource.get_absolute_url())
        status = HTTPStatus.UNPROCESSABLE_ENTITY
    return render(
        request,
        "resources/resource_form.html",
        {
            "form": form,
            "resource": None,
            "can_publish": permissions.communities_where(
                request.user, Action.RESOURCE_REVIEW
            ).exists(),
        },
        status=status,
    )


@login_required
def resource_edit(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = selectors.resource_get_for_viewer(user=request.user, resource_id=resource_id)
    if not can_edit_resource(request.user, resource):
        raise Refusal(_("You cannot change this resource."))
    initial = {
        **{field: getattr(resource, field) for field in services.EDITABLE},
        "countries": [str(c) for c in resource.countries],
        "communities": [c.slug for c in resource.communities.all()],
        "tags": ", ".join(t.name for t in resource.tags.all()),
        "related": "\n".join(
            f"/library/{pk}/" for pk in resource.related.order_by("pk").values_list("pk", flat=True)
        ),
    }
    form, too_large = _resource_form(request, initial=initial)
    form.fields["communities"].queryset = selectors.communities_for_edit(
        user=request.user, resource=resource
    )
    status = HTTPStatus.OK
    if request.method == "POST":
        valid = form.is_valid()
        if too_large:
            form.add_error("files", too_large_message(too_large))
            valid = False
        if valid:
            try:
                services.resource_update(
                    resource=resource,
                    actor=request.user,
                    data=form.resource_data(),
                    communities=list(form.cleaned_data["communities"]),
                    tags=form.cleaned_data["tags"],
                    files=form.cleaned_data["files"],
                    related=form.cleaned_data["related"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except Refusal as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The resource has been saved."))
                return redirect(resource.get_absolute_url())
        status = HTTPStatus.UNPROCESSABLE_ENTITY
    return render(
        request,
        "resources/resource_form.html",
        {"form": form, "resource": resource, "can_publish": False},
        status=status,
    )


@login_required
@require_POST
def file_remove(request: HttpRequest, resource_id: int, file_id: int) -> HttpResponse:
    resource = selectors.resource_get_for_viewer(user=request.user, resource_id=resource_id)
    item = get_object_or_404(ResourceFile, pk=file_id, resource=resource)
    services.file_remove(resource_file=item, actor=request.user)
    messages.success(request, _("The file has been removed."))
    return redirect("resource_edit", resource_id=resource.pk)


@login_required
def my_submissions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "resources/my_submissions.html",
        {"resources": selectors.resource_list_submitted(user=request.user)},
    )


# --- Curation -------------------------------------------------------------------------------------


@login_required
def review_queue(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_get(slug=slug)
    permissions.check(request.user, Action.RESOURCE_REVIEW, community)
    resources = selectors.resource_list_for_review(community=community)
    return render(
        request,
        "resources/review_queue.html",
        {
            "community": community,
            "waiting": [r for r in resources if r.status == Resource.Status.SUBMITTED],
            "changes": [r for r in resources if r.status != Resource.Status.SUBMITTED],
        },
    )


@login_required
@require_POST
def resource_decide(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = selectors.resource_get_for_viewer(user=request.user, resource_id=resource_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
        action = {
            "publish": services.resource_publish,
            "changes": services.resource_request_changes,
            "reject": services.resource_reject,
        }[decision]
        try:
            action(resource=resource, actor=request.user, comment=comment)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Decision saved; the submitter has been notified."))
    else:
        messages.error(request, _("Choose a decision."))
    return redirect(resource.get_absolute_url())


@login_required
@require_POST
def resource_curate(request: HttpRequest, resource_id: int, action: str) -> HttpResponse:
    resource = selectors.resource_get_for_viewer(user=request.user, resource_id=resource_id)
    try:
        if action == "feature":
            on = request.POST.get("on", "1") == "1"
            services.resource_set_featured(resource=resource, actor=request.user, featured=on)
            messages.success(request, _("Featured.") if on else _("No longer featured."))
        elif action == "archive":
            services.resource_archive(resource=resource, actor=request.user)
            messages.success(request, _("The resource is archived."))
        else:
            raise Http404(action)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(resource.get_absolute_url())


# --- Collections ---------------------------------------------------------------------------


def collection_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "resources/collection_list.html",
        {
            "collections": selectors.collection_list(),
            "can_manage": permissions.communities_where(
                request.user, Action.COLLECTION_MANAGE
            ).exists(),
        },
    )


def collection_detail(request: HttpRequest, slug: str) -> HttpResponse:
    collection = selectors.collection_get(slug=slug)
    return render(
        request,
        "resources/collection_detail.html",
        {
            "collection": collection,
            "can_manage": permissions.can_any(
                request.user, Action.COLLECTION_MANAGE, collection.communities.all()
            ),
        },
    )


def _collection_for_editor(request: HttpRequest, slug: str):
    """The collection with all its items, if the reader may edit it; else Refusal or 404."""
    collection = selectors.collection_get_for_edit(slug=slug)
    permissions.check_any(request.user, Action.COLLECTION_MANAGE, collection.communities.all())
    return collection


def _editor_url(collection, *, q: str = "", anchor: str = "items") -> str:
    url = reverse("collection_edit", kwargs={"slug": collection.slug})
    return f"{url}{'?' + urlencode({'q': q}) if q else ''}#{anchor}"


def _candidates(request: HttpRequest, collection) -> dict:
    """The editor's search: the words, and the published resources they find by title."""
    search = CandidateSearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    found = selectors.resource_candidates(q=q, resource_id=search.resource_id) if q else []
    return {
        "collection": collection,
        "search": search,
        "q": q,
        "candidates": found[: selectors.CANDIDATES],
        "more_candidates": len(found) > selectors.CANDIDATES,
        "in_collection": {item.resource_id for item in collection.items.all()},
    }


@login_required
def collection_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """A collection's title, description and communities; for an existing one, also its
    items: search and add, move up or down, drag (collection.js), remove."""
    communities = permissions.communities_where(request.user, Action.COLLECTION_MANAGE)
    if not communities.exists():
        raise Refusal(_("Only moderators can curate collections."))
    collection = _collection_for_editor(request, slug) if slug else None
    initial = {"communities": list(collection.communities.all())} if collection else {}
    form = CollectionForm(
        request.POST or None, instance=collection, initial=initial, communities=communities
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.collection_save(
                actor=request.user,
                data=form.cleaned_data,
                communities=list(form.cleaned_data["communities"]),
                collection=collection,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if collection is None:
                messages.success(
                    request, _("The collection has been created. Now find resources to add.")
                )
                return redirect(_editor_url(saved, anchor="add"))
            messages.success(request, _("The collection has been saved."))
            return redirect(saved.get_absolute_url())
    context = {"form": form, "collection": collection}
    if collection is not None:
        context |= _candidates(request, collection)
        context["items"] = list(collection.items.all())
    return render(
        request,
        "resources/collection_form.html",
        context,
        status=HTTPStatus.UNPROCESSABLE_ENTITY if form.errors else HTTPStatus.OK,
    )


@login_required
def collection_candidates(request: HttpRequest, slug: str) -> HttpResponse:
    """The editor's search results alone, for htmx as the moderator types; anyone else (a
    plain link) gets the whole editor."""
    collection = _collection_for_editor(request, slug)
    if not request.htmx:
        return redirect(_editor_url(collection, q=request.GET.get("q", "")[:200], anchor="add"))
    return render(
        request, "resources/_collection_candidates.html", _candidates(request, collection)
    )


@login_required
@require_POST
def collection_item(request: HttpRequest, slug: str) -> HttpResponse:
    """The editor's buttons (no JavaScript needed): add a resource, remove one, move one up or
    down. Back to the editor, with the search kept."""
    collection = _collection_for_editor(request, slug)
    form = CollectionItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a resource of the list, then one of its buttons."))
        return redirect(_editor_url(collection))
    action, resource_id = form.cleaned_data["action"], form.cleaned_data["resource"]
    q = form.cleaned_data["q"]
    anchor = f"item-{resource_id}"
    try:
        if action == "add":
            resource = selectors.resource_get_published(resource_id=resource_id)
            if resource is None:
                raise ValidationError(_("Only published resources can join a collection."))
            if services.collection_add(
                collection=collection, actor=request.user, resource=resource
            ):
                messages.success(request, _("Added “%(title)s”.") % {"title": resource.title})
            else:
                messages.info(
                    request,
                    _("“%(title)s” is in the collection already.") % {"title": resource.title},
                )
            anchor = "add"
        elif action == "remove":
            resource = services.collection_remove(
                collection=collection, actor=request.user, resource_id=resource_id
            )
            messages.success(request, _("Removed “%(title)s”.") % {"title": resource.title})
            anchor = "items"
        else:
            order = [item.resource_id for item in collection.items.all()]
            now = order.index(resource_id) + 1 if resource_id in order else 0
            position, count = services.collection_move(
                collection=collection,
                actor=request.user,
                resource_id=resource_id,
                position=max(now + (-1 if action == "up" else 1), 1),
            )
            messages.success(request, _moved(collection, resource_id, position, count))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_editor_url(collection, q=q, anchor=anchor))


def _moved(collection, resource_id: int, position: int, count: int) -> str:
    title = next(
        (i.resource.title for i in collection.items.all() if i.resource_id == resource_id), ""
    )
    return _("“%(title)s” is now at position %(position)s of %(count)s.") % {
        "title": title,
        "position": position,
        "count": count,
    }


@login_required
@require_POST
def collection_move(request: HttpRequest, slug: str) -> HttpResponse:
    """Put one item at a position: what collection.js sends after a drag or a keyboard move.
    Answers JSON (the message to announce, or the error); a plain form post goes back to
    the editor."""
    collection = _collection_for_editor(request, slug)
    form = CollectionMoveForm(request.POST)
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        if not form.is_valid():
            raise ValidationError(_("The new order could not be read. Reload the page."))
        position, count = services.collection_move(
            collection=collection,
            actor=request.user,
            resource_id=form.cleaned_data["resource"],
            position=form.cleaned_data["position"],
        )
    except ValidationError as exc:
        if wants_json:
            return JsonResponse(
                {"error": " ".join(exc.messages)}, status=HTTPStatus.UNPROCESSABLE_ENTITY
            )
        messages.error(request, " ".join(exc.messages))
        return redirect(_editor_url(collection))
    text = _moved(collection, form.cleaned_data["resource"], position, count)
    if wants_json:
        return JsonResponse({"position": position, "count": count, "message": text})
    messages.success(request, text)
    return redirect(_editor_url(collection, anchor=f"item-{form.cleaned_data['resource']}"))


# --- Search ----------------------------------------------------------------------------------


def search_page(request: HttpRequest) -> HttpResponse:
    """One box for everything: the library, threads and replies, chat (what the user may read).

    An empty query shows the browse view of the library instead of an error. A malformed
    parameter in a hand-edited address is dropped (the API answers 422 instead)."""
    q = request.GET.get("q", "").strip()[:QUERY_MAX]
    if not q and not any(request.GET.get(k) for k in ("type", "community", "kind", "tag")):
        return library(request)
    return _library_page(
        request,
        name="search",
        template="resources/search.html",
        main_template="resources/_search_main.html",
        head={"q": q},
        main=lambda: _search_context(request, q),
    )


def _search_context(request: HttpRequest, q: str) -> dict:
    params, query, _dropped = params_from_strings(request.GET, q=q)
    result = search(user=request.user, params=params)
    tabs = [("", _("Everything"))] + [(t.name, t.label) for t in document_types()]
    # The filters a facet or the address applied, as chips; they stay in the search form.
    chips, clear_url = applied_filters(
        request.GET, LibraryFilterForm(request.GET), skip=("q", "sort")
    )
    return {
        "q": q,
        "query": query,
        "result": result,
        "tabs": tabs,
        "current_type": query.type or "",
        "chips": chips,
        "clear_url": clear_url,
        "alert_params": params_kept({**request.GET.dict(), "q": q}),
    }
