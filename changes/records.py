"""Changes read from the history django-simple-history records: one entry per created, updated or deleted row.

Every entry is a historical row compared with the one before it for the same record (a creation
with nothing, a deletion with the row as it was). A page is built with a fixed number of queries,
whatever its size: per kind of record one query for the page's rows (newest first, each with the id
of its previous row) and one for those previous rows, then one per kind of related record to show
keys (slugs) instead of ids, and one for user names.
"""

import base64
import binascii
import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils.translation import gettext

from cgt_tracker.api.serializers import key_field
from companies.models import Company, Institution
from policies.models import PolicyDocument
from programs.models import Development, Indication, Milestone, TherapyProgram

ACTIONS = {"+": "created", "~": "updated", "-": "deleted"}
HISTORY_TYPES = {action: code for code, action in ACTIONS.items()}
# Derived or bookkeeping columns: a change to them alone says nothing new.
NOT_SHOWN = {"id", "created", "updated", "search_document"}


@dataclass(frozen=True)
class Tracked:
    """A kind of record whose changes are listed: its API name, model and how entries name it."""

    name: str
    model: type[models.Model]
    program_field: str | None = None  # the column holding the program's id, where one applies

    @property
    def history(self):
        return self.model.history.model

    @cached_property
    def key(self):
        return key_field(self.model)

    @cached_property
    def fields(self):
        """The columns compared between two rows, as (name shown, attribute, related model or None)."""
        return [
            (f.name, f.attname, f.related_model if f.is_relation else None)
            for f in self.model._meta.concrete_fields
            if f.name not in NOT_SHOWN and not f.generated  # generated columns have no history
        ]

    @cached_property
    def related(self):
        return {name: model for name, _, model in self.fields if model is not None}


TRACKED = [
    Tracked("program", TherapyProgram, program_field="id"),
    Tracked("development", Development, program_field="program_id"),
    Tracked("milestone", Milestone, program_field="program_id"),
    Tracked("company", Company),
    Tracked("institution", Institution),
    Tracked("policy", PolicyDocument),
]
BY_NAME = {tracked.name: tracked for tracked in TRACKED}
RANK = {tracked.name: rank for rank, tracked in enumerate(TRACKED)}


@dataclass(frozen=True, order=True)
class Position:
    """Where a page ends in the newest-first order (date, kind of record, history row), as an opaque cursor."""

    at: datetime
    rank: int
    history_id: int

    def encode(self):
        return base64.urlsafe_b64encode(f"{self.at.isoformat()}|{self.rank}|{self.history_id}".encode()).decode()

    @classmethod
    def decode(cls, cursor):
        """The position a cursor names, or ``ValueError``."""
        try:
            at, rank, history_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
            return cls(datetime.fromisoformat(at), int(rank), int(history_id))
        except (binascii.Error, UnicodeError, ValueError) as error:
            raise ValueError(gettext("Invalid cursor.")) from error

    def after(self, rank):
        """Rows of the kind ranked ``rank`` that come after this position (older, or tied and lower)."""
        older = Q(history_date__lt=self.at)
        if rank < self.rank:
            return Q(history_date__lte=self.at)
        if rank == self.rank:
            return older | Q(history_date=self.at, history_id__lt=self.history_id)
        return older


@dataclass
class Row:
    tracked: Tracked
    values: dict
    previous: dict | None = None

    @property
    def position(self):
        return Position(self.values["history_date"], RANK[self.tracked.name], self.values["history_id"])

    @property
    def action(self):
        return ACTIONS[self.values["history_type"]]

    def keep_related_keys(self, keys):
        related = self.tracked.related
        for name, (old, new) in self.changes().items():
            if name in related:
                keys.want(related[name], old)
                keys.want(related[name], new)

    def shown_changes(self, keys):
        """``{field: (from, to)}`` as the API shows them: related records by key, dates in ISO 8601."""
        related = self.tracked.related
        return {
            name: tuple(keys.of(related[name], value) if name in related else jsonable(value) for value in pair)
            for name, pair in self.changes().items()
        }

    def changes(self):
        """``{field: (from, to)}`` with raw column values (related records by id)."""
        before = {} if self.action == "created" else (self.previous or {})
        after = {} if self.action == "deleted" else self.values
        if self.action == "deleted":
            before = self.values
        changed = {}
        for name, attname, _ in self.tracked.fields:
            old, new = before.get(attname), after.get(attname)
            if old != new and not (old in (None, "", []) and new in (None, "", [])):
                changed[name] = (old, new)
        return changed


def columns(tracked):
    return ["history_id", "history_date", "history_type", "history_user_id", *(a for _, a, _ in tracked.fields)]


def history_rows(tracked, *, condition, limit=None, with_previous=True):
    """The historical rows of one kind matching ``condition``, newest first, each with the row before it."""
    history = tracked.history
    queryset = history.objects.filter(condition).order_by("-history_date", "-history_id")
    if with_previous:
        # MAX over the record's few rows (found by the index on ``id``); ORDER BY history_id DESC LIMIT 1 would
        # walk the whole table backwards by its primary key for a record's first row, which has no previous.
        previous_id = (
            history.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
            .order_by()
            .values("id")
            .annotate(previous=Max("history_id"))
            .values("previous")
        )
        queryset = queryset.annotate(previous_id=Subquery(previous_id))
    fields = [*columns(tracked), "id"] + (["previous_id"] if with_previous else [])
    values = list(queryset.values(*fields)[:limit] if limit is not None else queryset.values(*fields))
    return [Row(tracked, row) for row in values]


def attach_previous(rows):
    """Give each updated row the row before it: one query per kind of record."""
    wanted = defaultdict(set)
    for row in rows:
        if row.action == "updated" and row.values.get("previous_id"):
            wanted[row.tracked].add(row.values["previous_id"])
    for tracked, ids in wanted.items():
        previous = tracked.history.objects.filter(history_id__in=ids).values(*columns(tracked))
        found = {values["history_id"]: values for values in previous}
        for row in rows:
            if row.tracked is tracked:
                row.previous = found.get(row.values.get("previous_id"))


@dataclass
class Keys:
    """Ids of related records shown as their keys (slugs), looked up once per kind of record."""

    wanted: dict = field(default_factory=lambda: defaultdict(set))
    found: dict = field(default_factory=dict)

    def want(self, model, pk):
        if pk is not None:
            self.wanted[model].add(pk)

    def resolve(self):
        for model, pks in self.wanted.items():
            key = key_field(model)
            found = dict(model._default_manager.filter(pk__in=pks).values_list("pk", key))
            missing = pks - found.keys()
            if missing and key != "pk":  # deleted since: the key it had last
                history = model.history.model.objects.filter(id__in=missing).order_by("id", "history_id")
                found.update(history.values_list("id", key))
            self.found[model] = found

    def of(self, model, pk):
        return self.found.get(model, {}).get(pk, pk)


def user_names(rows):
    ids = {row.values["history_user_id"] for row in rows} - {None}
    if not ids:
        return {}
    model = get_user_model()
    return dict(model._default_manager.filter(pk__in=ids).values_list("pk", model.USERNAME_FIELD))


def jsonable(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def program_id_for(slug):
    """The id of the program with this slug, now or (deleted) as it was last recorded; None if there never was one."""
    program = TherapyProgram.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if program is None:
        program = (
            TherapyProgram.history.filter(slug=slug).order_by("-history_id").values_list("id", flat=True).first()
        )
    return program


def change_page(*, since=None, kinds=None, actions=None, program_id=None, after=None, size=50):
    """One page of changes, newest first: ``(rows, position of the last row or None if no more)``."""
    selected = [t for t in TRACKED if (not kinds or t.name in kinds) and (program_id is None or t.program_field)]
    streams = []
    for tracked in selected:
        condition = Q()
        if since is not None:
            condition &= Q(history_date__gte=since)
        if actions:
            condition &= Q(history_type__in=[HISTORY_TYPES[action] for action in actions])
        if program_id is not None:
            condition &= Q(**{tracked.program_field: program_id})
        if after is not None:
            condition &= after.after(RANK[tracked.name])
        streams.append(history_rows(tracked, condition=condition, limit=size + 1))
    rows = list(heapq.merge(*streams, key=lambda row: row.position, reverse=True))[: size + 1]
    more = len(rows) > size
    rows = rows[:size]
    attach_previous(rows)
    return rows, (rows[-1].position if more else None)


def describe(rows, *, show_users):
    """The entries of ``/api/changes/`` for these rows."""
    keys = Keys()
    for row in rows:
        if row.tracked.program_field not in (None, "id"):
            keys.want(TherapyProgram, row.values[row.tracked.program_field])
        row.keep_related_keys(keys)
    keys.resolve()
    users = user_names(rows) if show_users else {}
    entries = []
    for row in rows:
        tracked, values = row.tracked, row.values
        if tracked.program_field == "id":
            program = values["slug"]
        elif tracked.program_field:
            program = keys.of(TherapyProgram, values[tracked.program_field])
        else:
            program = None
        entries.append(
            {
                "at": values["history_date"],
                "model": tracked.name,
                "action": row.action,
                "object": values["id"] if tracked.key == "pk" else values[tracked.key],
                "program": program,
                "changes": {name: {"from": old, "to": new} for name, (old, new) in row.shown_changes(keys).items()},
                "user": users.get(values["history_user_id"]) if show_users else None,
            }
        )
    return entries


def program_history(program, *, show_users):
    """A program's own field changes and its developments' stage changes, newest first."""
    rows = [
        *history_rows(BY_NAME["program"], condition=Q(id=program.pk), with_previous=False),
        *history_rows(BY_NAME["development"], condition=Q(program_id=program.pk), with_previous=False),
    ]
    last = {}
    for row in sorted(rows, key=lambda row: row.position):
        row.previous = last.get((row.tracked.name, row.values["id"]))
        last[(row.tracked.name, row.values["id"])] = row.values
    keys = Keys()
    for row in rows:
        if row.tracked.name == "program":
            row.keep_related_keys(keys)
        else:
            keys.want(Indication, row.values["indication_id"])
    keys.resolve()
    users = user_names(rows) if show_users else {}
    entries = []
    for row in sorted(rows, key=lambda row: row.position, reverse=True):
        values = row.values
        if row.tracked.name == "program":
            source = {"model": "program", "id": values["slug"]}
            changes = row.shown_changes(keys)
        else:
            indication = values["indication_id"]
            source = {
                "model": "development",
                "id": values["id"],
                "indication": keys.of(Indication, indication) if indication else None,
                "country": values["country"],
            }
            changes = {name: pair for name, pair in row.shown_changes(keys).items() if name == "stage"}
        for name, (old, new) in changes.items():
            entries.append(
                {
                    "at": values["history_date"],
                    "field": name,
                    "from": old,
                    "to": new,
                    "source": source,
                    "user": users.get(values["history_user_id"]) if show_users else None,
                }
            )
    return entries
