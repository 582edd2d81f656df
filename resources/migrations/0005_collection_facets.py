"""Collections filter search as a facet of resource documents (they used to be joined in SQL
by the index): add a ``collection`` facet value to the entry of every resource in one."""

from django.db import migrations


def add_facets(apps, schema_editor):
    SearchEntry = apps.get_model("search", "SearchEntry")
    SearchFacet = apps.get_model("search", "SearchFacet")
    CollectionItem = apps.get_model("resources", "CollectionItem")
    entries = dict(SearchEntry.objects.filter(doc_type="resource").values_list("object_id", "id"))
    items = CollectionItem.objects.filter(resource_id__in=list(entries)).values_list(
        "resource_id", "collection__slug"
    )
    SearchFacet.objects.bulk_create(
        [
            SearchFacet(entry_id=entries[resource_id], name="collection", value=slug[:64])
            for resource_id, slug in items.iterator()
        ],
        batch_size=1000,
    )


def remove_facets(apps, schema_editor):
    apps.get_model("search", "SearchFacet").objects.filter(name="collection").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0004_search_and_citations_move_out"),
        ("search", "0001_initial"),
    ]
    operations = [migrations.RunPython(add_facets, remove_facets)]
