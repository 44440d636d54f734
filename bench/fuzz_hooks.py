"""Schemathesis hooks for bench/fuzz.py: a schema-valid request names records that exist.

The schema can only say that a program's ``company`` is a string; which strings name a company, and which
slugs or names are still free, only the database knows. The API rightly answers 400 to a reference to
nothing or to a name already taken, and Schemathesis's ``positive_data_acceptance`` check then counts a
schema-valid request as rejected. So before each case generated as *valid* is sent, this hook, reading the
database the server uses:

- replaces each key that names a related record (in a write's body, and in list filters) by the key of a
  record that exists now, and evidence by none (a quote must be verbatim from its source's text);
- makes the text values that must be unique (slug, code, symbol, name, title, and the text fields of a
  unique constraint, such as a development's country) unique;
- confirms a new record whose generated name looks like another (``confirm_new``);
- makes the record the body would leave meet the model's rules across fields, which a JSON schema cannot state:
  each unique constraint (by a unique text value, or other related records), each check constraint (by the
  repair ``CHECK_REPAIRS`` names for it) and ``clean()`` (a field it refuses is left out of the body);
- drops a generated ``cursor`` (a signed token: only a response's ``next`` link makes one) and a generated
  ``If-Match`` (a random tag names no version, so the write is refused with 412). The stateful phase sends
  real tags (OpenAPI links from each ``ETag``).

Cases generated as *invalid* are sent exactly as generated.
"""

import copy
import itertools
import os
import random

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cgt_tracker.settings")
django.setup()

import django_filters  # noqa: E402
import schemathesis  # noqa: E402
from django.core.exceptions import FieldDoesNotExist  # noqa: E402
from django.core.exceptions import ValidationError as DjangoValidationError  # noqa: E402
from django.db import models  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402
from rest_framework import serializers  # noqa: E402

from cgt_tracker.api.serializers import KeyField  # noqa: E402
from programs.models import TherapyProgram  # noqa: E402

UNIQUE = ("slug", "code", "symbol", "name", "title")
counter = itertools.count(1)
pick = random.Random(20250101)


def view_class(path):
    """The class of the API view serving ``path`` (an OpenAPI path: ``{slug}`` matches a key's pattern)."""
    try:
        return resolve(path).func.cls
    except (Resolver404, AttributeError):
        return None


def existing_key(field):
    """The key of a record ``field`` may name (None if there is none)."""
    keys = list(field.get_queryset().values_list(field.slug_field, flat=True)[:50])
    return pick.choice(keys) if keys else None


def unique_fields(model):
    """Fields whose values (alone or together with others) must be unique: a generated value may be taken."""
    names = set(UNIQUE)
    for constraint in model._meta.constraints:
        names.update(getattr(constraint, "fields", ()))
    for together in model._meta.unique_together:
        names.update(together)
    return names


def real_body(serializer, body):
    fields = serializer.fields
    for name, value in list(body.items()):
        field = fields.get(name)
        if field is None or field.read_only:
            continue
        if name == "evidence":
            body[name] = []
        elif isinstance(field, KeyField) and value is not None:
            body[name] = existing_key(field)
        elif isinstance(field, serializers.ManyRelatedField) and isinstance(value, list):
            keys = {existing_key(field.child_relation) for _ in value} - {None}
            body[name] = sorted(keys)
        elif (
            name in unique_fields(serializer.Meta.model)
            and isinstance(field, serializers.CharField)
            and isinstance(value, str)
            and value
        ):
            body[name] = unique_text(field, value)
    if "confirm_new" in fields:
        body["confirm_new"] = True  # generated names look alike: the client confirms it means a new record
    return body


def unique_text(field, value):
    suffix = f"x{next(counter)}"
    return value[: (field.max_length or 255) - len(suffix)] + suffix


def one_of(*names):
    """Repair a rule that exactly one of ``names`` is set: keep the first the body sets (or any record)."""

    def repair(serializer, body):
        chosen = next((name for name in names if body.get(name) is not None), names[0])
        for name in names:
            body[name] = None
        body[chosen] = existing_key(serializer.fields[chosen])

    return repair


def open_ended(end):
    """Repair a rule that a period ends after it starts: leave its end open."""

    def repair(serializer, body):
        body[end] = None

    return repair


CHECK_REPAIRS = {
    "policies_policydocument_period_ordered": open_ended("period_end"),
    "policies_policylink_one_record": one_of("company", "institution", "program"),
}


def record_after(serializer, body, instance, replace):
    """The record ``body`` would leave (not saved): ``instance`` with the body's values, or, for a new record or
    a replacement (PUT), a new one with the body's values and the defaults."""
    model = serializer.Meta.model
    record = model(pk=getattr(instance, "pk", None)) if instance is None or replace else copy.copy(instance)
    for name, value in body.items():
        field = serializer.fields.get(name)
        if field is None or field.read_only or isinstance(field, serializers.ManyRelatedField):
            continue
        try:
            model_field = model._meta.get_field(field.source)
        except FieldDoesNotExist:
            continue
        if not model_field.concrete or model_field.many_to_many:
            continue
        if isinstance(field, KeyField):
            value = field.get_queryset().filter(**{field.slug_field: value}).first() if value is not None else None
            setattr(record, model_field.name, value)
            continue
        try:
            setattr(record, model_field.attname, model_field.to_python(value))
        except (DjangoValidationError, TypeError, ValueError):
            continue
    return record


def violated(constraint, model, record):
    try:
        constraint.validate(model, record)
    except DjangoValidationError:
        return True
    return False


def meet_model_rules(serializer, body, instance, replace):
    model = serializer.Meta.model
    fields = serializer.fields

    def record():
        return record_after(serializer, body, instance, replace)

    for constraint in model._meta.constraints:
        for _ in range(20):
            if not violated(constraint, model, record()):
                break
            if isinstance(constraint, models.CheckConstraint):
                if constraint.name in CHECK_REPAIRS:
                    CHECK_REPAIRS[constraint.name](serializer, body)
                continue
            names = getattr(constraint, "fields", ())
            writable = [name for name in names if name in fields and not fields[name].read_only]
            text = [name for name in writable if isinstance(fields[name], serializers.CharField)]
            keys = [name for name in writable if isinstance(fields[name], KeyField)]
            if text:
                body[text[0]] = unique_text(fields[text[0]], "")
            elif keys:
                name = pick.choice(keys)
                body[name] = existing_key(fields[name])
    for name in refused_by_clean(record()):
        field = fields.get(name)
        if isinstance(field, serializers.ChoiceField):
            # Another choice may be the one the rule wants (research under way is on the NHC pathway).
            for choice in field.choices:
                body[name] = choice
                if name not in refused_by_clean(record()):
                    break
        elif name in body and not getattr(field, "required", False):
            del body[name]
    return body


def refused_by_clean(record):
    """The fields ``record.clean()`` refuses."""
    try:
        record.clean()
    except DjangoValidationError as error:
        return list(getattr(error, "error_dict", {}))
    return []


def instance_for(viewset, case):
    """The record a detail operation names (None for a list's, or where there is no such record)."""
    value = (case.path_parameters or {}).get(viewset.lookup_field if viewset.lookup_field != "pk" else "id")
    if value is None:
        return None
    model = viewset.serializer_class.Meta.model
    try:
        return model._default_manager.filter(**{viewset.lookup_field: value}).first()
    except (DjangoValidationError, ValueError, TypeError):
        return None


def real_query(filterset_class, query):
    for name, value in list(query.items()):
        filter_ = filterset_class.base_filters.get(name)
        if isinstance(filter_, django_filters.ModelChoiceFilter) and value:
            key = filter_.extra.get("to_field_name") or "pk"
            keys = list(filter_.queryset.values_list(key, flat=True)[:50])
            query[name] = pick.choice(keys) if keys else value
    return query


@schemathesis.hook
def before_call(ctx, case, kwargs):
    if case.meta is not None and case.meta.generation.mode.is_negative:
        return
    if isinstance(case.query, dict):
        case.query.pop("cursor", None)  # opaque and signed: only a response's `next` link makes one
    if case.operation.path == "/api/changes/" and isinstance(case.query, dict) and case.query.get("program"):
        case.query["program"] = pick.choice(list(TherapyProgram.objects.values_list("slug", flat=True)[:50]))
    view = view_class(case.operation.path)
    if isinstance(case.query, dict) and case.operation.method.upper() == "GET" and hasattr(view, "filterset_class"):
        case.query = real_query(view.filterset_class, case.query)
    if getattr(view, "serializer_class", None) is None:
        return
    if case.headers and case.meta is not None and case.meta.phase.name != "stateful":
        case.headers.pop("If-Match", None)
    if isinstance(case.body, dict):
        serializer = view.serializer_class()
        body = real_body(serializer, case.body)
        replace = case.operation.method.upper() == "PUT"
        case.body = meet_model_rules(serializer, body, instance_for(view, case), replace)
