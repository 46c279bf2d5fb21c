"""Stage 1 of the pipeline: read paper listings into :class:`~kg.model.Paper` records.

Formats are detected from the file name and content (``format=`` overrides):

========  ==============================================================================
pages     text dumps of Hugging Face "Daily Papers" pages (the seed pages)
jsonl     JSON Lines: arXiv snapshot, kg's arXiv corpus, HF API, Semantic Scholar, OpenAlex
json      a JSON array or API response of the same record shapes
csv       CSV/TSV with a header naming a title column (and usually an abstract column)
bibtex    BibTeX entries with an abstract field (Zotero exports)
========  ==============================================================================

Any of these may be gzip-compressed. Text is cleaned as it is read (:mod:`kg.read.clean`:
LaTeX and HTML become text, hard-wrapped lines are joined), so mention offsets index the
text exactly as the :class:`~kg.model.Paper` holds it. Bad input never stops the run: a broken record is
reported (file, line/record, what is wrong) through :mod:`logging` and skipped, and the
good records are kept; ``strict=True`` turns the first such report into a
:class:`~kg.errors.BadRecordError`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import BadRecordError, InputError
from kg.model import Paper
from kg.read.bibtex import parse_bibtex
from kg.read.files import expand_paths, read_text, text_name
from kg.read.ids import merge_papers, merge_records, paper_id, title_key
from kg.read.pages import looks_like_page, parse_page
from kg.read.records import parse_json, parse_jsonl
from kg.read.tables import parse_table

__all__ = [
    "read_papers",
    "read_all",
    "ReadReport",
    "read_file",
    "iter_file",
    "iter_records",
    "detect_format",
    "FORMATS",
    "paper_id",
    "title_key",
    "expand_paths",
]

logger = logging.getLogger(__name__)

FORMATS = ("pages", "jsonl", "json", "csv", "bibtex")
_PARSERS = {"pages": parse_page, "jsonl": parse_jsonl, "json": parse_json, "bibtex": parse_bibtex}


def detect_format(name: str, text: str) -> str | None:
    """Guess the format of a file from its name (without ``.gz``) and its text.

    >>> detect_format("listing.csv", "title,abstract\\n")
    'csv'
    >>> detect_format("papers.dat", '{"title": "x"}\\n{"title": "y"}\\n')
    'jsonl'
    """
    head = text.lstrip()[:4096]
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if name.endswith(".json"):
        return "json"
    if name.endswith((".csv", ".tsv")):
        return "csv"
    if name.endswith((".bib", ".bibtex")):
        return "bibtex"
    if looks_like_page(text):
        return "pages"
    if head.startswith("["):
        return "json"
    if head.startswith("{"):
        first = head.split("\n", 1)[0].strip()
        return "jsonl" if first.endswith("}") and "\n{" in head else "json"
    if head.startswith("@"):
        return "bibtex"
    first = head.split("\n", 1)[0].lower()
    if "title" in first and any(d in first for d in (",", "\t", ";")):
        return "csv"
    if name.endswith(".txt"):
        return "pages"
    return None


#: the action a warning ends with ("...; skipped"): with --strict the read stops there instead
_ACTION = re.compile(r"; (?:skipped|ignored|read (?:as|with|those|the) .*|kept .*|papers are read .*)$")


def _strict_message(message: str) -> str:
    """``"f: line 2: not valid JSON (...); skipped"`` -> ``"...; stopped at this record (--strict)"``."""
    return _ACTION.sub("", message) + "; stopped here (--strict makes the first problem an error)"


def iter_records(path: str | Path, *, format: str | None = None, strict: bool = False) -> Iterator[tuple[str, Paper]]:
    """Yield ``(where, paper)`` for each paper of one file, in file order (duplicates not yet
    merged); ``where`` names the record in the file (``"line 12"``, ``"record 3"``,
    ``"line 40 (vaswani2017)"``).

    Problems with single records are logged as warnings naming the file and line or record
    (or raised as :class:`BadRecordError` when ``strict``: the read stops at the first one); a
    file that cannot be read at all raises :class:`InputError`.
    """
    path = Path(path)
    source = str(path)

    def warn(message: str) -> None:
        text = f"{source}: {message}"
        if strict:
            raise BadRecordError(_strict_message(text))
        logger.warning(text)

    text = read_text(path, warn)
    fmt = format or detect_format(text_name(path), text)
    if fmt is None:
        raise InputError(
            f"{source}: unknown format (not a Daily Papers page, JSON, JSON Lines, CSV or BibTeX); "
            f"pass --format {'|'.join(FORMATS)} to say which"
        )
    if fmt not in FORMATS:
        raise InputError(f"{source}: unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    logger.debug("%s: reading as %s", source, fmt)
    if fmt == "csv":
        records = parse_table(text, source, warn, name=text_name(path))
    else:
        records = _PARSERS[fmt](text, source, warn)
    count = 0
    for record in records:
        count += 1
        yield record
    if count == 0:
        warn("no papers found in this file")


def iter_file(path: str | Path, *, format: str | None = None, strict: bool = False) -> Iterator[Paper]:
    """Yield the papers of one file, in file order (duplicates not yet merged); see
    :func:`iter_records`."""
    for _, paper in iter_records(path, format=format, strict=strict):
        yield paper


def read_file(path: str | Path, *, format: str | None = None, strict: bool = False) -> list[Paper]:
    """Read one file into papers, merging papers repeated inside it."""
    return merge_papers(iter_file(path, format=format, strict=strict))


@dataclass
class ReadReport:
    """What :func:`read_all` read: the papers, how many records they came from, and the
    duplicates merged (``{"id", "title", "records": ["file: line N", ...]}`` per paper read
    more than once)."""

    papers: list[Paper]
    records: int
    duplicates: list[dict] = field(default_factory=list)

    @property
    def merged(self) -> int:
        """How many records were merged into a paper read before them."""
        return self.records - len(self.papers)


def read_all(
    paths: Iterable[str | Path] | str | Path, *, format: str | None = None, strict: bool = False
) -> ReadReport:
    """:func:`read_papers`, also saying how many records were read and which were merged.

    >>> r = read_all("tests/data/papers.tsv")
    >>> len(r.papers), r.records, r.merged
    (2, 2, 0)
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files = expand_paths(paths)
    count = 0

    def all_records() -> Iterator[tuple[str, Paper]]:
        nonlocal count
        for path in files:
            try:
                for record in iter_records(path, format=format, strict=strict):
                    count += 1
                    yield record
            except InputError as exc:
                if strict or len(files) == 1:
                    raise
                logger.warning("%s", exc)

    papers, duplicates = merge_records(all_records())
    report = ReadReport(papers, count, duplicates)
    if report.merged:
        logger.info("%d records were read more than once (same id or title) and merged", report.merged)
    return report


def read_papers(
    paths: Iterable[str | Path] | str | Path, *, format: str | None = None, strict: bool = False
) -> list[Paper]:
    """Read every paper from files, directories or glob patterns, each paper exactly once.

    The same paper found several times (same id, or the same title up to case, spacing and
    punctuation) becomes one paper whose ``sources`` lists every file it came from
    (:func:`read_all` also says which records were merged). A file that cannot be read at
    all is reported and skipped, unless ``strict``. Titles, abstracts and names are cleaned
    (LaTeX and HTML turned into text, hard line wrapping undone: :mod:`kg.read.clean`).

    Examples
    --------
    >>> papers = read_papers("tests/data/papers.tsv")
    >>> [p.title for p in papers]
    ['Deep Residual Learning for Image Recognition', 'Mask R-CNN']
    """
    return read_all(paths, format=format, strict=strict).papers
