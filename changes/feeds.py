"""Atom feeds of a filtered program list: ``/programs/feed/?<the list's filters>``.

A feed lists changes, not programs: a program added, its stage moved, a new milestone, a program
deleted; newest first, each entry with an id of its own so feed readers show every update. A change
that took a program out of the filter (it moved past ``stage=phase_2``, it was withdrawn) is in the feed
too: the programs followed are those the filters match now, and those whose recorded history matched
the program's own filtered fields (stage, modality, company) before.
"""

from django.contrib.syndication.views import Feed
from django.core.exceptions import BadRequest
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext

from programs.choices import MilestoneKind, Stage
from programs.filters import TherapyProgramFilterSet
from programs.models import TherapyProgram

from .records import BY_NAME, Keys, attach_previous, history_rows

ENTRIES = 50
# Filters on the program's own columns, checked against its recorded rows as well as its current one.
COLUMN_FILTERS = ("stage", "stage_min", "modality", "company")


def followed_programs(filterset):
    """Ids (a subquery) of the programs the filters match now or matched before, by their recorded rows."""
    data = filterset.filtered_values()
    now = filterset.qs.values("pk")
    columns = {name: data.get(name) for name in COLUMN_FILTERS if data.get(name)}
    if not columns or data.get("indication") or data.get("country"):
        return Q(id__in=now)
    before = TherapyProgram.history.all()
    if columns.get("stage"):
        before = before.filter(stage__in=columns["stage"])
    if columns.get("stage_min"):
        before = before.filter(stage__in=Stage.at_least(columns["stage_min"]))
    if columns.get("modality"):
        before = before.filter(modality__in=columns["modality"])
    if columns.get("company"):
        before = before.filter(company_id=columns["company"].pk)
    # The other filters (target, search...) on what the program is now; a deleted program has no "now".
    others = filterset.filter_all_but(TherapyProgram.objects.all(), *COLUMN_FILTERS).values("pk")
    deleted = ~Q(id__in=TherapyProgram.objects.values("pk"))
    return Q(id__in=now) | Q(id__in=before.filter(Q(id__in=others) | deleted).values("id"))


def stage_changed():
    """Program rows whose stage differs from the row before (a creation or deletion always counts)."""
    history = BY_NAME["program"].history
    previous = history.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by("-history_id")
    return history.objects.alias(previous_stage=Subquery(previous.values("stage")[:1])).filter(
        Q(history_type__in=["+", "-"])
        | Q(previous_stage__isnull=True, stage__isnull=False)
        | Q(previous_stage__isnull=False, stage__isnull=True)
        | ~Q(previous_stage=F("stage"))
    )


class ProgramChangesFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request):
        filterset = TherapyProgramFilterSet(request.GET, queryset=TherapyProgram.objects.all(), request=request)
        if not filterset.is_valid():
            problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items())
            raise BadRequest(f"Invalid filters: {problems}")
        query = request.GET.urlencode()
        return {"filterset": filterset, "query": f"?{query}" if query else ""}

    def title(self, obj):
        title = gettext("CGT Tracker: program changes")
        return f"{title} ({obj['query'][1:]})" if obj["query"] else title

    def link(self, obj):
        return reverse("programs:program_list") + obj["query"]

    def feed_url(self, obj):
        return reverse("changes:program_feed") + obj["query"]

    def subtitle(self, obj):
        return gettext("Programs added, stage changes, new milestones and deletions, newest first.")

    def items(self, obj):
        programs = followed_programs(obj["filterset"])
        changed = stage_changed().filter(programs).values("history_id")
        program_rows = history_rows(BY_NAME["program"], condition=Q(history_id__in=changed), limit=ENTRIES)
        milestone_rows = history_rows(
            BY_NAME["milestone"],
            condition=Q(history_type="+", program_id__in=TherapyProgram.history.filter(programs).values("id")),
            limit=ENTRIES,
        )
        rows = sorted([*program_rows, *milestone_rows], key=lambda row: row.position, reverse=True)[:ENTRIES]
        attach_previous(rows)
        keys = Keys()
        for row in rows:
            keys.want(TherapyProgram, row.values.get("program_id", row.values["id"]))
        keys.resolve()
        names = dict(
            TherapyProgram.history.filter(id__in=[r.values.get("program_id", r.values["id"]) for r in rows])
            .order_by("id", "history_id")
            .values_list("id", "name")
        )
        for row in rows:
            program_id = row.values.get("program_id", row.values["id"])
            row.program_slug, row.program_name = keys.of(TherapyProgram, program_id), names.get(program_id, "")
        return rows

    def item_title(self, row):
        name, values = row.program_name, row.values
        if row.tracked.name == "milestone":
            return gettext("%(name)s: %(milestone)s") % {"name": name, "milestone": MilestoneKind(values["kind"]).label}
        if row.action == "created" and values["stage"]:
            return gettext("%(name)s added (%(stage)s)") % {"name": name, "stage": Stage(values["stage"]).label}
        if row.action == "created":
            return gettext("%(name)s added") % {"name": name}
        if row.action == "deleted":
            return gettext("%(name)s deleted") % {"name": name}
        return gettext("%(name)s: stage %(before)s → %(after)s") % {
            "name": name,
            "before": label((row.previous or {}).get("stage")),
            "after": label(values["stage"]),
        }

    def item_description(self, row):
        values = row.values
        if row.tracked.name == "milestone":
            kind = MilestoneKind(values["kind"]).label
            # Translators: a milestone with no description: its kind, then its date (or "undated").
            return values["description"] or gettext("%(kind)s, %(date)s.") % {
                "kind": kind,
                "date": values["date"] or gettext("undated"),
            }
        return self.item_title(row)

    def item_link(self, row):
        if row.action == "deleted" and row.tracked.name == "program":
            return reverse("programs:program_list")
        return reverse("programs:program_detail", args=[row.program_slug])

    def item_guid(self, row):
        return f"{self.item_link(row)}#change-{row.tracked.name}-{row.values['history_id']}"

    item_guid_is_permalink = False

    def item_pubdate(self, row):
        return row.values["history_date"]

    def item_updateddate(self, row):
        return row.values["history_date"]


def label(stage):
    return Stage(stage).label if stage else gettext("none")
