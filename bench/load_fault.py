"""Load-and-fault test: serve the app under gunicorn on PostgreSQL, load it, restart PostgreSQL
in the middle, and report what clients saw and how long until requests succeeded again.

    .venv/bin/python bench/load_fault.py [--seconds 30] [--threads 8] [--restart-at 10]

Targets only 127.0.0.1, ends by itself, and never restarts the app. Needs root (to restart the
local PostgreSQL cluster with pg_ctlcluster) and a PostgreSQL on 127.0.0.1:5432 (user postgres).
"""

import argparse
import collections
import http.client
import subprocess
import threading
import time
from pathlib import Path

from common import HOST, app_env, free_port, gunicorn, manage, results_dir

PATHS = ["/api/programs/?page_size=20", "/api/programs/?stage_min=phase_1", "/api/companies/", "/programs/"]
DB = "cgt_load_fault"


def cluster():
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    return version, "main"


def restart_postgres():
    version, name = cluster()
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"], check=True)


def worker(port, stop, log, lock):
    conn, i = None, 0
    while not stop.is_set():
        path = PATHS[i % len(PATHS)]
        i += 1
        started = time.monotonic()
        try:
            conn = conn or http.client.HTTPConnection(HOST, port, timeout=10)
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            outcome = response.status
        except (OSError, http.client.HTTPException) as error:
            outcome = type(error).__name__
            conn = None
        with lock:
            log.append((started, outcome))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--restart-at", type=float, default=10.0, help="seconds into the run")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    subprocess.run(
        [
            "psql",
            "-h",
            HOST,
            "-U",
            "postgres",
            "-qc",
            f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)",
            "-c",
            f"CREATE DATABASE {DB}",
        ],
        check=True,
    )
    env = app_env(f"postgres://postgres@{HOST}:5432/{DB}")
    manage("migrate", "-v0", env=env)
    manage("load_articles", "-v0", env=env)

    results_dir()
    port = free_port()
    log, lock, stop = [], threading.Lock(), threading.Event()
    with gunicorn("cgt_tracker.wsgi", port=port, env=env, workers=args.workers, name="load_fault"):
        threads = [threading.Thread(target=worker, args=(port, stop, log, lock)) for _ in range(args.threads)]
        begin = time.monotonic()
        for t in threads:
            t.start()
        time.sleep(args.restart_at)
        restart_began = time.monotonic()
        restart_postgres()
        restart_ended = time.monotonic()
        time.sleep(max(0.0, args.seconds - (time.monotonic() - begin)))
        stop.set()
        for t in threads:
            t.join()

    by_outcome = collections.Counter(outcome for _, outcome in log)
    failures = [t for t, outcome in log if outcome != 200]
    after_restart = [(t, o) for t, o in sorted(log) if t >= restart_began]
    last_failure = max(failures) if failures else None
    recovered_at = next((t for t, o in after_restart if o == 200 and (last_failure is None or t > last_failure)), None)
    print(
        f"duration            {time.monotonic() - begin:6.1f} s, {args.threads} client threads, "
        f"{args.workers} gunicorn workers"
    )
    print(f"requests            {len(log):6d}")
    for outcome, count in sorted(by_outcome.items(), key=lambda kv: str(kv[0])):
        print(f"  {outcome!s:<18}{count:6d}")
    print(
        f"postgres restart    {restart_ended - restart_began:6.2f} s (from {restart_began - begin:.1f} s into the run)"
    )
    if failures:
        print(f"failed requests     from {min(failures) - begin:.2f} s to {last_failure - begin:.2f} s into the run")
    if recovered_at is not None:
        print(
            f"recovered           {max(0.0, recovered_at - restart_ended):6.2f} s after PostgreSQL was back "
            f"({recovered_at - restart_began:.2f} s after the restart began), without restarting the app"
        )
    else:
        print("recovered           NO: requests still failing at the end of the run")
    return 0 if recovered_at is not None else 1


if __name__ == "__main__":
    raise SystemExit(main())
