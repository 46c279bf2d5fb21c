"""``kg eval``: extraction quality against the annotated development sets.

The measurements, each computed the way the annotation set defines its unit:

``arxiv``    the test split of the annotated arXiv abstracts (``arxiv_split``: 371 papers
             by a hash of their id, never trained on): paper-level P/R/F1 as for ``seed``,
             and mention-level span F1 (exact and overlap) on the annotated spans.
``seed``     32 seed-page abstracts, paper-level entity P/R/F1 per type and overall. A
             predicted entity matches a gold one (one-to-one, same type) when any name or
             alias of it equals any name or alias of the gold entity after normalisation
             (lower case, alphanumerics only, a final plural "s" dropped). ``introduces``:
             F1 over (paper, entity) pairs marked introduced, matched the same way.
``scierc``   SciERC dev (never trained on: no licence): METHOD span F1, exact and overlap.
``tdmsci``   the third of TDMSci's sentences kg's recognizer never trains on
             (:func:`tdmsci_held_out`; the other two thirds may train it, see
             ``training/tdmsci.py``): DATASET span F1, exact and overlap; kg's DATASET and
             BENCHMARK predictions both count.
``scirex``   SciREX abstracts of one tenth of the documents (the tenth an earlier kg
             recognizer held out; today's is trained on none of SciREX): Method and
             Material (= dataset) overlap F1.
``resolution`` merge precision and recall of entity resolution on the whole annotated arXiv
             corpus run as one build (:mod:`kg.evaluate_resolution`).

Span measures map kg's character spans onto the gold token offsets. Overlap precision is
the share of predicted spans that overlap a gold span of the type, overlap recall the share
of gold spans overlapped by a prediction.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.extract import extract
from kg.extract.corpus import Corpus
from kg.model import Paper

__all__ = [
    "Score",
    "evaluate",
    "paper_scores",
    "mention_scores",
    "extract_rows",
    "arxiv_split",
    "arxiv_fold",
    "arxiv_cv_split",
    "format_table",
    "cross_validation",
    "format_cross_validation",
    "seed_scores",
    "span_scores",
    "norm_name",
    "detokenize",
    "read_conll",
    "conll_text",
    "bio_spans",
    "DEFAULT_DATA",
]

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
        return {
            "dataset": self.dataset,
            "measure": self.measure,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "n_pred": self.n_pred,
            "n_gold": self.n_gold,
        }


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


def paper_scores(
    name: str, rows: Sequence[dict], *, n_process: int | None = 1, rules=None, background: Sequence[Paper] = ()
) -> list[Score]:
    """Paper-level scores of annotated papers (``title``, ``abstract``, ``entities``) run as one
    corpus (see the module docstring for the matching rule). An entity's type is its type in
    the paper (the type of the paper's mentions of it). ``background``: unannotated papers
    extracted in the same corpus and not scored (the corpus-level rules see a real build)."""
    corpus = extract_rows(rows, n_process=n_process, rules=rules, background=background)
    counts = {t: [0, 0, 0, 0] for t in ("METHOD", "DATASET", "BENCHMARK", "ALL", "ALL (untyped)", "introduces")}
    for x, row in zip(corpus.extractions, rows, strict=True):
        gold = [
            ({norm_name(n) for n in [g["name"], *g["aliases"]]}, g["type"], g["introduced"]) for g in row["entities"]
        ]
        pred = []
        paper_type = {m.entity: m.type for m in x.mentions}
        for eid, role in x.roles:
            e = corpus.entities[eid]
            keys = {norm_name(n) for n in (e.name, *e.aliases)}
            keys |= {norm_name(m.text) for m in x.mentions if m.entity == eid}
            pred.append((keys, paper_type.get(eid, e.type), role == "introduces"))
        for t in ("METHOD", "DATASET", "BENCHMARK"):
            g = [(k, ty) for k, ty, _ in gold if ty == t]
            p = [(k, ty) for k, ty, _ in pred if ty == t]
            hg, hp = _match(g, p, typed=True)
            c = counts[t]
            c[0] += hp
            c[1] += len(p)
            c[2] += hg
            c[3] += len(g)
            a = counts["ALL"]
            a[0] += hp
            a[1] += len(p)
            a[2] += hg
            a[3] += len(g)
        hg, hp = _match([(k, t) for k, t, _ in gold], [(k, t) for k, t, _ in pred], typed=False)
        u = counts["ALL (untyped)"]
        u[0] += hp
        u[1] += len(pred)
        u[2] += hg
        u[3] += len(gold)
        gi = [(k, "") for k, _, i in gold if i]
        pi = [(k, "") for k, _, i in pred if i]
        hg, hp = _match(gi, pi, typed=False)
        c = counts["introduces"]
        c[0] += hp
        c[1] += len(pi)
        c[2] += hg
        c[3] += len(gi)
    scores = [Score(name, m, *c) for m, c in counts.items()]
    if all("spans" in r for r in rows):
        scores += mention_scores(name, rows, corpus)
    return scores


def extract_rows(rows: Sequence[dict], *, n_process: int | None = 1, rules=None, background: Sequence[Paper] = ()):
    """kg's extraction of annotated rows (``id``, ``title``, ``abstract``), run as one corpus
    (with the ``background`` papers after them; the result holds the rows' papers only)."""
    papers = [
        Paper(id=r.get("id") or f"paper-{i}", title=r["title"], abstract=r["abstract"]) for i, r in enumerate(rows)
    ]
    corpus = extract([*papers, *background], n_process=n_process, rules=rules)
    return Corpus(corpus.extractions[: len(papers)], list(corpus.entities.values()))


def mention_scores(name: str, rows: Sequence[dict], corpus) -> list[Score]:
    """Mention-level scores against annotated spans (every written occurrence of an entity, any
    type): exact and overlap P/R/F1 over ``(paper, field, start, end)``."""
    fields = {"title": 0, "abstract": 1}
    gold = {(2 * i + fields[s["field"]], s["start"], s["end"]) for i, r in enumerate(rows) for s in r["spans"]}
    pred = {(2 * i + fields[m.field], m.start, m.end) for i, x in enumerate(corpus.extractions) for m in x.mentions}
    return span_scores(name, "mentions", gold, pred)


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def seed_scores(path: Path, *, n_process: int = 1) -> list[Score]:
    """Paper-level scores on the seed dev set (see the module docstring)."""
    return paper_scores("seed dev (paper-level)", _read_jsonl(path), n_process=n_process)


def _bucket(doc_id: str) -> int:
    """A document's tenth (0-9), by a hash of its id: every fixed split here is made of them."""
    return int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 10


def arxiv_split(paper_id: str) -> str:
    """The fixed split of an annotated arXiv abstract, by a hash of its id: ``test`` (two tenths,
    never trained on), ``dev`` (one tenth, checkpoint selection) or ``train``.

    >>> arxiv_split("arxiv:2506.05268"), arxiv_split("arxiv:2509.13803")
    ('test', 'train')
    """
    bucket = _bucket(paper_id)
    return "test" if bucket < 2 else "dev" if bucket == 2 else "train"


def arxiv_fold(paper_id: str) -> int:
    """The cross-validation fold (0-4) of an annotated arXiv abstract; fold 0 is the test split."""
    return _bucket(paper_id) // 2


def arxiv_cv_split(paper_id: str, fold: int | None) -> str:
    """The split of an annotated arXiv abstract when fold ``fold`` (1-4) is held out: ``test``
    (that fold), ``dev`` (one tenth, for checkpoints), ``train``, or ``unused`` for the test
    split (fold 0), which no cross-validation model sees either. ``fold=None`` is
    :func:`arxiv_split`.

    >>> [arxiv_cv_split("arxiv:2506.05268", k) for k in (None, 1, 2)]
    ['test', 'unused', 'unused']
    """
    if fold is None:
        return arxiv_split(paper_id)
    bucket = _bucket(paper_id)
    if bucket // 2 == 0:
        return "unused"
    if bucket // 2 == fold:
        return "test"
    return "dev" if bucket == (4 if fold == 1 else 2) else "train"


def arxiv_scores(path: Path, *, n_process: int = 1) -> list[Score]:
    """Paper-level scores on the test split of the annotated arXiv abstracts."""
    rows = [r for r in _read_jsonl(path) if arxiv_split(r["id"]) == "test"]
    return paper_scores(f"arXiv annotated test split (n={len(rows)})", rows, n_process=n_process)


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
        glue = (
            not out
            or w in _SPACE_BEFORE_NOT
            or prev in ("(", "[", "{")
            or (w in ("-", "/") and prev and prev[-1:].isalnum() and nxt and nxt[:1].isalnum())
            or (prev in ("-", "/") and i >= 2 and words[i - 2][-1:].isalnum() and w[:1].isalnum())
        )
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


def span_scores(
    name: str, measure: str, gold: Iterable[tuple[int, int, int]], pred: Iterable[tuple[int, int, int]]
) -> list[Score]:
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
    return [
        Score(name, f"{measure} exact", exact, len(pred), exact, len(gold)),
        Score(name, f"{measure} overlap", p_hit, len(pred), g_hit, len(gold)),
    ]


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
    sents: list[list[tuple[str, int, str]]] = []
    cur: list[tuple[str, int, str]] = []
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


def tdmsci_held_out(i: int) -> bool:
    """Whether TDMSci sentence ``i`` is in the third kg never trains on (blocks of 20
    sentences, so that one paper's sentences stay together; ``training/tdmsci.py``).

    >>> [tdmsci_held_out(i) for i in (0, 39, 40, 59, 60)]
    [False, False, True, True, False]
    """
    return (i // 20) % 3 == 2


def tdmsci_scores(path: Path, *, n_process: int = 1, rules=None) -> list[Score]:
    sents = [s for i, s in enumerate(read_conll(path)) if tdmsci_held_out(i)]
    texts: list[str] = []
    maps: list = []
    gold: set[tuple[int, int, int]] = set()
    for i, sent in enumerate(sents):
        text, spans = conll_text(sent)
        texts.append(text)
        maps.append(spans)
        gold.update((i, a, b) for a, b in bio_spans([tag for _, _, tag in sent], "DATASET"))
    papers = [Paper(id=f"t{i}", title="", abstract=t) for i, t in enumerate(texts)]
    corpus = extract(papers, n_process=n_process, rules=rules)
    pred = set()
    for i, x in enumerate(corpus.extractions):
        for m in x.mentions:
            if m.type in ("DATASET", "BENCHMARK"):
                ts = _to_tokens(maps[i], m.start, m.end)
                if ts:
                    pred.add((i, *ts))
    return span_scores(f"TDMSci held-out third (n={len(sents)} sentences)", "DATASET", gold, pred)


def is_scirex_test(doc_id: str) -> bool:
    """The tenth of the SciREX documents kg scores (a hash of the id; kept from when kg's
    recognizer trained on the other nine tenths, so that figures stay comparable)."""
    return _bucket(doc_id) == 0


def scirex_scores(path: Path, *, n_process: int = 1) -> list[Score]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if is_scirex_test(r["doc_id"])]
    docs = [r["tokens"] for r in rows]
    out: list[Score] = []
    for kind, ours in (("Method", {"METHOD"}), ("Material", {"DATASET", "BENCHMARK"})):
        gold = {
            (i, m["start_token"], m["end_token"])
            for i, r in enumerate(rows)
            for m in r["mentions"]
            if m["type"] == kind
        }
        pred = _predict_spans(docs, ours, n_process=n_process)
        out.extend(
            s
            for s in span_scores(f"SciREX abstracts (held-out test docs, n={len(rows)})", kind, gold, pred)
            if s.measure.endswith("overlap")
        )
    return out


def evaluate(
    data: str | Path = DEFAULT_DATA,
    *,
    sets: Sequence[str] = ("arxiv", "seed", "scierc", "tdmsci", "scirex"),
    n_process: int = 1,
) -> list[Score]:
    """Run the chosen measurements; missing data files are reported and skipped."""
    data = Path(data)
    jobs = {
        "arxiv": (data.parent / "train" / "arxiv_annotated" / "annotated.jsonl", arxiv_scores),
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


def cross_validation() -> dict | None:
    """The 5-fold cross-validation figure of the shipped models (``kg/models/metrics.json``,
    written by ``training/metrics.py --cv``), or None when it was not computed."""
    from importlib import resources

    try:
        text = (resources.files("kg") / "models" / "metrics.json").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None
    return json.loads(text).get("cross_validation")


def format_cross_validation(cv: dict) -> str:
    """One line per measure: mean F1 and its spread over the folds."""
    steps = f", {cv['max_steps']} training steps per fold" if cv.get("max_steps") else ""
    lines = [
        f"5-fold cross-validation on the annotated arXiv abstracts (whole pipeline, paper-level F1; "
        f"computed {cv.get('date', '?')}{steps}):"
    ]
    for m in ("ALL", "METHOD", "DATASET", "BENCHMARK", "introduces"):
        if m in cv:
            folds = " ".join(f"{x:.3f}" for x in cv[m]["per_fold"])
            lines.append(f"  {m:<12} {cv[m]['mean']:.3f} ± {cv[m]['stdev']:.3f}   (folds: {folds})")
    return "\n".join(lines)


def _resolution_scores(path: Path, *, n_process: int = 1) -> list[Score]:
    from kg.evaluate_resolution import resolution_scores

    return resolution_scores(path, n_process=n_process)


def format_table(scores: Sequence[Score]) -> str:
    """A plain-text table, one row per measure."""
    head = f"{'dataset':<44} {'measure':<22} {'P':>6} {'R':>6} {'F1':>6} {'pred':>6} {'gold':>6}"
    lines = [head, "-" * len(head)]
    for s in scores:
        lines.append(
            f"{s.dataset:<44} {s.measure:<22} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.n_pred:6d} {s.n_gold:6d}"
        )
    return "\n".join(lines)
