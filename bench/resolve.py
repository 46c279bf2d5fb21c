"""Entity resolution on cached extraction results: its time, the issue-14 counts, how well a
bare acronym's sense is chosen, and a family sample to check by hand.

    .venv/bin/python bench/cache_extraction.py ../shared/data/corpora/arxiv_cs/*.jsonl.gz \\
        -o /work/builds/resolve-arxiv-all.results.pkl --jobs 2          # once, ~10 min
    .venv/bin/python bench/resolve.py /work/builds/resolve-arxiv-all.results.pkl --repeat 3
    .venv/bin/python bench/resolve.py CACHE --files arxiv_cs_00 arxiv_cs_01 --baseline --families 100

``--files`` keeps the papers read from those input files (the 10k build is files 00 and 01).
Timing: ``build_corpus`` (the corpus-level step of extraction: propagation of acronyms,
resolution, mentions) and, inside it, ``resolve`` alone; medians of ``--repeat`` runs, with
the time of a reference loop and the load average, since a shared 2-core machine can run
at half speed.
``--baseline`` also runs the corpus step of commit 810f12f (EntityMerger, before this work)
on the same results and prints its counts next to the new ones. ``--senses`` measures the
sense choice: for every paper that defines an acronym the corpus gives several meanings,
its definition is hidden and the sense chosen from the rest of the corpus (prior and topic)
is compared with the one it defines. ``--families N`` prints N ``VARIANT_OF`` edges sampled
with seed 0.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import random
import statistics
import subprocess
import sys
import time
import types
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import kg.extract.corpus as corpus_mod  # noqa: E402
from kg.explore import resolution_stats  # noqa: E402
from kg.graph import build_graph  # noqa: E402
from kg.resolve import coarse_type  # noqa: E402
from kg.resolve.acronyms import Contexts, SenseParams, choose_sense  # noqa: E402
from kg.resolve.keys import casing  # noqa: E402


def log(*a) -> None:
    print(*a, file=sys.stderr, flush=True)


def load(path: Path, files: list[str]) -> tuple[list, list]:
    with path.open("rb") as f:
        data = pickle.load(f)
    papers, results = data["papers"], data["results"]
    if files:
        keep = [i for i, p in enumerate(papers) if any(any(f in s for f in files) for s in p.sources)]
        papers, results = [papers[i] for i in keep], [results[i] for i in keep]
    return papers, results


def reference_loop() -> float:
    """Seconds for 20 million iterations of a plain Python loop: about 1.0-1.2 s on an idle
    core of a current machine; more when the cores are shared. Reported with every timing so
    that runs on a busy machine can be compared."""
    t = time.perf_counter()
    s = 0
    for i in range(20_000_000):
        s += i
    return round(time.perf_counter() - t, 2)


def timed_build(papers, results, repeat: int):
    """build_corpus, and the time spent in resolve inside it."""
    inner: list[float] = []
    captured = {}
    real = corpus_mod.resolve

    def timing(forms, **kw):
        t = time.perf_counter()
        out = real(forms, **kw)
        inner.append(time.perf_counter() - t)
        captured["forms"] = forms
        return out

    corpus_mod.resolve = timing
    outer, corpus = [], None
    try:
        for _ in range(repeat):
            gc.collect()
            gc.disable()
            t = time.perf_counter()
            corpus = corpus_mod.build_corpus(papers, results)
            outer.append(time.perf_counter() - t)
            gc.enable()
    finally:
        corpus_mod.resolve = real
    return corpus, statistics.median(outer), statistics.median(inner), captured["forms"]


def baseline_corpus(papers, results):
    """The corpus step as it was at commit 810f12f (EntityMerger), on the same results."""

    def source(path):
        return subprocess.run(
            ["git", "-C", str(ROOT), "show", f"810f12f:{path}"], capture_output=True, text=True, check=True
        ).stdout

    ents = types.ModuleType("kg_old_entities")
    exec(compile(source("kg/extract/entities.py"), "old_entities", "exec"), ents.__dict__)
    sys.modules["kg_old_entities"] = ents
    old = types.ModuleType("kg_old_corpus")
    code = source("kg/extract/corpus.py").replace("from kg.extract.entities import", "from kg_old_entities import")
    exec(compile(code, "old_corpus", "exec"), old.__dict__)
    t = time.perf_counter()
    c = old.build_corpus(papers, results)
    return c, time.perf_counter() - t


def counts(corpus) -> dict:
    G = build_graph(corpus)
    r = resolution_stats(G, examples=40)
    flips = Counter()
    for x in corpus.extractions:
        for m in x.mentions:
            e = corpus.entities[m.entity]
            if coarse_type(m.type) != coarse_type(e.type):
                flips["method/data differs from entity"] += 1
    r["mention_type_conflicts"] = sum(flips.values())
    return r


def sense_accuracy(forms, params: SenseParams) -> dict:
    """Leave one definition out: does the corpus choose the sense a paper defines?"""
    from kg.extract.lexicon import load_lexicon
    from kg.resolve.resolver import _Resolver

    rs = _Resolver(forms, load_lexicon(), params)
    ctx = Contexts([p.context for p in forms])
    cases = []
    for s, senses in rs.senses.items():
        if len(senses) < 2:
            continue
        for k, sense in enumerate(senses):
            for i in sense.papers:
                cases.append((s, k, i))
    ctx.prepare(sorted({i for _, _, i in cases}))
    hits = Counter()
    for s, k, i in cases:
        senses = rs.senses[s]
        # this paper's definition taken out of the evidence
        held = []
        for j, sense in enumerate(senses):
            w = sense.weight - (1 if j == k else 0)
            held.append(type(sense)(sense.keys, w, sense.casings, [p for p in sense.papers if p != i], sense.lexicon))
        order = sorted(range(len(held)), key=lambda j: (-held[j].weight, held[j].key))
        ranked = [held[j] for j in order]
        c = casing(next(f.text for f in forms[i].forms if rs.key(f.text) == s))
        choice = choose_sense(ranked, c, lambda sense, i=i: ctx.similarity(i, sense, leave_out=i), params)
        truth = order.index(k)
        known = held[k].weight > 0  # the rest of the corpus defines this sense too
        for group in ("all", "known") if known else ("all",):
            hits[f"{group}: cases"] += 1
            hits[f"{group}: most frequent sense right"] += truth == 0
            if choice.sense is None:
                hits[f"{group}: own entity"] += 1
            else:
                hits[f"{group}: chosen right"] += choice.sense == truth
    for group in ("all", "known"):
        n = max(hits[f"{group}: cases"], 1)
        hits[f"{group}: accuracy"] = round(hits[f"{group}: chosen right"] / n, 4)
        hits[f"{group}: accuracy of the most frequent sense alone"] = round(
            hits[f"{group}: most frequent sense right"] / n, 4
        )
    return dict(hits)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cache", type=Path)
    ap.add_argument("--files", nargs="*", default=[])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--baseline", action="store_true")
    ap.add_argument("--senses", action="store_true")
    ap.add_argument("--families", type=int, default=0)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    papers, results = load(args.cache, args.files)
    log(f"{len(papers):,} papers")
    corpus, t_corpus, t_resolve, forms = timed_build(papers, results, args.repeat)
    ref = reference_loop()
    out = {
        "papers": len(papers),
        "entities": len(corpus.entities),
        "forms": sum(len(p.forms) for p in forms),
        "seconds": {
            "build_corpus": round(t_corpus, 2),
            "resolve": round(t_resolve, 2),
            "reference loop (1.0-1.2 on an idle core)": ref,
            "load average": os.getloadavg()[0],
        },
        "new": counts(corpus),
    }
    if args.baseline:
        old, t_old = baseline_corpus(papers, results)
        out["baseline_810f12f"] = counts(old) | {"entities": len(old.entities), "build_corpus_seconds": round(t_old, 2)}
    if args.senses:
        out["senses"] = sense_accuracy(forms, SenseParams())
    if args.families:
        edges = sorted((e.id, e.family) for e in corpus.entities.values() if e.family)
        out["variants_with_family"] = len(edges)
        sample = random.Random(0).sample(edges, min(args.families, len(edges)))
        out["family_sample"] = [f"{corpus.entities[v].name}  ->  {corpus.entities[f].name}" for v, f in sample]
    text = json.dumps(out, indent=1, ensure_ascii=False)
    if args.json:
        args.json.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
