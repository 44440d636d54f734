"""Benchmark: this app's /api/programs/ against Datasette serving the same SQLite file, with every URL
sent once (a distinct page, filter, search term or slug each time), as API clients mostly ask.

    .venv/bin/python bench/compare.py [--sizes 20000 100000] [--duration 3] [--rounds 3] [--repeated]

For each size and each request kind (list, filter, search, detail), the servers are measured in turn,
round after round (interleaved, so that none gets a quieter minute of the shared machine), each time on
URLs nobody asked before; the median requests/s of the rounds is kept. Both servers are first warmed on
URLs of their own that the rounds never use. ``--repeated`` measures one URL per kind instead (the
response cache then answers the app's repeats).

Needs `wrk` (apt-get install -y wrk). Datasette is installed into bench/.venv-datasette on first use
(it is not an app dependency).
"""

import argparse
import contextlib
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from statistics import median
from urllib.parse import quote, urlencode

from common import HOST, ROOT, app_env, free_port, gunicorn, manage, results_dir, serve

DATA = ROOT / "bench" / "data"
DATASETTE_VENV = ROOT / "bench" / ".venv-datasette"
DATASETTE_VERSION = "0.65.5"
KINDS = ["list", "filter", "search", "detail"]
# With --floors: what a request costs each server before it reads anything (the app: gunicorn, WSGI and the first
# middleware, answering /healthz; Datasette: its version page), and what the smallest read costs (one program's slug).
FLOORS = ["server floor", "read floor"]
WORDS = ["Cell", "Gene", "Bio", "Thera", "Immuno", "Cure", "Nova", "Vita", "Helix", "Genix", "Medi", "Onco"]
TABLE = "/bench/programs_therapyprogram"
DATASETTE_COMMON = {"_labels": "on", "_shape": "objects"}
LUA = ROOT / "bench" / "distinct.lua"


def database_file(size):
    return DATA / f"bench-{size}.sqlite3"


def prepare(size):
    """A SQLite database with the article records plus ``size`` synthetic programs (made once, then reused)."""
    db = database_file(size)
    if db.exists():
        return f"sqlite:///{db}"
    DATA.mkdir(parents=True, exist_ok=True)
    env = app_env(f"sqlite:///{db}")
    print(f"preparing {size} synthetic programs...", flush=True)
    manage("migrate", "-v0", env=env)
    manage("load_articles", "-v0", env=env)
    sizes = ["--programs", str(size), "--companies", str(max(size // 10, 1)), "--institutions", str(size // 50)]
    manage("synthetic_data", *sizes, env=env)
    return f"sqlite:///{db}"


def distinct_urls(size, seed=1):
    """For each kind, pairs of (app URL, Datasette URL) asking for the same kind of page, shuffled, none twice.

    Pages deep in the list are asked of the app with ``page=`` and of Datasette with a ``>=`` bound on its
    sort column (its own way of paging); both sort, filter, count and return ~50 records.
    """
    rng = random.Random(seed)
    with sqlite3.connect(database_file(size)) as connection:
        names = [row[0] for row in connection.execute("SELECT name FROM programs_therapyprogram ORDER BY name")]
        slugs = connection.execute("SELECT slug, id FROM programs_therapyprogram WHERE slug LIKE 'syn-%'").fetchall()
        combos = connection.execute(
            "SELECT stage, modality, COUNT(*) FROM programs_therapyprogram GROUP BY stage, modality"
        ).fetchall()

    def datasette(path, **params):
        return f"{path}?{urlencode({**params, **DATASETTE_COMMON})}"

    urls = {kind: [] for kind in KINDS + FLOORS}
    for page_size in range(45, 56):
        for page in range(1, len(names) // page_size + 1):
            for descending in (False, True):
                bound = names[-page * page_size] if descending else names[(page - 1) * page_size]
                sort = (
                    {"_sort_desc": "name", "name__lte": bound} if descending else {"_sort": "name", "name__gte": bound}
                )
                urls["list"].append(
                    (
                        f"/api/programs/?page={page}&page_size={page_size}&ordering={'-' if descending else ''}name",
                        datasette(f"{TABLE}.json", _size=page_size, **sort),
                    )
                )
    for stage, modality, count in combos:
        if stage is None:
            continue
        for page_size in range(40, 61):
            for page in range(1, min(3, max(1, count // page_size)) + 1):
                bound = rng.choice(names[: len(names) // 2])
                urls["filter"].append(
                    (
                        f"/api/programs/?stage={stage}&modality={modality}&page={page}&page_size={page_size}",
                        datasette(
                            f"{TABLE}.json",
                            _sort="name",
                            _size=page_size,
                            stage=stage,
                            modality=modality,
                            name__gte=bound,
                        ),
                    )
                )
    for word in WORDS:
        for number in range(10, 100):
            for page_size in range(45, 56):
                urls["search"].append(
                    (
                        f"/api/programs/?search={quote(f'{word} {number}')}&page_size={page_size}",
                        datasette(
                            f"{TABLE}.json",
                            _sort="name",
                            _size=page_size,
                            name__contains=f"{word}-",
                            name__gte=f"SYN-0{number}",
                        ),
                    )
                )
    for slug, pk in slugs:
        urls["detail"].append((f"/api/programs/{slug}/", f"{TABLE}/{pk}.json?_shape=objects"))
    for n, name in enumerate(names):
        urls["server floor"].append((f"/healthz?n={n}", f"/-/versions.json?n={n}"))
        urls["read floor"].append(
            (
                f"/api/programs/?fields=slug&page_size=1&page={n + 1}",
                datasette(f"{TABLE}.json", _size=1, _col="slug", _sort="name", name__gte=name),
            )
        )
    for pairs in urls.values():
        rng.shuffle(pairs)
    return urls


def wrk(port, paths, *, duration, connections):
    """Requests/s of ``wrk`` sending ``paths`` in turn (each once; the run is stopped before they run out)."""
    listing = results_dir() / f"paths-{port}.txt"
    listing.write_text("\n".join(paths) + "\n")
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "-s",
            str(LUA),
            f"http://{HOST}:{port}",
            str(listing),
            "2",
        ],
        capture_output=True,
        text=True,
    )
    if out.returncode:
        sys.exit(f"wrk failed on port {port}: {out.stdout}{out.stderr}")
    out = out.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if errors or requests > len(paths):
        print(f"    port {port}: {errors.group(1) if errors else 0} errors, {requests} requests for {len(paths)} URLs")
    return rps, requests


def cpu_seconds(pid):
    """CPU time (user + system) used so far by process ``pid`` and its children (gunicorn's workers).

    A worker gunicorn has replaced (``max_requests``) counts in its parent's ``cutime``/``cstime``.
    """
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if stat.parent.name == str(pid):
                total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
            elif fields[1] == str(pid):
                total += int(fields[11]) + int(fields[12])
    return total / ticks


def ensure_datasette():
    exe = DATASETTE_VENV / "bin" / "datasette"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(DATASETTE_VENV)], check=True)
        subprocess.run(
            [str(DATASETTE_VENV / "bin" / "pip"), "install", "-q", f"datasette=={DATASETTE_VERSION}"], check=True
        )
    return exe


def datasette_server(size, env, port):
    """Datasette serving the same SQLite file, immutable (its fastest mode), as database "bench"."""
    link = DATA / "bench.sqlite3"
    link.unlink(missing_ok=True)
    link.symlink_to(database_file(size).name)
    args = [str(ensure_datasette()), "serve", "-i", str(link), "--host", HOST, "--port", str(port)]
    # Datasette at its fastest for this: no facet suggestions (they run extra queries on every table page).
    args += ["--setting", "default_page_size", "50", "--setting", "num_sql_threads", "3"]
    args += ["--setting", "suggest_facets", "off"]
    return serve(args, port=port, env=env, name="datasette")


def measure(size, args, table):
    env = app_env(prepare(size))
    manage("collectstatic", "--noinput", "-v0", env=env)
    urls = distinct_urls(size)
    servers = {"app": 0, "datasette": 1}  # index of the server's URL in each pair
    with contextlib.ExitStack() as running:
        ports = {name: free_port() for name in servers}
        pids = {
            "app": running.enter_context(
                gunicorn("cgt_tracker.wsgi", port=ports["app"], env=env, workers=args.workers)
            ).pid,
            "datasette": running.enter_context(datasette_server(size, env, ports["datasette"])).pid,
        }
        cores = os.cpu_count()
        print(
            f"\n{size} programs, SQLite, {cores} cores, {args.connections} connections, app: {args.workers} "
            f"gunicorn workers; {args.rounds} rounds of {args.duration}s per kind and server",
            flush=True,
        )
        kinds = KINDS + FLOORS if args.floors else KINDS
        cursor = dict.fromkeys(kinds, 0)

        def take(kind, count):
            start = cursor[kind]
            cursor[kind] += count
            return urls[kind][start : start + count]

        for kind in kinds:  # warm both servers (and every gunicorn worker) on URLs the rounds never use
            warm = take(kind, 500)
            for name, index in servers.items():
                wrk(ports[name], [pair[index] for pair in warm], duration=3, connections=args.connections)
        results = {(name, kind): [] for name in servers for kind in kinds}
        # As many fresh URLs per run as the data allows (a detail run is short of nothing: one URL per program).
        per_run = {
            kind: min(
                args.urls_per_run * {"detail": 2, "server floor": 3}.get(kind, 1),
                (len(urls[kind]) - cursor[kind]) // args.rounds,
            )
            for kind in kinds
        }
        for _ in range(args.rounds):
            for kind in kinds:
                # Both servers get the same requests (each its own form of them), unused by anyone before.
                batch = urls[kind][:1] if args.repeated else take(kind, per_run[kind])
                for name, index in servers.items():
                    paths = [pair[index] for pair in batch]
                    before = cpu_seconds(pids[name])
                    rps, requests = wrk(ports[name], paths, duration=args.duration, connections=args.connections)
                    cpu_ms = (cpu_seconds(pids[name]) - before) * 1000 / max(requests, 1)
                    results[(name, kind)].append((rps, cpu_ms))
    print(
        f"{'kind':<13}{'app req/s':>11}{'Datasette':>11}{'ratio':>7}{'app CPU ms/req':>16}{'Datasette':>11}{'ratio':>7}"
    )
    for kind in kinds:
        app_rps, other_rps = (median(rps for rps, _ in results[(name, kind)]) for name in servers)
        app_cpu, other_cpu = (median(cpu for _, cpu in results[(name, kind)]) for name in servers)
        table.append((size, kind, app_rps, other_rps, app_cpu, other_cpu))
        print(
            f"{kind:<13}{app_rps:11.1f}{other_rps:11.1f}{app_rps / other_rps:7.2f}"
            f"{app_cpu:16.2f}{other_cpu:11.2f}{other_cpu / app_cpu:7.2f}",
            flush=True,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20000, 100000])
    parser.add_argument("--duration", type=int, default=3, help="seconds per run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the median is kept")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--urls-per-run", type=int, default=2500, help="distinct URLs handed to each run")
    parser.add_argument("--repeated", action="store_true", help="one URL per kind, repeated (cache hits)")
    parser.add_argument("--floors", action="store_true", help="also measure what a request costs before it reads")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    results_dir()
    table = []
    for size in args.sizes:
        measure(size, args, table)
    print(
        "\n| programs | kind | app req/s | Datasette req/s | ratio | app CPU ms/request | Datasette CPU ms/request "
        "| ratio |\n|---|---|---|---|---|---|---|---|"
    )
    for size, kind, app, other, app_cpu, other_cpu in table:
        print(
            f"| {size:,} | {kind} | {app:.0f} | {other:.0f} | {app / other:.2f} | {app_cpu:.2f} | {other_cpu:.2f} "
            f"| {other_cpu / app_cpu:.2f} |"
        )


if __name__ == "__main__":
    main()
