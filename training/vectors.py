"""Train kg's static word vectors (floret: subword-hashed fastText) on unlabelled abstracts.

The texts are the arXiv cs corpus and the unlabelled pool (titles and abstracts, no labels),
tokenised with kg's tokenizer (:mod:`kg.extract.tokenizer`), so that the vectors see names the
way the recognizer does. floret keeps a fixed-size hash table, so the vectors cover any word,
including names never seen in training.

Usage::

    python training/vectors.py OUT_DIR [--dim 100] [--bucket 50000] [--epoch 5]
    (then: python -m spacy init vectors en OUT_DIR/vectors.floret OUT_DIR/model --mode floret)
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

from kg.extract.pipeline import load_base

CORPUS = Path("../shared/data/corpora/arxiv_cs")
POOL = Path("../shared/data/train/arxiv_annotated/pool.jsonl.gz")


def records(pool: bool = True):
    """(arXiv id, title, abstract) of every unlabelled abstract (the corpus, and the pool unless
    ``pool`` is false), whitespace normalised."""
    for path in sorted(CORPUS.glob("*.jsonl.gz")) + ([POOL] if pool else []):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                paper_id = str(r.get("arxiv_id") or r.get("id") or "").removeprefix("arxiv:")
                yield paper_id, " ".join((r.get("title") or "").split()), " ".join((r.get("abstract") or "").split())


def annotated_ids(paths) -> set[str]:
    """The arXiv ids of the abstracts in annotated JSONL files (never counted as unlabelled)."""
    ids: set[str] = set()
    for path in paths:
        with open(path, encoding="utf-8") as f:
            ids.update(json.loads(line)["id"].removeprefix("arxiv:") for line in f if line.strip())
    return ids


def texts():
    for _, title, abstract in records():
        yield from (t for t in (title, abstract) if t)


def main(argv=None) -> None:
    import floret

    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--bucket", type=int, default=50000)
    ap.add_argument("--epoch", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    tokens = out / "tokens.txt"
    if not tokens.exists():
        nlp = load_base()
        with tokens.open("w", encoding="utf-8") as f:
            for doc in nlp.tokenizer.pipe(texts(), batch_size=1000):
                f.write(" ".join(t.text for t in doc) + "\n")
    model = floret.train_unsupervised(
        str(tokens),
        model="cbow",
        mode="floret",
        hashCount=2,
        bucket=args.bucket,
        minn=4,
        maxn=5,
        minCount=3,
        dim=args.dim,
        epoch=args.epoch,
        thread=args.threads,
        verbose=0,
    )
    model.save_floret_vectors(str(out / "vectors.floret"))
    print(f"wrote {out / 'vectors.floret'} ({args.bucket} rows x {args.dim})")


if __name__ == "__main__":
    main()
