"""``/api/changes/`` and ``/api/programs/{slug}/history/``: what changed, from the recorded history."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from programs.models import TherapyProgram

from . import records

ACTION_CHOICES = list(records.HISTORY_TYPES)
MODEL_CHOICES = list(records.BY_NAME)
PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
NOT_BLANK = {"type": "string", "minLength": 1}
VALUE = "A value of the field: a related record by its slug, a date in ISO 8601."
FROM_TO = inline_serializer(
    "FromTo",
    {
        "from": serializers.JSONField(allow_null=True, help_text=VALUE),
        "to": serializers.JSONField(allow_null=True, help_text=VALUE),
    },
)


class UserField(serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            allow_null=True, help_text="Who made the change: staff readers only (always null for others).", **kwargs
        )


class ChangeSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    model = serializers.ChoiceField(MODEL_CHOICES)
    action = serializers.ChoiceField(ACTION_CHOICES)
    object = serializers.JSONField(help_text="The record's slug (its id for developments and milestones).")
    program = serializers.CharField(allow_null=True, help_text="The program's slug, where the record belongs to one.")
    changes = serializers.DictField(child=FROM_TO, help_text="Each changed field, from its old value to its new one.")
    user = UserField()


class ChangePageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next (older) page, or null on the last one.")
    results = ChangeSerializer(many=True)


class ChangeQuery(serializers.Serializer):
    """The query parameters of ``/api/changes/``."""

    since = serializers.DateTimeField(required=False, help_text="Changes at or after this time (ISO 8601).")
    model = serializers.ListField(child=serializers.ChoiceField(MODEL_CHOICES), required=False)
    action = serializers.ListField(child=serializers.ChoiceField(ACTION_CHOICES), required=False)
    program = serializers.CharField(required=False, help_text="A program's slug (deleted programs too).")
    cursor = serializers.CharField(required=False, help_text="The position of a page, from a `next` link.")
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=PAGE_SIZE)

    def validate_program(self, slug):
        program_id = records.program_id_for(slug)
        if program_id is None:
            raise serializers.ValidationError(gettext("There is no program with slug “%(slug)s”.") % {"slug": slug})
        return program_id

    def validate_cursor(self, cursor):
        try:
            return records.Position.decode(cursor)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from error


def show_users(request):
    return bool(request.user and request.user.is_staff)


class ChangeListView(APIView):
    """Every create, update and delete of programs, developments, milestones, companies, institutions and
    policies, newest first, each with the fields it changed. Paged by cursor: follow `next`."""

    permission_classes = [permissions.AllowAny]
    http_method_names = ["get", "head", "options"]
    error_responses = ["400", "429"]

    @extend_schema(
        operation_id="changes_list",
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATETIME, description="Changes at or after this time (ISO 8601)."),
            OpenApiParameter("model", str, enum=MODEL_CHOICES, many=True, description="Kinds of record (repeatable)."),
            OpenApiParameter("action", str, enum=ACTION_CHOICES, many=True, description="Kinds of change, repeatable."),
            OpenApiParameter("program", NOT_BLANK, description="A program's slug: its own changes and its parts'."),
            OpenApiParameter("cursor", NOT_BLANK, description="The position of a page, from a `next` link."),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                description=f"Entries per page (1–{MAX_PAGE_SIZE}, default {PAGE_SIZE}).",
            ),
        ],
        responses=ChangePageSerializer,
    )
    def get(self, request):
        params = request.query_params
        repeatable = {"model", "action"}
        query = ChangeQuery(
            data={
                **{name: value for name, value in params.items() if name not in repeatable},
                **{name: params.getlist(name) for name in repeatable if name in params},
            }
        )
        query.is_valid(raise_exception=True)
        params = query.validated_data
        rows, last = records.change_page(
            since=params.get("since"),
            kinds=params.get("model"),
            actions=params.get("action"),
            program_id=params.get("program"),
            after=params.get("cursor"),
            size=params["page_size"],
        )
        next_url = None
        if last is not None:
            next_query = request.query_params.copy()
            next_query["cursor"] = last.encode()
            next_url = request.build_absolute_uri(f"{request.path}?{next_query.urlencode()}")
        return Response({"next": next_url, "results": records.describe(rows, show_users=show_users(request))})


class ProgramHistoryView(APIView):
    """A program's history, newest first: each change of its own fields (its derived `stage` among them) and of
    its developments' stages, from the recorded history."""

    permission_classes = [permissions.AllowAny]
    http_method_names = ["get", "head", "options"]
    error_responses = ["404", "429"]

    @extend_schema(
        operation_id="programs_history",
        responses=inline_serializer(
            "ProgramHistoryEntry",
            {
                "at": serializers.DateTimeField(),
                "field": serializers.CharField(help_text="The field that changed (a development's: `stage`)."),
                "from": serializers.JSONField(allow_null=True, help_text=VALUE),
                "to": serializers.JSONField(allow_null=True, help_text=VALUE),
                "source": serializers.DictField(
                    help_text=(
                        "The record changed: `{\"model\": \"program\", \"id\": slug}` or `{\"model\": \"development\", "
                        "\"id\", \"indication\" (slug or null), \"country\"}`."
                    )
                ),
                "user": UserField(),
            },
            many=True,
        ),
    )
    def get(self, request, slug):
        program = get_object_or_404(TherapyProgram.objects.only("pk", "slug"), slug=slug)
        return Response(records.program_history(program, show_users=show_users(request)))
