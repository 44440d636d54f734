"""No lost update under concurrent writers: two clients PATCH the same records with If-Match.

    .venv/bin/python bench/if_match.py --database-url postgres://postgres@127.0.0.1:5432/EMPTY_DB
                                       [--writes 500] [--records 3] [--workers 4]

Serves the app under gunicorn (production settings, throttles off) on the database you name (migrated and
loaded with the article records), gives a superuser a token, and runs two client threads. Each makes
``--writes`` PATCHes, round the same few companies, each setting ``description`` to a value no other write
uses and sending the ETag it last saw as ``If-Match``; on a 412 it reads the record again and retries that
write. At the end it checks the change history: every accepted write is in it exactly once, no refused one
is, and each record ends at its last accepted value. Exits non-zero on a lost or duplicated write or any 5xx.
"""

import argparse
import json
import subprocess
import sys
import threading
import time

import requests
from common import BIN, HOST, ROOT, app_env, create_token, free_port, gunicorn, manage

CLIENTS = 2


class Client(threading.Thread):
    def __init__(self, name, base, token, slugs, writes):
        super().__init__(name=name)
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Token {token}"
        self.base, self.slugs, self.writes = base, slugs, writes
        self.etags = {}
        self.accepted = []  # (slug, value, seconds since start), in the order the server answered
        self.statuses = {}
        self.rereads = 0

    def request(self, method, slug, **kwargs):
        response = self.session.request(method, f"{self.base}/api/companies/{slug}/", timeout=30, **kwargs)
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        return response

    def read(self, slug):
        self.etags[slug] = self.request("GET", slug).headers["ETag"]

    def run(self):
        for n in range(self.writes):
            slug = self.slugs[n % len(self.slugs)]
            value = f"{self.name} write {n}"
            if slug not in self.etags:
                self.read(slug)
            while True:
                body, headers = {"description": value}, {"If-Match": self.etags[slug]}
                response = self.request("PATCH", slug, json=body, headers=headers)
                if response.status_code == 412:
                    self.rereads += 1
                    self.read(slug)
                    continue
                if response.status_code == 200:
                    self.etags[slug] = response.headers["ETag"]
                    self.accepted.append((slug, value))
                break  # anything else is counted in statuses and reported


HISTORY = """
import json
from companies.models import Company
slugs = {slugs!r}
rows = Company.history.filter(slug__in=slugs).order_by("history_date", "history_id")
print(json.dumps({{
    "history": [[row.slug, row.description] for row in rows],
    "final": dict(Company.objects.filter(slug__in=slugs).values_list("slug", "description")),
}}))
"""


def history(env, slugs):
    output = subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "-c", HISTORY.format(slugs=slugs)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="an empty PostgreSQL database (it is filled)")
    parser.add_argument("--writes", type=int, default=500, help="PATCHes per client")
    parser.add_argument("--records", type=int, default=3, help="how many companies the clients share")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    args = parser.parse_args()

    env = app_env(args.database_url)
    manage("migrate", "-v0", env=env)
    manage("load_articles", "-v0", env=env)
    token = create_token(env, "if-match-bench")
    slugs = json.loads(
        subprocess.run(
            [
                str(BIN / "python"),
                "manage.py",
                "shell",
                "-c",
                "import json; from companies.models import Company; "
                "print(json.dumps(list(Company.objects.order_by('slug').values_list('slug', flat=True))))",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip().splitlines()[-1]
    )[: args.records]
    port = free_port()
    with gunicorn("cgt_tracker.wsgi", port=port, env=env, workers=args.workers, name="if_match"):
        base = f"http://{HOST}:{port}"
        clients = [Client(f"client-{i + 1}", base, token, slugs, args.writes) for i in range(CLIENTS)]
        started = time.monotonic()
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        seconds = time.monotonic() - started

    result = history(env, slugs)
    in_history = {}
    for slug, description in result["history"]:
        in_history[slug, description] = in_history.get((slug, description), 0) + 1
    accepted = [write for client in clients for write in client.accepted]
    lost = [write for write in accepted if in_history.get(write, 0) == 0]
    twice = [write for write in accepted if in_history.get(write, 0) > 1]
    refused_in_history = [key for key in in_history if key[1].startswith("client-") and key not in set(accepted)]
    last_by_slug = dict(result["history"])  # history is in the order it was written
    final_ok = all(result["final"][slug] == last_by_slug[slug] for slug in slugs)
    statuses = {}
    for client in clients:
        for code, count in client.statuses.items():
            statuses[code] = statuses.get(code, 0) + count
    server_errors = sum(count for code, count in statuses.items() if code >= 500)

    rows = [
        ("clients x PATCHes", f"{CLIENTS} x {args.writes} on {len(slugs)} companies ({args.workers} gunicorn workers)"),
        ("requests", f"{sum(statuses.values())} in {seconds:.1f} s ({sum(statuses.values()) / seconds:.0f}/s)"),
        ("responses", ", ".join(f"{code}: {count}" for code, count in sorted(statuses.items()))),
        ("writes accepted (200)", str(len(accepted))),
        ("stale writes refused (412)", f"{sum(c.rereads for c in clients)}, each re-read and retried"),
        ("accepted writes in history", f"{len(accepted) - len(lost)} of {len(accepted)}, {len(twice)} more than once"),
        ("refused writes in history", str(len(refused_in_history))),
        ("records end at last write", "yes" if final_ok else "NO"),
        ("server errors (5xx)", str(server_errors)),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    ok = not lost and not twice and not refused_in_history and final_ok and server_errors == 0
    ok = ok and len(accepted) == CLIENTS * args.writes
    print("OK: no write lost" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
