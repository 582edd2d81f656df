"""``GET /api/v1/members`` and ``/api/v1/members/<username>``: the directory, as the caller
may see it. Every person's privacy choices apply (accounts/privacy.py): hidden profiles are
left out (a hidden one answers 404, like a missing one) and hidden parts are null."""

from __future__ import annotations

import math

from django.http import Http404, HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from accounts import privacy, selectors
from accounts.models import User
from core.params import QueryParams

router = Router(tags=["members"])

PER_PAGE = 50


class MemberQuery(QueryParams):
    q: str = Field("", max_length=100)
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$")
    page: int = Field(1, ge=1, le=10000)


class MemberOut(Schema):
    username: str
    name: str
    url: str
    is_expert: bool
    email: str | None
    country: str | None
    organisation: str | None
    position: str | None


class MemberListOut(Schema):
    count: int
    page: int
    pages: int
    results: list[MemberOut]


class ErrorOut(Schema):
    detail: str


def _out(person: User, viewer) -> dict:
    shown = privacy.visible_fields(viewer=viewer, person=person)
    return {
        "username": person.username,
        "name": person.name,
        "url": person.get_absolute_url(),
        "is_expert": person.is_expert,
        "email": person.email if shown["email"] else None,
        "country": (person.country.code or None) if shown["country"] else None,
        "organisation": (person.organisation or None) if shown["organisation"] else None,
        "position": (person.position or None) if shown["organisation"] else None,
    }


@router.get("/members", response=MemberListOut, summary="People in the directory")
def api_members(request: HttpRequest, query: Query[MemberQuery]):
    people = selectors.user_list(viewer=request.user, q=query.q, country=query.country.upper())
    count = people.count()
    start = (query.page - 1) * PER_PAGE
    return {
        "count": count,
        "page": query.page,
        "pages": max(1, math.ceil(count / PER_PAGE)),
        "results": [_out(p, request.user) for p in people[start : start + PER_PAGE]],
    }


@router.get("/members/{username}", response={200: MemberOut, 404: ErrorOut}, summary="One person")
def api_member(request: HttpRequest, username: str = Path(..., max_length=150)):
    try:
        person = selectors.user_get_profile(username=username, viewer=request.user)
    except Http404:
        return Status(404, {"detail": "Not found."})
    return _out(person, request.user)
