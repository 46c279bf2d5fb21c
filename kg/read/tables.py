"""Reading CSV and TSV listings: a header row naming at least a title column."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator

from kg.errors import InputError
from kg.model import Paper
from kg.read.clean import make_paper, strip_markup
from kg.read.ids import normalize_date, normalize_doi

__all__ = ["parse_table", "COLUMNS"]

Warn = Callable[[str], None]

#: accepted header names (lower-cased) for each paper field, first match wins
COLUMNS = {
    "title": ("title", "paper_title", "name"),
    "abstract": ("abstract", "summary", "abstract_text", "abstractnote", "abstract note", "description"),
    "id": ("id", "arxiv_id", "paper_id", "paperid", "key", "eprint"),
    "doi": ("doi",),
    "authors": ("authors", "author"),
    "date": ("date", "published", "publication_date", "update_date", "year", "publication year"),
    "url": ("url", "link"),
    "categories": ("categories",),
}


def _sniff_delimiter(header: str, name: str) -> str:
    if name.endswith(".tsv") or header.count("\t") > max(header.count(","), header.count(";")):
        return "\t"
    return ";" if header.count(";") > header.count(",") else ","


def _one_row(lines: list[str], i: int, delim: str) -> tuple[list[str] | None, int]:
    """The row that starts at ``lines[i]`` and the number of lines it takes (None if it cannot be read)."""
    reader = csv.reader(iter(lines[i : i + 200]), delimiter=delim)
    try:
        return next(reader), reader.line_num
    except (csv.Error, StopIteration):
        return None, 1


def _title_runs_into_a_row(
    row: list[str], title: int, lines: list[str], start: int, end: int, delim: str, width: int
) -> bool:
    if not 0 <= title < len(row) or "\n" not in row[title]:
        return False
    for j in range(start, min(end, start + 50)):  # index j is line j + 1: the lines after the first
        other, _ = _one_row(lines, j, delim)
        if other is not None and len(other) == width and other[title].strip():
            return True
    return False


def _rows(
    lines: list[str], first: int, delim: str, width: int, title: int = -1
) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """Yield ``(line, row, None)`` for each row after the header (``first`` lines), or
    ``(line, None, problem)`` for a row that cannot be read.

    A quote that is never closed makes the csv module read every following line into one
    field. A row that spans several lines and has the wrong number of columns is taken as
    such a row, and so is one whose title (column ``title``) runs over a line that reads as a
    whole row by itself (a quote closed only by the next row's): it is reported, and reading
    starts again at the next line from which a row of the right width reads -- so one broken
    row does not swallow the rows after it.
    """
    i = first  # index of the next line to read
    while i < len(lines):
        reader = csv.reader(iter(lines[i:]), delimiter=delim)
        base, line, broken = i, i + 1, None
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield line, None, f"broken CSV row ({exc})"
                line = base + reader.line_num + 1
                continue
            end = base + reader.line_num  # the last line this row took
            if end > line and (len(row) != width or _title_runs_into_a_row(row, title, lines, line, end, delim, width)):
                broken = (line, end)
                break
            yield line, row, None
            line = end + 1
        start, end = broken
        restart = next(
            (j for j in range(start, min(end, start + 50)) if len(_one_row(lines, j, delim)[0] or ()) == width), end
        )
        last = f"-{restart}" if restart > start else ""
        yield (
            start,
            None,
            (
                f"a quoted field is not closed on its row (the row runs on over {end - start + 1} "
                f"lines); line{'s' if last else ''} {start}{last} skipped"
            ),
        )
        i = restart


def parse_table(text: str, source: str, warn: Warn, *, name: str = "") -> Iterator[tuple[str, Paper]]:
    """Yield ``(where, paper)`` for the rows of a CSV/TSV document with a header row (``where``
    is ``"line N"``, the row's first line).

    Quoted fields may hold newlines. Without an abstract column the papers are read with
    empty abstracts (one warning says so); without a title column nothing can be read.
    """
    header_line = text.split("\n", 1)[0]
    delim = _sniff_delimiter(header_line, name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise InputError(f"{source}: empty table") from None
    except csv.Error as exc:
        raise InputError(f"{source}: line 1: not a readable CSV header ({exc})") from None
    col = {}
    for field, names in COLUMNS.items():
        for n in names:
            if n in header:
                col[field] = header.index(n)
                break
    if "title" not in col:
        raise InputError(
            f"{source}: no title column in the header (columns: {', '.join(header) or 'none'}); no papers read"
        )
    if "abstract" not in col:
        warn("no abstract column in the header; papers are read with empty abstracts")
    lines = io.StringIO(text, newline="").readlines()
    for start, row, problem in _rows(lines, reader.line_num, delim, len(header), col["title"]):
        if problem or row is None:
            warn(f"line {start}: {problem}" + ("" if str(problem).endswith("skipped") else "; skipped"))
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header) and len(row) <= col["title"]:
            warn(f"line {start}: row has {len(row)} of {len(header)} columns and no title; skipped")
            continue

        def get(field: str, row: list[str] = row) -> str:
            i = col.get(field)
            return row[i].strip() if i is not None and i < len(row) else ""

        title = get("title")
        if not title:
            warn(f"line {start}: row has an empty title; skipped")
            continue
        authors = strip_markup(get("authors"))  # "Ren&eacute; Dupont": entities before splitting at ';'
        sep = ";" if ";" in authors else (" and " if " and " in authors else ",")
        paper = make_paper(
            title,
            source=source,
            source_id=get("id") or None,
            doi=normalize_doi(get("doi")),
            abstract=get("abstract"),
            authors=[a.strip() for a in authors.split(sep)],
            date=normalize_date(get("date")),
            url=get("url") or None,
            categories=tuple(get("categories").split()),
        )
        if paper is None:
            warn(f"line {start}: row's title is only markup; skipped")
            continue
        yield f"line {start}", paper
