"""One log line per request (request id, method, path, status, duration), and the request id on every
line logged while the request is served, so the lines of one request can be found across app servers.

The id comes from the proxy's ``X-Request-ID`` when it sends a sane one, else a new one; the response
carries it back. With ``DJANGO_LOG_FORMAT=json`` (the production default) each line is a JSON object.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

logger = logging.getLogger("cgt_tracker.requests")

_request_id = ContextVar("request_id", default=None)
PROXY_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestIdFilter(logging.Filter):
    """Add ``request_id`` to every record logged while a request is being served."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = given if PROXY_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            logger.info(
                "%s %s %s",
                request.method,
                request.get_full_path(),
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.get_full_path(),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _request_id.reset(token)
