"""Health checks for a load balancer: ``/healthz`` (the process answers) and ``/readyz`` (it can serve).

Answered by the first middleware, before the HTTPS redirect, the host check, sessions and the API
throttles: a probe over plain HTTP, by IP address, as often as it likes, still gets an answer.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse

logger = logging.getLogger(__name__)


def database_aliases():
    """The primary and every read replica."""
    return ["default", *getattr(settings, "DATABASE_REPLICAS", [])]


def check_database(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache():
    cache.set("readyz", "ok", 10)
    if cache.get("readyz") != "ok":
        raise RuntimeError("a value just written could not be read back")


def readiness():
    """Each dependency and whether it answered: ``{"database": "ok", "cache": "ok"}`` or the error."""
    checks = {}
    for alias in database_aliases():
        name = "database" if alias == "default" else f"database {alias}"
        checks[name] = lambda alias=alias: check_database(alias)
    checks["cache"] = check_cache
    results = {}
    for name, check in checks.items():
        try:
            check()
        except Exception as error:  # any failure means "not ready", and the answer says why
            logger.warning("readiness check %s failed: %s", name, error)
            results[name] = f"{type(error).__name__}: {error}".strip()
        else:
            results[name] = "ok"
    return results


class HealthCheckMiddleware:
    """Answer the two probe paths before any other middleware runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return JsonResponse({"status": "ok"})
        if request.path_info == "/readyz":
            checks = readiness()
            failed = [name for name, result in checks.items() if result != "ok"]
            body = {"status": "unavailable" if failed else "ok", "checks": checks}
            if failed:
                body["failed"] = failed
            response = JsonResponse(body, status=503 if failed else 200)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
