"""The shared library: resources, their files and revisions, library tags, collections."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.models import CONTENT_LANGUAGES, Community, pick_language
from resources.uploads import EXTENSIONS


class LibraryTag(models.Model):
    """Library tags are shared by all communities (a case is often relevant to several)."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True, allow_unicode=True)
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name = _("library tag")
        verbose_name_plural = _("library tags")

    def __str__(self) -> str:
        return self.name


_LANGUAGE_LABELS = dict(CONTENT_LANGUAGES)


def _choice_label(choices: type[models.TextChoices], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class Resource(models.Model):
    class Kind(models.TextChoices):
        CASE = "case", _("Analytical case")
        PRACTICE_NOTE = "practice-note", _("Practice note")
        JOURNAL = "journal", _("Journal article or issue")
        PUBLICATION = "publication", _("Research publication")
        TOOLKIT = "toolkit", _("Toolkit or guide")
        RECORDING = "recording", _("Recording")
        DATASET = "dataset", _("Dataset")
        LINK = "link", _("Link")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for review")
        CHANGES_REQUESTED = "changes", _("Changes requested")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        ARCHIVED = "archived", _("Archived")

    external_id = models.CharField(
        _("external id"), max_length=120, unique=True, null=True, blank=True
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), max_length=2000)
    body = models.TextField(_("text"), blank=True, max_length=100_000)
    html = models.TextField(blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=8, choices=CONTENT_LANGUAGES)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    countries = CountryField(_("countries"), multiple=True, blank=True)
    communities = models.ManyToManyField(
        Community, related_name="resources", verbose_name=_("communities")
    )
    tags = models.ManyToManyField(
        LibraryTag, blank=True, related_name="resources", verbose_name=_("tags")
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    source = models.CharField(_("source organisation"), max_length=200, blank=True)
    authors = models.CharField(_("authors"), max_length=500, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    related = models.ManyToManyField("self", blank=True, verbose_name=_("related resources"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    is_featured = models.BooleanField(_("featured"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"]),
            models.Index(fields=["kind", "status"]),
            models.Index(fields=["year"]),
        ]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resource_detail", kwargs={"resource_id": self.pk})

    # Django's get_FOO_display() builds a dict of every choice, translating each label, on
    # every call; a library page of 20 cards made 400 translations of the same few words.
    def get_kind_display(self) -> str:
        return _choice_label(self.Kind, self.kind)

    def get_status_display(self) -> str:
        return _choice_label(self.Status, self.status)

    def get_language_display(self) -> str:
        return str(_LANGUAGE_LABELS.get(self.language, self.language))

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


def _upload_to(instance, filename: str) -> str:
    # Random names, with the extension of the type found in the content (resources/uploads.py):
    # nothing a user typed reaches the file system or the URL.
    suffix = EXTENSIONS.get(getattr(instance, "content_type", ""), "")
    return f"library/{secrets.token_hex(2)}/{secrets.token_urlsafe(18)}{suffix}"


class ResourceFile(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse(
            "resource_file", kwargs={"resource_id": self.resource_id, "file_id": self.pk}
        )


class ResourceRevision(models.Model):
    """The metadata and text a resource had before an edit or decision."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="revisions")
    data = models.JSONField()
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"revision of {self.resource_id} at {self.created:%Y-%m-%d %H:%M}"


class Collection(models.Model):
    """A curated, ordered set of resources, possibly from several communities."""

    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ru = models.CharField(_("title (Russian)"), max_length=200, blank=True)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    communities = models.ManyToManyField(
        Community, blank=True, related_name="collections", verbose_name=_("communities")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("collection_detail", kwargs={"slug": self.slug})

    @property
    def title(self) -> str:
        return pick_language(self, "title")

    @property
    def description(self) -> str:
        return pick_language(self, "description")


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)
    note = models.CharField(_("curator's note"), max_length=300, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "resource"], name="collection_item_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.collection_id}:{self.position}"
