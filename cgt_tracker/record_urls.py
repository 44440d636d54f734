"""Addresses of records' pages, built as ``reverse()`` builds them but without resolving the route per record.

A table or a read of hundreds of records links each one; ``reverse()`` costs about as much as rendering the row.
"""

import functools
import re
from urllib.parse import quote

from django.urls import get_script_prefix, reverse
from django.utils.http import RFC3986_SUBDELIMS

SAFE_KEY = re.compile(r"[A-Za-z0-9_.~-]+")


def url_key(key):
    """A record's key as ``reverse()`` puts it in a URL (slugs, symbols and ids need no quoting: skip it)."""
    if type(key) is int:
        return str(key)
    return key if SAFE_KEY.fullmatch(key) else quote(key, safe=RFC3986_SUBDELIMS + "/~:@")


def record_url(view_name, key):
    """``reverse(view_name, args=[key])`` for a route ending in its key (``/programs/<slug>/``)."""
    return f"{route_base(view_name, get_script_prefix())}{url_key(key)}/"


@functools.lru_cache
def route_base(view_name, script_prefix):
    """The route's path up to its key (the script prefix is part of the cache key: it is set per deployment)."""
    return reverse(view_name, args=["0"])[:-2]
