import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from model_bakery import baker
from simple_history.models import HistoricalChanges

from cgt_tracker.forms import LinesField
from cgt_tracker.models import CitedModel
from companies.models import Collaboration, Company, Institution
from evidence.models import Evidence
from policies.models import Indicator, PolicyDocument
from programs.models import Designation, Development, Indication, Milestone, ProgramPartner, Target, TherapyProgram
from sources.models import Source

pytestmark = pytest.mark.django_db

ADMIN_MODELS = [
    Source,
    Company,
    Institution,
    Collaboration,
    Target,
    Indication,
    Designation,
    TherapyProgram,
    Development,
    Milestone,
    PolicyDocument,
    Indicator,
]
CITED_MODELS = [model for model in ADMIN_MODELS if issubclass(model, CitedModel)]
every_model = pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model.__name__)
# Values a random record needs to pass the model's check constraints.
VALID_VALUES = {PolicyDocument: {"period_start": 2023, "period_end": 2025}}


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def make(model, **values):
    """A record of ``model`` with every optional field and relation filled in."""
    return baker.make(model, _fill_optional=True, make_m2m=True, **{**VALID_VALUES.get(model, {}), **values})


def posted(response, **changes):
    """What a browser posts back from the admin form in ``response``, with ``changes`` applied."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return {**data, **changes}


def changelist_pks(response):
    return {record.pk for record in response.context["cl"].result_list}


def changelist_of(client, records):
    """The changelist page narrowed to ``records`` (so the article data does not crowd them out)."""
    model = type(records[0])
    return client.get(admin_url(model, "changelist"), {"id__in": ",".join(str(record.pk) for record in records)})


@pytest.fixture
def admin_request(rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    return request


def admin_form(model, request):
    return admin.site._registry[model].get_form(request)


def development_inline_form(request):
    program_admin = admin.site._registry[TherapyProgram]
    [formset] = [
        formset for formset, inline in program_admin.get_formsets_with_inlines(request) if inline.model is Development
    ]
    return formset.form


def test_every_model_is_edited_in_the_admin_directly_or_inline():
    registry = admin.site._registry
    inline_models = {inline.model for model_admin in registry.values() for inline in model_admin.inlines}
    models = [
        model
        for label in ("sources", "companies", "programs", "policies")
        for model in apps.get_app_config(label).get_models()
        if not issubclass(model, HistoricalChanges)
    ]
    assert [model for model in models if model not in registry and model not in inline_models] == []


def test_admin_site_is_titled_cgt_tracker_administration(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.context["site_header"] == "CGT Tracker administration"
    assert response.context["site_title"] == "CGT Tracker administration"


def test_forms_put_names_first_and_sources_and_time_stamps_last(admin_request):
    fields = admin.site._registry[Company].get_fields(admin_request)
    assert (fields[:4], fields[-3:]) == (["name", "name_zh", "slug", "aliases"], ["sources", "created", "updated"])


@every_model
def test_changelist_lists_records_with_every_column(admin_client, model):
    record = make(model)
    response = changelist_of(admin_client, [record])
    assert response.status_code == 200
    assert changelist_pks(response) == {record.pk}


@every_model
def test_add_page_renders(admin_client, model):
    assert admin_client.get(admin_url(model, "add")).status_code == 200


@every_model
def test_change_page_renders_with_a_history_button(admin_client, model):
    record = make(model)
    response = admin_client.get(admin_url(model, "change", record.pk))
    assert response.status_code == 200
    assert admin_url(model, "history", record.pk) in response.content.decode()


@every_model
def test_history_page_shows_the_record_change_history(admin_client, model):
    record = make(model)
    response = admin_client.get(admin_url(model, "history", record.pk))
    assert response.status_code == 200
    assert "simple_history/object_history.html" in [template.name for template in response.templates]
    assert len(response.context["page_obj"]) == record.history.count() > 0


@every_model
def test_changelist_costs_the_same_queries_whatever_the_number_of_rows(admin_client, model):
    def queries_to_list(records):
        with CaptureQueriesContext(connection) as queries:
            assert len(changelist_pks(changelist_of(admin_client, records))) == len(records)
        return len(queries)

    records = [make(model) for _ in range(4)]
    assert queries_to_list(records) == queries_to_list(records[:1])


def test_changelist_search_matches_an_alias(admin_client):
    wanted = baker.make(Company, name="Admintest Cell Therapeutics", aliases=["Zorblax"])
    baker.make(Company, name="Admintest Other Biotech")
    response = admin_client.get(admin_url(Company, "changelist"), {"q": "zorblax"})
    assert changelist_pks(response) == {wanted.pk}


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


def test_non_staff_user_is_sent_to_the_login_page(client):
    client.force_login(baker.make(get_user_model(), is_staff=False))
    response = client.get(admin_url(TherapyProgram, "changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_saving_a_change_records_who_made_it(admin_client, admin_user):
    company = baker.make(Company, name="Admintest Before")
    company.sources.set([baker.make(Source)])
    page = admin_client.get(admin_url(Company, "change", company.pk))

    response = admin_client.post(admin_url(Company, "change", company.pk), posted(page, name="Admintest After"))

    assert response.status_code == 302
    latest = company.history.latest()
    assert (latest.name, latest.history_type, latest.history_user) == ("Admintest After", "~", admin_user)


def test_history_page_names_who_made_a_change(admin_client, admin_user):
    company = baker.make(Company, name="Admintest Before")
    company.sources.set([baker.make(Source)])
    page = admin_client.get(admin_url(Company, "change", company.pk))
    admin_client.post(admin_url(Company, "change", company.pk), posted(page, name="Admintest After"))

    response = admin_client.get(admin_url(Company, "history", company.pk))

    assert admin_user.username in response.content.decode()


def test_a_record_without_sources_is_refused(admin_client):
    page = admin_client.get(admin_url(Company, "add"))
    response = admin_client.post(admin_url(Company, "add"), posted(page, name="Admintest Uncited", sources=[]))
    assert response.status_code == 200
    assert "sources" in response.context["adminform"].form.errors
    assert not Company.objects.filter(name="Admintest Uncited").exists()


def test_a_record_with_a_source_is_saved(admin_client):
    source = baker.make(Source)
    page = admin_client.get(admin_url(Company, "add"))
    response = admin_client.post(
        admin_url(Company, "add"), posted(page, name="Admintest Cited", sources=[str(source.pk)])
    )
    assert response.status_code == 302
    assert list(Company.objects.get(name="Admintest Cited").sources.all()) == [source]


@pytest.mark.parametrize("model", CITED_MODELS, ids=lambda model: model.__name__)
def test_every_cited_record_form_requires_a_source(admin_request, model):
    assert admin_form(model, admin_request).base_fields["sources"].required


def test_a_development_added_inline_needs_a_source_too(admin_request):
    assert development_inline_form(admin_request).base_fields["sources"].required


@pytest.mark.parametrize(
    ("model", "field"),
    [(Company, "aliases"), (Institution, "aliases"), (TherapyProgram, "aliases"), (PolicyDocument, "goals")],
)
def test_json_lists_are_edited_one_entry_per_line(admin_request, model, field):
    assert isinstance(admin_form(model, admin_request).base_fields[field], LinesField)


def test_trial_ids_are_edited_one_per_line_in_the_development_inline(admin_request):
    assert isinstance(development_inline_form(admin_request).base_fields["trial_ids"], LinesField)


def test_lines_field_shows_a_list_one_entry_per_line():
    assert LinesField().prepare_value(["Axi-Cel", "axicabtagene ciloleucel"]) == "Axi-Cel\naxicabtagene ciloleucel"


def test_lines_field_reads_lines_into_a_list_without_blank_lines_or_padding():
    assert LinesField(required=False).clean(" Axi-Cel \r\n\r\naxicabtagene ciloleucel\n") == [
        "Axi-Cel",
        "axicabtagene ciloleucel",
    ]


def test_lines_field_reads_empty_text_as_an_empty_list():
    assert LinesField(required=False).clean("") == []


def test_lines_field_sees_the_same_lines_as_unchanged():
    assert not LinesField().has_changed(["Axi-Cel", "Yescarta"], "Axi-Cel\r\nYescarta")


def test_aliases_round_trip_through_the_company_admin(admin_client):
    company = baker.make(Company, name="Admintest Lines", aliases=["First alias", "Second alias"])
    company.sources.set([baker.make(Source)])
    page = admin_client.get(admin_url(Company, "change", company.pk))
    assert page.context["adminform"].form["aliases"].value() == "First alias\nSecond alias"

    admin_client.post(admin_url(Company, "change", company.pk), posted(page, aliases="First alias\r\nThird alias\r\n"))

    company.refresh_from_db()
    assert company.aliases == ["First alias", "Third alias"]


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


def test_deleting_a_company_that_still_has_programs_is_refused(admin_client):
    company = baker.make(Company, name="Admintest Developer")
    program = baker.make(TherapyProgram, company=company)

    response = admin_client.post(admin_url(Company, "delete", company.pk), {"post": "yes"})

    assert response.status_code == 200
    assert response.context["protected"]
    assert "Cannot delete" in response.content.decode()
    assert Company.objects.filter(pk=company.pk).exists()
    assert TherapyProgram.objects.filter(pk=program.pk).exists()


def test_bulk_deleting_companies_with_programs_is_refused(admin_client):
    company = baker.make(Company, name="Admintest Developer")
    baker.make(TherapyProgram, company=company)
    other = baker.make(Company, name="Admintest Bystander")

    response = admin_client.post(
        admin_url(Company, "changelist"),
        {"action": "delete_selected", "_selected_action": [company.pk, other.pk], "post": "yes"},
    )

    assert response.status_code == 200
    assert "Cannot delete" in response.content.decode()
    assert Company.objects.filter(pk__in=[company.pk, other.pk]).count() == 2


def test_article_program_is_found_by_its_developer_name(admin_client):
    response = admin_client.get(admin_url(TherapyProgram, "changelist"), {"q": "Juventas Cell Therapy"})
    assert "cnct19" in {program.slug for program in response.context["cl"].result_list}


def test_article_program_change_page_shows_its_stage_from_the_articles(admin_client):
    cnct19 = TherapyProgram.objects.get(slug="cnct19")
    response = admin_client.get(admin_url(TherapyProgram, "change", cnct19.pk))
    assert '<div class="readonly">Phase 2</div>' in response.content.decode()


def test_article_company_cannot_be_deleted_while_it_develops_a_program(admin_client):
    juventas = Company.objects.get(slug="juventas")
    response = admin_client.post(admin_url(Company, "delete", juventas.pk), {"post": "yes"})
    assert "CNCT19" in str(response.context["protected"])
    assert Company.objects.filter(slug="juventas").exists()
