"""Fault run: two app servers under mixed reads and If-Match writes while PostgreSQL restarts, Redis
restarts, and one app server is killed and started again. Reports requests, 5xx, and lost writes.

    .venv/bin/python bench/fault_run.py [--seconds 240] [--readers 6] [--writers 3]

Everything runs on 127.0.0.1 in services of its own, so nobody else's database or cache is touched: a
throwaway PostgreSQL cluster (``pg_createcluster``, removed at the end; needs root), a Redis server
and two gunicorn servers (``gunicorn.conf.py``, 2 workers each), on free ports.

Clients behave as they would behind a load balancer: readers alternate between the servers; a client
whose server does not answer (connection refused) sends the request to the other server; a 503 is
retried after its ``Retry-After`` (capped at 1 s). Each writer owns one program and appends a marker to
its ``aliases``: it reads the program (ETag), then PATCHes with ``If-Match``; a 412 means re-read and
retry. Where the server sends no ETag the writer compares the ``updated`` field instead (said in the
report). A write whose answer was lost (503, connection error) is checked by reading again before it
is re-sent. At the end every marker a 200 acknowledged must be in the program: any missing is a lost write.
"""

import argparse
import collections
import contextlib
import http.client
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from common import BIN, HOST, ROOT, app_env, free_port, manage, results_dir, wait_for_port

PG_VERSION = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1] if Path("/etc/postgresql").exists() else "15"
CLUSTER = "faultrun"
DB = "cgt_fault"
READ_PATHS = [
    "/api/programs/?page_size=20",
    "/api/programs/?stage_min=phase_1",
    "/api/companies/",
    "/api/programs/cnct19/",
    "/programs/",
]


class Log:
    """What the clients saw, with the time each request began (seconds from the start)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.events = []  # (t, kind, outcome) kind: read | write
        self.notes = collections.Counter()

    def add(self, t, kind, outcome):
        with self.lock:
            self.events.append((t, kind, outcome))

    def note(self, what, n=1):
        with self.lock:
            self.notes[what] += n


class Servers:
    """The two app servers; ``kill(i)`` and ``start(i)`` for the fault schedule."""

    def __init__(self, env, count=2):
        self.env, self.ports, self.procs = env, [free_port() for _ in range(count)], [None] * count
        self.logs = [open(results_dir() / f"fault_run-server{i}.log", "w") for i in range(count)]  # noqa: SIM115

    def start(self, i):
        args = [str(BIN / "gunicorn"), "cgt_tracker.wsgi", "--bind", f"{HOST}:{self.ports[i]}", "--workers", "2"]
        self.procs[i] = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=self.logs[i], stderr=subprocess.STDOUT)
        wait_for_port(self.ports[i], timeout=60)

    def kill(self, i):
        self.procs[i].kill()  # SIGKILL: no graceful shutdown, in-flight requests are cut
        self.procs[i].wait()

    def stop_all(self):
        for proc in self.procs:
            if proc and proc.poll() is None:
                proc.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=10)
                if proc.poll() is None:
                    proc.kill()


class Client:
    """HTTP to whichever server answers, starting with ``preferred``; 503s retried, refusals failed over."""

    def __init__(self, servers, log, begin, preferred, token=None):
        self.servers, self.log, self.begin, self.server, self.token = servers, log, begin, preferred, token
        self.conns = {}  # one keep-alive connection per server

    def _send(self, method, path, body=None, headers=None):
        headers = {"Accept": "application/json", **(headers or {})}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        if self.server not in self.conns:
            self.conns[self.server] = http.client.HTTPConnection(HOST, self.servers.ports[self.server], timeout=15)
        self.conns[self.server].request(method, path, body=data, headers=headers)
        response = self.conns[self.server].getresponse()
        return response.status, response.read(), response.headers

    def request(self, kind, method, path, body=None, headers=None, *, deadline=60.0):
        """Send until a final answer (not 503, not a connection error); every attempt is logged."""
        given_up = time.monotonic() + deadline
        while True:
            t = time.monotonic() - self.begin
            try:
                status, content, response_headers = self._send(method, path, body, headers)
            except (OSError, http.client.HTTPException) as error:
                broken = self.conns.pop(self.server, None)
                if broken is not None:
                    broken.close()
                self.log.add(t, kind, type(error).__name__)
                self.server = 1 - self.server  # the load balancer sends it to the other server
                if time.monotonic() > given_up:
                    return None, b"", {}
                time.sleep(0.1)
                continue
            self.log.add(t, kind, status)
            if status == 503 and time.monotonic() < given_up:
                self.log.note(f"{kind} 503 retried")
                time.sleep(min(1.0, float(response_headers.get("Retry-After", 1))))
                continue
            if status == 503:
                self.log.note(f"{kind} 503 given up")
            return status, content, response_headers


def reader(servers, log, begin, stop, number):
    client = Client(servers, log, begin, preferred=number % 2)
    i = number
    while not stop.is_set():
        client.server = i % 2  # round robin, as a load balancer would
        client.request("read", "GET", READ_PATHS[i % len(READ_PATHS)])
        i += 1


def writer(servers, log, begin, stop, number, token, slug, acknowledged, fallback):
    client = Client(servers, log, begin, preferred=number % 2, token=token)
    path = f"/api/programs/{slug}/"
    seq = 0
    while not stop.is_set():
        seq += 1
        marker = f"fault-{number}-{seq}"
        while True:  # until this marker is in the program
            status, content, headers = client.request("write", "GET", path)
            if status != 200:
                log.note(f"writer read answered {status}")
                time.sleep(0.5)
                continue
            current = json.loads(content)
            if marker in current["aliases"]:
                log.note("write applied although its answer was lost")
                acknowledged.append((slug, marker))
                break
            precondition = {}
            if headers.get("ETag"):
                precondition["If-Match"] = headers["ETag"]
            else:
                fallback.set()
            status, content, _ = client.request(
                "write", "PATCH", path, body={"aliases": [*current["aliases"], marker]}, headers=precondition
            )
            if status == 200:
                if not headers.get("ETag") and json.loads(content)["updated"] <= current["updated"]:
                    log.note("write answered 200 but `updated` did not move")
                acknowledged.append((slug, marker))
                break
            if status == 412:
                log.note("write 412 (re-read and retried)")
                continue
            if status is None:
                continue  # no answer at all: read again to see whether it was applied
            log.note(f"write answered {status}")
            break
        time.sleep(0.2)


def psql(*args, port):
    subprocess.run(["psql", "-h", HOST, "-p", str(port), "-U", "postgres", "-qAt", *args], check=True)


@contextlib.contextmanager
def own_postgres():
    """A throwaway PostgreSQL cluster on a free port, dropped at the end."""
    port = free_port()
    subprocess.run(["pg_dropcluster", PG_VERSION, CLUSTER, "--stop"], capture_output=True)
    subprocess.run(
        ["pg_createcluster", PG_VERSION, CLUSTER, "-p", str(port), "--", "--auth=trust"],
        check=True,
        capture_output=True,
    )
    conf = Path(f"/etc/postgresql/{PG_VERSION}/{CLUSTER}/conf.d/90-local.conf")
    conf.write_text("listen_addresses = '127.0.0.1'\n")
    try:
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, CLUSTER, "start"], check=True)
        yield port
    finally:
        subprocess.run(["pg_dropcluster", PG_VERSION, CLUSTER, "--stop"], capture_output=True)


@contextlib.contextmanager
def own_redis():
    port = free_port()
    args = ["redis-server", "--bind", HOST, "--port", str(port), "--save", "", "--appendonly", "no"]
    state = {"proc": subprocess.Popen(args, stdout=subprocess.DEVNULL)}
    wait_for_port(port)

    def restart(down_seconds):
        state["proc"].terminate()
        state["proc"].wait()
        time.sleep(down_seconds)
        state["proc"] = subprocess.Popen(args, stdout=subprocess.DEVNULL)
        wait_for_port(port)

    try:
        yield port, restart
    finally:
        state["proc"].terminate()
        state["proc"].wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=240.0, help="at most 300")
    parser.add_argument("--readers", type=int, default=6)
    parser.add_argument("--writers", type=int, default=3)
    args = parser.parse_args()
    seconds = min(args.seconds, 300.0)
    schedule = {  # seconds into the run
        "postgres restart": seconds * 0.2,
        "redis restart": seconds * 0.45,
        "app server 2 killed": seconds * 0.65,
        "app server 2 started": seconds * 0.65 + 10,
    }

    with own_postgres() as pg_port, own_redis() as (redis_port, restart_redis):
        psql("-c", f"CREATE DATABASE {DB}", port=pg_port)
        env = app_env(
            f"postgres://postgres@{HOST}:{pg_port}/{DB}",
            DJANGO_CACHE_URL=f"redis://{HOST}:{redis_port}/0",
            DJANGO_LOG_LEVEL="WARNING",
            DJANGO_REQUEST_LOG_LEVEL="WARNING",
        )
        manage("collectstatic", "--noinput", "-v0", env=env)
        manage("migrate", "-v0", env=env)
        manage("load_articles", "-v0", env=env)
        setup = subprocess.run(
            [str(BIN / "python"), "manage.py", "shell", "-c", WRITERS_SETUP.format(writers=args.writers)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        token, slugs = setup[-1 - args.writers], setup[-args.writers :]

        servers = Servers(env)
        log, stop, acknowledged, fallback = Log(), threading.Event(), [], threading.Event()
        timeline = []
        try:
            servers.start(0)
            servers.start(1)
            begin = time.monotonic()
            threads = [
                threading.Thread(target=reader, args=(servers, log, begin, stop, n)) for n in range(args.readers)
            ]
            threads += [
                threading.Thread(
                    target=writer, args=(servers, log, begin, stop, n, token, slugs[n], acknowledged, fallback)
                )
                for n in range(args.writers)
            ]
            for thread in threads:
                thread.start()
            for name, at in sorted(schedule.items(), key=lambda item: item[1]):
                time.sleep(max(0.0, at - (time.monotonic() - begin)))
                started = time.monotonic() - begin
                if name == "postgres restart":
                    subprocess.run(
                        ["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, CLUSTER, "restart", "-m", "fast"],
                        check=True,
                    )
                elif name == "redis restart":
                    restart_redis(2.0)
                elif name == "app server 2 killed":
                    servers.kill(1)
                else:
                    servers.start(1)
                timeline.append((name, started, time.monotonic() - begin))
            time.sleep(max(0.0, seconds - (time.monotonic() - begin)))
            stop.set()
            for thread in threads:
                thread.join(timeout=90)
        finally:
            stop.set()
            servers.stop_all()

        final = subprocess.run(
            [
                "psql",
                "-h",
                HOST,
                "-p",
                str(pg_port),
                "-U",
                "postgres",
                "-d",
                DB,
                "-qAt",
                "-c",
                "SELECT slug, aliases FROM programs_therapyprogram WHERE slug LIKE 'fault-run-%'",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    stored = {line.split("|", 1)[0]: set(json.loads(line.split("|", 1)[1])) for line in final.splitlines()}
    lost = [(slug, marker) for slug, marker in acknowledged if marker not in stored.get(slug, set())]
    report(log, timeline, seconds, args, acknowledged, lost, fallback.is_set())
    return 0 if not lost and not any(o == 500 for _, _, o in log.events) else 1


WRITERS_SETUP = """
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from programs.models import TherapyProgram
admin = User.objects.create_superuser("fault-run", password="unused-password")
slugs = [TherapyProgram.objects.create(name=f"Fault run {{n}}", slug=f"fault-run-{{n}}", modality="car_t").slug
         for n in range({writers})]
print(Token.objects.create(user=admin).key, *slugs)
"""


def report(log, timeline, seconds, args, acknowledged, lost, fallback):
    lines = [
        f"fault run: {seconds:.0f} s, {args.readers} readers + {args.writers} writers, 2 app servers x 2 workers, "
        f"{os.cpu_count()} cores",
        "",
        "| event | began (s) | done (s) |",
        "|---|---|---|",
        *[f"| {name} | {a:.1f} | {b:.1f} |" for name, a, b in timeline],
        "",
        "| outcome | reads | writes |",
        "|---|---|---|",
    ]
    by = collections.Counter((kind, outcome) for _, kind, outcome in log.events)
    outcomes = sorted({outcome for _, outcome in by}, key=str)
    for outcome in outcomes:
        lines.append(f"| {outcome} | {by['read', outcome]} | {by['write', outcome]} |")
    total = collections.Counter(kind for _, kind, _ in log.events)
    lines.append(f"| all | {total['read']} | {total['write']} |")
    five = [(t, o) for t, _, o in log.events if isinstance(o, int) and o >= 500]
    pg = next(((a, b) for name, a, b in timeline if name == "postgres restart"), None)
    lines += ["", f"5xx: {len(five)} ({sum(1 for _, o in five if o == 500)} of them 500)"]
    if five:
        lines.append(f"5xx from {min(t for t, _ in five):.1f} s to {max(t for t, _ in five):.1f} s into the run")
        if pg:
            outside = [t for t, _ in five if not pg[0] - 0.5 <= t <= pg[1] + 5]
            lines.append(f"5xx outside the PostgreSQL restart (+5 s): {len(outside)}")
    lines += [f"{what}: {n}" for what, n in sorted(log.notes.items())]
    lines += [
        f"writes acknowledged: {len(acknowledged)}; lost: {len(lost)}",
        "stale-write check: " + ("`updated` (the servers sent no ETag)" if fallback else "ETag / If-Match"),
    ]
    text = "\n".join(lines)
    print(text)
    (results_dir() / "fault_run.txt").write_text(text + "\n")


if __name__ == "__main__":
    sys.exit(main())
