import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connections, models
from django.db.models import Q
from django.db.models.functions import Lower
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
)

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
        return reverse("programs:program_list") + f"?target={self.symbol}"


class Indication(TimeStampedModel):
    """A disease a therapy is developed for."""

    name = models.CharField(max_length=255, verbose_name=_("name"))
    slug = models.SlugField(max_length=80, unique=True, verbose_name=_("slug"))
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
        return reverse("programs:program_list") + f"?indication={self.slug}"


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


SEARCH_VECTOR = SearchVector("search_document", config="simple")


class TherapyProgramQuerySet(SluggedQuerySet):
    def with_related(self):
        """Everything a program list or detail shows, in a fixed number of queries."""
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

    def search(self, text):
        """Programs whose name, aliases, company, targets, indications or description match ``text``.

        Every word must match. PostgreSQL: full-text search on words and word prefixes, using a GIN
        index. Other databases: a case-insensitive substring match of each word in the same text.
        """
        if connections[self.db].vendor != "postgresql":
            return self.filter(*(Q(search_document__icontains=word) for word in text.split()))
        words = re.findall(r"\w+", text)
        if not words:
            return self.none()
        query = SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config="simple")
        return self.alias(search_vector=SEARCH_VECTOR).filter(search_vector=query)

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
    search_document = models.TextField(
        blank=True,
        editable=False,
        help_text=_(
            "Derived: the text `search` looks in (names, aliases, company, targets, indications, description)."
        ),
        verbose_name=_("search document"),
    )

    objects = TherapyProgramQuerySet.as_manager()

    class Meta(NamedModel.Meta):
        verbose_name = _("therapy program")
        verbose_name_plural = _("therapy programs")
        indexes = [
            models.Index(fields=["name"], name="programs_program_name_idx"),
            models.Index(fields=["modality", "stage", "name"], name="programs_program_filter_idx"),
            # The full-text GIN index over SEARCH_VECTOR is made on PostgreSQL only, by migration 0002:
            # SQLite cannot build it (and searches with LIKE instead).
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

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is None:
            self.search_document = self.build_search_document()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("programs:program_detail", args=[self.slug])

    def derived_stage(self):
        """The most advanced stage among active developments, or None without any."""
        return Stage.most_advanced(
            self.developments.filter(status=DevelopmentStatus.ACTIVE).values_list("stage", flat=True)
        )

    def refresh_stage(self, *, record_history=True):
        """Store the derived stage if it changed; a history entry records the change unless loading fixtures."""
        stage = self.derived_stage()
        if stage == self.stage:
            return
        self.stage = stage
        if record_history:
            self.save(update_fields=["stage"])
        else:
            type(self).objects.filter(pk=self.pk).update(stage=stage)

    def build_search_document(self):
        parts = [self.name, self.name_zh, *self.aliases, self.description]
        if self.company_id:
            parts += self.company.names
        if self.pk:
            parts += self.targets.values_list("symbol", flat=True)
            for name, abbreviation in Indication.objects.filter(developments__program=self).values_list(
                "name", "abbreviation"
            ):
                parts += [name, abbreviation]
        return "\n".join(dict.fromkeys(part for part in parts if part))

    def refresh_search_document(self):
        """Recompute the derived search text (no history entry: it only mirrors other fields)."""
        document = self.build_search_document()
        if document != self.search_document:
            self.search_document = document
            type(self).objects.filter(pk=self.pk).update(search_document=document)


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
    def get_by_natural_key(self, program_slug, indication_slug, country):
        return self.get(
            program__slug=program_slug,
            indication__slug=indication_slug or None,
            country=country,
        )

    def with_related(self):
        return self.select_related("program", "indication").prefetch_related("sources", "evidence__source")


class Development(CitedModel):
    """One program for one indication in one jurisdiction, at one stage."""

    program = models.ForeignKey(
        TherapyProgram, on_delete=models.CASCADE, related_name="developments", verbose_name=_("program")
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

    objects = DevelopmentQuerySet.as_manager()

    class Meta:
        ordering = ["program", "indication__name", "pk"]
        verbose_name = _("development")
        verbose_name_plural = _("developments")
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
        return f"{self.program} – {self.indication or 'indication not stated'} ({self.get_stage_display()})"

    def natural_key(self):
        return (self.program.slug, self.indication.slug if self.indication else "", self.country)

    natural_key.dependencies = ["programs.therapyprogram", "programs.indication"]

    def get_absolute_url(self):
        return self.program.get_absolute_url()

    @property
    def as_of_display(self):
        return format_partial_date(self.as_of, self.as_of_precision)


class MilestoneQuerySet(models.QuerySet):
    def get_by_natural_key(self, program_slug, kind, source_slug):
        return self.get(program__slug=program_slug, kind=kind, source__slug=source_slug)

    def with_related(self):
        return self.select_related("program", "authority", "source").prefetch_related("evidence__source")


class Milestone(TimeStampedModel, EvidencedModel):
    """A dated event in a program's timeline, cited to the one source that reports it."""

    program = models.ForeignKey(
        TherapyProgram, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("program")
    )
    kind = models.CharField(max_length=30, choices=MilestoneKind.choices, verbose_name=_("kind"))
    date = models.DateField(
        null=True, blank=True, help_text=_("Empty when the source gives no usable date."), verbose_name=_("date")
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

    @property
    def date_display(self):
        return format_partial_date(self.date, self.date_precision) or self.date_text or _("date not stated")
