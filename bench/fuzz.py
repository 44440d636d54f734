"""Fuzz the API from its own OpenAPI schema with Schemathesis: no 5xx, every response as documented.

    .venv/bin/python bench/fuzz.py [--max-examples 25] [--seed 20250101] [--workers 2]
                                   [--database-url postgres://...] [other `st run` options]

Serves the app under gunicorn with production settings on a throwaway SQLite database (or an empty
database you name), loads the article data and gives a superuser a token so writes are exercised
too, runs `st run` against 127.0.0.1 only, and always stops the server. Exits non-zero on any failure.
"""

import argparse
import re
import subprocess
import sys
import tempfile

from common import BIN, HOST, ROOT, app_env, free_port, gunicorn, manage, results_dir

# No 5xx, and every response documented: its status, content type, headers and body.
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "unsupported_method",
    ]
)
USERNAME = "fuzz"


def create_token(env):
    manage("createsuperuser", "--noinput", "--username", USERNAME, "--email", "fuzz@example.org", env=env)
    output = subprocess.run(
        [str(BIN / "python"), "manage.py", "drf_create_token", USERNAME],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return re.search(r"\b[0-9a-f]{40}\b", output).group()


def schemathesis(port, token, args, extra):
    command = [
        str(BIN / "st"),
        "run",
        f"http://{HOST}:{port}/api/schema/",
        "--checks",
        args.checks,
        "--max-examples",
        str(args.max_examples),
        "--seed",
        str(args.seed),
        "--workers",
        str(args.workers),
        "--request-timeout",
        "30",
        "--generation-database",
        "none",
        "--no-color",
        "--header",
        f"Authorization: Token {token}",
        *extra,
    ]
    return subprocess.run(command, cwd=results_dir()).returncode  # any files st writes go beside the server log


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=25, help="test cases per operation and phase")
    parser.add_argument("--checks", default=CHECKS)
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--workers", type=int, default=2, help="Schemathesis workers (and gunicorn workers)")
    parser.add_argument("--database-url", help="an empty database to use instead of a throwaway SQLite file")
    args, extra = parser.parse_known_args()  # anything else goes to `st run`

    log = results_dir() / "fuzz.log"
    with tempfile.TemporaryDirectory(prefix="cgt-fuzz-") as tmp:
        # Two gunicorn workers write to one SQLite file: take the write lock up front and wait for it.
        database_url = args.database_url or f"sqlite:///{tmp}/fuzz.sqlite3?timeout=30&transaction_mode=IMMEDIATE"
        env = app_env(database_url, DJANGO_SUPERUSER_PASSWORD="fuzz-only-password-8f3k2")
        manage("migrate", "-v0", env=env)
        manage("load_articles", "-v0", env=env)
        token = create_token(env)
        port = free_port()
        with gunicorn("cgt_tracker.wsgi", port=port, env=env, workers=args.workers, name="fuzz"):
            code = schemathesis(port, token, args, extra)
    print(f"schemathesis exit code {code} (server log: {log})")
    return code


if __name__ == "__main__":
    sys.exit(main())
