"""Company, institution and collaboration pages: what each lists of the records around it."""

import pytest
from model_bakery import baker

from cgt_tracker.tests.page_helpers import page, row_names, text
from companies.models import Collaboration, Company, Institution
from policies.models import PolicyDocument
from programs.tests.factories import make_full_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_program():
    return make_full_program()


def test_a_company_page_lists_its_programs_originated_programs_and_collaborations(client, full_program):
    developer = page(client, full_program.company.get_absolute_url())
    originator = page(client, full_program.originator.get_absolute_url())
    assert row_names(developer) == ["Probe-CAR"]
    assert "Programs it originated" not in text(developer)
    assert "No program recorded. Programs it originated" in text(originator)
    assert row_names(originator) == ["Probe-CAR"]
    baker.make(Collaboration, title="Probe developer agreement", kind="other", companies=[full_program.company])
    assert "Probe developer agreement" in text(page(client, full_program.company.get_absolute_url()))


def test_an_institution_page_lists_programs_units_collaborations_and_policies(client, full_program):
    hospital = Institution.objects.get(name="Probe Hospital")
    baker.make(Institution, name="Probe Ward", kind="hospital", parent=hospital)
    baker.make(Collaboration, title="Probe hospital alliance", kind="platform", institutions=[hospital])
    baker.make(PolicyDocument, title="Probe hospital rules", kind="industry_guideline", region="China", issuer=hospital)
    shown = text(page(client, hospital.get_absolute_url()))
    assert "Programs it partners Probe-CAR — Lead clinical site" in shown
    assert "Includes Probe Ward" in shown
    assert "Probe hospital alliance" in shown
    assert "Policies issued Probe hospital rules" in shown


def test_a_collaboration_page_names_its_parties(client):
    collaboration = baker.make(
        Collaboration,
        title="Probe agreement",
        kind="strategic_cooperation",
        companies=[baker.make(Company, name="Probe Cell Therapy Ltd.")],
        institutions=[baker.make(Institution, name="Institute of Probe Hematology", kind="research_institute")],
    )
    shown = text(page(client, collaboration.get_absolute_url()))
    assert "Companies Probe Cell Therapy Ltd." in shown
    assert "Institutions Institute of Probe Hematology" in shown


@pytest.mark.parametrize("ordering", [None, "title", "-started_on"])
def test_list_pages_show_tied_collaborations_once_each_in_id_order(client, ordering):
    """Records sharing the ordering value are ordered by id (in the direction of the ordering), so no page
    repeats or skips one of them."""
    tied = [baker.make(Collaboration, title="Same", kind="other", started_on="2022-05-01") for _ in range(30)]
    for collaboration in reversed(tied):  # PostgreSQL then stores the rows in reverse order of their ids
        collaboration.save()
    query = f"&ordering={ordering}" if ordering else ""
    shown = [page(client, f"/collaborations/?page={n}{query}").context["object_list"] for n in (1, 2)]

    in_id_order = [record.pk for record in tied]
    expected = in_id_order[::-1] if ordering and ordering.startswith("-") else in_id_order
    assert [record.pk for records in shown for record in records] == expected
