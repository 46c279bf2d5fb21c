"""Reading JSON and JSON Lines listings: arXiv, Hugging Face, Semantic Scholar, OpenAlex.

One function, :func:`to_paper`, maps a record of any of these shapes to a :class:`Paper`:

* the arXiv metadata snapshot: ``id``, ``title``, ``abstract``, ``authors`` (a string),
  ``update_date``, ``categories`` (space separated), ``doi``;
* kg's arXiv CS corpus: ``arxiv_id``, ``authors`` (a list), ``categories`` (a list), ``first_seen``;
* the Hugging Face daily-papers API: ``paper.id``, ``paper.title``, ``paper.summary``,
  ``paper.authors[].name``, ``publishedAt``;
* Semantic Scholar: ``paperId``, ``title``, ``abstract``, ``year``, ``externalIds``;
* OpenAlex: ``id``, ``title``/``display_name``, ``abstract_inverted_index``, ``publication_date``;
* and the minimal ``{"id", "title", "abstract"}``.

API responses that wrap their list (``{"data": [...]}``, ``{"results": [...]}``) are unwrapped.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Iterator

from kg.model import Paper
from kg.read.ids import arxiv_id, normalize_date, normalize_doi, paper_id

__all__ = ["to_paper", "parse_json", "parse_jsonl", "openalex_abstract"]

Warn = Callable[[str], None]
_WRAPPERS = ("data", "results", "papers", "items", "records")


class RecordError(ValueError):
    """A record that cannot become a paper (the message says why)."""


def openalex_abstract(index: dict[str, list[int]] | None) -> str:
    """Rebuild an abstract from OpenAlex's ``abstract_inverted_index``.

    >>> openalex_abstract({"Deep": [0], "learning": [1, 3], "is": [2]})
    'Deep learning is learning'
    """
    if not index:
        return ""
    words: dict[int, str] = {}
    for word, positions in index.items():
        for p in positions:
            words[int(p)] = word
    return " ".join(words[i] for i in sorted(words))


def _str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)):
        return str(value)
    raise RecordError(f"expected text, found {type(value).__name__}")


def _authors(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        parts = re.split(r",\s*|\s+and\s+", value.replace("\n", " "))
        return tuple(p.strip() for p in parts if p.strip())
    out = []
    for a in value:
        if isinstance(a, str):
            out.append(a.strip())
        elif isinstance(a, dict):
            if a.get("hidden"):
                continue
            name = a.get("name") or a.get("display_name") or (a.get("author") or {}).get("display_name")
            if name:
                out.append(str(name).strip())
        elif isinstance(a, list) and a:  # arXiv authors_parsed: [last, first, suffix]
            out.append(" ".join(p for p in (a[1:2] + a[0:1] + a[2:3]) if p).strip())
    return tuple(out)


def _categories(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        return tuple(value.split())
    return tuple(str(v) for v in value)


def to_paper(rec: Any, source: str) -> Paper:
    """Map one JSON record of any supported shape to a :class:`Paper`.

    >>> to_paper({"paperId": "abc", "title": "T", "abstract": "A", "year": 2020,
    ...           "externalIds": {"ArXiv": "2001.00001"}}, "s2.json").id
    'arxiv:2001.00001'
    """
    if not isinstance(rec, dict):
        raise RecordError(f"expected a JSON object, found {type(rec).__name__}")
    if isinstance(rec.get("paper"), dict):  # Hugging Face daily papers
        p = rec["paper"]
        title = _str(p.get("title") or rec.get("title"))
        org = p.get("organization") or rec.get("organization") or {}
        return _finish(
            title, source,
            source_id=_str(p.get("id")),
            abstract=_str(p.get("summary") or rec.get("summary")),
            authors=_authors(p.get("authors")),
            date=normalize_date(p.get("publishedAt") or rec.get("publishedAt")),
            upvotes=p.get("upvotes") if isinstance(p.get("upvotes"), int) else None,
            organization=(org.get("fullname") or org.get("name")) if isinstance(org, dict) else None,
        )
    if "abstract_inverted_index" in rec or "openalex.org" in str(rec.get("id", "")):
        title = _str(rec.get("title") or rec.get("display_name"))
        oa = str(rec.get("id", ""))
        doi = normalize_doi(rec.get("doi"))
        return _finish(
            title, source,
            source_id=f"openalex:{oa.rsplit('/', 1)[-1]}" if oa and not doi else None,
            doi=doi,
            abstract=openalex_abstract(rec.get("abstract_inverted_index")),
            authors=_authors(rec.get("authorships")),
            date=normalize_date(rec.get("publication_date") or rec.get("publication_year")),
        )
    if "paperId" in rec:  # Semantic Scholar
        ext = rec.get("externalIds") or {}
        title = _str(rec.get("title"))
        ax = arxiv_id(ext.get("ArXiv"))
        return _finish(
            title, source,
            source_id=f"arxiv:{ax}" if ax else (None if ext.get("DOI") else f"s2:{rec['paperId']}"),
            doi=normalize_doi(ext.get("DOI")),
            abstract=_str(rec.get("abstract")),
            authors=_authors(rec.get("authors")),
            date=normalize_date(rec.get("publicationDate") or rec.get("year")),
            url=rec.get("url"),
        )
    title = _str(rec.get("title"))
    sid = rec.get("arxiv_id") or rec.get("id") or rec.get("arxiv") or rec.get("paper_id")
    authors = rec.get("authors") or rec.get("authors_parsed")
    return _finish(
        title, source,
        source_id=_str(sid) or None,
        doi=normalize_doi(rec.get("doi")),
        abstract=_str(rec.get("abstract") or rec.get("summary") or rec.get("abstract_text")),
        authors=_authors(authors),
        date=normalize_date(rec.get("update_date") or rec.get("published") or rec.get("first_seen")
                            or rec.get("date") or rec.get("publishedAt") or rec.get("year")),
        categories=_categories(rec.get("categories")),
        url=rec.get("url") if isinstance(rec.get("url"), str) else None,
    )


def _finish(title: str, source: str, *, source_id: str | None = None, doi: str | None = None, **fields) -> Paper:
    if not title:
        raise RecordError("record has no title")
    fields = {k: v for k, v in fields.items() if v not in (None, "", ())}
    return Paper(id=paper_id(title, source_id=source_id, doi=doi), title=title, doi=doi, sources=(source,), **fields)


def _records(obj: Any) -> list[Any]:
    if isinstance(obj, dict):
        for key in _WRAPPERS:
            if isinstance(obj.get(key), list):
                return obj[key]
        return [obj]
    if isinstance(obj, list):
        return obj
    raise RecordError(f"top-level JSON is a {type(obj).__name__}, not a list or object of papers")


def parse_json(text: str, source: str, warn: Warn) -> Iterator[Paper]:
    """Yield the papers of a JSON document (an array, a wrapped array or one object).

    Text that is not one JSON document but one object per line is read as JSON Lines.
    """
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        if text.lstrip().startswith("{") and "\n{" in text:
            yield from parse_jsonl(text, source, warn)
            return
        from kg.errors import InputError

        raise InputError(f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); no papers read") from None
    for n, rec in enumerate(_records(obj), 1):
        try:
            yield to_paper(rec, source)
        except RecordError as exc:
            warn(f"record {n}: {exc}; skipped")


def parse_jsonl(text: str, source: str, warn: Warn) -> Iterator[Paper]:
    """Yield the papers of a JSON Lines document, warning about (and skipping) broken lines."""
    for n, line in enumerate(text.split("\n"), 1):
        line = line.strip()
        if not line:
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            warn(f"line {n}: not valid JSON ({exc.msg} at column {exc.colno}); skipped")
            continue
        try:
            yield to_paper(rec, source)
        except RecordError as exc:
            warn(f"line {n}: {exc}; skipped")
