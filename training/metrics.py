"""Scores of the shipped models for ``kg eval``: ``kg/models/metrics.json``.

The 5-fold cross-validation figure on the annotated arXiv abstracts
(:func:`kg.evaluate.arxiv_fold`): fold 0 is the test split, scored with the shipped models
(trained on folds 1-4); each of folds 1-4 is scored with models trained as the shipped ones are
but on the other three folds of the train part (``training/train.sh`` trains them in
``training/output/cv/K``) -- the test split is in no model's training data. The per-paper
decisions of fold K are trained with ``--fold K`` (their keep decision on the other folds'
held-out recognizer output). Each figure is the whole pipeline's paper-level F1.

Usage::

    python training/metrics.py ANNOTATED kg/models/metrics.json [--extra MORE.jsonl] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

MEASURES = ("ALL", "ALL (untyped)", "METHOD", "DATASET", "BENCHMARK", "introduces")
CV = Path("training/output/cv")


def _scores(annotated: str, fold: int, env: dict) -> dict:
    code = (
        "import json; from pathlib import Path; from kg.evaluate import _read_jsonl, arxiv_fold, paper_scores; "
        f"rows = [r for r in _read_jsonl(Path({annotated!r})) if arxiv_fold(r['id']) == {fold}]; "
        "print(json.dumps([s.as_dict() for s in paper_scores('fold', rows)]))"
    )
    res = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=dict(os.environ, **env)
    )
    return {s["measure"]: s for s in json.loads(res.stdout.strip().splitlines()[-1])}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("annotated")
    ap.add_argument("out")
    ap.add_argument("--extra", action="append", default=[])
    ap.add_argument("--type-params", default=None, help="passed to training/decide.py")
    ap.add_argument("--keep-types", default=None, help="passed to training/decide.py")
    ap.add_argument("--decide-arg", action="append", default=[], help="passed to training/decide.py (repeatable)")
    ap.add_argument("--cv", default=str(CV), help="where the fold recognizers are [default: %(default)s]")
    ap.add_argument("--jobs", type=int, default=1, help="folds trained and scored at once [default: 1]")
    args = ap.parse_args(argv)
    cv = Path(args.cv)
    extra = [a for e in args.extra for a in ("--extra", e)]

    def fold(k: int) -> dict:
        d = cv / str(k)
        cands = [a for j in (1, 2, 3, 4) if j != k for a in ("--candidates", str(cv / str(j) / "candidates.jsonl"))]
        subprocess.run(
            [
                sys.executable,
                "training/decide.py",
                args.annotated,
                str(d / "decide.json"),
                "--fold",
                str(k),
                "--ner",
                str(d / "model-best"),
                *cands,
                *extra,
                *(["--type-params", args.type_params] if args.type_params else []),
                *(["--keep-types", args.keep_types] if args.keep_types else []),
                *args.decide_arg,
            ],
            check=True,
        )
        return _scores(
            args.annotated, k, {"KG_NER_MODEL": str(d / "model-best"), "KG_DECIDE_MODEL": str(d / "decide.json")}
        )

    # each fold is a decide.py and a scoring process of its own: --jobs of them run at once
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        done = dict(zip((1, 2, 3, 4), pool.map(fold, (1, 2, 3, 4)), strict=True))
    folds = {0: _scores(args.annotated, 0, {}), **done}
    metrics = {
        "cross_validation": {
            "date": date.today().isoformat(),
            "folds": 5,
            "note": "paper-level F1 of the whole pipeline per held-out fold; fold 0 = the test split with the shipped "
            "models, folds 1-4 with models trained on the other three folds of the train part",
            **{
                m: {
                    "mean": round(statistics.mean(f[m]["f1"] for f in folds.values()), 4),
                    "stdev": round(statistics.stdev(f[m]["f1"] for f in folds.values()), 4),
                    "per_fold": [folds[k][m]["f1"] for k in sorted(folds)],
                }
                for m in MEASURES
            },
        }
    }
    Path(args.out).write_text(json.dumps(metrics, indent=2) + "\n")
    print(json.dumps(metrics, indent=2))


if __name__ == "__main__":
    main()
