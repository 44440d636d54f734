"""The article-derived records: complete, cited, faithful to their sources, and loadable twice."""

import re

import pytest
from django.apps import apps
from django.core.management import call_command

from cgt_tracker.models import CitedModel, SluggedModel
from companies.models import Collaboration, Company, Institution
from evidence.models import Evidence
from evidence.text import quote_in_text
from policies.models import Indicator, PolicyDocument
from programs.models import Development, Milestone, ProgramPartner, TherapyProgram
from sources.models import Source

pytestmark = pytest.mark.django_db

SLUGGED_MODELS = [m for m in apps.get_models() if issubclass(m, SluggedModel)]
CITED_MODELS = [m for m in apps.get_models() if issubclass(m, CitedModel)]


def normalized(text):
    """Compare texts regardless of case, typographic quotes, ® marks and line breaks."""
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "®": ""}))
    return re.sub(r"\s+", " ", text).lower()


def cited_text(sources):
    return " ".join(normalized(source.text) for source in sources)


def test_every_seed_article_is_a_source_with_its_text():
    assert Source.objects.count() == 5
    for source in Source.objects.all():
        assert source.text and source.text == source.read_seed_text()
        assert normalized(source.title) in normalized(source.text)


@pytest.mark.parametrize("model", CITED_MODELS, ids=lambda m: m._meta.label)
def test_every_record_cites_at_least_one_source(model):
    assert model.objects.exists()
    assert not model.objects.filter(sources__isnull=True).exists()


@pytest.mark.parametrize("model", SLUGGED_MODELS, ids=lambda m: m._meta.label)
def test_every_record_is_named_in_a_source_it_cites(model):
    for record in model.objects.prefetch_related("sources"):
        text = cited_text(record.sources.all())
        assert any(normalized(name) in text for name in record.names), f"{record!r} is not named in its sources"


def test_every_development_is_reported_by_its_sources():
    for development in Development.objects.select_related("program", "indication").prefetch_related("sources"):
        text = cited_text(development.sources.all())
        assert any(normalized(name) in text for name in development.program.names)
        if development.indication:
            assert normalized(development.indication.name) in text


def test_every_milestone_is_reported_by_its_source():
    for milestone in Milestone.objects.select_related("program", "source", "authority"):
        text = cited_text([milestone.source])
        assert any(normalized(name) in text for name in milestone.program.names)
        if milestone.authority:
            assert any(normalized(name) in text for name in milestone.authority.names)


def test_program_targets_and_partners_appear_in_the_program_sources():
    for program in TherapyProgram.objects.prefetch_related("targets", "sources"):
        text = cited_text(program.sources.all())
        for target in program.targets.all():
            assert target.symbol.lower() in text
    for partner in ProgramPartner.objects.select_related("program", "institution"):
        text = cited_text(partner.program.sources.all())
        assert any(normalized(name) in text for name in partner.institution.names)


def test_every_indicator_quotes_its_source_verbatim():
    for indicator in Indicator.objects.prefetch_related("evidence__source"):
        assert indicator.evidence.exists(), indicator
        for item in indicator.evidence.all():
            assert quote_in_text(item.quote, item.source.text), item


def test_every_quote_of_the_fixtures_is_in_its_source():
    for item in Evidence.objects.select_related("source"):
        assert quote_in_text(item.quote, item.source.text), f"{item.record}: {item}"


def test_collaboration_parties_are_named_in_its_sources():
    for collaboration in Collaboration.objects.with_related():
        text = cited_text(collaboration.sources.all())
        for party in [*collaboration.companies.all(), *collaboration.institutions.all(), *collaboration.programs.all()]:
            assert any(normalized(name) in text for name in party.names), f"{party} not in {collaboration}"


def test_a_program_whose_developer_is_not_named_has_no_company():
    unnamed = TherapyProgram.objects.filter(
        slug__in=["gprc5d-car-t-first", "gprc5d-car-t-second", "gprc5d-universal-nk"]
    )
    assert unnamed.count() == 3
    assert not unnamed.filter(company__isnull=False).exists()


def test_loading_twice_creates_no_duplicates():
    models = [*CITED_MODELS, *apps.get_app_config("programs").get_models()]
    before = {m._meta.label: m.objects.count() for m in models}
    call_command("load_articles", verbosity=0)
    after = {m._meta.label: m.objects.count() for m in models}
    assert after == before


def test_reloading_keeps_when_a_record_was_created():
    created = Company.objects.get(slug="juventas").created
    call_command("load_articles", verbosity=0)
    assert Company.objects.get(slug="juventas").created == created


# The examples the foundation issue names.
def test_cnct19_is_a_phase_2_car_t_program_of_juventas_with_btd():
    cnct19 = TherapyProgram.objects.get(slug="cnct19")
    assert (cnct19.company.slug, cnct19.modality, cnct19.stage) == ("juventas", "car_t", "phase_2")
    assert list(cnct19.designations.values_list("code", flat=True)) == ["btd"]


def test_yescarta_by_fosun_kite_is_approved():
    yescarta = TherapyProgram.objects.get(slug="yescarta")
    assert (yescarta.company.name, yescarta.stage) == ("Fosun Kite", "approved")


def test_the_shanghai_gene_therapy_action_plan_is_a_policy_document():
    plan = PolicyDocument.objects.get(slug="shanghai-gene-therapy-action-plan-2023-2025")
    assert (plan.kind, plan.region, plan.period_start, plan.period_end) == ("action_plan", "Shanghai", 2023, 2025)


def test_the_juventas_institute_of_hematology_agreement_is_a_collaboration():
    agreement = Collaboration.objects.get(slug="juventas-institute-of-hematology-agreement")
    assert list(agreement.companies.values_list("slug", flat=True)) == ["juventas"]
    assert list(agreement.institutions.values_list("slug", flat=True)) == ["institute-of-hematology-cams"]
    assert agreement.started_display == "June 21, 2021"


@pytest.mark.parametrize(
    ("model", "count"),
    [(Company, 11), (Institution, 30), (TherapyProgram, 10), (Collaboration, 7), (PolicyDocument, 9)],
)
def test_every_entity_the_articles_name_is_loaded(model, count):
    assert model.objects.count() == count


@pytest.mark.parametrize("model", CITED_MODELS, ids=lambda m: m._meta.label)
def test_every_loaded_record_starts_its_change_history(model):
    for record in model.objects.all():
        assert record.history.exists()


@pytest.mark.parametrize("slug", [
    "juventas-joins-hands-2021", "pudong-cell-therapy-2023", "zhangjiang-cell-industry-fast-track",
    "beike-lecture-shenzhen-childrens-hospital", "beijing-cgt-new-momentum-2024"])  # fmt: skip
def test_every_article_record_citing_a_source_is_among_its_mentions(client, slug):
    source = Source.objects.get(slug=slug)
    mentions = client.get(f"/api/sources/{slug}/mentions/").json()
    assert all(source.text[m["start"] : m["end"]] == m["text"] for m in mentions)
    found = {(m["kind"], m["slug"]) for m in mentions}
    citing = [
        *(("program", slug) for slug in source.programs_therapyprogram_set.values_list("slug", flat=True)),
        *(("company", slug) for slug in source.companies_company_set.values_list("slug", flat=True)),
        *(("institution", slug) for slug in source.companies_institution_set.values_list("slug", flat=True)),
    ]
    assert [record for record in citing if record not in found] == []
