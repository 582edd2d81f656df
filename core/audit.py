"""Readable, translated names of the actions in the audit log.

The core names its own actions; every app registers the names of its actions in its
``ready()`` (:func:`register_labels`), so the core never needs to know which apps exist."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "role.grant": _("granted a role"),
    "membership.remove": _("removed a member"),
}


def register_labels(labels: dict) -> None:
    """Add an app's action names (``{"thread.move": _("moved a thread"), ...}``)."""
    ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    """The translated name of ``action``; the action itself if no app named it."""
    return str(ACTION_LABELS.get(action, action))
