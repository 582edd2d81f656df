"""Readable, translated names of the actions in the audit log."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "role.grant": _("granted a role"),
    "membership.remove": _("removed a member"),
    "post.delete": _("deleted a post"),
    "post.hide": _("hid a post"),
    "post.unhide": _("made a post visible again"),
    "post.accept": _("accepted an answer"),
    "post.unaccept": _("removed an accepted answer"),
    "thread.pinned": _("pinned a thread"),
    "thread.unpinned": _("unpinned a thread"),
    "thread.locked": _("locked a thread"),
    "thread.unlocked": _("unlocked a thread"),
    "thread.deleted": _("deleted a thread"),
    "thread.move": _("moved a thread"),
    "report.hide": _("hid a reported post"),
    "report.dismiss": _("dismissed a report"),
    "tag.create": _("added a tag"),
    "tag.delete": _("removed a tag"),
    "chat.delete": _("removed a chat message"),
    "chat.mute": _("muted a member"),
    "chat.unmute": _("unmuted a member"),
    "room.create": _("created a chat room"),
    "room.update": _("changed a chat room"),
    "resource.create": _("added a resource"),
    "resource.edit": _("edited a resource"),
    "resource.publish": _("published a resource"),
    "resource.request_changes": _("asked for changes to a resource"),
    "resource.reject": _("rejected a resource"),
    "resource.archive": _("archived a resource"),
    "resource.feature": _("featured a resource"),
    "resource.unfeature": _("stopped featuring a resource"),
    "collection.create": _("created a collection"),
    "collection.update": _("changed a collection"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
