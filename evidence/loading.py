"""Loading ``fixtures/evidence.json``: quotes for the article-derived records, checked as they go in.

Each item names its record by model and natural key, the way Django's fixtures name related rows:
``{"record": ["programs.development", "cnct19", "relapsed-refractory-all", "China"], "field": "stage",
"source": "<source slug>", "quote": "..."}``. Loading again adds nothing twice.
"""

import json

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError

from sources.models import Source

from .models import Evidence


class EvidenceFixtureError(Exception):
    """An item of the evidence fixture that cannot be loaded; the message names the record."""


def record_label(item):
    model, *key = item["record"]
    field = f" (field {item['field']})" if item.get("field") else ""
    return f"{model} {' / '.join(map(str, key))}{field}"


def resolve(item):
    model_label, *key = item["record"]
    try:
        model = apps.get_model(model_label)
        return model._default_manager.get_by_natural_key(*key)
    except (LookupError, ValueError, ObjectDoesNotExist) as error:
        raise EvidenceFixtureError(f"Evidence for {record_label(item)}: no such record ({error}).") from error


def load_evidence(path):
    """Load every item of the file at ``path``; the first bad item stops it with a message naming its record."""
    items = json.loads(path.read_text(encoding="utf-8"))
    sources = {source.slug: source for source in Source.objects.all()}
    created = 0
    for item in items:
        record = resolve(item)
        source = sources.get(item["source"])
        if source is None:
            raise EvidenceFixtureError(f"Evidence for {record_label(item)}: no source “{item['source']}”.")
        evidence = Evidence(record=record, field=item.get("field") or "", source=source, quote=item["quote"])
        try:
            evidence.full_clean()
        except ValidationError as error:
            messages = "; ".join(message for messages in error.message_dict.values() for message in messages)
            raise EvidenceFixtureError(f"Evidence for {record_label(item)}: {messages}") from error
        lookup = {
            "content_type": ContentType.objects.get_for_model(record),
            "object_id": record.pk,
            "field": evidence.field,
            "source": source,
            "quote": evidence.quote,
        }
        if not Evidence.objects.filter(**lookup).exists():
            evidence.save()
            created += 1
    return created
