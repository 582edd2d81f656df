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
    PostgreSQL indexes them in a stored, generated tsvector column with a RUM (or GIN) index;
    SQLite in an FTS5 table kept in step by triggers (search/postgres.py, search/sqlite.py)."""

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
    # The title case-folded, for the "title" order (the same on both databases, whatever their
    # collation). Nullable so that adding it did not rebuild the table (and the FTS5 triggers
    # on it) on SQLite; the index fills it.
    title_key = models.CharField(max_length=300, null=True, blank=True)  # noqa: DJ001
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
            models.Index(fields=["title_key", "id"], name="search_entry_title"),
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


class SearchWord(models.Model):
    """A word of the indexed texts, as written (case-folded): the vocabulary that tells a
    complete query word from one still being typed, and that "did you mean" suggests from.
    Words are added as documents are indexed and cleared by a full rebuild."""

    word = models.CharField(max_length=40, unique=True)

    class Meta:
        db_table = "search_word"

    def __str__(self) -> str:
        return self.word


class ThesaurusConcept(models.Model):
    """One public-administration concept with its terms in Kazakh, Russian and English
    (search/thesaurus/): a query in one language also finds the others."""

    class Source(models.TextChoices):
        FILE = "file", _("the reviewed thesaurus file")
        ADMIN = "admin", _("added by a moderator")

    key = models.SlugField(_("key"), max_length=80, unique=True)
    source = models.CharField(
        _("source"), max_length=8, choices=Source.choices, default=Source.ADMIN
    )
    # A concept of the file changed by a moderator is no longer overwritten by the file.
    edited = models.BooleanField(_("edited here"), default=False)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("thesaurus concept")
        verbose_name_plural = _("thesaurus concepts")

    def __str__(self) -> str:
        return self.key


class ThesaurusTerm(models.Model):
    """A term of a concept in one language; the first of a language is its preferred term."""

    class Language(models.TextChoices):
        KAZAKH = "kk", _("Kazakh")
        RUSSIAN = "ru", _("Russian")
        ENGLISH = "en", _("English")

    concept = models.ForeignKey(ThesaurusConcept, on_delete=models.CASCADE, related_name="terms")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    text = models.CharField(_("term"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["concept", "language", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["concept", "language", "text"], name="thesaurus_term_unique"
            ),
        ]
        verbose_name = _("term")
        verbose_name_plural = _("terms")

    def __str__(self) -> str:
        return f"{self.text} ({self.language})"
