"""Cached reads: a JSON list or detail is built once per data version and served from the cache.

Building a page of programs (ORM rows, prefetches, nested serializers) costs far more than
sending it; records change rarely. The key holds the data version (see ``DataVersion``), so
any write, in any process, makes every cached response stale at once.

The viewsets mark which responses may be kept (``CachedReadMixin``); ``CachedReadMiddleware``
keeps them and answers repeats before URL routing and DRF, which would otherwise cost more than
the cached answer itself.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import get_language
from rest_framework.settings import api_settings

from cgt_tracker.models import DataVersion

from .etag import representation_etag
from .renderers import JSONRenderer

TIMEOUT_SECONDS = 600
API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"
VARY = ("Accept-Language", "Cookie")


def is_anonymous_api_read(request):
    """A GET under /api/ carrying no credentials (neither a token nor a session)."""
    return (
        request.method == "GET"
        and request.path_info.startswith("/api/")
        and "HTTP_AUTHORIZATION" not in request.META
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def cache_key(request, version):
    # The same URL (absolute, as the responses' links are), Accept header and language (from the language
    # cookie or Accept-Language, see LocaleMiddleware) always negotiate the same response.
    raw = f"{request.META.get('HTTP_ACCEPT', '')}|{get_language()}|{request.build_absolute_uri()}"
    return f"api-response:{version}:{hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()}"


class CachedReadMiddleware:
    """Answer anonymous API reads from the cache; keep the responses the viewsets mark as cacheable.

    A hit still counts against DRF's default throttles, exactly as the view would count it. It is
    placed after the session, locale and authentication middleware and before the ones that add headers
    to the view's response, so a hit carries the same headers as the response it repeats.

    Every API response says it varies with the language and the cookies (the language cookie picks the
    language, a session cookie the user), so no shared cache serves one language or user to another.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.respond(request)
        if request.path_info.startswith("/api/"):
            patch_vary_headers(response, VARY)
        return response

    def respond(self, request):
        if not is_anonymous_api_read(request):
            return self.get_response(request)
        try:
            request.data_version = DataVersion.current()
        except DatabaseError:
            return self.get_response(request)  # the view answers 503 (DatabaseUnavailableMiddleware)
        key = cache_key(request, request.data_version)
        hit = cache.get(key)
        if hit is not None and self.allowed_by_throttles(request):
            content, headers = hit
            if not_modified(request, headers.get("ETag")):
                return HttpResponseNotModified(headers={"ETag": headers["ETag"]})
            return HttpResponse(content, headers=headers)
        response = self.get_response(request)
        if getattr(response, "cacheable_read", False) and response.status_code == 200:
            cache.set(key, (response.content, dict(response.items())), TIMEOUT_SECONDS)
        return response

    @staticmethod
    def allowed_by_throttles(request):
        """Count the request against every default throttle; a refusal is left for the view to answer (429)."""
        throttles = [throttle_class() for throttle_class in api_settings.DEFAULT_THROTTLE_CLASSES]
        waits = [throttle.wait() for throttle in throttles if not throttle.allow_request(request, None)]
        if waits:
            request.throttle_waits = waits
        return not waits


def not_modified(request, etag):
    """True when the request's ``If-None-Match`` names ``etag`` (or ``*``)."""
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header or etag is None:
        return False
    etags = parse_etags(header)
    return "*" in etags or etag in etags or f"W/{etag}" in etags


class CachedReadMixin:
    """Mark anonymous JSON lists and details as cacheable (never the browsable API, CSV or a user's read);
    give every JSON list and detail an ``ETag`` (a hash of its body) and answer a matching ``If-None-Match``
    with 304."""

    def check_throttles(self, request):
        waits = getattr(request._request, "throttle_waits", None)
        if waits is None:
            return super().check_throttles(request)
        # CachedReadMiddleware has counted this request already: counting it again would double it.
        return self.throttled(request, max((wait for wait in waits if wait is not None), default=None))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if type(getattr(request, "accepted_renderer", None)) is JSONRenderer:
            # JSON is never a page: it may load nothing and be framed nowhere (the pages' policy is longer).
            response["Content-Security-Policy"] = API_CONTENT_SECURITY_POLICY
            read = self.action in {"list", "retrieve"} and request.method == "GET"
            response.cacheable_read = read and not request.user.is_authenticated
            if read and response.status_code == 200:
                response["ETag"] = representation_etag(response.render().content)
                if not_modified(request._request, response["ETag"]):
                    return HttpResponseNotModified(headers={"ETag": response["ETag"]})
        return response
