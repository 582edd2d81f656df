"""Profile photos: resized, stripped of metadata, or refused with the reason (the rest of the
form kept); without one, initials."""

from __future__ import annotations

import io
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.avatars import AVATAR_SIZE
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
    assert any(i.attrs["src"] == aigerim.avatar.url for i in img)


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
