"""Seed spirit with the shape of bench/shape.py and print, as JSON, what the benchmark addresses.

Run with spirit's interpreter after ``migrate`` (bench/peer_spirit.py does both):

    DJANGO_SETTINGS_MODULE=bench.spirit_site.settings <spirit-python> -m bench.spirit_site.seed

One category, 200 topics, the first with 1,000 comments by 50 users, the others with 5; every
comment the same ~600 characters rendered by spirit's own markdown; likes on the first 60
comments of the big topic, some of them the reader's; and one reader with a session.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from djconfig.models import Config  # noqa: E402
from spirit.category.models import Category  # noqa: E402
from spirit.comment.like.models import CommentLike  # noqa: E402
from spirit.comment.models import Comment  # noqa: E402
from spirit.core.utils.markdown import Markdown  # noqa: E402
from spirit.topic.models import Topic  # noqa: E402
from spirit.user.models import UserProfile  # noqa: E402

# Only constants come from the shape module (it imports the project's models inside seed()).
from bench.shape import AUTHORS, BIG_THREAD_POSTS, BODY, THREADS  # noqa: E402

# The project lists 30 threads a page (forums/selectors/threads.py THREADS_PER_PAGE); spirit's
# default is 20. Both show 20 posts a page. Same rows on the page, same work asked of both.
TOPICS_PER_PAGE = 30
SHORT_TOPIC_COMMENTS = 5


def seed() -> dict:
    User = get_user_model()
    now = timezone.now()
    html = Markdown().render(BODY)
    with transaction.atomic():
        # bulk_create sends no post_save, so the profiles spirit makes in a signal are made here.
        users = User.objects.bulk_create(
            [User(username=f"author{i}", email=f"author{i}@example.org") for i in range(AUTHORS)]
            + [User(username="reader0", email="reader0@example.org")]
        )
        for user in users:
            user.set_unusable_password()
        User.objects.bulk_update(users, ["password"])
        authors, reader = users[:AUTHORS], users[AUTHORS]
        category = Category.objects.create(
            title="E-government", description="Service centres and online services"
        )
        topics = Topic.objects.bulk_create(
            Topic(
                user=authors[i % AUTHORS],
                category=category,
                title=f"Thread {i}: қызмет көрсету орталықтары / service centres",
                date=now - timedelta(days=30, minutes=i),
                last_active=now - timedelta(minutes=i),
                comment_count=BIG_THREAD_POSTS if i == 0 else SHORT_TOPIC_COMMENTS,
            )
            for i in range(THREADS)
        )
        comments = [
            Comment(
                user=authors[(n * 7 + topic.pk) % AUTHORS],
                topic=topic,
                comment=BODY,
                comment_html=html,
                date=topic.date + timedelta(minutes=n),
            )
            for topic in topics
            for n in range(1, topic.comment_count + 1)
        ]
        Comment.objects.bulk_create(comments, batch_size=2000)
        big = topics[0]
        # Likes on the first pages, some of them the reader's (as the project's reactions).
        likes = []
        first = Comment.objects.filter(topic=big).order_by("date", "pk")[:60]
        for number, comment in enumerate(first, start=1):
            for k in range(1 + number % 3):
                likes.append(CommentLike(user=authors[(number + k) % AUTHORS], comment=comment))
            if number % 4 == 0:
                likes.append(CommentLike(user=reader, comment=comment))
        CommentLike.objects.bulk_create(likes)
        for comment_id, count in Counter(like.comment_id for like in likes).items():
            Comment.objects.filter(pk=comment_id).update(likes_count=count)
        topic_counts = Counter(topic.user_id for topic in topics)
        comment_counts = Counter(comment.user_id for comment in comments)
        UserProfile.objects.bulk_create(
            UserProfile(
                user=user,
                nickname=user.username,
                is_verified=True,
                topic_count=topic_counts[user.pk],
                comment_count=comment_counts[user.pk],
            )
            for user in users
        )
        Config.objects.update_or_create(
            key="topics_per_page", defaults={"value": str(TOPICS_PER_PAGE)}
        )
        Config.objects.update_or_create(key="_updated_at", defaults={"value": str(now)})
    with connection.cursor() as cursor:  # planner statistics, as for this project's data
        cursor.execute("ANALYZE")
    session = SessionStore()
    session[SESSION_KEY] = str(reader.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = reader.get_session_auth_hash()
    session.create()
    return {
        "topic": big.get_absolute_url(),
        "topic_title": big.title,
        "list": category.get_absolute_url(),
        "reader": reader.username,
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
    }


if __name__ == "__main__":
    print(json.dumps(seed()))
