"""Assemble a round of annotation drawn by ``training/draw.py`` into one annotated file.

Reads ``DIR/batch{N}.jsonl`` and the annotators' ``DIR/entities{N}.jsonl``, checks each entities
file (one record per batch line, same ids, valid types, every name and alias written in the
record's text), scores the blind train-split abstracts against the corpus's annotators and the
abstracts two batches share against each other (``kg eval``'s paper-level matching), and writes
the new pool abstracts once each (the first batch's annotation of a shared one), with spans
computed by ``training/spans.py``'s rule.

Usage::

    python training/assemble.py DIR OUT.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from spans import agreement, find_spans  # training/spans.py: the corpus's span rule and paper-level agreement

from kg.evaluate import _read_jsonl, format_table

ANNOTATED = Path("../shared/data/train/arxiv_annotated/annotated.jsonl")
TYPES = {"METHOD", "DATASET", "BENCHMARK"}


def check(batch: list[dict], ents: list[dict], name: str) -> list[str]:
    """What is wrong with one entities file (empty when nothing is)."""
    problems = []
    if [r["id"] for r in batch] != [e.get("id") for e in ents]:
        problems.append(f"{name}: ids differ from the batch's")
    for r, e in zip(batch, ents, strict=False):
        text = f"{r['title']}\n{r['abstract']}"
        for ent in e.get("entities", []):
            if ent.get("type") not in TYPES or not isinstance(ent.get("introduced"), bool):
                problems.append(f"{name} {r['id']}: bad type or introduced in {ent}")
            for form in [ent.get("name", ""), *ent.get("aliases", [])]:
                if not form or not re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text, re.I):
                    problems.append(f"{name} {r['id']}: {form!r} is not written in the record")
    return problems


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--annotated", type=Path, default=ANNOTATED)
    args = ap.parse_args(argv)
    draw = json.loads((args.dir / "draw.json").read_text())
    blind, shared = set(draw["blind"]), set(draw["shared"])
    corpus = {r["id"]: r["entities"] for r in _read_jsonl(args.annotated) if r["id"] in blind}
    first: dict[str, dict] = {}
    second: dict[str, list] = {}
    ours_blind: dict[str, list] = {}
    problems = []
    for path in sorted(args.dir.glob("batch*.jsonl"), key=lambda p: int(p.stem[5:])):
        batch = _read_jsonl(path)
        ents = _read_jsonl(path.with_name(f"entities{path.stem[5:]}.jsonl"))
        problems += check(batch, ents, path.stem)
        for r, e in zip(batch, ents, strict=True):
            if r["id"] in blind:
                ours_blind[r["id"]] = e["entities"]
            elif r["id"] in first:
                second[r["id"]] = e["entities"]
            else:
                first[r["id"]] = dict(r, entities=e["entities"])
    if problems:
        raise SystemExit("\n".join(problems))
    print(format_table(agreement(corpus, ours_blind, f"ours vs the corpus (n={len(ours_blind)}, blind)")))
    pairs = {i: first[i]["entities"] for i in second}
    print(format_table(agreement(pairs, second, f"ours vs ours (n={len(second)} double-annotated)")))
    types = Counter(e["type"] for r in first.values() for e in r["entities"])
    introduced = sum(e["introduced"] for r in first.values() for e in r["entities"])
    n_spans = 0
    with args.out.open("w", encoding="utf-8") as fh:
        for r in first.values():
            r["spans"] = find_spans(r)
            n_spans += len(r["spans"])
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(
        f"{len(first)} abstracts ({len(shared & set(first))} shared), {sum(types.values())} entities {dict(types)}, "
        f"{introduced} introduced, {n_spans} spans -> {args.out}"
    )


if __name__ == "__main__":
    main()
