"""Enumerations of the programs app. ``Stage`` is the one source of the pipeline's order."""

from django.db import models


class Stage(models.TextChoices):
    """Clinical stage, declared from least to most advanced: the declaration order is the order.

    ``NOT_STATED`` ranks lowest, so any stage an article does state wins the derived program stage.
    ``IIT`` is clinical research filed with the National Health Commission (the investigator-initiated
    track, e.g. a registered stem cell study recruiting patients): people are treated, but the product
    has not entered the NMPA registration track, so it ranks below ``ind_filed``.
    """

    NOT_STATED = "not_stated", "Not stated"
    DISCOVERY = "discovery", "Discovery"
    PRECLINICAL = "preclinical", "Preclinical"
    IIT = "iit", "Investigator-initiated research under way (NHC track)"
    IND_FILED = "ind_filed", "IND filed"
    IND_APPROVED = "ind_approved", "IND approved"
    PHASE_1 = "phase_1", "Phase 1"
    PHASE_1_2 = "phase_1_2", "Phase 1/2"
    PHASE_2 = "phase_2", "Phase 2"
    PHASE_2_3 = "phase_2_3", "Phase 2/3"
    PHASE_3 = "phase_3", "Phase 3"
    NDA_FILED = "nda_filed", "NDA filed"
    APPROVED = "approved", "Approved"

    @classmethod
    def rank(cls, value):
        """Position of ``value`` in the pipeline (0 = discovery)."""
        return cls.values.index(value)

    @classmethod
    def at_least(cls, value):
        """Every stage as advanced as ``value`` or more."""
        return cls.values[cls.rank(value) :]

    @classmethod
    def most_advanced(cls, values):
        values = list(values)
        return max(values, key=cls.rank) if values else None


class Modality(models.TextChoices):
    CAR_T = "car_t", "CAR-T"
    CAR_NK = "car_nk", "CAR-NK"
    NK = "nk", "NK cell"
    TCR_T = "tcr_t", "TCR-T"
    TIL = "til", "TIL"
    DC = "dc", "Dendritic cell"
    MSC = "msc", "Mesenchymal stem cell"
    IPSC = "ipsc", "iPSC-derived"
    HSC = "hsc", "Haematopoietic stem cell"
    GENE_THERAPY = "gene_therapy", "Gene therapy"
    GENE_EDITING = "gene_editing", "Gene editing"
    OTHER_CELL = "other_cell", "Other cell therapy"
    NOT_STATED = "not_stated", "Not stated"


class CellSource(models.TextChoices):
    AUTOLOGOUS = "autologous", "Autologous"
    ALLOGENEIC = "allogeneic", "Allogeneic / universal"
    UMBILICAL_CORD = "umbilical_cord", "Umbilical cord"


class Pathway(models.TextChoices):
    REGISTRATION = "registration", "Registration (NMPA IND/NDA)"
    INVESTIGATOR_INITIATED = "investigator_initiated", "Investigator-initiated (NHC clinical research)"


class DevelopmentStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    DISCONTINUED = "discontinued", "Discontinued"


class MilestoneKind(models.TextChoices):
    IND_FILED = "ind_filed", "IND filed"
    IND_ACCEPTED = "ind_accepted", "IND application accepted"
    IND_APPROVED = "ind_approved", "IND approved"
    BTD_GRANTED = "btd_granted", "Breakthrough Therapy Designation granted"
    TRIAL_REGISTERED = "trial_registered", "Clinical research registered"
    TRIAL_STARTED = "trial_started", "Trial started"
    PHASE_ENTERED = "phase_entered", "Entered a new trial phase"
    NDA_FILED = "nda_filed", "NDA filed"
    REGISTRATION_STARTED = "registration_started", "Drug registration started"
    APPROVED = "approved", "Approved"
    FUNDING_AWARDED = "funding_awarded", "Funding awarded"
    SELECTED = "selected", "Selected for a project or award"
