"""OpenAPI description of the API: error responses, CSV lists and ``{"slug", "name"}`` references."""

from django.utils.translation import gettext_lazy as _
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
    "400": ("ValidationError", _("Invalid input: a message per field.")),
    "401": ("Error", _("Not authenticated: send a session cookie or `Authorization: Token <key>`.")),
    "403": ("Error", _("Authenticated, but without the permission to change this kind of record.")),
    "404": ("Error", _("No such record (on a list: no such page).")),
    "409": ("Error", _("Refused: other records still refer to this one.")),
    "415": ("Error", _("The body is not JSON: send it with `Content-Type: application/json`.")),
    "429": ("Error", _("Too many requests from this client: retry after the seconds `Retry-After` gives.")),
}

ERROR_HEADERS = {
    "429": {"Retry-After": {"schema": {"type": "integer"}, "description": _("Seconds to wait before retrying.")}},
}

ERRORS_BY_ACTION = {
    "list": ["400", "404", "429"],
    "retrieve": ["404", "429"],
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
        for code in ERRORS_BY_ACTION.get(self._action(), []):
            name, description = ERRORS[code]
            response = {
                "content": {"application/json": {"schema": component_ref(self.registry, name)}},
                "description": description,
            }
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
            return {"type": "string", "description": _("Slug of the record.")}
        return component_ref(auto_schema.registry, "Ref")
