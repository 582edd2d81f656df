"""The community core: communities, who belongs to them in which role, and the audit log."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

CONTENT_LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
    ("other", _("Other")),
]


def pick_language(obj, field: str) -> str:
    """The value of ``<field>_<current language>``, falling back to English, then any language."""
    lang = (get_language() or "en").split("-")[0]
    for code in (lang, "en", "ru", "kk"):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return value
    return ""


class Community(models.Model):
    slug = models.SlugField(_("slug"), unique=True, max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=150)
    name_ru = models.CharField(_("name (Russian)"), max_length=150)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=150)
    description_en = models.TextField(_("description (English)"))
    description_ru = models.TextField(_("description (Russian)"))
    description_kk = models.TextField(_("description (Kazakh)"))
    position = models.PositiveSmallIntegerField(pgettext_lazy("sort order", "position"), default=0)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    # Bumped by every change to what the community's thread lists show (a thread written,
    # replied to, edited, pinned, locked, tagged, moved or deleted; a tag; an author's name):
    # visitors' thread lists are cached under it (forums/visitor_cache.py).
    activity_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community_detail", kwargs={"slug": self.slug})

    @property
    def name(self) -> str:
        return pick_language(self, "name")

    @property
    def description(self) -> str:
        return pick_language(self, "description")

    @property
    def names(self) -> list[tuple[str, str]]:
        """(name, language code) in every language: what search finds its content by."""
        return [(self.name_kk, "kk"), (self.name_ru, "ru"), (self.name_en, "en")]


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        MODERATOR = "moderator", _("moderator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "community"], name="membership_unique"),
        ]
        indexes = [models.Index(fields=["community", "role", "-created"])]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.community.slug} ({self.role})"


class AuditEntry(models.Model):
    """One moderation action: who did what to which object, with the state before and after."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, null=True, blank=True, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=64)
    target_type = models.CharField(_("target type"), max_length=64)
    target_id = models.CharField(_("target id"), max_length=64)
    target_repr = models.CharField(_("target"), max_length=300)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["community", "-created"])]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target_repr}"


class WorkerHeartbeat(models.Model):
    """A background worker's last sign of life (``manage.py worker`` writes it every few
    seconds); /healthz reports a worker that has gone quiet."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    started = models.DateTimeField()
    seen = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.seen:%Y-%m-%d %H:%M:%S})"


class ScheduleSlot(models.Model):
    """When a periodic job (core.worker.register_periodic) next falls due. Every worker checks;
    the one whose conditional update moves ``next_run`` on enqueues the job, so several
    workers never run it twice."""

    name = models.CharField(max_length=64, primary_key=True)
    next_run = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.next_run:%Y-%m-%d %H:%M}"
