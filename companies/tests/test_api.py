"""/api/companies/: a company is kept while programs name it (the editor, allowed to delete: conftest)."""

import pytest
from model_bakery import baker

from companies.models import Company
from programs.models import TherapyProgram
from programs.tests.factories import make_program

pytestmark = pytest.mark.django_db


def test_company_with_programs_cannot_be_deleted(api, editor):
    make_program("Zeta CAR-T", company=baker.make(Company, name="Zeta Bio"))
    programs_before = TherapyProgram.objects.count()

    response = api.delete("/api/companies/zeta-bio/")

    assert response.status_code == 409
    assert "Zeta CAR-T" in response.data["detail"]
    assert Company.objects.filter(slug="zeta-bio").exists()
    assert TherapyProgram.objects.count() == programs_before


def test_refusal_names_a_few_of_many_blockers(api, editor):
    company = baker.make(Company, name="Zeta Bio")
    for n in range(7):
        make_program(f"Zeta {n}", company=company)

    response = api.delete("/api/companies/zeta-bio/")

    assert "Zeta 0, Zeta 1, Zeta 2, Zeta 3, Zeta 4 and 2 more" in response.data["detail"]
