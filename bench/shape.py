"""The data shape the page benchmarks share (bench/pages.py, bench/peer_spirit.py): one
community with 200 threads, one of them 1,000 posts of about 600 characters by 50 authors, plus
what the other hot pages show (a chat room with a history, library resources, notifications).

Rows are bulk-inserted through the ORM, so the same code seeds PostgreSQL and SQLite.
"""

from __future__ import annotations

THREADS = 200
BIG_THREAD_POSTS = 1_000
AUTHORS = 50
POST_TEXT = (
    "Біздің орталықтарда мемлекеттік қызметтерді алу үшін кезек әлі де ұзақ, сондықтан біз "
    "онлайн жазылуды және күнделікті жүктемені талдауды енгіздік. "
    "We reduced waiting times by half with online booking and a daily review of the workload "
    "in each centre; the queue data is published every morning. "
    "Мы начинали с единого реестра услуг и шины обмена данными, затем перевели на неё все "
    "ведомства области и обучили операторов центров обслуживания. "
)
# About 600 characters, as in the peer comparison.
BODY = (POST_TEXT * 2)[:600]


def seed(community_slug: str = "e-government") -> dict:
    """Seed the shape into the current database (after migrate) and return what the
    benchmarks address: the community, the big thread, a short thread, the room, a resource
    and a signed-in reader's session cookie."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Notification
    from bench.common import signed_in_members
    from core import markup
    from forums.models import ChatMessage, ChatRoom, Post, Reaction, Thread
    from resources.models import Resource

    User = get_user_model()
    now = timezone.now()
    html = markup.render(BODY)
    community, readers, cookies = signed_in_members("reader", 1, community_slug)
    reader = readers[0]
    with transaction.atomic():
        authors = User.objects.bulk_create(
            User(
                username=f"author{i}",
                email=f"author{i}@example.org",
                display_name=f"Practitioner {i}",
                country=["KZ", "KG", "UZ", "AZ", "GE", "MN"][i % 6],
                organisation=f"Agency {i % 12}",
            )
            for i in range(AUTHORS)
        )
        threads = Thread.objects.bulk_create(
            Thread(
                community=community,
                author=authors[i % AUTHORS],
                title=f"Thread {i}: қызмет көрсету орталықтары / service centres",
                language="kk",
                created=now - timedelta(days=30, minutes=i),
                last_activity=now - timedelta(minutes=i),
                last_post_number=BIG_THREAD_POSTS if i == 0 else 5,
                reply_count=(BIG_THREAD_POSTS if i == 0 else 5) - 1,
            )
            for i in range(THREADS)
        )
        posts = []
        for thread in threads:
            for n in range(1, thread.last_post_number + 1):
                posts.append(
                    Post(
                        thread=thread,
                        number=n,
                        author=authors[(n * 7 + thread.pk) % AUTHORS],
                        body=BODY,
                        html=html,
                        language="kk",
                        created=thread.created + timedelta(minutes=n),
                    )
                )
        Post.objects.bulk_create(posts, batch_size=2000)
        for thread in threads:
            last = Post.objects.get(thread=thread, number=thread.last_post_number)
            Thread.objects.filter(pk=thread.pk).update(last_post=last, last_poster=last.author)
        big = threads[0]
        # Some reactions on the first pages, some of them the reader's.
        reactions = []
        for post in Post.objects.filter(thread=big, number__lte=60):
            for k, kind in enumerate(Reaction.Kind.values[: 1 + post.number % 3]):
                author = authors[(post.number + k) % AUTHORS]
                reactions.append(Reaction(post=post, user=author, kind=kind))
            if post.number % 4 == 0:
                reactions.append(Reaction(post=post, user=reader, kind=Reaction.Kind.values[0]))
        Reaction.objects.bulk_create(reactions, ignore_conflicts=True)
        room, _ = ChatRoom.objects.get_or_create(
            community=community, slug="bench", defaults={"name": "Bench room"}
        )
        ChatMessage.objects.bulk_create(
            ChatMessage(
                room=room,
                seq=n,
                author=authors[n % AUTHORS],
                body=BODY[:200],
                html=markup.render(BODY[:200]),
            )
            for n in range(1, 61)
        )
        ChatRoom.objects.filter(pk=room.pk).update(last_seq=60)
        resources = []
        kinds = Resource.Kind.values
        for i in range(200):
            resources.append(
                Resource(
                    title=f"Case {i}: халыққа қызмет көрсету орталығы / one-stop shop",
                    summary=BODY[:300],
                    body=BODY,
                    html=html,
                    kind=kinds[i % len(kinds)],
                    language=["kk", "ru", "en"][i % 3],
                    year=2015 + i % 10,
                    status=Resource.Status.PUBLISHED,
                    published_at=now - timedelta(hours=i),
                )
            )
        made = Resource.objects.bulk_create(resources)
        Resource.communities.through.objects.bulk_create(
            Resource.communities.through(resource_id=r.pk, community_id=community.pk) for r in made
        )
        Notification.objects.bulk_create(
            Notification(
                recipient=reader,
                kind=Notification.Kind.REPLY,
                actor=authors[n % AUTHORS],
                title=big.title,
                excerpt=BODY[:120],
                url=f"{big.get_absolute_url()}?page=1#p{n}",
            )
            for n in range(1, 31)
        )
    _index_everything()
    _analyze()
    return {
        "community": community,
        "big": big,
        "short": threads[1],
        "room": room,
        "resource": made[0],
        "reader": reader,
        "cookie": cookies[0],
    }


def _analyze() -> None:
    """Planner statistics for what was just bulk-inserted, as a database in service has them:
    without them PostgreSQL plans the page queries blind, and a run right after seeding
    measured pages 20-30 % slower than the same run a few minutes later."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _index_everything() -> None:
    """Search entries for what was bulk-inserted (bulk_create sends no signals)."""
    from django.core.management import call_command

    call_command("reindex", verbosity=0)
