from django.db import models
from django.urls import reverse

from cgt_tracker.models import DatePrecision, NamedModel, SluggedModel, SluggedQuerySet, format_partial_date
from cgt_tracker.web_addresses import validate_web_address


class CompanyKind(models.TextChoices):
    BIOTECH = "biotech", "Biotech"
    PHARMA = "pharma", "Pharma"
    JOINT_VENTURE = "joint_venture", "Joint venture"
    CDMO_CRO = "cdmo_cro", "CDMO / CRO"
    INVESTOR = "investor", "Investor"
    DIGITAL_HEALTH = "digital_health", "Digital health"
    CONGLOMERATE = "conglomerate", "Park developer / conglomerate"
    OTHER = "other", "Other"


class InstitutionKind(models.TextChoices):
    HOSPITAL = "hospital", "Hospital"
    RESEARCH_INSTITUTE = "research_institute", "Research institute"
    UNIVERSITY = "university", "University"
    REGULATOR = "regulator", "Regulator"
    GOVERNMENT = "government", "Government body"
    INDUSTRY_PARK = "industry_park", "Industry park"
    BIOBANK = "biobank", "Biobank"
    PLATFORM = "platform", "Platform"
    ACADEMY = "academy", "Academy"
    OTHER = "other", "Other"


class CompanyQuerySet(SluggedQuerySet):
    def with_related(self):
        return self.select_related("parent").prefetch_related("sources", "evidence__source")


class InstitutionQuerySet(SluggedQuerySet):
    def with_related(self):
        return self.select_related("parent").prefetch_related("sources", "evidence__source")


class Location(models.Model):
    """Where an organisation is, as far as its sources say."""

    city = models.CharField(max_length=100, blank=True)
    province = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True, db_index=True)

    class Meta:
        abstract = True


class Company(NamedModel, Location):
    """A company that develops, licenses, funds or serves cell and gene therapies."""

    kind = models.CharField(max_length=20, choices=CompanyKind.choices, blank=True, db_index=True)
    listing = models.CharField(max_length=100, blank=True, help_text="Stock exchange, e.g. Nasdaq.")
    website = models.CharField(
        max_length=255,
        blank=True,
        validators=[validate_web_address],
        help_text="An http(s) address, or the host name as the source writes it (www.juventas.cn).",
    )
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="subsidiaries")
    description = models.TextField(blank=True)

    objects = CompanyQuerySet.as_manager()

    class Meta(NamedModel.Meta):
        verbose_name = "company"
        verbose_name_plural = "companies"

    def get_absolute_url(self):
        return reverse("companies:company_detail", args=[self.slug])


class Institution(NamedModel, Location):
    """A hospital, institute, university, regulator, government body, park or platform."""

    kind = models.CharField(max_length=20, choices=InstitutionKind.choices, db_index=True)
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children")
    description = models.TextField(blank=True)

    objects = InstitutionQuerySet.as_manager()

    class Meta(NamedModel.Meta):
        verbose_name = "institution"

    def get_absolute_url(self):
        return reverse("companies:institution_detail", args=[self.slug])


class CollaborationQuerySet(SluggedQuerySet):
    def with_related(self):
        return self.prefetch_related("companies", "institutions", "programs", "sources", "evidence__source")


class Collaboration(SluggedModel):
    """An agreement or joint effort between companies and institutions, possibly about programs."""

    class Kind(models.TextChoices):
        STRATEGIC_COOPERATION = "strategic_cooperation", "Strategic cooperation"
        CLINICAL_RESEARCH = "clinical_research", "Clinical research"
        COMMERCIALIZATION = "commercialization", "Commercialization"
        PLATFORM = "platform", "Joint platform"
        EVENT = "event", "Joint event"
        OTHER = "other", "Other"

    title = models.CharField(max_length=255)
    kind = models.CharField(max_length=30, choices=Kind.choices, db_index=True)
    started_on = models.DateField(null=True, blank=True)
    started_on_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    location = models.CharField(max_length=255, blank=True)
    companies = models.ManyToManyField(Company, blank=True, related_name="collaborations")
    institutions = models.ManyToManyField(Institution, blank=True, related_name="collaborations")
    programs = models.ManyToManyField("programs.TherapyProgram", blank=True, related_name="collaborations")
    description = models.TextField(blank=True)

    objects = CollaborationQuerySet.as_manager()
    slug_source_field = "title"

    class Meta:
        ordering = ["-started_on", "title"]
        verbose_name = "collaboration"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("companies:collaboration_detail", args=[self.slug])

    @property
    def started_display(self):
        return format_partial_date(self.started_on, self.started_on_precision)
