"""Discussion threads and chat rooms.

Counters on Thread (reply_count, last_post_number, last_post, last_poster, last_activity) and
ChatRoom.last_seq are denormalised; only forums/services.py writes them, in the transaction that
changes the posts or messages they summarise.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import CONTENT_LANGUAGES, Community
from resources.models import Resource

TITLE_MAX = 200
TITLE_MIN = 5
BODY_MAX = 20000
TAG_MAX_PER_THREAD = 5


class Tag(models.Model):
    """A community's vocabulary for threads; moderators manage it."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="tags")
    slug = models.SlugField(_("slug"), max_length=50, allow_unicode=True)
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "slug"], name="tag_unique_slug"),
        ]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Thread(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="threads")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="threads"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    language = models.CharField(_("language"), max_length=8, choices=CONTENT_LANGUAGES)
    tags = models.ManyToManyField(Tag, blank=True, related_name="threads", verbose_name=_("tags"))
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    is_deleted = models.BooleanField(_("deleted"), default=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_activity = models.DateTimeField(_("last activity"))
    reply_count = models.PositiveIntegerField(_("replies"), default=0)
    last_post_number = models.PositiveIntegerField(default=0)
    last_post = models.ForeignKey(
        "Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_poster = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_post = models.ForeignKey(
        "Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_message = models.ForeignKey(
        "ChatMessage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Bumped by every change to what the thread's page or its row in a list shows (its posts,
    # any save of the thread, its tags, its authors: forums/visitor_cache.py); its cached
    # pages, rows and pages of posts are kept under it.
    version = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            # The thread list: a community's live threads, pinned first, newest activity first
            # (the first page reads both in one scan; later pages the unpinned part).
            models.Index(
                fields=["community", "-is_pinned", "-last_activity", "-id"],
                condition=models.Q(is_deleted=False),
                name="thread_list",
            ),
        ]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("thread_detail", kwargs={"slug": self.community.slug, "thread_id": self.pk})

    @property
    def is_solved(self) -> bool:
        return self.accepted_post_id is not None


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    # 1 is the opening post; numbers are never reused, so page N is a range of numbers.
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="posts"
    )
    body = models.TextField(_("text"), max_length=BODY_MAX)
    html = models.TextField()
    language = models.CharField(_("language"), max_length=8, choices=CONTENT_LANGUAGES)
    quoted = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    is_deleted = models.BooleanField(_("deleted"), default=False)
    is_hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    hidden_reason = models.CharField(_("reason"), max_length=300, blank=True)
    # Bumped by every change to what the post shows (text, hidden or deleted, reactions; see
    # forums/services/derived.py): its rendered fragment is cached under it (forums/fragments.py).
    version = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "number"], name="post_unique_number"),
        ]
        indexes = [models.Index(fields=["author", "-created"])]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return f"#{self.number} in {self.thread_id}"

    def get_absolute_url(self) -> str:
        return reverse("post_permalink", kwargs={"post_id": self.pk})

    @property
    def is_visible(self) -> bool:
        return not (self.is_deleted or self.is_hidden)


class PostRevision(models.Model):
    """The text a post had before an edit."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    html = models.TextField()
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self) -> str:
        return f"revision of {self.post_id} at {self.created:%Y-%m-%d %H:%M}"


class Reaction(models.Model):
    class Kind(models.TextChoices):
        LIKE = "like", _("Like")
        THANKS = "thanks", _("Thanks")
        INSIGHTFUL = "insightful", _("Insightful")
        AGREE = "agree", _("Agree")
        QUESTION = "question", _("Question")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="reaction_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.post_id}"


class Bookmark(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="bookmark_unique"),
        ]
        indexes = [models.Index(fields=["user", "-created"])]

    def __str__(self) -> str:
        return f"bookmark {self.user_id} → {self.post_id}"


class ThreadFollow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="follow_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.thread_id}"


class ThreadReadState(models.Model):
    """The highest post number a user has seen in a thread."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    last_read_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="readstate_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id} to {self.last_read_number}"


class Report(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Rude or abusive")
        OFF_TOPIC = "off_topic", _("Off topic")
        PRIVACY = "privacy", _("Personal data or confidential information")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        HIDDEN = "hidden", _("post hidden")
        DISMISSED = "dismissed", _("dismissed")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=models.Q(status="open"),
                name="report_one_open_per_reporter",
            ),
        ]
        indexes = [models.Index(fields=["status", "-created"])]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"report on {self.post_id} ({self.status})"


class ChatRoom(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="rooms")
    slug = models.SlugField(_("slug"), max_length=50)
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("description"), max_length=300, blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    # The seq of the newest message; the next message takes last_seq + 1 under a row lock.
    last_seq = models.PositiveBigIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["is_archived", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["community", "slug"], name="room_unique_slug"),
        ]
        verbose_name = _("chat room")
        verbose_name_plural = _("chat rooms")

    def __str__(self) -> str:
        return f"#{self.slug}"

    def get_absolute_url(self) -> str:
        return reverse("room_detail", kwargs={"slug": self.community.slug, "room": self.slug})

    @property
    def group_name(self) -> str:
        return f"chat.{self.pk}"


class ChatMessage(models.Model):
    room = models.ForeignKey(ChatRoom, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveBigIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    client_id = models.CharField(max_length=64, blank=True)
    body = models.TextField()
    html = models.TextField()
    reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(default=False)
    removed_by_moderator = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "seq"], name="message_unique_seq"),
            models.UniqueConstraint(
                fields=["room", "author", "client_id"],
                condition=~models.Q(client_id=""),
                name="message_unique_client_id",
            ),
        ]
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")

    def __str__(self) -> str:
        return f"{self.room_id}#{self.seq}"

    def get_absolute_url(self) -> str:
        return f"{self.room.get_absolute_url()}?at={self.seq}#m{self.seq}"


class ChatReadState(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    room = models.ForeignKey(ChatRoom, on_delete=models.CASCADE, related_name="+")
    last_seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "room"], name="chatread_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.room_id} to {self.last_seq}"


class ChatMute(models.Model):
    room = models.ForeignKey(ChatRoom, on_delete=models.CASCADE, related_name="mutes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField()
    muted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["room", "user", "until"])]

    def __str__(self) -> str:
        return f"{self.user_id} muted in {self.room_id} until {self.until:%Y-%m-%d %H:%M}"


class MessageReport(models.Model):
    """A reader asks the community's moderators to look at a chat message (as Report does for
    posts); a moderator removes the message or dismisses the report."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        REMOVED = "removed", _("message removed")
        DISMISSED = "dismissed", _("dismissed")

    message = models.ForeignKey(ChatMessage, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Report.Reason.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "reporter"],
                condition=models.Q(status="open"),
                name="message_report_one_open_per_reporter",
            ),
        ]
        indexes = [models.Index(fields=["status", "-created"], name="message_report_status")]
        verbose_name = _("chat message report")
        verbose_name_plural = _("chat message reports")

    def __str__(self) -> str:
        return f"report on message {self.message_id} ({self.status})"


class ChatPresence(models.Model):
    """One open websocket connection in a room; shared by all server processes."""

    room = models.ForeignKey(ChatRoom, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel_name = models.CharField(max_length=200, unique=True)
    last_seen = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["room", "last_seen"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.room_id}"


class Citation(models.Model):
    """A post that links to a library resource: the library shows the thread as "discussed in".

    The table keeps the name it had when citations lived in ``resources``."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="citations")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "resources_citation"
        constraints = [
            models.UniqueConstraint(fields=["resource", "post"], name="citation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} cites {self.resource_id}"


class Question(models.Model):
    """A private question a member asked someone who offers expertise ("Ask this expert"),
    and the conversation that follows: seen by its two people and nobody else, staff included
    (forums/rules.py); never indexed, listed in threads, feeds or digests.

    ``last_number``, ``last_activity`` and ``last_author`` summarise the messages; each side's
    read marker says how far they read. Only forums/services/questions.py writes them, in the
    transaction that adds a message, with this row locked."""

    asker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # What the question is about, if the asker said: context for the expert, not an audience.
    community = models.ForeignKey(
        Community,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    subject = models.CharField(_("subject"), max_length=TITLE_MAX)
    language = models.CharField(_("language"), max_length=8, choices=CONTENT_LANGUAGES)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_activity = models.DateTimeField(_("last activity"))
    last_number = models.PositiveIntegerField(default=0)
    last_author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    asker_read_number = models.PositiveIntegerField(default=0)
    expert_read_number = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            # Each side's list of conversations, latest activity first.
            models.Index(fields=["asker", "-last_activity"], name="question_by_asker"),
            models.Index(fields=["expert", "-last_activity"], name="question_by_expert"),
        ]
        verbose_name = _("private question")
        verbose_name_plural = _("private questions")

    def __str__(self) -> str:
        return f"question {self.pk}: {self.asker_id} → {self.expert_id}"

    def get_absolute_url(self) -> str:
        return reverse("question_detail", kwargs={"question_id": self.pk})

    def other_side(self, user):
        """The other person of the conversation, seen from ``user`` (one of its two)."""
        return self.expert if user.pk == self.asker_id else self.asker

    def read_number_of(self, user) -> int:
        return self.asker_read_number if user.pk == self.asker_id else self.expert_read_number


class QuestionMessage(models.Model):
    """One message of a private question: number 1 is the question itself."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="messages")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("text"), max_length=BODY_MAX)
    html = models.TextField()
    created = models.DateTimeField(_("created"), auto_now_add=True)
    # Emptied when its author's account was erased with "remove my content" (the other side
    # keeps the conversation, with a placeholder where it was).
    is_deleted = models.BooleanField(_("deleted"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question", "number"], name="question_message_unique_number"
            ),
        ]
        verbose_name = _("message of a private question")
        verbose_name_plural = _("messages of private questions")

    def __str__(self) -> str:
        return f"#{self.number} of question {self.question_id}"

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#m{self.number}"
