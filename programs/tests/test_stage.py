"""A program's stage is derived from its active developments by one service, on every write path."""

import threading
import time

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cgt_tracker.models import bulk_change
from companies.models import Company
from programs.models import Development, TherapyProgram
from programs.services import lock_programs, refresh_programs

from .factories import develop, make_indication, make_program

pytestmark = pytest.mark.django_db


def stage_of(program):
    return TherapyProgram.objects.values_list("stage", flat=True).get(pk=program.pk)


@pytest.fixture
def editor_api():
    user = User.objects.create_user("stage-editor", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__model="development"))
    api = APIClient()
    api.force_authenticate(user)
    return api


# --- Every write path --------------------------------------------------------------------------


def test_the_api_moves_the_stage(editor_api):
    program = make_program()
    development = develop(program, "phase_1")

    response = editor_api.patch(f"/api/developments/{development.pk}/", {"stage": "phase_3"}, format="json")

    assert response.status_code == 200, response.data
    assert stage_of(program) == "phase_3"


def test_a_bulk_update_of_developments_moves_the_stage():
    program = make_program()
    develop(program, "phase_1")

    Development.objects.filter(program=program).update(stage="approved")

    assert stage_of(program) == "approved"


def test_a_bulk_update_of_the_status_drops_the_stage_of_a_discontinued_development():
    program = make_program()
    develop(program, "phase_1")
    leading = develop(program, "phase_3")

    Development.objects.filter(pk=leading.pk).update(status="discontinued")

    assert stage_of(program) == "phase_1"


def test_bulk_update_of_development_objects_moves_the_stage():
    program = make_program()
    development = develop(program, "phase_1")
    development.stage = "phase_2"

    Development.objects.bulk_update([development], ["stage"])

    assert stage_of(program) == "phase_2"


def test_bulk_create_of_developments_sets_the_stage():
    program = make_program()

    Development.objects.bulk_create(
        [Development(program=program, indication=make_indication(), stage=stage) for stage in ("phase_1", "nda_filed")]
    )

    assert stage_of(program) == "nda_filed"


def test_a_bulk_delete_of_developments_clears_the_stage():
    program = make_program()
    develop(program, "phase_2")

    Development.objects.filter(program=program).delete()

    assert stage_of(program) is None


def test_moving_a_development_to_another_program_refreshes_both():
    old, new = make_program(), make_program()
    development = develop(old, "phase_2")

    development.program = new
    development.save()

    assert (stage_of(old), stage_of(new)) == (None, "phase_2")


def test_moving_developments_by_bulk_update_refreshes_both_programs():
    old, new = make_program(), make_program()
    develop(old, "phase_2")

    Development.objects.filter(program=old).update(program=new)

    assert (stage_of(old), stage_of(new)) == (None, "phase_2")


def test_a_stale_stored_stage_is_put_right_by_the_service():
    program = make_program()
    develop(program, "phase_1")
    TherapyProgram.objects.filter(pk=program.pk).update(stage="approved")

    refresh_programs([program.pk])

    assert stage_of(program) == "phase_1"


def test_loading_the_fixtures_derives_every_stage_from_the_developments():
    program = make_program()
    develop(program, "phase_2")
    TherapyProgram.objects.filter(pk=program.pk).update(stage=None)

    from django.core.management import call_command

    call_command("load_articles", verbosity=0)

    assert stage_of(program) == "phase_2"


def test_a_stage_change_is_saved_with_a_history_entry():
    program = make_program()
    development = develop(program, "phase_1")

    development.stage = "phase_2"
    development.save()

    assert [entry.stage for entry in program.history.order_by("history_date")] == [None, "phase_1", "phase_2"]


# --- Locking -----------------------------------------------------------------------------------

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")


@postgresql_only
def test_a_development_write_locks_its_program_row_before_writing():
    program = make_program()
    development = develop(program, "phase_1")
    development.stage = "phase_2"

    with CaptureQueriesContext(connection) as queries:
        development.save()

    statements = [query["sql"] for query in queries]
    lock = next(i for i, sql in enumerate(statements) if "FOR UPDATE" in sql)
    write = next(i for i, sql in enumerate(statements) if sql.startswith('UPDATE "programs_development"'))
    assert lock < write


def wait_for_a_lock_wait(timeout=10):
    """Until another session of this database waits for a row lock (or ``timeout`` seconds pass)."""
    deadline = time.monotonic() + timeout
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_development_edits_leave_the_most_advanced_stage():
    """One edit advances development A to phase 3 while another moves B to phase 2: the stage is phase 3.

    Without the program lock the second edit would compute its maximum before the first committed
    (phase 2) and write it last. ``bulk_change()`` defers the data version bump (a row every write
    updates, which would otherwise serialise the two transactions by accident) to the end of each.
    """
    program = make_program()
    first, second = develop(program, "phase_1"), develop(program, "phase_1")
    first_written, errors, waited = threading.Event(), [], []

    def edit(pk, stage, *, before=None, after=None):
        try:
            with transaction.atomic(), bulk_change():
                if before:
                    before.wait(10)
                development = Development.objects.get(pk=pk)
                development.stage = stage
                development.save()
                if after:
                    after()
        except Exception as error:  # reported by the test thread
            errors.append(error)
        finally:
            connections.close_all()

    def hold_until_the_other_waits():
        first_written.set()
        waited.append(wait_for_a_lock_wait())

    threads = [
        threading.Thread(target=edit, args=(first.pk, "phase_3"), kwargs={"after": hold_until_the_other_waits}),
        threading.Thread(target=edit, args=(second.pk, "phase_2"), kwargs={"before": first_written}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert waited == [True]
    assert stage_of(program) == "phase_3"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_write_that_locks_a_program_never_deadlocks_with_one_that_wrote_first():
    """Transaction A writes a company, then locks program P (as a development's stage refresh does); B locks P
    to write it in between. Were B to lock P before the data version row that A holds, each would wait for
    the other and PostgreSQL would break one off (a deadlock). Every write takes that row first: B waits."""
    program = make_program()
    company_written, go_on, errors = threading.Event(), threading.Event(), []

    def in_transaction(steps):
        try:
            with transaction.atomic():
                steps()
        except Exception as error:  # reported by the test thread
            errors.append(error)
        finally:
            connections.close_all()

    def write_a_company_then_lock_the_program():
        Company.objects.create(name="Deadlock Test Co")
        company_written.set()
        go_on.wait(10)
        lock_programs([program.pk])

    def lock_the_program_and_write_it():
        company_written.wait(10)
        lock_programs([program.pk])
        TherapyProgram.objects.get(pk=program.pk).save()

    threads = [
        threading.Thread(target=in_transaction, args=(write_a_company_then_lock_the_program,)),
        threading.Thread(target=in_transaction, args=(lock_the_program_and_write_it,)),
    ]
    for thread in threads:
        thread.start()
    assert wait_for_a_lock_wait()
    go_on.set()
    for thread in threads:
        thread.join(30)

    assert errors == []
