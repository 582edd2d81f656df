""" "Download my data": completeness, what the zip holds, the worker, the link, the expiry."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts import export
from accounts.models import DataExport, Notification
from accounts.personal_data import exclusions, sections
from core.models import AuditEntry
from core.worker import periodic_jobs, tasks_run
from tests.htmltree import parse

User = apps.get_model(settings.AUTH_USER_MODEL)


def models_with_people() -> set[str]:
    """Every installed model with a foreign key, one-to-one or many-to-many to the user."""
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not field.concrete or field.related_model is not User:
                continue
            if field.many_to_one or field.one_to_one or field.many_to_many:
                found.add(model._meta.label)
    return found


def test_every_model_that_holds_a_persons_data_is_exported_or_excluded_with_a_reason():
    """Adding a model with a user foreign key fails here until it is registered in
    accounts.personal_data (exported) or excluded there with a reason."""
    exported = {label for section in sections() for label in section.models}
    excluded = {item.model for item in exclusions()}
    assert all(item.reason.strip() for item in exclusions())
    undecided = models_with_people() - exported - excluded - {"accounts.User"}
    assert undecided == set(), f"no export decision for {sorted(undecided)}"
    assert not exported & excluded


def test_completeness_check_notices_a_new_model():
    """The check above really looks at the models: one more model with a user FK shows up."""
    from django.db import models

    class Scrapbook(models.Model):
        owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)

        class Meta:
            app_label = "accounts"

        def __str__(self) -> str:
            return "scrapbook"

    try:
        assert "accounts.Scrapbook" in models_with_people()
    finally:
        del apps.all_models["accounts"]["scrapbook"]
        apps.clear_cache()


def zip_of(data_export: DataExport) -> zipfile.ZipFile:
    with data_export.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def test_export_holds_every_section_with_the_persons_data(
    active_person, login, mailoutbox, django_capture_on_commit_callbacks
):
    person = active_person["person"]
    client = login(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/profile/data/")
    assert response.status_code == HTTPStatus.FOUND
    made = DataExport.objects.get(user=person)
    assert made.status == DataExport.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks_run() >= 1
    made.refresh_from_db()
    assert made.status == DataExport.Status.READY

    archive = zip_of(made)
    names = set(archive.namelist())
    expected = {
        "profile.json", "posts.json", "chat_messages.json", "reactions.json",
        "bookmarks.json", "follows.json", "submissions.json", "notifications.json",
        "saved_searches.json", "registrations.json", "email_preferences.json",
        "reports.json", "README.txt",
    }  # fmt: skip
    assert expected <= names
    assert [n for n in names if n.startswith("files/library/")] == [
        f"files/library/{active_person['resource'].pk}/"
        f"{active_person['resource'].files.get().pk}-case.pdf"
    ]
    read = {name: json.loads(archive.read(name)) for name in names if name.endswith(".json")}
    profile = read["profile.json"]
    assert profile["email"] == "zarina.deletova@example.org"
    assert profile["display_name"] == "Zarina Deletova"
    assert profile["email_audience"] == "nobody"
    assert [(c["community__slug"], c["role"]) for c in profile["communities"]] == [
        ("e-government", "member")
    ]
    assert "secret" not in json.dumps(profile["two_factor"])
    posts = read["posts.json"]
    assert [t["title"] for t in posts["threads"]] == ["Registries that talk to each other"]
    assert [p["body"] for p in posts["posts"]] == [
        "Our base registries do not share identifiers.",
        "Which hub did you use?",
    ]  # only their own posts, not the colleague's reply
    assert [m["body"] for m in read["chat_messages.json"]] == ["Hello from the registry team"]
    assert [r["kind"] for r in read["reactions.json"]] == ["thanks"]
    assert [b["post_id"] for b in read["bookmarks.json"]] == [active_person["reply"].pk]
    assert [f["thread__title"] for f in read["follows.json"]] == [
        "Registries that talk to each other"
    ]
    assert [s["title"] for s in read["submissions.json"]] == ["Registry interoperability case"]
    assert [s["name"] for s in read["saved_searches.json"]] == ["Registries"]
    assert [r["event_id"] for r in read["registrations.json"]] == [active_person["event"].pk]
    readme = archive.read("README.txt").decode()
    assert "posts.json" in readme
    assert "cop.AuditEntry" in readme  # exclusions are explained

    # The person is told: an inbox entry and an e-mail, both with the link.
    entry = Notification.objects.get(recipient=person, kind=Notification.Kind.ACCOUNT)
    assert entry.data["what"] == "export_ready"
    assert entry.url.startswith("/profile/data/")
    notice = [m for m in mailoutbox if m.to == ["zarina.deletova@example.org"]][-1]
    assert entry.url in notice.body
    inbox = client.get("/notifications/").content.decode()
    assert "Your data export is ready to download" in inbox

    download = client.get(entry.url)
    assert download.status_code == HTTPStatus.OK
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content)[:2] == b"PK"


def test_a_second_request_while_one_runs_returns_the_running_one(active_person):
    person = active_person["person"]
    first = export.export_request(user=person)
    second = export.export_request(user=person)
    assert first.pk == second.pk
    assert DataExport.objects.filter(user=person).count() == 1
    DataExport.objects.filter(pk=first.pk).update(status=DataExport.Status.RUNNING)
    assert export.export_request(user=person).pk == first.pk
    DataExport.objects.filter(pk=first.pk).update(status=DataExport.Status.READY)
    assert export.export_request(user=person).pk != first.pk  # a finished one: a new export


def test_an_export_whose_worker_died_does_not_block_a_new_one(active_person):
    person = active_person["person"]
    stuck = export.export_request(user=person)
    DataExport.objects.filter(pk=stuck.pk).update(
        status=DataExport.Status.RUNNING, created=timezone.now() - timedelta(hours=7)
    )
    fresh = export.export_request(user=person)
    assert fresh.pk != stuck.pk
    stuck.refresh_from_db()
    assert stuck.status == DataExport.Status.FAILED


def test_the_link_is_only_the_persons_and_expires(active_person, make_user, login):
    person = active_person["person"]
    made = DataExport.objects.create(user=person, status=DataExport.Status.READY)
    made.file.save("data.zip", ContentFile(b"PK\x03\x04"), save=True)
    url = export.download_url(made)

    assert login(person).get(url).status_code == HTTPStatus.OK
    stranger = login(make_user("stranger"))
    assert stranger.get(url).status_code == HTTPStatus.NOT_FOUND
    anonymous = login(person).__class__()
    assert anonymous.get(url).status_code == HTTPStatus.FOUND  # to the sign-in page
    tampered = login(person).get(url[:-3] + "xyz/")
    assert tampered.status_code == HTTPStatus.NOT_FOUND
    assert "This download link has expired" in tampered.content.decode()


def test_zips_are_deleted_after_seven_days(active_person, media):
    person = active_person["person"]
    old = DataExport.objects.create(user=person, status=DataExport.Status.READY)
    old.file.save("old.zip", ContentFile(b"PK"), save=True)
    DataExport.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=8))
    fresh = DataExport.objects.create(user=person, status=DataExport.Status.READY)
    fresh.file.save("fresh.zip", ContentFile(b"PK"), save=True)
    path = old.file.path

    assert export.exports_expire() == 1
    assert list(DataExport.objects.values_list("pk", flat=True)) == [fresh.pk]
    import os

    assert not os.path.exists(path)
    assert "accounts.exports_expire" in {job.name for job in periodic_jobs()}


@pytest.mark.parametrize("role", ["staff", "member"])
def test_staff_export_on_someones_behalf_is_audited(active_person, make_user, role, login):
    person = active_person["person"]
    actor = make_user("dpo", staff=True, is_superuser=True) if role == "staff" else person
    client = login(actor)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "export_data", "_selected_action": [person.pk]},
    )
    if role == "staff":
        assert response.status_code == HTTPStatus.FOUND
        assert DataExport.objects.get(user=person).requested_by == actor
        entry = AuditEntry.objects.get(action="account.export")
        assert (entry.actor, entry.target_id) == (actor, str(person.pk))
    else:
        assert response.status_code == HTTPStatus.FOUND  # to the admin's sign-in
        assert "/admin/login/" in response["Location"]
        assert not DataExport.objects.exists()
        assert not AuditEntry.objects.filter(action="account.export").exists()


def test_the_page_asks_once_while_an_export_is_being_prepared(active_person, login):
    person = active_person["person"]
    client = login(person)
    page = client.get("/profile/data/")
    tree = parse(page.content)
    assert [h.text for h in tree.find_all("h2")][-2:] == ["Download my data", "Delete my account"]

    first = client.post("/profile/data/", follow=True)
    second = client.post("/profile/data/", follow=True)
    assert DataExport.objects.filter(user=person).count() == 1
    for response in (first, second):
        assert "We are preparing your data" in response.content.decode()
    listed = parse(second.content).find_all("li")
    assert any("waiting" in item.text for item in listed)


def test_the_notice_is_in_the_persons_language(active_person, mailoutbox, work):
    person = active_person["person"]
    person.language = "kk"
    person.save(update_fields=["language"])
    work(export.export_request, user=person)
    notice = [m for m in mailoutbox if m.to == [person.email]][-1]
    assert "Деректеріңіздің экспорты дайын" in notice.subject
    made = DataExport.objects.get(user=person)
    readme = zip_of(made).read("README.txt").decode()
    assert "Енгізілмегені және себебі:" in readme


def test_members_api_query_count_does_not_grow_with_people(
    communities, make_member, client, django_assert_max_num_queries
):
    for number in range(30):
        make_member(communities["ai"], f"person{number}", organisation="Agency")
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/members")
    assert response.json()["count"] == 30
