"""The synthetic data set: sized as asked, marked as synthetic, removable without touching the articles' records."""

import pytest
from django.core.management import CommandError, call_command
from model_bakery import baker

from cgt_tracker import synthetic
from companies.models import Company, Institution
from programs.choices import Stage
from programs.models import Development, Milestone, TherapyProgram
from programs.tests.factories import make_program
from sources.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    """An article's source, cited by a program and its company: records the synthetic set must leave alone."""
    source = baker.make(Source, slug="an-article", title="An article")
    make_program("Article CAR-T", company=baker.make(Company, name="Article Bio", sources=[source]), sources=[source])
    return source


@pytest.fixture
def generated(article):
    call_command("synthetic_data", programs=40, companies=8, institutions=4, verbosity=0)


def article_counts():
    return {m: m.objects.exclude(sources__slug=synthetic.SOURCE_SLUG).count() for m in (TherapyProgram, Company)}


def test_it_creates_the_sizes_asked_for(generated):
    synthetic_programs = TherapyProgram.objects.filter(slug__startswith="syn-")
    assert synthetic_programs.count() == 40
    assert Company.objects.filter(slug__startswith="syn-").count() == 8
    assert Institution.objects.filter(slug__startswith="syn-").count() == 4
    assert Development.objects.filter(program__in=synthetic_programs).count() >= 40
    assert Milestone.objects.filter(program__in=synthetic_programs).count() == 40


def test_every_synthetic_record_cites_only_the_synthetic_source(generated):
    source = Source.objects.get(slug=synthetic.SOURCE_SLUG)
    assert "not from any article" in source.title
    for model in (TherapyProgram, Company, Institution, Development):
        rows = model.objects.filter(sources=source)
        assert rows.exists()
        assert not rows.exclude(sources=source).exists()
        assert not rows.filter(sources__slug__in=["an-article"]).exists()


def test_a_synthetic_program_stage_is_derived_from_its_developments(generated):
    for program in TherapyProgram.objects.filter(slug__startswith="syn-")[:10]:
        assert program.stage == Stage.most_advanced(
            program.developments.filter(status="active").values_list("stage", flat=True)
        )
        assert program.stage in Stage.values


def test_synthetic_programs_are_searchable(generated):
    program = TherapyProgram.objects.filter(slug__startswith="syn-", company__isnull=False).first()
    assert program in TherapyProgram.objects.search(program.company.name)


def test_remove_deletes_every_synthetic_record_and_nothing_else(generated):
    before = article_counts()
    call_command("synthetic_data", remove=True, verbosity=0)
    assert not TherapyProgram.objects.filter(slug__startswith="syn-").exists()
    assert not Company.objects.filter(slug__startswith="syn-").exists()
    assert not Source.objects.filter(slug=synthetic.SOURCE_SLUG).exists()
    assert article_counts() == before
    assert TherapyProgram.objects.filter(slug="article-car-t").exists()


def test_negative_sizes_are_refused():
    with pytest.raises(CommandError, match="zero or more"):
        call_command("synthetic_data", programs=-1, verbosity=0)


def test_every_synthetic_record_has_a_creation_entry_in_its_history(generated):
    programs = TherapyProgram.objects.filter(slug__startswith="syn-")
    assert TherapyProgram.history.filter(slug__startswith="syn-", history_type="+").count() == 40
    developments = Development.objects.filter(program__in=programs)
    assert Development.history.filter(id__in=developments.values("pk")).count() == developments.count()
    assert Milestone.history.filter(program_id__in=programs.values("pk")).count() == 40


def test_remove_deletes_the_synthetic_history_too(generated):
    program_ids = list(TherapyProgram.objects.filter(slug__startswith="syn-").values_list("pk", flat=True))
    call_command("synthetic_data", remove=True, verbosity=0)
    assert not TherapyProgram.history.filter(slug__startswith="syn-").exists()
    assert not Company.history.filter(slug__startswith="syn-").exists()
    assert not Development.history.filter(program_id__in=program_ids).exists()
