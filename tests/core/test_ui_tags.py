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


# --- The frame's parts written once per process ({% memo %}) ---------------------------------


def test_a_memo_is_written_once_per_combination_of_its_values():
    source = '{% load ui %}{% memo "t" lang %}{{ lang }}:{{ seen }}{% endmemo %}'
    assert render(source, lang="en", seen="first") == "en:first"
    assert render(source, lang="en", seen="second") == "en:first"  # reused
    assert render(source, lang="ru", seen="third") == "ru:third"


def test_memos_are_off_with_debug(settings):
    settings.DEBUG = True
    source = '{% load ui %}{% memo "debug" %}{{ seen }}{% endmemo %}'
    assert render(source, seen="first") == "first"
    assert render(source, seen="second") == "second"


def test_the_frame_is_each_readers_own(client, login, make_member, make_user, communities):
    """The frame's memoised parts name the reader's language, theme, profile link and staff
    links, never another reader's."""
    community = communities["e-government"]
    aigerim = login(make_member(community, "aigerim"))
    staff = login(make_user("staffer", staff=True))
    pages = {
        "visitor": parse(client.get("/library/")),
        "aigerim": parse(aigerim.get("/library/")),
        "staff": parse(staff.get("/library/")),
        "russian": parse(client.get("/", HTTP_ACCEPT_LANGUAGE="ru")),
    }

    def profile_links(page) -> list[str]:
        menu = page.find("details", class_="account-menu")
        return [a.attrs["href"] for a in menu.find_all("a")][:1] if menu else []

    assert profile_links(pages["aigerim"]) == ["/members/aigerim/"]
    assert profile_links(pages["staff"]) == ["/members/staffer/"]
    footer_links = {
        name: [a.text.strip() for a in page.find("footer").find_all("a")]
        for name, page in pages.items()
    }
    assert "Style guide" in footer_links["staff"]
    assert "Style guide" not in footer_links["aigerim"]
    assert "Библиотека" in footer_links["russian"]
    current = pages["visitor"].find("nav", class_="main-nav").find("a", aria_current="page")
    assert current.text.strip() == "Library"
    home = pages["russian"].find("nav", class_="main-nav").find("a", aria_current="page")
    assert home.text.strip() == "Сообщества"
