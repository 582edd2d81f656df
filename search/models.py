"""The search index: one entry per searchable document, and its facet values.

The index knows documents, not the apps that own them: an app hands it a
:class:`search.documents.Document` (title, text, language, facets, who may read it) and the
index stores that. The tables keep the names they had when the index lived in ``resources``
(the full-text column and triggers of migration resources/0002 are built on them).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Community


class SearchEntry(models.Model):
    """One searchable document. ``*_norm`` hold the normalised terms (search/normalize.py).
    PostgreSQL indexes them in a stored, generated tsvector column with a GIN index; SQLite in
    an FTS5 table kept in step by triggers (search/postgres.py, search/sqlite.py)."""

    class Visibility(models.TextChoices):
        # The least role that may read the document: search.documents derives it from the
        # permission table (MIN_ROLE of the document type's read action).
        PUBLIC = "public", _("everyone")
        SIGNED_IN = "signed_in", _("signed-in people")

    # The document type an app registered (search.documents.register), e.g. "thread".
    doc_type = models.CharField(max_length=10)
    object_id = models.BigIntegerField()
    visibility = models.CharField(max_length=10, choices=Visibility.choices)
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=500)
    language = models.CharField(max_length=8, blank=True)
    kind = models.CharField(max_length=20, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    created = models.DateTimeField()
    title_norm = models.TextField(blank=True)
    summary_norm = models.TextField(blank=True)
    body_norm = models.TextField(blank=True)
    # Original plain text (title excluded) that snippets are cut from and highlighted in.
    text = models.TextField(blank=True)

    class Meta:
        db_table = "resources_searchentry"
        constraints = [
            models.UniqueConstraint(fields=["doc_type", "object_id"], name="search_entry_unique"),
        ]
        indexes = [
            models.Index(fields=["-created", "-id"], name="search_entry_recent"),
            models.Index(fields=["doc_type", "-created"], name="search_entry_type"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_type}:{self.object_id}"


class SearchFacet(models.Model):
    """One facet value of an entry: type, community, kind, country, year, language, tag,
    collection (whatever names the document carried)."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="facets")
    name = models.CharField(max_length=10)
    value = models.CharField(max_length=64)

    class Meta:
        db_table = "resources_searchfacet"
        indexes = [
            models.Index(fields=["name", "value", "entry"], name="search_facet_lookup"),
            # Covers the facet count (entry -> name, value) with an index-only scan.
            models.Index(fields=["entry", "name", "value"], name="search_facet_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
