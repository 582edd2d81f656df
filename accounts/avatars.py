"""Profile photos: whatever a person uploads becomes a small square JPEG that carries nothing
but pixels (no EXIF location, no camera serial, no embedded profile), or is refused with the
reason. Pillow decodes it; SVG (script inside an image) and image bombs never get that far."""

from __future__ import annotations

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

AVATAR_MAX_BYTES = 5 * 1024 * 1024
AVATAR_SIZE = 256
# A decoded image larger than this many pixels is refused before it is decoded (a 50 kB PNG can
# claim 100 000 × 100 000 pixels and take gigabytes of memory).
AVATAR_MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def avatar_from_upload(upload) -> ContentFile:
    """The processed photo for an uploaded file, or ValidationError saying why not."""
    if upload.size > AVATAR_MAX_BYTES:
        raise ValidationError(
            _("The photo is too large (%(size)s MB); the limit is 5 MB.")
            % {"size": round(upload.size / 1024 / 1024, 1)},
            code="too_large",
        )
    head = upload.read(512)
    upload.seek(0)
    if b"<svg" in head.lower() or b"<?xml" in head.lower():
        raise ValidationError(
            _("SVG drawings cannot be used as a photo: upload a JPEG, PNG or WebP image."),
            code="svg",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise ValidationError(
                        _("This kind of image is not accepted: upload a JPEG, PNG or WebP image."),
                        code="format",
                    )
                if probe.width * probe.height > AVATAR_MAX_PIXELS:
                    raise ValidationError(
                        _("The image is too large in pixels; use one under 40 megapixels."),
                        code="pixels",
                    )
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()
                picture = ImageOps.exif_transpose(image).convert("RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("The image is too large in pixels; use one under 40 megapixels."), code="pixels"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("This file is not an image we can read: upload a JPEG, PNG or WebP image."),
            code="not_image",
        ) from None
    square = ImageOps.fit(picture, (AVATAR_SIZE, AVATAR_SIZE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # A new image from pixels alone: nothing of the original's metadata is written.
    square.save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
