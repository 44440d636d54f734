"""Abstract pieces shared by every record of the tracker."""

import datetime
import functools
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.contenttypes.fields import GenericRelation
from django.db import connections, models, router
from django.db.models.signals import m2m_changed, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import dateformat, timezone
from django.utils.text import slugify
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class DatePrecision(models.TextChoices):
    """How much of a date the source actually gives ("June 2020" is month precision)."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


# Date formats per precision, in the active language (Django's ``date`` filter syntax): "June 2020", "2020年6月".
PARTIAL_DATE_FORMATS = {
    DatePrecision.DAY: pgettext_lazy("date format, day precision (Django date filter syntax)", "F j, Y"),
    DatePrecision.MONTH: pgettext_lazy("date format, month precision (Django date filter syntax)", "F Y"),
    DatePrecision.YEAR: pgettext_lazy("date format, year precision (Django date filter syntax)", "Y"),
}
ISO_FORMATS = {DatePrecision.DAY: "Y-m-d", DatePrecision.MONTH: "Y-m", DatePrecision.YEAR: "Y"}


def format_partial_date(date, precision, *, iso=False):
    """Render a date no more precisely than its source gave it: "June 2020" (2020年6月), or ``2020-06`` with ``iso``."""
    if date is None:
        return ""
    return formatted_date(date, precision if precision in ISO_FORMATS else DatePrecision.DAY, iso, get_language())


@functools.lru_cache(maxsize=16384)
def formatted_date(date, precision, iso, language):
    # Django's date formatting parses its format string for every date: a list page of programs formats
    # hundreds, mostly the same few days in a data set spanning years (16,384: ~20 years, both languages).
    return dateformat.format(date, ISO_FORMATS[precision] if iso else partial_date_formats(language)[precision])


@functools.lru_cache
def partial_date_formats(language):
    """``PARTIAL_DATE_FORMATS`` in ``language`` (the active one), translated once rather than for every date."""
    return {precision: str(text) for precision, text in PARTIAL_DATE_FORMATS.items()}


@dataclass(frozen=True)
class PartialDate:
    """A date known to some precision: what a record is "as of"."""

    date: datetime.date
    precision: str = "day"

    def __str__(self):
        return format_partial_date(self.date, self.precision)

    @property
    def iso(self):
        return format_partial_date(self.date, self.precision, iso=True)


def newest_date(dates):
    """The latest of ``(date, precision)`` pairs that have a date, or None."""
    dated = [pair for pair in dates if pair[0]]
    return PartialDate(*max(dated, key=lambda pair: pair[0])) if dated else None


def unique_slug(model, text, *, exclude_pk=None, max_length=80):
    """A slug for ``text`` that no other row of ``model`` uses (``-2``, ``-3``... on clashes)."""
    base = slugify(text)[:max_length].strip("-") or "record"
    taken = set(
        model._default_manager.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug = f"{base[: max_length - len(str(n)) - 1]}-{n}"
        n += 1
    return slug


class HistoryNewestFirst(HistoricalRecords):
    """django-simple-history's records, with an index that reads them newest first, by date and then row id, as
    the change feed pages through them (rows saved in one transaction share a date: without the id in the
    index, PostgreSQL sorts every one of them to find a page)."""

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        index = models.Index(
            fields=["history_date", "history_id"],
            name=f"{model._meta.app_label[:8]}_{model._meta.model_name[:12]}_hist_new",
        )
        return options | {"indexes": (*options.get("indexes", ()), index)}

    def fields_included(self, model):
        # A generated column is the database's function of the others: the history keeps what was written.
        return [field for field in super().fields_included(model) if not field.generated]


@functools.lru_cache
def choice_labels(field, language):
    """The labels of ``field``'s choices by value, in ``language`` (the active one)."""
    return {value: str(label) for value, label in field.flatchoices}


class TimeStampedModel(models.Model):
    """``created``/``updated`` stamps and a change history (who, when, what) on every record.

    Plain defaults rather than ``auto_now``: fixtures are loaded with raw saves, which skip
    ``auto_now`` and would leave the columns empty.
    """

    created = models.DateTimeField(default=timezone.now, editable=False, verbose_name=_("created"))
    updated = models.DateTimeField(default=timezone.now, editable=False, db_index=True, verbose_name=_("updated"))
    history = HistoryNewestFirst(inherit=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.updated = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated"}
        super().save(*args, **kwargs)

    def _get_FIELD_display(self, field):
        # Django's own hashes every label of the field's choices on each call, and hashing a lazy label
        # translates it: a table of 25 programs translated about a thousand labels for two columns.
        value = getattr(self, field.attname)
        return choice_labels(field, get_language()).get(value, value)


class SluggedQuerySet(models.QuerySet):
    """Base queryset of slugged records; subclasses add ``with_related()`` for their pages and API."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def with_related(self):
        # Source and Indication are slugged too, but cite nothing.
        return self.prefetch_related("sources", "evidence__source") if issubclass(self.model, CitedModel) else self


class EvidencedModel(models.Model):
    """A record whose facts are backed by quotes from its sources (see ``evidence.models.Evidence``)."""

    evidence = GenericRelation("evidence.Evidence", verbose_name=_("evidence"))

    class Meta:
        abstract = True


class CitedModel(TimeStampedModel, EvidencedModel):
    """A record that cites the source articles its facts come from."""

    sources = models.ManyToManyField(
        "sources.Source",
        related_name="%(app_label)s_%(class)s_set",
        help_text=_("The articles this record's facts come from."),
        verbose_name=_("sources"),
    )

    class Meta:
        abstract = True

    @property
    def as_of(self):
        """The date the record's facts are as of: its newest source's (from the prefetched sources)."""
        return newest_date((source.published_on, source.published_on_precision) for source in self.sources.all())


class SluggedModel(CitedModel):
    """A cited record addressed by a slug (its natural key in fixtures and URLs)."""

    slug = models.SlugField(
        max_length=80, unique=True, blank=True, help_text=_("Left blank, made from the name."), verbose_name=_("slug")
    )
    aliases = models.JSONField(
        default=list, blank=True, help_text=_("Other names the sources use."), verbose_name=_("aliases")
    )

    objects = SluggedQuerySet.as_manager()

    class Meta:
        abstract = True

    slug_source_field = "name"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), getattr(self, self.slug_source_field), exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.slug,)

    @property
    def names(self):
        """Every name the record goes by: its own and its aliases."""
        return [getattr(self, self.slug_source_field), *self.aliases]


class NamedModel(SluggedModel):
    """A named organisation or product: unique name (case-insensitively), optional Chinese name."""

    name = models.CharField(max_length=255, verbose_name=_("name"))
    name_zh = models.CharField(_("Chinese name"), max_length=255, blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("name"),
                name="%(app_label)s_%(class)s_name_ci_unique",
                violation_error_message=_("A record with this name already exists (names are compared ignoring case)."),
            ),
        ]

    def __str__(self):
        return self.name


@receiver(pre_save)
def keep_created_on_reload(sender, instance, raw, **kwargs):
    """Reloading fixtures rewrites a row from the file; keep when it was first created."""
    if raw and isinstance(instance, TimeStampedModel) and instance.pk is not None:
        first_created = sender._default_manager.filter(pk=instance.pk).values_list("created", flat=True).first()
        if first_created is not None:
            instance.created = first_created


class DataVersion(models.Model):
    """A counter that every change to a tracked record bumps, in the same transaction.

    Cached API responses are keyed by it, so each server process can keep its own cache and still
    never serve a response older than the data: one tiny query tells it whether anything changed.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    version = models.BigIntegerField(default=0, verbose_name=_("version"))

    TRACKED_APPS = {"sources", "companies", "programs", "policies", "evidence"}

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self):
        return f"data version {self.version}"

    @classmethod
    def current(cls):
        """The version in the database this request reads from (a replica's may lag the primary's)."""
        # Asked on every cached API read: plain SQL skips the ORM's query building.
        with connections[router.db_for_read(cls)].cursor() as cursor:
            cursor.execute(f"SELECT version FROM {cls._meta.db_table} WHERE id = 1")
            row = cursor.fetchone()
        return row[0] if row else 0

    @classmethod
    def bump(cls):
        if not cls.objects.filter(pk=1).update(version=models.F("version") + 1):
            cls.objects.get_or_create(pk=1, defaults={"version": 1})


def lock_for_writing(queryset):
    """``queryset``'s rows, locked until the transaction ends, after the data version row.

    Every write transaction takes the data version row before any other row (the signals below bump it before
    a record is written, and this before rows are locked to be written), so two writes may wait for each other
    but never in a cycle: PostgreSQL would break one off as a deadlock.
    """
    DataVersion.bump()
    return queryset.select_for_update(of=("self",))


_bulk_change = ContextVar("bulk_change", default=False)


@contextmanager
def bulk_change():
    """Make many changes with a single data version bump at the end, not one per row."""
    token = _bulk_change.set(True)
    try:
        yield
    finally:
        _bulk_change.reset(token)
        DataVersion.bump()


def _tracked(sender):
    return sender._meta.app_label in DataVersion.TRACKED_APPS and not hasattr(sender, "instance_type")


@receiver(pre_save)
@receiver(pre_delete)
@receiver(m2m_changed)
def bump_data_version(sender, action=None, **kwargs):
    # Before the write, not after: the data version row is the first row a write transaction locks.
    if _tracked(sender) and (action is None or action.startswith("pre_")) and not _bulk_change.get():
        DataVersion.bump()
