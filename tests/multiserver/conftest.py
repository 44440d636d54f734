"""App servers in their own processes (gunicorn), on a database of their own, for multi-server tests.

These tests need real services: PostgreSQL (the suite's ``DATABASE_URL``) and, where said, Redis (the
suite's ``DJANGO_CACHE_URL``). Without them they are skipped with the reason, shown in the summary.
"""

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"

SEED = """
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from programs.models import TherapyProgram
admin = User.objects.create_superuser("admin", password="unused-password")
reader = User.objects.create_user("reader", password="unused-password")
TherapyProgram.objects.create(name="Coherence CAR-T", slug="coherence", modality="car_t", description="First.")
print(Token.objects.create(user=admin).key, Token.objects.create(user=reader).key)
"""


def require_postgresql():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs PostgreSQL: run the suite with DATABASE_URL=postgres://...")


def require_redis():
    if not settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        pytest.skip("needs Redis: run the suite with DJANGO_CACHE_URL=redis://...")
    from django.core.cache import cache

    try:
        cache._cache.get_client(write=True).ping()
    except Exception as error:  # whatever the reason, say it and skip
        pytest.skip(f"Redis at {settings.CACHES['default']['LOCATION']} does not answer: {error}")


@pytest.fixture(scope="module")
def redis_location():
    """The suite's Redis (``DJANGO_CACHE_URL``); the test is skipped, with the reason, without one."""
    require_redis()
    return settings.CACHES["default"]["LOCATION"]


@pytest.fixture(scope="module")
def server_env():
    """``server_env(database_url, **variables)``: the environment of an app server."""
    return app_env


def server_url(database_name, *, port=5432):
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or HOST}:{port}/{database_name}"


def admin_connection():
    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"] or HOST, port=db["PORT"] or 5432, user=db["USER"], dbname="postgres", autocommit=True
    )


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def app_env(database_url, **extra):
    """Production settings on plain HTTP over loopback."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "multi-server-tests-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        **extra,
    }


@pytest.fixture(scope="module")
def server_database(request):
    """A fresh PostgreSQL database, migrated, with a program, an admin and a reader (their tokens)."""
    require_postgresql()
    name = f"{settings.DATABASES['default']['NAME']}_servers"
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = server_url(name)
    env = app_env(url)
    env.pop("DJANGO_CACHE_URL", None)
    manage("migrate", "-v0", env=env)
    admin_token, reader_token = manage("shell", "-c", SEED, env=env).split()[-2:]
    yield {"name": name, "url": url, "admin_token": admin_token, "reader_token": reader_token}
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class AppServer:
    """A gunicorn server of the app on a free port; ``start()``/``stop()`` may be called again."""

    def __init__(self, env, log_path):
        self.env, self.log_path, self.port, self.process = env, log_path, free_port(), None
        self.base = f"http://{HOST}:{self.port}"

    def start(self):
        log = open(self.log_path, "a")  # noqa: SIM115 - kept open for the process's life
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "cgt_tracker.wsgi", "--bind", f"{HOST}:{self.port}", "--workers", "1"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if self.request("GET", "/healthz")[0] == 200:
                    return self
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"app server did not start; its log:\n{Path(self.log_path).read_text()}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def request(self, method, path, *, token=None, body=None, headers=None):
        """``(status, parsed JSON or None, headers)``."""
        headers = {"Accept": "application/json", **(headers or {})}
        if token:
            headers["Authorization"] = f"Token {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=10) as response:
                status, content, response_headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, content, response_headers = error.code, error.read(), error.headers
        try:
            parsed = json.loads(content) if content else None
        except ValueError:
            parsed = None
        return status, parsed, response_headers


@pytest.fixture(scope="module")
def start_server(tmp_path_factory):
    """``start_server(env)`` runs an app server until the module's tests are done."""
    servers = []
    logs = tmp_path_factory.mktemp("servers")

    def start(env):
        server = AppServer(env, logs / f"server-{len(servers)}.log").start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
