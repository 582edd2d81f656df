"""The JSON API (django-ninja): search, the library, validation errors and the OpenAPI schema."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from tests.resources.conftest import PDF, upload

pytestmark = pytest.mark.django_db


def test_search_returns_the_documented_shape(make_resource, make_thread, client):
    resource = make_resource(
        title="Мемлекеттік қызмет хабы",
        summary="Хаб 2013 жылдан бастап жұмыс істейді.",
        language="kk",
        kind="publication",
        year=2013,
    )
    make_thread(title="Жаңа хаб", body="Хабтың жұмысы туралы.", language="kk")
    response = client.get("/api/v1/search", {"q": "хабының", "type": "resource"})
    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body["count"] == 1
    assert body["page"] == 1
    assert body["pages"] == 1
    assert body["capped"] is False
    (hit,) = body["results"]
    assert {k: hit[k] for k in ("type", "id", "title", "url", "language", "kind", "year")} == {
        "type": "resource",
        "id": resource.pk,
        "title": "Мемлекеттік қызмет хабы",
        "url": f"/library/{resource.pk}/",
        "language": "kk",
        "kind": "publication",
        "year": 2013,
    }
    assert hit["snippet"] == "<mark>Хаб</mark> 2013 жылдан бастап жұмыс істейді."
    assert body["facets"]["type"] == [{"value": "resource", "label": "Library", "count": 1}]
    assert body["facets"]["kind"] == [
        {"value": "publication", "label": "Research publication", "count": 1}
    ]
    everything = client.get("/api/v1/search", {"q": "хабының"}).json()
    assert everything["count"] == 2
    assert {item["value"]: item["count"] for item in everything["facets"]["type"]} == {
        "resource": 1,
        "thread": 1,
    }


def test_search_without_words_lists_everything_newest_first(make_resource, client):
    older = make_resource(title="Older")
    newer = make_resource(title="Newer")
    body = client.get("/api/v1/search").json()
    assert [r["id"] for r in body["results"]] == [newer.pk, older.pk]


def test_search_pages(make_resource, client):
    for n in range(7):
        make_resource(title=f"Ledger {n}")
    body = client.get("/api/v1/search", {"q": "ledger", "per_page": 3, "page": 3}).json()
    assert (body["count"], body["pages"], body["page"], len(body["results"])) == (7, 3, 3, 1)


def test_empty_parameters_mean_not_given_and_slugs_ignore_case(make_resource, client):
    toolkit = make_resource(title="Harvest toolkit", kind="toolkit", countries=["KZ"], year=2020)
    make_resource(title="Harvest case", kind="case", countries=["KG"], year=2021)
    blank = {
        "q": "harvest",
        **dict.fromkeys(
            ("type", "community", "kind", "country", "language", "year_from", "year_to", "page"),
            "",
        ),
    }
    response = client.get("/api/v1/search", blank)
    assert response.status_code == HTTPStatus.OK
    assert response.json()["count"] == 2
    shouted = client.get(
        "/api/v1/search",
        {"q": "HARVEST", "type": "Resource", "kind": "TOOLKIT", "community": "E-Government"},
    ).json()
    assert [r["id"] for r in shouted["results"]] == [toolkit.pk]
    listing = client.get("/api/v1/resources", {"kind": "", "year_from": "", "sort": ""})
    assert listing.status_code == HTTPStatus.OK
    assert listing.json()["count"] == 2


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/search", {"year_from": "last year"}, "year_from"),
        ("/api/v1/search", {"year_to": "1800"}, "year_to"),
        ("/api/v1/search", {"page": "0"}, "page"),
        ("/api/v1/search", {"per_page": "500"}, "per_page"),
        ("/api/v1/search", {"type": "users"}, "type"),
        ("/api/v1/search", {"kind": "essay"}, "kind"),
        ("/api/v1/search", {"language": "fr"}, "language"),
        ("/api/v1/search", {"country": "KAZ"}, "country"),
        ("/api/v1/search", {"community": "No Spaces"}, "community"),
        ("/api/v1/search", {"order": "random"}, "order"),
        ("/api/v1/resources", {"sort": "popular"}, "sort"),
        ("/api/v1/resources", {"year_from": "1.5"}, "year_from"),
        ("/api/v1/resources", {"page": "-1"}, "page"),
        ("/api/v1/resources/abc", {}, "resource_id"),
    ],
)
def test_a_malformed_parameter_is_a_422_naming_the_field(client, communities, path, params, field):
    response = client.get(path, params)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    errors = response.json()["detail"]
    assert [error["loc"][-1] for error in errors] == [field]
    assert all(error["msg"] for error in errors)


def test_openapi_schema_lists_the_three_endpoints(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == HTTPStatus.OK
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/search", "/api/v1/resources", "/api/v1/resources/{resource_id}"} <= set(
        schema["paths"]
    )
    search = schema["paths"]["/api/v1/search"]["get"]
    names = {p["name"] for p in search["parameters"]}
    assert {"q", "type", "community", "kind", "country", "language", "year_from", "year_to"} <= (
        names
    )
    assert {"page", "tag", "order"} <= names
    result = schema["components"]["schemas"]["SearchOut"]["properties"]
    assert {"count", "results", "facets"} <= set(result)


def test_resource_list_filters_and_hides_unpublished(make_resource, client):
    kz = make_resource(title="KZ case", countries=["KZ"], year=2020, tags=["Open data"])
    make_resource(title="KG toolkit", countries=["KG"], kind="toolkit", community="ai", year=2024)
    make_resource(title="Pending", status="submitted")
    body = client.get("/api/v1/resources").json()
    assert body["count"] == 2
    assert {r["title"] for r in body["results"]} == {"KZ case", "KG toolkit"}
    only = client.get("/api/v1/resources", {"country": "kz"}).json()
    assert [r["id"] for r in only["results"]] == [kz.pk]
    assert only["results"][0]["tags"] == ["open-data"]
    assert only["results"][0]["communities"] == ["e-government"]
    assert client.get("/api/v1/resources", {"kind": "toolkit"}).json()["count"] == 1
    assert client.get("/api/v1/resources", {"community": "ai"}).json()["count"] == 1
    assert client.get("/api/v1/resources", {"community": "nowhere"}).json()["count"] == 0
    assert client.get("/api/v1/resources", {"year_from": 2021}).json()["count"] == 1
    assert client.get("/api/v1/resources", {"tag": "open-data"}).json()["count"] == 1
    titles = [
        r["title"] for r in client.get("/api/v1/resources", {"sort": "title"}).json()["results"]
    ]
    assert titles == ["KG toolkit", "KZ case"]


def test_resource_detail(make_resource, make_thread, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    other = make_resource(title="Other")
    resource = make_resource(
        title="Detailed",
        body="Some **bold** text.",
        licence="CC BY 4.0",
        files=[upload("plan.pdf", PDF)],
    )
    resource.related.add(other)
    thread = make_thread(title="Citing thread", body=f"See /library/{resource.pk}/ for details.")
    body = client.get(f"/api/v1/resources/{resource.pk}").json()
    assert body["body_html"] == "<p>Some <strong>bold</strong> text.</p>\n"
    assert body["licence"] == "CC BY 4.0"
    assert body["files"] == [
        {
            "name": "plan.pdf",
            "url": resource.files.get().get_absolute_url(),
            "content_type": "application/pdf",
            "size": len(PDF),
        }
    ]
    assert body["related"] == [other.pk]
    assert body["discussed_in"] == [thread.get_absolute_url()]


def test_unpublished_resource_detail_only_for_its_readers(
    make_resource, communities, make_member, client, login
):
    submitter = make_member(communities["e-government"])
    pending = make_resource(title="Pending", status="submitted", submitter=submitter)
    assert client.get(f"/api/v1/resources/{pending.pk}").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/api/v1/resources/999999").json() == {"detail": "Not found."}
    mine = login(submitter).get(f"/api/v1/resources/{pending.pk}")
    assert mine.status_code == HTTPStatus.OK
    assert mine.json()["title"] == "Pending"


def test_resource_list_budget(make_resource, client, django_assert_max_num_queries):
    for n in range(30):
        make_resource(title=f"R{n}", tags=[f"t{n}", "shared"], community=["ai", "innovation"])
    with django_assert_max_num_queries(5):
        body = client.get("/api/v1/resources").json()
    assert len(body["results"]) == 20
    assert all(set(r["communities"]) == {"ai", "innovation"} for r in body["results"])
