"""The checks behind ``manage.py verify_evidence``: what in the database is not backed by a found quote."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from .models import Evidence, check_field, check_quote, evidenced_models


@dataclass(frozen=True)
class Problem:
    record: str
    message: str

    def __str__(self):
        return f"{self.record}: {self.message}"


def describe(model, record):
    key = record.natural_key() if hasattr(record, "natural_key") else (record.pk,)
    return f"{model._meta.label_lower} {' / '.join(map(str, key))}"


def cited_sources(record):
    if hasattr(record, "sources"):
        return {source.pk: source for source in record.sources.all()}
    return {record.source_id: record.source} if getattr(record, "source_id", None) else {}


def problems(progress=iter):
    """Every record without evidence, every quote not in its source, every cited source nothing is quoted from."""
    for model in evidenced_models():
        content_type = ContentType.objects.get_for_model(model)
        evidence_by_record = {}
        for item in Evidence.objects.filter(content_type=content_type).select_related("source"):
            evidence_by_record.setdefault(item.object_id, []).append(item)
        queryset = model._default_manager.all()
        queryset = queryset.with_related() if hasattr(queryset, "with_related") else queryset
        for record in progress(queryset):
            name = describe(model, record)
            items = evidence_by_record.get(record.pk, [])
            if not items:
                yield Problem(name, "no evidence")
            for item in items:
                try:
                    check_field(model, item.field)
                    check_quote(item.source, item.quote)
                except ValidationError as error:
                    for messages in error.message_dict.values():
                        yield from (Problem(name, message) for message in messages)
            quoted = {item.source_id for item in items}
            for source_id, source in cited_sources(record).items():
                if items and source_id not in quoted:
                    yield Problem(name, f"cites “{source.slug}” but quotes nothing from it")
