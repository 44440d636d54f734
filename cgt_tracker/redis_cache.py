"""Django's Redis cache backend, made to degrade rather than fail while Redis is away.

The cache only holds copies (API responses, whose keys carry the data version) and throttle counts,
so a Redis restart should cost speed, never a 500: a read is a miss, a write is dropped, and the
throttles let requests through until Redis answers again.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def degrade_to(default_from):
    """Run the cache call; on a Redis error log it and return ``default_from(*args, **kwargs)``."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                logger.warning("cache unavailable, %s skipped: %s", method.__name__, error)
                return default_from(*args, **kwargs)

        return wrapper

    return decorator


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _default(key, default=None, version=None):
    return default


def _no_values(keys, version=None):
    return {}


def _none_stored(data, timeout=None, version=None):
    return list(data)


class RedisCache(DjangoRedisCache):
    get = degrade_to(_default)(DjangoRedisCache.get)
    get_many = degrade_to(_no_values)(DjangoRedisCache.get_many)
    has_key = degrade_to(_false)(DjangoRedisCache.has_key)
    set = degrade_to(_nothing)(DjangoRedisCache.set)
    add = degrade_to(_false)(DjangoRedisCache.add)
    touch = degrade_to(_false)(DjangoRedisCache.touch)
    set_many = degrade_to(_none_stored)(DjangoRedisCache.set_many)
    delete = degrade_to(_false)(DjangoRedisCache.delete)
    delete_many = degrade_to(_nothing)(DjangoRedisCache.delete_many)
