"""Program search at scale: the trigram index against a scan of the same column, per kind of query.

    .venv/bin/python bench/search.py --setup                   # SQLite file bench/results/search.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cgt_bench .venv/bin/python bench/search.py --setup

``--setup`` migrates, loads the articles and adds ``--programs`` synthetic programs (default 100,000)
unless the database already holds them. Each query is timed as the list API runs it: the count and
the first page of 25 in rank order, in-process (no HTTP), the median of ``--repeat`` runs after one
warm-up run. "scan" runs the same patterns with the index out of the way (SQLite: ``LIKE`` on the table
instead of the FTS5 table; PostgreSQL: index scans turned off), which is what a search without the
index costs at that size.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# One query per kind; "scan" shows what the same query costs without the index.
QUERIES = [
    ("program name", "SYN-004217"),
    ("company name", "Therapeutics 004321"),
    ("target symbol", "SYN-T042"),
    ("indication", "synthetic disease 123"),
    ("modality synonym", "CAR-T"),
    ("Chinese, 3+ characters", "奥仑赛恩"),
    ("Chinese, 2 characters (scan)", "奥仑"),
    ("short Latin word", "NK"),
    ("no match", "xylophone"),
]


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cgt_tracker.settings")
    import django

    django.setup()


def prepare(programs):
    from django.core.management import call_command

    from programs.models import TherapyProgram

    call_command("migrate", verbosity=0)
    call_command("load_articles", verbosity=0)
    have = TherapyProgram.objects.filter(slug__startswith="syn-").count()
    if have < programs:
        call_command("synthetic_data", programs=programs - have, companies=10_000 if not have else 0, verbosity=1)


def page(queryset):
    """What a list request does with a search: count the matches, fetch the first page in order."""
    return queryset.count(), list(queryset.values_list("pk", flat=True)[:25])


def timed(run, repeat):
    run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def scan(text):
    """The same search without the trigram index: every pattern a LIKE over the table."""
    from django.db import connection
    from django.db.models import Q

    from programs.models import TherapyProgram
    from search.text import patterns

    queryset = TherapyProgram.objects.filter(*(Q(search_document__contains=p) for p in patterns(text)))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET enable_bitmapscan = off")
            cursor.execute("SET enable_indexscan = off")
        try:
            return page(queryset.order_by("name", "pk"))
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET enable_bitmapscan")
                cursor.execute("RESET enable_indexscan")
    return page(queryset.order_by("name", "pk"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_url = f"sqlite:///{ROOT / 'bench' / 'results' / 'search.sqlite3'}"
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL", default_url))
    parser.add_argument("--setup", action="store_true", help="migrate, load and generate synthetic data first")
    parser.add_argument("--programs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    setup_django(args.database)
    if args.setup:
        prepare(args.programs)

    from django.db import connection

    from programs.models import TherapyProgram

    total = TherapyProgram.objects.count()
    print(f"{connection.vendor}, {total:,} programs, {os.cpu_count()} cores, median of {args.repeat} (ms)\n")
    print("| query | example | matches | indexed ms | scan ms |")
    print("|---|---|---|---|---|")
    for kind, text in QUERIES:
        indexed_ms, (count, _) = timed(lambda text=text: page(TherapyProgram.objects.search(text)), args.repeat)
        scan_ms, (scan_count, _) = timed(lambda text=text: scan(text), args.repeat)
        assert scan_count == count, (text, scan_count, count)
        print(f"| {kind} | `{text}` | {count:,} | {indexed_ms:.1f} | {scan_ms:.1f} |")


if __name__ == "__main__":
    main()
