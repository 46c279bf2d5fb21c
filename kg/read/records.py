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
from collections.abc import Callable, Iterator
from typing import Any

from kg.errors import InputError
from kg.model import Paper
from kg.read.clean import make_paper
from kg.read.ids import arxiv_id, normalize_date, normalize_doi

__all__ = ["to_paper", "parse_json", "parse_jsonl", "openalex_abstract", "field_text", "RecordError"]

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


#: keys under which APIs put the text of a structured field ({"text": ...}, {"value": ...}, JATS as JSON)
_TEXT_KEYS = (
    "text",
    "value",
    "#text",
    "content",
    "abstract",
    "summary",
    "en",
    "plain",
    "body",
    "paragraphs",
    "p",
    "title",
)


def field_text(value: Any) -> str:
    """The text in a JSON field of any shape: a string, a number, a ``{"text": ...}`` object, or
    a list of paragraphs (joined by a blank line); ``""`` when there is no text in it.

    >>> field_text({"text": "We propose X."}), field_text(["First.", {"text": "Second."}]), field_text({"lang": "en"})
    ('We propose X.', 'First.\\n\\nSecond.', '')
    """
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        for key in _TEXT_KEYS:
            if key in value:
                text = field_text(value[key])
                if text:
                    return text
        return ""
    if isinstance(value, (list, tuple)):
        return "\n\n".join(t for t in (field_text(v) for v in value[:1000]) if t)
    return ""


def _shape(value: Any) -> str:
    return {dict: "a JSON object", list: "a JSON list", bool: "true/false"}.get(type(value), type(value).__name__)


def _text(value: Any, what: str, notes: list[str]) -> str:
    """:func:`field_text`, noting in ``notes`` how a field that is not plain text was read."""
    text = field_text(value)
    if value is not None and not isinstance(value, (str, int, float)) or isinstance(value, bool):
        if text:
            notes.append(f"{what} is {_shape(value)}; read the text inside it")
        elif value not in ({}, [], None):
            notes.append(f"{what} is {_shape(value)} with no text in it; read as empty")
    return text


def _str(value: Any) -> str:
    """An identifier-like field as text (``""`` for anything that is not a string or number)."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)):
        return str(value)
    return ""


def _name(a: Any) -> str:
    if isinstance(a, str):
        return a.strip()
    if isinstance(a, dict):
        if a.get("hidden") is True:
            return ""
        author = a.get("author")
        name = (
            a.get("name") or a.get("display_name") or (author.get("display_name") if isinstance(author, dict) else None)
        )
        if not name and (a.get("given") or a.get("family")):  # Crossref / CSL-JSON
            name = f"{_str(a.get('given'))} {_str(a.get('family'))}"
        return _str(name) if not isinstance(name, (dict, list)) else field_text(name)
    if isinstance(a, (list, tuple)) and a:  # arXiv authors_parsed: [last, first, suffix]
        parts = [_str(p) for p in a[:3]]
        return " ".join(p for p in (parts[1:2] + parts[0:1] + parts[2:3]) if p).strip()
    return ""


def _authors(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        parts = re.split(r",\s*|\s+and\s+", value.replace("\n", " "))
        return tuple(p.strip() for p in parts if p.strip())
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return ()
    return tuple(n for n in (_name(a) for a in value) if n)


def _categories(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, (list, tuple)):
        return tuple(c for c in (_str(v) for v in value) if c)
    return ()


def _first_version_date(versions: Any) -> str | None:
    """The date of the first version in an arXiv snapshot record (``versions[0].created``)."""
    if isinstance(versions, list) and versions and isinstance(versions[0], dict):
        return normalize_date(versions[0].get("created"))
    return None


def _get(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, dict) else None


def to_paper(rec: Any, source: str, *, warn: Warn | None = None) -> Paper:
    """Map one JSON record of any supported shape to a :class:`Paper` (text cleaned, see
    :mod:`kg.read.clean`).

    A field of an unexpected shape does not lose the paper: an abstract given as
    ``{"text": ...}`` or as a list of paragraphs is read from the text inside it, one with no
    text in it is read as empty, and ``warn`` (if given) is told. Raises :class:`RecordError`
    only for a record that is no paper (not an object, or no title).

    >>> to_paper({"paperId": "abc", "title": "T", "abstract": "A", "year": 2020,
    ...           "externalIds": {"ArXiv": "2001.00001"}}, "s2.json").id
    'arxiv:2001.00001'
    >>> to_paper({"title": "X", "abstract": {"text": "We propose <i>X</i>."}}, "x.jsonl").abstract
    'We propose X.'
    """
    if not isinstance(rec, dict):
        raise RecordError(f"expected a JSON object, found {_shape(rec)}")
    notes: list[str] = []
    paper = _to_paper(rec, source, notes)
    if warn is not None:
        for note in notes:
            warn(note)
    return paper


def _to_paper(rec: dict, source: str, notes: list[str]) -> Paper:
    if isinstance(rec.get("paper"), dict):  # Hugging Face daily papers
        p = rec["paper"]
        org = p.get("organization") or rec.get("organization") or {}
        return _finish(
            _text(p.get("title") or rec.get("title"), "title", notes),
            source,
            source_id=_str(p.get("id")),
            abstract=_text(p.get("summary") or rec.get("summary"), "abstract", notes),
            authors=_authors(p.get("authors")),
            date=normalize_date(p.get("publishedAt") or rec.get("publishedAt")),
            upvotes=p.get("upvotes")
            if isinstance(p.get("upvotes"), int) and not isinstance(p.get("upvotes"), bool)
            else None,
            organization=_str(org.get("fullname") or org.get("name")) if isinstance(org, dict) else None,
        )
    if "abstract_inverted_index" in rec or "openalex.org" in _str(rec.get("id")):
        oa = _str(rec.get("id"))
        doi = normalize_doi(_str(rec.get("doi")))
        return _finish(
            _text(rec.get("title") or rec.get("display_name"), "title", notes),
            source,
            source_id=f"openalex:{oa.rsplit('/', 1)[-1]}" if oa and not doi else None,
            doi=doi,
            abstract=_openalex(rec.get("abstract_inverted_index"), notes),
            authors=_authors(rec.get("authorships")),
            date=normalize_date(_str(rec.get("publication_date") or rec.get("publication_year"))),
        )
    if "paperId" in rec:  # Semantic Scholar
        ext = rec.get("externalIds")
        if not isinstance(ext, dict):
            ext = {}
        ax = arxiv_id(_str(ext.get("ArXiv")))
        s2 = _str(rec.get("paperId"))
        return _finish(
            _text(rec.get("title"), "title", notes),
            source,
            source_id=f"arxiv:{ax}" if ax else (None if ext.get("DOI") or not s2 else f"s2:{s2}"),
            doi=normalize_doi(_str(ext.get("DOI"))),
            abstract=_text(rec.get("abstract"), "abstract", notes),
            authors=_authors(rec.get("authors")),
            date=normalize_date(_str(rec.get("publicationDate") or rec.get("year"))),
            url=_str(rec.get("url")) or None,
        )
    sid = rec.get("arxiv_id") or rec.get("id") or rec.get("arxiv") or rec.get("paper_id")
    authors = rec.get("authors") or rec.get("authors_parsed")
    # the arXiv snapshot: the first version's date, not update_date (the last change of metadata)
    date = _first_version_date(rec.get("versions")) or normalize_date(
        _str(
            rec.get("published")
            or rec.get("first_seen")
            or rec.get("date")
            or rec.get("publishedAt")
            or rec.get("update_date")
            or rec.get("year")
        )
    )
    return _finish(
        _text(rec.get("title"), "title", notes),
        source,
        source_id=_str(sid) or None,
        doi=normalize_doi(_str(rec.get("doi"))),
        abstract=_text(rec.get("abstract") or rec.get("summary") or rec.get("abstract_text"), "abstract", notes),
        authors=_authors(authors),
        date=date,
        categories=_categories(rec.get("categories")),
        url=_str(rec.get("url")) or None,
    )


def _openalex(index: Any, notes: list[str]) -> str:
    try:
        return openalex_abstract(index)
    except (AttributeError, TypeError, ValueError, OverflowError):
        notes.append("abstract_inverted_index is not a map of words to positions; read as empty")
        return ""


def _finish(title: str, source: str, *, source_id: str | None = None, doi: str | None = None, **fields) -> Paper:
    paper = make_paper(title, source=source, source_id=source_id, doi=doi, **fields)
    if paper is None:
        raise RecordError("record has no title")
    return paper


def _records(obj: Any, source: str) -> list[Any]:
    if isinstance(obj, dict):
        for key in _WRAPPERS:
            if isinstance(obj.get(key), list):
                return obj[key]
        return [obj]
    if isinstance(obj, list):
        return obj
    raise InputError(f"{source}: top-level JSON is {_shape(obj)}, not a list or object of papers; no papers read")


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def parse_json(text: str, source: str, warn: Warn) -> Iterator[tuple[str, Paper]]:
    """Yield ``(where, paper)`` for the records of a JSON document (an array, a wrapped array
    or one object); ``where`` is ``"record N"``.

    Text that is not one JSON document but one object per line is read as JSON Lines.
    """
    try:
        obj = _loads(text)
    except ValueError as exc:
        if text.lstrip().startswith("{") and "\n{" in text:
            yield from parse_jsonl(text, source, warn)
            return
        where = (
            f"line {exc.lineno}, column {exc.colno}: {exc.msg}" if isinstance(exc, json.JSONDecodeError) else str(exc)
        )
        raise InputError(f"{source}: not valid JSON ({where}); no papers read") from None
    for n, rec in enumerate(_records(obj, source), 1):
        where = f"record {n}"
        try:
            yield where, to_paper(rec, source, warn=_prefixed(warn, where))
        except RecordError as exc:
            warn(f"{where}: {exc}; skipped")


def _prefixed(warn: Warn, where: str) -> Warn:
    """``warn`` with every message starting ``where: ``."""
    return lambda note: warn(f"{where}: {note}")


def parse_jsonl(text: str, source: str, warn: Warn) -> Iterator[tuple[str, Paper]]:
    """Yield ``(where, paper)`` for the lines of a JSON Lines document (``where`` is
    ``"line N"``), warning about (and skipping) broken lines."""
    for n, line in enumerate(text.split("\n"), 1):
        line = line.strip()
        if not line:
            continue
        where = f"line {n}"
        try:
            rec = _loads(line)
        except json.JSONDecodeError as exc:
            warn(f"{where}: not valid JSON ({exc.msg} at column {exc.colno}); skipped")
            continue
        except ValueError as exc:
            warn(f"{where}: not valid JSON ({exc}); skipped")
            continue
        try:
            yield where, to_paper(rec, source, warn=_prefixed(warn, where))
        except RecordError as exc:
            warn(f"{where}: {exc}; skipped")
