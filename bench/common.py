"""Helpers shared by the benchmark and the load-and-fault test: start servers, wait, clean up.

Everything here talks to 127.0.0.1 only.
"""

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def app_env(database_url, **extra):
    """Production-like settings on plain HTTP over loopback, with throttling out of the way."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-not-used-anywhere-else-0123456789abcdef",
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_THROTTLE_ANON": "off",
        "DJANGO_THROTTLE_USER": "off",
        "DJANGO_LOG_LEVEL": "WARNING",
        **extra,
    }


def manage(*args, env):
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_for_port(port, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listening on {HOST}:{port} after {timeout}s")


@contextlib.contextmanager
def serve(args, *, port, env, cwd=ROOT, name="server"):
    """Run a server process for the duration of the block; always stopped afterwards."""
    log = open(ROOT / "bench" / "results" / f"{name}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def gunicorn(app, *, port, env, workers=2, name="gunicorn", cwd=ROOT):
    args = [
        str(BIN / "gunicorn"),
        app,
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--log-level",
        "warning",
        "--timeout",
        "30",
    ]
    if os.environ.get("BENCH_ACCESS_LOG") != "1":
        args.remove("--access-logfile")
        args.remove("-")
    return serve(args, port=port, env=env, cwd=cwd, name=name)


def create_token(env, username):
    """A superuser ``username`` with an API token: its key."""
    manage("createsuperuser", "--noinput", "--username", username, "--email", f"{username}@example.org", env=env)
    output = subprocess.run(
        [str(BIN / "python"), "manage.py", "drf_create_token", username],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return re.search(r"\b[0-9a-f]{40}\b", output).group()


def results_dir():
    path = ROOT / "bench" / "results"
    path.mkdir(parents=True, exist_ok=True)
    return path


def die(message):
    print(message, file=sys.stderr)
    sys.exit(1)
