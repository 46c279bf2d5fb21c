"""Stage 1 of the pipeline: read paper listings into :class:`~kg.model.Paper` records.

Formats are detected from the file name and content (``format=`` overrides):

========  ==============================================================================
pages     text dumps of Hugging Face "Daily Papers" pages (the seed pages)
jsonl     JSON Lines: arXiv snapshot, kg's arXiv corpus, HF API, Semantic Scholar, OpenAlex
json      a JSON array or API response of the same record shapes
csv       CSV/TSV with a header naming a title column (and usually an abstract column)
bibtex    BibTeX entries with an abstract field (Zotero exports)
========  ==============================================================================

Any of these may be gzip-compressed. Bad input never stops the run: a broken record is
reported (file, line/record, what is wrong) through :mod:`logging` and skipped, and the
good records are kept; ``strict=True`` turns the first such report into a
:class:`~kg.errors.BadRecordError`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterable, Iterator

from kg.errors import BadRecordError, InputError
from kg.model import Paper
from kg.read.bibtex import parse_bibtex
from kg.read.files import expand_paths, read_text, text_name
from kg.read.ids import merge_papers, paper_id, title_key
from kg.read.pages import looks_like_page, parse_page
from kg.read.records import parse_json, parse_jsonl
from kg.read.tables import parse_table

__all__ = ["read_papers", "read_file", "iter_file", "detect_format", "FORMATS", "paper_id", "title_key", "expand_paths"]

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


def iter_file(path: str | Path, *, format: str | None = None, strict: bool = False) -> Iterator[Paper]:
    """Yield the papers of one file, in file order (duplicates not yet merged).

    Problems with single records are logged as warnings naming the file and line or record
    (or raised as :class:`BadRecordError` when ``strict``); a file that cannot be read at all
    raises :class:`InputError`.
    """
    path = Path(path)
    source = str(path)

    def warn(message: str) -> None:
        text = f"{source}: {message}"
        if strict:
            raise BadRecordError(text + " (--strict)")
        logger.warning(text)

    text = read_text(path, warn)
    fmt = format or detect_format(text_name(path), text)
    if fmt is None:
        raise InputError(f"{source}: unknown format (not a Daily Papers page, JSON, JSON Lines, CSV or BibTeX); "
                         f"pass --format {'|'.join(FORMATS)} to say which")
    if fmt not in FORMATS:
        raise InputError(f"{source}: unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    logger.debug("%s: reading as %s", source, fmt)
    if fmt == "csv":
        papers = parse_table(text, source, warn, name=text_name(path))
    else:
        papers = _PARSERS[fmt](text, source, warn)
    count = 0
    for paper in papers:
        count += 1
        yield paper
    if count == 0:
        warn("no papers found in this file")


def read_file(path: str | Path, *, format: str | None = None, strict: bool = False) -> list[Paper]:
    """Read one file into papers, merging papers repeated inside it."""
    return merge_papers(iter_file(path, format=format, strict=strict))


def read_papers(paths: Iterable[str | Path] | str | Path, *, format: str | None = None, strict: bool = False) -> list[Paper]:
    """Read every paper from files, directories or glob patterns, each paper exactly once.

    The same paper found several times (same id, or the same title up to case, spacing and
    punctuation) becomes one paper whose ``sources`` lists every file it came from. A file
    that cannot be read at all is reported and skipped, unless ``strict``.

    Examples
    --------
    >>> papers = read_papers("tests/data/papers.tsv")
    >>> [p.title for p in papers]
    ['Deep Residual Learning for Image Recognition', 'Mask R-CNN']
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files = expand_paths(paths)

    def all_papers() -> Iterator[Paper]:
        for path in files:
            try:
                yield from iter_file(path, format=format, strict=strict)
            except InputError as exc:
                if strict or len(files) == 1:
                    raise
                logger.warning("%s", exc)

    return merge_papers(all_papers())
