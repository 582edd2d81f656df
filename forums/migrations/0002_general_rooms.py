"""Every community has a chat room "general" from the start."""

from django.db import migrations

NAMES = {"en": "general", "description": "Open conversation of the community"}


def create(apps, schema_editor):
    Community = apps.get_model("cop", "Community")
    ChatRoom = apps.get_model("forums", "ChatRoom")
    for community in Community.objects.all():
        ChatRoom.objects.get_or_create(
            community=community,
            slug="general",
            defaults={"name": "general", "description": NAMES["description"]},
        )


class Migration(migrations.Migration):
    dependencies = [("forums", "0001_initial"), ("cop", "0002_communities")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
