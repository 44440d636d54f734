from django.db import transaction
from django.db.models import ProtectedError
from django.utils.text import get_text_list
from rest_framework import exceptions, status, viewsets

from .cache import CachedReadMixin
from .csv import CSVListMixin


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the record."
    default_code = "conflict"


def named(names, limit=5):
    names = sorted(names)
    if len(names) > limit:
        names = [*names[:limit], f"{len(names) - limit} more"]
    return get_text_list(names, "and")


def protected_message(instance, error):
    """Why ``instance`` cannot be deleted, naming (some of) the records that still refer to it."""
    by_model = {}
    for obj in error.protected_objects:
        by_model.setdefault(obj._meta.verbose_name_plural, []).append(str(obj))
    blockers = "; ".join(f"{label}: {named(names)}" for label, names in by_model.items())
    return f"“{instance}” cannot be deleted while other records refer to it ({blockers}). Change or delete them first."


class RecordViewSet(CachedReadMixin, CSVListMixin, viewsets.ModelViewSet):
    """A resource of the API: list (JSON or CSV), detail by slug, and writes for users with the model permission.

    JSON reads are cached per data version (see ``CachedReadMixin``).

    Subclasses set ``queryset`` (from the model's ``with_related()``), ``serializer_class`` and ``filterset_class``.
    """

    lookup_field = "slug"

    def perform_destroy(self, instance):
        try:
            with transaction.atomic():
                instance.delete()
        except ProtectedError as error:
            raise Conflict(protected_message(instance, error)) from error
