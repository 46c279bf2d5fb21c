"""``kg eval --set resolution``: does kg join the written forms annotators join, and only those?

The annotated arXiv set (``../shared/data/train/arxiv_annotated/annotated.jsonl``, 1,800
abstracts) lists per paper every entity with its written forms (``name`` + ``aliases``,
verbatim). Within one paper, two forms of one annotated entity are one thing; forms of two
annotated entities are two things. The whole set is resolved as one corpus (one build), so
what kg learns from other papers -- acronyms defined elsewhere, senses -- counts.

**The pairwise measure.** For a paper, let F be its distinct annotated forms (exact
strings); each has a gold entity g(f) and kg's entity k(f). Over all unordered pairs
{f1, f2} of F, summed over the papers:

* *joined by kg*: k(f1) = k(f2); *joined by annotators*: g(f1) = g(f2);
* **merge precision** = pairs joined by both / pairs joined by kg -- wrong merges are forms
  kg joins that annotators kept apart in the same paper;
* **merge recall** = pairs joined by both / pairs joined by annotators -- missed merges are
  forms annotators joined that kg keeps apart.

Two inputs, two rows each:

``gold spans``  the annotated occurrences are fed to the resolver as the mentions (type from
                the annotation, acronym definitions found in the text by kg's
                Schwartz-Hearst detector): resolution alone, recognition left out. This is
                the clean number.
``pipeline``    kg's whole extraction runs, and F is restricted to the annotated forms kg's
                recognizer found (a mention with exactly that text in the paper; when it
                maps a form to several entities, the most frequent counts). A form the
                recognizer misses is in no pair, so this measures resolution on what kg
                found; the share of forms found is given in the dataset column. A
                "Low-Rank Adaptation (LoRA)" mention writes both of its forms.

Each input is also scored on the *hard* pairs only: forms whose keys differ (not merely
case, plural or hyphen variants of each other), i.e. acronyms and long forms, spelling
variants, and different entities with similar names.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path

from kg.evaluate import Score
from kg.extract.abbreviations import find_abbreviations
from kg.model import Paper
from kg.resolve import Form, PaperForms, normalize, resolve

__all__ = ["resolution_scores", "pair_counts", "gold_forms", "DEFAULT_ANNOTATED"]

DEFAULT_ANNOTATED = Path("../shared/data/train/arxiv_annotated/annotated.jsonl")


def gold_forms(row: dict) -> dict[str, int]:
    """A paper's annotated forms and the index of the entity each belongs to (a form two
    entities share is left out: it cannot tell them apart)."""
    owner: dict[str, set[int]] = {}
    for i, e in enumerate(row.get("entities", [])):
        for f in {e["name"], *e.get("aliases", [])}:
            owner.setdefault(f, set()).add(i)
    return {f: next(iter(ix)) for f, ix in owner.items() if len(ix) == 1}


def pair_counts(gold: dict[str, int], pred: dict[str, str], *, hard_only: bool = False) -> tuple[int, int, int]:
    """``(joined by both, joined by kg, joined by annotators)`` over the pairs of forms
    present in both mappings.

    >>> pair_counts({"LoRA": 0, "Low-Rank Adaptation": 0, "GLUE": 1}, {"LoRA": "m:lora", "Low-Rank Adaptation": "m:lora", "GLUE": "m:lora"})
    (1, 3, 1)
    """
    forms = sorted(f for f in gold if f in pred)
    both = kg = ann = 0
    for a, b in combinations(forms, 2):
        if hard_only and normalize(a) == normalize(b):
            continue
        j, g = pred[a] == pred[b], gold[a] == gold[b]
        kg += j
        ann += g
        both += j and g
    return both, kg, ann


_DEFINED_IN = re.compile(r"^(.*?)\s*\(([^()]+)\)(.*)$")


def _written_forms(mention: str) -> list[str]:
    """The forms one mention writes: kg marks "Low-Rank Adaptation (LoRA)" as one mention,
    annotators as two forms.

    >>> _written_forms("Low-Rank Adaptation (LoRA)"), _written_forms("GLUE")
    (['Low-Rank Adaptation (LoRA)', 'Low-Rank Adaptation', 'LoRA'], ['GLUE'])
    """
    m = _DEFINED_IN.match(mention)
    if not m:
        return [mention]
    out = [mention, (m.group(1) + m.group(3)).strip(), m.group(2).strip()]
    return [f for i, f in enumerate(out) if f and f not in out[:i]]


def _gold_input(rows: Sequence[dict]) -> list[PaperForms]:
    out = []
    for r in rows:
        texts = {"title": r.get("title", ""), "abstract": r.get("abstract", "")}
        defined = {}
        for field, text in texts.items():
            for a in find_abbreviations(text):
                defined[(field, a.short_start, a.short_end)] = a.long(text)
        ents = r.get("entities", [])
        forms = tuple(
            Form(s["text"], ents[s["entity"]]["type"], 1.0, defined.get((s["field"], s["start"], s["end"])))
            for s in sorted(r.get("spans", []), key=lambda s: (s["field"] != "title", s["start"]))
        )
        out.append(PaperForms(r["id"], forms, context=f"{texts['title']}\n{texts['abstract']}"))
    return out


def _score(name: str, rows: Sequence[dict], preds: Sequence[dict[str, str]]) -> list[Score]:
    out = []
    for measure, hard in (("merge pairs", False), ("merge pairs (hard)", True)):
        both = kg = ann = 0
        for r, pred in zip(rows, preds, strict=True):
            b, k, a = pair_counts(gold_forms(r), pred, hard_only=hard)
            both, kg, ann = both + b, kg + k, ann + a
        out.append(Score(name, measure, both, kg, both, ann))
    return out


def read_annotated(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc})") from None
    return rows


def resolution_scores(path: Path = DEFAULT_ANNOTATED, *, n_process: int = 1, pipeline: bool = True) -> list[Score]:
    """Pairwise merge precision and recall on the annotated set (see the module docstring)."""
    from kg.extract.frequency import load_frequencies, shared_name
    from kg.extract.lexicon import load_lexicon

    rows = read_annotated(Path(path))
    res = resolve(_gold_input(rows), lexicon=load_lexicon(), shared=shared_name(load_frequencies()))
    preds = []
    for r, ids in zip(rows, res.entity_ids, strict=True):
        spans = sorted(r.get("spans", []), key=lambda s: (s["field"] != "title", s["start"]))
        votes: dict[str, Counter] = {}
        for s, eid in zip(spans, ids, strict=True):
            votes.setdefault(s["text"], Counter())[eid] += 1
        preds.append({f: c.most_common(1)[0][0] for f, c in votes.items()})
    scores = _score(f"arXiv annotated n={len(rows)}, gold spans", rows, preds)
    if not pipeline:
        return scores
    from kg.extract import extract

    papers = [Paper(id=r["id"], title=r.get("title", ""), abstract=r.get("abstract", "")) for r in rows]
    corpus = extract(papers, n_process=n_process)
    preds, found, total = [], 0, 0
    for r, x in zip(rows, corpus.extractions, strict=True):
        votes = {}
        for m in x.mentions:
            for text in _written_forms(m.text):
                votes.setdefault(text, Counter())[m.entity] += 1
        pred = {f: min(c, key=lambda e: (-c[e], e)) for f, c in votes.items()}
        gold = gold_forms(r)
        found += sum(1 for f in gold if f in pred)
        total += len(gold)
        preds.append(pred)
    share = found / total if total else 0.0
    return scores + _score(f"arXiv annotated, pipeline ({share:.0%} found)", rows, preds)
