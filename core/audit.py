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


# Words for the fields an audit entry's before/after records, so the log reads "locked: no →
# yes" rather than "is_locked: False → is_locked: True". Apps add theirs with
# register_field_labels(); an unnamed field shows its name without underscores.
FIELD_LABELS = {
    "role": _("role"),
    "user": _("member"),
    "community": _("community"),
    "name": _("name"),
    "title": _("title"),
    "description": _("description"),
    "status": _("status"),
}


def register_field_labels(labels: dict) -> None:
    FIELD_LABELS.update(labels)


def field_label(key: str) -> str:
    if key in FIELD_LABELS:
        return str(FIELD_LABELS[key])
    return key.removeprefix("is_").replace("_", " ")


def _value_text(value) -> str:
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if value is None or value == "":
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "—"
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def change_lines(before: dict | None, after: dict | None) -> list[str]:
    """One line in words per field an entry changed or recorded: "locked: no → yes",
    "role: member → moderator", "minutes: 30"."""
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    lines = []
    for key in [*before, *(k for k in after if k not in before)]:
        label = field_label(key)
        if key in before and key in after:
            if before[key] == after[key]:
                lines.append(f"{label}: {_value_text(after[key])}")
            else:
                lines.append(f"{label}: {_value_text(before[key])} → {_value_text(after[key])}")
        elif key in after:
            lines.append(f"{label}: {_value_text(after[key])}")
        else:
            lines.append(f"{label}: {_value_text(before[key])} → —")
    return lines
