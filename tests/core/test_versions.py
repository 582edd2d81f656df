"""Content versions (core/versions.py): they move with every change, at once and after the
commit, and one the cache lost starts above anything it held."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from core import versions

pytestmark = pytest.mark.django_db


def test_a_change_moves_the_version_at_once_and_again_after_its_commit(
    django_capture_on_commit_callbacks,
):
    before = int(versions.current(versions.LIBRARY))
    with django_capture_on_commit_callbacks(execute=True):
        versions.bump(versions.LIBRARY)
        during = int(versions.current(versions.LIBRARY))
    after = int(versions.current(versions.LIBRARY))
    assert before < during < after


def test_versions_of_several_names_read_in_one_string():
    library, search = versions.current(versions.LIBRARY, versions.SEARCH).split(".")
    versions.bump(versions.SEARCH)
    assert versions.current(versions.LIBRARY, versions.SEARCH) == f"{library}.{int(search) + 1}"


def test_a_lost_version_starts_above_anything_it_held():
    versions.bump(versions.EVENTS)
    held = int(versions.current(versions.EVENTS))
    cache.delete("version:events")  # Redis restarted or evicted it
    assert int(versions.current(versions.EVENTS)) > held
    cache.delete("version:events")
    versions.bump(versions.EVENTS)  # a change while it is gone starts it again too
    assert int(versions.current(versions.EVENTS)) > held


def test_with_no_cache_every_read_is_a_new_version(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert versions.current(versions.ROOMS) != versions.current(versions.ROOMS)
