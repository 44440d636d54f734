from django.db import transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.utils.text import get_text_list
from django.utils.translation import gettext, gettext_lazy, ngettext
from rest_framework import exceptions, status, viewsets

from .cache import CachedReadMixin
from .csv import CSVListMixin


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The request conflicts with the current state of the record.")
    default_code = "conflict"


def named(names, limit=5):
    names = sorted(names)
    if len(names) > limit:
        more = len(names) - limit
        names = [*names[:limit], ngettext("%(count)d more", "%(count)d more", more) % {"count": more}]
    return get_text_list(names, gettext("and"))


def protected_message(instance, error):
    """Why ``instance`` cannot be deleted, naming (some of) the records that still refer to it."""
    pks_by_model = {}
    for obj in error.protected_objects:
        pks_by_model.setdefault(type(obj), set()).add(obj.pk)
    blockers = []
    for model, pks in pks_by_model.items():
        # Read again with what their names show (one query per kind, not one per record), which also
        # leaves out any a concurrent request has deleted since.
        manager = model._default_manager
        names = [str(obj) for obj in getattr(manager, "with_related", manager.all)().filter(pk__in=pks)]
        if names:
            blockers.append(f"{model._meta.verbose_name_plural}: {named(names)}")
    if not blockers:
        message = gettext(
            "“%(record)s” cannot be deleted while other records refer to it. Change or delete them first."
        )
        return message % {"record": instance}
    return gettext(
        "“%(record)s” cannot be deleted while other records refer to it (%(blockers)s). Change or delete them first."
    ) % {"record": instance, "blockers": "; ".join(blockers)}


class RecordViewSet(CachedReadMixin, CSVListMixin, viewsets.ModelViewSet):
    """A resource of the API: list (JSON or CSV), detail by slug, and writes for users with the model permission.

    Anonymous JSON reads are cached per data version (see ``cgt_tracker.api.cache``).

    Subclasses set ``queryset`` (from the model's ``with_related()``), ``serializer_class`` and ``filterset_class``.
    """

    lookup_field = "slug"

    def initial(self, request, *args, **kwargs):
        # A method this route has no action for is a 405 before the query is read (`?format=csv` would be a 404).
        if self.action is None:
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def get_object(self):
        # PostgreSQL cannot even compare a key holding a NUL character; no record has one.
        if "\x00" in str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")):
            raise Http404
        return super().get_object()

    def perform_destroy(self, instance):
        try:
            with transaction.atomic():
                instance.delete()
        except ProtectedError as error:
            raise Conflict(protected_message(instance, error)) from error
