"""Fuzz the API from its own OpenAPI schema with Schemathesis, as an anonymous client and as staff.

    .venv/bin/python bench/fuzz.py [--max-examples 5] [--seed 20250101] [--workers 2] [--as staff]
                                   [--database-url postgres://...] [other `st run` options]

Serves the app under gunicorn with production settings on a throwaway SQLite database (or an empty
database you name), loads the article data, and runs `st run` against 127.0.0.1 only, twice:

- **anonymous**: reads and refused writes; no 5xx and every response as documented;
- **staff**, with a superuser's token: every check Schemathesis has (`--checks all`: schema-valid
  requests accepted, invalid ones refused, auth enforced, deleted records gone…) in every phase, the
  stateful one included (it follows the schema's OpenAPI links: create, read, change with `If-Match`,
  delete). `fuzz_hooks.py` makes each schema-valid request name records that exist (see there), and
  `schemathesis.toml` counts a 412 (a stale `If-Match`) with 404 and 409 as a valid request's refusal
  that depends on state.

Always stops the server. Exits non-zero on any failure of either run.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import urllib.request

from common import BIN, HOST, ROOT, app_env, create_token, free_port, gunicorn, manage, results_dir

# Anonymous: no 5xx, and every response documented: its status, content type, headers and body.
ANONYMOUS_CHECKS = ",".join(
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
ROLES = ("anonymous", "staff")


def fetch_schema(port):
    """The served schema, saved to a file: generating it can take longer than Schemathesis waits for it."""
    path = results_dir() / "schema.json"
    with urllib.request.urlopen(f"http://{HOST}:{port}/api/schema/?format=json", timeout=120) as response:
        path.write_bytes(response.read())
    return path


def schemathesis(port, role, token, args, extra, env):
    command = [
        str(BIN / "st"),
        "--config-file",
        str(ROOT / "bench" / "schemathesis.toml"),
        "run",
        str(fetch_schema(port)),
        "--url",
        f"http://{HOST}:{port}",
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
    ]
    if role == "staff":
        command += ["--checks", "all", "--header", f"Authorization: Token {token}"]
        # One worker: the hooks name records that exist when a case is made, which a second worker's DELETE
        # could remove before the case is sent (a 400 for a record that is gone, which is right, but no finding).
        command[command.index("--workers") + 1] = "1"
    else:
        # The staff run's coverage phase reads everything too; this one looks at what strangers see.
        command += ["--checks", ANONYMOUS_CHECKS, "--phases", "examples,fuzzing"]
    # The hooks read the server's database to find records that exist.
    hooks_env = {**env, "SCHEMATHESIS_HOOKS": "fuzz_hooks", "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'bench'}"}
    print(f"== Schemathesis as {role} ==", flush=True)
    return subprocess.run([*command, *extra], cwd=results_dir(), env=hooks_env).returncode


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=5, help="test cases per operation and phase")
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--workers", type=int, default=2, help="Schemathesis workers (and gunicorn workers)")
    parser.add_argument("--as", dest="roles", action="append", choices=ROLES, help="only this run (repeatable)")
    parser.add_argument("--database-url", help="an empty database to use instead of a throwaway SQLite file")
    args, extra = parser.parse_known_args()  # anything else goes to `st run`

    log = results_dir() / "fuzz.log"
    codes = {}
    with tempfile.TemporaryDirectory(prefix="cgt-fuzz-") as tmp:
        database_url = args.database_url or f"sqlite:///{tmp}/fuzz.sqlite3"
        env = app_env(database_url, DJANGO_SUPERUSER_PASSWORD="fuzz-only-password-8f3k2")
        manage("migrate", "-v0", env=env)
        manage("load_articles", "-v0", env=env)
        manage("collectstatic", "--noinput", "-v0", env=env)  # error pages, too, link hashed static files
        token = create_token(env, USERNAME)
        port = free_port()
        with gunicorn("cgt_tracker.wsgi", port=port, env=env, workers=args.workers, name="fuzz"):
            for role in args.roles or ROLES:
                codes[role] = schemathesis(port, role, token, args, extra, env)
    print(f"schemathesis exit codes {codes} (server log: {log})")
    return max(codes.values())


if __name__ == "__main__":
    sys.exit(main())
