from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest, Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cgt_tracker.models import (
    CitedModel,
    DatePrecision,
    EvidencedModel,
    NamedModel,
    SluggedQuerySet,
    TimeStampedModel,
    format_partial_date,
    newest_date,
)
from cgt_tracker.record_urls import record_url
from search import index as search_index

from . import ndr, services
from .choices import CellSource, DevelopmentStatus, MilestoneKind, Modality, Pathway, Stage


def stage_order():
    """An expression that sorts rows by ``stage`` in pipeline order (unknown stage first)."""
    return models.Case(
        *(models.When(stage=value, then=rank) for rank, value in enumerate(Stage.values)),
        default=-1,
        output_field=models.IntegerField(),
    )


class TargetQuerySet(models.QuerySet):
    def get_by_natural_key(self, symbol):
        return self.get(symbol=symbol)


class Target(TimeStampedModel):
    """An antigen a therapy is directed at (CD19, GPRC5D...)."""

    symbol = models.CharField(
        max_length=50,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9][A-Za-z0-9-]*$",
                _("A target symbol is letters, digits and hyphens (CD19, GPRC5D, NY-ESO-1)."),
            )
        ],
        verbose_name=_("symbol"),
    )
    name = models.CharField(max_length=255, blank=True, verbose_name=_("name"))

    class Meta:
        ordering = ["symbol"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    objects = TargetQuerySet.as_manager()

    def __str__(self):
        return self.symbol

    def natural_key(self):
        return (self.symbol,)

    def get_absolute_url(self):
        return record_url("programs:target_detail", self.symbol)


class Indication(TimeStampedModel):
    """A disease a therapy is developed for."""

    name = models.CharField(max_length=255, verbose_name=_("name"))
    slug = models.SlugField(max_length=80, unique=True, verbose_name=_("slug"))
    name_zh = models.CharField(_("Chinese name"), max_length=255, blank=True)
    abbreviation = models.CharField(max_length=50, blank=True, verbose_name=_("abbreviation"))
    therapeutic_area = models.CharField(max_length=100, blank=True, verbose_name=_("therapeutic area"))

    objects = SluggedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("indication")
        verbose_name_plural = _("indications")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="programs_indication_name_ci_unique",
                violation_error_message=_("An indication with this name already exists."),
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return record_url("programs:indication_detail", self.slug)


class DesignationQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Designation(TimeStampedModel):
    """A regulatory designation a program can hold, such as Breakthrough Therapy (``btd``)."""

    code = models.SlugField(max_length=30, unique=True, verbose_name=_("code"))
    name = models.CharField(max_length=255, verbose_name=_("name"))

    objects = DesignationQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("designation")
        verbose_name_plural = _("designations")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    def get_absolute_url(self):
        return reverse("programs:program_list") + f"?designation={self.code}"


def newest(model, field, function="max", *, through=False):
    """A subquery: the latest (or, with ``min``, the first) ``field`` among a program's rows of ``model``."""
    key = "therapyprogram" if through else "program"
    aggregate = {"max": models.Max, "min": models.Min}[function](field)
    rows = model._default_manager.filter(**{key: OuterRef("pk")}).order_by().values(key)
    return Subquery(rows.annotate(value=aggregate).values("value")[:1])


class TherapyProgramQuerySet(SluggedQuerySet):
    def with_related(self):
        """Everything a program detail or the API shows, in a fixed number of queries."""
        return self.select_related("company", "originator").prefetch_related(
            "targets",
            "designations",
            "sources",
            "evidence__source",
            models.Prefetch("developments", queryset=Development.objects.select_related("indication")),
            models.Prefetch("milestones", queryset=Milestone.objects.select_related("authority", "source")),
            models.Prefetch("partnerships", queryset=ProgramPartner.objects.select_related("institution")),
        )

    def at_least(self, stage):
        return self.filter(stage__in=Stage.at_least(stage))

    def no_development_reported(self, flag=True, since=None):
        """Programs with no development reported since ``since`` (default: the cutoff); ``flag`` false: the others."""
        reported = ndr.reported_since(since or ndr.cutoff())
        return self.filter(~reported if flag else reported)

    def in_development(self, *, indication=None, country=None, stage=None, stage_min=None):
        """Programs developed for ``indication`` in ``country`` (each optional), at ``stage`` (a list) there.

        The filters hold on the same development: the stage compared is the program's stage among its
        developments for that indication and country, the most advanced active one, as the program's own
        ``stage`` is among all of them. Without ``stage``/``stage_min`` any development counts, whatever its status.
        """
        if not (indication or country):
            queryset = self.filter(stage__in=stage) if stage else self
            return queryset.at_least(stage_min) if stage_min else queryset
        developments = Development.objects.filter(program=OuterRef("pk")).in_scope(
            indication=indication, country=country
        )
        if not (stage or stage_min):
            return self.filter(Exists(developments))
        active = developments.filter(status=DevelopmentStatus.ACTIVE)
        if not stage:
            return self.filter(Exists(active.filter(stage__in=Stage.at_least(stage_min))))
        top = active.order_by("-active_rank").values("stage")[:1]
        queryset = self.alias(scope_stage=Subquery(top)).filter(scope_stage__in=stage)
        return queryset.filter(scope_stage__in=Stage.at_least(stage_min)) if stage_min else queryset

    def search(self, text):
        """Programs matching ``text``, name matches first unless already ordered: see the ``search`` app."""
        return search_index.search(self, text)

    def with_sort_keys(self, keys):
        """Alias the derived values the list sorts by (only those in ``keys``): ``stage_rank`` (pipeline
        order), ``indication_name`` (the first indication's name) and ``as_of_date`` (see ``as_of``)."""
        aliases = {}
        if "stage_rank" in keys:
            aliases["stage_rank"] = stage_order()
        if "indication_name" in keys:
            aliases["indication_name"] = newest(Development, "indication__name", "min")
        if "as_of_date" in keys:
            development, milestone = newest(Development, "as_of"), newest(Milestone, "date")
            source = newest(TherapyProgram.sources.through, "source__published_on", through=True)
            # GREATEST ignores NULLs on PostgreSQL but not on SQLite: pair each side with the other.
            aliases["as_of_date"] = Coalesce(
                Greatest(Coalesce(development, milestone), Coalesce(milestone, development)), source
            )
        return self.alias(**aliases)

    def order_by_stage(self, descending=True):
        return self.alias(stage_rank=stage_order()).order_by("-stage_rank" if descending else "stage_rank", "name")


class TherapyProgram(NamedModel):
    """A therapy product or program; its ``stage`` is derived from its developments."""

    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
        help_text=_("Developer or licence holder in China; empty when the sources name none."),
        verbose_name=_("company"),
    )
    originator = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="originated_programs",
        help_text=_("The company it was licensed from, when the sources say so."),
        verbose_name=_("originator"),
    )
    modality = models.CharField(max_length=20, choices=Modality.choices, db_index=True, verbose_name=_("modality"))
    cell_source = models.CharField(max_length=20, choices=CellSource.choices, blank=True, verbose_name=_("cell source"))
    targets = models.ManyToManyField(Target, blank=True, related_name="programs", verbose_name=_("targets"))
    designations = models.ManyToManyField(
        Designation, blank=True, related_name="programs", verbose_name=_("designations")
    )
    partners = models.ManyToManyField(
        "companies.Institution",
        through="ProgramPartner",
        blank=True,
        related_name="programs",
        verbose_name=_("partners"),
    )
    stage = models.CharField(
        max_length=20,
        choices=Stage.choices,
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("Derived: the most advanced stage among the program's active developments."),
        verbose_name=_("stage"),
    )
    description = models.TextField(blank=True, verbose_name=_("description"))
    search_names = models.TextField(
        blank=True,
        editable=False,
        help_text=_("Derived: the program's own names, normalised (search ranks by them)."),
        verbose_name=_("search names"),
    )
    search_document = models.TextField(
        blank=True,
        editable=False,
        help_text=_(
            "Derived: the text `search` looks in (names, modality, company, targets, indications, "
            "registry numbers, description), normalised; see the `search` app."
        ),
        verbose_name=_("search document"),
    )

    objects = TherapyProgramQuerySet.as_manager()

    class Meta(NamedModel.Meta):
        verbose_name = _("therapy program")
        verbose_name_plural = _("therapy programs")
        indexes = [
            # Ending in the id, as lists are ordered (ties broken by id): a list page reads its ids in order
            # from the index alone, however deep.
            models.Index(fields=["name", "id"], name="programs_program_name_idx"),
            # Covering the company: a company facet counts a filter's programs from the index alone.
            models.Index(
                fields=["modality", "stage", "name", "id"], include=["company"], name="programs_program_filter_idx"
            ),
            # The trigram index over search_document is made by the search app, per database vendor.
        ]
        constraints = [
            *NamedModel.Meta.constraints,
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values) | Q(stage__isnull=True),
                name="programs_therapyprogram_stage_valid",
                violation_error_message=_("Unknown stage."),
            ),
            models.CheckConstraint(
                condition=Q(modality__in=Modality.values),
                name="programs_therapyprogram_modality_valid",
                violation_error_message=_("Unknown modality."),
            ),
        ]

    def get_absolute_url(self):
        return record_url("programs:program_detail", self.slug)

    @property
    def as_of(self):
        """Its newest development or milestone date, else its newest source's (from prefetched rows)."""
        return (
            newest_date(
                [(development.as_of, development.as_of_precision) for development in self.developments.all()]
                + [(milestone.date, milestone.date_precision) for milestone in self.milestones.all()]
            )
            or super().as_of
        )

    @property
    def indications(self):
        """The indications of its developments, each once, in name order (from prefetched rows)."""
        found = {development.indication for development in self.developments.all() if development.indication}
        return sorted(found, key=lambda indication: indication.name.lower())


class ProgramPartnerQuerySet(models.QuerySet):
    def get_by_natural_key(self, program_slug, institution_slug):
        return self.get(program__slug=program_slug, institution__slug=institution_slug)

    def with_related(self):
        return self.select_related("program", "institution")


class ProgramPartner(TimeStampedModel):
    """An institution working on a program, and its role."""

    program = models.ForeignKey(
        TherapyProgram, on_delete=models.CASCADE, related_name="partnerships", verbose_name=_("program")
    )
    institution = models.ForeignKey(
        "companies.Institution",
        on_delete=models.PROTECT,
        related_name="program_partnerships",
        verbose_name=_("institution"),
    )
    role = models.CharField(max_length=255, blank=True, verbose_name=_("role"))

    class Meta:
        ordering = ["program", "institution"]
        verbose_name = _("program partner")
        verbose_name_plural = _("program partners")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "institution"],
                name="programs_programpartner_unique",
                violation_error_message=_("This institution is already a partner of the program."),
            ),
        ]

    objects = ProgramPartnerQuerySet.as_manager()

    def __str__(self):
        return f"{self.institution} – {self.program}"

    def natural_key(self):
        return (self.program.slug, self.institution.slug)

    natural_key.dependencies = ["programs.therapyprogram", "companies.institution"]


class DevelopmentQuerySet(models.QuerySet):
    """Bulk writes keep their programs' derived stage too (see ``programs.services``)."""

    def update(self, **kwargs):
        with transaction.atomic(using=self.db):
            program_ids = set(self.values_list("program_id", flat=True))
            new_program = kwargs.get("program", kwargs.get("program_id"))
            program_ids.add(getattr(new_program, "pk", new_program))
            services.lock_programs(program_ids, using=self.db)
            rows = super().update(**kwargs)
            services.refresh_programs(program_ids, using=self.db)
        return rows

    update.alters_data = True

    def delete(self):
        with transaction.atomic(using=self.db):
            program_ids = services.lock_programs(self.values_list("program_id", flat=True), using=self.db)
            deleted = super().delete()
            services.refresh_programs(program_ids, using=self.db)
        return deleted

    delete.alters_data = True
    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db):
            program_ids = services.lock_programs((obj.program_id for obj in objs), using=self.db)
            created = super().bulk_create(objs, *args, **kwargs)
            services.refresh_programs(program_ids, using=self.db)
        return created

    # bulk_update() goes through update() above.

    def get_by_natural_key(self, program_slug, indication_slug, country):
        return self.get(
            program__slug=program_slug,
            indication__slug=indication_slug or None,
            country=country,
        )

    def with_related(self):
        return self.select_related("program", "indication").prefetch_related("sources", "evidence__source")

    def in_scope(self, *, indication=None, country=None):
        """Developments for ``indication`` (a record) in ``country`` (ignoring case); either may be None."""
        queryset = self.filter(indication=indication) if indication else self
        return queryset.filter(country__iexact=country) if country else queryset


class Development(CitedModel):
    """One program for one indication in one jurisdiction, at one stage."""

    program = models.ForeignKey(
        TherapyProgram,
        on_delete=models.CASCADE,
        related_name="developments",
        db_index=False,  # programs_dev_by_program
        verbose_name=_("program"),
    )
    indication = models.ForeignKey(
        Indication,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="developments",
        help_text=_("Empty when the sources do not say which disease."),
        verbose_name=_("indication"),
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, db_index=True, verbose_name=_("stage"))
    pathway = models.CharField(max_length=30, choices=Pathway.choices, blank=True, verbose_name=_("pathway"))
    country = models.CharField(max_length=100, blank=True, verbose_name=_("country"))
    status = models.CharField(
        max_length=20, choices=DevelopmentStatus.choices, default=DevelopmentStatus.ACTIVE, verbose_name=_("status")
    )
    as_of = models.DateField(
        null=True, blank=True, help_text=_("When the stage was last reported."), verbose_name=_("as of")
    )
    as_of_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY, verbose_name=_("as-of date precision")
    )
    trial_ids = models.JSONField(
        default=list, blank=True, help_text=_("Registry numbers (CTR…, NCT…)."), verbose_name=_("trial IDs")
    )
    acceptance_no = models.CharField(_("NMPA acceptance number"), max_length=50, blank=True)
    # The stage's pipeline rank while the development is active (else NULL), computed by the database: the
    # statistics group every development by program and indication and take the highest, and comparing
    # stage names in a CASE for each of them costs more than reading a stored number from an index.
    active_rank = models.GeneratedField(
        expression=models.Case(models.When(status=DevelopmentStatus.ACTIVE, then=stage_order())),
        output_field=models.SmallIntegerField(null=True),
        db_persist=True,
        serialize=False,
        verbose_name=_("active stage rank"),
    )

    objects = DevelopmentQuerySet.as_manager()

    class Meta:
        ordering = ["program", "indication__name", "pk"]
        verbose_name = _("development")
        verbose_name_plural = _("developments")
        # Each program's stage per indication (or country) read from the index alone (PostgreSQL covers it).
        indexes = [
            # Covering the indication: an indication facet counts a filter's programs from the index alone.
            models.Index(fields=["program"], include=["indication"], name="programs_dev_by_program"),
            models.Index(fields=["indication", "program"], include=["active_rank"], name="programs_dev_by_indication"),
            models.Index(fields=["country", "program"], include=["active_rank"], name="programs_dev_by_country"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "indication", "country"],
                condition=Q(indication__isnull=False),
                name="programs_development_unique",
                violation_error_message=_("This program already has a development for this indication and country."),
            ),
            models.UniqueConstraint(
                fields=["program", "country"],
                condition=Q(indication__isnull=True),
                name="programs_development_unspecified_unique",
                violation_error_message=_("This program already has a development with no indication in this country."),
            ),
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values),
                name="programs_development_stage_valid",
                violation_error_message=_("Unknown stage."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=DevelopmentStatus.values),
                name="programs_development_status_valid",
                violation_error_message=_("Unknown status."),
            ),
        ]

    def __str__(self):
        indication = self.indication or _("indication not stated")
        return f"{self.program} – {indication} ({self.get_stage_display()})"

    def natural_key(self):
        return (self.program.slug, self.indication.slug if self.indication else "", self.country)

    natural_key.dependencies = ["programs.therapyprogram", "programs.indication"]

    def get_absolute_url(self):
        return self.program.get_absolute_url()

    def clean(self):
        # A rule of editing rather than a database constraint, so random test data never trips over it.
        if self.stage == Stage.IIT and self.pathway != Pathway.INVESTIGATOR_INITIATED:
            raise ValidationError(
                {"pathway": _("Investigator-initiated research is on the investigator-initiated (NHC) pathway.")}
            )

    @classmethod
    def from_db(cls, db, field_names, values):
        development = super().from_db(db, field_names, values)
        development._saved_program_id = development.__dict__.get("program_id")
        return development

    def _program_ids(self):
        """The program this development belongs to, and the one it belonged to when read (if it moved)."""
        return {self.program_id, getattr(self, "_saved_program_id", None)} - {None}

    def save(self, *args, **kwargs):
        using = kwargs.get("using") or self._state.db or "default"
        with transaction.atomic(using=using):
            program_ids = self._program_ids()
            services.lock_programs(program_ids, using=using)
            super().save(*args, **kwargs)
            services.refresh_programs(program_ids, using=using)
        self._saved_program_id = self.program_id

    def delete(self, *args, **kwargs):
        using = kwargs.get("using") or self._state.db or "default"
        with transaction.atomic(using=using):
            program_ids = self._program_ids()
            services.lock_programs(program_ids, using=using)
            deleted = super().delete(*args, **kwargs)
            services.refresh_programs(program_ids, using=using)
        return deleted

    @property
    def as_of_display(self):
        return format_partial_date(self.as_of, self.as_of_precision)

    @property
    def stage_rank(self):
        """Its stage's place in the pipeline, 0 (not stated) to the last (approved)."""
        return Stage.rank(self.stage)


class MilestoneQuerySet(models.QuerySet):
    def get_by_natural_key(self, program_slug, kind, source_slug):
        return self.get(program__slug=program_slug, kind=kind, source__slug=source_slug)

    def with_related(self):
        return self.select_related("program", "authority", "source").prefetch_related("evidence__source")

    def newest(self, count):
        """The ``count`` newest milestones, as the default order has them: dated ones newest first (read
        from the index on ``date``), then undated ones; with what a timeline shows (not their quotes)."""
        timeline = self.select_related("program", "authority", "source")
        dated = list(timeline.filter(date__isnull=False).order_by("-date", "program", "pk")[:count])
        if len(dated) < count:
            dated += timeline.filter(date__isnull=True).order_by("program", "pk")[: count - len(dated)]
        return dated


class Milestone(TimeStampedModel, EvidencedModel):
    """A dated event in a program's timeline, cited to the one source that reports it."""

    program = models.ForeignKey(
        TherapyProgram, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("program")
    )
    kind = models.CharField(max_length=30, choices=MilestoneKind.choices, verbose_name=_("kind"))
    date = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Empty when the source gives no usable date."),
        verbose_name=_("date"),
    )
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY, verbose_name=_("date precision")
    )
    date_text = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("The source's own wording of the date, e.g. “June 23” (no year given)."),
        verbose_name=_("date text"),
    )
    authority = models.ForeignKey(
        "companies.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("authority"),
    )
    description = models.CharField(max_length=500, blank=True, verbose_name=_("description"))
    source = models.ForeignKey(
        "sources.Source", on_delete=models.PROTECT, related_name="milestones", verbose_name=_("source")
    )

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = [models.F("date").desc(nulls_last=True), "program", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "kind", "source"],
                name="programs_milestone_unique",
                violation_error_message=_("This source already reports a milestone of this kind for the program."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MilestoneKind.values),
                name="programs_milestone_kind_valid",
                violation_error_message=_("Unknown milestone kind."),
            ),
        ]

    def __str__(self):
        return f"{self.program}: {self.get_kind_display()}"

    def natural_key(self):
        return (self.program.slug, self.kind, self.source.slug)

    natural_key.dependencies = ["programs.therapyprogram", "sources.source"]

    def get_absolute_url(self):
        return self.program.get_absolute_url()

    def clean(self):
        if self.date is None and self.date_precision != DatePrecision.DAY:
            raise ValidationError({"date_precision": _("A precision only makes sense with a date.")})

    @staticmethod
    def format_date(date, precision, text):
        return format_partial_date(date, precision) or text or str(_("date not stated"))

    @property
    def date_display(self):
        return self.format_date(self.date, self.date_precision, self.date_text)
