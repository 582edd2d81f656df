"""What a resource's editable fields are, how they are checked and applied, and the snapshot a
revision keeps. Shared by submission, curation and import."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from core import markup
from core.models import Community
from core.text import line_clean, refuse_controls
from resources.models import LibraryTag, Resource, ResourceRevision


class ResourceData(TypedDict, total=False):
    """The fields a form or an import line may set on a resource. Every key is optional: an
    edit changes the fields it names and keeps the others."""

    title: str
    summary: str
    body: str
    kind: str  # one of Resource.Kind
    language: str  # one of CONTENT_LANGUAGES
    year: int | None
    countries: list[str]  # ISO 3166 alpha-2 codes
    url: str
    source: str
    authors: str
    licence: str


EDITABLE: tuple[str, ...] = tuple(ResourceData.__annotations__)


def snapshot_fields(resource: Resource) -> dict:
    """The resource's editable fields and status, as a revision stores them."""
    data = {field: getattr(resource, field) for field in EDITABLE}
    data["countries"] = sorted(str(c) for c in resource.countries)
    data["status"] = resource.status
    return data


def snapshot(resource: Resource) -> dict:
    """``snapshot_fields`` plus the resource's communities and tags (once it is saved)."""
    data = snapshot_fields(resource)
    if resource.pk:
        data["communities"] = sorted(resource.communities.values_list("slug", flat=True))
        data["tags"] = sorted(resource.tags.values_list("slug", flat=True))
    return data


def revision_record(*, resource: Resource, editor: User | None, note: str) -> None:
    """Keep the resource's current state as a revision, before it changes."""
    ResourceRevision.objects.create(
        resource=resource, data=snapshot(resource), editor=editor, note=note[:300]
    )


def tags_from_names(names: Iterable[str]) -> list[LibraryTag]:
    """Library tags for the given names, created when new (tags are a shared vocabulary)."""
    tags = []
    for name in names:
        name = " ".join(str(name).split())[:60]
        slug = slugify(name, allow_unicode=True)[:60]
        if not slug:
            continue
        tag, _created = LibraryTag.objects.get_or_create(slug=slug, defaults={"name": name})
        tags.append(tag)
    return list({t.pk: t for t in tags}.values())


def data_validate(*, data: ResourceData, communities: list[Community]) -> ResourceData:
    """``data`` with its title cleaned (direction overrides removed, whitespace collapsed).
    Raises ValidationError naming every field that is missing or wrong (``communities``,
    ``title``, ``summary``, ``kind``, ``year``, or a control character in a text field)."""
    errors = {}
    data = ResourceData(**data)
    for field in ("summary", "body", "url", "source", "authors", "licence"):
        try:
            refuse_controls(data.get(field) or "", field=field)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    try:
        data["title"] = line_clean(data.get("title") or "", field="title")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not communities:
        errors["communities"] = _("Choose at least one community.")
    if "title" not in errors and not data["title"]:
        errors["title"] = _("A resource needs a title.")
    if not (data.get("summary") or "").strip():
        errors["summary"] = _("A resource needs a short summary.")
    if data.get("kind") not in Resource.Kind.values:
        errors["kind"] = _("Unknown kind of resource.")
    year = data.get("year")
    if year is not None and not 1900 <= int(year) <= timezone.now().year + 1:
        errors["year"] = _("The year must be between 1900 and next year.")
    if errors:
        raise ValidationError(errors)
    return data


def data_apply(*, resource: Resource, data: ResourceData) -> None:
    """Set the fields ``data`` names on ``resource`` (None means blank) and render its body."""
    for field in EDITABLE:
        if field in data:
            value = data[field]
            setattr(resource, field, value if value is not None else _blank(field))
    resource.html = markup.render(resource.body or "")


def _blank(field: str):
    return None if field == "year" else ([] if field == "countries" else "")
