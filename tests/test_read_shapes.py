"""Read shapes: every resource's list and detail JSON is what the DRF serializers (the write side, and
the contract before reads were rebuilt) make of the same record, with the keys the API schema documents."""

import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from model_bakery import baker
from rest_framework.authtoken.models import Token
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from cgt_tracker.api.urls import router
from companies.models import Collaboration, Company, Institution
from evidence.models import Evidence
from policies.models import Indicator, PolicyDocument
from programs.models import Designation, Development, Indication, Milestone, ProgramPartner, Target, TherapyProgram
from sources.models import Source

pytestmark = pytest.mark.django_db

RESOURCES = [pytest.param(prefix, viewset, id=prefix) for prefix, viewset, _ in router.registry]
AT = datetime(2024, 3, 5, 6, 7, 8, 123456).astimezone()


@pytest.fixture
def full_records():
    """One record of every kind with every field filled and every nested list non-empty (beside the articles')."""
    source = baker.make(
        Source,
        slug="full-source",
        title="Full source\u2028with a line separator",
        publisher="P",
        published_on=date(2021, 6, 1),
        published_on_precision="month",
        url="https://example.org/a",
        text="Full text with a quote. Full text names the stage.",
    )
    parent = baker.make(Company, name="Full Parent", slug="full-parent", aliases=["FP"], sources=[source])
    company = baker.make(
        Company,
        name="Full Co",
        slug="full-co",
        name_zh="全公司",
        aliases=["FC", "Full"],
        kind="biotech",
        city="Shanghai",
        province="Shanghai",
        country="China",
        parent=parent,
        description="d",
        listing="Nasdaq",
        website="https://example.org",
        sources=[source],
    )
    hospital = baker.make(
        Institution,
        name="Full Hospital",
        slug="full-hospital",
        aliases=["FH"],
        kind="hospital",
        city="Beijing",
        country="China",
        parent=baker.make(Institution, name="Full Ministry", slug="full-ministry", kind="government"),
        sources=[source],
    )
    target = baker.make(Target, symbol="FULL1", name="Full target")
    designation = baker.make(Designation, code="full-btd", name="Full designation")
    indication = baker.make(
        Indication, slug="full-ind", name="Full indication", abbreviation="FI", therapeutic_area="x"
    )
    program = baker.make(
        TherapyProgram,
        name="Full Program",
        slug="full-program",
        name_zh="全项目",
        aliases=["FPG"],
        modality="car_t",
        cell_source="autologous",
        company=company,
        originator=parent,
        description="Full description",
        targets=[target],
        designations=[designation],
        sources=[source],
        created=AT,
    )
    baker.make(
        Development,
        program=program,
        indication=indication,
        stage="phase_2",
        pathway="registration",
        country="China",
        as_of=date(2022, 1, 1),
        as_of_precision="year",
        trial_ids=["NCT0001"],
        acceptance_no="CXSL001",
        sources=[source],
    )
    baker.make(Development, program=program, indication=None, stage="phase_1", country="US")
    baker.make(
        Milestone,
        program=program,
        kind="ind_approved",
        date=date(2020, 6, 1),
        date_precision="month",
        date_text="June 2020",
        authority=hospital,
        description="IND",
        source=source,
    )
    baker.make(Milestone, program=program, kind="trial_started", date=None, date_text="early", source=source)
    baker.make(ProgramPartner, program=program, institution=hospital, role="site")
    baker.make(
        Collaboration,
        slug="full-collab",
        title="Full collaboration",
        aliases=["FCo"],
        kind="clinical_research",
        started_on=date(2021, 7, 2),
        location="Shanghai",
        companies=[company],
        institutions=[hospital],
        programs=[program],
        description="d",
        sources=[source],
    )
    baker.make(
        PolicyDocument,
        slug="full-policy",
        title="Full policy",
        title_zh="全政策",
        aliases=["FPo"],
        kind="action_plan",
        issuer=hospital,
        level="municipal",
        region="Shanghai",
        period_start=2021,
        period_end=2025,
        published_on=date(2021, 1, 1),
        published_on_precision="year",
        focus="cell_therapy",
        summary="s",
        goals=["g1", "g2"],
        sources=[source],
    )
    baker.make(
        Indicator,
        region="Full region",
        metric="companies",
        value=Decimal("30.5"),
        unit="companies",
        qualifier="more_than",
        as_of=date(2022, 5, 1),
        as_of_precision="month",
        as_of_text="May 2022",
        sources=[source],
    )
    for record in [program, company, hospital, *program.developments.all(), *program.milestones.all()] + [
        model.objects.get(pk=pk) for model, pk in created_records()
    ]:
        baker.make(Evidence, record=record, source=source, quote="Full text with a quote.", field="")
    baker.make(Evidence, record=program, source=source, quote="Full text names the stage.", field="stage")


def created_records():
    return [
        (Collaboration, Collaboration.objects.get(slug="full-collab").pk),
        (PolicyDocument, PolicyDocument.objects.get(slug="full-policy").pk),
        (Indicator, Indicator.objects.get(region="Full region").pk),
    ]


def serialized(viewset, obj, params=None):
    """What the resource's DRF serializer makes of ``obj``: the JSON as it was before reads were rebuilt."""
    request = Request(APIRequestFactory().get("/", params or {}))
    data = viewset.serializer_class(obj, context={"request": request}).data
    return json.loads(JSONRenderer().render(data))


def everything(viewset):
    model = viewset.queryset.model
    return {getattr(obj, viewset.shape.lookup): obj for obj in viewset.queryset.all()}, model


def documented_keys(schema, prefix):
    components = schema["components"]["schemas"]

    def component(ref):
        return components[ref.rsplit("/", 1)[1]]

    page = component(
        schema["paths"][f"/api/{prefix}/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    )
    full, _sparse = page["properties"]["results"]["items"]["anyOf"]  # the record, or only the `fields` asked for
    return set(component(full["$ref"])["properties"])


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return APIClient().get("/api/schema/", {"format": "json"}).json()


@pytest.mark.parametrize("prefix, viewset", RESOURCES)
def test_every_listed_record_is_what_the_serializer_makes_of_it(full_records, prefix, viewset):
    records, model = everything(viewset)
    listed = APIClient().get(reverse(f"api:{model._meta.model_name}-list"), {"page_size": 500}).json()["results"]

    assert len(listed) == len(records) > 0
    for item in listed:
        key = item["url"].rstrip("/").rsplit("/", 1)[1]
        assert item == serialized(viewset, records[type(next(iter(records)))(key)])


@pytest.mark.parametrize("prefix, viewset", RESOURCES)
def test_every_detail_is_what_the_serializer_makes_of_it(full_records, prefix, viewset):
    records, model = everything(viewset)
    api = APIClient()
    for key, obj in records.items():
        url = reverse(f"api:{model._meta.model_name}-detail", kwargs={viewset.lookup_field: key})
        assert api.get(url).json() == serialized(viewset, obj)


@pytest.mark.parametrize("prefix, viewset", RESOURCES)
def test_records_have_exactly_the_documented_keys(full_records, schema, prefix, viewset):
    listed = APIClient().get(f"/api/{prefix}/").json()["results"]

    assert {frozenset(item) for item in listed} == {frozenset(documented_keys(schema, prefix))}


def test_links_keep_the_format_parameter_as_drf_does(full_records):
    viewset = {prefix: vs for prefix, vs, _ in router.registry}["programs"]
    program = TherapyProgram.objects.get(slug="full-program")

    detail = APIClient().get("/api/programs/full-program/", {"format": "json"}).json()

    assert detail == serialized(viewset, program, {"format": "json"})
    assert detail["developments"][0]["url"].endswith("/?format=json")


def test_only_staff_read_an_articles_text(full_records, django_user_model):
    staff = APIClient()
    token = Token.objects.create(user=django_user_model.objects.create_user("editor", is_staff=True))
    staff.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    assert "text" not in APIClient().get("/api/sources/full-source/").json()
    assert staff.get("/api/sources/full-source/").json()["text"].startswith("Full text")
    assert APIClient().get("/api/sources/", {"fields": "slug,text"}).status_code == 400


def test_json_escapes_line_separators_as_drf_did(full_records):
    body = APIClient().get("/api/sources/full-source/").content

    assert b"\\u2028" in body and "\u2028".encode() not in body
