from django.db import models
from django.utils.translation import gettext_lazy as _

from cgt_tracker.models import DatePrecision, NamedModel, SluggedModel, SluggedQuerySet, format_partial_date
from cgt_tracker.record_urls import record_url
from cgt_tracker.web_addresses import validate_web_address


class CompanyKind(models.TextChoices):
    BIOTECH = "biotech", _("Biotech")
    PHARMA = "pharma", _("Pharma")
    JOINT_VENTURE = "joint_venture", _("Joint venture")
    CDMO_CRO = "cdmo_cro", _("CDMO / CRO")
    INVESTOR = "investor", _("Investor")
    DIGITAL_HEALTH = "digital_health", _("Digital health")
    CONGLOMERATE = "conglomerate", _("Park developer / conglomerate")
    OTHER = "other", _("Other")


class InstitutionKind(models.TextChoices):
    HOSPITAL = "hospital", _("Hospital")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    UNIVERSITY = "university", _("University")
    REGULATOR = "regulator", _("Regulator")
    GOVERNMENT = "government", _("Government body")
    INDUSTRY_PARK = "industry_park", _("Industry park")
    BIOBANK = "biobank", _("Biobank")
    PLATFORM = "platform", _("Platform")
    ACADEMY = "academy", _("Academy")
    OTHER = "other", _("Other")


class CompanyQuerySet(SluggedQuerySet):
    def with_related(self):
        return self.select_related("parent").prefetch_related("sources", "evidence__source")


class InstitutionQuerySet(SluggedQuerySet):
    def with_related(self):
        return self.select_related("parent").prefetch_related("sources", "evidence__source")


class Location(models.Model):
    """Where an organisation is, as far as its sources say."""

    city = models.CharField(max_length=100, blank=True, verbose_name=_("city"))
    province = models.CharField(max_length=100, blank=True, verbose_name=_("province"))
    country = models.CharField(max_length=100, blank=True, db_index=True, verbose_name=_("country"))

    class Meta:
        abstract = True


class Company(NamedModel, Location):
    """A company that develops, licenses, funds or serves cell and gene therapies."""

    kind = models.CharField(
        max_length=20, choices=CompanyKind.choices, blank=True, db_index=True, verbose_name=_("kind")
    )
    listing = models.CharField(
        max_length=100, blank=True, help_text=_("Stock exchange, e.g. Nasdaq."), verbose_name=_("listing")
    )
    website = models.CharField(
        max_length=255,
        blank=True,
        validators=[validate_web_address],
        help_text=_("An http(s) address, or the host name as the source writes it (www.juventas.cn)."),
        verbose_name=_("website"),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="subsidiaries", verbose_name=_("parent")
    )
    description = models.TextField(blank=True, verbose_name=_("description"))

    objects = CompanyQuerySet.as_manager()

    class Meta(NamedModel.Meta):
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def get_absolute_url(self):
        return record_url("companies:company_detail", self.slug)


class Institution(NamedModel, Location):
    """A hospital, institute, university, regulator, government body, park or platform."""

    kind = models.CharField(max_length=20, choices=InstitutionKind.choices, db_index=True, verbose_name=_("kind"))
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    description = models.TextField(blank=True, verbose_name=_("description"))

    objects = InstitutionQuerySet.as_manager()

    class Meta(NamedModel.Meta):
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def get_absolute_url(self):
        return record_url("companies:institution_detail", self.slug)


class CollaborationQuerySet(SluggedQuerySet):
    def with_related(self):
        return self.prefetch_related("companies", "institutions", "programs", "sources", "evidence__source")


class Collaboration(SluggedModel):
    """An agreement or joint effort between companies and institutions, possibly about programs."""

    class Kind(models.TextChoices):
        STRATEGIC_COOPERATION = "strategic_cooperation", _("Strategic cooperation")
        CLINICAL_RESEARCH = "clinical_research", _("Clinical research")
        COMMERCIALIZATION = "commercialization", _("Commercialization")
        PLATFORM = "platform", _("Joint platform")
        EVENT = "event", _("Joint event")
        OTHER = "other", _("Other")

    title = models.CharField(max_length=255, verbose_name=_("title"))
    kind = models.CharField(max_length=30, choices=Kind.choices, db_index=True, verbose_name=_("kind"))
    started_on = models.DateField(null=True, blank=True, verbose_name=_("started on"))
    started_on_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY, verbose_name=_("started on precision")
    )
    location = models.CharField(max_length=255, blank=True, verbose_name=_("location"))
    companies = models.ManyToManyField(Company, blank=True, related_name="collaborations", verbose_name=_("companies"))
    institutions = models.ManyToManyField(
        Institution, blank=True, related_name="collaborations", verbose_name=_("institutions")
    )
    programs = models.ManyToManyField(
        "programs.TherapyProgram", blank=True, related_name="collaborations", verbose_name=_("programs")
    )
    description = models.TextField(blank=True, verbose_name=_("description"))

    objects = CollaborationQuerySet.as_manager()
    slug_source_field = "title"

    class Meta:
        ordering = ["-started_on", "title"]
        verbose_name = _("collaboration")
        verbose_name_plural = _("collaborations")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return record_url("companies:collaboration_detail", self.slug)

    @property
    def started_display(self):
        return format_partial_date(self.started_on, self.started_on_precision)
