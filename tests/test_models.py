"""The domain rules: derived stage, database constraints, protected deletes, partial dates."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from model_bakery import baker

from cgt_tracker.models import DatePrecision, format_partial_date
from companies.models import Company, Institution
from programs.choices import Stage
from programs.models import Development, Milestone, TherapyProgram
from sources.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    return baker.make(Source, slug="test-source", title="Test source")


@pytest.fixture
def program(source):
    program = baker.make(TherapyProgram, name="Test CAR-T", modality="car_t")
    program.sources.add(source)
    return program


def develop(program, stage, **fields):
    return baker.make(Development, program=program, stage=stage, country="China", **fields)


# --- Stage ------------------------------------------------------------------------------------


def test_stage_values_are_ordered_from_not_stated_to_approved():
    assert Stage.values[:2] == ["not_stated", "discovery"]
    assert Stage.values[-1] == "approved"
    assert Stage.rank("phase_1") < Stage.rank("phase_1_2") < Stage.rank("phase_2") < Stage.rank("nda_filed")


def test_investigator_initiated_research_ranks_between_preclinical_and_ind_filed():
    assert Stage.rank("preclinical") < Stage.rank("iit") < Stage.rank("ind_filed")


def test_any_stated_stage_outranks_not_stated():
    assert Stage.most_advanced(["not_stated", "discovery"]) == "discovery"


def test_at_least_lists_the_stage_and_every_later_one():
    assert Stage.at_least("nda_filed") == ["nda_filed", "approved"]


def test_a_program_without_developments_has_no_stage(program):
    assert program.stage is None


def test_stage_is_the_most_advanced_active_development(program):
    develop(program, "phase_1", indication=baker.make("programs.Indication", slug="a"))
    develop(program, "phase_2", indication=baker.make("programs.Indication", slug="b"))
    program.refresh_from_db()
    assert program.stage == "phase_2"


def test_stage_ignores_suspended_and_discontinued_developments(program):
    develop(program, "phase_1", indication=baker.make("programs.Indication", slug="a"))
    develop(program, "phase_3", status="discontinued", indication=baker.make("programs.Indication", slug="b"))
    develop(program, "approved", status="suspended", indication=baker.make("programs.Indication", slug="c"))
    program.refresh_from_db()
    assert program.stage == "phase_1"


def test_stage_follows_a_development_that_advances(program):
    development = develop(program, "phase_1")
    development.stage = "phase_3"
    development.save()
    program.refresh_from_db()
    assert program.stage == "phase_3"


def test_stage_falls_back_when_the_leading_development_is_deleted(program):
    develop(program, "phase_1", indication=baker.make("programs.Indication", slug="a"))
    lead = develop(program, "nda_filed", indication=baker.make("programs.Indication", slug="b"))
    lead.delete()
    program.refresh_from_db()
    assert program.stage == "phase_1"


def test_a_stage_change_is_recorded_in_the_program_history(program):
    develop(program, "phase_2")
    assert program.history.first().stage == "phase_2"


def test_deleting_a_program_deletes_its_developments(program):
    develop(program, "phase_1")
    program.delete()
    assert not Development.objects.filter(program_id=program.pk).exists()


# --- Constraints ------------------------------------------------------------------------------


def test_an_unknown_stage_is_refused_by_the_database(program):
    with pytest.raises(IntegrityError), transaction.atomic():
        Development.objects.create(program=program, stage="phase_9", country="China")


def test_an_unknown_stage_is_refused_by_validation(program):
    with pytest.raises(ValidationError) as error:
        Development(program=program, stage="phase_9", country="China").full_clean()
    assert "stage" in error.value.message_dict


def test_an_unknown_modality_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        TherapyProgram.objects.create(name="Bad", modality="magic")


def test_company_names_are_unique_ignoring_case():
    Company.objects.create(name="Acme Cell")
    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.create(name="ACME cell")


def test_duplicate_name_gives_a_clear_validation_message():
    Company.objects.create(name="Acme Cell")
    with pytest.raises(ValidationError, match="already exists"):
        Company(name="acme cell", slug="acme-2").full_clean()


def test_slugs_are_unique():
    Institution.objects.create(name="Alpha", slug="same", kind="hospital")
    with pytest.raises(IntegrityError), transaction.atomic():
        Institution.objects.create(name="Beta", slug="same", kind="hospital")


def test_a_blank_slug_is_made_from_the_name_without_clashing():
    first = Company.objects.create(name="Gene Co")
    second = Company.objects.create(name="Gene Co.")
    assert (first.slug, second.slug) == ("gene-co", "gene-co-2")


def test_one_development_per_program_indication_and_country(program):
    indication = baker.make("programs.Indication", slug="x")
    develop(program, "phase_1", indication=indication)
    with pytest.raises(IntegrityError), transaction.atomic():
        develop(program, "phase_2", indication=indication)


def test_one_development_without_indication_per_program_and_country(program):
    develop(program, "phase_1")
    with pytest.raises(IntegrityError), transaction.atomic():
        develop(program, "phase_2")


def test_a_policy_period_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        baker.make("policies.PolicyDocument", title="Backwards", kind="action_plan", period_start=2025, period_end=2023)


# --- Protected deletes ------------------------------------------------------------------------


def test_a_company_with_programs_cannot_be_deleted(program):
    company = Company.objects.create(name="Owner")
    program.company = company
    program.save()
    with pytest.raises(ProtectedError):
        company.delete()
    assert Company.objects.filter(pk=company.pk).exists()


def test_an_institution_with_milestones_cannot_be_deleted(program, source):
    authority = Institution.objects.create(name="Regulator", kind="regulator")
    Milestone.objects.create(program=program, kind="ind_approved", authority=authority, source=source)
    with pytest.raises(ProtectedError):
        authority.delete()


def test_a_source_cited_by_a_milestone_cannot_be_deleted(program, source):
    Milestone.objects.create(program=program, kind="approved", source=source)
    with pytest.raises(ProtectedError):
        source.delete()


def test_an_indication_with_developments_cannot_be_deleted(program):
    indication = baker.make("programs.Indication", slug="y")
    develop(program, "phase_1", indication=indication)
    with pytest.raises(ProtectedError):
        indication.delete()


# --- Dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("precision", "shown"),
    [(DatePrecision.DAY, "June 21, 2021"), (DatePrecision.MONTH, "June 2021"), (DatePrecision.YEAR, "2021")],
)
def test_a_date_is_shown_no_more_precisely_than_its_source_gave_it(precision, shown):
    assert format_partial_date(datetime.date(2021, 6, 21), precision) == shown


def test_a_milestone_without_date_shows_the_source_wording(program, source):
    milestone = Milestone(program=program, kind="approved", source=source, date_text="June 23 (year not stated)")
    assert milestone.date_display == "June 23 (year not stated)"


def test_updated_changes_on_save_and_created_does_not(program):
    created, updated = program.created, program.updated
    program.description = "changed"
    program.save()
    program.refresh_from_db()
    assert program.created == created
    assert program.updated > updated


def test_every_model_has_a_readable_str_and_url():
    for program in TherapyProgram.objects.all():
        assert str(program) == program.name
        assert program.get_absolute_url().endswith(f"/{program.slug}/")


def test_investigator_initiated_research_must_be_on_the_nhc_pathway(program):
    development = Development(program=program, stage="iit", pathway="registration", country="China")
    with pytest.raises(ValidationError) as refused:
        development.full_clean()
    assert list(refused.value.message_dict) == ["pathway"]
