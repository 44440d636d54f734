"""Companies and institutions: names and slugs unique, and kept while records depend on them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from model_bakery import baker

from companies.models import Company, Institution
from programs.models import Milestone
from programs.tests.factories import make_program
from sources.models import Source

pytestmark = pytest.mark.django_db


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


def test_a_company_with_programs_cannot_be_deleted():
    program = make_program("Test CAR-T")
    company = Company.objects.create(name="Owner")
    program.company = company
    program.save()
    with pytest.raises(ProtectedError):
        company.delete()
    assert Company.objects.filter(pk=company.pk).exists()


def test_an_institution_with_milestones_cannot_be_deleted():
    authority = Institution.objects.create(name="Regulator", kind="regulator")
    program, source = make_program(), baker.make(Source)
    Milestone.objects.create(program=program, kind="ind_approved", authority=authority, source=source)
    with pytest.raises(ProtectedError):
        authority.delete()
