"""The articles' programs as /api/programs/ gives them: the filters' acceptance examples, on the article data."""

import pytest

from programs.models import TherapyProgram

pytestmark = pytest.mark.django_db

PROGRAMS = "/api/programs/"


def slugs(response):
    assert response.status_code == 200, response.content
    return {row["slug"] for row in response.data["results"]}


def test_phase_2_with_modality_not_stated_is_juventas_cnct19(api):
    response = api.get(PROGRAMS, {"stage": "phase_2", "modality": "not_stated"})

    assert slugs(response) == {"cnct19"}
    assert response.data["results"][0]["company"]["slug"] == "juventas"


def test_target_cd19_gives_exactly_the_cd19_programs(api):
    cd19_programs = set(TherapyProgram.objects.filter(targets__symbol="CD19").values_list("slug", flat=True))

    assert slugs(api.get(PROGRAMS, {"target": "CD19"})) == cd19_programs == {"hrain-cd19-cd22-car-t"}


def test_stage_min_nda_filed_gives_only_filed_or_approved_programs(api):
    response = api.get(PROGRAMS, {"stage_min": "nda_filed"})

    assert {row["stage"] for row in response.data["results"]} == {"approved"}
    assert (
        slugs(response)
        == {"yescarta"}
        == set(TherapyProgram.objects.filter(stage__in=["nda_filed", "approved"]).values_list("slug", flat=True))
    )
