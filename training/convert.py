"""Turn the SciREX training documents (Apache-2.0) into spaCy DocBin files.

SciREX text comes pre-tokenised ("CIFAR - 10", "state - of - the - art"); kg reads raw
abstracts, so each sentence is detokenised first and re-tokenised with spaCy's English
tokenizer, and the gold spans are carried over by character offsets. Types map to kg's
labels: Method -> METHOD, Material -> DATASET, Task -> TASK, Metric -> METRIC (TASK and
METRIC are learned so that the model knows what is *not* a method or a dataset).

Documents are split by a stable hash of their id: one tenth is ``test`` (never trained on or
used for model selection; `kg eval` scores the SciREX abstracts of these documents only),
one tenth is ``dev`` (checkpoint selection), the rest is ``train``. Nothing here reads SciERC.

TDMSci (Apache-2.0, IBM/science-result-extractor) adds NLP-paper sentences with DATASET,
TASK and METRIC spans. Its sentences come in runs from the same paper, so it is split in
blocks of 20 sentences: every third block is ``test`` (``kg eval`` scores those only), the
rest is trained on, twice over. TDMSci marks no methods, so its tokens outside a span are
*missing* annotations (no penalty for a METHOD the model finds there), not "outside".

Usage::

    python training/convert.py ../shared/data/train/scirex_docs training/corpus \
        [../shared/data/dev/tdmsci/train_1500_v2.conll [missing|outside]]
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import spacy
from spacy.tokens import DocBin
from spacy.util import filter_spans

from kg.evaluate import bio_spans, conll_text, detokenize, read_conll

LABELS = {"Method": "METHOD", "Material": "DATASET", "Task": "TASK", "Metric": "METRIC"}
HEADERS = {"section", "subsection", "subsubsection", "paragraph", "document", "title", "abstract"}


def split_of(doc_id: str) -> str:
    """The fixed split of a SciREX document: ``test``, ``dev`` or ``train``."""
    bucket = int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 10
    return {0: "test", 1: "dev"}.get(bucket, "train")


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


TDMSCI_LABELS = {"DATASET": "DATASET", "TASK": "TASK", "METRIC": "METRIC"}


def tdmsci_split(index: int) -> str:
    """The fixed split of TDMSci sentence ``index``: blocks of 20, every third one ``test``."""
    return "test" if (index // 20) % 3 == 0 else "train"


def tdmsci_docs(nlp, path: str, default: str = "missing"):
    """Yield ``(split, Doc)`` for every TDMSci sentence, rebuilt from its token offsets."""
    for i, sent in enumerate(read_conll(Path(path))):
        text, spans = conll_text(sent)
        doc = nlp.make_doc(text)
        tags = [tag for _, _, tag in sent]
        ents = []
        for label in TDMSCI_LABELS:
            for a, b in bio_spans(tags, label):
                span = doc.char_span(spans[a][0], spans[b - 1][1], label=TDMSCI_LABELS[label], alignment_mode="expand")
                if span is not None:
                    ents.append(span)
        doc.set_ents(filter_spans(ents), default=default)
        yield tdmsci_split(i), doc


def main(src: str, dest: str, tdmsci: str | None = None, default: str = "missing") -> None:
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
    if tdmsci:
        extra = DocBin()
        n = 0
        for split, doc in tdmsci_docs(nlp, tdmsci, default):
            if split == "train":
                extra.add(doc)
                extra.add(doc)
                n += 1
        (out / "train").mkdir(exist_ok=True)
        extra.to_disk(out / "train" / "tdmsci.spacy")
        print(f"tdmsci: {n} training sentences (each twice, {default} outside spans) -> {out / 'train' / 'tdmsci.spacy'}")
    for split, db in bins.items():
        target = out / "train" / "scirex.spacy" if split == "train" and tdmsci else out / f"{split}.spacy"
        target.parent.mkdir(parents=True, exist_ok=True)
        db.to_disk(target)
        print(f"{split}: {counts[split]} documents, {len(db)} sentences -> {target}")


if __name__ == "__main__":
    main(*sys.argv[1:5])
