"""Train kg's per-paper decisions (:mod:`kg.extract.decide`) on the annotated arXiv abstracts.

For every annotated entity of every paper, the features of :func:`kg.extract.decide.
entity_features` are computed from its written occurrences (the annotated spans), labelled
with the annotators' type and ``introduced`` flag. Two logistic regressions with an L2 penalty
are fitted on the ``train`` and ``dev`` splits (plus ``--extra`` annotations); their penalties
and the ``introduces`` threshold are chosen by cross-validation over the arXiv folds of those
splits (:func:`kg.evaluate.arxiv_fold`). The weight of the recognizer's labels in the type
decision is chosen on ``--candidates`` (the held-out output of the fold recognizers; or, with
``--ner MODEL``, on the dev split) unless ``--type-params`` fixes it; the *keep* decision is
learned from the candidates, and ``introduces`` learns from them too (each labelled by the
annotated entity it matches; ``--gold-introduces`` leaves them out). The result is scored on the ``test`` split with the gold
entities given (isolating these decisions from recognition). Writes ``kg/models/decide.json``.

Usage::

    python training/decide.py ANNOTATED kg/models/decide.json [--extra MORE.jsonl] [--ner MODEL] [--fold K]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from scipy.sparse import csr_matrix

from kg.evaluate import arxiv_cv_split, arxiv_fold, norm_name
from kg.extract.abbreviations import find_abbreviations
from kg.extract.decide import TYPES, DecisionModel, LinearModel, Occurrence, entity_features, recognizer_features
from kg.extract.frequency import CORPUS_FEATURES, KIND_FEATURES, UNTITLED
from kg.extract.pipeline import load_base


def _sents(nlp, records):
    docs = list(nlp.pipe([t for r in records for t in (r["title"], r["abstract"])], batch_size=64))
    for i, r in enumerate(records):
        yield (
            r,
            {
                f: [(s.start_char, s.end_char) for s in d.sents]
                for f, d in zip(("title", "abstract"), docs[2 * i : 2 * i + 2], strict=True)
            },
        )


def _defined(r: dict) -> set[str]:
    out = set()
    for f in ("title", "abstract"):
        for a in find_abbreviations(r[f]):
            out |= {norm_name(a.short(r[f])), norm_name(a.long(r[f]))}
    return out


def examples(records, nlp):
    """``(type features, introduces features, type, introduced, paper id)`` for every annotated entity."""
    out = []
    for r, sents in _sents(nlp, records):
        texts = {"title": r["title"], "abstract": r["abstract"]}
        defs = _defined(r)
        for k, ent in enumerate(r["entities"]):
            occ = [Occurrence(s["field"], s["start"], s["end"]) for s in r.get("spans", ()) if s["entity"] == k]
            defined = bool({norm_name(n) for n in [ent["name"], *ent["aliases"]]} & defs)
            # the type is decided from the paper's words: how many corpus abstracts write a
            # name (df:, found:) says whether it is shared, not what it is (TDMSci's datasets
            # 0.732 -> 0.719). Nor, alone, whether this paper made it (the GPT-4, Qwen2.5 and
            # mGPT reports no longer introduced their models: every 2025 abstract writes them),
            # so introduces reads the counts only of a name the title is not named by
            # ("Faster R-CNN", "PPO" in papers using them; frequency.UNTITLED)
            # the type reads what the field calls the name (ckind:) on top of the paper's words
            feats = entity_features(occ, texts, sents, defined=defined)
            context = {f for f in feats if not f.startswith(CORPUS_FEATURES + KIND_FEATURES)}
            types = context | {f for f in feats if f.startswith(KIND_FEATURES)}
            intro = context | {f for f in feats if f.endswith(UNTITLED)} | {f"type:{ent['type']}"}
            out.append((types, intro, ent["type"], bool(ent["introduced"]), r["id"]))
    return out


def fit(rows: list[set[str]], labels: list[int], n_classes: int, l2: float, min_count: int = 2) -> dict[str, tuple]:
    counts = Counter(f for feats in rows for f in feats)
    vocab = sorted(f for f, n in counts.items() if n >= min_count or f == "bias")
    index = {f: j for j, f in enumerate(vocab)}
    r, c = [], []
    for i, feats in enumerate(rows):
        for f in feats:
            if f in index:
                r.append(i)
                c.append(index[f])
    X = csr_matrix((np.ones(len(r)), (r, c)), shape=(len(rows), len(vocab)))
    Y = np.eye(n_classes)[labels]
    reg = np.ones((len(vocab), 1))
    reg[index["bias"]] = 0.0

    def loss(w):
        W = w.reshape(len(vocab), n_classes)
        Z = X @ W
        Z -= Z.max(axis=1, keepdims=True)
        P = np.exp(Z)
        P /= P.sum(axis=1, keepdims=True)
        nll = -np.sum(Y * np.log(P + 1e-12))
        grad = X.T @ (P - Y) + l2 * reg * W
        return nll + 0.5 * l2 * np.sum(reg * W * W), grad.ravel()

    res = minimize(loss, np.zeros(len(vocab) * n_classes), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    W = res.x.reshape(len(vocab), n_classes)
    return {f: tuple(round(float(x), 4) for x in W[j]) for f, j in index.items() if np.abs(W[j]).max() > 1e-4}


def _prf(gold: list[bool], pred: list[bool]) -> tuple[float, float, float]:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    p = tp / max(1, sum(pred))
    r = tp / max(1, sum(gold))
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def recognizer_examples(records, nlp, ner_model: str):
    """``(type features, recognizer labels, gold type)`` for the entities the recognizer finds
    in ``records`` and matches to a gold entity (``kg eval``'s matching)."""
    import spacy

    rec = load_base()
    rec.add_pipe("sentencizer")
    source = spacy.load(ner_model)
    rec.vocab.vectors = source.vocab.vectors
    rec.add_pipe("ner", source=source)
    docs = list(rec.pipe([t for r in records for t in (r["title"], r["abstract"])], batch_size=64))
    out = []
    for i, r in enumerate(records):
        texts = {"title": r["title"], "abstract": r["abstract"]}
        sents = {
            f: [(s.start_char, s.end_char) for s in d.sents]
            for f, d in zip(("title", "abstract"), docs[2 * i : 2 * i + 2], strict=True)
        }
        groups: dict[str, tuple[list, Counter]] = {}
        for f, d in zip(("title", "abstract"), docs[2 * i : 2 * i + 2], strict=True):
            for e in d.ents:
                occ, labels = groups.setdefault(norm_name(e.text), ([], Counter()))
                occ.append(Occurrence(f, e.start_char, e.end_char))
                labels[e.label_] += 1
        gold = {}
        for g in r["entities"]:
            for n in [g["name"], *g["aliases"]]:
                gold.setdefault(norm_name(n), g["type"])
        for key, (occ, labels) in groups.items():
            if key in gold:
                out.append((entity_features(occ, texts, sents), labels, gold[key]))
    return out


def candidate_entities(path: str, records: dict[str, dict]) -> list[tuple]:
    """``(candidates.py paper line, annotated record, entity, its context features)`` for every
    entity of a training/candidates.py file (read once: the keep, type and ``introduces``
    examples are all made from it)."""
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        c = json.loads(line)
        r = records[c["id"]]
        texts = {"title": r["title"], "abstract": r["abstract"]}
        sents = {k: [tuple(x) for x in v] for k, v in c["sents"].items()}
        for e in c["entities"]:
            occ = [Occurrence(*o) for o in e["occurrences"]]
            out.append((c, r, e, entity_features(occ, texts, sents, defined=e["defined"])))
    return out


def keep_examples(found: list[tuple], detail: bool = False) -> list[tuple]:
    """``(paper id, fold, gold count, features, is an entity)`` for every entity of a
    training/candidates.py file (``found``: :func:`candidate_entities`; with ``detail``, also the type features, the recognizer's
    labels, the annotated type and the features with the recognizer's)."""
    out = []
    for c, _, e, context in found:
        feats = context | recognizer_features(e["labels"], e["sources"])
        if detail:
            out.append(
                (
                    c["id"],
                    c["fold"],
                    c["n_gold"],
                    context,
                    e["is_entity"],
                    Counter(e["labels"]),
                    e["gold_type"],
                    feats,
                )
            )
        else:
            out.append((c["id"], c["fold"], c["n_gold"], feats, e["is_entity"]))
    return out


def intro_examples(found: list[tuple]) -> list[tuple]:
    """``(paper id, fold, features, recognizer labels, introduced)`` for every entity of a
    training/candidates.py file (``found``: :func:`candidate_entities`): introduced when the
    annotated entity it matches is."""
    out = []
    flags_of: dict[str, dict[str, bool]] = {}  # paper id -> written form's key -> introduced
    for c, r, e, context in found:
        if c["id"] not in flags_of:
            flags_of[c["id"]] = {}
            for g in r["entities"]:
                for n in [g["name"], *g["aliases"]]:
                    flags_of[c["id"]].setdefault(norm_name(n), bool(g["introduced"]))
        introduced = flags_of[c["id"]]
        flags = [introduced[k] for k in map(norm_name, e["forms"]) if k in introduced]
        out.append((c["id"], c["fold"], context, Counter(e["labels"]), bool(flags) and flags[0]))
    return out


def fit_keep(data: list[tuple[str, int, int, set[str], bool, bool]]) -> tuple[LinearModel, float, str]:
    """The keep model: penalty and threshold chosen by cross-validation over the candidate
    folds (paper-level F1 of what is kept, the entities it does not judge always kept), then
    fitted on the entities it judges. ``data``: (paper id, fold, gold count, features, is an
    entity, judged)."""
    folds = sorted({d[1] for d in data})
    gold = {}
    for pid, _, n_gold, *_ in data:
        gold[pid] = n_gold
    n_gold_total = sum(gold.values())
    judged = [d for d in data if d[5]]
    always = [d[4] for d in data if not d[5]]
    grid = []
    for l2 in (0.3, 1.0, 3.0, 10.0):
        scored = []
        for k in folds:
            train = [d for d in judged if d[1] != k]
            m = LinearModel(("no", "yes"), fit([d[3] for d in train], [int(d[4]) for d in train], 2, l2))
            scored += [(m.probabilities(d[3])["yes"], d[4]) for d in judged if d[1] == k]
        n_pos = sum(y for _, y in scored)
        for th in [0.0] + [round(x, 3) for x in np.arange(0.05, 0.7, 0.025)]:
            kept = [y for p, y in scored if p >= th] + always
            tp = sum(kept)
            f1 = 2 * tp / (len(kept) + n_gold_total)
            grid.append((f1, l2, th, tp / max(1, len(kept)), sum(y for p, y in scored if p >= th) / max(1, n_pos)))
    # the cross-validated F1 is flat near its top (0.800 from threshold 0.325 to 0.375, 700 more
    # entities in a 10k build at the lower one): of the settings within 0.001 of the best,
    # the most precise one
    top = max(g[0] for g in grid)
    f1, l2, th, prec, kept_share = max((g for g in grid if g[0] >= top - 0.001), key=lambda g: (g[3], g[0]))
    none = 2 * sum(d[4] for d in data) / (len(data) + n_gold_total)
    model = LinearModel(("no", "yes"), fit([d[3] for d in judged], [int(d[4]) for d in judged], 2, l2))
    note = (
        f"keep: l2={l2}, threshold={th}, judging {len(judged)} of {len(data)} candidates; cross-validated over "
        f"{len(folds)} candidate folds: paper-level untyped F1 {none:.3f} keeping all -> {f1:.3f} "
        f"(precision {prec:.3f}, {kept_share:.3f} of the true judged entities kept)"
    )
    return model, th, note


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("annotated")
    ap.add_argument("out")
    ap.add_argument("--extra", action="append", default=[])
    ap.add_argument("--ner", default=None, help="the recognizer, to weigh its labels in the type decision (dev split)")
    ap.add_argument(
        "--fold", type=int, default=None, help="cross-validation: hold out fold K instead of the test split"
    )
    ap.add_argument(
        "--candidates",
        action="append",
        default=[],
        help="training/candidates.py output (held-out recognizer output): tunes the type decision "
        "and trains the keep decision",
    )
    ap.add_argument(
        "--type-params",
        default=None,
        help="W,DATASET,BENCHMARK: the recognizer weight and the two type biases, fixed instead of tuned "
        "(training/train.sh: the tuning objective is flat, see training/README.md)",
    )
    ap.add_argument(
        "--split-data-labels",
        action="store_true",
        help="let the recognizer's DATASET and BENCHMARK labels vote apart in the type decision "
        "(by default either votes for both: kg.extract.decide.DecisionModel.split_data_labels)",
    )
    ap.add_argument(
        "--gold-introduces",
        action="store_true",
        help="learn introduces from the annotated entities only, not also from --candidates",
    )
    ap.add_argument(
        "--no-keep",
        action="store_true",
        help="do not learn to drop recognizer output (the keep decision is learned from --candidates)",
    )
    ap.add_argument(
        "--keep-types",
        default=",".join(DecisionModel.keep_types),
        help="the types the keep decision judges, comma-separated [default: %(default)s]",
    )
    args = ap.parse_args(argv)
    unknown = set(args.keep_types.split(",")) - set(TYPES)
    if unknown:
        ap.error(f"--keep-types: unknown types {sorted(unknown)} (known: {', '.join(TYPES)})")
    rows = [json.loads(line) for line in Path(args.annotated).read_text(encoding="utf-8").splitlines() if line.strip()]
    extra = [
        json.loads(line)
        for p in args.extra
        for line in Path(p).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]

    def split_of(r: dict) -> str:
        return arxiv_cv_split(r["id"], args.fold)

    nlp = load_base()
    nlp.add_pipe("sentencizer")
    split = {s: [r for r in rows if split_of(r) == s] for s in ("train", "dev", "test")}
    data = {s: examples(rs, nlp) for s, rs in split.items()}
    data["train"] += examples(extra, nlp)
    by_id = {r["id"]: r for r in rows}

    # the penalties and the introduces threshold are chosen by cross-validation over the arXiv
    # folds of the train and dev splits (a dev split alone, 160 papers, chose thresholds from
    # 0.275 to 0.725 fold to fold); the models are then fitted on all of them. The pool
    # annotations are always training data.
    train = data["train"] + data["dev"]
    fold_of = [arxiv_fold(x[4]) if x[4] in by_id else None for x in train]
    cv_folds = sorted({k for k in fold_of if k is not None})

    def fold_models(labels: list[int], n_classes: int, l2: float, feats: int) -> dict[int, LinearModel]:
        """Per fold, the model fitted without that fold's papers."""
        classes = TYPES if n_classes == len(TYPES) else ("no", "yes")
        models = {}
        for k in cv_folds:
            rest = [j for j, f in enumerate(fold_of) if f != k]
            models[k] = LinearModel(
                classes, fit([train[j][feats] for j in rest], [labels[j] for j in rest], n_classes, l2)
            )
        return models

    def out_of_fold(models: dict[int, LinearModel], feats: int) -> list[dict[str, float]]:
        """Each example's probabilities from the model fitted without its fold."""
        return [models[f].probabilities(x[feats]) if f is not None else {} for x, f in zip(train, fold_of, strict=True)]

    scored = [j for j, f in enumerate(fold_of) if f is not None]
    # the type: context model, penalty chosen by cross-validated accuracy on the gold entities
    type_labels = [TYPES.index(x[2]) for x in train]
    best = None
    for l2 in (0.1, 0.3, 1.0):
        models = fold_models(type_labels, len(TYPES), l2, 0)
        probs = out_of_fold(models, 0)
        acc = float(np.mean([max(probs[j].items(), key=lambda kv: kv[1])[0] == train[j][2] for j in scored]))
        if best is None or acc > best[0]:
            best = (acc, l2, models)
    type_acc, type_l2, types_without_fold = best
    types = LinearModel(TYPES, fit([x[0] for x in train], type_labels, len(TYPES), type_l2))

    # the type decision: the weight of the recognizer's labels and the rarer types' biases,
    # chosen for the mean per-type F1 on the dev split (entities the recognizer found there,
    # with --ner; else the gold entities and no recognizer labels)
    fold_types: dict[int, LinearModel] = {}
    cands = {p: candidate_entities(p, by_id) for p in args.candidates}
    if args.candidates:
        # held-out recognizer output of the cross-validation folds: many more entities than the dev split
        # each fold's entities are typed by a context model fitted without that fold's papers
        # (the shipped one has seen them all: tuning on its own training papers would trust it too much)
        found = [
            (feats_t, labels, gold_type, fold)
            for p in args.candidates
            for pid, fold, _, feats_t, _, labels, gold_type, _ in keep_examples(cands[p], detail=True)
            if gold_type and fold != args.fold and arxiv_cv_split(pid, args.fold) != "unused"
        ]
        # (the models the penalty's cross-validation fitted: the candidates' folds are its folds)
        fold_types = {k: types_without_fold[k] for k in {x[3] for x in found}}
        betas = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)
    elif args.ner:
        found = [(*x, None) for x in recognizer_examples(split["dev"], nlp, args.ner)]
        betas = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)
    else:
        found = [(x[0], Counter(), x[2], None) for x in data["dev"]]
        betas = (0.0,)

    def typer(context_model: LinearModel, weight: float, bias: dict[str, float]) -> DecisionModel:
        """The type decision with this context model, recognizer weight and biases (its
        ``introduces`` model is a stand-in: only :meth:`DecisionModel.type_of` is called)."""
        return DecisionModel(
            context_model, context_model, weight, type_bias=bias, split_data_labels=args.split_data_labels
        )

    best = None
    grid = [
        (beta, bd, bb) for beta in betas for bd in np.arange(-0.5, 2.51, 0.25) for bb in np.arange(-0.5, 1.51, 0.25)
    ]
    if args.type_params:
        grid = [tuple(float(x) for x in args.type_params.split(","))]
    for beta, bd, bb in grid:
        bias = {"DATASET": bd, "BENCHMARK": bb}
        dms = {k: typer(fold_types.get(k, types), beta, bias) for k in {x[3] for x in found}}
        pred = [dms[k].type_of(f, labels) for f, labels, _, k in found]
        f1s = [_prf([x[2] == t for x in found], [p == t for p in pred])[2] for t in TYPES]
        accuracy = float(np.mean([p == x[2] for p, x in zip(pred, found, strict=True)]))
        score = (float(np.mean(f1s)) + accuracy) / 2
        if best is None or score > best[0]:
            best = (score, beta, {"DATASET": round(float(bd), 2), "BENCHMARK": round(float(bb), 2)}, f1s)
    _, weight, bias, f1s = best
    print(
        f"type decision on the dev split ({len(found)} entities): recognizer weight {weight}, biases {bias}; "
        "per-type F1 " + ", ".join(f"{t} {f:.3f}" for t, f in zip(TYPES, f1s, strict=True))
    )
    # introduces: penalty and threshold chosen by cross-validated F1. With --candidates it also
    # learns from what the held-out recognizers found (typed as at run time), each labelled by
    # the annotated entity it matches: a name the recognizer cuts short or a phrase that is no
    # entity is not introduced -- the gold spans alone never show the decision such spans
    intro_train = [(x[1], int(x[3]), f) for x, f in zip(train, fold_of, strict=True)]
    if args.candidates and not args.gold_introduces:
        for p in args.candidates:
            for pid, fold, context, labels, introduced in intro_examples(cands[p]):
                if fold == args.fold or arxiv_cv_split(pid, args.fold) == "unused":
                    continue
                t = typer(fold_types.get(fold, types), weight, bias).type_of(context, labels)
                feats = {f for f in context if not f.startswith(CORPUS_FEATURES + KIND_FEATURES)}
                feats |= {f for f in context if f.endswith(UNTITLED)} | {f"type:{t}"}
                intro_train.append((feats, int(introduced), fold))
    intro_folds = [f for *_, f in intro_train]
    intro_scored = [j for j, f in enumerate(intro_folds) if f is not None]
    best = None
    for l2 in (0.1, 0.3, 1.0, 3.0):
        models = {}
        for k in cv_folds:
            rest = [j for j, f in enumerate(intro_folds) if f != k]
            models[k] = LinearModel(
                ("no", "yes"), fit([intro_train[j][0] for j in rest], [intro_train[j][1] for j in rest], 2, l2)
            )
        probs = {j: models[intro_folds[j]].probabilities(intro_train[j][0])["yes"] for j in intro_scored}
        for th in np.arange(0.2, 0.8, 0.025):
            f = _prf([bool(intro_train[j][1]) for j in intro_scored], [probs[j] >= th for j in intro_scored])[2]
            if best is None or f > best[0]:
                best = (f, l2, round(float(th), 3))
    intro_f, intro_l2, threshold = best
    introduces = LinearModel(("no", "yes"), fit([x[0] for x in intro_train], [x[1] for x in intro_train], 2, intro_l2))

    keep, keep_threshold = None, 0.5
    keep_types = tuple(t for t in TYPES if t in args.keep_types.split(","))
    if args.candidates and not args.no_keep:
        # the keep decision judges the entities typed --keep-types (METHOD) in their paper;
        # each fold's candidates are typed as at run time, by that fold's context model
        data_keep = []
        for p in args.candidates:
            for pid, fold, n_gold, context, is_entity, labels, _, feats in keep_examples(cands[p], detail=True):
                if fold == args.fold or arxiv_cv_split(pid, args.fold) == "unused":
                    continue
                judged = typer(fold_types.get(fold, types), weight, bias).type_of(context, labels) in keep_types
                data_keep.append((pid, fold, n_gold, feats, is_entity, judged))
        keep, keep_threshold, note = fit_keep(data_keep)
        print(note)
    model = DecisionModel(
        types, introduces, weight, threshold, keep, keep_threshold, bias, keep_types, args.split_data_labels
    )
    test = data["test"]
    t_pred = [DecisionModel(types, introduces, 0.0, threshold, type_bias=bias).type_of(x[0], Counter()) for x in test]
    t_acc = np.mean([p == x[2] for p, x in zip(t_pred, test, strict=True)])
    p, r, f = _prf([x[3] for x in test], [model.introduced(x[1]) for x in test])
    print(
        f"{len(train)} training entities. type (context only): l2={type_l2}, cross-validated accuracy {type_acc:.3f}, "
        f"test accuracy {t_acc:.3f} (with the biases, no recognizer labels); introduces: l2={intro_l2}, threshold={threshold}, cross-validated F1 {intro_f:.3f}, "
        f"test P {p:.3f} R {r:.3f} F1 {f:.3f} (gold entities given)"
    )
    Path(args.out).write_text(model.to_json() + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
