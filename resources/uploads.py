"""Checks on uploaded library files: size before the file is read, type from the content.

The size limit is enforced by an upload handler while the request body streams in, so an
oversized file is never held in memory nor fully written to disk. The type comes from the first
bytes of the content (magic numbers), checked against an allow-list; the file name's extension
is ignored, and replaced by the one of the detected type in the stored and downloaded names.
The whole file, streamed in chunks, is searched for markup a browser would run if it ever
rendered the file. Files are stored under random names and always served as attachments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Allowed types: their label, and the extension files of that type are stored and served with.
ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    "application/msword": "Word",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.ms-powerpoint": "PowerPoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/vnd.oasis.opendocument.text": "OpenDocument",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument",
}
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "application/msword": ".doc",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.ms-powerpoint": ".ppt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.presentation": ".odp",
}
# Markup that browsers would render or run if they ever sniffed the file as HTML or SVG.
# A file of an allowed type that carries it anywhere is a polyglot: refused.
_ACTIVE_MARKUP = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|script|svg|iframe|object|embed|math|meta|"
    rb"\?xml|xsl:stylesheet)\b",
    re.IGNORECASE,
)
SNIFF_BYTES = 8192  # enough for the type's magic numbers
# Chunks of the markup search overlap by this much, so a tag split across two is still found.
MARKUP_OVERLAP = 64


class UploadTooLarge(Exception):
    pass


class LimitedUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: skips any file that grows past UPLOAD_MAX_BYTES while it
    streams in, and remembers it on the request so the form can say so."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            too_large = getattr(self.request, "uploads_too_large", [])
            too_large.append(self.file_name)
            self.request.uploads_too_large = too_large
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


@dataclass
class CheckedFile:
    content_type: str
    label: str
    size: int


def _human_size(size: int) -> str:
    return filesizeformat(size)


def check_upload(upload) -> CheckedFile:
    """Raise ValidationError unless ``upload`` is a non-empty file of an allowed type within the
    size limit, with no web page markup anywhere in it. Reads the whole file, in chunks."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": upload.name})
    if size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file “%(name)s” is too big: the limit is %(limit)s.")
            % {"name": upload.name, "limit": _human_size(settings.UPLOAD_MAX_BYTES)}
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if mime not in ALLOWED_TYPES:
        raise ValidationError(
            _(
                "The file “%(name)s” is not of an allowed type. Allowed: PDF, Word, Excel, "
                "PowerPoint, OpenDocument, PNG, JPEG, GIF and WebP."
            )
            % {"name": upload.name}
        )
    if _carries_markup(upload):
        raise ValidationError(
            _("The file “%(name)s” contains web page markup and cannot be accepted.")
            % {"name": upload.name}
        )
    return CheckedFile(content_type=mime, label=ALLOWED_TYPES[mime], size=size)


def _carries_markup(upload) -> bool:
    """Whether markup appears anywhere in the file (streamed: never all of it in memory)."""
    upload.seek(0)
    tail = b""
    try:
        for chunk in upload.chunks():
            window = tail + chunk
            if _ACTIVE_MARKUP.search(window):
                return True
            tail = window[-MARKUP_OVERLAP:]
    finally:
        upload.seek(0)
    return False


def stored_name(name: str, content_type: str) -> str:
    """A file name to show and download: the name's stem, with the extension of the type the
    content was found to be (never the one the uploader typed: "report.html" of a PDF is
    "report.pdf"). Only the last path component is kept."""
    stem = PurePath(PurePath(name.replace("\\", "/")).name).stem.strip() or "file"
    return f"{stem[:200]}{EXTENSIONS.get(content_type, '')}"


def too_large_message(names: list[str]) -> str:
    return _("The file “%(name)s” is too big: the limit is %(limit)s.") % {
        "name": ", ".join(names),
        "limit": _human_size(settings.UPLOAD_MAX_BYTES),
    }
