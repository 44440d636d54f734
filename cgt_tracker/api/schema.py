"""OpenAPI description of the API: error responses, CSV lists and ``{"slug", "name"}`` references."""

import copy

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions, serializers

from cgt_tracker.patterns import DIGIT, WHITESPACE

from .serializers import RefField

STRING = {"type": "string"}

COMPONENTS = {
    "Ref": {
        "type": "object",
        "description": _("A record pointed to. Write its slug instead of this object."),
        "properties": {"slug": STRING, "name": STRING},
        "required": ["slug", "name"],
    },
    "Error": {
        "type": "object",
        "properties": {"detail": STRING},
        "required": ["detail"],
    },
    "ValidationError": {
        "type": "object",
        "description": _(
            "A list of messages per field (`non_field_errors` for the record as a whole), or a `detail` message "
            "when the body is not valid JSON."
        ),
        "additionalProperties": {},
    },
}

ERRORS = {
    "304": (None, _("Not modified: the representation still has the `ETag` sent in `If-None-Match`.")),
    "400": ("ValidationError", _("Invalid input: a message per field (or per query parameter).")),
    "401": ("Error", _("Not authenticated, or the token sent is not valid: send `Authorization: Token <key>`.")),
    "403": ("Error", _("Authenticated, but without the permission to change this kind of record.")),
    "404": ("Error", _("No such record (on a list: no such page).")),
    "409": ("Error", _("Refused: other records still refer to this one.")),
    "412": ("Error", _("`If-Match` names another version: the record has changed since it was read. Nothing changed.")),
    "413": ("Error", _("The request body is larger than the server accepts.")),
    "415": ("Error", _("The body is not JSON: send it with `Content-Type: application/json`.")),
    "429": ("Error", _("Too many requests from this client: retry after the seconds `Retry-After` gives.")),
}

READS = {"list", "retrieve"}
ETAG_HEADER = {
    "ETag": {
        "schema": {"type": "string"},
        "description": "A hash of this representation; send it back in `If-None-Match` to get a 304 if unchanged.",
    }
}

ERROR_HEADERS = {
    "429": {"Retry-After": {"schema": {"type": "integer"}, "description": _("Seconds to wait before retrying.")}},
}

ERRORS_BY_ACTION = {
    "list": ["304", "400", "401", "404", "429"],
    "retrieve": ["304", "400", "401", "404", "429"],
    "create": ["400", "401", "403", "413", "415", "429"],
    "update": ["400", "401", "403", "404", "412", "413", "415", "429"],
    "partial_update": ["400", "401", "403", "404", "412", "413", "415", "429"],
    "destroy": ["400", "401", "403", "404", "409", "412", "429"],
}

# Extra actions (`@action`): a bad token, a refused permission, no such record, throttled.
EXTRA_DETAIL_ERRORS = ["401", "403", "404", "429"]
EXTRA_LIST_ERRORS = ["400", "401", "403", "429"]

ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=True,
    response=[200, 201],
    description="The version of the record this response returns: send it back in `If-Match` to write it.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "The `ETag` the record had when you read it: if it has changed since, the write is refused with 412 and "
        "changes nothing. Without `If-Match` the write is applied whatever the record is now."
    ),
)


def comma_separated(name, choices, *, description, unique=False):
    """A query parameter holding one or more of ``choices``, comma-separated (``?fields=slug,name``)."""
    schema = {"type": "array", "items": {"type": "string", "enum": list(choices)}, "minItems": 1}
    if unique:
        schema["uniqueItems"] = True
    return OpenApiParameter(name, schema, style="form", explode=False, description=description)


def component_ref(registry, name):
    component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=COMPONENTS[name])
    registry.register_on_missing(component)
    return component.ref


class AutoSchema(openapi.AutoSchema):
    """Documents every error a resource can answer (so clients and conformance tests know them), the CSV
    variant of each list and the ``format`` parameter that selects it, and ``ETag``/``If-Match``."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self._action() in {"retrieve", "create", "update", "partial_update"}:
            parameters.append(ETAG)
        if self._action() in {"update", "partial_update", "destroy"}:
            parameters.append(IF_MATCH)
        shape = getattr(self.view, "shape", None)
        if self._action() in READS and shape is not None:
            parameters.append(
                comma_separated(
                    "fields",
                    shape.fields,
                    description=(
                        "Only these keys of each record, comma-separated (related lists not asked for are not "
                        f"read). One of: {', '.join(f'`{name}`' for name in shape.fields)}. Another name is a 400."
                    ),
                )
            )
            parameters.append(
                OpenApiParameter(
                    "If-None-Match",
                    OpenApiTypes.STR,
                    location=OpenApiParameter.HEADER,
                    description="The `ETag` of a previous response: 304 and no body if nothing changed.",
                )
            )
        if self._action() == "list":
            parameters.append(
                OpenApiParameter(
                    "format",
                    OpenApiTypes.STR,
                    enum=["json", "csv"],
                    description=_("`csv`: every row the filters select (all pages), streamed as CSV."),
                )
            )
        return parameters

    def get_auth(self):
        auths = super().get_auth()
        if self.method in permissions.SAFE_METHODS and {} not in auths:
            auths.append({})  # reads are open to anonymous clients
        return auths

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        csv = responses.get("200", {}).get("content", {}).get("text/csv")
        if csv is not None:
            csv["schema"] = STRING
        if "200" in responses and self._action() == "list":  # a detail's ETag is the ETAG parameter
            responses["200"]["headers"] = ETAG_HEADER
        for code in self._error_codes():
            name, description = ERRORS[code]
            response = {"description": description}
            if name is not None:
                response["content"] = {"application/json": {"schema": component_ref(self.registry, name)}}
            else:
                response["headers"] = ETAG_HEADER
            if code in ERROR_HEADERS:
                response["headers"] = ERROR_HEADERS[code]
            responses.setdefault(code, response)
        return responses

    def _action(self):
        return getattr(self.view, "action", None)

    def _error_codes(self):
        # Plain API views (no viewset action) name their error responses in ``error_responses``.
        if hasattr(self.view, "error_responses"):
            return self.view.error_responses
        if self._action() in ERRORS_BY_ACTION:
            return ERRORS_BY_ACTION[self._action()]
        detail = getattr(self.view, "detail", None)  # an extra action (`@action`) of a viewset
        if detail is None:
            return []
        return EXTRA_DETAIL_ERRORS if detail else EXTRA_LIST_ERRORS

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        many = (serializers.ManyRelatedField, serializers.ListField)
        if direction == "request" and isinstance(field, many) and not field.allow_empty and "items" in schema:
            schema.setdefault("minItems", 1)  # e.g. `sources`: every record cites at least one
        if direction == "request" and isinstance(field, serializers.CharField):
            add_text_pattern(field, schema)
        if isinstance(field, serializers.DecimalField) and "pattern" in schema:
            schema["pattern"] = decimal_pattern(field)
        return schema


def add_text_pattern(field, schema):
    """What a text field refuses beyond its length: a NUL character (which PostgreSQL cannot store), and, where
    it may not be blank, a value that is only whitespace (the field trims it to nothing)."""
    if schema.get("type") != "string" or schema.keys() & {"pattern", "format", "enum"}:
        return
    if any(isinstance(validator, RegexValidator) for validator in field.validators):
        return  # drf-spectacular writes the validator's own pattern (a slug's, an address's)
    may_be_blank = field.allow_blank or not field.trim_whitespace
    schema["pattern"] = r"^[^\x00]*$" if may_be_blank else rf"^[^\x00]*[^{WHITESPACE}\x00][^\x00]*$"


def decimal_pattern(field):
    """A number as DRF reads it: at least one digit (drf-spectacular's pattern also matches "" and "-"), and no
    minus sign before anything but zeros where the field takes no negative number."""
    places = field.decimal_places or 0
    whole = "+" if field.max_digits is None else f"{{1,{field.max_digits - places}}}"

    def number(digit):
        if not places:
            return f"{digit}{whole}"
        return rf"(?:{digit}{whole}(?:\.{digit}{{0,{places}}})?|\.{digit}{{1,{places}}})"

    digits = number(DIGIT)
    if field.min_value is not None and field.min_value == 0:
        return rf"^(?:{digits}|-{number('0')})$"
    return rf"^-?{digits}$"


class RefFieldExtension(OpenApiSerializerFieldExtension):
    target_class = RefField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {"type": "string", "description": _("Slug of the record.")}
        return component_ref(auto_schema.registry, "Ref")


DETAIL_LINKS = {
    "get": ("retrieve", False),
    "put": ("update", True),
    "patch": ("partial_update", True),
    "delete": ("destroy", True),
}


def add_links(result, generator, request, public):
    """OpenAPI links from a record just created (201), read or changed (200) to its detail operations.

    The key comes from the response body and a write's ``If-Match`` from its ``ETag``, so a client (or
    Schemathesis's stateful phase) can follow create → read → change → delete on a real record.
    """
    paths = result["paths"]
    for path, operations in paths.items():
        head, _, last = path.rstrip("/").rpartition("/")
        list_path = f"{head}/"
        if not (last.startswith("{") and last.endswith("}") and list_path in paths):
            continue
        key = last[1:-1]
        links = {}
        for method, (name, if_match) in DETAIL_LINKS.items():
            if method in operations:
                parameters = {f"path.{key}": f"$response.body#/{key}"}
                if if_match:
                    parameters["header.If-Match"] = "$response.header.ETag"
                links[name] = {"operationId": operations[method]["operationId"], "parameters": parameters}
        answers = [paths[list_path].get("post", {}).get("responses", {}).get("201")]
        answers += [operations.get(method, {}).get("responses", {}).get("200") for method in ("get", "put", "patch")]
        for response in filter(None, answers):
            response["links"] = links
    return result


def refuse_nul_in_query_text(result, generator, request, public):
    """A free-text query parameter (a filter, ``search``, a key) refuses a NUL character, as Django's form fields
    do: its schema says so."""
    for operations in result["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", ()) if isinstance(operation, dict) else ():
                schema = parameter.get("schema", {})
                free_text = schema.get("type") == "string" and not schema.keys() & {"pattern", "format", "enum"}
                if parameter["in"] == "query" and free_text:
                    schema["pattern"] = r"^[^\x00]*$"
    return result


def allow_sparse_fields(result, generator, request, public):
    """Where a read takes ``fields``, its records are the full ones or only the keys asked for (``RecordFields``,
    the same properties, none required)."""
    components = result["components"]["schemas"]

    def full_or_sparse(ref):
        name = ref.rpartition("/")[2]
        sparse = f"{name}Fields"
        if sparse not in components:
            components[sparse] = {
                key: value for key, value in copy.deepcopy(components[name]).items() if key != "required"
            }
            components[sparse]["description"] = "Only the keys asked for in `fields`."
        return {"anyOf": [{"$ref": ref}, {"$ref": f"#/components/schemas/{sparse}"}]}

    for operations in result["paths"].values():
        operation = operations.get("get", {})
        if not any(parameter["name"] == "fields" for parameter in operation.get("parameters", ())):
            continue
        body = operation["responses"]["200"]["content"]["application/json"]
        page = components[body["schema"]["$ref"].rpartition("/")[2]]
        results = page.get("properties", {}).get("results")
        if results is not None:
            if "$ref" in results["items"]:
                results["items"] = full_or_sparse(results["items"]["$ref"])
        else:
            body["schema"] = full_or_sparse(body["schema"]["$ref"])
    return result
