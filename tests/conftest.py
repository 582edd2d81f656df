"""Factories and fixtures shared by all tests.

The suite runs on whatever settings the environment gives: the embedded default (SQLite, the
in-memory channel layer, local-memory cache) or, with DATABASE_URL and REDIS_URL set,
PostgreSQL, channels-redis and the Redis cache. Nothing here mocks either.
"""

from __future__ import annotations

import itertools

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from cop.models import Community, Membership

PASSWORD = "correct-horse-battery-staple"
_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate-limit and flood counters must not leak from one test into the next."""
    _clear_cache()
    yield
    _clear_cache()


def _clear_cache() -> None:
    if settings.REDIS_URL:
        client = cache._cache.get_client(None, write=True)
        for key in client.scan_iter(f"{settings.REDIS_PREFIX}:cache*"):
            client.delete(key)
    else:
        cache.clear()


@pytest.fixture
def communities(db) -> dict[str, Community]:
    """The four communities, created by migration cop/0002."""
    return {c.slug: c for c in Community.objects.all()}


@pytest.fixture
def make_user(db):
    def make(username: str | None = None, *, staff: bool = False, **fields):
        number = next(_counter)
        username = username or f"user{number}"
        user = get_user_model().objects.create_user(
            username=username,
            email=fields.pop("email", f"{username}@example.org"),
            password=PASSWORD,
            is_staff=staff,
            **fields,
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user

    return make


@pytest.fixture
def make_member(make_user):
    def make(community: Community, username: str | None = None, role: str = "member", **fields):
        user = make_user(username, **fields)
        Membership.objects.create(user=user, community=community, role=role)
        return user

    return make


@pytest.fixture
def login():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def no_flood_limit(settings):
    settings.CHAT_FLOOD_MESSAGES = 100_000
