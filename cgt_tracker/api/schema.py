"""OpenAPI description of the API: error responses, CSV lists and ``{"slug", "name"}`` references."""

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions

from .serializers import RefField

STRING = {"type": "string"}

COMPONENTS = {
    "Ref": {
        "type": "object",
        "description": "A record pointed to. Write its slug instead of this object.",
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
        "description": (
            "A list of messages per field (`non_field_errors` for the record as a whole), or a `detail` message "
            "when the body is not valid JSON."
        ),
        "additionalProperties": {},
    },
}

ERRORS = {
    "304": (None, "Not modified: the representation still has the `ETag` sent in `If-None-Match`."),
    "400": ("ValidationError", "Invalid input: a message per field."),
    "401": ("Error", "Not authenticated: send a session cookie or `Authorization: Token <key>`."),
    "403": ("Error", "Authenticated, but without the permission to change this kind of record."),
    "404": ("Error", "No such record (on a list: no such page)."),
    "409": ("Error", "Refused: other records still refer to this one."),
    "415": ("Error", "The body is not JSON: send it with `Content-Type: application/json`."),
    "429": ("Error", "Too many requests from this client: retry after the seconds `Retry-After` gives."),
}

READS = {"list", "retrieve"}
ETAG_HEADER = {
    "ETag": {
        "schema": {"type": "string"},
        "description": "A hash of this representation; send it back in `If-None-Match` to get a 304 if unchanged.",
    }
}

ERROR_HEADERS = {
    "429": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before retrying."}},
}

ERRORS_BY_ACTION = {
    "list": ["304", "400", "404", "429"],
    "retrieve": ["304", "400", "404", "429"],
    "create": ["400", "401", "403", "415", "429"],
    "update": ["400", "401", "403", "404", "415", "429"],
    "partial_update": ["400", "401", "403", "404", "415", "429"],
    "destroy": ["401", "403", "404", "409", "429"],
}


def component_ref(registry, name):
    component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=COMPONENTS[name])
    registry.register_on_missing(component)
    return component.ref


class AutoSchema(openapi.AutoSchema):
    """Documents every error a resource can answer (so clients and conformance tests know them), the CSV
    variant of each list, and the ``format`` parameter that selects it."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        shape = getattr(self.view, "shape", None)
        if self._action() in READS and shape is not None:
            parameters.append(
                OpenApiParameter(
                    "fields",
                    OpenApiTypes.STR,
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
                    description="`csv`: every row the filters select (all pages), streamed as CSV.",
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
        if "200" in responses and self._action() in READS:
            responses["200"]["headers"] = ETAG_HEADER
        # Plain API views (no viewset action) name their error responses in ``error_responses``.
        for code in getattr(self.view, "error_responses", ERRORS_BY_ACTION.get(self._action(), [])):
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


class RefFieldExtension(OpenApiSerializerFieldExtension):
    target_class = RefField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {"type": "string", "description": "Slug of the record."}
        return component_ref(auto_schema.registry, "Ref")
