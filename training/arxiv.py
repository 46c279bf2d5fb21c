"""Turn the annotated arXiv abstracts into spaCy DocBin files for kg's recognizer.

``../shared/data/train/arxiv_annotated/annotated.jsonl`` holds arXiv cs abstracts annotated with
the seed guideline: per paper its entities and every written occurrence as a character span
(``field``, ``start``, ``end``, ``type``). Title and abstract become two docs, tokenised by the
same tokenizer kg runs (``en_core_web_sm``'s), the spans carried over by character offsets.

The split is fixed by a hash of the paper id (:func:`kg.evaluate.arxiv_split`): ``test`` (two
tenths; ``kg eval`` scores it, never trained on), ``dev`` (one tenth, checkpoint selection),
``train``. ``--fold K`` (1-4) writes a cross-validation fold instead
(:func:`kg.evaluate.arxiv_cv_split`): fold K is held out, the other three folds of the train
part are trained on, and the test split stays unused.

Usage::

    python training/arxiv.py ../shared/data/train/arxiv_annotated/annotated.jsonl training/corpus/arxiv
    python training/arxiv.py ANNOTATED DEST --fold 2
    python training/arxiv.py ANNOTATED DEST --extra more.jsonl   # further annotated abstracts (train only)
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from spacy.tokens import DocBin
from spacy.util import filter_spans

from kg.evaluate import arxiv_cv_split
from kg.extract.pipeline import load_base

LABELS = ("METHOD", "DATASET", "BENCHMARK")


def record_docs(nlp, record: dict, stats: Counter):
    """The title doc and the abstract doc of one annotated record, with its entities set."""
    for field in ("title", "abstract"):
        text = record.get(field) or ""
        if not text.strip():
            continue
        doc = nlp.make_doc(text)
        ents = []
        for span in record.get("spans", ()):
            if span["field"] != field or span["type"] not in LABELS:
                continue
            s = doc.char_span(span["start"], span["end"], label=span["type"])
            if s is None:
                # a name inside a URL or a LaTeX macro ("github.com/x/ReplayCAD"): the token is
                # no entity, and the recognizer must never output URLs
                stats["inside a token"] += 1
                continue
            ents.append(s)
            stats["spans"] += 1
        doc.ents = filter_spans(ents)
        stats["docs"] += 1
        yield doc


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("annotated")
    ap.add_argument("dest")
    ap.add_argument("--fold", type=int, default=None, help="write cross-validation fold K (0-4) instead")
    ap.add_argument("--extra", action="append", default=[], help="more annotated JSONL (training only)")
    args = ap.parse_args(argv)
    nlp = load_base()
    bins = {"train": DocBin(), "dev": DocBin(), "test": DocBin()}
    stats: Counter = Counter()
    papers: Counter = Counter()
    for line in Path(args.annotated).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        split = arxiv_cv_split(record["id"], args.fold)
        papers[split] += 1
        if split == "unused":
            continue
        for doc in record_docs(nlp, record, stats):
            bins[split].add(doc)
    for extra in args.extra:
        for line in Path(extra).read_text(encoding="utf-8").splitlines():
            if line.strip():
                papers["train (extra)"] += 1
                for doc in record_docs(nlp, json.loads(line), stats):
                    bins["train"].add(doc)
    out = Path(args.dest)
    out.mkdir(parents=True, exist_ok=True)
    for split, db in bins.items():
        db.to_disk(out / f"{split}.spacy")
    print(
        f"{dict(papers)} papers; {stats['docs']} docs, {stats['spans']} spans "
        f"({stats['inside a token']} inside a token, e.g. a URL: left out) -> {out}"
    )


if __name__ == "__main__":
    main()
