"""Spreadsheet import and export: slugs for relations, a dry run, all or nothing, history, inert formulas."""

import pytest
import tablib
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from model_bakery import baker

from companies.models import Company
from companies.resources import CompanyResource
from programs.models import Development, Indication, TherapyProgram
from programs.resources import DevelopmentResource, TherapyProgramResource
from sources.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    return baker.make(Source, slug="probe-news", title="Probe news")


@pytest.fixture
def company(source):
    company = baker.make(Company, name="Probe Therapeutics", slug="probe-therapeutics")
    company.sources.add(source)
    return company


def company_rows(*rows):
    return tablib.Dataset(*rows, headers=["slug", "name", "kind", "city", "parent", "sources", "aliases"])


def test_an_import_creates_records_with_relations_by_slug(source, company):
    dataset = company_rows(
        ["probe-sub", "Probe Sub", "biotech", "Suzhou", "probe-therapeutics", "probe-news", "PS;Sub"]
    )
    result = CompanyResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    sub = Company.objects.get(slug="probe-sub")
    assert (sub.parent, list(sub.sources.all()), sub.aliases) == (company, [source], ["PS", "Sub"])


def test_a_dry_run_previews_each_row_and_writes_nothing(source, company):
    dataset = company_rows(
        ["probe-therapeutics", "Probe Therapeutics", "biotech", "Shanghai", "", "probe-news", ""],
        ["probe-new", "Probe New", "biotech", "", "", "probe-news", ""],
    )
    result = CompanyResource().import_data(dataset, dry_run=True)
    assert [row.import_type for row in result.rows] == ["update", "new"]
    assert not Company.objects.filter(slug="probe-new").exists()
    company.refresh_from_db()
    assert company.city == ""


def test_an_unknown_slug_names_its_row_column_and_value_and_nothing_is_written(source, company):
    dataset = company_rows(
        ["probe-ok", "Probe OK", "biotech", "", "", "probe-news", ""],
        ["probe-bad", "Probe Bad", "biotech", "", "no-such-parent", "probe-news", ""],
    )
    result = CompanyResource().import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    [invalid] = result.invalid_rows
    assert invalid.number == 2
    assert "no-such-parent" in invalid.error_dict["parent"][0]
    assert not Company.objects.filter(slug__in=["probe-ok", "probe-bad"]).exists()


def test_an_unknown_source_in_a_list_is_refused(source, company):
    dataset = company_rows(["probe-x", "Probe X", "biotech", "", "", "probe-news;ghost-news", ""])
    result = CompanyResource().import_data(dataset, dry_run=False)
    [(line, [error])] = result.row_errors()
    assert line == 1 and "There is no source with slug “ghost-news”" in str(error.error)
    assert not Company.objects.filter(slug="probe-x").exists()


def test_a_bad_choice_is_refused_and_the_import_rolled_back(source, company):
    dataset = company_rows(
        ["probe-ok", "Probe OK", "biotech", "", "", "probe-news", ""],
        ["probe-bad", "Probe Bad", "not-a-kind", "", "", "probe-news", ""],
    )
    result = CompanyResource().import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    assert "kind" in result.invalid_rows[0].error_dict
    assert not Company.objects.filter(slug="probe-ok").exists()


def test_exported_formulas_are_inert_and_a_round_trip_changes_nothing(source, company):
    company.description = '=HYPERLINK("http://evil")'
    company.city = "-Suzhou"
    company.save()
    exported = CompanyResource().export(queryset=Company.objects.filter(pk=company.pk))
    row = exported.dict[0]
    assert row["description"].startswith("'=") and row["city"] == "'-Suzhou"
    history_before = company.history.count()
    result = CompanyResource().import_data(exported, dry_run=False)
    assert [r.import_type for r in result.rows] == ["skip"]
    company.refresh_from_db()
    assert (company.description, company.city) == ('=HYPERLINK("http://evil")', "-Suzhou")
    assert company.history.count() == history_before


def test_an_imported_change_is_in_the_history_with_the_importing_user(source, company):
    user = User.objects.create_user("importer", is_staff=True)
    dataset = company_rows(["probe-therapeutics", "Probe Therapeutics", "biotech", "Suzhou", "", "probe-news", ""])
    CompanyResource().import_data(dataset, dry_run=False, user=user)
    latest = company.history.first()
    assert (latest.city, latest.history_user) == ("Suzhou", user)


def test_the_derived_stage_is_exported_but_not_imported(source, company):
    program = baker.make(TherapyProgram, name="Probe CAR-T", slug="probe-car-t", modality="car_t", company=company)
    program.sources.add(source)
    exported = TherapyProgramResource().export(queryset=TherapyProgram.objects.filter(pk=program.pk))
    assert "stage" in exported.headers
    row = exported.dict[0] | {"stage": "approved"}
    dataset = tablib.Dataset(list(row.values()), headers=list(row))
    result = TherapyProgramResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    program.refresh_from_db()
    assert program.stage is None


def test_importing_a_development_sets_the_program_stage(source, company):
    program = baker.make(TherapyProgram, name="Probe CAR-T", slug="probe-car-t", modality="car_t")
    baker.make(Indication, slug="probe-lymphoma", name="Probe lymphoma")
    dataset = tablib.Dataset(
        ["probe-car-t", "probe-lymphoma", "China", "phase_2", "registration", "active", "probe-news"],
        headers=["program", "indication", "country", "stage", "pathway", "status", "sources"],
    )
    result = DevelopmentResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows
    assert Development.objects.get(program=program).stage == "phase_2"
    program.refresh_from_db()
    assert program.stage == "phase_2"


def test_xlsx_round_trips_chinese_text(source, company):
    company.name_zh = "探针治疗"
    company.save()
    resource = CompanyResource()
    data = resource.export(queryset=Company.objects.filter(pk=company.pk)).export("xlsx")
    dataset = tablib.Dataset().load(data, format="xlsx")
    assert dataset.dict[0]["name_zh"] == "探针治疗"


@pytest.mark.parametrize("model", ["therapyprogram", "company"])
@pytest.mark.parametrize("page", ["import", "export"])
def test_staff_reach_the_import_and_export_pages(admin_client, model, page):
    app = "programs" if model == "therapyprogram" else "companies"
    assert admin_client.get(reverse(f"admin:{app}_{model}_{page}")).status_code == 200


def test_the_admin_dry_run_shows_the_preview_and_a_bad_row_its_error(admin_client, source, company):
    csv = "slug,name,kind,parent,sources\nprobe-y,Probe Y,biotech,ghost-parent,probe-news\n"
    upload = SimpleUploadedFile("companies.csv", csv.encode(), content_type="text/csv")
    response = admin_client.post(
        reverse("admin:companies_company_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "ghost-parent" in html
    assert not Company.objects.filter(slug="probe-y").exists()
