"""Profile photos: resized, stripped of metadata, or refused with the reason (the rest of the
form kept); without one, initials. Served at the application's own address, which never
expires, whatever the storage."""

from __future__ import annotations

import io
from http import HTTPStatus

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.avatars import AVATAR_SIZE
from core.avatars import avatar_of
from core.services import membership_join
from forums.models import ChatRoom
from forums.services import message_send, post_reply, thread_create
from tests.accounts.test_profile import valid_data
from tests.htmltree import parse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def aigerim(communities, make_user):
    return make_user("aigerim", email="aigerim@example.org")


def png(width=800, height=600, *, exif=False) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 60))
    out = io.BytesIO()
    if exif:
        info = Image.Exif()
        info[0x8825] = {2: (43.0, 15.0, 0.0)}  # GPS: where the photo was taken
        info[0x010F] = "Camera maker"
        image.save(out, format="JPEG", exif=info)
    else:
        image.save(out, format="PNG")
    return out.getvalue()


def upload(content: bytes, name="me.png", content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_photo_is_cropped_to_a_square_jpeg_without_metadata(aigerim, login):
    client = login(aigerim)
    response = client.post(
        "/profile/", {**valid_data(), "photo": upload(png(exif=True), "me.jpg", "image/jpeg")}
    )
    assert response.status_code == HTTPStatus.FOUND
    aigerim.refresh_from_db()
    assert aigerim.avatar.name.startswith("avatars/")
    assert aigerim.avatar.name.endswith(".jpg")
    with Image.open(aigerim.avatar.path) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (AVATAR_SIZE, AVATAR_SIZE)
        assert not stored.getexif()
    page = parse(client.get("/members/aigerim/").content)
    img = page.one("main").find_all("img")
    address = f"/avatars/{aigerim.avatar.name.removeprefix('avatars/')}"
    assert any(i.attrs["src"] == address for i in img)


def test_replacing_and_removing_the_photo_deletes_the_old_file(aigerim, login, settings):
    client = login(aigerim)
    client.post("/profile/", {**valid_data(), "photo": upload(png())})
    aigerim.refresh_from_db()
    first = aigerim.avatar.path
    client.post("/profile/", {**valid_data(), "photo": upload(png(300, 900))})
    aigerim.refresh_from_db()
    assert aigerim.avatar.path != first
    client.post("/profile/", {**valid_data(), "photo-clear": "on"})
    aigerim.refresh_from_db()
    assert not aigerim.avatar


BIG = b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024 + 10)


def _bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, format="PNG")  # 144 megapixels, a few kB
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.7 not an image", "cv.pdf", "This file is not an image we can read"),
        (b"hello", "me.png", "This file is not an image we can read"),
        (
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "me.svg",
            "SVG drawings cannot be used as a photo",
        ),
        (BIG, "huge.jpg", "The photo is too large"),
        (_bomb(), "bomb.png", "The image is too large in pixels"),
    ],
    ids=["pdf", "garbage", "svg", "too-large", "bomb"],
)
def test_a_bad_photo_is_refused_with_the_reason_and_the_form_is_kept(
    aigerim, login, content, name, message
):
    response = login(aigerim).post(
        "/profile/",
        {**valid_data(organisation="Kept organisation"), "photo": upload(content, name)},
    )
    assert response.status_code == HTTPStatus.OK
    page = parse(response.content)
    errors = " ".join(e.text for e in page.find_all("ul", class_="errorlist"))
    assert message in errors
    assert page.one("input", name="organisation").attrs["value"] == "Kept organisation"
    aigerim.refresh_from_db()
    assert not aigerim.avatar
    assert aigerim.organisation == ""


class ExpiringURLStorage(FileSystemStorage):
    """A storage whose own URLs expire, as S3's signed ones do after an hour: a page that holds
    one (in a fragment cached for a day) would show a broken image."""

    def url(self, name):
        raise AssertionError(f"a page asked the storage for its URL of {name}")


def test_pages_hold_the_applications_address_of_a_photo_never_the_storages(
    aigerim, login, settings, communities
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.ExpiringURLStorage"},
    }
    community = communities["one-stop-shop"]
    client = login(aigerim)
    client.post("/profile/", {**valid_data(), "photo": upload(png())})
    aigerim.refresh_from_db()
    address = f"/avatars/{aigerim.avatar.name.removeprefix('avatars/')}"
    membership_join(user=aigerim, community=community)
    thread = thread_create(
        community=community,
        author=aigerim,
        title="Фото бар тақырып",
        body="Бірінші жазба.",
        language="kk",
    )
    post_reply(thread=thread, author=aigerim, body="Екінші жазба.")
    room = ChatRoom.objects.get(community=community, slug="general")
    message_send(room=room, author=aigerim, body="Сәлем!")

    for path in ("/members/aigerim/", thread.get_absolute_url(), room.get_absolute_url()):
        sources = {img.attrs["src"] for img in parse(client.get(path).content).find_all("img")}
        assert address in sources, path
    assert avatar_of(aigerim)["url"] == address  # what chat frames carry

    photo = client.get(address)
    assert photo.status_code == HTTPStatus.OK
    assert photo["Content-Type"] == "image/jpeg"
    assert "immutable" in photo["Cache-Control"]
    assert photo["X-Content-Type-Options"] == "nosniff"
    with default_storage.open(aigerim.avatar.name, "rb") as stored:
        assert b"".join(photo.streaming_content) == stored.read()


def test_only_a_photo_in_use_is_served(aigerim, login, client, settings):
    login(aigerim).post("/profile/", {**valid_data(), "photo": upload(png())})
    aigerim.refresh_from_db()
    name = aigerim.avatar.name.removeprefix("avatars/")
    assert client.get(f"/avatars/{name}").status_code == HTTPStatus.OK  # visitors see it too
    # A file in the same directory that nobody uses as a photo, and one that does not exist.
    default_storage.save("avatars/stray.jpg", ContentFile(png()))
    assert client.get("/avatars/stray.jpg").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/avatars/nothing.jpg").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/avatars/..%2Fsecret").status_code == HTTPStatus.NOT_FOUND
    for odd in ("%00", "a%00.jpg", "%C3%A9.jpg", ".hidden", "a%20b.jpg", "x" * 300):
        assert client.get(f"/avatars/{odd}").status_code == HTTPStatus.NOT_FOUND, odd
    # Behind nginx, the application only says which file; nginx sends it.
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    accel = client.get(f"/avatars/{name}")
    assert accel["X-Accel-Redirect"] == f"/protected-media/avatars/{name}"
    assert accel.content == b""
    # Once the photo is removed, its address answers nothing.
    settings.MEDIA_ACCEL_REDIRECT = ""
    login(aigerim).post("/profile/", {**valid_data(), "photo-clear": "on"})
    assert client.get(f"/avatars/{name}").status_code == HTTPStatus.NOT_FOUND
