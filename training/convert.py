"""Turn the SciREX training documents (Apache-2.0) into spaCy DocBin files.

SciREX text comes pre-tokenised ("CIFAR - 10", "state - of - the - art"); kg reads raw
abstracts, so each sentence is detokenised first and re-tokenised with spaCy's English
tokenizer, and the gold spans are carried over by character offsets. Types map to kg's
labels: Method -> METHOD, Material -> DATASET, Task -> TASK, Metric -> METRIC (TASK and
METRIC are learned so that the model knows what is *not* a method or a dataset).

Documents are split by a stable hash of their id: one tenth is ``test`` (never trained on or
used for model selection; `kg eval` scores the SciREX abstracts of these documents only),
one tenth is ``dev`` (checkpoint selection), the rest is ``train``. Nothing here reads SciERC.

Usage::

    python training/convert.py ../shared/data/train/scirex_docs training/corpus
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import spacy
from spacy.tokens import DocBin
from spacy.util import filter_spans

LABELS = {"Method": "METHOD", "Material": "DATASET", "Task": "TASK", "Metric": "METRIC"}
HEADERS = {"section", "subsection", "subsubsection", "paragraph", "document", "title", "abstract"}
NO_SPACE_BEFORE = {",", ".", ";", ":", ")", "]", "}", "?", "!", "%", "'s", "n't", "'re", "'ve", "'ll", "'d", "'m"}
NO_SPACE_AFTER = {"(", "[", "{"}
JOINERS = {"-", "/"}


def split_of(doc_id: str) -> str:
    """The fixed split of a SciREX document: ``test``, ``dev`` or ``train``."""
    bucket = int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 10
    return {0: "test", 1: "dev"}.get(bucket, "train")


def detokenize(words: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Join SciREX tokens into plain text; return it with each token's character span."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for i, word in enumerate(words):
        prev = words[i - 1] if i else None
        nxt = words[i + 1] if i + 1 < len(words) else None
        glue = (
            not out
            or word in NO_SPACE_BEFORE
            or prev in NO_SPACE_AFTER
            or (word in JOINERS and prev is not None and prev[-1:].isalnum() and nxt is not None and nxt[:1].isalnum())
            or (prev in JOINERS and i >= 2 and words[i - 2][-1:].isalnum() and word[:1].isalnum())
        )
        if not glue:
            out.append(" ")
            pos += 1
        spans.append((pos, pos + len(word)))
        out.append(word)
        pos += len(word)
    return "".join(out), spans


def sentence_docs(nlp, record: dict):
    """Yield one spaCy Doc per sentence of a SciREX document, with gold entities set."""
    words = record["words"]
    ner = sorted(record["ner"])
    j = 0
    for start, end in record["sentences"]:
        # drop "section :" style header tokens SciREX keeps in the running text
        s = start
        while s + 1 < end and words[s].lower() in HEADERS and words[s + 1] == ":":
            s += 2
        if end - s < 3:
            continue
        text, spans = detokenize(words[s:end])
        doc = nlp.make_doc(text)
        ents = []
        while j < len(ner) and ner[j][0] < start:
            j += 1
        k = j
        while k < len(ner) and ner[k][0] < end:
            a, b, label = ner[k]
            k += 1
            if a < s or b > end or label not in LABELS:
                continue
            span = doc.char_span(spans[a - s][0], spans[b - s - 1][1], label=LABELS[label], alignment_mode="expand")
            if span is not None:
                ents.append(span)
        doc.ents = filter_spans(ents)
        yield doc


def main(src: str, dest: str) -> None:
    nlp = spacy.blank("en")
    out = Path(dest)
    out.mkdir(parents=True, exist_ok=True)
    bins = {"train": DocBin(), "dev": DocBin(), "test": DocBin()}
    counts = dict.fromkeys(bins, 0)
    for path in sorted(Path(src).glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        split = split_of(record["doc_id"])
        for doc in sentence_docs(nlp, record):
            bins[split].add(doc)
        counts[split] += 1
    for split, db in bins.items():
        db.to_disk(out / f"{split}.spacy")
        print(f"{split}: {counts[split]} documents, {len(db)} sentences -> {out / (split + '.spacy')}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
