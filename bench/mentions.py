"""Mentions of a 50 KB article against 100,000 synthetic names: automaton build time and memory, search time.

    .venv/bin/python bench/mentions.py [--names 100000] [--kb 50] [--rounds 5]

No database: the names are made here, half Latin and half Chinese, in the shape intake gives them
(kind, slug, name); the article is the five seed articles repeated to the size asked, with some of
the synthetic names written into it.
"""

import argparse
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cgt_tracker.settings")

import django  # noqa: E402

django.setup()

from intake.mentions import NameIndex, find_mentions  # noqa: E402

SYLLABLES = ["gen", "cel", "bio", "thera", "nova", "vita", "medi", "cura", "zen", "lux", "onco", "immu", "star"]
HANZI = "细胞基因治疗生物医药科技研究院医院大学中心集团华康瑞达泰和盛源新"
KINDS = ["program", "company", "institution", "policy"]


def synthetic_names(count, rng):
    for n in range(count):
        if n % 2:
            name = "".join(rng.choice(HANZI) for _ in range(rng.randint(4, 10)))
        else:
            name = " ".join("".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize() for _ in range(2))
            name += rng.choice([" Therapeutics", " Biotech Co., Ltd.", " Hospital", f" {n}"])
        yield KINDS[n % 4], f"syn-{n}", name


def article(kb, names, rng):
    base = "\n\n".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "seeds").glob("*.txt")))
    parts = []
    while sum(map(len, parts)) < kb * 1024:
        parts.append(base[: rng.randint(2000, len(base))])
        parts.append(f" {rng.choice(names)[2]} entered phase II on July 2, 2021. ")
    return "".join(parts)[: kb * 1024]


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--names", type=int, default=100_000)
    parser.add_argument("--kb", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(7)
    names = list(synthetic_names(args.names, rng))
    text = article(args.kb, names, rng)

    before = rss_mb()
    started = time.perf_counter()
    index = NameIndex(names)
    build = time.perf_counter() - started
    grown = rss_mb() - before

    timings, found = [], []
    for _ in range(args.rounds):
        started = time.perf_counter()
        found = find_mentions(text, index)
        timings.append(time.perf_counter() - started)

    print(f"names                {args.names:,} ({len(index):,} distinct keys)")
    print(f"article              {len(text):,} characters")
    print(f"automaton build      {build:.2f} s")
    print(f"automaton memory     +{grown:.0f} MB peak RSS")
    median = statistics.median(timings) * 1000
    print(f"mentions per article {median:.0f} ms median of {args.rounds} ({len(found)} found)")


if __name__ == "__main__":
    main()
