"""Cached reads: a JSON list or detail is built once per data version and served from the cache.

Building a page of programs (ORM rows, prefetches, nested serializers) costs far more than
sending it; records change rarely. The key holds the data version (see ``DataVersion``), so
any write, in any process, makes every cached response stale at once.
"""

import hashlib

from django.core.cache import cache
from django.http import HttpResponse
from rest_framework.renderers import JSONRenderer

from cgt_tracker.models import DataVersion

TIMEOUT_SECONDS = 600


def cache_key(request):
    url = request.build_absolute_uri()  # absolute, as the responses' links are
    digest = hashlib.blake2b(f"{request.accepted_media_type}|{url}".encode(), digest_size=16).hexdigest()
    return f"api-response:{DataVersion.current()}:{digest}"


class CachedReadMixin:
    """Serve repeated GETs of lists and details as JSON from the cache (never the browsable or CSV views)."""

    def list(self, request, *args, **kwargs):
        return self.cached(super().list, request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self.cached(super().retrieve, request, *args, **kwargs)

    def cached(self, view, request, *args, **kwargs):
        if type(request.accepted_renderer) is not JSONRenderer:
            return view(request, *args, **kwargs)
        key = cache_key(request)
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        response._cache_key = key
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if type(getattr(request, "accepted_renderer", None)) is JSONRenderer:
            response._csp_exempt = True  # JSON is never rendered as a page: the policy is for the HTML ones
        key = getattr(response, "_cache_key", None)
        if key and response.status_code == 200:
            response.render()
            cache.set(key, (response.content, response["Content-Type"]), TIMEOUT_SECONDS)
        return response
