"""``GET /api/stats/programs/?group_by=...``: how many programs, grouped, under the list's filters and rule.

The counts are the list's counts: each group's count is the ``count`` of ``/api/programs/`` filtered to
that group's values on top of the same filters. Grouped by ``indication`` or ``country`` a program counts
once per indication (or country) it is developed in, at its stage there: the most advanced active
development for that indication (and country), as the list's development filters read it.
"""

from django.db import connections
from django.db.models import Count, F, Max
from django.utils.translation import gettext
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, generics, permissions, serializers
from rest_framework.response import Response

from cgt_tracker.api.schema import comma_separated
from cgt_tracker.api.viewsets import empty_value_errors, filters_that_may_be_empty

from .choices import Modality, Stage
from .filters import DEVELOPMENT_FILTERS, TherapyProgramFilterSet
from .models import Development, Indication, TherapyProgram

# Each grouping: the value's path from a program, and from a development.
GROUPS = {
    "stage": ("stage", None),
    "modality": ("modality", "program__modality"),
    "company": ("company__slug", "program__company__slug"),
    "target": ("targets__symbol", "program__targets__symbol"),
    "indication": (None, "indication_id"),  # read as ids (no join over every development), then as slugs
    "country": (None, "country"),
}
PER_DEVELOPMENT = {"indication", "country"}


def parse_group_by(value):
    names = [name.strip() for name in ("stage" if value is None else value).split(",") if name.strip()]
    unknown = [name for name in names if name not in GROUPS]
    if unknown or not names or len(set(names)) != len(names):
        message = gettext("Unknown or repeated grouping “%(value)s”: a comma-separated list of %(groups)s.")
        raise exceptions.ValidationError(
            {"group_by": [message % {"value": ", ".join(unknown) or value, "groups": ", ".join(GROUPS)}]}
        )
    return names


def counts(filterset, group_by):
    """``[{<group>: value, ..., "count": n}]`` for the programs ``filterset`` selects."""
    data = filterset.filtered_values()
    per_development = bool(PER_DEVELOPMENT & set(group_by)) or (
        "stage" in group_by and (data.get("indication") or data.get("country"))
    )
    if per_development:
        return per_development_counts(filterset, group_by, data)
    columns = {name: F(GROUPS[name][0]) for name in group_by}
    rows = (
        filterset.qs.order_by()
        .values(**{f"g_{name}": path for name, path in columns.items()})
        .annotate(count=Count("pk", distinct="target" in group_by))
    )
    return [{**{name: row[f"g_{name}"] for name in group_by}, "count": row["count"]} for row in rows]


def per_development_counts(filterset, group_by, data):
    developments = Development.objects.in_scope(indication=data.get("indication"), country=data.get("country"))
    not_on_programs = {*DEVELOPMENT_FILTERS, "ordering"}
    if any(value not in (None, "", [], ()) for name, value in data.items() if name not in not_on_programs):
        # Only where a filter on the program itself narrows them (every development has a program).
        programs = filterset.filter_all_but(filterset.queryset, "stage", "stage_min")
        developments = developments.filter(program__in=programs.values("pk"))
    # The group's values before the program: the order of the indexes ``Development`` keeps for this.
    keys = {f"g_{name}": F(GROUPS[name][1]) for name in group_by if name != "stage"}
    stages, stage_min = data.get("stage"), data.get("stage_min")
    if not ("stage" in group_by or stages or stage_min):
        rows = developments.order_by().values(**keys).annotate(count=Count("program_id", distinct=True))
        return named(group_by, list(rows), developments.db)
    per_program = (
        developments.order_by().values(**keys, program_key=F("program_id")).annotate(stage_rank=Max("active_rank"))
    )
    if stages:
        per_program = per_program.filter(stage_rank__in=[Stage.rank(stage) for stage in stages])
    if stage_min:
        per_program = per_program.filter(stage_rank__gte=Stage.rank(stage_min))
    sql, params = per_program.query.sql_with_params()
    outer = [*keys, *(["stage_rank"] if "stage" in group_by else [])]
    connection = connections[per_program.db]
    quoted = ", ".join(connection.ops.quote_name(column) for column in outer)
    # One row per program and group: counting rows counts programs.
    grouped = f"SELECT {quoted + ', ' if quoted else ''}COUNT(*) FROM ({sql}) per_program"
    if quoted:
        grouped += f" GROUP BY {quoted}"
    with connection.cursor() as cursor:
        cursor.execute(grouped, params)
        rows = cursor.fetchall()
    return named(group_by, [dict(zip([*outer, "count"], row, strict=True)) for row in rows], per_program.db)


def named(group_by, rows, using):
    """``{<group>: value, ..., "count": n}`` from grouped rows: stage ranks as stages, indication ids as slugs."""
    stages = Stage.values
    slugs = {}
    if "indication" in group_by:
        ids = {row["g_indication"] for row in rows}
        slugs = dict(Indication.objects.using(using).filter(pk__in=ids).values_list("pk", "slug"))
    results = []
    for row in rows:
        entry = {name: row.get(f"g_{name}") for name in group_by}
        if "stage" in group_by:
            entry["stage"] = None if row["stage_rank"] is None else stages[row["stage_rank"]]
        if "indication" in group_by:
            entry["indication"] = slugs.get(entry["indication"])
        results.append({**entry, "count": row["count"]})
    return results


def in_order(row):
    """Pipeline order first, then the other values (nothing last)."""
    return tuple(
        (Stage.rank(value) if name == "stage" and value else -1) if name == "stage" else (value is None, str(value))
        for name, value in row.items()
        if name != "count"
    )


COUNT_ROW = inline_serializer(
    "ProgramCount",
    {
        "stage": serializers.ChoiceField(Stage.choices, allow_null=True, required=False),
        "modality": serializers.ChoiceField(Modality.choices, required=False),
        "company": serializers.CharField(allow_null=True, required=False, help_text="Company slug."),
        "target": serializers.CharField(allow_null=True, required=False, help_text="Target symbol."),
        "indication": serializers.CharField(allow_null=True, required=False, help_text="Indication slug."),
        "country": serializers.CharField(required=False, help_text="Country of the developments."),
        "count": serializers.IntegerField(help_text="Programs in this group: the list's `count` for it."),
    },
    many=True,
)


class ProgramStatsView(generics.GenericAPIView):
    """How many programs, grouped by `group_by`, under every filter of the program list. Each group's `count`
    equals the list's `count` for the same filters plus that group's values. Grouped by `indication` or
    `country`, a program counts once per indication (country) at its stage there: its most advanced active
    development for it. A program without a value (no company, no target) is counted under `null`."""

    queryset = TherapyProgram.objects.all()
    filterset_class = TherapyProgramFilterSet
    filter_backends = [DjangoFilterBackend]
    permission_classes = [permissions.AllowAny]
    pagination_class = None
    http_method_names = ["get", "head", "options"]
    error_responses = ["400", "429"]

    @extend_schema(
        operation_id="stats_programs",
        parameters=[
            comma_separated(
                "group_by",
                GROUPS,
                unique=True,
                description=f"Comma-separated groupings, each once: {', '.join(GROUPS)} (default `stage`). "
                "An unknown one is a 400 that lists these.",
            )
        ],
        responses=COUNT_ROW,
    )
    def get(self, request):
        filters = set(self.filterset_class.base_filters) - filters_that_may_be_empty(self.filterset_class)
        if errors := empty_value_errors(request.query_params, filters):
            raise exceptions.ValidationError(errors)
        group_by = parse_group_by(request.query_params.get("group_by"))
        filterset = self.filterset_class(request.query_params, queryset=self.get_queryset(), request=request)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return Response(sorted(counts(filterset, group_by), key=in_order))
