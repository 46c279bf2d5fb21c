"""Two ways the recognizer can run, side by side: the spaCy default next to what kg does.

``--switch blas`` (the default): the matrix products on thinc's default blis (``KG_BLIS=1``)
next to numpy's BLAS (what kg uses). ``--switch vectors``: each token's floret word vector
computed for every token, as spaCy does (``KG_VECTOR_CACHE=0``), next to kg's cache of each
word's vector (:mod:`kg.extract.vectors`).

    .venv/bin/python bench/blas.py                    # 1,000 papers, one process and --jobs 2, 3 runs
    .venv/bin/python bench/blas.py --switch vectors --jobs 1 --repeat 5
    .venv/bin/python bench/blas.py --papers 10000 --repeat 1 --build   # and `kg build` of them

Each run extracts the same papers with ``kg.extract.extract`` in a fresh process (so each
loads its pipeline as a user's run does), both ways, alternating, and reports medians, the
ratio, and whether both found exactly the same mentions. With ``--build`` it also times the
whole ``kg build`` (no flags) of the papers both ways. The machine is shared and noisy: read
the ratio, and repeat.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import KG, corpus_subset  # noqa: E402  (bench/run.py: the first N corpus records)

_CHILD = """
import hashlib, json, sys, time
from kg.read import read_all
from kg.extract import extract
papers = read_all([sys.argv[1]]).papers
t = time.perf_counter()
corpus = extract(papers, n_process=int(sys.argv[2]))
seconds = time.perf_counter() - t
found = [[(m.field, m.start, m.end, m.type) for m in x.mentions] for x in corpus.extractions]
digest = hashlib.sha256(json.dumps(found).encode()).hexdigest()[:16]
print(json.dumps({"seconds": seconds, "mentions": sum(map(len, found)), "digest": digest}))
"""


#: switch -> (environment variable, its value the spaCy way, its value kg's way, the two names)
SWITCHES = {
    "blas": ("KG_BLIS", "1", "0", "blis", "numpy"),
    "vectors": ("KG_VECTOR_CACHE", "0", "1", "per token", "cached"),
}


def _env(switch: str, default: bool) -> dict:
    var, spacy_way, kg_way, *_ = SWITCHES[switch]
    return {**os.environ, var: spacy_way if default else kg_way}


def run_extract(path: Path, jobs: int, switch: str, default: bool) -> dict:
    env = _env(switch, default)
    r = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(jobs)], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(r.stdout.strip().splitlines()[-1])


def run_build(path: Path, out: Path, switch: str, default: bool) -> float:
    env = _env(switch, default)
    t = time.perf_counter()
    subprocess.run([str(KG), "--quiet", "build", str(path), "-o", str(out)], env=env, check=True, capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--switch", choices=sorted(SWITCHES), default="blas")
    ap.add_argument("--papers", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--build", action="store_true", help="also time `kg build` (no flags) both ways")
    args = ap.parse_args()
    names = dict(zip((True, False), SWITCHES[args.switch][3:], strict=True))
    with tempfile.TemporaryDirectory() as tmp:
        path = corpus_subset(args.papers, Path(tmp))
        rows = []
        for jobs in args.jobs:
            times: dict[bool, list[float]] = {True: [], False: []}
            digests = set()
            for _ in range(args.repeat):
                for default in (True, False):
                    r = run_extract(path, jobs, args.switch, default)
                    times[default].append(r["seconds"])
                    digests.add(r["digest"])
                    print(f"  jobs={jobs} {names[default]} {r['seconds']:.1f} s", file=sys.stderr)
            b, n = statistics.median(times[True]), statistics.median(times[False])
            rows.append((f"extract, --jobs {jobs}", b, n, len(digests) == 1))
        if args.build:
            times = {True: [], False: []}
            for i in range(args.repeat):
                for default in (True, False):
                    times[default].append(run_build(path, Path(tmp) / f"out-{default}-{i}", args.switch, default))
                    print(f"  build {names[default]} {times[default][-1]:.1f} s", file=sys.stderr)
            rows.append(("kg build (no flags)", statistics.median(times[True]), statistics.median(times[False]), None))
    print(f"{args.papers:,} arXiv papers, medians of {args.repeat}")
    print(f"{'run':<24} {names[True] + ' s':>10} {names[False] + ' s':>10} {'speed-up':>9}  same mentions")
    for name, b, n, same in rows:
        print(f"{name:<24} {b:10.1f} {n:10.1f} {b / n:8.2f}x  {'' if same is None else same}")


if __name__ == "__main__":
    main()
