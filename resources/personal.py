"""What the library keeps about a person (accounts/personal_data.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.personal_data import register_exclusion, register_personal_data, rows
from resources.models import Resource, ResourceFile


def _submissions(user):
    return rows(
        Resource.objects.filter(submitted_by=user),
        "id", "title", "summary", "body", "kind", "language", "year", "url", "authors",
        "status", "review_comment", "created", "updated", "published_at",
    )  # fmt: skip


def _files(user):
    for item in ResourceFile.objects.filter(resource__submitted_by=user).order_by("pk"):
        yield f"library/{item.resource_id}/{item.pk}-{item.original_name}", item.file


def register() -> None:
    register_personal_data(
        "submissions",
        models=["resources.Resource"],
        export=_submissions,
        files=_files,
        description=_("library resources you submitted (their files are in files/library/)"),
    )
    register_exclusion(
        "resources.ResourceRevision",
        reason=_("the library's edit history, kept for curators; your name is not stored in it"),
    )
    register_exclusion(
        "resources.Collection",
        reason=_("collections are curated library pages, not personal data"),
    )
