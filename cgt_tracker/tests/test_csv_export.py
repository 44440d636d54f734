import csv
import io

import pytest
from model_bakery import baker
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_a_cell_that_would_run_as_a_spreadsheet_formula_is_exported_as_text():
    baker.make("companies.Company", name='=HYPERLINK("http://evil.example","x")', slug="evil", city="@SUM(1)")

    response = APIClient().get("/api/companies/", {"format": "csv", "search": "evil.example"})

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(row["name"], row["city"]) for row in rows] == [('\'=HYPERLINK("http://evil.example","x")', "'@SUM(1)")]
