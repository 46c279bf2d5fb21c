"""How many abstracts of the arXiv cs corpus write each name the recognizer finds, in how many
it finds it, and what kind of thing they call it: the table behind the decisions' ``df:``,
``found:`` and ``ckind:`` features (:mod:`kg.extract.frequency`).

Two passes over the unlabelled corpus (``../shared/data/corpora/arxiv_cs``):

1. kg's pipeline (recognizer and candidate rules, before any decision) over every abstract
   that is in no annotated set: the names it finds are the table's keys, with the number of
   abstracts it finds each in;
2. for each key, the number of those abstracts that write it (whole words, any case), and per
   kind noun ("benchmark", "dataset", "model", ...) the number where it is the nearest on a side
   of the name in its sentence: what the field calls the name (the type decision's ``ckind:``).

The annotated abstracts count nowhere, so a training paper's own names count only other papers
(at run time a paper of the corpus counts itself once: the features' lowest bucket is 0-2).

Keys written by fewer than ``--min-count`` abstracts are left out (the features read them as
rare). Usage::

    python training/names.py ANNOTATED OUT.tsv.gz [--extra FILE ...] [--jobs 2]
"""

from __future__ import annotations

import argparse
import gzip
import re
import time
from collections import Counter, defaultdict
from pathlib import Path

from vectors import annotated_ids, records  # training/vectors.py: the unlabelled abstracts

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def count_written(texts, found) -> tuple[Counter[str], dict[str, Counter[str]]]:
    """Pass 2 over ``(title, abstract)`` pairs: for each name of ``found``, the abstracts that
    write it (whole words, any case), and per kind noun the abstracts where it is the nearest
    on a side of the name in its sentence (:func:`kg.extract.kinds.nearest_kinds`).

    >>> df, kinds = count_written([("MMLU", "We report accuracy on the MMLU benchmark. MMLU is hard.")], {"mmlu"})
    >>> df["mmlu"], dict(kinds["mmlu"])
    (1, {'benchmark': 1})
    """
    from kg.extract.frequency import MAX_WORDS, word_keys
    from kg.extract.kinds import nearest_kinds

    def grams(words):
        for i in range(len(words)):
            for j in range(i + 1, min(i + MAX_WORDS, len(words)) + 1):
                if (g := " ".join(words[i:j])) in found:
                    yield i, j, g

    df: Counter[str] = Counter()
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    for title, abstract in texts:
        df.update({g for _, _, g in grams(word_keys(f"{title} . {abstract}"))})
        near: set[tuple[str, str]] = set()
        for sentence in (title, *_SENTENCE_END.split(abstract)):
            words = word_keys(sentence)
            for i, j, g in grams(words):
                near.update((g, k) for k in nearest_kinds(words[:i], words[j:]) if k)
        for g, k in near:
            kinds[g][k] += 1
    return df, kinds


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("annotated", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--extra", type=Path, action="append", default=[])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument(
        "--recount",
        type=Path,
        default=None,
        help="take the names and found counts of this earlier table instead of running the pipeline (pass 1); "
        "its names written by fewer than --min-count abstracts are missing, so it gives the same table",
    )
    args = ap.parse_args(argv)
    from kg.extract import analyze_papers
    from kg.extract.frequency import MAX_WORDS, format_kinds, load_frequencies, name_key
    from kg.model import Paper

    annotated = annotated_ids([args.annotated, *args.extra])
    corpus = [r for r in records(pool=False) if r[0] not in annotated]  # 72,328 of 74,728
    t0 = time.time()
    papers = [Paper(id=f"arxiv:{i}", title=t, abstract=a) for i, t, a in corpus]
    found: Counter[str] = Counter()  # abstracts where the pipeline finds the name
    if args.recount:  # the names and found counts of an earlier table (what pass 1 gave it)
        found.update({k: c.found for k, c in load_frequencies(str(args.recount)).items()})
    else:
        for (_, title, abstract), (tres, ares) in zip(corpus, analyze_papers(papers, n_process=args.jobs), strict=True):
            found.update(
                {
                    k
                    for text, res in ((title, tres), (abstract, ares))
                    for c in res.candidates
                    if (k := name_key(text[c.start : c.end])) and k.count(" ") < MAX_WORDS
                }
            )
    print(f"pass 1: {len(corpus)} abstracts, {len(found)} names found, {time.time() - t0:.0f} s")
    df, kinds = count_written(((title, abstract) for _, title, abstract in corpus), found)
    kept = sorted((k, n, min(found[k], n)) for k, n in df.items() if n >= args.min_count)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = f"# abstracts\t{len(corpus)}\n" + "".join(
        f"{k}\t{n}\t{f}\t{format_kinds(kinds[k].items())}\n" for k, n, f in kept
    )
    # no time stamp in the gzip header: the same data gives the same bytes
    args.out.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    print(f"pass 2: {len(kept)} names written by {args.min_count} or more -> {args.out} ({time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()
