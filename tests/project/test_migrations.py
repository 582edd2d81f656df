"""A database made before the apps were split (search index and citations in ``resources``)
migrates forward with every row, and the moved tables still work: full-text search finds what
was indexed before, citations still show where a resource is discussed."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from forums.models import Citation, Post, Thread
from resources.models import Resource
from resources.selectors import discussion_list
from search.models import SearchEntry, SearchFacet
from search.normalize import index_text
from search.query import SearchParams, search
from tests.conftest import ensure_base_data

# The last migrations of each app before the split, as a database of that time has them.
BEFORE = [("resources", "0003_search_facet_covering_index"), ("forums", "0003_thread_version")]


def _migrate_to(targets) -> object:
    """Migrate the test database to ``targets``; return the app registry of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_split_keeps_every_row(make_user):
    ensure_base_data()
    old = _migrate_to(BEFORE)
    applied = MigrationExecutor(connection).loader.applied_migrations
    assert ("search", "0001_initial") not in applied

    # Rows written with the models of that time (historical models: no services exist for them).
    community = old.get_model("cop", "Community").objects.get(slug="e-government")
    author = make_user("archivist")
    now = timezone.now()
    resource = old.get_model("resources", "Resource").objects.create(
        title="Мемлекеттік сатып алу жүйесін реформалау",
        summary="Ашық тендерлер.",
        kind="case",
        language="kk",
        status="published",
        published_at=now,
    )
    resource.communities.add(community)
    thread = old.get_model("forums", "Thread").objects.create(
        community=community, author_id=author.pk, title="Сатып алу", language="kk",
        last_activity=now, last_post_number=1,
    )  # fmt: skip
    post = old.get_model("forums", "Post").objects.create(
        thread=thread, number=1, author_id=author.pk, body=f"/library/{resource.pk}/",
        html="<p>link</p>", language="kk",
    )  # fmt: skip
    old.get_model("resources", "Citation").objects.create(
        resource=resource, post=post, thread=thread
    )
    collection = old.get_model("resources", "Collection").objects.create(
        slug="procurement", title_en="Procurement"
    )
    old.get_model("resources", "CollectionItem").objects.create(
        collection=collection, resource=resource, position=0
    )
    entry = old.get_model("resources", "SearchEntry").objects.create(
        doc_type="resource", object_id=resource.pk, visibility="public", title=resource.title,
        url=f"/library/{resource.pk}/", language="kk", kind="case", created=now,
        title_norm=index_text(resource.title, "kk"), text="Ашық тендерлер.",
    )  # fmt: skip
    old.get_model("resources", "SearchFacet").objects.bulk_create(
        [
            old.get_model("resources", "SearchFacet")(entry=entry, name=name, value=value)
            for name, value in (("type", "resource"), ("community", "e-government"))
        ]
    )

    call_command("migrate", verbosity=0)

    # Same tables, same rows, now under their new apps.
    assert Citation.objects.get().post_id == post.pk
    assert [d.url for d in discussion_list(resource=Resource.objects.get(pk=resource.pk))] == [
        Thread.objects.get(pk=thread.pk).get_absolute_url()
    ]
    assert Post.objects.get(pk=post.pk).body == f"/library/{resource.pk}/"
    moved = SearchEntry.objects.get(doc_type="resource", object_id=resource.pk)
    assert moved.pk == entry.pk
    # The collection filter became a facet of the resource's entry.
    assert set(SearchFacet.objects.filter(entry=moved).values_list("name", "value")) == {
        ("type", "resource"),
        ("community", "e-government"),
        ("collection", "procurement"),
    }
    # The full-text index built on the old table (column or FTS table and triggers) still
    # answers, through the new app, with the old row.
    found = search(user=None, params=SearchParams(q="мемлекеттік", collection="procurement"))
    assert [hit.id for hit in found.results] == [resource.pk]
