"""What a recognizer finds in held-out abstracts, per paper and entity: training data for the
``keep`` decision (:class:`kg.extract.decide.DecisionModel`).

Runs kg's pipeline (the recognizer at ``--ner`` and the candidate rules) over the annotated
abstracts of one cross-validation fold -- abstracts that recognizer was not trained on -- and
groups each paper's mentions into entities as kg does within a paper (normalised names and the
paper's acronym definitions). Each entity is written with its occurrences, the recognizer's
labels, the rules that found it and whether the annotators list it (any written form matching,
``kg eval``'s rule).

Usage::

    python training/candidates.py ANNOTATED OUT.jsonl --ner MODEL --fold K
"""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter, defaultdict
from pathlib import Path


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("annotated")
    ap.add_argument("out")
    ap.add_argument("--ner", required=True)
    ap.add_argument("--fold", type=int, required=True)
    ap.add_argument("--rules", default=None, help="comma-separated extraction rules [default: kg's]")
    args = ap.parse_args(argv)
    os.environ["KG_NER_MODEL"] = args.ner
    from kg.evaluate import arxiv_fold, norm_name
    from kg.extract import analyze_papers
    from kg.model import Paper
    from kg.resolve import Form, PaperForms, resolve

    rows = [json.loads(line) for line in Path(args.annotated).read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if arxiv_fold(r["id"]) == args.fold]
    papers = [Paper(id=r["id"], title=r["title"], abstract=r["abstract"]) for r in rows]
    n_pos = n = 0
    with open(args.out, "w", encoding="utf-8") as f:
        for r, (tres, ares) in zip(
            rows, analyze_papers(papers, n_process=1, rules=args.rules.split(",") if args.rules else None), strict=True
        ):
            texts = {"title": r["title"], "abstract": r["abstract"]}
            results = {"title": tres, "abstract": ares}
            mentions = [(field, c) for field, res in results.items() for c in res.candidates]
            # entities as kg's resolver groups the forms of one paper
            ids = resolve(
                [
                    PaperForms(
                        r["id"],
                        tuple(
                            Form(texts[field][c.start : c.end], c.type, c.confidence, c.long_form)
                            for field, c in mentions
                        ),
                    )
                ]
            ).entity_ids[0]
            groups: dict[str, dict] = defaultdict(
                lambda: {"forms": set(), "occurrences": [], "labels": Counter(), "sources": set(), "defined": False}
            )
            for (field, c), eid in zip(mentions, ids, strict=True):
                g = groups[eid]
                g["forms"].add(texts[field][c.start : c.end])
                g["occurrences"].append([field, c.start, c.end])
                g["labels"][c.type] += 1
                g["sources"].add(c.source)
                g["defined"] |= c.long_form is not None
            gold = {norm_name(x): e["type"] for e in r["entities"] for x in [e["name"], *e["aliases"]]}
            out = []
            for g in groups.values():
                matched = [gold[k] for k in (norm_name(x) for x in sorted(g["forms"])) if k in gold]
                g["is_entity"] = bool(matched)
                g["gold_type"] = matched[0] if matched else None
                n_pos += g["is_entity"]
                n += 1
                out.append(
                    {**g, "forms": sorted(g["forms"]), "labels": dict(g["labels"]), "sources": sorted(g["sources"])}
                )
            f.write(
                json.dumps(
                    {
                        "id": r["id"],
                        "fold": args.fold,
                        "n_gold": len(r["entities"]),
                        "sents": {"title": tres.sents, "abstract": ares.sents},
                        "entities": out,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    print(f"fold {args.fold}: {len(rows)} papers, {n} entities found, {n_pos} of them annotated -> {args.out}")


if __name__ == "__main__":
    main()
