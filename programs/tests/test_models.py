"""The programs app's domain rules: stage order, derived stage, database constraints, protected deletes."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from model_bakery import baker

from programs.choices import Stage
from programs.models import Development, Milestone, TherapyProgram
from sources.models import Source

from .factories import develop, make_indication, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    return baker.make(Source, slug="test-source", title="Test source")


@pytest.fixture
def program(source):
    return make_program("Test CAR-T", sources=[source])


# --- Stage ------------------------------------------------------------------------------------


def test_stage_values_are_ordered_from_not_stated_to_approved():
    assert Stage.values[:2] == ["not_stated", "discovery"]
    assert Stage.values[-1] == "approved"
    assert Stage.rank("phase_1") < Stage.rank("phase_1_2") < Stage.rank("phase_2") < Stage.rank("nda_filed")


def test_investigator_initiated_research_ranks_between_preclinical_and_ind_filed():
    assert Stage.rank("preclinical") < Stage.rank("iit") < Stage.rank("ind_filed")


def test_any_stated_stage_outranks_not_stated():
    assert Stage.most_advanced(["not_stated", "discovery"]) == "discovery"


def test_an_active_developments_rank_is_computed_by_the_database_from_its_stage(program):
    development = develop(program, "phase_2")
    Development.objects.filter(pk=development.pk).update(stage="phase_3")  # no save(), no signal
    assert Development.objects.get(pk=development.pk).active_rank == Stage.rank("phase_3")


def test_a_development_that_is_not_active_has_no_rank(program):
    development = develop(program, "phase_2", status="suspended")
    assert Development.objects.get(pk=development.pk).active_rank is None


def test_the_history_keeps_what_was_written_not_the_computed_rank():
    assert "active_rank" not in {field.name for field in Development.history.model._meta.fields}


def test_at_least_lists_the_stage_and_every_later_one():
    assert Stage.at_least("nda_filed") == ["nda_filed", "approved"]


def test_a_program_without_developments_has_no_stage(program):
    assert program.stage is None


def test_stage_is_the_most_advanced_active_development(program):
    develop(program, "phase_1")
    develop(program, "phase_2")
    program.refresh_from_db()
    assert program.stage == "phase_2"


def test_stage_ignores_suspended_and_discontinued_developments(program):
    develop(program, "phase_1")
    develop(program, "phase_3", status="discontinued")
    develop(program, "approved", status="suspended")
    program.refresh_from_db()
    assert program.stage == "phase_1"


def test_stage_follows_a_development_that_advances(program):
    development = develop(program, "phase_1")
    development.stage = "phase_3"
    development.save()
    program.refresh_from_db()
    assert program.stage == "phase_3"


def test_stage_falls_back_when_the_leading_development_is_deleted(program):
    develop(program, "phase_1")
    lead = develop(program, "nda_filed")
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


def test_one_development_per_program_indication_and_country(program):
    indication = make_indication()
    develop(program, "phase_1", indication=indication)
    with pytest.raises(IntegrityError), transaction.atomic():
        develop(program, "phase_2", indication=indication)


def test_one_development_without_indication_per_program_and_country(program):
    baker.make(Development, program=program, stage="phase_1", country="China")
    with pytest.raises(IntegrityError), transaction.atomic():
        baker.make(Development, program=program, stage="phase_2", country="China")


def test_investigator_initiated_research_must_be_on_the_nhc_pathway(program):
    development = Development(program=program, stage="iit", pathway="registration", country="China")
    with pytest.raises(ValidationError) as refused:
        development.full_clean()
    assert list(refused.value.message_dict) == ["pathway"]


# --- Protected deletes ------------------------------------------------------------------------


def test_an_indication_with_developments_cannot_be_deleted(program):
    indication = make_indication()
    develop(program, "phase_1", indication=indication)
    with pytest.raises(ProtectedError):
        indication.delete()


# --- Display ----------------------------------------------------------------------------------


def test_a_milestone_without_date_shows_the_source_wording(program, source):
    milestone = Milestone(program=program, kind="approved", source=source, date_text="June 23 (year not stated)")
    assert milestone.date_display == "June 23 (year not stated)"


def test_every_model_has_a_readable_str_and_url():
    make_program("Readable CAR-T")
    make_program("Another readable CAR-T")
    for program in TherapyProgram.objects.all():
        assert str(program) == program.name
        assert program.get_absolute_url().endswith(f"/{program.slug}/")
