"""The corpus-level rules measured where they work: the annotated test split extracted inside a
real build of unannotated arXiv abstracts.

``kg eval`` runs the test split's 371 papers as a corpus of their own, too small for the rules
that read the whole corpus (``corpus_acronyms``, ``hubs``) to trigger. Here the same papers are
extracted together with the papers of ``INPUT`` files (any format ``kg build`` reads; papers of
an annotated set are left out) and only the test split is scored, with the shipped rules and
with each corpus-level rule removed, as a Markdown table for training/README.md.

Usage::

    python training/in_corpus.py ../shared/data/corpora/arxiv_cs/arxiv_cs_0{0,1}.jsonl.gz [--jobs 2]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kg.evaluate import _read_jsonl, arxiv_split, paper_scores
from kg.extract.rules import DEFAULT_RULES
from kg.read import read_file

ANNOTATED = Path("../shared/data/train/arxiv_annotated/annotated.jsonl")
#: the rules that read the whole corpus
CORPUS_RULES = ("corpus_acronyms", "hubs")
MEASURES = ("ALL", "METHOD", "DATASET", "BENCHMARK", "introduces", "mentions overlap")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="+", help="the unannotated papers to build with")
    ap.add_argument("--annotated", type=Path, default=ANNOTATED)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    rows = _read_jsonl(args.annotated)
    annotated = {r["id"] for r in rows}
    for extra in Path(__file__).with_name("data").glob("*.jsonl"):
        annotated |= {r["id"] for r in _read_jsonl(extra)}
    test = [r for r in rows if arxiv_split(r["id"]) == "test"]
    background = [p for f in args.inputs for p in read_file(f) if p.id not in annotated]
    print(f"{len(test)} test-split papers inside {len(background)} unannotated papers\n")
    print("| rules | " + " | ".join(f"{m} F1 (P)" for m in MEASURES) + " | seconds |")
    print("|---|" + "---|" * (len(MEASURES) + 1))
    for label, rules in [("shipped", DEFAULT_RULES)] + [(f"without {r}", DEFAULT_RULES - {r}) for r in CORPUS_RULES]:
        t0 = time.perf_counter()
        scores = {
            s.measure: s
            for s in paper_scores("in corpus", test, n_process=args.jobs, rules=rules, background=background)
        }
        cells = [f"{scores[m].f1:.3f} ({scores[m].precision:.3f})" for m in MEASURES]
        print(f"| {label} | " + " | ".join(cells) + f" | {time.perf_counter() - t0:.0f} |", flush=True)


if __name__ == "__main__":
    main()
