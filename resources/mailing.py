"""The library's part in e-mail (registered with mail/ in ResourcesConfig.ready()): what a
notification about a resource quotes, re-checked when it is sent, and the digest's section of
new resources."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from core import markup
from mail.registry import Content, Item, Section, register_content, register_section
from resources.models import Resource
from resources.rules import can_review_resource, can_view_resource

ITEMS = 10


def _resource_content(user, data: dict) -> Content | None:
    """The resource a decision or a review request is about, if ``user`` may still see it; a
    request to review goes only to those who still moderate one of its communities."""
    resource = Resource.objects.filter(pk=data.get("resource")).first()
    if resource is None or not can_view_resource(user, resource):
        return None
    if data.get("decision") == "submitted" and not can_review_resource(user, resource):
        return None
    return Content(
        html=markup.render(resource.summary) if resource.summary else "",
        url=resource.get_absolute_url(),
        language=resource.language,
        title=resource.title,
    )


def _new_resources(user, communities, since: datetime, until: datetime) -> list[Item]:
    resources = (
        Resource.objects.filter(
            status=Resource.Status.PUBLISHED,
            published_at__gte=since,
            published_at__lt=until,
            communities__in=communities,
        )
        .distinct()
        .order_by("-published_at", "-id")[:ITEMS]
    )
    return [
        Item(
            title=resource.title,
            url=resource.get_absolute_url(),
            meta=resource.get_kind_display(),
            language=resource.language,
            excerpt=resource.summary[:200],
        )
        for resource in resources
    ]


def register() -> None:
    register_content("resource", _resource_content)
    register_section(Section("resources", _("New in the library"), _new_resources, position=2))
