"""Generated avatars: initials on a stable colour. Shared by the avatar template tag and the
chat frames (chat.js draws live messages' avatars from the frame), so both agree."""

from __future__ import annotations

import zlib

from django.urls import reverse

AVATAR_COLOURS = 8
# Where profile photos are stored (accounts.models.User.avatar's upload_to).
AVATAR_DIRECTORY = "avatars/"


def initials(name: str) -> str:
    """One or two letters for an avatar: the first letters of the first two words."""
    words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[1][0] if len(words) > 1 else "")
    return letters.upper()


def avatar_colour(key: str) -> int:
    """A stable colour index (0–7, the .avatar-cN classes) for a person."""
    return zlib.crc32(key.encode("utf-8")) % AVATAR_COLOURS


def photo_url(photo) -> str:
    """The address of a profile photo in pages: the application's own, which never expires
    (accounts.views.avatar_photo), never the storage's."""
    return reverse("avatar_photo", args=[photo.name.removeprefix(AVATAR_DIRECTORY)])


def avatar_of(user) -> dict:
    """What a client needs to draw ``user``'s avatar: photo URL or initials and colour."""
    photo = getattr(user, "avatar", None)
    return {
        "url": photo_url(photo) if photo else "",
        "initials": initials(user.name),
        "colour": avatar_colour(user.username or user.name),
    }
