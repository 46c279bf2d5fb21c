"""Spans for annotated abstracts that list entities only (name, aliases, type, introduced).

Follows the annotated corpus's own rule (its README): every written occurrence of a name or
alias in the title or abstract, whole words, case-sensitive, falling back to case-insensitive
when the exact form does not occur; overlapping occurrences keep the longer.

Also scores two annotations of the same abstracts against each other at paper level
(``kg eval``'s matching), for agreement checks.

Usage::

    python training/spans.py annotate OUT.jsonl BATCH.jsonl ENTITIES.jsonl [...]   # -> records with spans
    python training/spans.py agree A.jsonl B.jsonl                                  # paper-level agreement
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from kg.evaluate import Score, _match, format_table, norm_name


def find_spans(record: dict) -> list[dict]:
    found = []
    for k, ent in enumerate(record["entities"]):
        for form in dict.fromkeys([ent["name"], *ent.get("aliases", ())]):
            if not form:
                continue
            for field in ("title", "abstract"):
                text = record.get(field) or ""
                rx = rf"(?<!\w){re.escape(form)}(?!\w)"
                hits = list(re.finditer(rx, text)) or list(re.finditer(rx, text, re.I))
                for m in hits:
                    found.append(
                        {
                            "field": field,
                            "start": m.start(),
                            "end": m.end(),
                            "text": m.group(0),
                            "type": ent["type"],
                            "entity": k,
                        }
                    )
    found.sort(key=lambda s: (s["field"], -(s["end"] - s["start"]), s["start"]))
    kept: list[dict] = []
    for s in found:
        if any(k["field"] == s["field"] and k["start"] < s["end"] and s["start"] < k["end"] for k in kept):
            continue
        kept.append(s)
    return sorted(kept, key=lambda s: (s["field"] != "title", s["start"]))


def annotate(out: str, pairs: list[tuple[str, str]]) -> None:
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        for batch, ents in pairs:
            texts = {
                json.loads(line)["id"]: json.loads(line)
                for line in Path(batch).read_text().splitlines()
                if line.strip()
            }
            for line in Path(ents).read_text().splitlines():
                if not line.strip():
                    continue
                a = json.loads(line)
                r = dict(texts[a["id"]], entities=a["entities"])
                r["spans"] = find_spans(r)
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
                n += 1
    print(f"{n} records -> {out}")


def agreement(a: dict[str, list], b: dict[str, list], name: str) -> list[Score]:
    counts = {m: [0, 0, 0, 0] for m in ("ALL", "ALL (untyped)", "introduces")}
    for pid in sorted(set(a) & set(b)):
        ga = [({norm_name(n) for n in [e["name"], *e["aliases"]]}, e["type"], e["introduced"]) for e in a[pid]]
        gb = [({norm_name(n) for n in [e["name"], *e["aliases"]]}, e["type"], e["introduced"]) for e in b[pid]]
        for m, fa, fb, typed in (
            ("ALL", ga, gb, True),
            ("ALL (untyped)", ga, gb, False),
            ("introduces", [x for x in ga if x[2]], [x for x in gb if x[2]], False),
        ):
            hg, hp = _match([(k, t) for k, t, _ in fa], [(k, t) for k, t, _ in fb], typed=typed)
            c = counts[m]
            c[0] += hp
            c[1] += len(fb)
            c[2] += hg
            c[3] += len(fa)
    return [Score(name, m, *c) for m, c in counts.items()]


if __name__ == "__main__":
    cmd, *args = sys.argv[1:]
    if cmd == "annotate":
        annotate(args[0], list(zip(args[1::2], args[2::2], strict=False)))
    elif cmd == "agree":

        def load(p):
            return {
                json.loads(ln)["id"]: json.loads(ln)["entities"]
                for ln in Path(p).read_text().splitlines()
                if ln.strip()
            }

        print(format_table(agreement(load(args[0]), load(args[1]), f"{Path(args[0]).name} vs {Path(args[1]).name}")))
