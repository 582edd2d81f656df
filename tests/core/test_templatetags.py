"""core_tags: the audit log's labels and state, and query strings with one parameter changed."""

from __future__ import annotations

import re

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


def test_select_options_render_as_djangos_own_widget_templates():
    """The project's select template writes its options in Python (core_tags.select_options);
    the HTML must be what Django's per-option templates write: escaped values and labels,
    ``selected`` bare, optgroups, a disabled option."""
    from django import forms
    from django.forms.renderers import DjangoTemplates

    class Picker(forms.Form):
        one = forms.ChoiceField(
            choices=[
                ("", "—"),
                ('a"b', "<A & B>"),
                ("Group <g>", [("x", "Ex"), ("y", "Why")]),
            ]
        )
        many = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two"), ("3", "Three")])

    def rendered(renderer=None):
        form = Picker({"one": "y", "many": ["1", "3"]}, renderer=renderer)
        form.fields["one"].widget.attrs["data-filterable"] = ""
        return {name: re.sub(r">\s+<", "><", form[name].as_widget()) for name in ("one", "many")}

    ours = rendered()
    assert ours == rendered(DjangoTemplates())  # Django's own templates, not the project's
    assert '<option value="a&quot;b">&lt;A &amp; B&gt;</option>' in ours["one"]
    assert '<option value="y" selected>Why</option>' in ours["one"]
    assert '<optgroup label="Group &lt;g&gt;">' in ours["one"]
    assert '<option value="3" selected>Three</option>' in ours["many"]
