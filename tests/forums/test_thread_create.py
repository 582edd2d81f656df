"""Starting a thread: the form, tags from the community's vocabulary, the content language, the
Markdown preview, and what bad input gets back (a message, the typed text, nothing saved)."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from forums import services
from forums.models import BODY_MAX, TITLE_MAX, Post, Tag, Thread, ThreadFollow
from tests.htmltree import assert_inert, parse


@pytest.fixture
def member(community, make_member):
    return make_member(community, "aliya", display_name="Aliya")


@pytest.fixture
def tags(community, make_member):
    moderator = make_member(community, role="moderator")
    return [
        services.tag_create(community=community, actor=moderator, name=name)
        for name in ("Queues", "Digital services", "Staff training")
    ]


def _create_url(community) -> str:
    return reverse("thread_create", args=[community.slug])


def test_a_member_starts_a_thread_with_tags_and_language(login, community, member, tags):
    response = login(member).post(
        _create_url(community),
        {
            "title": "  Electronic queue in the  centres ",
            "body": "We use **tickets**. What do you use?",
            "tags": [tags[0].pk, tags[2].pk],
            "language": "ru",
        },
    )

    thread = Thread.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == thread.get_absolute_url()
    assert thread.title == "Electronic queue in the centres"
    assert thread.author == member
    assert thread.language == "ru"
    assert sorted(t.name for t in thread.tags.all()) == ["Queues", "Staff training"]
    post = Post.objects.get(thread=thread)
    assert (post.number, post.author, post.language) == (1, member, "ru")
    assert post.html == "<p>We use <strong>tickets</strong>. What do you use?</p>\n"
    assert (thread.reply_count, thread.last_post, thread.last_poster) == (0, post, member)
    assert ThreadFollow.objects.filter(thread=thread, user=member).exists()
    page = login(member).get(thread.get_absolute_url())
    assert [a.text for a in parse(page).find("main").find_all("a", class_="pill")] == [
        "Queues",
        "Staff training",
    ]


@pytest.mark.parametrize(
    ("accept_language", "selected"), [("ru", "ru"), ("kk", "kk"), ("en-GB", "en"), ("", "en")]
)
def test_the_language_defaults_to_the_interface_language(
    login, community, member, accept_language, selected
):
    response = login(member).get(
        _create_url(community), headers={"accept-language": accept_language}
    )

    select = parse(response).find("select", id="id_language")
    assert [o.attrs["value"] for o in select.find_all("option")] == ["kk", "ru", "en", "other"]
    assert [o.attrs["value"] for o in select.find_all("option") if "selected" in o.attrs] == [
        selected
    ]


def test_the_form_offers_only_this_communitys_tags(login, community, elsewhere, member, tags):
    Tag.objects.create(community=elsewhere, slug="elsewhere", name="Elsewhere only")

    page = parse(login(member).get(_create_url(community)))

    offered = [label.text for label in page.find("div", id="id_tags").find_all("label")]
    assert offered == ["Digital services", "Queues", "Staff training"]


def test_the_form_states_its_limits(login, community, member):
    page = parse(login(member).get(_create_url(community)))

    assert f"Between 5 and {TITLE_MAX} characters." in page.find(id="id_title_helptext").text
    assert "Up to 20 000 characters." in page.find(id="id_body_helptext").text
    assert page.find("input", name="title").attrs["maxlength"] == str(TITLE_MAX)
    assert page.find("textarea", name="body").attrs["maxlength"] == str(BODY_MAX)


GOOD = {"title": "A good title here", "body": "A good body.", "language": "en"}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": ""}, "title", "Please give the thread a title."),
        ({"title": "Abc"}, "title", "A title needs at least 5 characters."),
        ({"title": "T" * (TITLE_MAX + 1)}, "title", "A title can have at most 200 characters."),
        ({"body": "   "}, "body", "Please write something first."),
        (
            {"body": "b" * (BODY_MAX + 1)},
            "body",
            "The text is too long: 20001 characters, at most 20000.",
        ),
        ({"tags": ["999999"]}, "tags", "Choose tags from this community's list."),
        ({"tags": ["elsewhere"]}, "tags", "Choose tags from this community's list."),
        ({"language": "de"}, "language", "Select a valid choice. de is not one of the"),
    ],
)
def test_bad_input_is_explained_kept_and_nothing_is_saved(
    login, community, elsewhere, member, change, field, message
):
    data = {**GOOD, **change}
    if data.get("tags") == ["elsewhere"]:
        data["tags"] = [Tag.objects.create(community=elsewhere, slug="x", name="X").pk]

    response = login(member).post(_create_url(community), data)

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    page = parse(response)
    errors = page.find("form", class_="panel").find_all(class_="errorlist")
    assert any(message in e.text for e in errors), [e.text for e in errors]
    # What was typed is still in the form.
    assert page.find("input", name="title").attrs.get("value", "") == data["title"]
    assert page.find("textarea", name="body").text == " ".join(data["body"].split())
    assert not Thread.objects.exists()
    assert not Post.objects.exists()


def test_the_service_refuses_an_unknown_language(community, member):
    with pytest.raises(ValidationError) as caught:
        services.thread_create(
            community=community, author=member, title="Title here", body="Body", language="xx"
        )
    assert caught.value.message_dict == {
        "language": ["Choose the language of the text from the list."]
    }
    assert not Thread.objects.exists()


def test_too_many_tags_are_refused(login, community, member, make_member):
    moderator = make_member(community, role="moderator")
    many = [
        services.tag_create(community=community, actor=moderator, name=f"T{n}") for n in "ABCDEF"
    ]

    response = login(member).post(_create_url(community), {**GOOD, "tags": [t.pk for t in many]})

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "At most 5 tags per thread." in response.content.decode()
    assert not Thread.objects.exists()


RUSSIAN = {
    "Please give the thread a title.": "Дайте теме название.",
    "A title needs at least %(limit_value)d characters.": (
        "В названии нужно не меньше %(limit_value)d символов."
    ),
    "A title can have at most %(limit_value)d characters.": (
        "В названии может быть не больше %(limit_value)d символов."
    ),
    "Please write something first.": "Сначала напишите что-нибудь.",
    "Choose tags from this community's list.": "Выберите метки из списка сообщества.",
}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"title": ""}, "Дайте теме название."),
        ({"title": "Abc"}, "В названии нужно не меньше 5 символов."),
        ({"title": "T" * (TITLE_MAX + 1)}, "В названии может быть не больше 200 символов."),
        ({"body": ""}, "Сначала напишите что-нибудь."),
        ({"tags": ["999999"]}, "Выберите метки из списка сообщества."),
    ],
)
def test_messages_follow_the_request_language(login, community, member, russian, change, expected):
    russian(RUSSIAN)

    response = login(member).post(
        _create_url(community), {**GOOD, **change}, headers={"accept-language": "ru"}
    )

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert parse(response).find("html").attrs["lang"] == "ru"
    assert expected in response.content.decode()
    assert not Thread.objects.exists()


def test_preview_button_shows_the_rendered_text_without_saving(login, community, member):
    response = login(member).post(
        _create_url(community), {**GOOD, "body": "# Plan\n\n- one\n- two", "preview": "1"}
    )

    assert response.status_code == HTTPStatus.OK
    preview = parse(response).find("div", id="preview")
    assert preview.find("h3").text == "Plan"
    assert [li.text for li in preview.find_all("li")] == ["one", "two"]
    assert parse(response).find("textarea", name="body").text == "# Plan - one - two"
    assert not Thread.objects.exists()


def test_live_preview_renders_markdown_safely(client, login, member):
    body = (
        "**Bold** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )

    response = login(member).post(reverse("markdown_preview"), {"body": body})

    assert response.status_code == HTTPStatus.OK
    assert b"<html" not in response.content
    assert parse(response).find("strong").text == "Bold"
    assert_inert(response.content.decode())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()
    assert client.get(reverse("markdown_preview")).status_code == HTTPStatus.METHOD_NOT_ALLOWED


@pytest.mark.parametrize("who", ["non_member", "other_moderator"])
def test_people_who_are_not_members_are_told_to_join(
    login, community, elsewhere, make_user, make_member, who
):
    user = make_user() if who == "non_member" else make_member(elsewhere, role="moderator")

    shown = login(user).get(_create_url(community))
    sent = login(user).post(_create_url(community), {**GOOD, "title": ""})

    for response in (shown, sent):
        assert response.status_code == HTTPStatus.FORBIDDEN
        page = parse(response)
        assert page.find(role="alert").text == "Join this community to take part."
        join = reverse("community_join", args=[community.slug])
        assert page.find("form", action=join)
    assert not Thread.objects.exists()


def test_visitors_are_sent_to_sign_in(client, community):
    response = client.get(_create_url(community))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))
