"""The design system's template tags: icons, avatars and the one clock."""

from __future__ import annotations

import datetime
import zoneinfo
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from core.avatars import avatar_colour, avatar_of, initials
from tests.htmltree import parse


def render(source: str, **context) -> str:
    return Template("{% load ui %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Айгерім Нұрланқызы", "АН"),
        ("Nino Beridze", "NB"),
        ("Ji-woo Park", "JW"),
        ("batbayar", "B"),
        ("  ", "?"),
        ("@@@ x", "X"),
    ],
)
def test_initials(name, expected):
    assert initials(name) == expected


def test_avatar_colour_is_stable_and_in_range():
    assert avatar_colour("nino") == avatar_colour("nino")
    assert {avatar_colour(f"user{i}") for i in range(200)} == set(range(8))


def test_avatar_tag_draws_initials_on_the_persons_colour():
    person = SimpleNamespace(username="nino", name="Nino Beridze", avatar=None)
    span = parse(render('{% avatar person size="lg" %}', person=person)).one("span")
    assert span.text == "NB"
    assert span.attrs["class"] == f"avatar avatar-lg avatar-c{avatar_colour('nino')}"
    assert span.attrs["aria-hidden"] == "true"
    named = parse(render("{% avatar person decorative=False %}", person=person)).one("span")
    assert named.attrs["role"] == "img"
    assert named.attrs["aria-label"] == "Nino Beridze"
    assert avatar_of(person) == {"url": "", "initials": "NB", "colour": avatar_colour("nino")}


def test_avatar_tag_escapes_names_and_handles_a_former_member():
    person = SimpleNamespace(username="x", name='<b>"Eve"</b>', avatar=None)
    html = render("{% avatar person decorative=False %}", person=person)
    assert "<b>" not in html
    assert "&lt;b&gt;" in html
    assert parse(render("{% avatar None %}")).one("span").text == "?"


def test_icon_is_hidden_from_assistive_technology_unless_labelled():
    svg = parse(render('{% icon "bell" %}')).one("svg")
    assert svg.attrs["aria-hidden"] == "true"
    assert svg.one("use").attrs["href"].endswith("vendor/lucide/icons.svg#i-bell")
    labelled = parse(render('{% icon "search" label="Search" %}')).one("svg")
    assert labelled.attrs["role"] == "img"
    assert labelled.attrs["aria-label"] == "Search"


@pytest.mark.parametrize(
    ("zone", "time_text"),
    [("Asia/Almaty", "18:04"), ("Europe/Berlin", "14:04"), ("America/New_York", "08:04")],
)
def test_when_speaks_the_readers_zone(zone, time_text):
    moment = datetime.datetime(2026, 12, 1, 13, 4, tzinfo=datetime.UTC)
    with timezone.override(zoneinfo.ZoneInfo(zone)), translation.override("en"):
        node = parse(render('{% when moment "time" %}', moment=moment)).one("time")
    assert node.text == time_text
    assert node.attrs["datetime"].startswith("2026-12-01T")
    assert f"({zone})" in node.attrs["title"]
    assert node.attrs["data-when"] == "time"


def test_when_is_relative_by_default_with_the_absolute_time_on_hover():
    moment = timezone.now() - datetime.timedelta(minutes=3)
    with timezone.override(zoneinfo.ZoneInfo("Asia/Almaty")), translation.override("ru"):
        node = parse(render("{% when moment %}", moment=moment)).one("time")
    assert "3" in node.text
    assert "назад" in node.text
    assert "(Asia/Almaty)" in node.attrs["title"]


def test_when_of_nothing_is_nothing():
    assert render("{% when None %}") == ""


def test_every_vendored_flag_exists_and_others_draw_nothing():
    from django.conf import settings

    from core.countries import FLAGS

    folder = settings.BASE_DIR / "static" / "vendor" / "flag-icons"
    assert all((folder / f"{code.lower()}.svg").exists() for code in FLAGS)
    img = parse(render('{% flag "kz" %}')).one("img")
    assert img.attrs["src"].endswith("vendor/flag-icons/kz.svg")
    assert img.attrs["alt"] == ""
    assert render('{% flag "AQ" %}') == ""
    assert render('{% flag "" %}') == ""


def test_country_choices_put_participating_countries_first_without_antarctica():
    from core.countries import country_choices

    empty, (_first_label, first), (_other_label, others) = country_choices(empty="All")
    assert empty == ("", "All")
    assert "KZ" in dict(first)
    assert "KZ" not in dict(others)
    assert "AQ" not in dict(first) | dict(others)
    assert "FR" in dict(others)
