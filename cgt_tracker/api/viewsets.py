import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections, transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.utils.text import get_text_list
from django.utils.translation import gettext, gettext_lazy, ngettext
from rest_framework import exceptions, status, viewsets
from rest_framework.response import Response

from cgt_tracker.models import lock_for_writing

from .cache import CachedReadMixin
from .csv import CSVListMixin
from .etag import check_if_match, representation_etag
from .renderers import JSONRenderer
from .shapes import ReadContext


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


def filters_that_may_be_empty(filterset_class):
    """Free text and keys (empty: as good as none), and ``ordering``, a comma-separated list that may be empty."""
    may_be_empty = (django_filters.ModelChoiceFilter, django_filters.OrderingFilter)
    return {
        name
        for name, filter_ in filterset_class.base_filters.items()
        if type(filter_) is django_filters.CharFilter or isinstance(filter_, may_be_empty)
    }


def empty_value_errors(query_params, names):
    """An error for each of ``names`` given with an empty value. django-filter ignores an empty value, which
    would answer ``?updated_after=`` with every record; where the schema wants a date, number or choice it is
    an error."""
    return {
        name: [gettext("This parameter needs a value when it is given.")]
        for name, values in query_params.lists()
        if name in names and "" in values
    }


class RecordViewSet(CachedReadMixin, CSVListMixin, viewsets.ModelViewSet):
    """A resource of the API: list (JSON or CSV), detail by slug, and writes for users with the model permission.

    Reads (list, detail, CSV) are built by the resource's ``shape`` (see ``cgt_tracker.api.shapes``) from
    plain rows; writes go through ``serializer_class``. Anonymous JSON reads are cached per data version
    (see ``cgt_tracker.api.cache``). Every list and detail carries the ETag of what it returns; a PUT, PATCH
    or DELETE that sends ``If-Match`` with another ETag than a GET would return now is refused with 412 and
    changes nothing (one without ``If-Match`` is applied). A query parameter the action does not document is
    a 400 naming the ones it takes.

    Subclasses set ``queryset`` (from the model's ``with_related()``), ``serializer_class``, ``shape`` and
    ``filterset_class``.
    """

    lookup_field = "slug"
    shape = None
    WRITE_ACTIONS = {"update", "partial_update", "destroy"}

    def initial(self, request, *args, **kwargs):
        # A method this route has no action for is a 405 before the query is read (`?format=csv` would be a 404).
        if self.action is None:
            raise exceptions.MethodNotAllowed(request.method)
        self.check_query_parameters(request)
        super().initial(request, *args, **kwargs)

    def allowed_query_parameters(self):
        """The query parameters this action documents (and ``format``); None where it declares none (extra actions)."""
        if self.action == "list":
            pagination = self.paginator.get_schema_operation_parameters(self) if self.paginator else []
            return {"format", "fields", *self.filterset_class.base_filters, *(p["name"] for p in pagination)}
        if self.action == "retrieve":
            return {"format", "fields"}
        if self.action in {"create", *self.WRITE_ACTIONS}:
            return {"format"}
        return None

    def check_query_parameters(self, request):
        allowed = self.allowed_query_parameters()
        if allowed is None:
            return
        message = gettext("Unknown query parameter. Allowed here: %(allowed)s.")
        unknown = message % {"allowed": ", ".join(sorted(allowed))}
        errors = {name: [unknown] for name in sorted(set(request.query_params) - allowed)}
        # An empty ``cursor`` asks for the first page of keyset paging.
        may_be_empty = {"cursor", *filters_that_may_be_empty(self.filterset_class)} if self.action == "list" else ()
        errors.update(empty_value_errors(request.query_params, allowed.difference(may_be_empty)))
        if errors:
            raise exceptions.ValidationError(errors)
        if self.action == "list" and self.paginator is not None:
            self.paginator.check_query_parameters(request)

    def lookup_value(self):
        value = str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, ""))
        # PostgreSQL cannot even compare a key holding a NUL character; no record has one.
        if "\x00" in value:
            raise Http404
        return value

    def get_object(self):
        self.lookup_value()
        return super().get_object()

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
            message = gettext("Unknown field(s): %(unknown)s. Allowed: %(allowed)s.") % {
                "unknown": ", ".join(unknown) or gettext("(none given)"),
                "allowed": ", ".join(visible),
            }
            raise exceptions.ValidationError({"fields": [message]})
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
        # The ETag (and a 304 for a matching If-None-Match) is added by CachedReadMixin from the rendered bytes.
        return Response(self.current_representation_data(self.requested_fields()))

    def current_representation_data(self, names=None, pk=None):
        """The record this detail URL addresses (or the one with ``pk``), as its shape reads it (404 if none)."""
        using = self.read_queryset().db
        if pk is not None:
            lookup, key = "pk", pk
        else:
            lookup, key = self.shape.lookup, self.lookup_value()
            if lookup == "pk":
                key = self.numeric_key(key, using)
        rows = self.shape.build_keys([key], ReadContext(self.request), lookup=lookup, names=names, using=using)
        if not rows:
            raise Http404
        return rows[0]

    def numeric_key(self, key, using):
        """``key`` as the number a record's id could be, or 404: a key no id column can hold names no record, and
        PostgreSQL would refuse to compare it."""
        pk_type = self.shape.model._meta.pk.get_internal_type()
        low, high = connections[using].ops.integer_field_range(pk_type)
        if not (key.isascii() and key.isdigit()) or not low <= int(key) <= high:
            raise Http404
        return int(key)

    def current_representation(self, instance):
        """``instance``'s detail as a GET returns it now, and that response's ETag: ``(data, etag)``.

        The one definition of a record's version: a GET sends the ETag of these bytes, the responses to writes
        send it too, and ``If-Match`` on PUT/PATCH/DELETE is compared with it.
        """
        data = self.current_representation_data(self.requested_fields(), pk=instance.pk)
        return data, representation_etag(JSONRenderer().render(data))

    # Writes

    def detail_response(self, instance, status_code=status.HTTP_200_OK):
        """The answer to a write: the record as a GET now returns it (read afresh), with its ETag."""
        data, etag = self.current_representation(instance)
        headers = {"ETag": etag}
        if status_code == status.HTTP_201_CREATED:
            headers.update(self.get_success_headers(data))
        return Response(data, status=status_code, headers=headers)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return self.detail_response(serializer.instance, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self.get_locked_object()
            serializer = self.get_serializer(instance, data=request.data, partial=kwargs.get("partial", False))
            serializer.is_valid(raise_exception=True)  # invalid input is a 400 whatever the version
            self.check_if_match(instance)
            self.perform_update(serializer)
            return self.detail_response(instance)  # still locked: exactly the version this write made

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self.get_locked_object()
            self.check_if_match(instance)
            self.perform_destroy(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def get_locked_object(self):
        """The record to write, locked until the write's transaction ends (so what is compared is what is written)."""
        model = self.get_queryset().model
        try:
            # of=("self",): PostgreSQL cannot lock the nullable side of a default select_related().
            list(lock_for_writing(model._default_manager.filter(**{self.lookup_field: self.lookup_value()})))
        except (TypeError, ValueError, DjangoValidationError) as error:
            raise Http404 from error
        return self.get_object()

    def check_if_match(self, instance):
        """412 unless ``If-Match``, if sent, names the version of ``instance`` a GET would return now."""
        check_if_match(self.request.headers.get("If-Match"), self.current_representation(instance)[1])

    def perform_destroy(self, instance):
        try:
            with transaction.atomic():
                instance.delete()
        except ProtectedError as error:
            raise Conflict(protected_message(instance, error)) from error
