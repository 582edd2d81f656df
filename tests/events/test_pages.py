"""Event pages as people use them: lists with filters, the event page's states, the forms
(bad input keeps what was typed), registration, registrants and the CSV, the API."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Event, Registration
from tests.htmltree import parse

pytestmark = pytest.mark.django_db


def _form(**overrides):
    values = {
        "title": "Peer-learning: one-stop shops",
        "kind": "peer-learning",
        "starts_at": "2027-04-20T15:00",
        "ends_at": "2027-04-20T16:30",
        "time_zone": "Asia/Almaty",
        "body": "Bring your **questions**.",
        "language": "en",
        "languages": ["en", "ru"],
        "join_url": "https://meet.example.org/osc",
        "venue": "",
        "capacity": "30",
        "speakers": "@aigerim\nMaria Rossi",
    }
    values.update(overrides)
    return values


def test_a_moderator_creates_an_event_in_their_zone(login, people):
    response = login(people["moderator"]).post(
        reverse("event_create", args=["e-government"]), _form()
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    assert event.starts_at.isoformat() == "2027-04-20T10:00:00+00:00"  # 15:00 in Almaty
    assert [s.display_name for s in event.speakers.all()] == [people["member"].name, "Maria Rossi"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_at": "2027-04-20T14:00"}, "The event must end after it starts."),
        ({"capacity": "0"}, "The capacity must be at least 1"),
        ({"capacity": "-3"}, "The capacity must be at least 1"),
        ({"join_url": "javascript:alert(1)"}, "The join link must start with https://"),
        ({"time_zone": "Mars/Olympus_Mons"}, "Unknown time zone “Mars/Olympus_Mons”"),
    ],
)
def test_bad_input_keeps_the_form(login, people, overrides, message):
    response = login(people["moderator"]).post(
        reverse("event_create", args=["e-government"]), _form(**overrides)
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert message in page
    tree = parse(page)
    assert tree.find("input", name="title").attrs["value"] == "Peer-learning: one-stop shops"
    assert "Bring your **questions**." in tree.find("textarea", name="body").text
    assert not Event.objects.exists()


def test_members_cannot_create_and_the_page_says_why(login, people):
    response = login(people["member"]).get(reverse("event_create", args=["e-government"]))
    assert response.status_code == 403
    assert "Only moderators of this community can do this." in response.content.decode()
    assert login(people["moderator"]).get(reverse("event_create_hub")).status_code == 403
    assert login(people["staff"]).get(reverse("event_create_hub")).status_code == 200


def test_lists_filter_and_show_hub_wide_events_in_every_community(client, make_event, people):
    webinar = make_event(title="Webinar on registries")
    conference = make_event(community=None, kind="conference", title="Annual conference",
                            languages=["en"], language="en")  # fmt: skip
    other = make_event(community="innovation", title="Innovation lab", actor=people["other_mod"])
    past = make_event(title="Last year's session", starts_at=timezone.now() - timedelta(days=30))

    def titles(url, **params):
        tree = parse(client.get(url, params).content.decode())
        return [row.find("h2").find("a").text for row in tree.find_all("li", class_="event-row")]

    egov = reverse("community_events", args=["e-government"])
    assert titles(egov) == [webinar.title, conference.title]  # same day: in creation order
    assert titles(egov, kind="conference") == ["Annual conference"]
    assert titles(egov, language="kk") == [webinar.title]
    assert titles(egov, when="past") == [past.title]
    assert titles(reverse("event_list")) == [webinar.title, conference.title, other.title]
    month = webinar.starts_at.strftime("%Y-%m")
    assert len(titles(reverse("event_list"), month=month)) == 3
    assert titles(reverse("event_list"), month="2001-01") == []
    # A malformed month is said, not a 500.
    response = client.get(reverse("event_list"), {"month": "soon"})
    assert response.status_code == 200
    assert "Give the month as YYYY-MM." in response.content.decode()
    home = client.get("/").content.decode()
    assert "Next events" in home
    assert webinar.title in home


def test_register_waitlist_and_join_link_on_the_page(login, make_event, make_user):
    event = make_event(capacity=1, starts_at=timezone.now() + timedelta(minutes=40))
    first, second = make_user("first"), make_user("second")
    page = (
        login(first).post(reverse("event_register", args=[event.pk]), follow=True).content.decode()
    )
    assert "You are registered." in page
    assert 'id="join-link"' in page  # 40 minutes before: the link shows
    assert "meet.example.org/egov-webinar" in page
    page = (
        login(second).post(reverse("event_register", args=[event.pk]), follow=True).content.decode()
    )
    assert "You are on the waiting list (number 1)." in page
    assert "meet.example.org" not in page
    login(first).post(reverse("event_unregister", args=[event.pk]))
    assert Registration.objects.get(user=second).status == "registered"


def test_anonymous_register_goes_to_sign_in(client, make_event):
    event = make_event()
    response = client.post(reverse("event_register", args=[event.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "meet.example.org" not in client.get(event.get_absolute_url()).content.decode()


def test_registering_for_a_cancelled_event_says_so(login, make_event, make_user, people):
    from core.models import AuditEntry

    event = make_event()
    login(people["moderator"]).post(
        reverse("event_cancel", args=[event.pk]), {"reason": "Speaker ill"}
    )
    assert AuditEntry.objects.get(action="event.cancel").reason == "Speaker ill"
    page = login(make_user("late")).post(reverse("event_register", args=[event.pk]), follow=True)
    assert "This event was cancelled." in page.content.decode()
    assert not Registration.objects.exists()


def test_registrants_page_and_csv_for_moderators_only(login, make_event, make_user, people):
    event = make_event()
    person = make_user(
        "=cmd", display_name="=HYPERLINK(1)", organisation="Ministry of Digital Development"
    )
    services.registration_create(user=person, event=event)
    assert (
        login(people["member"]).get(reverse("event_registrants", args=[event.pk])).status_code
        == 403
    )
    response = login(people["moderator"]).get(
        reverse("event_registrants", args=[event.pk]), {"format": "csv"}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Name", "Username", "E-mail"]
    assert rows[1][0] == "'=HYPERLINK(1)"  # never a formula in a spreadsheet
    assert rows[1][3] == "Ministry of Digital Development"


def test_api_lists_events_without_join_links(client, make_event):
    event = make_event(capacity=5)
    make_event(community=None, title="Hub day", kind="conference")
    listing = client.get("/api/v1/events").json()
    assert listing["count"] == 2
    first = listing["results"][0]
    assert (first["id"], first["community"], first["capacity"], first["online"]) == (
        event.pk,
        "e-government",
        5,
        True,
    )
    assert "join_url" not in first
    detail = client.get(f"/api/v1/events/{event.pk}").json()
    assert detail["speakers"][1] == {"name": "Dr. Jane Smith", "profile": None}
    assert "meet.example.org" not in str(detail)
    assert client.get("/api/v1/events", {"kind": "conference"}).json()["count"] == 1
    assert client.get("/api/v1/events", {"month": "2027-13"}).status_code == 422
    assert client.get("/api/v1/events/999999").status_code == 404
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/events" in schema["paths"]


def test_events_are_in_the_one_search(client, make_event):
    event = make_event(title="Цифрлық трансформация вебинары")
    tree = parse(
        client.get(reverse("search"), {"q": "трансформацию", "type": "event"}).content.decode()
    )
    [hit] = tree.find_all("li", class_="result")
    assert hit.find("a").attrs["href"] == event.get_absolute_url()
    assert hit.find("mark").text == "трансформация"
    assert "Event" in hit.find("p", class_="meta").text


def test_query_budgets_do_not_grow_with_events(
    client, login, make_event, make_user, people, django_assert_max_num_queries
):
    for n in range(15):
        event = make_event(title=f"Session {n}", capacity=10)
        services.registration_create(user=make_user(f"q{n}"), event=event)
    with django_assert_max_num_queries(7):
        page = client.get(reverse("event_list")).content.decode()
    assert page.count('class="event-row') == 15
    reader = login(people["member"])
    with django_assert_max_num_queries(7):
        reader.get(reverse("community_events", args=["e-government"]))
    with django_assert_max_num_queries(9):
        detail = reader.get(event.get_absolute_url()).content.decode()
    assert "1 of 10 places taken" in detail


def test_times_are_the_organisers_clock_whatever_zone_the_moderator_reads_in(login, people):
    """The moderator reads in Almaty (the site's zone, their cookie); the event is in Berlin:
    15:00 typed is 15:00 in Berlin, and editing only the title keeps it there."""
    client = login(people["moderator"])
    client.cookies["tz"] = "Asia/Almaty"
    client.post(
        reverse("event_create", args=["e-government"]),
        _form(time_zone="Europe/Berlin", starts_at="2027-04-20T15:00", ends_at="2027-04-20T16:30"),
    )
    event = Event.objects.get()
    assert event.starts_at.isoformat() == "2027-04-20T13:00:00+00:00"  # 15:00 CEST
    form = parse(client.get(reverse("event_edit", args=[event.pk])).content.decode())
    assert form.find("input", name="starts_at").attrs["value"] == "2027-04-20T15:00"
    client.post(
        reverse("event_edit", args=[event.pk]),
        _form(title="Renamed", time_zone="Europe/Berlin", starts_at="2027-04-20T15:00",
              ends_at="2027-04-20T16:30"),
    )  # fmt: skip
    event.refresh_from_db()
    assert (event.title, event.starts_at.isoformat()) == ("Renamed", "2027-04-20T13:00:00+00:00")


def test_materials_are_the_events_community_resources_only(login, make_event, people, communities):
    from resources import services as library

    event = make_event()
    mine = library.resource_submit(
        actor=people["staff"],
        data={"title": "Recording", "summary": "s", "kind": "recording", "language": "en",
              "year": 2026},
        communities=[communities["e-government"]],
        publish=True,
    )  # fmt: skip
    elsewhere = library.resource_submit(
        actor=people["staff"],
        data={"title": "Other", "summary": "s", "kind": "case", "language": "en", "year": 2026},
        communities=[communities["innovation"]],
        publish=True,
    )
    login(people["moderator"]).post(
        reverse("event_materials", args=[event.pk]),
        {"resources": [str(mine.pk), str(elsewhere.pk), "9" * 30, "x"]},
    )
    assert list(event.resources.all()) == [mine]


def test_the_list_pages_keep_the_filters(client, make_event):
    for n in range(23):
        make_event(title=f"Webinar {n:02d}", starts_at=timezone.now() + timedelta(days=2, hours=n))
    tree = parse(client.get(reverse("event_list"), {"kind": "webinar"}).content.decode())
    assert len(tree.find_all("li", class_="event-row")) == 20
    following = tree.find("a", rel="next").attrs["href"]
    assert following == "?kind=webinar&page=2"
    second = parse(client.get(reverse("event_list") + following).content.decode())
    titles = [row.find("h2").find("a").text for row in second.find_all("li", class_="event-row")]
    assert titles == ["Webinar 20", "Webinar 21", "Webinar 22"]
