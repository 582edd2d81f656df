"""People: the custom user and practitioner profile, expertise areas, the notification inbox."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.avatars import AVATAR_DIRECTORY
from core.models import pick_language

# Languages a practitioner may say they speak; the three platform languages first.
SPOKEN_LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
    ("uz", _("Uzbek")),
    ("ky", _("Kyrgyz")),
    ("tg", _("Tajik")),
    ("tk", _("Turkmen")),
    ("az", _("Azerbaijani")),
    ("hy", _("Armenian")),
    ("ka", _("Georgian")),
    ("mn", _("Mongolian")),
    ("tr", _("Turkish")),
    ("ko", _("Korean")),
    ("zh", _("Chinese")),
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("de", _("German")),
    ("es", _("Spanish")),
]


THEMES = [("light", _("Light")), ("dark", _("Dark"))]


class ExpertiseArea(models.Model):
    slug = models.SlugField(_("slug"), unique=True, max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ru = models.CharField(_("name (Russian)"), max_length=120)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=120)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("expertise area")
        verbose_name_plural = _("expertise areas")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_language(self, "name")


class Audience(models.TextChoices):
    """Who may see a part of a profile (accounts/privacy.py decides)."""

    EVERYONE = "everyone", _("Everyone, also without signing in")
    MEMBERS = "members", _("Signed-in members")
    COMMUNITIES = "communities", _("Members of my communities")
    NOBODY = "nobody", _("Nobody but me")


class User(AbstractUser):
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True, db_index=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    expertise = models.ManyToManyField(
        ExpertiseArea, verbose_name=_("expertise areas"), blank=True, related_name="users"
    )
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    # The interface language the person last chose (the header's switcher, or sign-up): what
    # the e-mails they are sent are written in.
    language = models.CharField(
        _("interface language"), max_length=8, blank=True, choices=settings.LANGUAGES
    )
    # The zone times are shown in (events, chat, threads); empty: the browser's, as it reports.
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        help_text=_("Leave empty to use the time zone of your browser."),
    )
    # A square JPEG made by accounts/avatars.py (never the uploaded file itself); empty: the
    # initials on a colour. Indexed: /avatars/<name> finds a photo by its file name
    # (accounts.views.avatar_photo).
    avatar = models.FileField(
        _("photo"), upload_to=AVATAR_DIRECTORY, blank=True, max_length=200, db_index=True
    )
    # Light or dark pages; empty: follow the device (prefers-color-scheme). The header's switch
    # sets it (and a cookie, for visitors and before sign-in).
    theme = models.CharField(_("colour theme"), max_length=8, blank=True, choices=THEMES)
    is_expert = models.BooleanField(
        _("offers expertise"),
        default=False,
        db_index=True,
        help_text=_("Listed in the expert roster so that colleagues can ask for advice."),
    )
    # Whether signed-in members may open a private question to this person ("Ask this
    # expert", forums/rules.py); it only matters while they offer expertise.
    accepts_questions = models.BooleanField(
        _("accept private questions from members"),
        default=True,
        help_text=_(
            "While you offer expertise, signed-in members who may see your profile can ask you "
            "a question that only the two of you see. Conversations already started go on."
        ),
    )

    # Privacy choices: who sees the profile at all, and who sees each of these parts of it
    # (the directory, member pages, post bylines, and the members API all ask privacy.py).
    profile_audience = models.CharField(
        _("who sees my profile"),
        max_length=16,
        choices=[c for c in Audience.choices if c[0] != Audience.NOBODY],
        default=Audience.EVERYONE,
    )
    email_audience = models.CharField(
        _("who sees my e-mail address"),
        max_length=16,
        choices=Audience.choices,
        default=Audience.NOBODY,
    )
    country_audience = models.CharField(
        _("who sees my country"), max_length=16, choices=Audience.choices, default=Audience.EVERYONE
    )
    organisation_audience = models.CharField(
        _("who sees my organisation and position"),
        max_length=16,
        choices=Audience.choices,
        default=Audience.EVERYONE,
    )
    # Deletion (accounts/deletion.py): asked for at ``deletion_requested``, erased after the
    # grace period unless the person signs in again; ``deleted`` marks the erased row that
    # remains so that their kept posts, counts and threads stay whole ("former member").
    deletion_requested = models.DateTimeField(_("deletion requested"), null=True, blank=True)
    deletion_remove_content = models.BooleanField(_("remove my content too"), default=False)
    deleted = models.DateTimeField(_("deleted"), null=True, blank=True, db_index=True)
    # When the person finished or skipped the welcome after signing up (project/welcome.py).
    # Empty while it waits: the allauth adapters clear it for every sign-up, with a password
    # or through an institution. Everyone else counts as welcomed from the start: accounts
    # from before the welcome existed (the migration fills in its own date), the demo
    # accounts, people made in the admin or by a command.
    onboarded_at = models.DateTimeField(_("welcome finished"), null=True, blank=True, default=now)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("member_detail", kwargs={"username": self.username})

    @property
    def name(self) -> str:
        if self.deleted:
            from django.utils.translation import gettext

            return gettext("former member")
        return self.display_name or self.username

    @property
    def needs_welcome(self) -> bool:
        """Signed up, and has neither finished nor skipped the welcome yet."""
        return self.onboarded_at is None

    def language_labels(self) -> list[str]:
        labels = dict(SPOKEN_LANGUAGES)
        return [str(labels.get(code, code)) for code in self.languages]


def user_display(user) -> str:
    """What allauth shows for a user (ACCOUNT_USER_DISPLAY)."""
    return user.name


class Notification(models.Model):
    """One entry of a person's inbox.

    The meaning lives in ``kind`` + ``data`` (+ the link), and the text is rendered in the
    reader's language when shown; the e-mail channel (mail/) renders the same rows in the
    recipient's language when it sends them.
    """

    class Kind(models.TextChoices):
        REPLY = "reply", _("reply in a followed thread")
        MENTION = "mention", _("mention")
        ACCEPTED = "accepted", _("accepted answer")
        CHAT_MENTION = "chat_mention", _("mention in chat")
        RESOURCE_DECISION = "resource_decision", _("library review decision")
        QUOTE = "quote", _("quote of your post")
        REPORT = "report", _("report of a post")
        EVENT = "event", _("event you registered for")
        ACCOUNT = "account", _("your account and data")
        QUESTION = "question", _("private question")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    community = models.ForeignKey(
        "cop.Community", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    url = models.CharField(_("link"), max_length=500)
    title = models.CharField(_("title"), max_length=300, blank=True)
    excerpt = models.CharField(_("excerpt"), max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created"]),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


def notification_message(notification: Notification) -> str:
    """The inbox line for a notification, in the reader's current language."""
    # Called gettext (not an alias) so that makemessages finds these strings.
    from django.utils.translation import gettext

    actor = notification.actor.name if notification.actor else gettext("Someone")
    params = {"actor": actor, "title": notification.title}
    kind = notification.kind
    if kind == Notification.Kind.REPLY:
        return gettext("%(actor)s replied in “%(title)s”") % params
    if kind == Notification.Kind.MENTION:
        return gettext("%(actor)s mentioned you in “%(title)s”") % params
    if kind == Notification.Kind.ACCEPTED:
        return gettext("%(actor)s accepted your answer in “%(title)s”") % params
    if kind == Notification.Kind.CHAT_MENTION:
        return gettext("%(actor)s mentioned you in the chat room “%(title)s”") % params
    if kind == Notification.Kind.QUOTE:
        return gettext("%(actor)s quoted you in “%(title)s”") % params
    if kind == Notification.Kind.REPORT:
        if "room" in notification.data:
            return gettext("%(actor)s reported a chat message in “%(title)s”") % params
        return gettext("%(actor)s reported a post in “%(title)s”") % params
    if kind == Notification.Kind.EVENT:
        what = notification.data.get("what")
        if what == "reminder_day":
            return gettext("Tomorrow: “%(title)s”") % params
        if what == "reminder_hour":
            return gettext("Starting within the hour: “%(title)s”") % params
        if what == "promoted":
            return gettext("A place opened up: you are registered for “%(title)s”") % params
        if what == "cancelled":
            return gettext("Cancelled: “%(title)s”") % params
        if what == "changed":
            return gettext("New time or place for “%(title)s”") % params
    if kind == Notification.Kind.QUESTION:
        if notification.data.get("what") == "replied":
            return gettext("%(actor)s replied in your private conversation “%(title)s”") % params
        return gettext("%(actor)s asked you a question: “%(title)s”") % params
    if kind == Notification.Kind.ACCOUNT:
        what = notification.data.get("what")
        if what == "export_ready":
            return gettext("Your data export is ready to download (for 7 days)")
        if what == "export_failed":
            return gettext("Your data export could not be prepared; please ask again")
    if kind == Notification.Kind.RESOURCE_DECISION:
        decision = notification.data.get("decision")
        if decision == "published":
            return gettext("Your submission “%(title)s” was published") % params
        if decision == "changes_requested":
            return gettext("Changes were requested to your submission “%(title)s”") % params
        if decision == "rejected":
            return gettext("Your submission “%(title)s” was not accepted") % params
        if decision == "submitted":
            return gettext("%(actor)s submitted “%(title)s” for review") % params
    return notification.title


class DataExport(models.Model):
    """One "Download my data" request: built by the worker, kept for EXPORT_KEEP_DAYS."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(
        _("state of the export"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Staff member who asked on the person's behalf, if any."),
    )
    file = models.FileField(_("file"), upload_to="exports/", blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            # At most one export in the making per person: a second request returns it.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status__in=["pending", "running"]),
                name="one_running_export_per_user",
            )
        ]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")

    def __str__(self) -> str:
        return f"export {self.pk} of {self.user_id} ({self.status})"
