""" "Download my data": a zip of JSON files, one per section (accounts/personal_data.py), plus
the person's uploaded files and a README, built by the background worker.

The person (or staff, on their behalf) asks; one export at a time per person (a second request
while one is being built returns that one); when it is ready the person gets an inbox entry and
an e-mail with a link that works for EXPORT_KEEP_DAYS days, after which a periodic job deletes
the zip.
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import DataExport, Notification, User
from accounts.personal_data import exclusions, sections
from core.services import audit_record
from core.site import site_name
from core.tasks import task
from core.worker import enqueue_on_commit

logger = logging.getLogger(__name__)

EXPORT_KEEP_DAYS = 7
STALE_AFTER = timedelta(hours=6)
_SALT = "accounts.export"


def export_request(*, user: User, requested_by: User | None = None) -> DataExport:
    """Ask for an export of ``user``'s data; returns the export being made if there is one
    already (the database allows one per person), else a new one queued for the worker.
    ``requested_by``: a staff member acting on a data-subject request (audited)."""
    in_making = DataExport.objects.filter(
        user=user, status__in=[DataExport.Status.PENDING, DataExport.Status.RUNNING]
    )
    # One that has been in the making for hours lost its worker: it must not block a new one.
    in_making.filter(created__lt=timezone.now() - STALE_AFTER).update(
        status=DataExport.Status.FAILED, finished=timezone.now()
    )
    running = in_making.first()
    if running is not None:
        return running
    try:
        with transaction.atomic():
            export = DataExport.objects.create(user=user, requested_by=requested_by)
            if requested_by is not None and requested_by.pk != user.pk:
                audit_record(
                    actor=requested_by, action="account.export", target=user, community=None
                )
            enqueue_on_commit(export_build_task, export.pk)
    except IntegrityError:  # a concurrent request made one first
        return DataExport.objects.get(
            user=user, status__in=[DataExport.Status.PENDING, DataExport.Status.RUNNING]
        )
    return export


def export_build(*, export: DataExport) -> DataExport:
    """Build the zip of ``export`` (the worker calls this), then tell its person."""
    DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.RUNNING)
    user = export.user
    try:
        content = _zip_of(user)
    except Exception:
        logger.exception("data export %s failed", export.pk)
        DataExport.objects.filter(pk=export.pk).update(
            status=DataExport.Status.FAILED, finished=timezone.now()
        )
        _tell(user=user, export=export, ready=False)
        return export
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    with transaction.atomic():
        export.file.save(f"data-{user.pk}-{stamp}.zip", ContentFile(content), save=False)
        export.size = len(content)
        export.status = DataExport.Status.READY
        export.finished = timezone.now()
        export.save(update_fields=["file", "size", "status", "finished"])
        _tell(user=user, export=export, ready=True)
    return export


@task()
def export_build_task(export_id: int) -> None:
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is not None and export.status == DataExport.Status.PENDING:
        export_build(export=export)


def _zip_of(user: User) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        names = []
        for section in sections():
            data = section.export(user)
            archive.writestr(
                f"{section.name}.json",
                json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            )
            names.append(section)
            if section.files is not None:
                for name, field_file in section.files(user):
                    try:
                        with field_file.open("rb") as handle:
                            archive.writestr(f"files/{name}", handle.read())
                    except (FileNotFoundError, OSError):
                        logger.warning("export: file %s is missing", field_file.name)
        archive.writestr("README.txt", _readme(user, names))
    return buffer.getvalue()


def _readme(user: User, included) -> str:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        lines = [
            _("Your data from %(site)s") % {"site": site_name()},
            _("Prepared on %(date)s for the account @%(username)s.")
            % {"date": timezone.now().strftime("%Y-%m-%d %H:%M UTC"), "username": user.username},
            "",
            _("Each file is JSON (UTF-8). Uploaded files are in the folder files/."),
            "",
        ]
        lines += [f"- {section.name}.json: {section.description}" for section in included]
        lines += ["", _("Not included, and why:")]
        lines += [f"- {item.model}: {item.reason}" for item in exclusions()]
    return "\n".join(lines) + "\n"


def download_token(export: DataExport) -> str:
    return signing.dumps({"export": export.pk, "user": export.user_id}, salt=_SALT)


def download_url(export: DataExport) -> str:
    """The link in the notice; it stops working after EXPORT_KEEP_DAYS days."""
    return reverse("my_data_download", kwargs={"token": download_token(export)})


def export_from_token(*, token: str, user: User) -> DataExport | None:
    """The ready export the link names, if it is ``user``'s and has not expired."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=timedelta(days=EXPORT_KEEP_DAYS))
    except signing.BadSignature:
        return None
    if data.get("user") != user.pk:
        return None
    return DataExport.objects.filter(
        pk=data.get("export"), user=user, status=DataExport.Status.READY
    ).first()


def _tell(*, user: User, export: DataExport, ready: bool) -> None:
    from accounts.services import notification_create

    url = download_url(export) if ready else reverse("my_data")
    notification_create(
        recipients=[user],
        kind=Notification.Kind.ACCOUNT,
        actor=None,
        url=url,
        data={"what": "export_ready" if ready else "export_failed", "export": export.pk},
    )
    if not user.email:
        return
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = f"[{site_name()}] " + (
            _("Your data export is ready") if ready else _("Your data export failed")
        )
        body = (
            _(
                "Hello %(name)s,\n\nthe copy of your data you asked for is ready. Sign in and "
                "download it here within %(days)d days:\n%(url)s\n\nAfter that the file is "
                "deleted."
            )
            if ready
            else _(
                "Hello %(name)s,\n\nyour data export could not be prepared. Please ask for it "
                "again: %(url)s"
            )
        ) % {"name": user.name, "days": EXPORT_KEEP_DAYS, "url": settings.SITE_URL + url}
    sender = f"{site_name()} <{settings.DEFAULT_FROM_EMAIL}>"

    def send() -> None:
        try:
            send_mail(subject, body, sender, [user.email])
        except Exception:
            logger.warning("could not send the export notice", exc_info=True)

    transaction.on_commit(send)


def exports_expire(*, now=None) -> int:
    """Delete the zips older than EXPORT_KEEP_DAYS days (and the rows); returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=EXPORT_KEEP_DAYS)
    old = list(DataExport.objects.filter(created__lt=cutoff))
    for export in old:
        if export.file:
            export.file.delete(save=False)
        export.delete()
    return len(old)


@task()
def exports_expire_task() -> None:
    exports_expire()
