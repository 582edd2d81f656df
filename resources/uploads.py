"""Checks on uploaded library files: size before the file is read, type from the content.

The size limit is enforced by an upload handler while the request body streams in, so an
oversized file is never held in memory nor fully written to disk. The type comes from the first
bytes of the content (magic numbers), checked against an allow-list; the file name's extension
is ignored. Files are stored under random names and always served as attachments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

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
# Markup that browsers would render or run if they ever sniffed the file as HTML or SVG.
# A file of an allowed type that carries it near the start is a polyglot: refused.
_ACTIVE_MARKUP = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|script|svg|iframe|object|embed|math|meta|"
    rb"\?xml|xsl:stylesheet)\b",
    re.IGNORECASE,
)
SNIFF_BYTES = 8192


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
    size limit. Reads only the first bytes."""
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
    if _ACTIVE_MARKUP.search(head):
        raise ValidationError(
            _("The file “%(name)s” contains web page markup and cannot be accepted.")
            % {"name": upload.name}
        )
    return CheckedFile(content_type=mime, label=ALLOWED_TYPES[mime], size=size)


def too_large_message(names: list[str]) -> str:
    return _("The file “%(name)s” is too big: the limit is %(limit)s.") % {
        "name": ", ".join(names),
        "limit": _human_size(settings.UPLOAD_MAX_BYTES),
    }
