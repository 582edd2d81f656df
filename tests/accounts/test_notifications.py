"""The notification inbox: what each notification says, opening, marking read, the badge."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import selectors, services
from accounts.models import Notification, notification_message
from tests.htmltree import parse

K = Notification.Kind


@pytest.fixture
def people(communities, make_user):
    return make_user("aigerim", display_name="Айгерім"), make_user("timur", display_name="Тимур")


def notify(
    recipient, actor, *, kind=K.REPLY, url="/c/ai/threads/1/", title="Жасанды интеллект", **extra
):
    return services.notification_create(
        recipients=[recipient], kind=kind, actor=actor, url=url, title=title, **extra
    )[0]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "data", "expected"),
    [
        (K.REPLY, {}, "Тимур replied in “Кезек”"),
        (K.MENTION, {}, "Тимур mentioned you in “Кезек”"),
        (K.ACCEPTED, {}, "Тимур accepted your answer in “Кезек”"),
        (K.CHAT_MENTION, {}, "Тимур mentioned you in the chat room “Кезек”"),
        (K.RESOURCE_DECISION, {"decision": "published"}, "Your submission “Кезек” was published"),
        (
            K.RESOURCE_DECISION,
            {"decision": "changes_requested"},
            "Changes were requested to your submission “Кезек”",
        ),
        (
            K.RESOURCE_DECISION,
            {"decision": "rejected"},
            "Your submission “Кезек” was not accepted",
        ),
        (K.RESOURCE_DECISION, {"decision": "submitted"}, "Тимур submitted “Кезек” for review"),
        (K.RESOURCE_DECISION, {"decision": "unknown"}, "Кезек"),
    ],
)
def test_what_a_notification_says(people, kind, data, expected):
    aigerim, timur = people
    item = notify(aigerim, timur, kind=kind, title="Кезек", data=data)
    assert notification_message(item) == expected


def test_a_notification_without_actor_says_someone(people):
    aigerim, _timur = people
    item = notify(aigerim, None, title="Кезек")
    assert notification_message(item) == "Someone replied in “Кезек”"


def test_notification_create_skips_the_actor_and_duplicates(
    people, django_capture_on_commit_callbacks
):
    aigerim, timur = people
    with django_capture_on_commit_callbacks() as callbacks:
        created = services.notification_create(
            recipients=[aigerim, aigerim, timur], kind=K.MENTION, actor=timur, url="/", title="x"
        )
    assert [n.recipient for n in created] == [aigerim]
    # after commit, once each: the cached unread count is dropped, the live badge is rung, the
    # e-mail channel is handed the batch
    assert len(callbacks) == 3
    assert (
        services.notification_create(recipients=[timur], kind=K.MENTION, actor=timur, url="/") == []
    )


def test_inbox_lists_newest_first_with_unread_marked(people, login):
    aigerim, timur = people
    first = notify(aigerim, timur, title="Бірінші")
    notify(aigerim, timur, title="Екінші", excerpt="Онлайн жазылу көмектесті.")
    services.notification_mark_read(user=aigerim, notification_id=first.pk)
    notify(timur, aigerim, title="Not for Aigerim")

    page = parse(login(aigerim).get("/notifications/").content)

    rows = page.one("main").one("ul", class_="plain-list").find_all("li")
    assert [row.find_all("button")[0].text for row in rows] == [
        "Тимур replied in “Екінші”",
        "Тимур replied in “Бірінші”",
    ]
    assert "unread" in rows[0].attrs["class"]
    assert "Онлайн жазылу көмектесті." in rows[0].text
    assert [b.text for b in rows[0].find_all("button")][1:] == ["Mark read"]
    assert "unread" not in rows[1].attrs["class"]
    assert [b.text for b in rows[1].find_all("button")][1:] == []
    # The bell in the header counts the unread one.
    bell = page.one("a", class_="bell")
    assert bell.one("span", class_="badge").text == "1"
    assert bell.attrs["aria-label"] == "Notifications: 1 unread"


def test_opening_a_notification_marks_it_read_and_goes_to_its_place(people, login):
    aigerim, timur = people
    item = notify(aigerim, timur, url="/c/ai/threads/7/?page=2#post-31")

    response = login(aigerim).post(f"/notifications/{item.pk}/")

    assert response.status_code == HTTPStatus.FOUND
    assert response.headers["Location"] == "/c/ai/threads/7/?page=2#post-31"
    item.refresh_from_db()
    assert item.read_at is not None


def test_following_a_notification_link_changes_nothing(people, login):
    # A GET (a prefetching browser, a link shared by mistake) only leads to the place.
    aigerim, timur = people
    item = notify(aigerim, timur, url="/c/ai/threads/7/")

    response = login(aigerim).get(f"/notifications/{item.pk}/")

    assert response.headers["Location"] == "/c/ai/threads/7/"
    item.refresh_from_db()
    assert item.read_at is None


def test_a_notification_never_sends_you_to_another_site(people, login):
    aigerim, timur = people
    item = notify(aigerim, timur, url="https://evil.example/")
    response = login(aigerim).post(f"/notifications/{item.pk}/")
    assert response.headers["Location"] == "/"


def test_someone_elses_notification_is_404(people, login):
    aigerim, timur = people
    item = notify(aigerim, timur)
    client = login(timur)
    assert client.get(f"/notifications/{item.pk}/").status_code == HTTPStatus.NOT_FOUND
    assert client.post(f"/notifications/{item.pk}/").status_code == HTTPStatus.NOT_FOUND
    assert client.post(f"/notifications/{item.pk}/read/").status_code == HTTPStatus.FOUND
    item.refresh_from_db()
    assert item.read_at is None  # marking is limited to one's own


def test_mark_all_read(people, login):
    aigerim, timur = people
    for title in ("a", "b", "c"):
        notify(aigerim, timur, title=title)
    mine_elsewhere = notify(timur, aigerim)
    client = login(aigerim)

    assert client.get("/notifications/read/").status_code == HTTPStatus.METHOD_NOT_ALLOWED
    response = client.post("/notifications/read/")

    assert response.status_code == HTTPStatus.FOUND
    assert response.headers["Location"] == "/notifications/"
    assert selectors.notification_unread_count(user=aigerim) == 0
    mine_elsewhere.refresh_from_db()
    assert mine_elsewhere.read_at is None


def test_mark_read_from_htmx_refreshes_the_page(people, login):
    aigerim, timur = people
    item = notify(aigerim, timur)
    response = login(aigerim).post(
        f"/notifications/{item.pk}/read/", headers={"HX-Request": "true"}
    )
    assert response.status_code == HTTPStatus.NO_CONTENT
    assert response.headers["HX-Refresh"] == "true"
    item.refresh_from_db()
    assert item.read_at is not None


def test_the_inbox_needs_sign_in(client, db):
    response = client.get("/notifications/")
    assert response.status_code == HTTPStatus.FOUND
    assert response.headers["Location"].startswith("/accounts/login/")


def test_inbox_query_count_does_not_grow(people, communities, login, django_assert_max_num_queries):
    aigerim, timur = people
    client = login(aigerim)
    client.get("/notifications/")  # warm: what she moderates (the header's badge) is cached
    notify(aigerim, timur, community=communities["ai"])
    with CaptureQueriesContext(connection) as few:
        client.get("/notifications/")
    for n in range(40):
        notify(aigerim, timur if n % 2 else None, title=f"n{n}", community=communities["ai"])

    with django_assert_max_num_queries(6) as many:
        response = client.get("/notifications/")

    assert len(many.captured_queries) == len(few.captured_queries)
    rows = parse(response.content).one("main").one("ul", class_="plain-list").find_all("li")
    assert len(rows) == 30
    assert parse(response.content).one(
        "a", href=f"?before={Notification.objects.order_by('-id')[29].pk}"
    )


def test_mentions_are_found_by_username_in_any_case_and_alphabet(communities, make_user):
    make_user("Айгерім")
    make_user("timur")
    make_user("gone", is_active=False)
    found = selectors.users_by_username(names={"айгерім", "TIMUR", "gone", "nobody"})
    assert {name: user.username for name, user in found.items()} == {
        "айгерім": "Айгерім",
        "TIMUR": "timur",
    }


def test_the_cached_bell_count_follows_every_change_to_the_inbox(people, login):
    aigerim, timur = people
    browser = login(aigerim)

    def bell() -> str:
        return parse(browser.get("/notifications/").content).one("span", data_live_count="").text

    assert bell() == "0"  # now cached
    first = notify(aigerim, timur, title="Бірінші", data={"post": 1})
    notify(aigerim, timur, title="Екінші", data={"post": 2})
    assert bell() == "2"
    services.notification_mark_read(user=aigerim, notification_id=first.pk)
    assert bell() == "1"
    services.notifications_withdraw(post=2)
    assert bell() == "0"
    assert selectors.notification_unread_count(user=aigerim) == 0
