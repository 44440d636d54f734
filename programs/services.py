"""A program's derived fields, kept by one service that every write path calls.

A program's ``stage`` is the most advanced stage among its active developments, and its
``search_document`` includes its developments' indications. Every write of a development (a model
``save()``/``delete()``, the development queryset's ``update()``, ``delete()``, ``bulk_create()`` and
``bulk_update()``, and the fixture loader) calls :func:`refresh_programs` inside its own transaction.

The program rows are locked (``SELECT ... FOR UPDATE``, in primary-key order) *before* the development
is written, so two transactions editing developments of one program run one after the other: the
second computes the stage from what the first committed, and the last write never wins with a stale
maximum. SQLite takes a database-wide write lock instead, which gives the same order.
"""

from collections.abc import Iterable

from django.db import transaction

from cgt_tracker.models import lock_for_writing

from .choices import DevelopmentStatus, Stage


def lock_programs(program_ids: Iterable[int], *, using: str = "default") -> list[int]:
    """Lock the rows of these programs until the end of the current transaction; returns the ids that exist."""
    from .models import TherapyProgram

    ids = sorted({pk for pk in program_ids if pk is not None})
    if not ids:
        return []
    rows = lock_for_writing(TherapyProgram.objects.using(using).filter(pk__in=ids)).order_by("pk")
    return list(rows.values_list("pk", flat=True))


def refresh_programs(program_ids: Iterable[int], *, record_history: bool = True, using: str = "default") -> None:
    """Recompute the derived stage and search text of these programs, with their rows locked.

    A stage that changes is saved with a history entry (who and when, like any edit), unless
    ``record_history`` is false (loading fixtures rewrites rows as they are in the files).
    """
    from search.documents import refresh_programs as refresh_search_text

    from .models import Development, TherapyProgram

    with transaction.atomic(using=using):
        ids = lock_programs(program_ids, using=using)
        if not ids:
            return
        stages: dict[int, list[str]] = {pk: [] for pk in ids}
        active = Development.objects.using(using).filter(program_id__in=ids, status=DevelopmentStatus.ACTIVE)
        for program_id, stage in active.values_list("program_id", "stage"):
            stages[program_id].append(stage)
        for program in TherapyProgram.objects.using(using).select_related("company").filter(pk__in=ids):
            stage = Stage.most_advanced(stages[program.pk])
            if stage != program.stage:
                program.stage = stage
                if record_history:
                    program.save(update_fields=["stage"])
                else:
                    TherapyProgram.objects.using(using).filter(pk=program.pk).update(stage=stage)
        refresh_search_text(ids)


def refresh_all_programs(*, record_history: bool = True, using: str = "default", batch: int = 2000) -> None:
    """Every program's derived fields (after loading fixtures), in batches."""
    from .models import TherapyProgram

    ids = list(TherapyProgram.objects.using(using).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        refresh_programs(ids[start : start + batch], record_history=record_history, using=using)
