"""Draw pool abstracts for a round of annotation (see training/data/README.md).

Reads the unlabelled pool beside the annotated corpus, leaves out every abstract an annotated
file already holds (the corpus and ``training/data/*.jsonl``, ``next/`` too), and chooses what to
read, up to ``--batches x --size``: with ``--by recognizer`` the shipped recognizer does (every
abstract in which it finds a DATASET, the weakest type, then ones in which it finds a BENCHMARK,
then others); with ``--by words`` the text does (abstracts that write how data was used:
"dataset", "corpus", "trained on", ..., then others). Two rounds drawn by the recognizer held
almost no datasets by the annotators' reading and cost the TDMSci set (training/README.md,
"Tried and not shipped"); one drawn by words held as few (7 in 288): the pool's abstracts with
datasets are used up. Each batch file also holds
one train-split abstract of the annotated corpus (blind: agreement with the corpus's annotators)
and the first abstract of the next batch (agreement between annotators), shuffled in.
The recognizer or the words only choose what is read; every label is the annotator's.

Usage::

    python training/draw.py OUT_DIR [--by recognizer|words --batches 8 --size 36 --others 80 --seed 36]

Writes ``OUT_DIR/batch{N}.jsonl`` (id, title, abstract), ``OUT_DIR/examples.jsonl`` (30
train-split abstracts with their entities, for the brief) and ``OUT_DIR/draw.json`` (which ids
are the blind and the shared ones, for ``training/assemble.py``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from pathlib import Path

import spacy

import kg.extract.tokenizer  # noqa: F401  (registers the recognizer's tokenizer)
from kg.evaluate import _read_jsonl, arxiv_split

ANNOTATED = Path("../shared/data/train/arxiv_annotated/annotated.jsonl")
DATA = Path(__file__).with_name("data")
#: words of data use (``--by words``)
DATA_WORDS = re.compile(
    r"\b(?:datasets?|corpus|corpora|(?:pre-?|fine-?)?trained on|collected|annotated|released)\b", re.I
)


def _write(path: Path, rows, keys=("id", "title", "abstract")) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps({k: r[k] for k in keys}, ensure_ascii=False) + "\n")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--annotated", type=Path, default=ANNOTATED)
    ap.add_argument("--batches", type=int, default=8)
    ap.add_argument("--size", type=int, default=36, help="new pool abstracts per batch")
    ap.add_argument("--others", type=int, default=80, help="abstracts drawn from those with no dataset or benchmark")
    ap.add_argument("--seed", type=int, default=36)
    ap.add_argument("--ner", default="kg/models/ner")
    ap.add_argument("--by", choices=("recognizer", "words"), default="recognizer")
    args = ap.parse_args(argv)
    rows = _read_jsonl(args.annotated)
    done = {r["id"] for r in rows}
    for f in sorted(DATA.glob("*.jsonl")) + sorted(DATA.glob("next/*.jsonl")):
        done |= {r["id"] for r in _read_jsonl(f)}
    with gzip.open(args.annotated.with_name("pool.jsonl.gz"), "rt", encoding="utf-8") as fh:
        left = [r for r in map(json.loads, fh) if r["id"] not in done]
    if args.by == "words":
        uses = [bool(DATA_WORDS.search(f"{r['title']}\n{r['abstract']}")) for r in left]
        data = [r for r, u in zip(left, uses, strict=True) if u]
        bench: list[dict] = []
        rest = [r for r, u in zip(left, uses, strict=True) if not u]
        print(f"{len(left)} pool abstracts unannotated: {len(data)} write how data was used")
    else:
        nlp = spacy.load(args.ner)
        found = [{e.label_ for e in doc.ents} for doc in nlp.pipe(f"{r['title']}\n{r['abstract']}" for r in left)]
        data = [r for r, k in zip(left, found, strict=True) if "DATASET" in k]
        bench = [r for r, k in zip(left, found, strict=True) if "BENCHMARK" in k and "DATASET" not in k]
        rest = [r for r, k in zip(left, found, strict=True) if not k & {"DATASET", "BENCHMARK"}]
        print(f"{len(left)} pool abstracts unannotated: {len(data)} with a dataset, {len(bench)} a benchmark only")
    rng = random.Random(args.seed)
    n = args.batches * args.size
    n_rest = min(args.others, len(rest))
    n_data = min(len(data), n - n_rest)
    pick = data if n_data == len(data) else rng.sample(data, n_data)
    pick = pick + rng.sample(bench, min(len(bench), n - n_rest - n_data)) + rng.sample(rest, n_rest)
    rng.shuffle(pick)
    train = [r for r in rows if arxiv_split(r["id"]) == "train"]
    blind = rng.sample(train, args.batches)
    args.out.mkdir(parents=True, exist_ok=True)
    shared = []
    for b in range(args.batches):
        batch = pick[args.size * b : args.size * (b + 1)]
        shared.append(pick[args.size * ((b + 1) % args.batches)]["id"])
        items = [*batch, blind[b], pick[args.size * ((b + 1) % args.batches)]]
        rng.shuffle(items)
        _write(args.out / f"batch{b}.jsonl", items)
    blind_ids = {r["id"] for r in blind}
    examples = rng.sample([r for r in train if r["id"] not in blind_ids], 30)
    _write(args.out / "examples.jsonl", examples, keys=("id", "title", "abstract", "entities"))
    (args.out / "draw.json").write_text(json.dumps({"blind": sorted(blind_ids), "shared": shared}, indent=1))
    first = "writing how data was used" if args.by == "words" else "with a dataset"
    print(f"{len(pick)} drawn ({n_data} {first}) in {args.batches} batches: {args.out}")


if __name__ == "__main__":
    main()
