"""Property-based fuzzing (hypothesis, a bounded number of examples) of every URL pattern of
the platform with every query parameter it reads, as every kind of visitor, by GET and POST: no
answer is a 5xx and nothing is logged with a traceback. (Websocket frames: tests/chat/
test_fuzz_frames.py.) The suite runs on both databases, so this does too."""

from __future__ import annotations

import logging
import re
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forums import services as forum_services
from forums.models import ChatRoom
from resources import services as library_services

# Bounded: CI runs the suite twice (SQLite and PostgreSQL); soaks belong in bench/.
HTTP_EXAMPLES = 300

# Third-party areas with their own tests (admin, allauth's internals) and static serving.
SKIP = re.compile(r"^(admin/|i18n/|jsi18n/|media/|accounts/(?!login/|signup/|password/reset/$))")


def patterns(urlpatterns=None, prefix: str = "") -> list[str]:
    """Every route of the URLconf, as written (``c/<slug:slug>/threads/<id:thread_id>/``)."""
    found = []
    for entry in urlpatterns if urlpatterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            found += patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append(prefix + str(entry.pattern))
    return [route for route in found if not SKIP.match(route)]


ROUTES = patterns()
# Every query or form parameter a view or the API reads.
PARAMETERS = [
    "page", "before", "after", "at", "quote", "q", "type", "community", "kind", "country",
    "language", "tag", "year_from", "year_to", "collection", "order", "per_page", "sort",
    "filter", "expertise", "next", "body", "title", "tags", "unmute", "delete", "decision",
    "on", "follow", "accept", "hidden", "reason", "comment", "username", "minutes", "name",
    "description", "archived", "items", "related", "communities", "through_seq", "login",
    "password", "email", "client_id", "reply_to", "quoted", "slug", "title_en", "files",
]  # fmt: skip

NASTY = st.one_of(
    st.sampled_from(
        ["", "0", "-1", "²", "١٢", "9" * 30, "1e400", "NaN", "1.5", " 7 ", "abc", "%", "\x00",
         "[" * 200, '{"a":' * 50, "<script>alert(1)</script>", "\u202egnp.exe", "\u200b" * 5,
         "../../etc/passwd", "one-stop-shop", "general", "kk", "KZ", "case", "relevance"]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=40),
)  # fmt: skip


@pytest.fixture
def platform(communities, make_member, make_user):
    """Some of everything, so that ids and slugs in the fuzzed addresses sometimes exist."""
    community = communities["one-stop-shop"]
    member = make_member(community, "fuzz-member")
    moderator = make_member(community, "fuzz-moderator", role="moderator")
    staff = make_user("fuzz-staff", staff=True)
    thread = forum_services.thread_create(
        community=community, author=member, title="Fuzzed thread", body="Hi @fuzz-moderator",
        language="en",
    )  # fmt: skip
    reply = forum_services.post_reply(thread=thread, author=moderator, body="Reply")
    room = ChatRoom.objects.get(community=community, slug="general")
    message = forum_services.message_send(room=room, author=member, body="Сәлем").message
    resource = library_services.resource_submit(
        actor=staff,
        data={"title": "Fuzzed case", "summary": "S.", "kind": "case", "language": "en"},
        communities=[community],
        publish=True,
    )
    ids = [thread.pk, reply.pk, message.pk, resource.pk, member.pk, 1, 2]
    clients = {"anonymous": Client()}
    for name, user in (("member", member), ("moderator", moderator), ("staff", staff)):
        clients[name] = Client()
        clients[name].force_login(user)
    return {"ids": ids, "clients": clients}


def fill(route: str, draw) -> str:
    """The route with each converter filled in (known ids and slugs, or anything)."""

    def value(match: re.Match) -> str:
        converter = match.group(1) or "str"
        if converter == "id":
            return str(draw(st.one_of(st.sampled_from(IDS), st.integers(1, 10**18))))
        if converter == "slug":
            return draw(
                st.one_of(
                    st.sampled_from(["one-stop-shop", "ai", "general", "x"]),
                    st.from_regex(r"\A[-a-zA-Z0-9_]{1,20}\Z"),
                )
            )
        return quote(draw(st.one_of(st.sampled_from(["pin", "lock", "delete", "feature",
                                                      "archive", "fuzz-member"]),
                                     st.text(min_size=1, max_size=20))), safe="")  # fmt: skip

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", value, route)


IDS: list[int] = [1]


@settings(
    max_examples=HTTP_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_address_answers_5xx_or_logs_a_traceback(platform, caplog, data):
    IDS[:] = platform["ids"]
    route = data.draw(st.sampled_from(ROUTES), label="route")
    url = fill(route, data.draw)
    params = data.draw(
        st.dictionaries(st.sampled_from(PARAMETERS), NASTY, max_size=4), label="params"
    )
    who = data.draw(st.sampled_from(list(platform["clients"])), label="who")
    method = data.draw(st.sampled_from(["get", "post"]), label="method")
    client = platform["clients"][who]
    caplog.clear()
    with caplog.at_level(logging.INFO):
        if method == "get":
            response = client.get(url + ("?" + urlencode(params) if params else ""))
        else:
            response = client.post(url, params)
    assert response.status_code < 500, (method, url, params, who)
    tracebacks = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not tracebacks, [r.getMessage() for r in tracebacks]
