import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import mail.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0004_user_language_alter_notification_kind"),
        ("cop", "0003_worker"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DigestRun",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("period", models.CharField(max_length=8)),
                ("start", models.DateTimeField()),
                ("created", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("period", "start"), name="digest_run_once")
                ],
            },
        ),
        migrations.CreateModel(
            name="MailSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "replies",
                    models.CharField(
                        choices=[
                            ("now", "immediately"),
                            ("digest", "in my digest"),
                            ("off", "never"),
                        ],
                        default="now",
                        max_length=8,
                        verbose_name="replies in threads you follow, quotes, accepted answers",
                    ),
                ),
                (
                    "mentions",
                    models.CharField(
                        choices=[
                            ("now", "immediately"),
                            ("digest", "in my digest"),
                            ("off", "never"),
                        ],
                        default="now",
                        max_length=8,
                        verbose_name="mentions of you, in threads and chat",
                    ),
                ),
                (
                    "moderation",
                    models.CharField(
                        choices=[
                            ("now", "immediately"),
                            ("digest", "in my digest"),
                            ("off", "never"),
                        ],
                        default="now",
                        max_length=8,
                        verbose_name="library decisions on your submissions, and items to review or reports (moderators)",
                    ),
                ),
                (
                    "digests",
                    models.BooleanField(
                        default=True,
                        help_text="What happened since the last one; never sent when nothing did.",
                        verbose_name="digests of my communities",
                    ),
                ),
                ("last_daily", models.DateTimeField(blank=True, null=True)),
                ("last_weekly", models.DateTimeField(blank=True, null=True)),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mail_settings",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "e-mail settings",
                "verbose_name_plural": "e-mail settings",
            },
        ),
        migrations.CreateModel(
            name="SavedSearch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("params", models.JSONField(default=dict, verbose_name="search")),
                (
                    "alert",
                    models.CharField(
                        choices=[
                            ("now", "immediately"),
                            ("digest", "in my digest"),
                            ("off", "never"),
                        ],
                        default="digest",
                        max_length=8,
                        verbose_name="alert",
                    ),
                ),
                ("last_entry", models.BigIntegerField(default=0)),
                (
                    "feed_token",
                    models.CharField(default=mail.models._feed_token, max_length=40, unique=True),
                ),
                ("created", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="saved_searches",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "saved search",
                "verbose_name_plural": "saved searches",
                "ordering": ["-created", "-id"],
            },
        ),
        migrations.CreateModel(
            name="CommunityMail",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "threads",
                    models.CharField(
                        choices=[
                            ("every", "every new thread"),
                            ("daily", "daily digest"),
                            ("weekly", "weekly digest"),
                            ("off", "off"),
                        ],
                        default="weekly",
                        max_length=8,
                        verbose_name="new threads",
                    ),
                ),
                (
                    "community",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="cop.community",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="community_mail",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "community"), name="community_mail_once"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Delivery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("notification", "notification"),
                            ("thread", "new thread"),
                            ("digest", "digest"),
                            ("alert", "saved-search alert"),
                        ],
                        max_length=16,
                    ),
                ),
                ("key", models.CharField(max_length=120)),
                ("data", models.JSONField(blank=True, default=dict)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "queued"),
                            ("sending", "sending"),
                            ("sent", "sent"),
                            ("skipped", "not needed"),
                            ("failed", "failed"),
                        ],
                        default="queued",
                        max_length=8,
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("last_error", models.CharField(blank=True, max_length=300)),
                ("reason", models.CharField(blank=True, max_length=64)),
                ("created", models.DateTimeField(auto_now_add=True)),
                ("attempted", models.DateTimeField(blank=True, null=True)),
                ("sent", models.DateTimeField(blank=True, null=True)),
                (
                    "community",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="cop.community",
                    ),
                ),
                (
                    "notification",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="accounts.notification",
                    ),
                ),
                (
                    "recipient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deliveries",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "e-mail delivery",
                "verbose_name_plural": "e-mail deliveries",
                "indexes": [models.Index(fields=["status", "created"], name="delivery_status")],
                "constraints": [
                    models.UniqueConstraint(fields=("recipient", "key"), name="delivery_once")
                ],
            },
        ),
    ]
