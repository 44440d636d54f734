"""Small factories for the tests of programs and of every app (never the article fixtures: their values change)."""

from datetime import date
from itertools import count

from model_bakery import baker

from companies.models import Collaboration, Company, Institution
from programs.models import Designation, Development, Indication, Milestone, ProgramPartner, Target, TherapyProgram
from sources.models import Source

_numbers = count(1)


def make_program(name=None, **fields):
    fields.setdefault("modality", "car_t")
    return baker.make(TherapyProgram, name=name or f"Test program {next(_numbers)}", **fields)


def make_indication(slug=None, **fields):
    slug = slug or f"test-indication-{next(_numbers)}"
    return baker.make(Indication, slug=slug, name=fields.pop("name", slug.replace("-", " ").title()), **fields)


def develop(program, stage, *, indication=None, country="China", **fields):
    return Development.objects.create(
        program=program, stage=stage, indication=indication or make_indication(), country=country, **fields
    )


def make_programs(count, *, company=None, modality="til", stage=None):
    """``count`` programs, each with one development at ``stage`` when given (without an indication)."""
    programs = baker.make(TherapyProgram, company=company, modality=modality, _quantity=count)
    if stage:
        for program in programs:
            baker.make(Development, program=program, stage=stage, indication=None)
    return programs


def make_full_program():
    """A program with one of everything a program page shows: "Probe-CAR", citing the "Probe article"."""
    source = baker.make(Source, title="Probe article")
    developer, originator = baker.make(Company, name="Probe Developer"), baker.make(Company, name="Probe Originator")
    hospital = baker.make(Institution, name="Probe Hospital", kind="hospital")
    program = baker.make(
        TherapyProgram,
        name="Probe-CAR",
        company=developer,
        originator=originator,
        modality="car_t",
        cell_source="allogeneic",
        targets=[baker.make(Target, symbol="PROBE1")],
        designations=[baker.make(Designation, code="btd", name="Breakthrough Therapy Designation")],
        sources=[source],
    )
    indication = baker.make(Indication, name="Probe disease", slug="probe-disease")
    baker.make(
        Development,
        program=program,
        indication=indication,
        stage="phase_1_2",
        pathway="investigator_initiated",
        country="China",
        status="active",
    )
    baker.make(
        Milestone, program=program, kind="ind_approved", date=date(2020, 6, 1), date_precision="month", source=source
    )
    baker.make(
        Milestone, program=program, kind="trial_started", date=date(2021, 1, 1), date_precision="year", source=source
    )
    baker.make(Milestone, program=program, kind="btd_granted", date=None, date_text="early this year", source=source)
    baker.make(Milestone, program=program, kind="nda_filed", date=None, source=source)
    baker.make(ProgramPartner, program=program, institution=hospital, role="Lead clinical site")
    baker.make(Collaboration, title="Probe alliance", kind="clinical_research", programs=[program], sources=[source])
    return program
