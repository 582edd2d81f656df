"""The Redis cache, failing open: when Redis is away, reads miss, writes are dropped and
``add`` says "stored", each logged and counted (cop_channel_layer_errors_total{operation="cache"}).

What the cache holds here can all be lost: cached pages for visitors (rebuilt from the
database), the chat flood limit and sign-in throttles (off while Redis is away: the trade-off
of staying up), the thesaurus version (each process keeps what it compiled). Sessions are in
the database. So a Redis outage degrades pages to uncached and limits to none, instead of
answering every request with a 500.
"""

from __future__ import annotations

import functools
import logging
import threading

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core import metrics

logger = logging.getLogger(__name__)
DOWN = (RedisConnectionError, RedisTimeoutError)


def _fail_open(fallback):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except DOWN:
                metrics.LAYER_ERRORS.labels("cache").inc()
                logger.warning("cache: Redis is unreachable; %s skipped", method.__name__)
                return fallback(*args, **kwargs) if callable(fallback) else fallback

        return wrapper

    return decorate


def _default(key, default=None, *args, **kwargs):
    return default


# One client (and so one connection pool) per process and configuration. Django makes a cache
# object per thread and per async context, and each made its own client with its own pool: under
# daphne, where every request runs in a fresh context, that was a new TCP connection to Redis
# per request (1.01 connections per request measured), and it dominated cheap pages.
_CLIENTS: dict[tuple, object] = {}
_CLIENTS_LOCK = threading.Lock()


class _Client(RedisCacheClient):
    """Django's client, keeping one ``redis.Redis`` per pool: Django builds a new one (and its
    table of response callbacks) for every command, about a fifth of a cached read's time.
    A ``redis.Redis`` is safe to share between threads (each command takes a connection from
    the pool)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._clients.setdefault(
                index, self._client(connection_pool=self._pools[index])
            )
        return client


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _Client

    @cached_property
    def _cache(self):
        key = (tuple(self._servers), repr(sorted(self._options.items(), key=lambda kv: kv[0])))
        with _CLIENTS_LOCK:
            client = _CLIENTS.get(key)
            if client is None:
                client = _CLIENTS[key] = self._class(self._servers, **self._options)
        return client

    get = _fail_open(_default)(RedisCache.get)
    get_many = _fail_open({})(RedisCache.get_many)
    has_key = _fail_open(False)(RedisCache.has_key)
    set = _fail_open(None)(RedisCache.set)
    set_many = _fail_open([])(RedisCache.set_many)
    add = _fail_open(True)(RedisCache.add)  # "stored": nobody waits for a lock that never comes
    touch = _fail_open(False)(RedisCache.touch)
    delete = _fail_open(False)(RedisCache.delete)
    delete_many = _fail_open(None)(RedisCache.delete_many)
    incr = _fail_open(1)(RedisCache.incr)


def next_generation(key: str, seconds: int) -> None:
    """Move the generation counter ``key`` (kept ``seconds``; one that expired reads as 0).

    The pattern for cached reads of one person's rows that change rarely (their memberships,
    their reactions and bookmarks): an entry is stored with the generation read before the
    database was, every change calls this at once and again after its commit, and an entry of
    another generation is never used. So a read that began before a change cannot store the old
    rows as current."""
    if not cache.add(key, 1, seconds):
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, seconds)
