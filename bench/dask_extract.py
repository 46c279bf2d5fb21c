"""Extraction on a distributed engine (a local Dask cluster), checked against one process.

Extraction is embarrassingly parallel per paper: each Dask partition runs kg's own spaCy
pipeline (:func:`kg.extract.analyze_papers`, loaded once per worker process) and sends back
plain tuples; the light corpus-level step (acronyms across papers, entity merging) runs once
on the driver (:func:`kg.extract.build_corpus`). On a real cluster only the scheduler address
changes; linking and the Neo4j export stay single-node (they take seconds, see bench/README.md).

    .venv/bin/python bench/dask_extract.py --papers 2000 --partitions 8 --workers 2

It prints both timings and checks that every paper's ``kg extract`` record is identical.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpora" / "arxiv_cs"


def analyze_partition(papers):
    from kg.extract import analyze_papers

    return list(analyze_papers(list(papers)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--papers", type=int, default=2000)
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    import dask.bag as db

    from kg.extract import build_corpus, extract, to_record
    from kg.read.records import to_paper

    papers = []
    with gzip.open(CORPUS / "arxiv_cs_03.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            papers.append(to_paper(json.loads(line), "arxiv_cs_03"))
            if len(papers) == args.papers:
                break

    t = time.perf_counter()
    bag = db.from_sequence(papers, npartitions=args.partitions)
    results = bag.map_partitions(analyze_partition).compute(scheduler="processes", num_workers=args.workers)
    dask_corpus = build_corpus(papers, results)
    dask_s = time.perf_counter() - t

    t = time.perf_counter()
    local_corpus = extract(papers)
    local_s = time.perf_counter() - t

    same = [
        to_record(a, dask_corpus) == to_record(b, local_corpus)
        for a, b in zip(dask_corpus.extractions, local_corpus.extractions, strict=True)
    ]
    print(
        f"dask: {len(papers)} papers in {args.partitions} partitions on {args.workers} worker processes: "
        f"{dask_s:.1f} s ({len(papers) / dask_s:.0f} papers/s)"
    )
    print(f"one process: {local_s:.1f} s ({len(papers) / local_s:.0f} papers/s)")
    print(
        f"identical records: {sum(same)}/{len(same)}; entities {len(dask_corpus.entities)} vs {len(local_corpus.entities)}"
    )
    sys.exit(0 if all(same) and dask_corpus.entities.keys() == local_corpus.entities.keys() else 1)


if __name__ == "__main__":
    main()
