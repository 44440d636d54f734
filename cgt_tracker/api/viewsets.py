import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.utils.text import get_text_list
from django.utils.translation import gettext, gettext_lazy, ngettext
from rest_framework import exceptions, status, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .cache import CachedReadMixin
from .csv import CSVListMixin
from .etag import check_if_match, representation_etag


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

    Anonymous JSON reads are cached per data version (see ``cgt_tracker.api.cache``). Every detail response
    carries the ETag of what it returns (``current_representation``); a PUT, PATCH or DELETE that sends
    ``If-Match`` with another ETag is refused with 412 and changes nothing (one without ``If-Match`` is applied).
    A query parameter the action does not document is a 400 naming the ones it takes.

    Subclasses set ``queryset`` (from the model's ``with_related()``), ``serializer_class`` and ``filterset_class``.
    """

    lookup_field = "slug"
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
            return {"format", *self.filterset_class.base_filters, *(p["name"] for p in pagination)}
        if self.action in {"retrieve", "create", *self.WRITE_ACTIONS}:
            return {"format"}
        return None

    def check_query_parameters(self, request):
        allowed = self.allowed_query_parameters()
        if allowed is None:
            return
        errors = {
            name: [f"Unknown query parameter. Allowed here: {', '.join(sorted(allowed))}."]
            for name in sorted(set(request.query_params) - allowed)
        }
        # django-filter ignores an empty value; where the schema wants a date, number or choice it is an error.
        text = {"search", *self.filters_that_may_be_empty()}
        for name, values in request.query_params.lists():
            if name in allowed and name not in text and "" in values:
                errors[name] = ["This parameter needs a value when it is given."]
        if errors:
            raise exceptions.ValidationError(errors)
        if self.action == "list" and self.paginator is not None:
            self.paginator.check_query_parameters(request)

    def filters_that_may_be_empty(self):
        """Free text and keys (empty: as good as none), and ``ordering``, a comma-separated list that may be empty."""
        if self.action != "list":
            return []
        may_be_empty = (django_filters.ModelChoiceFilter, django_filters.OrderingFilter)
        return [
            name
            for name, filter_ in self.filterset_class.base_filters.items()
            if type(filter_) is django_filters.CharFilter or isinstance(filter_, may_be_empty)
        ]

    def lookup_value(self):
        value = str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, ""))
        # PostgreSQL cannot even compare a key holding a NUL character; no record has one.
        if "\x00" in value:
            raise Http404
        return value

    def get_object(self):
        self.lookup_value()
        return super().get_object()

    def current_representation(self, instance):
        """``instance``'s detail as a GET returns it now, and that response's ETag: ``(data, etag)``.

        The one definition of a record's version: ``retrieve`` and the responses to writes send this ETag, and
        ``If-Match`` on PUT/PATCH/DELETE is compared with it. A faster read path (and ``If-None-Match``) plugs in
        here: return its data and the ETag of the exact bytes it sends.
        """
        data = self.get_serializer(instance).data
        return data, representation_etag(JSONRenderer().render(data))

    def detail_response(self, instance, status_code=status.HTTP_200_OK):
        """The answer to a write: the record as a GET now returns it (read afresh), with its ETag."""
        data, etag = self.current_representation(self.get_queryset().get(pk=instance.pk))
        headers = {"ETag": etag}
        if status_code == status.HTTP_201_CREATED:
            headers.update(self.get_success_headers(data))
        return Response(data, status=status_code, headers=headers)

    def retrieve(self, request, *args, **kwargs):
        data, etag = self.current_representation(self.get_object())
        return Response(data, headers={"ETag": etag})

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
            rows = model._default_manager.select_for_update(of=("self",))
            list(rows.filter(**{self.lookup_field: self.lookup_value()}))
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
