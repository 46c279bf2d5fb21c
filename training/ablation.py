"""Ablation: what each optional rule around the recognizer buys, on the annotated test split.

Runs ``kg eval``'s paper-level measure on the arXiv annotated test split (and the seed dev
set, and TDMSci's held-out third) with the shipped rules (:data:`kg.extract.rules.DEFAULT_RULES`), then with each rule
removed (a shipped rule) or added (a rule kg does not ship), and prints a Markdown table for
training/README.md.

Usage::

    python training/ablation.py [--annotated ANNOTATED] [--seed SEED_GOLD]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from kg.evaluate import _read_jsonl, arxiv_split, paper_scores, tdmsci_scores
from kg.extract.decide import load_decision_model
from kg.extract.rules import DEFAULT_RULES, RULES


def _with_decisions(change: dict, row):
    """``row()`` with the shipped decision model changed by ``change`` (keys of decide.json)."""
    d = json.loads(load_decision_model().to_json()) | change
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "decide.json"
        path.write_text(json.dumps(d), encoding="utf-8")
        os.environ["KG_DECIDE_MODEL"] = str(path)
        load_decision_model.cache_clear()
        try:
            return row()
        finally:
            del os.environ["KG_DECIDE_MODEL"]
            load_decision_model.cache_clear()


def _row(label: str, rules: frozenset[str], arxiv: list[dict], seed: list[dict], tdmsci: Path) -> str:
    a = {s.measure: s for s in paper_scores("arxiv", arxiv, rules=rules)}
    s = {x.measure: x for x in paper_scores("seed", seed, rules=rules)}
    t = {x.measure: x for x in tdmsci_scores(tdmsci, rules=rules)}
    cells = [
        a["ALL"].f1,
        a["ALL"].precision,
        a["METHOD"].precision,
        a["DATASET"].f1,
        a["BENCHMARK"].f1,
        a["introduces"].f1,
        a["mentions overlap"].f1,
        s["ALL"].f1,
        t["DATASET overlap"].f1,
    ]
    return f"| {label} | " + " | ".join(f"{c:.3f}" for c in cells) + " |"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--annotated", default="../shared/data/train/arxiv_annotated/annotated.jsonl")
    ap.add_argument("--seed", default="../shared/data/dev/seed_gold_dev.jsonl")
    ap.add_argument("--tdmsci", default="../shared/data/dev/tdmsci/train_1500_v2.conll")
    args = ap.parse_args(argv)
    arxiv = [r for r in _read_jsonl(Path(args.annotated)) if arxiv_split(r["id"]) == "test"]
    seed = _read_jsonl(Path(args.seed))
    tdmsci = Path(args.tdmsci)
    print(
        "| rules | arXiv F1 | arXiv P | METHOD P | DATASET F1 | BENCHMARK F1 | introduces F1 | arXiv mentions F1 (overlap) | seed F1 | TDMSci DATASET overlap F1 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    print(_row("shipped: " + ", ".join(sorted(DEFAULT_RULES)), DEFAULT_RULES, arxiv, seed, tdmsci))
    print(_row("recognizer alone (no rule)", frozenset(), arxiv, seed, tdmsci))
    shipped = DEFAULT_RULES
    print(_with_decisions({"keep": None}, lambda: _row("without the keep decision", shipped, arxiv, seed, tdmsci)))
    print(
        _with_decisions(
            {"keep_types": ["METHOD", "DATASET", "BENCHMARK"]},
            lambda: _row("keep decision judging every type", shipped, arxiv, seed, tdmsci),
        )
    )
    print(
        _with_decisions(
            {"split_data_labels": True},
            lambda: _row("recognizer's DATASET and BENCHMARK labels voting apart", shipped, arxiv, seed, tdmsci),
        )
    )
    for rule in sorted(RULES):
        if rule in DEFAULT_RULES:
            print(_row(f"without {rule}", DEFAULT_RULES - {rule}, arxiv, seed, tdmsci))
        else:
            print(_row(f"with {rule}", DEFAULT_RULES | {rule}, arxiv, seed, tdmsci))


if __name__ == "__main__":
    main()
