"""The program admin: search, stage order, the derived stage read-only, developments and milestones inline."""

import pytest
from django.contrib import admin
from model_bakery import baker

from cgt_tracker.forms import LinesField
from cgt_tracker.tests.admin_helpers import admin_url, changelist_pks, posted
from companies.models import Company
from evidence.models import Evidence
from programs.models import Development, Indication, Milestone, ProgramPartner, TherapyProgram
from sources.models import Source

pytestmark = pytest.mark.django_db


def development_inline_form(request):
    program_admin = admin.site._registry[TherapyProgram]
    [formset] = [
        formset for formset, inline in program_admin.get_formsets_with_inlines(request) if inline.model is Development
    ]
    return formset.form


def test_program_changelist_search_matches_the_company_name(admin_client):
    company = baker.make(Company, name="Zorblax Biologics")
    wanted = baker.make(TherapyProgram, name="ZB-101", company=company)
    baker.make(TherapyProgram, name="Unrelated program")
    response = admin_client.get(admin_url(TherapyProgram, "changelist"), {"q": "zorblax"})
    assert changelist_pks(response) == {wanted.pk}


def test_program_changelist_sorts_stage_in_pipeline_order(admin_client):
    approved = baker.make(TherapyProgram, name="Zorblax approved", stage="approved")
    phase_1 = baker.make(TherapyProgram, name="Zorblax phase 1", stage="phase_1")
    ind_filed = baker.make(TherapyProgram, name="Zorblax IND filed", stage="ind_filed")
    stage_column = admin.site._registry[TherapyProgram].list_display.index("pipeline_stage") + 1
    response = admin_client.get(admin_url(TherapyProgram, "changelist"), {"q": "zorblax", "o": stage_column})
    assert [record.pk for record in response.context["cl"].result_list] == [ind_filed.pk, phase_1.pk, approved.pk]


def test_a_development_added_inline_needs_a_source_too(admin_request):
    assert development_inline_form(admin_request).base_fields["sources"].required


def test_trial_ids_are_edited_one_per_line_in_the_development_inline(admin_request):
    assert isinstance(development_inline_form(admin_request).base_fields["trial_ids"], LinesField)


def make_program_with_development(stage="phase_2"):
    source = baker.make(Source)
    program = baker.make(TherapyProgram, name="Admintest CAR-T", modality="car_t")
    program.sources.set([source])
    development = baker.make(Development, program=program, stage=stage, status="active")
    development.sources.set([source])
    return program


def test_program_change_page_shows_the_derived_stage_read_only(admin_client):
    program = make_program_with_development(stage="phase_2")
    response = admin_client.get(admin_url(TherapyProgram, "change", program.pk))
    assert "stage" not in response.context["adminform"].form.fields
    assert '<div class="readonly">Phase 2</div>' in response.content.decode()


def test_program_change_page_edits_developments_milestones_and_partners_inline(admin_client):
    program = make_program_with_development()
    response = admin_client.get(admin_url(TherapyProgram, "change", program.pk))
    inline_models = [inline.opts.model for inline in response.context["inline_admin_formsets"]]
    assert inline_models == [Development, Milestone, ProgramPartner, Evidence]


def test_a_development_added_inline_sets_the_program_stage(admin_client):
    program = make_program_with_development(stage="phase_1")
    page = admin_client.get(admin_url(TherapyProgram, "change", program.pk))
    indication = baker.make(Indication)
    new_development = {
        "developments-TOTAL_FORMS": "2",
        "developments-1-program": str(program.pk),
        "developments-1-indication": str(indication.pk),
        "developments-1-stage": "phase_3",
        "developments-1-status": "active",
        "developments-1-as_of_precision": "day",
        "developments-1-trial_ids": "CTR20200001\nNCT01234567",
        "developments-1-sources": [str(source.pk) for source in program.sources.all()],
    }

    response = admin_client.post(admin_url(TherapyProgram, "change", program.pk), posted(page, **new_development))

    assert response.status_code == 302
    program.refresh_from_db()
    assert program.stage == "phase_3"
    assert program.developments.get(indication=indication).trial_ids == ["CTR20200001", "NCT01234567"]
