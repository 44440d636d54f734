"""Evidence: the sentence of an article that supports a record, or one field of it.

One generic model rather than one per app: the rule (a verbatim quote, found in its source's text)
is the same for every kind of record, and one table lets a source's page, the intake page and
``verify_evidence`` see every quote of an article at once. Records point back to their evidence
through ``cgt_tracker.models.EvidencedModel.evidence`` (a ``GenericRelation``), which also deletes it with them.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cgt_tracker.models import EvidencedModel, TimeStampedModel

from .text import MIN_QUOTE_LENGTH, find_quote, normalise


def check_quote(source, quote):
    """Raise ``ValidationError`` on ``quote`` unless it is long enough and in ``source``'s text."""
    if len(normalise(quote)) < MIN_QUOTE_LENGTH:
        message = gettext("A quote is at least %(length)d characters: “%(quote)s” is too short to check.")
        raise ValidationError({"quote": message % {"length": MIN_QUOTE_LENGTH, "quote": quote}})
    if find_quote(quote, source.text) is None:
        message = gettext("The quote is not in the text of “%(source)s” (%(slug)s): “%(quote)s”.")
        raise ValidationError({"quote": message % {"source": source, "slug": source.slug, "quote": quote}})


def check_field(model, field):
    """Raise ``ValidationError`` on ``field`` unless it names a field a record of ``model`` holds."""
    if not field:
        return
    try:
        model._meta.get_field(field)
    except FieldDoesNotExist:
        message = gettext("%(model)s has no field “%(field)s”.") % {
            "model": capfirst(model._meta.verbose_name),
            "field": field,
        }
        raise ValidationError({"field": message}) from None


class EvidenceQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("source", "content_type")


class Evidence(TimeStampedModel):
    """A verbatim quote from a source that supports a record (``field`` empty) or one of its fields."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("content type")
    )
    object_id = models.PositiveBigIntegerField(verbose_name=_("object id"))
    record = GenericForeignKey("content_type", "object_id")
    field = models.CharField(
        max_length=64,
        blank=True,
        help_text=_("The field the quote supports; blank when it supports the whole record."),
        verbose_name=_("field"),
    )
    source = models.ForeignKey(
        "sources.Source", on_delete=models.PROTECT, related_name="evidence", verbose_name=_("source")
    )
    quote = models.TextField(
        help_text=format_lazy(
            _(
                "Verbatim from the source's text, at least {length} characters "
                "(whitespace, typographic quotes and dashes and full-width punctuation may differ)."
            ),
            length=MIN_QUOTE_LENGTH,
        ),
        verbose_name=_("quote"),
    )

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["content_type", "object_id", "field", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        indexes = [models.Index(fields=["content_type", "object_id"], name="evidence_record_idx")]

    def __str__(self):
        return f"“{self.quote[:60]}{'…' if len(self.quote) > 60 else ''}” ({self.source_id and self.source.slug})"

    def get_absolute_url(self):
        return f"{self.source.get_absolute_url()}#q-{self.pk}"

    def clean(self):
        errors = {}
        if self.source_id is not None and self.quote:
            try:
                check_quote(self.source, self.quote)
            except ValidationError as error:
                errors.update(error.message_dict)
        if self.content_type_id is not None:
            try:
                check_field(self.content_type.model_class(), self.field)
            except ValidationError as error:
                errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cite(self.record, self.source)

    @property
    def span(self):
        """Where the quote sits in its source's text: ``(start, end)``, or None."""
        return find_quote(self.quote, self.source.text)


def cite(record, source):
    """Make ``record`` cite ``source`` (a record quoting an article cites it)."""
    sources = getattr(record, "sources", None)
    if isinstance(sources, models.Manager):
        sources.add(source)


def evidenced_models():
    """Every model whose records carry evidence, in a stable order."""
    from django.apps import apps

    return [model for model in apps.get_models() if issubclass(model, EvidencedModel)]


def replace_evidence(record, items):
    """Make ``record``'s evidence exactly ``items`` (``source``, ``quote``, ``field`` dicts), keeping the unchanged."""
    wanted = {(item["source"].pk, item.get("field") or "", item["quote"]): item for item in items}
    for existing in record.evidence.all():
        key = (existing.source_id, existing.field, existing.quote)
        if wanted.pop(key, None) is None:
            existing.delete()
    for (_source, field, quote), item in wanted.items():
        Evidence(record=record, source=item["source"], field=field, quote=quote).save()
