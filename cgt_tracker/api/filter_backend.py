from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend

from cgt_tracker.filters import SearchFilterSet


class GivenFiltersBackend(DjangoFilterBackend):
    """django-filter's backend, filtering a list with only the filters its request gives (see
    ``SearchFilterSet.given``). The schema and the browsable API's form still show every filter."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        if issubclass(filterset_class, SearchFilterSet):
            filterset_class = filterset_class.given(request.query_params.keys())
        filterset = filterset_class(**self.get_filterset_kwargs(request, queryset, view))
        if not filterset.is_valid() and self.raise_exception:
            raise utils.translate_validation(filterset.errors)
        return filterset.qs
