import pytest
from model_bakery import baker

from programs.models import TherapyProgram


@pytest.fixture
def make_program():
    def make(name, *, modality="til", **fields):
        return baker.make(TherapyProgram, name=name, modality=modality, **fields)

    return make


@pytest.fixture
def found():
    """The slugs of the programs ``TherapyProgram.objects.search(text)`` returns."""

    def search(text):
        return set(TherapyProgram.objects.search(text).values_list("slug", flat=True))

    return search
