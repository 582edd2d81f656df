"""Two people taking the last place at the same moment, in real concurrent transactions: one
gets it, the other is on the waiting list; never two in one place. Run on both databases (on
PostgreSQL the event row lock decides, on SQLite the write lock)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from events import services
from events.models import Registration

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("rounds", [5])
def test_the_last_place_goes_to_one_person(make_event, make_user, rounds):
    for round_ in range(rounds):
        event = make_event(capacity=1, title=f"Round {round_}")
        people = [make_user(f"r{round_}a"), make_user(f"r{round_}b")]
        barrier = threading.Barrier(len(people))
        errors: list[BaseException] = []

        def take(person, event=event, barrier=barrier, errors=errors):
            try:
                barrier.wait(timeout=10)
                services.registration_create(user=person, event=event)
            except BaseException as exc:  # reported below, in the test's thread
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=take, args=(p,)) for p in people]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert errors == []
        statuses = sorted(Registration.objects.filter(event=event).values_list("status", flat=True))
        assert statuses == ["registered", "waiting"]
