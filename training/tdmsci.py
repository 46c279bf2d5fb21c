"""TDMSci sentences (Apache-2.0) as extra training data for kg's recognizer: a spaCy DocBin.

TDMSci marks DATASET, TASK and METRIC spans in sentences of NLP papers, but not methods. So a
sentence teaches only what it marks: its DATASET spans are entities, its TASK and METRIC spans
are certainly not (the guideline excludes tasks and metrics), and every other token is
*missing* -- the recognizer learns nothing about it (an unmarked method is not taught as
"no entity"). Sentences come in blocks of 20 (one paper's sentences stay together); the
blocks :func:`kg.evaluate.tdmsci_held_out` names are never written here: ``kg eval`` scores
those.

Usage::

    python training/tdmsci.py ../shared/data/dev/tdmsci/train_1500_v2.conll training/corpus/tdmsci.spacy
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from spacy.tokens import DocBin, Span

from kg.evaluate import bio_spans, conll_text, read_conll, tdmsci_held_out
from kg.extract.pipeline import load_base


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("conll")
    ap.add_argument("out")
    args = ap.parse_args(argv)
    nlp = load_base()
    db = DocBin()
    stats: Counter = Counter()
    for i, sent in enumerate(read_conll(Path(args.conll))):
        if tdmsci_held_out(i):
            stats["held out"] += 1
            continue
        text, spans = conll_text(sent)
        doc = nlp.make_doc(text)
        tags = [tag for _, _, tag in sent]
        ents, outside = [], []
        for label in ("DATASET", "TASK", "METRIC"):
            for a, b in bio_spans(tags, label):
                span = doc.char_span(spans[a][0], spans[b - 1][1], alignment_mode="expand")
                if span is None:
                    stats["unaligned"] += 1
                    continue
                if label == "DATASET":
                    ents.append(Span(doc, span.start, span.end, label="DATASET"))
                else:
                    outside.append(span)
        taken = set()
        for s in ents:
            taken.update(range(s.start, s.end))
        ents = [s for k, s in enumerate(ents) if not any(s.start < t.end and t.start < s.end for t in ents[:k])]
        outside_tokens = [t for s in outside for t in range(s.start, s.end) if t not in taken]
        doc.set_ents(ents, outside=[doc[t : t + 1] for t in outside_tokens], default="missing")
        db.add(doc)
        stats["sentences"] += 1
        stats["datasets"] += len(ents)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(args.out)
    print(f"{args.out}: {dict(stats)}")


if __name__ == "__main__":
    main()
