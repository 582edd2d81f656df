"""core_tags: the audit log's labels and state, and query strings with one parameter changed."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from core.templatetags.core_tags import audit_label, compact_json


@pytest.mark.parametrize(
    ("action", "label"),
    [
        ("role.grant", "granted a role"),
        ("thread.locked", "locked a thread"),
        ("resource.publish", "published a resource"),
        ("something.new", "something.new"),  # unknown actions show as they are
    ],
)
def test_audit_label(action, label):
    with translation.override("en"):
        assert audit_label(action) == label


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ({"role": "moderator", "user": "aigerim"}, "role: moderator, user: aigerim"),
        ({}, ""),
        (["a", "ә"], '["a", "ә"]'),
        ({"body": "ә" * 300}, "body: " + "ә" * 193 + "…"),
    ],
)
def test_compact_json(value, text):
    assert compact_json(value) == text
    assert len(compact_json(value)) <= 200


@pytest.mark.parametrize(
    ("query", "tag", "expected"),
    [
        (
            "q=кезек&page=3",
            "{% query_with page=2 %}",
            "?q=%D0%BA%D0%B5%D0%B7%D0%B5%D0%BA&amp;page=2",
        ),
        ("q=x&page=3", "{% query_with page=None %}", "?q=x"),
        ("page=3", '{% query_with page="" %}', "?"),
        ("", '{% query_with kind="case" %}', "?kind=case"),
        ("kind=case&kind=toolkit", '{% query_with kind="link" %}', "?kind=link"),
    ],
)
def test_query_with(query, tag, expected):
    request = RequestFactory().get(f"/library/?{query}")
    rendered = Template("{% load core_tags %}" + tag).render(Context({"request": request}))
    assert rendered == expected  # escaped for an attribute: &amp; between parameters


@pytest.mark.parametrize(
    ("before", "after", "lines"),
    [
        ({"is_locked": False}, {"is_locked": True}, ["locked: no → yes"]),
        (None, {"role": "moderator", "user": "nino"}, ["role: moderator", "member: nino"]),
        ({"community": "ai"}, {"community": "innovation"}, ["community: ai → innovation"]),
        ({"report": "open"}, {"report": "dismissed"}, ["report: open → dismissed"]),
        ({"name": "x"}, None, ["name: x → —"]),
        (None, {"resources": [3, 7]}, ["resources: 3, 7"]),
        (None, None, []),
    ],
)
def test_audit_changes_read_as_words(before, after, lines):
    from core.audit import change_lines

    with translation.override("en"):
        assert change_lines(before, after) == lines


@pytest.mark.parametrize(
    ("text", "length", "shown"),
    [
        ("Қысқа", 10, "Қысқа"),
        ("Қызмет көрсету", 14, "Қызмет көрсету"),
        ("Қызмет көрсету", 7, "Қызмет…"),
        ("", 5, ""),
    ],
)
def test_clip_keeps_short_texts_and_ends_long_ones_with_an_ellipsis(text, length, shown):
    from core.templatetags.core_tags import clip

    assert clip(text, length) == shown
    assert len(clip(text, length)) <= length
