"""How fast ``?format=csv`` streams a large list, under gunicorn with production settings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cgt .venv/bin/python bench/csv_export.py

Needs the synthetic data set (``manage.py synthetic_data``: 100,000 programs). Each export URL is
requested once (different filters, so no two read the same rows in the same order); the table gives,
per URL, the rows received, the seconds from sending the request to the last byte, rows per second and
the peak memory (RSS) of the gunicorn worker while it streamed. Each file is checked to be whole: its
row count equals the JSON list's ``count`` for the same filters.
"""

import argparse
import csv
import io
import json
import os
import time
import urllib.request

from common import HOST, ROOT, app_env, free_port, gunicorn, manage, results_dir

EXPORTS = [
    ("programs", ""),
    ("programs", "ordering=-name"),
    ("programs", "modality=car_t"),
    ("programs", "stage_min=phase_1"),
    ("developments", ""),
    ("companies", ""),
]


def worker_rss_kib(server):
    """The largest resident set among the gunicorn worker processes (children of the master)."""
    largest = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            if parent != server.pid:
                continue
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):  # the peak since the worker started
                        largest = max(largest, int(line.split()[1]))
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
    return largest


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-programs", type=int, default=100_000)
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'db.sqlite3'}")
    env = app_env(database_url)
    results_dir()
    manage("collectstatic", "--noinput", "-v0", env=env)
    port = free_port()
    base = f"http://{HOST}:{port}/api"
    with gunicorn("cgt_tracker.wsgi", port=port, env=env, workers=1, name="csv_export") as server:
        with urllib.request.urlopen(f"{base}/programs/?page_size=1", timeout=60) as response:
            programs = json.load(response)["count"]
        if programs < args.min_programs:
            raise SystemExit(f"{programs} programs: run `manage.py synthetic_data` first")
        print(f"{programs:,} programs, on {database_url.split(':', 1)[0]}; {os.cpu_count()} cores")
        print(f"{'export':45} {'rows':>9} {'seconds':>8} {'rows/s':>9} {'worker MiB':>11}")
        for resource, query in EXPORTS:
            url = f"{base}/{resource}/?{query + '&' if query else ''}format=csv"
            started = time.perf_counter()
            with urllib.request.urlopen(url, timeout=600) as response:
                body = response.read()
            seconds = time.perf_counter() - started
            rows = sum(1 for _ in csv.reader(io.StringIO(body.decode()))) - 1
            count_url = f"{base}/{resource}/?{query + '&' if query else ''}page_size=1"
            with urllib.request.urlopen(count_url, timeout=120) as response:
                expected = json.load(response)["count"]
            assert rows == expected, f"{url}: {rows} rows, the list counts {expected}"
            label = f"{resource}{'?' + query if query else ''}"
            rss = worker_rss_kib(server) / 1024
            print(f"{label:45} {rows:>9,} {seconds:>8.2f} {rows / seconds:>9,.0f} {rss:>11.0f}")


if __name__ == "__main__":
    main()
