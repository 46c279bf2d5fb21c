"""``kg eval``: extraction quality against the annotated development sets.

Four measurements, each computed the way the annotation set defines its unit:

``seed``     32 seed-page abstracts, paper-level entity P/R/F1 per type and overall. A
             predicted entity matches a gold one (one-to-one, same type) when any name or
             alias of it equals any name or alias of the gold entity after normalisation
             (lower case, alphanumerics only, a final plural "s" dropped). ``introduces``:
             F1 over (paper, entity) pairs marked introduced, matched the same way.
``scierc``   SciERC dev (never trained on): METHOD span F1, exact and overlap.
``tdmsci``   TDMSci train sentences (kg's shipped recognizer is not trained on TDMSci;
             training/convert.py can add it, and then only its held-out blocks, see
             ``training/README.md``, measure fairly): DATASET span F1, exact and overlap;
             kg's DATASET and BENCHMARK predictions both count.
``scirex``   SciREX abstracts of the held-out *test* documents only (kg's recognizer is
             trained on the other SciREX documents): Method and Material (= dataset)
             overlap F1.

Span measures map kg's character spans onto the gold token offsets. Overlap precision is
the share of predicted spans that overlap a gold span of the type, overlap recall the share
of gold spans overlapped by a prediction.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from kg.extract import extract
from kg.model import Paper

__all__ = ["Score", "evaluate", "format_table", "seed_scores", "span_scores", "norm_name", "detokenize", "read_conll",
           "conll_text", "bio_spans", "DEFAULT_DATA"]

logger = logging.getLogger(__name__)

DEFAULT_DATA = Path("../shared/data/dev")


@dataclass(frozen=True)
class Score:
    """Precision, recall and F1 of one measure, with the counts behind them."""

    dataset: str
    measure: str
    tp_pred: int
    n_pred: int
    tp_gold: int
    n_gold: int

    @property
    def precision(self) -> float:
        return self.tp_pred / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp_gold / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"dataset": self.dataset, "measure": self.measure, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4), "n_pred": self.n_pred, "n_gold": self.n_gold}


def norm_name(name: str) -> str:
    """The seed set's matching key: lower case, alphanumerics only, a final plural s dropped.

    >>> norm_name("Large Language Models"), norm_name("GPT-4"), norm_name("LLMs")
    ('largelanguagemodel', 'gpt4', 'llm')
    """
    key = re.sub(r"[^a-z0-9]", "", name.lower())
    return key[:-1] if key.endswith("s") and len(key) > 1 else key


# ---------------------------------------------------------------------------- seed set
def _match(gold: Sequence[tuple[set[str], str]], pred: Sequence[tuple[set[str], str]], typed: bool) -> tuple[int, int]:
    """One-to-one matches between gold and predicted entities; returns (matched gold, matched pred)."""
    used: set[int] = set()
    hits = 0
    for gkeys, gtype in gold:
        for j, (pkeys, ptype) in enumerate(pred):
            if j in used or (typed and ptype != gtype):
                continue
            if gkeys & pkeys:
                used.add(j)
                hits += 1
                break
    return hits, len(used)


def seed_scores(path: Path, *, n_process: int = 1) -> list[Score]:
    """Paper-level scores on the seed dev set (see the module docstring)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    papers = [Paper(id=f"seed-{i}", title=r["title"], abstract=r["abstract"]) for i, r in enumerate(rows)]
    corpus = extract(papers, n_process=n_process)
    counts = {t: [0, 0, 0, 0] for t in ("METHOD", "DATASET", "BENCHMARK", "ALL", "ALL (untyped)", "introduces")}
    for x, row in zip(corpus.extractions, rows):
        gold = [({norm_name(n) for n in [g["name"], *g["aliases"]]}, g["type"], g["introduced"]) for g in row["entities"]]
        pred = []
        for eid, role in x.roles:
            e = corpus.entities[eid]
            keys = {norm_name(n) for n in (e.name, *e.aliases)}
            keys |= {norm_name(m.text) for m in x.mentions if m.entity == eid}
            pred.append((keys, e.type, role == "introduces"))
        for t in ("METHOD", "DATASET", "BENCHMARK"):
            g = [(k, ty) for k, ty, _ in gold if ty == t]
            p = [(k, ty) for k, ty, _ in pred if ty == t]
            hg, hp = _match(g, p, typed=True)
            c = counts[t]
            c[0] += hp; c[1] += len(p); c[2] += hg; c[3] += len(g)
            a = counts["ALL"]
            a[0] += hp; a[1] += len(p); a[2] += hg; a[3] += len(g)
        hg, hp = _match([(k, t) for k, t, _ in gold], [(k, t) for k, t, _ in pred], typed=False)
        u = counts["ALL (untyped)"]
        u[0] += hp; u[1] += len(pred); u[2] += hg; u[3] += len(gold)
        gi = [(k, "") for k, _, i in gold if i]
        pi = [(k, "") for k, _, i in pred if i]
        hg, hp = _match(gi, pi, typed=False)
        c = counts["introduces"]
        c[0] += hp; c[1] += len(pi); c[2] += hg; c[3] += len(gi)
    return [Score("seed dev (paper-level)", m, *c) for m, c in counts.items()]


# ---------------------------------------------------------------------------- span sets
_SPACE_BEFORE_NOT = {",", ".", ";", ":", ")", "]", "}", "?", "!", "%", "'s", "n't", "'re", "'ve", "'ll", "'d"}
_BRACKETS = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}", "``": '"', "''": '"'}


def detokenize(tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """Plain text from pre-tokenised words, with each token's character span in it.

    >>> detokenize(["state", "-", "of", "-", "the", "-", "art", "-LRB-", "SOTA", "-RRB-", "."])[0]
    'state-of-the-art (SOTA).'
    """
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    words = [_BRACKETS.get(t, t) for t in tokens]
    for i, w in enumerate(words):
        prev = words[i - 1] if i else None
        nxt = words[i + 1] if i + 1 < len(words) else None
        glue = (not out or w in _SPACE_BEFORE_NOT or prev in ("(", "[", "{")
                or (w in ("-", "/") and prev and prev[-1:].isalnum() and nxt and nxt[:1].isalnum())
                or (prev in ("-", "/") and i >= 2 and words[i - 2][-1:].isalnum() and w[:1].isalnum()))
        if not glue:
            out.append(" ")
            pos += 1
        spans.append((pos, pos + len(w)))
        out.append(w)
        pos += len(w)
    return "".join(out), spans


def _to_tokens(spans: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    toks = [i for i, (s, e) in enumerate(spans) if s < end and start < e]
    return (toks[0], toks[-1] + 1) if toks else None


def span_scores(name: str, measure: str, gold: Iterable[tuple[int, int, int]], pred: Iterable[tuple[int, int, int]]) -> list[Score]:
    """Exact and overlap scores for spans given as ``(doc, start_token, end_token)``."""
    gold, pred = set(gold), set(pred)
    exact = len(gold & pred)
    by_doc: dict[int, list[tuple[int, int]]] = {}
    for d, s, e in gold:
        by_doc.setdefault(d, []).append((s, e))
    pred_doc: dict[int, list[tuple[int, int]]] = {}
    for d, s, e in pred:
        pred_doc.setdefault(d, []).append((s, e))
    p_hit = sum(1 for d, s, e in pred if any(s < ge and gs < e for gs, ge in by_doc.get(d, ())))
    g_hit = sum(1 for d, s, e in gold if any(s < pe and ps < e for ps, pe in pred_doc.get(d, ())))
    return [Score(name, f"{measure} exact", exact, len(pred), exact, len(gold)),
            Score(name, f"{measure} overlap", p_hit, len(pred), g_hit, len(gold))]


def _predict_spans(docs: Sequence[list[str]], types: set[str], *, n_process: int = 1) -> set[tuple[int, int, int]]:
    texts, maps = [], []
    for tokens in docs:
        text, spans = detokenize(tokens)
        texts.append(text)
        maps.append(spans)
    papers = [Paper(id=f"d{i}", title="", abstract=t) for i, t in enumerate(texts)]
    corpus = extract(papers, n_process=n_process)
    out = set()
    for i, x in enumerate(corpus.extractions):
        for m in x.mentions:
            if m.field == "abstract" and m.type in types:
                ts = _to_tokens(maps[i], m.start, m.end)
                if ts:
                    out.add((i, *ts))
    return out


def scierc_scores(path: Path, *, n_process: int = 1) -> list[Score]:
    docs, gold = [], set()
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        rec = json.loads(line)
        docs.append([t for s in rec["sentences"] for t in s])
        for sent in rec["ner"]:
            for a, b, label in sent:
                if label == "Method":
                    gold.add((i, a, b + 1))
    pred = _predict_spans(docs, {"METHOD"}, n_process=n_process)
    return span_scores("SciERC dev", "METHOD", gold, pred)


def read_conll(path: Path) -> list[list[tuple[str, int, str]]]:
    """Sentences of ``token<TAB>offset<TAB>tag`` lines separated by blank lines."""
    sents, cur = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if cur:
                sents.append(cur)
                cur = []
            continue
        tok, off, tag = line.split("\t")
        cur.append((tok, int(off), tag))
    if cur:
        sents.append(cur)
    return sents


def conll_text(sent: Sequence[tuple[str, int, str]]) -> tuple[str, list[tuple[int, int]]]:
    """A CoNLL sentence's text rebuilt from its tokens' character offsets, and each token's span.

    >>> conll_text([("We", 10, "O"), ("use", 13, "O"), ("SQuAD", 17, "B-DATASET")])
    ('We use SQuAD', [(0, 2), (3, 6), (7, 12)])
    """
    base = sent[0][1]
    chars: list[str] = []
    spans = []
    for tok, off, _ in sent:
        s = off - base
        chars.extend(" " * (s - len(chars)))
        chars.extend(tok)
        spans.append((s, s + len(tok)))
    return "".join(chars), spans


def bio_spans(tags: Sequence[str], label: str) -> list[tuple[int, int]]:
    """Token spans ``(start, end)`` of one label in a BIO tag sequence.

    >>> bio_spans(["O", "B-DATASET", "I-DATASET", "O", "I-DATASET"], "DATASET")
    [(1, 3), (4, 5)]
    """
    spans, start = [], None
    for j, tag in enumerate(list(tags) + ["O"]):
        if tag == f"B-{label}" or (tag == f"I-{label}" and start is None):
            if start is not None:
                spans.append((start, j))
            start = j
        elif tag != f"I-{label}" and start is not None:
            spans.append((start, j))
            start = None
    return spans


def tdmsci_scores(path: Path, *, n_process: int = 1) -> list[Score]:
    sents = read_conll(path)
    texts, maps, gold = [], [], set()
    for i, sent in enumerate(sents):
        text, spans = conll_text(sent)
        texts.append(text)
        maps.append(spans)
        gold.update((i, a, b) for a, b in bio_spans([tag for _, _, tag in sent], "DATASET"))
    papers = [Paper(id=f"t{i}", title="", abstract=t) for i, t in enumerate(texts)]
    corpus = extract(papers, n_process=n_process)
    pred = set()
    for i, x in enumerate(corpus.extractions):
        for m in x.mentions:
            if m.type in ("DATASET", "BENCHMARK"):
                ts = _to_tokens(maps[i], m.start, m.end)
                if ts:
                    pred.add((i, *ts))
    return span_scores(f"TDMSci train (n={len(sents)} sentences)", "DATASET", gold, pred)


def is_scirex_test(doc_id: str) -> bool:
    """The held-out SciREX documents (same split as training/convert.py)."""
    return int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 10 == 0


def scirex_scores(path: Path, *, n_process: int = 1) -> list[Score]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if is_scirex_test(r["doc_id"])]
    docs = [r["tokens"] for r in rows]
    out = []
    for kind, ours in (("Method", {"METHOD"}), ("Material", {"DATASET", "BENCHMARK"})):
        gold = {(i, m["start_token"], m["end_token"]) for i, r in enumerate(rows) for m in r["mentions"] if m["type"] == kind}
        pred = _predict_spans(docs, ours, n_process=n_process)
        out.extend(s for s in span_scores(f"SciREX abstracts (held-out test docs, n={len(rows)})", kind, gold, pred)
                   if s.measure.endswith("overlap"))
    return out


def evaluate(data: str | Path = DEFAULT_DATA, *, sets: Sequence[str] = ("seed", "scierc", "tdmsci", "scirex"),
             n_process: int = 1) -> list[Score]:
    """Run the chosen measurements; missing data files are reported and skipped."""
    data = Path(data)
    jobs = {
        "seed": (data / "seed_gold_dev.jsonl", seed_scores),
        "scierc": (data / "scierc" / "dev.json", scierc_scores),
        "tdmsci": (data / "tdmsci" / "train_1500_v2.conll", tdmsci_scores),
        "scirex": (data / "scirex_abstracts" / "scirex_train306_abstracts_gold.jsonl", scirex_scores),
        # merge precision/recall of entity resolution (kg.evaluate_resolution)
        "resolution": (data.parent / "train" / "arxiv_annotated" / "annotated.jsonl", _resolution_scores),
    }
    scores: list[Score] = []
    for name in sets:
        path, fn = jobs[name]
        if not path.exists():
            logger.warning("%s: not found; skipping the %s measurement", path, name)
            continue
        scores.extend(fn(path, n_process=n_process))
    return scores


def _resolution_scores(path: Path, *, n_process: int = 1) -> list[Score]:
    from kg.evaluate_resolution import resolution_scores

    return resolution_scores(path, n_process=n_process)


def format_table(scores: Sequence[Score]) -> str:
    """A plain-text table, one row per measure."""
    head = f"{'dataset':<44} {'measure':<22} {'P':>6} {'R':>6} {'F1':>6} {'pred':>6} {'gold':>6}"
    lines = [head, "-" * len(head)]
    for s in scores:
        lines.append(f"{s.dataset:<44} {s.measure:<22} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.n_pred:6d} {s.n_gold:6d}")
    return "\n".join(lines)
