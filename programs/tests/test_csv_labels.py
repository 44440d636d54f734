"""CSV keeps its codes and column names, with a label column beside each coded one."""

import csv
import io

import pytest
from model_bakery import baker
from rest_framework.test import APIClient

from programs.models import Development, TherapyProgram

pytestmark = pytest.mark.django_db


def rows(url, **params):
    response = APIClient().get(url, {"format": "csv", **params})
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_each_coded_program_column_is_followed_by_its_label():
    program = baker.make(TherapyProgram, name="Csvlabel Probe", modality="tcr_t", cell_source="autologous")
    Development.objects.create(program=program, stage="phase_2")

    [row] = rows("/api/programs/", search="Csvlabel")

    assert (row["stage"], row["stage_label"]) == ("phase_2", "Phase 2")
    assert (row["modality"], row["modality_label"]) == ("tcr_t", "TCR-T")
    assert (row["cell_source"], row["cell_source_label"]) == ("autologous", "Autologous")


def test_label_columns_sit_beside_their_codes_and_other_columns_keep_their_names():
    response = APIClient().get("/api/programs/", {"format": "csv"})
    header = next(csv.reader(io.StringIO(next(iter(response.streaming_content)).decode())))

    assert header[header.index("stage") + 1] == "stage_label"
    assert header[header.index("modality") + 1] == "modality_label"
    assert [column for column in header if not column.endswith("_label")][:5] == [
        "slug",
        "name",
        "name_zh",
        "aliases",
        "stage",
    ]


def test_an_empty_code_has_an_empty_label():
    baker.make(TherapyProgram, name="Csvlabel Stageless", modality="nk")

    [row] = rows("/api/programs/", search="Stageless")

    assert row["stage"] == ""
    assert row["stage_label"] == ""
