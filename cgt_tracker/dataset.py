"""The whole dataset in one portable file: every record, its evidence and its change history.

``export_dataset`` writes JSON Lines (gzip-compressed when the name ends in ``.gz``): a header line
(format, version, the number of rows of each model, the user names the history mentions), then one
line per row in Django's serialization with the row's primary key. Rows keep their keys, timestamps
and history as they are, so an import into an empty database gives back the same API output, on
SQLite or PostgreSQL alike. Content types and users are written by name, since their ids differ
from one database to the next; a user the history names is created, inactive and unable to sign in,
where the target database lacks one. Passwords, tokens and sessions are never exported.

``import_dataset`` writes all or nothing: inside one transaction, with one data version bump, rows
inserted without signals (no derived field is recomputed, no history entry is added).
"""

import datetime
import gzip
import json
from collections import Counter, defaultdict
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from tqdm import tqdm

from cgt_tracker.models import DataVersion

FORMAT = "cgt-tracker-dataset"
VERSION = 1
DATASET_APPS = sorted(DataVersion.TRACKED_APPS | {"evidence"})
BATCH = 1000


class DatasetError(Exception):
    """The file cannot be imported, or not into this database; nothing was written."""


class Encoder(DjangoJSONEncoder):
    """Timestamps to the microsecond (Django's encoder keeps milliseconds only)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def silent(total):
    return tqdm(total=total, disable=True)


def dataset_models():
    """Every model of the dataset's apps (their historical models included), parents before children."""
    installed = [apps.get_app_config(app) for app in DATASET_APPS if apps.is_installed(app)]
    return serializers.sort_dependencies(
        [(config, list(config.get_models())) for config in installed], allow_cycles=True
    )


def _by_name_fields(model):
    """Foreign keys written by name rather than id: ``{field name: "content_type" | "user"}``."""
    user_model = get_user_model()
    names = {}
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model is ContentType:
            names[field.name] = "content_type"
        elif field.is_relation and field.related_model is user_model:
            names[field.name] = "user"
    return names


def _check_portable(models_list):
    """Refuse to export a key into a table the file does not carry (it could not be restored)."""
    carried = {*models_list, ContentType, get_user_model()}
    for model in models_list:
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model not in carried:
                raise DatasetError(
                    f"{model._meta.label}.{field.name} points to {field.related_model._meta.label}, "
                    "which the dataset does not carry"
                )


def _open(path, mode):
    path = Path(path)
    if path.suffix == ".gz":
        return gzip.open(path, mode + "t", encoding="utf-8")
    return open(path, mode, encoding="utf-8")


def _m2m_fields(model):
    """Many-to-many fields stored with the row (those with a model of their own are rows themselves)."""
    return [field.name for field in model._meta.many_to_many if field.remote_field.through._meta.auto_created]


def _rows(model, using):
    queryset = model._base_manager.using(using).order_by("pk")
    m2m = _m2m_fields(model)
    return queryset.prefetch_related(*m2m).iterator(chunk_size=BATCH) if m2m else queryset.iterator(BATCH)


def export_dataset(path, *, using=DEFAULT_DB_ALIAS, progress=None):
    """Write every row of the dataset to ``path``; ``progress(total)`` makes a progress bar (tqdm's API)."""
    models_list = dataset_models()
    _check_portable(models_list)
    user_model = get_user_model()
    connection = connections[using]
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic(using=using):
        if snapshot:
            # One snapshot for the whole export, however long it takes and whatever is written meanwhile.
            connection.cursor().execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        counts = {model._meta.label_lower: model._base_manager.using(using).count() for model in models_list}
        user_ids = set()
        for model in models_list:
            for name, kind in _by_name_fields(model).items():
                if kind == "user":
                    user_ids |= set(
                        model._base_manager.using(using)
                        .exclude(**{f"{name}__isnull": True})
                        .values_list(f"{name}_id", flat=True)
                        .distinct()
                    )
        users = {user.pk: user.get_username() for user in user_model._base_manager.using(using).filter(pk__in=user_ids)}
        content_types = {ct.pk: [ct.app_label, ct.model] for ct in ContentType.objects.using(using)}
        bar = (progress or silent)(sum(counts.values()))
        with _open(path, "w") as out:
            header = {
                "format": FORMAT,
                "version": VERSION,
                "exported": datetime.datetime.now(datetime.UTC),
                "counts": counts,
                "users": sorted(users.values()),
            }
            out.write(json.dumps(header, cls=Encoder, ensure_ascii=False) + "\n")
            for model in models_list:
                batch = []
                for row in _rows(model, using):
                    batch.append(row)
                    if len(batch) == BATCH:
                        _write(out, model, batch, users, content_types, bar)
                        batch = []
                _write(out, model, batch, users, content_types, bar)
    return counts


def _write(out, model, batch, users, content_types, bar):
    by_name, m2m = _by_name_fields(model), _m2m_fields(model)
    for item in serializers.serialize("python", batch):
        fields = item["fields"]
        for name, kind in by_name.items():
            if fields.get(name) is not None:
                fields[name] = content_types[fields[name]] if kind == "content_type" else users[fields[name]]
        for name in m2m:
            fields[name] = sorted(fields[name])  # the same file, whichever database it comes from
        out.write(json.dumps(item, cls=Encoder, ensure_ascii=False) + "\n")
    if batch:
        bar.update(len(batch))


def read_header(path):
    with _open(path, "r") as lines:
        try:
            header = json.loads(next(lines))
        except (StopIteration, ValueError) as error:
            raise DatasetError(f"{path} is not a dataset file: {error}") from error
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise DatasetError(f"{path} is not a {FORMAT} file")
    if header.get("version") != VERSION:
        raise DatasetError(f"{path} is version {header.get('version')} of the format; this app reads version {VERSION}")
    return header


def _all_tables(models_list):
    """The models and their many-to-many tables."""
    tables = list(models_list)
    for model in models_list:
        tables += [
            field.remote_field.through
            for field in model._meta.many_to_many
            if field.remote_field.through._meta.auto_created
        ]
    return tables


def import_dataset(path, *, replace=False, using=DEFAULT_DB_ALIAS, progress=None):
    """Load ``path`` into the database, all or nothing; refuse a database holding records unless ``replace``."""
    header = read_header(path)
    models_list = dataset_models()
    known = {model._meta.label_lower: model for model in models_list}
    unknown = set(header["counts"]) - set(known)
    if unknown:
        raise DatasetError(f"the file holds models this app does not have: {', '.join(sorted(unknown))}")
    connection = connections[using]
    tables = _all_tables(models_list)
    with transaction.atomic(using=using):
        held = {label: n for label, model in known.items() if (n := model._base_manager.using(using).count())}
        if held and not replace:
            listed = ", ".join(f"{n} {label}" for label, n in sorted(held.items()))
            raise DatasetError(f"the database already holds records ({listed}); import with --replace to replace them")
        with connection.cursor() as cursor:
            for model in reversed(tables):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
        users = _users(header["users"], using)
        bar = (progress or silent)(sum(header["counts"].values()))
        loaded = Counter()
        with _open(path, "r") as lines:
            next(lines)
            batch = []
            for line in lines:
                batch.append(json.loads(line))
                if len(batch) == BATCH:
                    loaded.update(_insert(batch, known, users, using))
                    bar.update(len(batch))
                    batch = []
            loaded.update(_insert(batch, known, users, using))
            bar.update(len(batch))
        expected = Counter({label: n for label, n in header["counts"].items() if n})
        if loaded != expected:
            raise DatasetError(
                f"the file is incomplete or damaged: read {dict(loaded)}, its header says {dict(expected)}"
            )
        connection.check_constraints(table_names=[model._meta.db_table for model in tables])
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), tables):
                cursor.execute(statement)
        DataVersion.bump()  # rows went in without signals: one bump for them all
    return dict(loaded)


def _users(usernames, using):
    """The user of each name the history mentions, created (inactive, no usable password) where missing."""
    user_model = get_user_model()
    manager = user_model._base_manager.db_manager(using)
    users = {user.get_username(): user.pk for user in manager.filter(**{f"{user_model.USERNAME_FIELD}__in": usernames})}
    for name in usernames:
        if name not in users:
            user = user_model(**{user_model.USERNAME_FIELD: name}, is_active=False)
            user.set_unusable_password()
            user.save(using=using)
            users[name] = user.pk
    return users


def _insert(items, known, users, using):
    """Insert one batch of serialized rows (and their many-to-many links) without sending signals."""
    content_types = ContentType.objects.db_manager(using)
    rows, links = defaultdict(list), defaultdict(list)
    for item in items:
        model = known.get(item.get("model"))
        if model is None:
            raise DatasetError(f"a row of an unknown model: {str(item)[:200]}")
        fields = item["fields"]
        for name, kind in _by_name_fields(model).items():
            if fields.get(name) is not None:
                fields[name] = (
                    content_types.get_by_natural_key(*fields[name]).pk
                    if kind == "content_type"
                    else users[fields[name]]
                )
        (deserialized,) = serializers.deserialize("python", [item], using=using)
        rows[model].append(deserialized.object)
        for name, targets in (deserialized.m2m_data or {}).items():
            field = model._meta.get_field(name)
            through = field.remote_field.through
            source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
            links[through] += [through(**{source: deserialized.object.pk, target: pk}) for pk in targets]
    for model, objects in rows.items():
        model._base_manager.using(using).bulk_create(objects)
    for through, objects in links.items():
        through._base_manager.using(using).bulk_create(objects)
    return Counter({model._meta.label_lower: len(objects) for model, objects in rows.items()})
