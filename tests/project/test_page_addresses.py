"""Cached pages at addresses with a query they do not read (core.pagecache.query_cacheable):
each is rendered for its request alone. A made-up parameter adds no cache entry, so nobody can
fill the cache by inventing addresses, and what such an address writes into its page (the
sign-in link's ``next``) never reaches the copy others are served."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.htmltree import parse

pytestmark = pytest.mark.django_db

KAZAKH = "Халыққа қызмет көрсету орталығы кезекті қысқартты."


def cache_keys() -> set[str]:
    if settings.REDIS_URL:
        client = cache._cache.get_client(None, write=False)
        return {key.decode() for key in client.scan_iter(f"{settings.REDIS_PREFIX}:cache*")}
    return set(cache._cache)


@pytest.fixture
def site(communities, make_member, make_thread, make_resource):
    community = communities["one-stop-shop"]
    author = make_member(community, "author", display_name="Әлия Сейітова")
    reader = make_member(community, "reader", display_name="Болат Жұмабаев")
    thread = make_thread(community, author, "Кезекті қалай қысқартамыз?", body=KAZAKH)
    resource = make_resource([community], "Бір терезе: қызмет көрсету кейсі", body=KAZAKH)
    return {
        "reader": reader,
        "pages": {
            "community home": f"/c/{community.slug}/",
            "thread list": f"/c/{community.slug}/threads/",
            "thread page": f"{thread.get_absolute_url()}?page=1",
            "library": "/library/",
            "community library": f"/c/{community.slug}/library/",
            "search": "/search/?q=%D2%9B%D1%8B%D0%B7%D0%BC%D0%B5%D1%82",  # қызмет
            "resource page": resource.get_absolute_url(),
        },
    }


PAGES = (
    "community home",
    "thread list",
    "thread page",
    "library",
    "community library",
    "search",
    "resource page",
)


@pytest.mark.parametrize("reader", ["visitor", "signed in"])
@pytest.mark.parametrize("name", PAGES)
def test_an_address_with_a_made_up_parameter_is_not_cached(client, login, site, name, reader):
    browser = login(site["reader"]) if reader == "signed in" else client
    path = site["pages"][name]
    joiner = "&" if "?" in path else "?"
    canonical = browser.get(path)
    assert canonical.status_code == 200
    browser.get(path)  # served from the cache now
    before = cache_keys()

    for n in range(3):
        odd = browser.get(f"{path}{joiner}utm_campaign=spring-{n}")
        assert odd.status_code == 200
        # The page itself is whole: the same heading as at its own address.
        assert parse(odd).one("h1").text == parse(canonical).one("h1").text
        if reader == "visitor":
            # Rendered for this request: its own address is in the sign-in link.
            sign_in = parse(odd).find("a", href=lambda href: href and "next=" in href)
            assert f"spring-{n}" in sign_in.attrs["href"]

    assert cache_keys() - before == set()
    again = browser.get(path).content.decode()
    assert "spring-" not in again
