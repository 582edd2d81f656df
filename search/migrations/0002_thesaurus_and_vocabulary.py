"""The vocabulary and the trilingual thesaurus, loaded from the reviewed file; on PostgreSQL
the title-and-summary vector with the RUM index that ranks inside the index, and a trigram
index for suggestions."""

import logging

import django.db.models.deletion
from django.db import DatabaseError, migrations, models, transaction

from search import postgres, thesaurus, vocabulary

logger = logging.getLogger(__name__)


def _try(schema_editor, sql: str) -> bool:
    """Run ``sql`` in a savepoint: False (and nothing changed) if the server refuses it, as a
    PostgreSQL without the extension's package does."""
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute(sql)
    except DatabaseError as error:
        logger.warning("search: %s failed (%s); continuing without it", sql.split("(")[0], error)
        return False
    return True


def indexes_install(apps, schema_editor):
    """PostgreSQL: the title-and-summary vector with a RUM index (which ranks inside the index;
    GIN where the server lacks the extension), and a trigram index over the vocabulary for "did
    you mean" (Python suggestions without pg_trgm). The whole-text vector keeps its GIN index:
    search/postgres.py says why."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(postgres.HEAD_ADD)
    if _try(schema_editor, "CREATE EXTENSION IF NOT EXISTS rum"):
        schema_editor.execute(postgres.HEAD_RUM_CREATE)
    else:
        schema_editor.execute(postgres.HEAD_GIN_CREATE)
    if _try(schema_editor, "CREATE EXTENSION IF NOT EXISTS pg_trgm"):
        schema_editor.execute(vocabulary.TRIGRAM_CREATE)


def indexes_uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {vocabulary.TRIGRAM_INDEX}")
    schema_editor.execute(postgres.HEAD_DROP)  # its indexes go with it


def title_keys_fill(apps, schema_editor):
    entries = apps.get_model("search", "SearchEntry")
    last = 0
    while True:
        batch = list(entries.objects.filter(pk__gt=last).order_by("pk").only("title")[:2000])
        if not batch:
            return
        for entry in batch:
            entry.title_key = entry.title.casefold()[:300]
        entries.objects.bulk_update(batch, ["title_key"])
        last = batch[-1].pk


def thesaurus_load(apps, schema_editor):
    thesaurus.load(
        concepts=apps.get_model("search", "ThesaurusConcept"),
        terms=apps.get_model("search", "ThesaurusTerm"),
    )


def thesaurus_unload(apps, schema_editor):
    apps.get_model("search", "ThesaurusConcept").objects.filter(source="file").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=40, unique=True)),
            ],
            options={
                "db_table": "search_word",
            },
        ),
        migrations.CreateModel(
            name="ThesaurusConcept",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.SlugField(max_length=80, unique=True, verbose_name="key")),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("file", "the reviewed thesaurus file"),
                            ("admin", "added by a moderator"),
                        ],
                        default="admin",
                        max_length=8,
                        verbose_name="source",
                    ),
                ),
                ("edited", models.BooleanField(default=False, verbose_name="edited here")),
                ("updated", models.DateTimeField(auto_now=True, verbose_name="updated")),
            ],
            options={
                "verbose_name": "thesaurus concept",
                "verbose_name_plural": "thesaurus concepts",
                "ordering": ["key"],
            },
        ),
        migrations.CreateModel(
            name="ThesaurusTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[("kk", "Kazakh"), ("ru", "Russian"), ("en", "English")],
                        max_length=2,
                        verbose_name="language",
                    ),
                ),
                ("text", models.CharField(max_length=80, verbose_name="term")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                (
                    "concept",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="terms",
                        to="search.thesaurusconcept",
                    ),
                ),
            ],
            options={
                "verbose_name": "term",
                "verbose_name_plural": "terms",
                "ordering": ["concept", "language", "position", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("concept", "language", "text"), name="thesaurus_term_unique"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="searchentry",
            name="title_key",
            field=models.CharField(blank=True, max_length=300, null=True),
        ),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["title_key", "id"], name="search_entry_title"),
        ),
        migrations.RunPython(title_keys_fill, migrations.RunPython.noop),
        migrations.RunPython(indexes_install, indexes_uninstall),
        migrations.RunPython(thesaurus_load, thesaurus_unload),
    ]
