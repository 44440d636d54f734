"""Records of every kind, made with model-bakery, for the tests of what every resource and page does."""

from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from model_bakery import baker

from companies.models import Collaboration, Company, Institution
from evidence.models import Evidence
from policies.models import Indicator, PolicyDocument, PolicyLink
from programs.models import Designation, Development, Indication, Milestone, ProgramPartner, Target, TherapyProgram
from sources.models import Source

AT = datetime(2024, 3, 5, 6, 7, 8, 123456).astimezone()


@pytest.fixture
def full_records():
    """One record of every kind with every field filled and every nested list non-empty."""
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
    collaboration = baker.make(
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
    policy = baker.make(
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
    indicator = baker.make(
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
    link = baker.make(PolicyLink, policy=policy, relation="funds", program=program, note="n", sources=[source])
    for record in [
        program,
        company,
        hospital,
        *program.developments.all(),
        *program.milestones.all(),
        collaboration,
        policy,
        indicator,
        link,
    ]:
        baker.make(Evidence, record=record, source=source, quote="Full text with a quote.", field="")
    baker.make(Evidence, record=program, source=source, quote="Full text names the stage.", field="stage")
    return SimpleNamespace(
        source=source,
        parent=parent,
        company=company,
        hospital=hospital,
        target=target,
        designation=designation,
        indication=indication,
        program=program,
        collaboration=collaboration,
        policy=policy,
        indicator=indicator,
        link=link,
    )


@pytest.fixture
def records(full_records):
    """Beside the full records, bare ones: every resource lists several records, some with empty dates."""
    source = full_records.source
    programs = baker.make(TherapyProgram, modality="car_t", sources=[source], _quantity=3)
    for program in programs:
        baker.make(Development, program=program, stage="phase_1", sources=[source])
        baker.make(Milestone, program=program, kind="ind_filed", source=source)
    companies = baker.make(Company, sources=[source], _quantity=3)
    baker.make(Institution, kind="hospital", sources=[source], _quantity=3)
    baker.make(Collaboration, kind="event", sources=[source], _quantity=3)
    policies = baker.make(PolicyDocument, kind="action_plan", sources=[source], _quantity=3)
    baker.make(Indicator, value=1, sources=[source], _quantity=3)
    for policy, company in zip(policies, companies, strict=True):
        baker.make(PolicyLink, policy=policy, company=company, sources=[source])
    baker.make(Source, _quantity=3)
    baker.make(Target, _quantity=3)
    baker.make(Indication, _quantity=3)
    baker.make(Designation, _quantity=3)
    return full_records
