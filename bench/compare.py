"""Benchmark: this app's /api/programs/ against Datasette and the raw-query limit, same data,
same load tool (wrk), same concurrency, on loopback; then list latency from 1k to 100k programs.

    .venv/bin/python bench/compare.py [--sizes 1000 10000 100000] [--duration 10] [--rounds 3] [--connections 8]

Needs `wrk` (apt-get install -y wrk) and, for the PostgreSQL rows, PostgreSQL on 127.0.0.1:5432.
Datasette is installed into bench/.venv-datasette on first use (it is not an app dependency).
"""

import argparse
import contextlib
import re
import shutil
import sqlite3
import subprocess
import sys
from functools import partial

from common import HOST, ROOT, app_env, free_port, gunicorn, manage, results_dir, serve

DATA = ROOT / "bench" / "data"
DATASETTE_VENV = ROOT / "bench" / ".venv-datasette"
DATASETTE_VERSION = "0.65.5"
SEARCH = "Helix"
DETAIL_SLUG = "syn-program-000042"

APP_URLS = {
    "list": "/api/programs/?page_size=50",
    "filter": "/api/programs/?page_size=50&stage=phase_2&modality=car_t",
    "search": f"/api/programs/?page_size=50&search={SEARCH}",
    "detail": f"/api/programs/{DETAIL_SLUG}/",
}
# The app as deployed, and with its response cache off (DummyCache): what a request costs the first time.
APPS = {"app": {}, "app-cold": {"DJANGO_CACHE_URL": "dummycache://"}}
LIMIT_URLS = {
    "list": "/?q=list",
    "filter": "/?q=filter&stage=phase_2&modality=car_t",
    "search": f"/?q=search&search={SEARCH}",
    "detail": f"/?q=detail&slug={DETAIL_SLUG}",
}


def datasette_urls(program_id):
    table = "/bench/programs_therapyprogram"
    common = "_size=50&_labels=on&_shape=objects"
    return {
        "list": f"{table}.json?{common}&_sort=name",
        "filter": f"{table}.json?{common}&_sort=name&stage=phase_2&modality=car_t",
        "search": f"{table}.json?{common}&_sort=name&name__contains={SEARCH}",
        "detail": f"{table}/{program_id}.json?_shape=objects",
    }


def database_url(kind, size):
    if kind == "sqlite":
        return f"sqlite:///{DATA / f'bench-{size}.sqlite3'}"
    return f"postgres://postgres@{HOST}:5432/cgt_bench_{size}"


def prepare(kind, size):
    """A database with the article records plus ``size`` synthetic programs (made once, then reused)."""
    url = database_url(kind, size)
    if kind == "sqlite":
        DATA.mkdir(parents=True, exist_ok=True)
        if (DATA / f"bench-{size}.sqlite3").exists():
            return url
    else:
        exists = subprocess.run(
            [
                "psql",
                "-h",
                HOST,
                "-U",
                "postgres",
                "-tAc",
                f"SELECT 1 FROM pg_database WHERE datname = 'cgt_bench_{size}'",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if exists:
            return url
        subprocess.run(["psql", "-h", HOST, "-U", "postgres", "-qc", f"CREATE DATABASE cgt_bench_{size}"], check=True)
    env = app_env(url)
    print(f"preparing {kind} with {size} synthetic programs...", flush=True)
    manage("migrate", "-v0", env=env)
    manage("load_articles", "-v0", env=env)
    manage(
        "synthetic_data",
        "--programs",
        str(size),
        "--companies",
        str(max(size // 10, 1)),
        "--institutions",
        str(max(size // 50, 1)),
        env=env,
    )
    if kind == "postgres":
        subprocess.run(
            ["psql", "-h", HOST, "-U", "postgres", "-d", f"cgt_bench_{size}", "-qc", "VACUUM ANALYZE"], check=True
        )
    return url


def wrk(port, path, *, duration, connections):
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", f"http://{HOST}:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", out)
    if non2xx or timeouts:
        errors, timed_out = (m.group(1) if m else 0 for m in (non2xx, timeouts))
        print(f"    {path}: {errors} error responses, {timed_out} timeouts")

    def percentile(p):
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return rps, percentile(50), percentile(99)


def ensure_datasette():
    exe = DATASETTE_VENV / "bin" / "datasette"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(DATASETTE_VENV)], check=True)
        subprocess.run(
            [str(DATASETTE_VENV / "bin" / "pip"), "install", "-q", f"datasette=={DATASETTE_VERSION}"], check=True
        )
    return exe


def datasette_server(size, env):
    """Datasette serving the same SQLite file, immutable (its fastest mode), as database "bench"."""
    exe = ensure_datasette()
    db = DATA / f"bench-{size}.sqlite3"
    link = DATA / "bench.sqlite3"
    link.unlink(missing_ok=True)
    link.symlink_to(db.name)
    with sqlite3.connect(db) as connection:
        query = "SELECT id FROM programs_therapyprogram WHERE slug = ?"
        program_id = connection.execute(query, (DETAIL_SLUG,)).fetchone()[0]

    def server(port):
        args = [str(exe), "serve", "-i", str(link), "--host", HOST, "--port", str(port)]
        # Datasette at its fastest for this: no facet suggestions (they run extra queries on every table page).
        args += ["--setting", "default_page_size", "50", "--setting", "num_sql_threads", "3"]
        args += ["--setting", "suggest_facets", "off"]
        return serve(args, port=port, env=env, name="datasette")

    return server, program_id


def median_run(port, path, args):
    """The median (by requests/s) of ``--rounds`` runs of wrk, after a 1 s warm-up."""
    wrk(port, path, duration=1, connections=args.connections)
    runs = sorted(wrk(port, path, duration=args.duration, connections=args.connections) for _ in range(args.rounds))
    return runs[len(runs) // 2]


def measure(kind, servers, args, table):
    """Each request kind on each server in turn, so that all of them meet the same machine conditions
    (on 2 cores shared with wrk, one server measured a minute after another can see a quieter minute).

    ``servers`` maps a name to (a server factory taking a port, its URL for each request kind).
    """
    with contextlib.ExitStack() as running:
        ports = {}
        for name, (server, _) in servers.items():
            ports[name] = free_port()
            running.enter_context(server(port=ports[name]))
        for request in APP_URLS:
            for name, (_, urls) in servers.items():
                rps, p50, p99 = median_run(ports[name], urls[request], args)
                table.append((f"{name} {kind}", request, rps, p50, p99))
                print(
                    f"  {name:<10}{kind:<10}{request:<8}{rps:10.1f} req/s   p50 {p50:8.2f} ms   p99 {p99:8.2f} ms",
                    flush=True,
                )


def print_ratios(table, kind):
    rows = {(name.split()[0], req): rps for name, req, rps, _, _ in table if name.endswith(kind)}
    print(f"\nratios on {kind}:")
    for request in APP_URLS:
        parts = [f"  {request:<8}"]
        for app in APPS:
            if rows.get(("datasette", request)):
                parts.append(f"{app}/Datasette {rows[(app, request)] / rows[('datasette', request)]:6.2f}")
            parts.append(f"{app}/limit {rows[(app, request)] / rows[('limit', request)]:5.2f}")
        print("   ".join(parts))


def app_servers(env, args, name):
    """The app as it runs (with its response cache), and with the cache off: every request built afresh."""
    return {
        app: partial(
            gunicorn, "cgt_tracker.wsgi", env={**env, **app_env_extra}, workers=args.workers, name=f"{app}-{name}"
        )
        for app, app_env_extra in APPS.items()
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--duration", type=int, default=10, help="seconds per run")
    parser.add_argument("--rounds", type=int, default=3, help="runs per server and request; the median is kept")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    results_dir()
    largest = max(args.sizes)
    table = []

    for kind in args.databases:
        env = app_env(prepare(kind, largest))
        manage("collectstatic", "--noinput", "-v0", env=env)
        print(
            f"\n{largest} programs on {kind} ({args.connections} connections, {args.workers} workers, "
            f"{args.duration}s per request kind)"
        )
        servers = {app: (server, APP_URLS) for app, server in app_servers(env, args, kind).items()}
        if kind == "sqlite":
            datasette, program_id = datasette_server(largest, env)
            servers["datasette"] = (datasette, datasette_urls(program_id))
        limit = partial(
            gunicorn, "limit_app:application", env=env, workers=args.workers, cwd=ROOT / "bench", name=f"limit-{kind}"
        )
        servers["limit"] = (limit, LIMIT_URLS)
        measure(kind, servers, args, table)
        print_ratios(table, kind)

    print("\nlist latency by data size (/api/programs/?page_size=50)")
    for kind in args.databases:
        for size in sorted(args.sizes):
            env = app_env(prepare(kind, size))
            for app, server in app_servers(env, args, f"{kind}-{size}").items():
                port = free_port()
                with server(port=port):
                    rps, p50, p99 = median_run(port, APP_URLS["list"], args)
                print(
                    f"  {app:<10}{kind:<9}{size:>7} programs {rps:10.1f} req/s   p50 {p50:8.2f} ms   p99 {p99:8.2f} ms",
                    flush=True,
                )


if __name__ == "__main__":
    main()
