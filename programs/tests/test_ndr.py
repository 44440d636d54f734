"""“No development reported”: nothing about a program dated within NDR_MONTHS of the reference date."""

import csv
import io
from datetime import date

import pytest
from model_bakery import baker
from rest_framework.test import APIClient

from programs.models import Milestone, TherapyProgram
from programs.ndr import cutoff, months_before, reference_date
from sources.models import Source

from .factories import develop, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def ndr_in_detail(api, program):
    response = api.get(f"/api/programs/{program.slug}/")
    assert response.status_code == 200, response.content
    return response.json()["ndr"]


def ndr_in_csv(api, program):
    """As a CSV export computes it: for every program at once, in the export's own query."""
    response = api.get("/api/programs/", {"format": "csv"})
    rows = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    return {"True": True, "False": False}[next(row["ndr"] for row in rows if row["slug"] == program.slug)]


@pytest.fixture(params=[ndr_in_detail, ndr_in_csv], ids=["detail", "csv"])
def ndr_of(request):
    """A program's ``ndr`` as the API reads it: a page's programs are asked one by one, an export's all at once."""
    return request.param


@pytest.fixture
def newest_source():
    """The data set's "as of" date: 2030-06-15 (newer than any article), so the cutoff is 2028-06-15."""
    return baker.make(Source, slug="ndr-newest", title="Newest", published_on=date(2030, 6, 15))


def test_the_reference_is_the_newest_source_and_the_cutoff_24_months_before(newest_source):
    assert reference_date() == date(2030, 6, 15)
    assert cutoff() == date(2028, 6, 15)


def test_the_reference_can_be_today(settings, newest_source):
    settings.NDR_REFERENCE = "today"
    assert reference_date() == date.today()


def test_the_months_come_from_the_setting(settings, newest_source):
    settings.NDR_MONTHS = 6
    assert cutoff() == date(2029, 12, 15)


def test_months_before_keeps_to_the_end_of_a_shorter_month():
    assert months_before(date(2030, 3, 31), 1) == date(2030, 2, 28)


def test_a_recent_development_is_a_report(api, ndr_of, newest_source):
    program = make_program()
    develop(program, "phase_1", as_of=date(2029, 1, 1))
    assert ndr_of(api, program) is False


def test_an_old_development_alone_leaves_the_program_ndr(api, ndr_of, newest_source):
    program = make_program()
    develop(program, "phase_1", as_of=date(2020, 1, 1))
    assert ndr_of(api, program) is True


def test_an_undated_development_counts_at_its_source_date(api, ndr_of, newest_source):
    program = make_program()
    develop(program, "phase_1").sources.add(newest_source)
    assert ndr_of(api, program) is False


def test_an_undated_milestone_counts_at_its_source_date(api, ndr_of, newest_source):
    program = make_program()
    Milestone.objects.create(program=program, kind="trial_started", source=newest_source)
    assert ndr_of(api, program) is False


def test_a_recent_source_citing_the_program_is_a_report(api, ndr_of, newest_source):
    program = make_program()
    program.sources.add(newest_source)
    assert ndr_of(api, program) is False


def test_a_program_with_nothing_dated_is_ndr(api, ndr_of, newest_source):
    assert ndr_of(api, make_program()) is True


def test_ndr_true_and_false_partition_the_programs(api, newest_source):
    make_program().sources.add(newest_source)
    make_program()
    counts = [api.get("/api/programs/", {"ndr": flag}).json()["count"] for flag in ("true", "false")]
    assert sum(counts) == TherapyProgram.objects.count()
    assert all(counts)


def test_the_stats_honour_the_ndr_filter(api, newest_source):
    make_program().sources.add(newest_source)
    for flag in ("true", "false"):
        rows = api.get("/api/stats/programs/", {"group_by": "stage", "ndr": flag}).json()
        assert sum(row["count"] for row in rows) == api.get("/api/programs/", {"ndr": flag}).json()["count"]


def test_the_program_page_shows_the_badge_with_its_caveat(client, newest_source):
    program = make_program()
    html = client.get(program.get_absolute_url()).content.decode()
    assert "No development reported" in html
    assert "not what the company did" in html


def test_the_program_list_marks_ndr_programs_and_explains_it(client, newest_source):
    quiet, reported = make_program("Quiet CAR-T"), make_program("Reported CAR-T")
    reported.sources.add(newest_source)
    html = client.get("/programs/", {"search": "CAR-T", "page_size": 100}).content.decode()
    assert "as of 2030-06-15" in html
    rows = {name: html.split(name, 1)[1].split("</tr>", 1)[0] for name in (quiet.name, reported.name)}
    assert "badge-ndr" in rows["Quiet CAR-T"]
    assert "badge-ndr" not in rows["Reported CAR-T"]
