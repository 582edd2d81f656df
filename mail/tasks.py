"""The e-mail channel's background tasks (run by ``manage.py worker``)."""

from core.tasks import task


@task()
def delivery_send(delivery_id: int) -> str:
    """Send one e-mail delivery (retried with growing waits on SMTP failure)."""
    from mail.deliveries import send

    return send(delivery_id)


@task()
def digests_plan() -> int:
    """Queue the daily and weekly digests that are due (periodic)."""
    from mail.digests import plan

    return plan()


@task()
def alerts_run() -> int:
    """E-mail new results of saved searches set to "immediately" (periodic)."""
    from mail.alerts import run

    return run()


@task()
def deliveries_recover() -> int:
    """Queue again what a dead worker left half sent (periodic)."""
    from mail.deliveries import recover

    return recover()
