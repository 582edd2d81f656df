from django.urls import path

from forums.feeds import CommunityThreadsFeed, ThreadRepliesFeed
from forums.views import chat, moderation, posts, questions, threads

urlpatterns = [
    path("c/<slug:slug>/threads/", threads.thread_list, name="thread_list"),
    path("c/<slug:slug>/threads/feed/", CommunityThreadsFeed(), name="community_threads_feed"),
    path(
        "c/<slug:slug>/threads/<id:thread_id>/feed/",
        ThreadRepliesFeed(),
        name="thread_replies_feed",
    ),
    path("c/<slug:slug>/threads/new/", threads.thread_create, name="thread_create"),
    path("c/<slug:slug>/threads/<id:thread_id>/", threads.thread_detail, name="thread_detail"),
    path(
        "c/<slug:slug>/threads/<id:thread_id>/unread/",
        threads.thread_unread,
        name="thread_unread",
    ),
    path("c/<slug:slug>/threads/<id:thread_id>/new-posts/", threads.posts_new, name="posts_new"),
    path("c/<slug:slug>/threads/<id:thread_id>/reply/", posts.post_reply, name="post_reply"),
    path(
        "c/<slug:slug>/threads/<id:thread_id>/follow/", threads.thread_follow, name="thread_follow"
    ),
    path("c/<slug:slug>/threads/<id:thread_id>/move/", moderation.thread_move, name="thread_move"),
    path(
        "c/<slug:slug>/threads/<id:thread_id>/<str:action>/",
        moderation.thread_moderate,
        name="thread_moderate",
    ),
    path("c/<slug:slug>/reports/", moderation.report_queue, name="report_queue"),
    path(
        "c/<slug:slug>/reports/chat/", moderation.message_report_queue, name="message_report_queue"
    ),
    path(
        "c/<slug:slug>/reports/chat/<id:report_id>/",
        moderation.message_report_resolve,
        name="message_report_resolve",
    ),
    path("c/<slug:slug>/reports/<id:report_id>/", moderation.report_resolve, name="report_resolve"),
    path("c/<slug:slug>/tags/", moderation.tag_manage, name="tag_manage"),
    path("posts/<id:post_id>/", posts.post_permalink, name="post_permalink"),
    path("posts/<id:post_id>/edit/", posts.post_edit, name="post_edit"),
    path("posts/<id:post_id>/history/", posts.post_history, name="post_history"),
    path("posts/<id:post_id>/delete/", posts.post_delete, name="post_delete"),
    path("posts/<id:post_id>/react/", posts.post_react, name="post_react"),
    path("posts/<id:post_id>/bookmark/", posts.post_bookmark, name="post_bookmark"),
    path("posts/<id:post_id>/accept/", posts.post_accept, name="post_accept"),
    path("posts/<id:post_id>/report/", posts.post_report, name="post_report"),
    path("posts/<id:post_id>/hide/", posts.post_hide, name="post_hide"),
    path("preview/", posts.markdown_preview, name="markdown_preview"),
    path("bookmarks/", threads.bookmark_list, name="bookmark_list"),
    path("c/<slug:slug>/chat/", chat.room_list, name="room_list"),
    path("c/<slug:slug>/chat/new/", chat.room_edit, name="room_create"),
    path("c/<slug:slug>/chat/<slug:room>/", chat.room_detail, name="room_detail"),
    path("c/<slug:slug>/chat/<slug:room>/history/", chat.room_history, name="room_history"),
    path("c/<slug:slug>/chat/<slug:room>/settings/", chat.room_edit, name="room_edit"),
    path(
        "c/<slug:slug>/chat/<slug:room>/moderation/",
        chat.room_moderation,
        name="room_moderation",
    ),
    path("messages/<id:message_id>/delete/", chat.message_delete, name="message_delete"),
    path("messages/<id:message_id>/thread/", chat.thread_from_message, name="thread_from_message"),
    path("members/<str:username>/ask/", questions.question_ask, name="question_ask"),
    path("questions/", questions.question_list, name="question_list"),
    path("questions/<id:question_id>/", questions.question_detail, name="question_detail"),
    path("questions/<id:question_id>/reply/", questions.question_reply, name="question_reply"),
    path("messages/<id:message_id>/report/", chat.message_report, name="message_report"),
]
