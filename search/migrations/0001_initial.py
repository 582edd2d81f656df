"""The search index, adopted from ``resources`` with its tables, rows, full-text column and
triggers (created by resources 0001-0003): nothing changes in the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cop", "0002_communities"),
        ("resources", "0004_search_and_citations_move_out"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SearchEntry",
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
                        ("doc_type", models.CharField(max_length=10)),
                        ("object_id", models.BigIntegerField()),
                        (
                            "visibility",
                            models.CharField(
                                choices=[("public", "everyone"), ("signed_in", "signed-in people")],
                                max_length=10,
                            ),
                        ),
                        ("title", models.CharField(max_length=300)),
                        ("url", models.CharField(max_length=500)),
                        ("language", models.CharField(blank=True, max_length=8)),
                        ("kind", models.CharField(blank=True, max_length=20)),
                        ("year", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("created", models.DateTimeField()),
                        ("title_norm", models.TextField(blank=True)),
                        ("summary_norm", models.TextField(blank=True)),
                        ("body_norm", models.TextField(blank=True)),
                        ("text", models.TextField(blank=True)),
                        (
                            "community",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="cop.community",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "resources_searchentry",
                    },
                ),
                migrations.CreateModel(
                    name="SearchFacet",
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
                        ("name", models.CharField(max_length=10)),
                        ("value", models.CharField(max_length=64)),
                        (
                            "entry",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="facets",
                                to="search.searchentry",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "resources_searchfacet",
                    },
                ),
                migrations.AddIndex(
                    model_name="searchentry",
                    index=models.Index(fields=["-created", "-id"], name="search_entry_recent"),
                ),
                migrations.AddIndex(
                    model_name="searchentry",
                    index=models.Index(fields=["doc_type", "-created"], name="search_entry_type"),
                ),
                migrations.AddConstraint(
                    model_name="searchentry",
                    constraint=models.UniqueConstraint(
                        fields=("doc_type", "object_id"), name="search_entry_unique"
                    ),
                ),
                migrations.AddIndex(
                    model_name="searchfacet",
                    index=models.Index(
                        fields=["name", "value", "entry"], name="search_facet_lookup"
                    ),
                ),
                migrations.AddIndex(
                    model_name="searchfacet",
                    index=models.Index(
                        fields=["entry", "name", "value"], name="search_facet_entry"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
