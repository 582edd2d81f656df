"""The events' background task (run by ``manage.py worker``)."""

from core.tasks import task


@task()
def reminders_run() -> int:
    """Remind registrants a day and an hour before their events (periodic)."""
    from events.reminders import run

    return run()
