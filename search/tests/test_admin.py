"""Staff find programs in the admin with the same search as the API and the pages."""

import pytest
from django.urls import reverse
from model_bakery import baker

from programs.models import TherapyProgram

pytestmark = pytest.mark.django_db


def test_the_admin_program_list_uses_the_program_search(admin_client):
    program = baker.make(TherapyProgram, name="Relma-cel", name_zh="瑞基奥仑赛注射液", modality="car_t")
    baker.make(TherapyProgram, name="Quokka NK", modality="nk")
    response = admin_client.get(reverse("admin:programs_therapyprogram_changelist"), {"q": "奥仑"})
    assert list(response.context["cl"].result_list) == [program]


def test_program_autocompletes_use_the_program_search(admin_client):
    program = baker.make(TherapyProgram, name="Relma-cel", name_zh="瑞基奥仑赛注射液", modality="car_t")
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "基奥仑赛", "app_label": "companies", "model_name": "collaboration", "field_name": "programs"},
    )
    assert [row["id"] for row in response.json()["results"]] == [str(program.pk)]
