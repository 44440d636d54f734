from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cgt_tracker.models import CitedModel, DatePrecision, SluggedModel, SluggedQuerySet, format_partial_date
from cgt_tracker.record_urls import record_url


class PolicyKind(models.TextChoices):
    ACTION_PLAN = "action_plan", _("Action plan")
    TECHNICAL_GUIDELINE = "technical_guideline", _("Technical guideline")
    REGULATORY_REFORM = "regulatory_reform", _("Regulatory reform")
    FIVE_YEAR_PLAN = "five_year_plan", _("Five-year plan")
    INDUSTRY_GUIDELINE = "industry_guideline", _("Industry guideline")
    FUNDING_PROGRAM = "funding_program", _("Funding program")
    # A government science and technology project call that selects projects: the articles say a project
    # "won" or "was selected", not that money was granted, so it is not a funding program.
    SCIENCE_PROJECT = "science_project", _("Science and technology project")


class PolicyLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial (incl. Beijing, Shanghai…)")
    MUNICIPAL = "municipal", _("Municipal")
    DISTRICT = "district", _("District / zone")


class PolicyFocus(models.TextChoices):
    CELL_THERAPY = "cell_therapy", _("Cell therapy")
    GENE_THERAPY = "gene_therapy", _("Gene therapy")
    BIOMEDICINE = "biomedicine", _("Biomedicine")


class PolicyDocumentQuerySet(SluggedQuerySet):
    def with_related(self):
        return self.select_related("issuer").prefetch_related("sources", "evidence__source")


class PolicyDocument(SluggedModel):
    """A plan, guideline, reform or funding program that shapes the field."""

    title = models.CharField(max_length=500, verbose_name=_("title"))
    title_zh = models.CharField(_("Chinese title"), max_length=500, blank=True)
    kind = models.CharField(max_length=30, choices=PolicyKind.choices, db_index=True, verbose_name=_("kind"))
    issuer = models.ForeignKey(
        "companies.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policies",
        verbose_name=_("issuer"),
    )
    level = models.CharField(
        max_length=20, choices=PolicyLevel.choices, blank=True, db_index=True, verbose_name=_("level")
    )
    region = models.CharField(
        max_length=100, db_index=True, help_text=_("China, Shanghai, Zhangjiang…"), verbose_name=_("region")
    )
    period_start = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("First year covered."), verbose_name=_("period start")
    )
    period_end = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Last year covered."), verbose_name=_("period end")
    )
    published_on = models.DateField(null=True, blank=True, verbose_name=_("published on"))
    published_on_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY, verbose_name=_("published on precision")
    )
    focus = models.CharField(
        max_length=20, choices=PolicyFocus.choices, blank=True, db_index=True, verbose_name=_("focus")
    )
    summary = models.TextField(blank=True, verbose_name=_("summary"))
    goals = models.JSONField(
        default=list, blank=True, help_text=_("The targets the document sets, one per entry."), verbose_name=_("goals")
    )

    objects = PolicyDocumentQuerySet.as_manager()
    slug_source_field = "title"

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("title"),
                name="policies_policydocument_title_ci_unique",
                violation_error_message=_("A policy document with this title already exists."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start"))
                | Q(period_end__isnull=True)
                | Q(period_start__isnull=True),
                name="policies_policydocument_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PolicyKind.values),
                name="policies_policydocument_kind_valid",
                violation_error_message=_("Unknown policy kind."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return record_url("policies:policy_detail", self.slug)

    @staticmethod
    def format_period(start, end):
        if start and end:
            return f"{start}–{end}"
        return str(start or end or "")

    @property
    def period_display(self):
        return self.format_period(self.period_start, self.period_end)

    @property
    def published_display(self):
        return format_partial_date(self.published_on, self.published_on_precision)


class IndicatorQuerySet(models.QuerySet):
    def get_by_natural_key(self, region, metric):
        return self.get(region=region, metric=metric)

    def with_related(self):
        return self.prefetch_related("sources", "evidence__source")


class Indicator(CitedModel):
    """A regional statistic an article quotes, e.g. "more than 30" CGT companies in Beijing E-Town."""

    class Qualifier(models.TextChoices):
        EXACT = "", _("exactly")
        MORE_THAN = "more_than", _("more than")
        ABOUT = "about", _("about")

    region = models.CharField(max_length=100, db_index=True, verbose_name=_("region"))
    metric = models.CharField(max_length=255, verbose_name=_("metric"))
    value = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0, message=_("A count or share cannot be negative."))],
        verbose_name=_("value"),
    )
    unit = models.CharField(
        max_length=50, blank=True, help_text=_("e.g. %, approvals, companies"), verbose_name=_("unit")
    )
    qualifier = models.CharField(max_length=20, choices=Qualifier.choices, blank=True, verbose_name=_("qualifier"))
    as_of = models.DateField(null=True, blank=True, verbose_name=_("as of"))
    as_of_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY, verbose_name=_("as-of date precision")
    )
    as_of_text = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("The article's own wording of the date."),
        verbose_name=_("as-of date as worded"),
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["region", "metric"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "metric"],
                name="policies_indicator_unique",
                violation_error_message=_("This region already has this indicator."),
            ),
        ]

    def __str__(self):
        return f"{self.region}: {self.metric}"

    def natural_key(self):
        return (self.region, self.metric)

    def get_absolute_url(self):
        return reverse("policies:policy_list") + "#indicators"

    @classmethod
    def format_value(cls, value, qualifier, unit):
        number = f"{value.normalize():f}"
        prefix = f"{cls.Qualifier(qualifier).label} " if qualifier else ""
        return f"{prefix}{number}{unit if unit == '%' else ' ' + unit if unit else ''}"

    @staticmethod
    def format_as_of(as_of, precision, text):
        return format_partial_date(as_of, precision) or text

    @property
    def value_display(self):
        return self.format_value(self.value, self.qualifier, self.unit)

    @property
    def as_of_display(self):
        return self.format_as_of(self.as_of, self.as_of_precision, self.as_of_text)


class PolicyRelation(models.TextChoices):
    FUNDS = "funds", _("Funds")
    NAMES = "names", _("Names")


class PolicyLinkQuerySet(models.QuerySet):
    def get_by_natural_key(self, policy_slug, kind, slug):
        return self.get(policy__slug=policy_slug, **{f"{kind}__slug": slug})

    def with_related(self):
        return self.select_related("policy", "company", "institution", "program").prefetch_related(
            "sources", "evidence__source"
        )


ALREADY_LINKED = {
    "company": _("The policy is already linked to this company."),
    "institution": _("The policy is already linked to this institution."),
    "program": _("The policy is already linked to this program."),
}


class PolicyLink(CitedModel):
    """A company, institution or program that a policy document funds or names (exactly one of the three)."""

    LINKED = ("company", "institution", "program")

    policy = models.ForeignKey(PolicyDocument, on_delete=models.CASCADE, related_name="links", verbose_name=_("policy"))
    relation = models.CharField(
        max_length=10, choices=PolicyRelation.choices, default=PolicyRelation.NAMES, verbose_name=_("relation")
    )
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="policy_links",
        verbose_name=_("company"),
    )
    institution = models.ForeignKey(
        "companies.Institution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="policy_links",
        verbose_name=_("institution"),
    )
    program = models.ForeignKey(
        "programs.TherapyProgram",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="policy_links",
        verbose_name=_("program"),
    )
    note = models.CharField(
        max_length=500, blank=True, help_text=_("What the policy says about it, briefly."), verbose_name=_("note")
    )

    objects = PolicyLinkQuerySet.as_manager()

    class Meta:
        ordering = ["policy", "relation", "pk"]
        verbose_name = _("policy link")
        verbose_name_plural = _("policy links")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(company__isnull=False, institution__isnull=True, program__isnull=True)
                    | Q(company__isnull=True, institution__isnull=False, program__isnull=True)
                    | Q(company__isnull=True, institution__isnull=True, program__isnull=False)
                ),
                name="policies_policylink_one_record",
                violation_error_message=_("Link the policy to exactly one company, institution or program."),
            ),
            models.CheckConstraint(
                condition=Q(relation__in=PolicyRelation.values),
                name="policies_policylink_relation_valid",
                violation_error_message=_("Unknown relation."),
            ),
            *(
                models.UniqueConstraint(
                    fields=["policy", kind],
                    name=f"policies_policylink_{kind}_unique",
                    violation_error_message=message,
                )
                for kind, message in ALREADY_LINKED.items()
            ),
        ]

    def __str__(self):
        return f"{self.policy} {self.get_relation_display().lower()} {self.record}"

    @property
    def kind(self):
        return next((name for name in self.LINKED if getattr(self, f"{name}_id")), "")

    @property
    def record(self):
        return getattr(self, self.kind) if self.kind else None

    def natural_key(self):
        return (self.policy.slug, self.kind, self.record.slug)

    natural_key.dependencies = [
        "policies.policydocument",
        "companies.company",
        "companies.institution",
        "programs.therapyprogram",
    ]

    def get_absolute_url(self):
        return self.policy.get_absolute_url()
