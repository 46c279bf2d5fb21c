"""Write the unlabelled abstracts as spaCy pretraining text (``{"text": ...}`` per line).

The texts are the arXiv cs corpus and the unlabelled pool, titles and abstracts; abstracts that
are also in an annotated set (the annotated arXiv corpus, our pool annotations) are left out,
so that no test abstract is seen even without its labels.

Usage::

    python training/pretrain_text.py ANNOTATED OUT.jsonl [--extra FILE ...] [--limit N]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from vectors import annotated_ids, records  # training/vectors.py: the same unlabelled abstracts


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("annotated", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--extra", type=Path, action="append", default=[])
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args(argv)
    seen = annotated_ids([args.annotated, *args.extra])
    n = skipped = 0
    with args.out.open("w", encoding="utf-8") as out:
        for paper_id, title, abstract in records():
            text = "\n".join(t for t in (title, abstract) if t)
            if not text:
                continue
            if paper_id in seen:
                skipped += 1
                continue
            out.write(json.dumps({"text": text}) + "\n")
            n += 1
            if args.limit and n >= args.limit:
                break
    print(f"{n} texts written to {args.out}, {skipped} annotated abstracts left out")


if __name__ == "__main__":
    main()
