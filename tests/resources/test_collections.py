"""Editing a collection's items: search by title and add, move up and down, drag (the JSON
move that collection.js sends), remove; without JavaScript through plain forms, audited in
words, refused to whoever may not curate the collection."""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus

import pytest
from django.test import Client

from core.models import AuditEntry
from resources import services
from resources.models import Collection, CollectionItem, Resource
from tests.htmltree import Node, parse

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "non_member", "member", "other_mod", "moderator", "staff")
ITEM_ACTIONS = ("collection.add", "collection.remove", "collection.move")


def _item_entries():
    return AuditEntry.objects.filter(action__in=ITEM_ACTIONS)


@dataclass
class Shelf:
    collection: Collection
    people: dict
    first: Resource
    second: Resource
    third: Resource
    outside: Resource  # published, not in the collection
    pending: Resource  # submitted, not published

    @property
    def editor(self) -> str:
        return f"/library/collections/{self.collection.slug}/edit/"

    @property
    def items_url(self) -> str:
        return f"/library/collections/{self.collection.slug}/items/"

    @property
    def move_url(self) -> str:
        return f"/library/collections/{self.collection.slug}/move/"


@pytest.fixture
def shelf(communities, make_user, make_member, make_resource, curator) -> Shelf:
    egov, ai = communities["e-government"], communities["ai"]
    people = {
        "anonymous": None,
        "non_member": make_user("outsider"),
        "member": make_member(egov, "member"),
        "other_mod": make_member(ai, "othermod", role="moderator"),
        "moderator": make_member(egov, "moderator", role="moderator"),
        "staff": make_user("staffer", staff=True),
    }
    first = make_resource(title="Бір терезе: кезекті қысқарту", language="kk")
    second = make_resource(title="Электрондық кезек жүйесі", language="kk")
    third = make_resource(title="Digital queues in Tbilisi")
    outside = make_resource(title="КЕЗЕК стандарттары", language="kk", community="ai")
    pending = make_resource(
        title="Кезек туралы жоба", status="submitted", submitter=people["member"]
    )
    collection = services.collection_save(
        actor=curator, data={"title_en": "Queues"}, communities=[egov]
    )
    services.collection_set_items(
        collection=collection, actor=curator, resource_ids=[first.pk, second.pk, third.pk]
    )
    return Shelf(collection, people, first, second, third, outside, pending)


def _order(shelf: Shelf) -> list[int]:
    return list(
        CollectionItem.objects.filter(collection=shelf.collection)
        .order_by("position", "id")
        .values_list("resource_id", flat=True)
    )


def _browser(shelf: Shelf, role: str) -> Client:
    person = shelf.people[role]
    if person is None:
        return Client()
    client = Client()
    client.force_login(person)
    return client


def _listed(page: Node) -> list[int]:
    return [int(li.attrs["data-resource"]) for li in page.find_all("li", class_="sortable-item")]


# --- Who may -------------------------------------------------------------------------------------

ACTIONS = {
    "open_editor": lambda s, b: b.get(s.editor),
    "search": lambda s, b: b.get(
        f"/library/collections/{s.collection.slug}/candidates/",
        {"q": "кезек"},
        headers={"HX-Request": "true"},
    ),
    "add": lambda s, b: b.post(s.items_url, {"action": "add", "resource": s.outside.pk}),
    "move_up": lambda s, b: b.post(s.items_url, {"action": "up", "resource": s.second.pk}),
    "drag": lambda s, b: b.post(
        s.move_url,
        {"resource": s.third.pk, "position": 1},
        headers={"Accept": "application/json"},
    ),
    "remove": lambda s, b: b.post(s.items_url, {"action": "remove", "resource": s.first.pk}),
}
HAPPENED = {
    "open_editor": lambda s, r: r.status_code == HTTPStatus.OK and b"Move up" in r.content,
    "search": lambda s, r: r.status_code == HTTPStatus.OK and "стандарттары" in r.content.decode(),
    "add": lambda s, r: _order(s)[-1] == s.outside.pk,
    "move_up": lambda s, r: _order(s)[:2] == [s.second.pk, s.first.pk],
    "drag": lambda s, r: _order(s)[0] == s.third.pk,
    "remove": lambda s, r: s.first.pk not in _order(s),
}
# Moderators of a community the collection belongs to, and staff; a moderator elsewhere is
# a moderator, but not of this collection.
TABLE = """
action       anonymous non_member member other_mod moderator staff
open_editor  login     403        403    403       yes       yes
search       login     403        403    403       yes       yes
add          login     403        403    403       yes       yes
move_up      login     403        403    403       yes       yes
drag         login     403        403    403       yes       yes
remove       login     403        403    403       yes       yes
"""
EXPECTED = {
    action: dict(zip(ROLES, cells, strict=True))
    for action, *cells in (line.split() for line in TABLE.strip().splitlines()[1:])
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_who_may_edit_a_collections_items(shelf, action, role):
    expected = EXPECTED[action][role]
    before = _order(shelf)
    audited = _item_entries().count()

    response = ACTIONS[action](shelf, _browser(shelf, role))

    assert HAPPENED[action](shelf, response) is (expected == "yes")
    if expected == "login":
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith("/accounts/login/")
    elif expected == "403":
        assert response.status_code == HTTPStatus.FORBIDDEN
    if expected != "yes":
        assert _order(shelf) == before
        assert _item_entries().count() == audited


# --- Without JavaScript --------------------------------------------------------------------------


def test_the_editor_lists_the_items_in_order_with_their_buttons(shelf):
    page = parse(_browser(shelf, "moderator").get(shelf.editor))

    assert _listed(page) == [shelf.first.pk, shelf.second.pk, shelf.third.pk]
    first, *_middle, last = page.find_all("li", class_="sortable-item")
    assert first.one("button", value="up").attrs.get("disabled") is not None
    assert "disabled" not in first.one("button", value="down").attrs
    assert last.one("button", value="down").attrs.get("disabled") is not None
    # Each button names its resource for screen readers; the drag handle waits for the script.
    assert first.one("button", value="remove").text == "Remove: Бір терезе: кезекті қысқарту"
    assert "hidden" in first.one("button", data_handle="").attrs
    assert page.one("ol", data_sortable="").attrs["data-move-url"] == shelf.move_url


def test_search_finds_titles_in_any_case_and_alphabet_and_adds_one(shelf):
    browser = _browser(shelf, "moderator")

    page = parse(browser.get(shelf.editor, {"q": "кезек"}))

    found = page.one("ul", data_candidates="")
    titles = [a.text for a in found.find_all("a")]
    # "кезек" finds "КЕЗЕК", "кезекті" and "кезек"; never the submission that is not published.
    assert titles == [
        "Бір терезе: кезекті қысқарту",
        "КЕЗЕК стандарттары",
        "Электрондық кезек жүйесі",
    ]
    rows = {row.one("a").text: row for row in found.find_all("li")}
    assert rows["Бір терезе: кезекті қысқарту"].find("form") is None
    assert "In the collection" in rows["Бір терезе: кезекті қысқарту"].text
    add = rows["КЕЗЕК стандарттары"].one("form")
    assert add.attrs["action"] == shelf.items_url
    assert add.one("input", name="q").attrs["value"] == "кезек"  # the search survives the add

    response = browser.post(
        shelf.items_url, {"action": "add", "resource": shelf.outside.pk, "q": "кезек"}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{shelf.editor}?q=%D0%BA%D0%B5%D0%B7%D0%B5%D0%BA#add"
    assert _order(shelf)[-1] == shelf.outside.pk
    after = parse(browser.get(response["Location"]))
    assert "Added “КЕЗЕК стандарттары”." in after.one("div", class_="messages").text
    assert after.one("input", id="candidate-q").attrs["value"] == "кезек"
    entry = AuditEntry.objects.get(action="collection.add")
    assert (entry.community.slug, entry.target_repr) == ("e-government", "Queues")
    assert entry.after == {"resource": "КЕЗЕК стандарттары", "position": 4}


def test_a_number_or_a_link_finds_that_resource(shelf):
    browser = _browser(shelf, "moderator")
    for q in (
        str(shelf.outside.pk),
        f"#{shelf.outside.pk}",
        f"https://x.org/library/{shelf.outside.pk}/",
    ):
        page = parse(browser.get(shelf.editor, {"q": q}))
        assert [a.text for a in page.one("ul", data_candidates="").find_all("a")] == [
            "КЕЗЕК стандарттары"
        ]


def test_a_search_that_finds_nothing_says_so(shelf):
    page = parse(_browser(shelf, "moderator").get(shelf.editor, {"q": "жоқ сөз"}))

    assert "No published resource has “жоқ сөз” in its title." in page.one("main").text


def test_moving_up_and_down_and_removing_are_audited_in_words(shelf):
    browser = _browser(shelf, "moderator")

    down = browser.post(shelf.items_url, {"action": "down", "resource": shelf.first.pk})
    assert down["Location"] == f"{shelf.editor}#item-{shelf.first.pk}"
    assert _order(shelf) == [shelf.second.pk, shelf.first.pk, shelf.third.pk]
    browser.post(shelf.items_url, {"action": "up", "resource": shelf.third.pk})
    assert _order(shelf) == [shelf.second.pk, shelf.third.pk, shelf.first.pk]
    # The first cannot go further up: nothing changes, nothing is recorded.
    browser.post(shelf.items_url, {"action": "up", "resource": shelf.second.pk})
    assert _order(shelf) == [shelf.second.pk, shelf.third.pk, shelf.first.pk]
    removed = browser.post(shelf.items_url, {"action": "remove", "resource": shelf.third.pk})
    assert _order(shelf) == [shelf.second.pk, shelf.first.pk]

    page = parse(browser.get(removed["Location"]))
    assert "Removed “Digital queues in Tbilisi”." in page.one("div", class_="messages").text
    log = parse(browser.get("/c/e-government/audit/")).one("tbody").text
    assert "moved a resource within a collection" in log
    assert "position: 1 → 2" in log
    assert "removed a resource from a collection" in log
    assert "resource: Digital queues in Tbilisi → —" in log
    actions = list(_item_entries().order_by("id").values_list("action", flat=True))
    assert actions == ["collection.move", "collection.move", "collection.remove"]
    # Readers see the new order.
    public = Client().get(shelf.collection.get_absolute_url()).content.decode()
    assert public.index("Электрондық кезек жүйесі") < public.index("Бір терезе: кезекті")
    assert "Digital queues in Tbilisi" not in public


def test_bad_input_is_explained_and_changes_nothing(shelf):
    browser = _browser(shelf, "moderator")
    before = _order(shelf)

    cases = [
        ({"action": "add"}, "Choose a resource of the list, then one of its buttons."),
        ({"action": "fly", "resource": shelf.first.pk}, "Choose a resource of the list"),
        ({"action": "add", "resource": shelf.pending.pk}, "Only published resources can join"),
        ({"action": "remove", "resource": shelf.outside.pk}, "not in the collection any more"),
        ({"action": "up", "resource": "²"}, "Choose a resource of the list"),
    ]
    for data, said in cases:
        page = parse(browser.post(shelf.items_url, data, follow=True))
        assert said in page.one("div", class_="messages").text, data

    assert _order(shelf) == before
    assert not _item_entries().exists()
    again = browser.post(
        shelf.items_url, {"action": "add", "resource": shelf.first.pk}, follow=True
    )
    assert "is in the collection already" in parse(again).one("div", class_="messages").text


# --- What collection.js sends --------------------------------------------------------------------


def test_a_drag_puts_the_item_at_its_new_place_and_says_so(shelf):
    browser = _browser(shelf, "moderator")

    response = browser.post(
        shelf.move_url,
        {"resource": shelf.first.pk, "position": 3},
        headers={"Accept": "application/json"},
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "position": 3,
        "count": 3,
        "message": "“Бір терезе: кезекті қысқарту” is now at position 3 of 3.",
    }
    assert _order(shelf) == [shelf.second.pk, shelf.third.pk, shelf.first.pk]
    positions = CollectionItem.objects.filter(collection=shelf.collection).order_by("position")
    assert list(positions.values_list("position", flat=True)) == [0, 1, 2]
    entry = _item_entries().get()
    assert (entry.before["position"], entry.after["position"]) == (1, 3)


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({"resource": "x", "position": 1}, "The new order could not be read."),
        ({"resource": 1, "position": 0}, "The new order could not be read."),
        ({"resource": 999_999, "position": 1}, "not in the collection any more"),
    ],
)
def test_a_drag_that_cannot_be_saved_is_explained(shelf, data, said):
    response = _browser(shelf, "moderator").post(
        shelf.move_url, data, headers={"Accept": "application/json"}
    )

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert said in response.json()["error"]
    assert _order(shelf) == [shelf.first.pk, shelf.second.pk, shelf.third.pk]


def test_the_search_as_you_type_answers_only_the_results(shelf):
    browser = _browser(shelf, "moderator")
    url = f"/library/collections/{shelf.collection.slug}/candidates/"

    live = browser.get(url, {"q": "digital"}, headers={"HX-Request": "true"})
    plain = browser.get(url, {"q": "digital"})

    assert "<html" not in live.content.decode()
    assert [a.text for a in parse(live).one("ul", data_candidates="").find_all("a")] == [
        "Digital queues in Tbilisi"
    ]
    assert plain.status_code == HTTPStatus.FOUND  # a plain link opens the whole editor
    assert plain["Location"] == f"{shelf.editor}?q=digital#add"


# --- Creating, and what it costs ----------------------------------------------------------------


def test_a_new_collection_goes_on_to_adding_resources(shelf, communities):
    response = _browser(shelf, "moderator").post(
        "/library/collections/new/",
        {"title_en": "Open data", "communities": [communities["e-government"].pk]},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/library/collections/open-data/edit/#add"
    page = parse(_browser(shelf, "moderator").get("/library/collections/open-data/edit/"))
    assert page.find("ol", data_sortable="") is None
    assert "This collection is empty. Find resources below and add them." in page.text


def test_the_editor_costs_the_same_for_many_items_and_results(
    shelf, make_resource, curator, django_assert_num_queries
):
    browser = _browser(shelf, "moderator")
    browser.get(shelf.editor, {"q": "кезек"})  # warm: the cached unread count

    # session, user; may curate (any community where; the memberships are cached); collection,
    # its communities, its items with resources; the search; the communities to choose from in
    # the details form; the header's pending counts.
    with django_assert_num_queries(9):
        browser.get(shelf.editor, {"q": "кезек"})
    more = [make_resource(title=f"Кезек {n}") for n in range(30)]
    services.collection_set_items(
        collection=shelf.collection, actor=curator, resource_ids=[r.pk for r in more]
    )
    with django_assert_num_queries(9):
        page = parse(browser.get(shelf.editor, {"q": "кезек"}))

    assert len(_listed(page)) == 30
    assert len(page.one("ul", data_candidates="").find_all("li")) == 20
    assert (
        "type more to narrow them down" in page.one("section", aria_labelledby="add-heading").text
    )
