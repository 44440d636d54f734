"""Small factories for the programs app's tests (never the article fixtures: their values change)."""

from itertools import count

from model_bakery import baker

from programs.models import Development, Indication, TherapyProgram

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
