"""How fast the statistics and the change feed answer at scale (in-process, PostgreSQL or SQLite).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cgt .venv/bin/python bench/history_stats.py

Needs the synthetic data set (``manage.py synthetic_data``, 100,000 programs by default; each record
gets its "created" history entry); run it first, the script refuses without it. Each kind of request is
sent ``--runs`` times, each time with another filter value (another modality, target, indication, program,
date, or the next page), after one warm-up request of that kind; the table gives the median and the slowest,
in milliseconds, of the whole Django request (middleware, data version query, view, JSON). Neither endpoint
is cached.
"""

import argparse
import os
import statistics
import sys
import time
from itertools import cycle, islice

from common import HOST, ROOT, app_env

# Each kind: a URL template and the name of the values that fill it (one value per request).
KINDS = [
    ("/api/stats/programs/?group_by=stage&modality={}", "modalities"),
    ("/api/stats/programs/?group_by=stage,modality&target={}", "targets"),
    ("/api/stats/programs/?group_by=indication,stage&stage_min={}", "stages"),
    ("/api/stats/programs/?group_by=indication,stage&modality={}", "modalities"),
    ("/api/stats/programs/?group_by=country,stage&stage={}", "stages"),
    ("/api/stats/programs/?group_by=stage&indication={}", "indications"),
    ("/api/stats/programs/?group_by=company&stage={}", "stages"),
    ("/api/changes/?model={}", "models"),
    ("/api/changes/?program={}", "programs"),
    ("/api/changes/?since={}&model=program", "dates"),
    ("/api/changes/ page {}", "pages"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--min-programs", type=int, default=100_000)
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'db.sqlite3'}")
    os.environ.update(app_env(database_url))
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cgt_tracker.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from changes.records import TRACKED
    from programs.choices import Modality, Stage
    from programs.models import Indication, Target, TherapyProgram

    programs = TherapyProgram.objects.filter(slug__startswith="syn-").count()
    if programs < args.min_programs:
        sys.exit(f"{programs} synthetic programs: run `manage.py synthetic_data` first (or pass --min-programs).")
    history_rows = sum(tracked.history.objects.count() for tracked in TRACKED)
    client = Client(HTTP_HOST=HOST)
    count = args.runs + 1  # the first of each kind warms it up
    synthetic = TherapyProgram.objects.filter(slug__startswith="syn-")
    values = {
        "modalities": cycle(Modality.values),
        "targets": keys(Target.objects.filter(symbol__startswith="SYN-"), "symbol"),
        "stages": cycle(Stage.values),
        "indications": keys(Indication.objects.filter(slug__startswith="syn-"), "slug"),
        "models": cycle(tracked.name for tracked in TRACKED),
        "programs": keys(synthetic, "slug"),
        "dates": iter(f"2026-{month:02}-01T00:00:00Z" for month in cycle(range(1, 13))),
        "pages": pages(client, count),
    }

    print(
        f"{programs:,} synthetic programs, {history_rows:,} history rows, on {connection.vendor}; "
        f"{os.cpu_count()} cores shared with other work; {args.runs} distinct URLs per kind"
    )
    print(f"{'request':<62} {'median ms':>10} {'max ms':>8}")
    for template, name in KINDS:
        times = []
        for value in islice(values[name], count):
            url = value if name == "pages" else template.format(value)
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code, response.content[:200])
        times = times[1:]
        print(f"{template.format('…'):<62} {statistics.median(times):>10.1f} {max(times):>8.1f}")


def keys(queryset, key, limit=100):
    """``key`` of up to ``limit`` records of ``queryset`` in random order, round and round."""
    return cycle(queryset.order_by("?").values_list(key, flat=True)[:limit])


def pages(client, count):
    """The change feed's first ``count`` pages, following each ``next`` link (fetched ahead, not timed)."""
    url = "/api/changes/"
    for _ in range(count):
        yield url
        url = client.get(url).json()["next"].split(HOST, 1)[-1]


if __name__ == "__main__":
    main()
