"""How fast the statistics and the change feed answer at scale (in-process, PostgreSQL or SQLite).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cgt .venv/bin/python bench/history_stats.py

Needs the synthetic data set (``manage.py synthetic_data``, 100,000 programs by default; each record
gets its "created" history entry); run it first, the script refuses without it. Each URL is requested
once to warm up, then ``--runs`` times; the table gives the median and the slowest, in milliseconds, of
the whole Django request (middleware, data version query, view, JSON). Neither endpoint is cached.
"""

import argparse
import os
import statistics
import sys
import time

from common import HOST, ROOT, app_env

URLS = [
    "/api/stats/programs/?group_by=stage",
    "/api/stats/programs/?group_by=stage,modality",
    "/api/stats/programs/?group_by=stage,modality&target=SYN-T007",
    "/api/stats/programs/?group_by=indication,stage",
    "/api/stats/programs/?group_by=stage&indication=syn-indication-042",
    "/api/changes/",
    "/api/changes/?model=development&action=created",
    "/api/changes/?program=<a synthetic program>",
    "/api/changes/?since=2026-06-01T00:00:00Z&model=program",
    "<second page of /api/changes/>",
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
    from programs.models import TherapyProgram

    programs = TherapyProgram.objects.filter(slug__startswith="syn-").count()
    if programs < args.min_programs:
        sys.exit(f"{programs} synthetic programs: run `manage.py synthetic_data` first (or pass --min-programs).")
    history_rows = sum(tracked.history.objects.count() for tracked in TRACKED)
    client = Client(HTTP_HOST=HOST)
    second_page = client.get("/api/changes/").json()["next"].split(HOST, 1)[-1]
    middle = TherapyProgram.objects.filter(slug__startswith="syn-").order_by("pk").values_list("slug", flat=True)
    placeholders = {
        "<a synthetic program>": middle[programs // 2],
        "<second page of /api/changes/>": second_page,
    }

    print(
        f"{programs:,} synthetic programs, {history_rows:,} history rows, on {connection.vendor}; "
        f"{os.cpu_count()} cores shared with other work"
    )
    print(f"{'request':<68} {'median ms':>10} {'max ms':>8}")
    for label in URLS:
        url = label
        for placeholder, value in placeholders.items():
            url = url.replace(placeholder, value)
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:200])
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        print(f"{label:<68} {statistics.median(times):>10.1f} {max(times):>8.1f}")


if __name__ == "__main__":
    main()
