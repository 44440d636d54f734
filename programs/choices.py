"""Enumerations of the programs app. ``Stage`` is the one source of the pipeline's order."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """Clinical stage, declared from least to most advanced: the declaration order is the order.

    ``NOT_STATED`` ranks lowest, so any stage an article does state wins the derived program stage.
    ``IIT`` is clinical research filed with the National Health Commission (the investigator-initiated
    track, e.g. a registered stem cell study recruiting patients): people are treated, but the product
    has not entered the NMPA registration track, so it ranks below ``ind_filed``.
    """

    NOT_STATED = "not_stated", _("Not stated")
    DISCOVERY = "discovery", _("Discovery")
    PRECLINICAL = "preclinical", _("Preclinical")
    IIT = "iit", _("Investigator-initiated research under way (NHC track)")
    IND_FILED = "ind_filed", _("IND filed")
    IND_APPROVED = "ind_approved", _("IND approved")
    PHASE_1 = "phase_1", _("Phase 1")
    PHASE_1_2 = "phase_1_2", _("Phase 1/2")
    PHASE_2 = "phase_2", _("Phase 2")
    PHASE_2_3 = "phase_2_3", _("Phase 2/3")
    PHASE_3 = "phase_3", _("Phase 3")
    NDA_FILED = "nda_filed", _("NDA filed")
    APPROVED = "approved", _("Approved")

    @classmethod
    def rank(cls, value):
        """Position of ``value`` in the pipeline (0 = not stated); a KeyError for an unknown stage."""
        return STAGE_RANKS[value]

    @classmethod
    def at_least(cls, value):
        """Every stage as advanced as ``value`` or more."""
        return cls.values[cls.rank(value) :]

    @classmethod
    def most_advanced(cls, values):
        values = list(values)
        return max(values, key=cls.rank) if values else None


# Read per row by lists and statistics: Django builds ``Stage.values`` anew on every access.
STAGE_RANKS = {stage.value: rank for rank, stage in enumerate(Stage)}


class Modality(models.TextChoices):
    CAR_T = "car_t", _("CAR-T")
    CAR_NK = "car_nk", _("CAR-NK")
    NK = "nk", _("NK cell")
    TCR_T = "tcr_t", _("TCR-T")
    TIL = "til", _("TIL")
    DC = "dc", _("Dendritic cell")
    MSC = "msc", _("Mesenchymal stem cell")
    IPSC = "ipsc", _("iPSC-derived")
    HSC = "hsc", _("Haematopoietic stem cell")
    GENE_THERAPY = "gene_therapy", _("Gene therapy")
    GENE_EDITING = "gene_editing", _("Gene editing")
    OTHER_CELL = "other_cell", _("Other cell therapy")
    NOT_STATED = "not_stated", _("Not stated")


class CellSource(models.TextChoices):
    AUTOLOGOUS = "autologous", _("Autologous")
    ALLOGENEIC = "allogeneic", _("Allogeneic / universal")
    UMBILICAL_CORD = "umbilical_cord", _("Umbilical cord")


class Pathway(models.TextChoices):
    REGISTRATION = "registration", _("Registration (NMPA IND/NDA)")
    INVESTIGATOR_INITIATED = "investigator_initiated", _("Investigator-initiated (NHC clinical research)")


class DevelopmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    DISCONTINUED = "discontinued", _("Discontinued")


class MilestoneKind(models.TextChoices):
    IND_FILED = "ind_filed", _("IND filed")
    IND_ACCEPTED = "ind_accepted", _("IND application accepted")
    IND_APPROVED = "ind_approved", _("IND approved")
    BTD_GRANTED = "btd_granted", _("Breakthrough Therapy Designation granted")
    TRIAL_REGISTERED = "trial_registered", _("Clinical research registered")
    TRIAL_STARTED = "trial_started", _("Trial started")
    PHASE_ENTERED = "phase_entered", _("Entered a new trial phase")
    NDA_FILED = "nda_filed", _("NDA filed")
    REGISTRATION_STARTED = "registration_started", _("Drug registration started")
    APPROVED = "approved", _("Approved")
    FUNDING_AWARDED = "funding_awarded", _("Funding awarded")
    SELECTED = "selected", _("Selected for a project or award")
