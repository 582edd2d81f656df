"""Citations (a post links to a library resource) now belong to the forum; the table
``resources_citation`` and its rows stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0003_thread_version"),
        ("resources", "0004_search_and_citations_move_out"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Citation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "post",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="forums.post",
                            ),
                        ),
                        (
                            "resource",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="citations",
                                to="resources.resource",
                            ),
                        ),
                        (
                            "thread",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="forums.thread",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "resources_citation",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("resource", "post"), name="citation_unique"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
