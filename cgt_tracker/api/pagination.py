from rest_framework import pagination
from rest_framework.exceptions import ValidationError


def positive_integer(request, name, maximum=None):
    """The query parameter ``name`` as an integer from 1 to ``maximum``, None if absent; anything else is a 400."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    value = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else 0
    if value < 1 or (maximum is not None and value > maximum):
        upper = f" from 1 to {maximum}" if maximum is not None else " of 1 or more"
        raise ValidationError({name: [f"Expected a whole number{upper}, not “{raw}”."]})
    return value


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=`` and ``?page_size=`` (at most ``max_page_size``): a value that is not a whole number in range is
    a 400, never silently replaced; a page past the last is a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    last_page_strings = ()

    def check_query_parameters(self, request):
        """400 unless ``page`` and ``page_size``, where given, are in range (CSV lists check them too)."""
        positive_integer(request, self.page_query_param)
        positive_integer(request, self.page_size_query_param, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        self.check_query_parameters(request)
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        return positive_integer(request, self.page_size_query_param, self.max_page_size) or self.page_size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters
