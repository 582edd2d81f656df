"""Who sees whom: the one place that applies a person's privacy choices.

A person chooses who sees their profile at all (everyone, signed-in members, members of their
communities) and, separately, who sees their e-mail address (nobody by default), their country
and their organisation (with position). Member pages, the directory and its filters, post
bylines and the members API all ask here, so a choice cannot hold on one page and leak on
another. A person always sees all of their own profile; staff see everything (they handle
data-subject requests and moderation).
"""

from __future__ import annotations

from django.db.models import Q

from accounts.models import Audience, User
from core.permissions import member_community_ids

# The parts of a profile that have their own choice, and the field that holds it.
FIELDS = {
    "email": "email_audience",
    "country": "country_audience",
    "organisation": "organisation_audience",
}


def _sees_all(viewer, person) -> bool:
    return bool(
        viewer is not None
        and viewer.is_authenticated
        and viewer.is_active
        and (viewer.pk == person.pk or viewer.is_staff)
    )


def _person_community_ids(person: User) -> set[int]:
    """The person's communities: from prefetched memberships when the list has them."""
    cache = getattr(person, "_prefetched_objects_cache", {})
    if "memberships" in cache:
        return {m.community_id for m in cache["memberships"]}
    return member_community_ids(person)


def allows(audience: str, *, viewer, person: User, community=None) -> bool:
    """Does ``audience`` (an Audience value chosen by ``person``) include ``viewer``?

    ``community``: the community the viewer meets the person in (a thread's): with it, "members
    of my communities" is answered by the viewer's membership there, without a query per
    person; the person wrote there, so they share it."""
    if _sees_all(viewer, person):
        return True
    if audience == Audience.EVERYONE:
        return True
    signed_in = viewer is not None and viewer.is_authenticated and viewer.is_active
    if not signed_in or audience == Audience.NOBODY:
        return False
    if audience == Audience.MEMBERS:
        return True
    # COMMUNITIES: the viewer belongs to a community the person belongs to.
    mine = member_community_ids(viewer)
    if community is not None:
        return community.pk in mine
    return bool(mine & _person_community_ids(person))


def profile_visible(*, viewer, person: User) -> bool:
    """May ``viewer`` see ``person``'s profile page, card in the directory, or API entry?"""
    return allows(person.profile_audience, viewer=viewer, person=person)


def field_visible(*, viewer, person: User, field: str, community=None) -> bool:
    """May ``viewer`` see ``field`` ("email", "country", "organisation") of ``person``?"""
    if field not in FIELDS:
        raise ValueError(f"no privacy choice for {field!r}")
    return allows(
        person.profile_audience, viewer=viewer, person=person, community=community
    ) and allows(getattr(person, FIELDS[field]), viewer=viewer, person=person, community=community)


def visible_fields(*, viewer, person: User, community=None) -> dict[str, bool]:
    """``{"email": bool, "country": bool, "organisation": bool}`` for templates."""
    return {
        field: field_visible(viewer=viewer, person=person, field=field, community=community)
        for field in FIELDS
    }


def audience_q(field: str, *, viewer) -> Q:
    """A filter on User rows: those whose choice in ``field`` (a model field such as
    "profile_audience") lets ``viewer`` see it. For lists and for filtering by a hidden part
    (searching by organisation must not find people who hide it)."""
    if viewer is not None and viewer.is_authenticated and viewer.is_active and viewer.is_staff:
        return Q()
    allowed = Q(**{field: Audience.EVERYONE})
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return allowed
    allowed |= Q(pk=viewer.pk) | Q(**{field: Audience.MEMBERS})
    mine = member_community_ids(viewer)
    if mine:
        allowed |= Q(**{field: Audience.COMMUNITIES}) & Q(
            pk__in=User.objects.filter(memberships__community_id__in=mine).values("pk")
        )
    return allowed
