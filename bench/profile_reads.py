"""Where a cold API read spends its time: CPU milliseconds per request, in-process, response cache off,
on the benchmark database (made by compare.py), every URL distinct; ``--profile KIND`` adds cProfile's view.

    .venv/bin/python bench/profile_reads.py [--size 20000] [--requests 100] [--profile list]

CPU time (``time.process_time``), not wall time: on a machine shared with other work the wall clock
measures the neighbours as much as the app.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time

from common import ROOT, app_env

KINDS = {
    "list": lambda i: f"/api/programs/?page={i % 300 + 1}&page_size={48 + i % 5}",
    "filter": lambda i: f"/api/programs/?stage={['phase_1', 'phase_2', 'preclinical'][i % 3]}&modality=car_t"
    f"&page={i % 2 + 1}&page_size={40 + i % 20}",
    "search": lambda i: f"/api/programs/?search=Helix%20{10 + i % 90}&page_size={49 + i % 3}",
    "detail": lambda i: f"/api/programs/syn-program-{i * 37 % 20000:06d}/",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--profile", choices=KINDS)
    args = parser.parse_args()
    database = ROOT / "bench" / "data" / f"bench-{args.size}.sqlite3"
    os.environ.update(app_env(f"sqlite:///{database}", DJANGO_CACHE_URL="dummycache://", DJANGO_ALLOWED_HOSTS="*"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "cgt_tracker.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    client = Client()
    for kind, url in KINDS.items():
        for i in range(5):  # warm: imports, compiled queries
            client.get(url(args.requests + i))
        profiler = cProfile.Profile() if kind == args.profile else None
        start = time.process_time()
        if profiler:
            profiler.enable()
        for i in range(args.requests):
            response = client.get(url(i))
            assert response.status_code == 200, (url(i), response.status_code)
        if profiler:
            profiler.disable()
        print(f"{kind:<8}{(time.process_time() - start) * 1000 / args.requests:7.2f} ms CPU per request")
        if profiler:
            pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(40)


if __name__ == "__main__":
    main()
