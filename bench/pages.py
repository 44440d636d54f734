"""How fast the public pages answer URLs nobody asked for before, at scale (issue 13, item 7).

    DATABASE_URL=postgres://... .venv/bin/python bench/pages.py [--per-kind 100] [--workers 1]

Needs the article records plus ``manage.py synthetic_data`` (100,000 programs) in that database. Starts
gunicorn with production settings and a per-process memory cache, warms the worker on URLs outside the
sample, then sends each URL of the sample once, kinds shuffled together, and reports the latency per kind
(median, 90th percentile), the way a visitor meets the pages: every URL is new, so no response is
repeated from a cache; only the counts kept per data version (facets, totals, the number of rows of a
filter) are shared between URLs that ask for the same ones. ``first`` is each kind's very first request
after the start, when even those are still to be counted.
"""

import argparse
import http.client
import os
import random
import statistics
import time

from common import HOST, app_env, die, free_port, gunicorn, manage, results_dir

STAGES = ["preclinical", "ind_approved", "phase_1", "phase_1_2", "phase_2", "phase_3"]
MODALITIES = ["car_t", "msc", "gene_therapy", "nk", "car_nk", "tcr_t", "ipsc", "gene_editing"]
TOKENS = ["CAR", "MSC", "GENE", "NK", "TCR", "IPSC", "TIL", "DC"]
WORDS = ["Helix", "Nova", "Vita", "Onco", "Genix", "Medi", "Immuno", "Cure", "Thera", "Bio", "Gene", "Cell"]


def samples(kind, n, rng):
    """``n`` distinct URLs of a kind of page."""
    if kind == "dashboard":  # one page: distinct query strings it ignores, so no proxy could answer for it
        return [f"/?visit={i}" for i in range(n)]
    if kind == "list":
        return [f"/programs/?page={page}" for page in rng.sample(range(2, 4000), n)]
    if kind == "filtered":
        combos = [(s, m, page) for s in STAGES for m in MODALITIES for page in (1, 2, 3)]
        return [f"/programs/?stage={s}&modality={m}&page={page}" for s, m, page in rng.sample(combos, n)]
    if kind == "search":
        terms = [f"{word} {token}" for word in WORDS for token in TOKENS]
        terms += [f"SYN-0{number:04d}" for number in range(10000)]
        return [f"/programs/?search={term.replace(' ', '+')}" for term in rng.sample(terms, n)]
    raise ValueError(kind)


KINDS = ["dashboard", "list", "filtered", "search"]
WARM_URLS = ["/about/", "/companies/", "/policies/", "/sources/", "/programs/syn-program-000001/"]


def get(connection, path):
    start = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != 200:
        die(f"{path}: HTTP {response.status}")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-kind", type=int, default=100, help="distinct URLs of each kind")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL") or die("set DATABASE_URL to the database with synthetic data")

    results_dir()  # gunicorn's log goes there
    env = app_env(database_url)
    manage("collectstatic", "--noinput", "--verbosity", "0", env=env)  # production settings serve hashed files
    port = free_port()
    rng = random.Random(13)
    times = {kind: [] for kind in KINDS}
    first = {}
    with gunicorn("cgt_tracker.wsgi", port=port, env=env, workers=args.workers, name="pages"):
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        for path in WARM_URLS:
            get(connection, path)
        urls = [(kind, url) for kind in KINDS for url in samples(kind, args.per_kind, rng)]
        rng.shuffle(urls)
        for kind, url in urls:
            elapsed = get(connection, url)
            if kind not in first:
                first[kind] = elapsed
            else:
                times[kind].append(elapsed)
        connection.close()

    print(f"{os.cpu_count()} cores; {args.per_kind} distinct URLs of each kind, interleaved; ms")
    print(f"{'page':<10} {'first':>8} {'median':>8} {'p90':>8} {'n':>5}")
    for kind in KINDS:
        values = sorted(times[kind])
        p90 = values[int(len(values) * 0.9) - 1] if values else float("nan")
        print(f"{kind:<10} {first[kind]:>8.1f} {statistics.median(values):>8.1f} {p90:>8.1f} {len(values):>5}")


if __name__ == "__main__":
    main()
