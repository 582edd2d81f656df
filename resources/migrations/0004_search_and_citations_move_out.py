"""The search index moved to the ``search`` app and citations to ``forums``: the models leave
this app's state; their tables, with every row, stay where they are (they keep their names)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0003_search_facet_covering_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="searchentry",
                    name="community",
                ),
                migrations.RemoveField(
                    model_name="searchfacet",
                    name="entry",
                ),
                migrations.DeleteModel(
                    name="Citation",
                ),
                migrations.DeleteModel(
                    name="SearchEntry",
                ),
                migrations.DeleteModel(
                    name="SearchFacet",
                ),
            ],
            database_operations=[],
        ),
    ]
