"""The rows of a program table, read through the program read shape."""

from datetime import date

import pytest
from model_bakery import baker

from programs.models import Milestone
from programs.tables import program_rows
from sources.models import Source

from .factories import develop, make_indication, make_program

pytestmark = pytest.mark.django_db


def test_rows_come_in_the_order_of_the_ids_and_skip_a_program_gone_since():
    first, second, gone = make_program("First"), make_program("Second"), make_program("Gone")
    ids = [second.pk, gone.pk, first.pk]
    gone.delete()

    assert [row.name for row in program_rows(ids)] == ["Second", "First"]


def test_a_row_is_as_of_its_newest_development_or_milestone_at_that_dates_precision():
    program = make_program()
    develop(program, "phase_1", as_of=date(2022, 3, 1), as_of_precision="month")
    baker.make(Milestone, program=program, kind="ind_filed", date=date(2021, 5, 6), date_precision="day")

    (row,) = program_rows([program.pk])

    assert (row.as_of.date, row.as_of.precision) == (date(2022, 3, 1), "month")


def test_a_row_without_dated_reports_is_as_of_its_newest_source():
    program = make_program()
    program.sources.add(
        baker.make(Source, published_on=date(2020, 1, 2), published_on_precision="day"),
        baker.make(Source, published_on=date(2021, 7, 1), published_on_precision="month"),
    )
    develop(program, "phase_1")

    (row,) = program_rows([program.pk])

    assert (row.as_of.date, row.as_of.precision) == (date(2021, 7, 1), "month")


def test_a_row_names_each_indication_once_in_name_order():
    program = make_program()
    lymphoma, leukemia = make_indication(name="lymphoma"), make_indication(name="Leukemia")
    develop(program, "phase_1", indication=lymphoma, country="China")
    develop(program, "phase_2", indication=lymphoma, country="United States")
    develop(program, "phase_1", indication=leukemia)

    (row,) = program_rows([program.pk])

    assert [indication.name for indication in row.indications] == ["Leukemia", "lymphoma"]
    assert row.indications[0].get_absolute_url() == leukemia.get_absolute_url()


def test_no_development_reported_is_flagged_only_where_asked():
    program = make_program()  # nothing dated about it: ndr

    assert program_rows([program.pk], ndr=True)[0].ndr is True
    assert program_rows([program.pk])[0].ndr is False
