"""Fuzz kg's readers, and measure the text cleaning on the real arXiv corpus.

Fuzzing (hypothesis, no server, no model)::

    .venv/bin/python bench/fuzz_read.py --examples 2000 --seed 0

Three kinds of input, each written to a file and read with :func:`kg.read.read_all` (format
detected from the name and the content, and also forced to every format):

* random bytes under every file name kg knows (``.jsonl``, ``.csv``, ``.bib``, ``.gz`` ...);
* real files from ``tests/data`` (and a seed page) mutated anywhere: bytes flipped, deleted,
  repeated, syntax inserted (``{``, ``"``, ``@comment{``, ``\\cite{``, ``<p>``, NUL ...), cut short;
* the same real files with exactly one record mutated: every other record must still be read
  (a "good record lost" is a record left untouched whose paper is missing afterwards).

A traceback is any exception other than kg's own :class:`~kg.errors.KGError` (those are the
clear, coded messages a user sees). The run prints inputs tried, tracebacks and good records
lost, and the first few failing inputs; it exits 1 if there was any.

Cleaning (``--cleaning``): how many of 2,000 sampled corpus abstracts the cleaning changes
(and 30 of the changes to read); the time :func:`kg.read.read_papers` takes on 10,000 corpus
records with the cleaning and with it switched off; pylatexenc on LaTeX islands (kg) against
pylatexenc on whole abstracts; and reading 2,000 of them as BibTeX with bibtexparser 2 against
kg's former hand-written scanner (medians of ``--repeat`` runs)::

    .venv/bin/python bench/fuzz_read.py --cleaning
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import logging
import random
import re
import statistics
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kg.errors import KGError  # noqa: E402
from kg.read import FORMATS, iter_records, read_all  # noqa: E402
from kg.read.ids import title_key  # noqa: E402

DATA = ROOT / "tests" / "data"
CORPUS = (ROOT / ".." / "shared" / "data" / "corpora" / "arxiv_cs").resolve()
SEED = (ROOT / ".." / "shared" / "seeds" / "000_3b62b11be6b43230.txt").resolve()
NAMES = ["x.jsonl", "x.json", "x.csv", "x.tsv", "x.bib", "x.txt", "x.dat", "x.jsonl.gz", "x.bib.gz"]
TOKENS = [
    b"{",
    b"}",
    b'"',
    b"'",
    b",",
    b"\t",
    b"\n",
    b"\r\n",
    b"\\",
    b"$",
    b"%",
    b"#",
    b"@",
    b"@comment{",
    b"@string{x = ",
    b"@article{k,",
    b"\\cite{",
    b"\\'",
    b"$\\mathcal{",
    b"<p>",
    b"</i>",
    b"&amp;",
    b"&#x",
    b"<a href='",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\x1f\x8b",
    b"[",
    b"]",
    b":",
    b"null",
    b"{}",
    b"[]",
    b'{"text": ',
    b'"abstract": {',
    b"\\u00",
    b"\xc3",
    b"\xe2\x80",
    "é".encode(),
    "𝔽".encode(),
    b"\\\\",
    b"~",
]


def real_files() -> dict[str, bytes]:
    files = {p.name: p.read_bytes() for p in sorted(DATA.iterdir()) if p.is_file()}
    if SEED.exists():
        files[SEED.name] = SEED.read_bytes()[:6000]
    return files


class Tally:
    def __init__(self) -> None:
        self.inputs = 0
        self.tracebacks: list[tuple[str, bytes, str]] = []
        self.record_checks = 0
        self.lost: list[tuple[str, bytes, list[str]]] = []


TALLY = Tally()


def _read(data: bytes, name: str, fmt: str | None, tmp: Path):
    path = tmp / name
    path.write_bytes(data)
    try:
        return read_all(path, format=fmt)
    except KGError:
        return None
    except Exception:  # noqa: BLE001 - a traceback a user would see: count it
        TALLY.tracebacks.append((f"{name} format={fmt}", data[:3000], traceback.format_exc(limit=6)))
        return None


def check(data: bytes, name: str, tmp: Path, *, all_formats: bool) -> None:
    for fmt in [None, *FORMATS] if all_formats else [None]:
        TALLY.inputs += 1
        _read(data, name, fmt, tmp)


# ----------------------------------------------------------------------------- records of a file


def record_spans(name: str, text: str) -> list[tuple[int, int]]:
    """Character spans of the records of a real file, for mutating one at a time."""
    if name.endswith(".jsonl"):
        spans, pos = [], 0
        for line in text.split("\n"):
            if line.strip():
                spans.append((pos, pos + len(line)))
            pos += len(line) + 1
        return spans
    if name.endswith(".bib"):
        starts = [m.start() for m in re.finditer(r"(?m)^@\w+\s*\{", text)]
        starts = [s for s in starts if not re.match(r"@(?:string|comment|preamble)", text[s:], re.I)]
        ends = [text.find("\n}", s) + 2 for s in starts]
        return [(s, e) for s, e in zip(starts, ends, strict=True) if e > s]
    if name.endswith((".csv", ".tsv")):
        import csv

        spans = []
        lines = text.split("\n")
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line) + 1)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t" if name.endswith(".tsv") else ",")
        next(reader)
        start = reader.line_num
        for _ in reader:
            spans.append((offsets[start], offsets[reader.line_num] - 1))
            start = reader.line_num
        return spans
    return []


def titles_of(path: Path) -> dict[str, int]:
    """title key -> the line its record starts on (``where`` is "line N ...")."""
    return {title_key(p.title): int(where.split()[1]) for where, p in iter_records(path)}


def line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


@st.composite
def mutation(draw, size: int):
    kind = draw(st.sampled_from(["flip", "insert", "delete", "repeat", "truncate", "token"]))
    at = draw(st.integers(0, max(0, size - 1)))
    if kind == "flip":
        return kind, at, bytes([draw(st.integers(0, 255))])
    if kind == "token":
        return kind, at, draw(st.sampled_from(TOKENS))
    if kind == "insert":
        return kind, at, draw(st.binary(min_size=1, max_size=8))
    return kind, at, draw(st.integers(1, 200))


def apply(data: bytes, muts, lo: int = 0, hi: int | None = None) -> bytes:
    """Apply mutations at positions inside ``data[lo:hi]`` (the whole file by default)."""
    hi = len(data) if hi is None else hi
    for kind, at, arg in muts:
        span = max(1, hi - lo)
        i = lo + at % span
        if kind == "flip":
            data = data[:i] + arg + data[i + 1 :]
        elif kind in ("insert", "token"):
            data = data[:i] + arg + data[i:]
            hi += len(arg)
        elif kind == "delete":
            n = min(arg, hi - i)
            data = data[:i] + data[i + n :]
            hi -= n
        elif kind == "repeat":
            piece = data[i : min(hi, i + arg)]
            data = data[:i] + piece + data[i:]
            hi += len(piece)
        elif kind == "truncate" and lo == 0 and hi == len(data):
            data = data[:i]
            hi = i
    return data


def run_fuzz(examples: int, seed_: int, only: str | None = None) -> int:
    files = real_files()
    tmp = Path(tempfile.mkdtemp(prefix="kg-fuzz-"))
    logging.getLogger("kg").setLevel(logging.CRITICAL)
    common = dict(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))

    @settings(**common)
    @given(data=st.binary(max_size=2048), name=st.sampled_from(NAMES))
    @seed(seed_)
    def random_bytes(data, name):
        if name.endswith(".gz"):
            data = gzip.compress(data)
        check(data, name, tmp, all_formats=True)

    @settings(**common)
    @given(name=st.sampled_from(sorted(files)), muts=st.lists(mutation(4096), min_size=1, max_size=6), gz=st.booleans())
    @seed(seed_)
    def mutated_files(name, muts, gz):
        data = apply(files[name], muts)
        check(gzip.compress(data) if gz else data, name + (".gz" if gz else ""), tmp, all_formats=False)

    candidates = {}
    for name, data in files.items():
        spans = record_spans(name, data.decode("utf-8"))
        original = tmp / f"orig-{name}"
        original.write_bytes(data)
        titles = titles_of(original)
        text = data.decode("utf-8")
        # records only: an entry inside @comment is no record (breaking the comment's own braces
        # comments out the rest of the file, as in BibTeX: reported, and not counted here)
        spans = [(lo, hi) for lo, hi in spans if line_of(text, lo) in titles.values()]
        if len(spans) >= 2:
            candidates[name] = (spans, titles)

    @settings(**common)
    @given(
        name=st.sampled_from(sorted(candidates)),
        which=st.integers(0, 100),
        muts=st.lists(mutation(2000), min_size=1, max_size=4),
    )
    @seed(seed_)
    def one_record_mutated(name, which, muts):
        spans, titles = candidates[name]
        text = files[name].decode("utf-8")
        k = which % len(spans)
        lo, hi = spans[k]
        blo, bhi = len(text[:lo].encode()), len(text[:hi].encode())
        data = apply(files[name], muts, blo, bhi)
        TALLY.inputs += 1
        TALLY.record_checks += 1
        report = _read(data, name, None, tmp)
        if report is None:
            TALLY.lost.append((name, data[:3000], ["the whole file (an error)"]))
            return
        got = {title_key(p.title) for p in report.papers}
        first, last = line_of(text, lo), line_of(text, hi)
        lost = [t for t, line in titles.items() if not first <= line <= last and t not in got]
        if lost:
            TALLY.lost.append((f"{name} (record {k + 1} mutated)", data[:3000], lost))

    t0 = time.perf_counter()
    for name, strategy in [("bytes", random_bytes), ("files", mutated_files), ("records", one_record_mutated)]:
        if only in (None, name):
            strategy()
    seconds = time.perf_counter() - t0
    print(
        f"inputs tried: {TALLY.inputs:,} ({examples:,} random byte strings x {len(FORMATS) + 1} ways to read them, "
        f"{examples:,} mutated real files, {TALLY.record_checks:,} files with one record mutated) in {seconds:.0f} s"
    )
    print(f"tracebacks: {len(TALLY.tracebacks)}")
    print(
        f"good records lost: {sum(len(x[2]) for x in TALLY.lost)} (in {len(TALLY.lost)} of "
        f"{TALLY.record_checks:,} files with one record mutated)"
    )
    for what, data, tb in TALLY.tracebacks[:5]:
        print(f"\n--- traceback on {what}: {data[:300]!r}\n{tb}")
    for what, data, lost in TALLY.lost[:5]:
        print(f"\n--- lost on {what}: {lost[:3]}\n{data[:3000]!r}")
    return 1 if TALLY.tracebacks or TALLY.lost else 0


# ----------------------------------------------------------------------------------- cleaning


def corpus_records(n: int) -> list[dict]:
    out = []
    for path in sorted(CORPUS.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                out.append(json.loads(line))
                if len(out) == n:
                    return out
    return out


def run_cleaning(sample: int, n: int, repeat: int, show: int, seed: int) -> None:
    import difflib

    import kg.read.clean as clean
    import kg.read.latex as latex_mod
    from kg.read import read_papers

    records = corpus_records(max(n, sample * 5))
    rng = random.Random(seed)
    picked = rng.sample(records, sample)
    changed = []
    for r in picked:
        title, abstract = " ".join(r["title"].split()), " ".join(r["abstract"].split())
        ct, ca = clean.clean_line(r["title"]), clean.clean_text(r["abstract"])
        if ct != title or ca != abstract:
            changed.append((title, abstract, ct, ca))
    print(f"cleaning changed {len(changed)} of {sample:,} sampled corpus papers (title or abstract)")
    for title, abstract, ct, ca in rng.sample(changed, min(show, len(changed))):
        diffs = [f"title: {title!r} -> {ct!r}"] if ct != title else []
        sm = difflib.SequenceMatcher(None, abstract, ca, autojunk=False)
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op != "equal":
                diffs.append(f"{abstract[max(0, i1 - 12) : i2 + 4]!r} -> {ca[max(0, j1 - 12) : j2 + 4]!r}")
        print("  * " + "\n    ".join(diffs[:4]) + (f"\n    ... {len(diffs) - 4} more" if len(diffs) > 4 else ""))

    tmp = Path(tempfile.mkdtemp(prefix="kg-clean-"))
    path = tmp / "papers.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records[:n]), encoding="utf-8")
    logging.getLogger("kg").setLevel(logging.CRITICAL)

    def timed() -> float:
        latex_mod._island_text.cache_clear()
        t = time.perf_counter()
        read_papers(path)
        return time.perf_counter() - t

    with_cleaning = [timed() for _ in range(repeat)]
    saved = clean.latex_to_text, clean.strip_markup
    clean.latex_to_text = lambda text, always=False: text
    clean.strip_markup = lambda text: text
    try:
        without = [timed() for _ in range(repeat)]
    finally:
        clean.latex_to_text, clean.strip_markup = saved
    a, b = statistics.median(with_cleaning), statistics.median(without)
    print(
        f"read_papers on {n:,} corpus records (median of {repeat}): {a:.2f} s with LaTeX/markup cleaning, "
        f"{b:.2f} s without it: +{a - b:.2f} s"
    )

    # pylatexenc on LaTeX islands only (kg) against pylatexenc on the whole text
    from pylatexenc import latexwalker

    latex = [r["abstract"] for r in records[:n] if latex_mod.looks_like_latex(r["abstract"])][:300]
    wdb, conv = latex_mod._converter()

    def whole(text: str) -> str:
        nodes, _, _ = latexwalker.LatexWalker(text, latex_context=wdb, tolerant_parsing=True).get_latex_nodes()
        return conv.nodelist_to_text(nodes)

    def islands() -> float:
        latex_mod._island_text.cache_clear()
        t = time.perf_counter()
        for text in latex:
            latex_mod.latex_to_text(text)
        return time.perf_counter() - t

    def whole_texts() -> float:
        t = time.perf_counter()
        for text in latex:
            whole(text)
        return time.perf_counter() - t

    a = statistics.median(islands() for _ in range(repeat))
    b = statistics.median(whole_texts() for _ in range(repeat))
    print(
        f"LaTeX to text on {len(latex)} corpus abstracts holding LaTeX (median of {repeat}): {a:.2f} s on the "
        f"LaTeX islands (kg), {b:.2f} s with pylatexenc on the whole text: {b / a:.0f}x"
    )
    run_bibtex(records[:2000], tmp, repeat)  # kg's former scanner is quadratic: 10,000 would take minutes


def run_bibtex(records: list[dict], tmp: Path, repeat: int) -> None:
    """bibtexparser 2 + kg's value reading (kg now) against kg's own BibTeX scanner (before)."""
    import subprocess

    from kg.read import read_papers

    entries = []
    for i, r in enumerate(records):
        authors = " and ".join(r["authors"][:5]).replace("{", "").replace("}", "")
        title = r["title"].replace("{", "").replace("}", "")
        abstract = r["abstract"].replace("{", "").replace("}", "")
        entries.append(
            f"@article{{k{i},\n  title = {{{title}}},\n  author = {{{authors}}},\n  year = {{2025}},\n"
            f"  eprint = {{{r['arxiv_id']}}},\n  archivePrefix = {{arXiv}},\n  abstract = {{{abstract}}},\n}}\n"
        )
    path = tmp / "refs.bib"
    path.write_text("\n".join(entries), encoding="utf-8")
    old_src = subprocess.run(["git", "show", "810f12f:kg/read/bibtex.py"], cwd=ROOT, capture_output=True, text=True)
    if old_src.returncode != 0:
        print("(kg's former BibTeX scanner is not in this checkout's history: comparison skipped)")
        return
    old = {}
    exec(compile(old_src.stdout, "old_bibtex.py", "exec"), old)  # noqa: S102 - kg's own earlier code

    def new() -> float:
        t = time.perf_counter()
        read_papers(path)
        return time.perf_counter() - t

    def before() -> float:
        text = path.read_text(encoding="utf-8")
        t = time.perf_counter()
        list(old["parse_bibtex"](text, str(path), lambda m: None))
        return time.perf_counter() - t

    a = statistics.median(new() for _ in range(repeat))
    b = statistics.median(before() for _ in range(repeat))
    print(
        f"BibTeX, {len(records):,} entries (median of {repeat}): read_papers (bibtexparser 2 + cleaning) {a:.2f} s, "
        f"kg's former scanner (no cleaning) {b:.2f} s"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--examples", type=int, default=2000, help="examples per fuzz strategy")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", choices=["bytes", "files", "records"], help="run one of the three fuzz strategies")
    ap.add_argument(
        "--cleaning",
        action="store_true",
        help="measure the cleaning (and BibTeX reading) on the corpus instead of fuzzing",
    )
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--papers", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--show", type=int, default=30)
    args = ap.parse_args()
    if args.cleaning:
        run_cleaning(args.sample, args.papers, args.repeat, args.show, args.seed)
        return 0
    return run_fuzz(args.examples, args.seed, args.only)


if __name__ == "__main__":
    sys.exit(main())
