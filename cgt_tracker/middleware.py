import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After, not a 500, while the database is unreachable (e.g. restarting).

    Persistent connections are health-checked per request (CONN_HEALTH_CHECKS), so the next
    request after the database is back opens a fresh connection: no app restart is needed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("database unavailable: %s", exception)
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {"detail": _("The database is temporarily unavailable; retry shortly.")}, status=503
            )
        else:
            response = TemplateResponse(request, "503.html", status=503).render()
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


class RequestTooLargeMiddleware:
    """An API write whose body is over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` gets a JSON 413, not Django's HTML 400.

    Refused from its ``Content-Length`` before anything reads the body; a body that turns out too large once
    read (no length given) is caught when Django refuses it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in {"POST", "PUT", "PATCH"}
            and request.path.startswith("/api/")
            and self.declared_length(request) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        ):
            return self.too_large()
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig) and request.path.startswith("/api/"):
            return self.too_large()
        return None

    @staticmethod
    def declared_length(request):
        try:
            return int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return 0

    @staticmethod
    def too_large():
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        message = _("The request body is larger than the limit of %(limit)s bytes.") % {"limit": f"{limit:,}"}
        return JsonResponse({"detail": message}, status=413)
