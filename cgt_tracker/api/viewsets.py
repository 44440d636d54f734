from django.db import transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.utils.text import get_text_list
from rest_framework import exceptions, status, viewsets
from rest_framework.response import Response

from .cache import CachedReadMixin
from .csv import CSVListMixin
from .etag import representation_etag
from .renderers import JSONRenderer
from .shapes import ReadContext


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
    refer = f"other records refer to it ({'; '.join(blockers)})" if blockers else "other records refer to it"
    return f"“{instance}” cannot be deleted while {refer}. Change or delete them first."


class RecordViewSet(CachedReadMixin, CSVListMixin, viewsets.ModelViewSet):
    """A resource of the API: list (JSON or CSV), detail by slug, and writes for users with the model permission.

    Reads (list, detail, CSV) are built by the resource's ``shape`` (see ``cgt_tracker.api.shapes``) from
    plain rows; writes go through ``serializer_class``. Anonymous JSON reads are cached per data version
    (see ``cgt_tracker.api.cache``).

    Subclasses set ``queryset`` (from the model's ``with_related()``), ``serializer_class``, ``shape`` and
    ``filterset_class``.
    """

    lookup_field = "slug"
    shape = None

    def initial(self, request, *args, **kwargs):
        # A method this route has no action for is a 405 before the query is read (`?format=csv` would be a 404).
        if self.action is None:
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def get_object(self):
        # PostgreSQL cannot even compare a key holding a NUL character; no record has one.
        if "\x00" in self.lookup_value():
            raise Http404
        return super().get_object()

    def lookup_value(self):
        return str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, ""))

    # Reads

    def filter_queryset(self, queryset):
        # Without a filter parameter the FilterSet (a form, validated) would change nothing: skip building it.
        filters = getattr(self.filterset_class, "base_filters", {})
        if self.request.method == "GET" and not self.request.query_params.keys() & filters.keys():
            return queryset
        return super().filter_queryset(queryset)

    def read_queryset(self):
        """The rows a read starts from: the model's plain queryset (the shape reads what it needs)."""
        return self.shape.model._default_manager.all()

    def requested_fields(self):
        """The keys to read: those of ``?fields=a,b`` (only the queries they need run), or every key the user
        may read; None for all of the shape's."""
        visible = self.shape.visible(self.request.user)
        raw = self.request.query_params.get("fields")
        if raw is None:
            return None if len(visible) == len(self.shape.fields) else set(visible)
        names = [name.strip() for name in raw.split(",") if name.strip()]
        unknown = [name for name in names if name not in visible]
        if unknown or not names:
            raise exceptions.ValidationError(
                {
                    "fields": [
                        f"Unknown field(s): {', '.join(unknown) or '(none given)'}. Allowed: {', '.join(visible)}."
                    ]
                }
            )
        return set(names)

    def list(self, request, *args, **kwargs):
        if self.wants_csv(request):
            return self.csv_response(request)
        names = self.requested_fields()
        queryset = self.filter_queryset(self.read_queryset())
        page = self.paginate_queryset(queryset)
        # The page's ids first (the list's own query, on its indexes), then their rows: joins run for the
        # page only, not for every row an OFFSET skips.
        ids = page if isinstance(page, list) else list(page.values_list("pk", flat=True))
        results = self.shape.build_ids(ids, ReadContext(request), names=names, using=queryset.db)
        return self.get_paginated_response(results)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.current_representation_data(self.requested_fields()))

    def current_representation_data(self, names=None):
        """The record this detail URL addresses, as its shape reads it (404 if there is none)."""
        value = self.lookup_value()
        if "\x00" in value:
            raise Http404
        lookup = {self.shape.lookup: value}
        if self.shape.lookup == "pk" and not value.isdigit():
            raise Http404
        rows = self.shape.build(self.read_queryset().filter(**lookup), ReadContext(self.request), names=names)
        if not rows:
            raise Http404
        return rows[0]

    def current_etag(self):
        """The ETag of the detail this URL returns now: the one value ``If-None-Match`` and ``If-Match`` compare."""
        return representation_etag(JSONRenderer().render(self.current_representation_data(self.requested_fields())))

    # Writes

    def perform_destroy(self, instance):
        try:
            with transaction.atomic():
                instance.delete()
        except ProtectedError as error:
            raise Conflict(protected_message(instance, error)) from error
