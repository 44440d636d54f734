"""Read replicas: reads go to a streaming replica, writes to the primary, and a client that has just
written reads from the primary for a few seconds (read-your-writes), since a replica may lag.

``DATABASE_REPLICA_URLS`` names the replicas (``replica1``, ``replica2``... in ``DATABASES``). The
middleware picks the database a request reads from before anything reads; the router and the
cached-read middleware both follow that choice, so a response is cached under the data version of
the very database that served its data, and a lagging replica can never file old data under a new version.
"""

import hashlib
import random
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS

_read_database = ContextVar("read_database", default=None)


class PrimaryReplicaRouter:
    """Reads from the request's read database (the primary outside requests), writes to the primary."""

    def db_for_read(self, model, **hints):
        return _read_database.get()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # replicas copy the primary's schema


def client_key(request):
    """Who is asking: their token or session, else their address (the key never holds the secret itself)."""
    credential = (
        request.META.get("HTTP_AUTHORIZATION")
        or request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        or request.META.get("REMOTE_ADDR", "")
    )
    return "read-primary:" + hashlib.blake2b(credential.encode(), digest_size=16).hexdigest()


class ReadReplicaMiddleware:
    """Choose the database each request reads from; pin a client to the primary just after it writes.

    The pin lives in the cache, so with a shared cache (Redis) it holds on every app server.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.DATABASE_REPLICAS:
            return self.get_response(request)
        writes = request.method not in {"GET", "HEAD", "OPTIONS"}
        key = client_key(request)
        on_primary = writes or cache.get(key) is not None
        token = _read_database.set(DEFAULT_DB_ALIAS if on_primary else random.choice(settings.DATABASE_REPLICAS))
        try:
            response = self.get_response(request)
        finally:
            _read_database.reset(token)
        if writes and response.status_code < 400:
            cache.set(key, True, settings.READ_YOUR_WRITES_SECONDS)
        return response
