from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_expertise_areas"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("kk", "Kazakh"), ("ru", "Russian"), ("en", "English")],
                max_length=8,
                verbose_name="interface language",
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                choices=[
                    ("reply", "reply in a followed thread"),
                    ("mention", "mention"),
                    ("accepted", "accepted answer"),
                    ("chat_mention", "mention in chat"),
                    ("resource_decision", "library review decision"),
                    ("quote", "quote of your post"),
                    ("report", "report of a post"),
                ],
                max_length=32,
                verbose_name="kind",
            ),
        ),
    ]
