"""Score a trained recognizer alone, at paper level, on the annotated arXiv test split.

A development tool for choosing the model (the product's own measure is ``kg eval``, which runs
the whole pipeline). Per paper, every span the model finds in the title and abstract is an
entity mention; mentions whose names normalise alike, or that a Schwartz-Hearst acronym
definition joins, are one entity, typed by the majority of its mentions. Matching to the
gold entities is ``kg eval``'s (one-to-one, any name or alias, same type).

Usage::

    python training/score.py training/output/w96d4/model-best [--split test|dev] [--fold K]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

import spacy

import kg.extract.tokenizer  # noqa: F401
from kg.evaluate import Score, _match, arxiv_fold, arxiv_split, norm_name
from kg.extract.abbreviations import find_abbreviations
from kg.extract.pipeline import load_base

ANNOTATED = Path("../shared/data/train/arxiv_annotated/annotated.jsonl")


def paper_entities(spans: list[tuple[str, str]], definitions: list[tuple[str, str]]) -> list[tuple[set[str], str]]:
    """Group ``(surface, label)`` mentions into entities ``(keys, type)``."""
    parent: dict[str, str] = {}

    def find(k: str) -> str:
        while parent.setdefault(k, k) != k:
            k = parent[k]
        return k

    for short, long in definitions:
        a, b = find(norm_name(short)), find(norm_name(long))
        if a != b:
            parent[a] = b
    groups: dict[str, tuple[set[str], Counter]] = {}
    for surface, label in spans:
        key = norm_name(surface)
        if not key:
            continue
        keys, types = groups.setdefault(find(key), (set(), Counter()))
        keys.add(key)
        types[label] += 1
    return [(keys, types.most_common(1)[0][0]) for keys, types in groups.values()]


def score(model: str, split: str = "test", fold: int | None = None, path: Path = ANNOTATED) -> list[Score]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if fold is None:
        rows = [r for r in rows if arxiv_split(r["id"]) == split]
    else:
        rows = [r for r in rows if arxiv_fold(r["id"]) == fold]
    nlp = load_base()
    source = spacy.load(model)
    nlp.vocab.vectors = source.vocab.vectors
    nlp.add_pipe("ner", source=source)
    texts = [t for r in rows for t in (r["title"], r["abstract"])]
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=64))
    elapsed = time.perf_counter() - t0
    counts = {t: [0, 0, 0, 0] for t in ("METHOD", "DATASET", "BENCHMARK", "ALL", "ALL (untyped)")}
    for i, r in enumerate(rows):
        spans = [(e.text, e.label_) for d in docs[2 * i : 2 * i + 2] for e in d.ents]
        defs = [(a.short(t), a.long(t)) for t in (r["title"], r["abstract"]) for a in find_abbreviations(t)]
        pred = paper_entities(spans, defs)
        gold = [({norm_name(n) for n in [g["name"], *g["aliases"]]}, g["type"]) for g in r["entities"]]
        for t in ("METHOD", "DATASET", "BENCHMARK"):
            g = [x for x in gold if x[1] == t]
            p = [x for x in pred if x[1] == t]
            hg, hp = _match(g, p, typed=True)
            for c in (counts[t], counts["ALL"]):
                c[0] += hp
                c[1] += len(p)
                c[2] += hg
                c[3] += len(g)
        hg, hp = _match(gold, pred, typed=False)
        c = counts["ALL (untyped)"]
        c[0] += hp
        c[1] += len(pred)
        c[2] += hg
        c[3] += len(gold)
    print(f"{len(rows)} papers in {elapsed:.1f} s ({len(rows) / elapsed:.0f} papers/s)")
    return [Score(f"recognizer alone, {split if fold is None else f'fold {fold}'}", m, *c) for m, c in counts.items()]


def main() -> None:
    from kg.evaluate import format_table

    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--split", default="test")
    ap.add_argument("--fold", type=int, default=None)
    args = ap.parse_args()
    print(format_table(score(args.model, args.split, args.fold)))


if __name__ == "__main__":
    main()
