"""/api/companies/: a company is kept while programs name it (the editor, allowed to delete: conftest)."""

from datetime import date

import pytest
from model_bakery import baker

from companies.models import Collaboration, Company
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


@pytest.mark.parametrize("ordering", ["started_on", "-started_on"])
def test_a_collaboration_without_a_start_date_comes_last_whichever_the_direction(api, ordering):
    """On SQLite as on PostgreSQL (which sort a missing value first in opposite directions)."""
    baker.make(Collaboration, title="Undated", slug="undated", started_on=None)
    baker.make(Collaboration, title="Early", slug="early", started_on=date(2020, 1, 1))
    baker.make(Collaboration, title="Late", slug="late", started_on=date(2023, 1, 1))

    listed = [item["slug"] for item in api.get("/api/collaborations/", {"ordering": ordering}).json()["results"]]

    assert listed == (["early", "late"] if ordering == "started_on" else ["late", "early"]) + ["undated"]


@pytest.mark.parametrize("ordering", ["started_on", "-started_on"])
def test_a_cursor_walk_keeps_undated_collaborations_last(api, ordering):
    for number in range(5):
        started = None if number in (1, 3) else date(2020 + number, 1, 1)
        baker.make(Collaboration, title=f"C{number}", slug=f"c{number}", started_on=started)
    slugs, url = [], f"/api/collaborations/?ordering={ordering}&page_size=2&cursor="
    while url:
        page = api.get(url).json()
        slugs += [item["slug"] for item in page["results"]]
        url = page["next"]

    assert slugs == [item["slug"] for item in api.get(f"/api/collaborations/?ordering={ordering}").json()["results"]]
    assert slugs[-2:] == (["c1", "c3"] if ordering == "started_on" else ["c3", "c1"])  # undated, tied: by id
