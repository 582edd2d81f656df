from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cop", "0002_communities"),
    ]

    operations = [
        migrations.CreateModel(
            name="ScheduleSlot",
            fields=[
                ("name", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("next_run", models.DateTimeField()),
            ],
        ),
        migrations.CreateModel(
            name="WorkerHeartbeat",
            fields=[
                ("worker_id", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("started", models.DateTimeField()),
                ("seen", models.DateTimeField(db_index=True)),
            ],
        ),
    ]
