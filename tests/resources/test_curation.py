"""The curation workflow: who may do what to a library resource, and what each decision leaves
behind (status, notifications, audit log, revisions)."""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.models import Notification
from core import services as core_services
from core.models import AuditEntry
from core.permissions import Refusal
from resources import services
from resources.models import Collection, Resource
from tests.resources.conftest import PDF, upload

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "non_member",
    "member",
    "submitter",
    "moderator",
    "other_moderator",
    "staff",
)


@dataclass
class World:
    users: dict
    submitted: Resource
    published: Resource
    collection: Collection


@pytest.fixture
def world(communities, make_user, make_member, make_resource, curator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    egov, ai = communities["e-government"], communities["ai"]
    users = {
        "anonymous": None,
        "non_member": make_user("outsider"),
        "member": make_member(egov, "member"),
        "submitter": make_member(egov, "submitter"),
        "moderator": make_member(egov, "moderator", role="moderator"),
        "other_moderator": make_member(ai, "other_moderator", role="moderator"),
        "staff": make_user("staffer", staff=True),
    }
    submitted = make_resource(
        title="Pending case",
        status="submitted",
        submitter=users["submitter"],
        files=[upload("evidence.pdf", PDF)],
    )
    published = make_resource(title="Published case")
    collection = services.collection_save(
        actor=curator,
        data={"title_en": "COVID-19 Virtual Alliance"},
        communities=[egov],
    )
    return World(users, submitted, published, collection)


def resource_form(**changes) -> dict:
    return {
        "title": "Pending case",
        "summary": "A short summary.",
        "kind": "case",
        "communities": ["e-government"],
        "language": "en",
        "year": "2022",
        "countries": ["KZ"],
        **changes,
    }


# Each action: (request against the world, did the intended change happen?)
def _view(http, w):
    return http.get(f"/library/{w.submitted.pk}/"), None


def _submit(http, w):
    return http.post("/library/submit/", resource_form(title="A new submission")), None


def _edit(http, w):
    return http.post(f"/library/{w.submitted.pk}/edit/", resource_form(title="Edited case")), None


def _decide(decision):
    def act(http, w):
        data = {"decision": decision, "comment": "Please cite the source."}
        return http.post(f"/library/{w.submitted.pk}/decide/", data), None

    return act


def _feature(http, w):
    return http.post(f"/library/{w.published.pk}/feature/", {"on": "1"}), None


def _archive(http, w):
    return http.post(f"/library/{w.published.pk}/archive/"), None


def _download(http, w):
    item = w.submitted.files.get()
    return http.get(item.get_absolute_url()), None


def _collection(http, w):
    data = {
        "title_en": "COVID-19 Virtual Alliance: responses",
        "communities": [w.collection.communities.get().pk],
    }
    return http.post(f"/library/collections/{w.collection.slug}/edit/", data), None


def _fresh(resource: Resource) -> Resource:
    return Resource.objects.get(pk=resource.pk)


ACTIONS = {
    "view_unpublished": (
        _view,
        lambda w, r: r.status_code == 200 and "Pending case" in r.content.decode(),
    ),
    "submit": (
        _submit,
        lambda w, r: Resource.objects.filter(title="A new submission", status="submitted").exists(),
    ),
    "edit": (_edit, lambda w, r: _fresh(w.submitted).title == "Edited case"),
    "publish": (_decide("publish"), lambda w, r: _fresh(w.submitted).status == "published"),
    "request_changes": (_decide("changes"), lambda w, r: _fresh(w.submitted).status == "changes"),
    "reject": (_decide("reject"), lambda w, r: _fresh(w.submitted).status == "rejected"),
    "feature": (_feature, lambda w, r: _fresh(w.published).is_featured),
    "archive": (_archive, lambda w, r: _fresh(w.published).status == "archived"),
    "download_unpublished_file": (
        _download,
        lambda w, r: r.status_code == 200 and b"".join(r.streaming_content) == PDF,
    ),
    "manage_collection": (
        _collection,
        lambda w, r: Collection.objects.get(pk=w.collection.pk).title_en.endswith("responses"),
    ),
}

Y, N = True, False
# role:              view submit edit publ chang rejec featu archi downl colle
MATRIX = {
    "anonymous": (N, N, N, N, N, N, N, N, N, N),
    "non_member": (N, N, N, N, N, N, N, N, N, N),
    "member": (N, Y, N, N, N, N, N, N, N, N),
    "submitter": (Y, Y, Y, N, N, N, N, N, Y, N),
    "moderator": (Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    "other_moderator": (N, N, N, N, N, N, N, N, N, N),
    "staff": (Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
}
CASES = [
    pytest.param(role, action, allowed, id=f"{role}-{action}-{'yes' if allowed else 'no'}")
    for role, row in MATRIX.items()
    for action, allowed in zip(ACTIONS, row, strict=True)
]


@pytest.mark.parametrize(("role", "action", "allowed"), CASES)
def test_curation_permissions(world, login, role, action, allowed):
    user = world.users[role]
    http = login(user) if user else Client()
    perform, happened = ACTIONS[action]
    response, _ = perform(http, world)
    assert happened(world, response) is allowed
    if allowed:
        assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    elif user is None and response.status_code == HTTPStatus.FOUND:
        assert response["Location"].startswith("/accounts/login/")
    else:
        refused = (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND, HTTPStatus.UNPROCESSABLE_ENTITY)
        assert response.status_code in refused
        if action == "view_unpublished" or action == "download_unpublished_file":
            assert response.status_code == HTTPStatus.NOT_FOUND
    # A refused request leaves everything as it was.
    if not allowed:
        assert _fresh(world.submitted).status == "submitted"
        assert _fresh(world.submitted).title == "Pending case"
        assert _fresh(world.published).status == "published"
        assert not _fresh(world.published).is_featured
        assert not Resource.objects.filter(title="A new submission").exists()


# --- The workflow, step by step ------------------------------------------------------------------


def test_submission_review_round_trip(world, login):
    submitter, moderator = world.users["submitter"], world.users["moderator"]
    resource = world.submitted
    # The moderators of the community were told about the submission.
    told = Notification.objects.get(recipient=moderator, data__resource=resource.pk)
    assert told.data["decision"] == "submitted"
    assert told.url == f"/library/{resource.pk}/"
    # The queue lists it for them, and only for them.
    assert "Pending case" in login(moderator).get("/c/e-government/review/").content.decode()
    assert login(submitter).get("/c/e-government/review/").status_code == HTTPStatus.FORBIDDEN
    # Ask for changes: the comment reaches the submitter's inbox and the resource page.
    login(moderator).post(
        f"/library/{resource.pk}/decide/", {"decision": "changes", "comment": "Add the year."}
    )
    inbox = login(submitter).get("/notifications/").content.decode()
    assert "Changes were requested to your submission “Pending case”" in inbox
    page = login(submitter).get(f"/library/{resource.pk}/").content.decode()
    assert "Add the year." in page
    # The submitter answers by editing: back to the queue.
    login(submitter).post(f"/library/{resource.pk}/edit/", resource_form(year="2021"))
    resource.refresh_from_db()
    assert (resource.status, resource.year) == ("submitted", 2021)
    # Publish: public, announced to the submitter, audited, every step kept as a revision.
    login(moderator).post(f"/library/{resource.pk}/decide/", {"decision": "publish"})
    resource.refresh_from_db()
    assert resource.status == "published"
    assert resource.published_at is not None
    decisions = list(
        Notification.objects.filter(recipient=submitter, kind="resource_decision")
        .order_by("id")
        .values_list("data__decision", flat=True)
    )
    assert decisions == ["changes_requested", "published"]
    audit = list(
        AuditEntry.objects.filter(target_id=str(resource.pk), target_type="resources.resource")
        .order_by("id")
        .values_list("action", "actor__username", "community__slug")
    )
    assert audit == [
        ("resource.request_changes", "moderator", "e-government"),
        ("resource.publish", "moderator", "e-government"),
    ]
    notes = list(resource.revisions.order_by("id").values_list("note", "data__status"))
    assert notes == [
        ("resource.request_changes", "submitted"),
        ("edit", "changes"),
        ("resource.publish", "submitted"),
    ]
    assert Client().get(f"/library/{resource.pk}/").status_code == HTTPStatus.OK


@pytest.mark.parametrize("decision", ["changes", "reject"])
def test_asking_for_changes_or_rejecting_needs_a_comment(world, login, decision):
    response = login(world.users["moderator"]).post(
        f"/library/{world.submitted.pk}/decide/",
        {"decision": decision, "comment": "  "},
        follow=True,
    )
    assert _fresh(world.submitted).status == "submitted"
    assert not Notification.objects.filter(recipient=world.users["submitter"]).exists()
    messages = [str(m) for m in response.context["messages"]]
    assert messages
    assert "reason" in messages[0] or "change" in messages[0]


def test_rejection_reason_reaches_the_submitter(world):
    services.resource_reject(
        resource=world.submitted, actor=world.users["moderator"], comment="Out of scope."
    )
    note = Notification.objects.get(recipient=world.users["submitter"])
    assert (note.data["decision"], note.excerpt) == ("rejected", "Out of scope.")
    entry = AuditEntry.objects.get(action="resource.reject")
    assert (entry.reason, entry.before, entry.after) == (
        "Out of scope.",
        {"status": "submitted"},
        {"status": "rejected"},
    )


def test_every_edit_keeps_a_revision_and_moderator_edits_are_audited(world):
    moderator = world.users["moderator"]
    resource = world.published
    services.resource_update(resource=resource, actor=moderator, data={"title": "Renamed case"})
    services.resource_update(
        resource=resource, actor=moderator, data={"summary": "New summary."}, tags=["Audit"]
    )
    revisions = list(resource.revisions.order_by("id"))
    assert [r.data["title"] for r in revisions] == ["Published case", "Renamed case"]
    assert revisions[1].data["summary"] == "A short summary."
    assert revisions[1].editor == moderator
    assert AuditEntry.objects.filter(action="resource.edit", actor=moderator).count() == 2
    page = Client().get(f"/library/{resource.pk}/").content.decode()
    assert "Renamed case" in page
    assert "New summary." in page


def test_moderator_creates_and_publishes_directly(world, login):
    response = login(world.users["moderator"]).post(
        "/library/submit/", {**resource_form(title="Direct toolkit"), "publish": "1"}
    )
    resource = Resource.objects.get(title="Direct toolkit")
    assert response["Location"] == resource.get_absolute_url()
    assert resource.status == "published"
    assert resource.published_at is not None
    assert AuditEntry.objects.filter(action="resource.create", target_id=str(resource.pk)).exists()


def test_member_cannot_publish_directly(world, login):
    response = login(world.users["member"]).post(
        "/library/submit/", {**resource_form(title="Sneaky"), "publish": "1"}
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "Only moderators" in response.content.decode()
    assert not Resource.objects.filter(title="Sneaky").exists()


def test_featured_resources_show_on_the_community_page(world, login):
    def featured() -> list[str]:
        sections = Client().get("/c/e-government/").context["sections"]
        return [r.title for r in sections["featured"]]

    moderator = world.users["moderator"]
    assert featured() == []
    login(moderator).post(f"/library/{world.published.pk}/feature/", {"on": "1"})
    assert featured() == ["Published case"]
    assert AuditEntry.objects.filter(action="resource.feature").count() == 1
    with pytest.raises(ValidationError):
        services.resource_set_featured(resource=world.submitted, actor=moderator, featured=True)
    login(moderator).post(f"/library/{world.published.pk}/feature/", {"on": "0"})
    assert featured() == []
    assert AuditEntry.objects.filter(action="resource.unfeature").count() == 1
    services.resource_set_featured(resource=world.published, actor=moderator, featured=True)
    services.resource_archive(resource=world.published, actor=moderator)
    assert featured() == []
    assert "Published case" not in Client().get("/c/e-government/").content.decode()
    assert Client().get(f"/library/{world.published.pk}/").status_code == HTTPStatus.NOT_FOUND


def test_collections_span_communities_and_keep_their_order(
    world, communities, make_resource, login
):
    first = make_resource(title="First in order", community="ai")
    second = make_resource(title="Second in order", community="innovation")
    hidden = make_resource(title="Not public", status="submitted", submitter=world.users["member"])
    staff = login(world.users["staff"])
    response = staff.post(
        "/library/collections/new/",
        {
            "title_en": "COVID-19",
            "title_ru": "Ответы на COVID-19",
            "communities": [communities["ai"].pk, communities["innovation"].pk],
        },
    )
    # A new collection goes on to its editor, where resources are found and added.
    assert response["Location"] == "/library/collections/covid-19/edit/#add"
    items = "/library/collections/covid-19/items/"
    for resource in (first, second, hidden):
        staff.post(items, {"action": "add", "resource": resource.pk})
    staff.post(items, {"action": "up", "resource": second.pk})
    page = Client().get("/library/collections/covid-19/").content.decode()
    assert page.index("Second in order") < page.index("First in order")
    assert "Not public" not in page
    ru = Client(headers={"accept-language": "ru"}).get("/library/collections/covid-19/")
    assert "Ответы на COVID-19" in ru.content.decode()
    listing = Client().get("/library/collections/").content.decode()
    assert "COVID-19" in listing
    assert "COVID-19 Virtual Alliance" in listing
    # Browsing the library by collection.
    browse = Client().get("/library/", {"collection": "covid-19"}).content.decode()
    assert "First in order" in browse
    assert "Published case" not in browse


def test_a_moderator_keeps_the_communities_of_a_collection_they_do_not_moderate(
    world, communities, login
):
    """Editing a shared collection must not drop communities the editor cannot choose."""
    services.collection_save(
        actor=world.users["staff"],
        data={"title_en": "Shared"},
        communities=[communities["e-government"], communities["ai"]],
        collection=world.collection,
    )
    response = login(world.users["moderator"]).post(
        f"/library/collections/{world.collection.slug}/edit/",
        {
            "title_en": "Shared, renamed",
            "communities": [communities["e-government"].pk],
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    collection = Collection.objects.get(pk=world.collection.pk)
    assert collection.title_en == "Shared, renamed"
    assert set(collection.communities.values_list("slug", flat=True)) == {"e-government", "ai"}


def test_my_submissions_lists_the_status(world, login):
    page = login(world.users["submitter"]).get("/library/mine/").content.decode()
    assert "Pending case" in page
    assert "Waiting for review" in page
    assert "Published case" not in page


def test_moderating_one_community_does_not_open_another_library(world, communities, login):
    response = login(world.users["moderator"]).post(
        f"/library/{world.published.pk}/edit/",
        resource_form(title="Published case", communities=["e-government", "ai"]),
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(Refusal):
        services.resource_update(
            resource=world.published,
            actor=world.users["moderator"],
            data={},
            communities=[communities["ai"]],
        )
    assert list(world.published.communities.values_list("slug", flat=True)) == ["e-government"]
    # Staff may.
    services.resource_update(
        resource=world.published,
        actor=world.users["staff"],
        data={},
        communities=[communities["ai"], communities["e-government"]],
    )
    assert world.published.communities.count() == 2


@pytest.mark.parametrize(
    ("who", "may_remove_ai"),
    [("moderator", False), ("other_moderator", True), ("staff", True)],
)
def test_taking_a_shared_resource_out_of_a_community_needs_its_moderation(
    world, communities, login, who, may_remove_ai
):
    """The e-government moderator may edit a resource shared with the AI community, but only
    an AI moderator (or staff) may take it out of the AI library."""
    ai = communities["ai"]
    shared = world.published
    shared.communities.add(ai)
    response = login(world.users[who]).post(
        f"/library/{shared.pk}/edit/",
        resource_form(title="Published case, edited", communities=["e-government"]),
    )
    slugs = set(shared.communities.values_list("slug", flat=True))
    if may_remove_ai:
        assert response.status_code == HTTPStatus.FOUND
        assert slugs == {"e-government"}
    else:
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        html = response.content.decode()
        assert "Only a moderator of AI and new technologies can take the resource out" in html
        assert 'value="Published case, edited"' in html  # what was typed is kept
        assert slugs == {"e-government", "ai"}
        assert Resource.objects.get(pk=shared.pk).title == "Published case"


def test_a_submitter_may_move_their_own_draft_between_their_communities(world, communities):
    submitter = world.users["submitter"]
    core_services.membership_join(user=submitter, community=communities["ai"])  # both now
    draft = world.submitted
    services.resource_update(
        resource=draft, actor=submitter, data={}, communities=[communities["ai"]]
    )
    assert list(draft.communities.values_list("slug", flat=True)) == ["ai"]


def test_a_collections_address_is_made_from_its_title(world, communities):
    curator = world.collection.created_by
    egov = communities["e-government"]
    again = services.collection_save(
        actor=curator, data={"title_en": "COVID-19 Virtual Alliance"}, communities=[egov]
    )
    assert world.collection.slug == "covid-19-virtual-alliance"
    assert again.slug == "covid-19-virtual-alliance-2"
    kazakh = services.collection_save(
        actor=curator, data={"title_kk": "Қызмет көрсету"}, communities=[egov]
    )
    assert kazakh.slug  # never empty, whatever the alphabet
    assert not Collection.objects.filter(slug="").exists()
