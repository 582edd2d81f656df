"""Files attached to library resources."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.permissions import Refusal
from resources.models import Resource, ResourceFile
from resources.rules import can_edit_resource
from resources.services.records import revision_record
from resources.uploads import check_upload, stored_name


def file_attach(
    *, resource: Resource, actor: User, upload: UploadedFile, check_permission: bool = True
) -> ResourceFile:
    """Check an upload (size, type from its content) and store it under a random name.
    Raises Refusal (``actor`` may not change the resource; not checked when the caller already
    did: ``check_permission=False``) or ValidationError (on ``files``)."""
    if check_permission and not can_edit_resource(actor, resource):
        raise Refusal(_("You cannot change this resource."))
    try:
        checked = check_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"files": exc.messages}) from None
    return ResourceFile.objects.create(
        resource=resource,
        file=upload,
        original_name=stored_name(upload.name or "file", checked.content_type),
        content_type=checked.content_type,
        size=checked.size,
    )


@transaction.atomic
def file_remove(*, resource_file: ResourceFile, actor: User) -> None:
    """Remove a file (a revision notes it); the stored file is deleted after commit. Raises
    Refusal."""
    resource = resource_file.resource
    if not can_edit_resource(actor, resource):
        raise Refusal(_("You cannot change this resource."))
    revision_record(
        resource=resource, editor=actor, note=f"file removed: {resource_file.original_name}"
    )
    storage, name = resource_file.file.storage, resource_file.file.name
    resource_file.delete()
    transaction.on_commit(lambda: storage.delete(name))
