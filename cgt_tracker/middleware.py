import logging

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
