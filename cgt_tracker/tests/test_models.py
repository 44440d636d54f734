"""What every record shares (cgt_tracker.models): dates no more precise than their source, time stamps."""

import datetime

import pytest

from cgt_tracker.models import DatePrecision, format_partial_date
from programs.tests.factories import make_program


@pytest.mark.parametrize(
    ("precision", "shown"),
    [(DatePrecision.DAY, "June 21, 2021"), (DatePrecision.MONTH, "June 2021"), (DatePrecision.YEAR, "2021")],
)
def test_a_date_is_shown_no_more_precisely_than_its_source_gave_it(precision, shown):
    assert format_partial_date(datetime.date(2021, 6, 21), precision) == shown


@pytest.mark.django_db
def test_updated_changes_on_save_and_created_does_not():
    program = make_program("Test CAR-T")
    created, updated = program.created, program.updated
    program.description = "changed"
    program.save()
    program.refresh_from_db()
    assert program.created == created
    assert program.updated > updated
