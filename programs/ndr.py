"""“No development reported” (ndr), as Pharmaprojects flags programs nobody has reported on for a while.

A program's last report is the newest date among its developments (``as_of``), its milestones (``date``)
and the publication dates of the sources citing it; an undated development or milestone counts at its
source's date. The reference date is the newest source's publication date (the data set's "as of"
date), or today with ``NDR_REFERENCE=today``. A program is ``ndr`` when its last report is more than
``NDR_MONTHS`` (24) months before the reference date, or when nothing about it is dated. It says what the
tracker's sources report, not what the company did.
"""

import calendar
from datetime import date
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import router
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cgt_tracker.api.shapes import CompiledQuery, IdListQuery


def _newest_source_date():
    from sources.models import Source

    dated = Source.objects.filter(published_on__isnull=False)
    return dated.order_by("-published_on").values("published_on")[:1]


# Asked by every read of ``ndr``: compiled once.
_newest_source = CompiledQuery(_newest_source_date)


def reference_date() -> date:
    """The date ``ndr`` is judged at: the newest source's publication date, or today."""
    from sources.models import Source

    if settings.NDR_REFERENCE == "today":
        return timezone.localdate()
    rows = _newest_source.rows(router.db_for_read(Source))
    return rows[0]["published_on"] if rows else timezone.localdate()


def months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cutoff() -> date:
    """Reports older than this date leave a program ``ndr``."""
    return months_before(reference_date(), settings.NDR_MONTHS)


def _reports(since: date):
    """Each kind of report dated on or after ``since``, with the column naming the program it is about."""
    from .models import Development, Milestone, TherapyProgram

    developments = Development.objects.filter(
        Q(as_of__gte=since) | Q(as_of__isnull=True, sources__published_on__gte=since)
    )
    milestones = Milestone.objects.filter(Q(date__gte=since) | Q(date__isnull=True, source__published_on__gte=since))
    cited = TherapyProgram.sources.through.objects.filter(source__published_on__gte=since)
    return [(cited, "therapyprogram"), (developments, "program"), (milestones, "program")]


def reported_since(since: date):
    """A condition on programs: something about the program is dated on or after ``since``.

    Asked of each program in turn (an ``EXISTS`` per kind of report): the cheaper plan for a page of programs."""
    return reduce(or_, [Exists(reports.filter(**{column: OuterRef("pk")})) for reports, column in _reports(since)])


def reported_since_among_all(since: date):
    """The same condition as ``reported_since``, asked of all programs at once: one set of reported programs per
    kind of report, built once (hashed) for a whole export rather than probed program by program."""
    return reduce(or_, [Q(pk__in=reports.values(column)) for reports, column in _reports(since)])


_unreported = {}  # the cutoff -> its compiled query (only the latest is kept)


def unreported_among(ids, since: date, using="default"):
    """The ids among ``ids`` of programs with nothing dated on or after ``since`` (a page's, or a chunk of a
    CSV's), in one query compiled once per cutoff: building it costs more than running it."""
    from .models import TherapyProgram

    query = _unreported.get(since)
    if query is None:
        query = IdListQuery(
            lambda ids: TherapyProgram.objects.filter(pk__in=ids).no_development_reported(since=since).values("pk")
        )
        _unreported.clear()
        _unreported[since] = query
    return {row["pk"] for row in query.rows(ids, using)}
