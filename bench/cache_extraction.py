"""Run the per-paper pipeline once and keep its results, so that corpus-level steps
(entity resolution, linking) can be timed and studied without re-running spaCy.

    .venv/bin/python bench/cache_extraction.py ../shared/data/corpora/arxiv_cs/*.jsonl.gz \\
        -o /work/builds/arxiv-all.results.pkl --jobs 2

The pickle holds ``{"inputs": [...], "papers": [Paper, ...], "results": [(DocResult, DocResult), ...]}``
(plain data, no spaCy types). ``bench/resolve.py`` reads it. About 8-10 minutes for all
74,728 arXiv abstracts with ``--jobs 2`` on a 2-core machine.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

from tqdm import tqdm

from kg.extract import analyze_papers
from kg.read import read_papers


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("-o", "--out", required=True, type=Path)
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    papers = read_papers(args.inputs)
    results = list(
        tqdm(
            analyze_papers(papers, n_process=args.jobs), total=len(papers), unit="paper", file=sys.stderr, mininterval=2
        )
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    with tmp.open("wb") as f:
        pickle.dump({"inputs": args.inputs, "papers": papers, "results": results}, f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(args.out)
    print(f"{len(papers):,} papers -> {args.out} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
