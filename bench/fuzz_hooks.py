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
- drops a generated ``If-Match``: a random tag names no version, so the write is refused with 412. The
  stateful phase sends real ones (OpenAPI links from each ``ETag``).

Cases generated as *invalid* are sent exactly as generated.
"""

import itertools
import os
import random

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cgt_tracker.settings")
django.setup()

import django_filters  # noqa: E402
import schemathesis  # noqa: E402
from rest_framework import serializers  # noqa: E402

from cgt_tracker.api.serializers import KeyField  # noqa: E402
from cgt_tracker.api.urls import router  # noqa: E402

UNIQUE = ("slug", "code", "symbol", "name", "title")
counter = itertools.count(1)
pick = random.Random(20250101)


def viewset_for(path):
    for prefix, viewset, _ in router.registry:
        if path.startswith(f"/api/{prefix}/"):
            return viewset
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
        elif name == "confirm_new":
            body[name] = True  # generated names look alike: the client confirms it means a new record
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
            suffix = f"x{next(counter)}"
            body[name] = value[: (field.max_length or 255) - len(suffix)] + suffix
    return body


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
    viewset = viewset_for(case.operation.path)
    if viewset is None:
        return
    if case.headers and case.meta is not None and case.meta.phase.name != "stateful":
        case.headers.pop("If-Match", None)
    if isinstance(case.body, dict):
        case.body = real_body(viewset.serializer_class(), case.body)
    if isinstance(case.query, dict) and case.operation.method.upper() == "GET":
        case.query = real_query(viewset.filterset_class, case.query)
