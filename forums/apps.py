from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Discussions and chat")

    def ready(self):
        # Imported here, not at the top: models may be imported only once apps are ready.
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

        from core import audit
        from forums import indexing, mailing, moderation, personal, rules, visitor_cache
        from forums.selectors.citations import resource_discussions
        from resources.selectors import register_discussions
        from search import documents

        rules.register()
        audit.register_labels(AUDIT_LABELS)
        for document_type in indexing.DOCUMENT_TYPES:
            documents.register(document_type)
        register_discussions(resource_discussions)
        mailing.register()
        moderation.register()
        personal.register()
        post_save.connect(
            visitor_cache.author_changed,
            sender=get_user_model(),
            dispatch_uid="forums.visitor_cache.author_changed",
        )
        from forums.models import Tag, Thread

        post_save.connect(visitor_cache.thread_saved, sender=Thread, dispatch_uid="vc.thread")
        post_delete.connect(
            visitor_cache.thread_deleted, sender=Thread, dispatch_uid="vc.thread_deleted"
        )
        m2m_changed.connect(
            visitor_cache.thread_tags_changed, sender=Thread.tags.through, dispatch_uid="vc.tags"
        )
        post_save.connect(visitor_cache.tag_saved, sender=Tag, dispatch_uid="vc.tag_saved")
        pre_delete.connect(visitor_cache.tag_deleted, sender=Tag, dispatch_uid="vc.tag_deleted")
        from forums.fragments import marks_changed
        from forums.models import Bookmark, Reaction
        from forums.selectors.threads import tags_changed

        for model in (Reaction, Bookmark):
            post_save.connect(marks_changed, sender=model, dispatch_uid=f"marks.{model.__name__}")
            post_delete.connect(
                marks_changed, sender=model, dispatch_uid=f"marks.{model.__name__}.delete"
            )

        from core import versions
        from forums.models import ChatRoom

        rooms = versions.bumper(versions.ROOMS)  # a community's home lists its open rooms
        post_save.connect(rooms, sender=ChatRoom, weak=False, dispatch_uid="forums.rooms_saved")
        post_delete.connect(rooms, sender=ChatRoom, weak=False, dispatch_uid="forums.rooms_gone")
        from forums.models import ChatMessage
        from forums.selectors.chat import messages_changed

        post_save.connect(messages_changed, sender=ChatMessage, dispatch_uid="forums.messages")
        post_delete.connect(
            messages_changed, sender=ChatMessage, dispatch_uid="forums.messages_gone"
        )
        post_save.connect(tags_changed, sender=Tag, dispatch_uid="forums.tags_changed")
        post_delete.connect(tags_changed, sender=Tag, dispatch_uid="forums.tags_deleted")


AUDIT_LABELS = {
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
    "chat_report.remove": _("removed a reported chat message"),
    "chat_report.dismiss": _("dismissed a report on a chat message"),
    "tag.create": _("added a tag"),
    "tag.delete": _("removed a tag"),
    "chat.delete": _("removed a chat message"),
    "chat.mute": _("muted a member"),
    "chat.unmute": _("unmuted a member"),
    "room.create": _("created a chat room"),
    "room.update": _("changed a chat room"),
}
