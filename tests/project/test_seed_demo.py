"""``manage.py seed_demo``: trilingual demo content, idempotent, never with DEBUG off."""

from __future__ import annotations

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Notification
from core.models import AuditEntry, Community, Membership
from events.models import Event, Registration
from forums.models import ChatMessage, Post, Question, QuestionMessage, Tag, Thread
from project.management.commands.seed_demo import DEMO_PASSWORD
from resources.models import Collection, Resource

MODELS = [
    Event,
    Registration,
    get_user_model(),
    EmailAddress,
    Membership,
    AuditEntry,
    Tag,
    Thread,
    Post,
    ChatMessage,
    Resource,
    Collection,
    Notification,
    Question,
    QuestionMessage,
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(communities, settings):
    settings.DEBUG = True
    return seed()


def test_seed_demo_creates_people_roles_threads_chat_and_library(seeded):
    assert "Demo content is ready." in seeded
    assert f"aigerim    {DEMO_PASSWORD}" in seeded
    # Who moderates what, so a tester knows whom to sign in as.
    moderators = [line for line in seeded.splitlines() if ", moderates " in line]
    assert moderators
    assert all(
        any(name in line for name in Community.objects.values_list("name_en", flat=True))
        for line in moderators
    )
    User = get_user_model()
    assert User.objects.count() == 11
    admin = User.objects.get(username="admin")
    assert admin.is_staff
    assert admin.is_superuser
    # Demo people can sign in with the printed password; their addresses are verified.
    assert authenticate(username="aigerim", password=DEMO_PASSWORD) == User.objects.get(
        username="aigerim"
    )
    assert not EmailAddress.objects.filter(verified=False).exists()
    # They count as welcomed: signing in leads home, not to the welcome after sign-up.
    assert not User.objects.filter(onboarded_at__isnull=True).exists()
    # Each community has a moderator, members, a thread and chat messages.
    for community in Community.objects.all():
        assert community.memberships.filter(role="moderator").count() == 1
        assert community.memberships.filter(role="member").count() >= 2
        # A discussion thread of its own (e-government also has its past webinar's follow-up).
        assert (
            Thread.objects.filter(community=community)
            .exclude(title__startswith="Follow-up")
            .count()
            == 1
        )
        assert ChatMessage.objects.filter(room__community=community).exists()
        assert Resource.objects.filter(communities=community, status="published").exists()
    # Content in the three languages.
    assert set(Thread.objects.values_list("language", flat=True)) == {"kk", "ru", "en"}
    assert set(Resource.objects.values_list("language", flat=True)) == {"kk", "ru", "en"}
    assert Post.objects.filter(body__contains="қысқарды").exists()
    # Roles granted by the command line are in the audit log like any other.
    assert AuditEntry.objects.filter(action="role.grant", actor=None).count() == 4
    collection = Collection.objects.get(slug="covid-19-virtual-alliance")
    assert collection.title_kk == "COVID-19 Виртуалды Альянсы"
    # Events: upcoming ones in the three languages, one hub-wide, and a past webinar with its
    # recording in the library and its follow-up thread.
    now = timezone.now()
    upcoming = Event.objects.filter(starts_at__gt=now)
    assert set(upcoming.values_list("language", flat=True)) == {"kk", "ru", "en"}
    assert upcoming.filter(community__isnull=True).count() == 1
    past = Event.objects.get(ends_at__lt=now)
    assert past.resources.get().kind == "recording"
    assert past.thread.title == f"Follow-up: {past.title}"
    assert Registration.objects.filter(status="registered").count() >= 2
    # Private questions to experts: one answered, one waiting for its expert.
    assert sorted(Question.objects.values_list("last_number", flat=True)) == [1, 2]
    assert all(q.expert.is_expert for q in Question.objects.select_related("expert"))


def test_seed_demo_twice_gives_the_same_content(seeded):
    first = counts()
    assert first["Thread"] == 5  # four discussions and a webinar's follow-up
    assert first["Resource"] == 7  # six cases and a webinar's recording
    assert first["Event"] == 4

    seed()

    assert counts() == first


def test_seed_demo_refuses_when_debug_is_off(communities, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError) as refused:
        seed()
    assert "refuses to run when DEBUG is off" in str(refused.value)
    assert counts() == {name: 0 for name in counts()}
