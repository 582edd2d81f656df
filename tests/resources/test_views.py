"""Library pages: browsing with filters and sorts, the resource page, "discussed in", and
their query budgets."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.test import Client

from forums import services as thread_services
from forums.models import Citation
from tests.resources.conftest import PDF, upload

pytestmark = pytest.mark.django_db


def card_titles(html: str) -> list[str]:
    return re.findall(r'<h3 lang="[a-z]+"><a href="/library/\d+/">([^<]+)</a></h3>', html)


@pytest.fixture
def shelf(make_resource):
    """Five published resources that differ in every filterable way, and one not published."""
    return {
        "a": make_resource(
            title="Alpha one-stop shops",
            kind="case",
            countries=["KZ", "KG"],
            year=2019,
            language="en",
            community="one-stop-shop",
            tags=["Service centres"],
            source="Astana Civil Service Hub",
            summary="Service centres in two countries.",
        ),
        "b": make_resource(
            title="Бета: цифрлық үкімет",
            kind="toolkit",
            countries=["KZ"],
            year=2022,
            language="kk",
            community="e-government",
        ),
        "c": make_resource(
            title="Гамма: инновации",
            kind="publication",
            countries=["GE"],
            year=2023,
            language="ru",
            community=["innovation", "e-government"],
        ),
        "d": make_resource(
            title="Delta AI ethics", kind="journal", countries=[], year=2024, community="ai"
        ),
        "e": make_resource(
            title="Epsilon recording", kind="recording", year=None, countries=[], community="ai"
        ),
        "hidden": make_resource(title="Zeta pending", status="submitted"),
    }


def test_library_cards_show_the_metadata(shelf, client):
    html = client.get("/library/").content.decode()
    card = html[html.index("Alpha one-stop shops") :]
    card = card[: card.index("</li>")]
    for text in (
        "Analytical case",
        "2019",
        "English",
        "Astana Civil Service Hub",
        "Kyrgyzstan, Kazakhstan",  # sorted by code
        "Service centres in two countries.",
    ):
        assert text in card
    assert "5 resources" in html
    assert "Zeta pending" not in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["e", "d", "c", "b", "a"]),
        ({"sort": "oldest"}, ["a", "b", "c", "d", "e"]),
        ({"sort": "title"}, ["a", "d", "e", "b", "c"]),
        ({"kind": "toolkit"}, ["b"]),
        ({"community": "e-government"}, ["c", "b"]),
        ({"country": "KZ"}, ["b", "a"]),
        ({"country": "KG"}, ["a"]),
        ({"year_from": "2022"}, ["d", "c", "b"]),
        ({"year_from": "2020", "year_to": "2023"}, ["c", "b"]),
        ({"language": "ru"}, ["c"]),
        ({"tag": "service-centres"}, ["a"]),
        ({"kind": "case", "country": "GE"}, []),
        ({"year_from": "not a year"}, ["e", "d", "c", "b", "a"]),
    ],
)
def test_library_filters_and_sorts(shelf, client, params, expected):
    html = client.get("/library/", params).content.decode()
    assert card_titles(html) == [shelf[key].title for key in expected]


def test_community_library_shows_only_that_community(shelf, client):
    response = client.get("/c/e-government/library/", {"sort": "title"})
    html = response.content.decode()
    assert card_titles(html) == [shelf["b"].title, shelf["c"].title]
    assert "Library of this community" in html
    assert client.get("/c/atlantis/library/").status_code == HTTPStatus.NOT_FOUND


def test_library_with_words_is_a_resource_search_with_filters(shelf, make_thread, client):
    make_thread(title="Service centres thread", body="Service centres everywhere.")
    html = client.get("/library/", {"q": "centres"}).content.decode()
    assert "1 resource" in html
    assert "Alpha one-stop shops" in html
    assert "Service <mark>centres</mark>" in html
    assert "thread" not in html.lower().split("<main")[1].split("refine")[0]
    assert client.get("/library/", {"q": "centres", "kind": "toolkit"}).context["result"].count == 0


def test_library_search_respects_the_collection_filter(shelf, curator, client):
    from resources import services

    collection = services.collection_save(
        actor=curator, data={"title_en": "Alliance"}, communities=[shelf["a"].communities.get()]
    )
    services.collection_set_items(
        collection=collection, actor=curator, resource_ids=[shelf["d"].pk]
    )
    result = client.get("/library/", {"q": "ai", "collection": "alliance"}).context["result"]
    assert [hit.id for hit in result.results] == [shelf["d"].pk]
    result = client.get("/library/", {"q": "centres", "collection": "alliance"}).context["result"]
    assert result.count == 0


def test_resource_page_shows_everything(make_resource, make_thread, make_reply, client, tmp_path):
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path):
        related = make_resource(title="A related toolkit", kind="toolkit")
        unpublished = make_resource(title="Unpublished neighbour", status="submitted")
        resource = make_resource(
            title="Full resource",
            summary="The summary of it.",
            body="## Findings\n\n* first\n* **second**\n\n<script>alert(1)</script>",
            url="https://example.org/report",
            authors="A. Author; B. Author",
            source="Astana Civil Service Hub",
            licence="CC BY 4.0",
            countries=["KZ", "UZ"],
            tags=["Reform"],
            files=[upload("report.pdf", PDF)],
        )
        resource.related.add(related, unpublished)
        html = client.get(resource.get_absolute_url()).content.decode()
    for text in (
        "The summary of it.",
        "<li><strong>second</strong></li>",
        "https://example.org/report",
        "A. Author; B. Author",
        "Astana Civil Service Hub",
        "CC BY 4.0",
        "Kazakhstan, Uzbekistan",
        "report.pdf",
        "A related toolkit",
        ">Reform</a>",
        "Analytical case",
    ):
        assert text in html, text
    assert "<script>alert(1)</script>" not in html
    assert "Unpublished neighbour" not in html
    assert f'href="/library/{resource.pk}/files/{resource.files.get().pk}/"' in html


def test_discussed_in_lists_threads_that_link_to_the_resource(
    make_resource, make_thread, make_reply, communities, make_member, client
):
    resource = make_resource(title="Cited case")
    url = f"https://cop.example.org/library/{resource.pk}/"
    citing = make_thread(title="Thread citing it", body=f"Have you read {url}?")
    other = make_thread(title="Another thread", body="Nothing to cite.", community="ai")
    reply = make_reply(other, f"Yes: [the case](/library/{resource.pk}/).")
    gone = make_thread(title="Thread to be deleted", body=f"See /library/{resource.pk}/ too.")
    page = client.get(resource.get_absolute_url()).content.decode()
    assert {"Thread citing it", "Another thread", "Thread to be deleted"} <= set(
        re.findall(r'lang="en">([^<]+)</a> <span class="muted small">', page)
    )
    moderator = make_member(communities["ai"], role="moderator")
    thread_services.post_set_hidden(post=reply, actor=moderator, hidden=True)
    staff = make_member(communities["e-government"], role="moderator")
    thread_services.thread_delete(thread=gone, actor=staff)
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "Thread citing it" in page
    assert "Another thread" not in page
    assert "Thread to be deleted" not in page
    # Editing the link away removes the citation.
    opening = citing.posts.get(number=1)
    thread_services.post_edit(post=opening, editor=citing.author, body="No link any more.")
    assert not Citation.objects.filter(resource=resource).exclude(thread=gone).exists()


def test_library_list_budget(make_resource, client, django_assert_max_num_queries):
    for n in range(25):
        make_resource(
            title=f"Budget {n}",
            countries=["KZ", "KG", "UZ"],
            tags=[f"tag {n}", "shared"],
            community=["ai", "innovation", "e-government"],
        )
    with django_assert_max_num_queries(7):
        html = client.get("/library/").content.decode()
    assert len(card_titles(html)) == 20
    with django_assert_max_num_queries(7):
        html = client.get("/c/ai/library/", {"page": 2}).content.decode()
    assert len(card_titles(html)) == 5


def test_resource_page_budget(
    make_resource, make_thread, communities, make_member, login, django_assert_max_num_queries
):
    resource = make_resource(
        title="Heavy",
        tags=[f"tag {n}" for n in range(8)],
        community=["ai", "innovation", "e-government", "one-stop-shop"],
        files=[upload(f"f{n}.pdf", PDF) for n in range(6)],
    )
    for n in range(6):
        resource.related.add(make_resource(title=f"Related {n}"))
    for n in range(8):
        make_thread(title=f"Citing thread {n}", body=f"See /library/{resource.pk}/ now.")
    moderator = make_member(communities["ai"], role="moderator")
    from resources import services

    for n in range(8):
        services.resource_update(resource=resource, actor=moderator, data={"title": f"Heavy {n}"})
    http = login(moderator)
    # 12, one for the events it comes from, one for the moderator's pending counts (header).
    with django_assert_max_num_queries(14):
        html = http.get(resource.get_absolute_url()).content.decode()
    assert html.count("Citing thread") == 8
    assert html.count("f5.pdf") >= 1
    assert "Heavy 7" in html
    assert html.count("· edit</li>") == 8
    with django_assert_max_num_queries(9):
        Client().get(resource.get_absolute_url())


def test_collection_page_budget(make_resource, curator, communities, django_assert_max_num_queries):
    from resources import services

    collection = services.collection_save(
        actor=curator, data={"title_en": "Big"}, communities=list(communities.values())
    )
    made = [make_resource(title=f"Item {n}", tags=["x", f"y{n}"]) for n in range(15)]
    services.collection_set_items(
        collection=collection, actor=curator, resource_ids=[r.pk for r in made]
    )
    with django_assert_max_num_queries(6):
        html = Client().get("/library/collections/big/").content.decode()
    assert html.index("Item 14") > html.index("Item 0")
    with django_assert_max_num_queries(4):
        Client().get("/library/collections/")


def test_related_resources_are_curated_first_then_share_a_tag(
    make_resource, curator, login, client
):
    resource = make_resource(title="Main", tags=["Procurement"])
    curated_b = make_resource(title="Curated B")
    curated_a = make_resource(title="Curated A")
    alike = make_resource(title="Same tag", tags=["procurement"])
    make_resource(title="Same tag, not public", tags=["procurement"], status="submitted")
    make_resource(title="Unrelated", tags=["other"])
    edit = {
        "title": "Main",
        "summary": "A short summary.",
        "kind": "case",
        "communities": ["e-government"],
        "language": "en",
        "tags": "Procurement",
        "related": f"https://cop.example.org/library/{curated_b.pk}/\n#{curated_a.pk}\n",
    }
    bad = login(curator).post(f"/library/{resource.pk}/edit/", {**edit, "related": "page 12"})
    assert bad.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert bad.context["form"].errors["related"] == ["“page 12” is not a resource number or link."]
    missing = login(curator).post(f"/library/{resource.pk}/edit/", {**edit, "related": "999999"})
    assert missing.context["form"].errors["related"] == ["Unknown resources: 999999"]
    response = login(curator).post(f"/library/{resource.pk}/edit/", edit)
    assert response.status_code == HTTPStatus.FOUND
    html = client.get(resource.get_absolute_url()).content.decode()
    section = html[html.index("Related resources") :]
    section = section[: section.index("</section>")]
    assert re.findall(r'lang="en">([^<]+)</a>', section) == ["Curated A", "Curated B", "Same tag"]
    form = login(curator).get(f"/library/{resource.pk}/edit/").content.decode()
    assert f"/library/{curated_b.pk}/\n/library/{curated_a.pk}/</textarea>" in form
    assert f"/library/{alike.pk}/" not in form  # only the curated ones are stored


def test_moderators_see_the_review_queue_link_on_their_library(communities, make_member, login):
    moderator = make_member(communities["ai"], role="moderator")
    own = login(moderator).get("/c/ai/library/").content.decode()
    other = login(moderator).get("/c/innovation/library/").content.decode()
    assert 'href="/c/ai/review/"' in own
    assert "/review/" not in other
