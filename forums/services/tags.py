"""A community's thread tags, managed by its moderators."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from core import permissions
from core.models import Community
from core.permissions import Action
from core.services import audit_record
from core.text import line_clean
from forums.models import Tag

__all__ = ["tag_create", "tag_delete"]


@transaction.atomic
def tag_create(*, community: Community, actor: User, name: str) -> Tag:
    """Add a tag (an existing one with the same slug is returned as it is; audited when new).
    Raises Refusal (not a moderator) or ValidationError (no letter or digit in ``name``)."""
    permissions.check(actor, Action.TAG_MANAGE, community)
    name = line_clean(name, field="name")[:50]
    slug = slugify(name, allow_unicode=True)[:50]
    if not slug:
        raise ValidationError({"name": _("A tag needs a name made of letters or digits.")})
    tag, created = Tag.objects.get_or_create(
        community=community, slug=slug, defaults={"name": name}
    )
    if created:
        audit_record(
            actor=actor, action="tag.create", target=tag, community=community, after={"name": name}
        )
    return tag


@transaction.atomic
def tag_delete(*, tag: Tag, actor: User) -> None:
    """Remove a tag from the community and its threads (audited with the number of threads it
    was on). Raises Refusal."""
    permissions.check(actor, Action.TAG_MANAGE, tag.community)
    audit_record(
        actor=actor,
        action="tag.delete",
        target=tag,
        community=tag.community,
        before={"name": tag.name, "threads": tag.threads.count()},
    )
    tag.delete()
