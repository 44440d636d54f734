import pytest

from cgt_tracker import synthetic
from programs.models import TherapyProgram
from search.documents import refresh_all

pytestmark = pytest.mark.django_db


def test_synthetic_programs_get_the_search_text_every_write_path_builds():
    synthetic.generate(programs=30, companies=5, institutions=2, progress=False)
    before = dict(TherapyProgram.objects.filter(slug__startswith="syn-").values_list("pk", "search_document"))
    refresh_all()
    assert dict(TherapyProgram.objects.filter(slug__startswith="syn-").values_list("pk", "search_document")) == before
    assert all(before.values())
