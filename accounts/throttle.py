"""Sign-in throttling that cannot be turned against someone.

A hard lock on an account after N failures lets anyone who knows a colleague's username lock
them out. Instead failures slow down *where they come from*:

- per account **and** address: after ``FREE_FAILURES`` wrong passwords for one account from one
  address, that address waits before its next try for that account, twice as long after each
  further failure (up to ``MAX_WAIT``). The owner, signing in from anywhere else, is not slowed;
- per address, whatever the accounts: an address that fails ``ADDRESS_FREE_FAILURES`` times in
  an hour waits in the same doubling way (password spraying across accounts);
- per account, from everywhere: nothing is refused, but the owner is told by e-mail, at most once
  an hour, once ``NOTICE_AFTER`` failures have been seen (so a real attack does not go unseen).

Counters live in the cache (Redis in production, so every process shares them) and fade after
an hour without failures. A successful sign-in clears its account-and-address counter.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django.core.cache import cache

logger = logging.getLogger(__name__)

FREE_FAILURES = 3
ADDRESS_FREE_FAILURES = 50  # an office behind one address has many people
FIRST_WAIT = 15  # seconds, doubled after every further failure
MAX_WAIT = 15 * 60
FORGET_AFTER = 60 * 60
NOTICE_AFTER = 10
NOTICE_EVERY = 60 * 60


@dataclass
class Counter:
    failures: int = 0
    until: float = 0.0  # no try before this time (epoch seconds)


def _clock() -> float:
    """Now, in seconds (tests move it)."""
    return time.time()


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _keys(login: str, address: str) -> tuple[str, str, str]:
    login = login.strip().lower()
    return (
        f"signin:pair:{_digest(login)}:{_digest(address)}",
        f"signin:address:{_digest(address)}",
        f"signin:account:{_digest(login)}",
    )


def _wait(failures: int, free: int) -> int:
    """Seconds to wait after ``failures`` failures of which ``free`` cost nothing."""
    if failures < free:
        return 0
    return min(FIRST_WAIT * 2 ** (failures - free), MAX_WAIT)


def _load(key: str) -> Counter:
    try:
        value = cache.get(key)
    except Exception:
        # The cache is down: sign-in must still work (throttling is a protection, not a gate).
        logger.warning("sign-in throttle skipped: the cache is unreachable", exc_info=True)
        return Counter()
    return Counter(*value) if value else Counter()


def _save(key: str, counter: Counter) -> None:
    try:
        cache.set(key, (counter.failures, counter.until), FORGET_AFTER)
    except Exception:
        logger.warning("sign-in throttle not counted: the cache is unreachable", exc_info=True)


def retry_after(*, login: str, address: str) -> int:
    """Seconds before ``address`` may try ``login`` again (0: now)."""
    pair, by_address, _account = _keys(login, address)
    now = _clock()
    until = max(_load(pair).until, _load(by_address).until)
    return max(0, math.ceil(until - now))


def failure_record(*, login: str, address: str) -> bool:
    """Count a wrong password for ``login`` from ``address``. Returns True when the owner of
    the account should now be told (failures seen from anywhere reached NOTICE_AFTER and no
    notice went out in the last NOTICE_EVERY seconds)."""
    pair, by_address, account = _keys(login, address)
    now = _clock()
    for key, free in ((pair, FREE_FAILURES), (by_address, ADDRESS_FREE_FAILURES)):
        counter = _load(key)
        counter.failures += 1
        counter.until = now + _wait(counter.failures, free)
        _save(key, counter)
    seen = _load(account)
    seen.failures += 1
    notify = seen.failures >= NOTICE_AFTER and seen.until <= now
    if notify:
        seen.until = now + NOTICE_EVERY
    _save(account, seen)
    return notify


def success_record(*, login: str, address: str) -> None:
    """The right password: this address is no longer slowed for this account."""
    pair, _by_address, _account = _keys(login, address)
    try:
        cache.delete(pair)
    except Exception:
        logger.warning("sign-in throttle not cleared: the cache is unreachable", exc_info=True)
