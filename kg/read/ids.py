"""Stable paper ids, dates, and merging the same paper read from several places."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from kg.model import Paper

__all__ = ["title_key", "paper_id", "arxiv_id", "normalize_doi", "normalize_date", "merge_papers", "merge_records"]

_ARXIV_NEW = re.compile(r"^(?:arxiv:|https?://arxiv\.org/(?:abs|pdf)/)?(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?$", re.I)
_ARXIV_OLD = re.compile(r"^(?:arxiv:|https?://arxiv\.org/(?:abs|pdf)/)?([a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$", re.I)
_DOI = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.I)
_MONTHS = {
    m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)
}


def title_key(title: str) -> str:
    """A normalised title used to recognise the same paper: case, accents, spacing and
    punctuation do not matter.

    >>> title_key("  Attention Is All\\n You Need. ")
    'attention is all you need'
    """
    text = unicodedata.normalize("NFKD", title).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def arxiv_id(value: str | None) -> str | None:
    """The bare arXiv id (version dropped) in ``value``, or None.

    >>> arxiv_id("2401.01234v2"), arxiv_id("https://arxiv.org/abs/hep-th/9901001"), arxiv_id("x")
    ('2401.01234', 'hep-th/9901001', None)
    """
    if not value:
        return None
    value = str(value).strip()
    m = _ARXIV_NEW.match(value) or _ARXIV_OLD.match(value)
    return m.group(1) if m else None


def normalize_doi(value: str | None) -> str | None:
    """The DOI in ``value``, lower-cased, without a resolver prefix; None if there is none.

    >>> normalize_doi("https://doi.org/10.1145/3292500.3330701")
    '10.1145/3292500.3330701'
    """
    if not value:
        return None
    m = _DOI.match(str(value).strip())
    return m.group(1).lower() if m else None


def paper_id(title: str, *, source_id: str | None = None, doi: str | None = None) -> str:
    """A stable paper id: the source's own id when there is one, else a hash of the title.

    arXiv ids become ``arxiv:<id>``, DOIs ``doi:<doi>``; other source ids are kept as given.

    >>> paper_id("X", source_id="2401.01234v1")
    'arxiv:2401.01234'
    >>> paper_id("Attention Is All You Need")
    'title:37f63852cdfb'
    """
    if source_id:
        a = arxiv_id(source_id)
        if a:
            return f"arxiv:{a}"
        d = normalize_doi(source_id)
        if d:
            return f"doi:{d}"
    d = normalize_doi(doi)
    if d:
        return f"doi:{d}"
    if source_id:
        return str(source_id).strip()
    return "title:" + hashlib.sha1(title_key(title).encode("utf-8")).hexdigest()[:12]


def normalize_date(value) -> str | None:
    """An ISO 8601 date from the forms listings use; a month and day without a year become
    ``--MM-DD`` (no year is invented).

    >>> [normalize_date(v) for v in ["2024-03-07T10:00:00.000Z", "Mar 7, 2024", "Sep 30", 2021, "soon"]]
    ['2024-03-07', '2024-03-07', '--09-30', '2021', None]
    >>> normalize_date("Mon, 12 Jun 2017 17:57:34 GMT")  # arXiv snapshot versions
    '2017-06-12'
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return f"{value:04d}" if 1000 <= value <= 9999 else None
    if not isinstance(value, (str, float)):
        return None
    text = str(value).strip()
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:[T ].*)?$", text)
    if m:
        return "-".join(g for g in m.groups() if g)
    m = re.match(r"^(?:[A-Za-z]{3}, )?(\d{1,2}) ([A-Za-z]{3}) (\d{4})\b", text)  # RFC 2822
    if m and m.group(2).lower() in _MONTHS:
        try:
            return datetime(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1))).strftime("%Y-%m-%d")
        except ValueError:
            return None
    m = re.match(r"^([A-Za-z]{3})[a-z]*\.? (\d{1,2})(?:, (\d{4}))?$", text)
    if m and m.group(1).lower() in _MONTHS:
        month, day = _MONTHS[m.group(1).lower()], int(m.group(2))
        if m.group(3):
            try:
                return datetime(int(m.group(3)), month, day).strftime("%Y-%m-%d")
            except ValueError:
                return None
        return f"--{month:02d}-{day:02d}"
    return None


def _better_id(a: str, b: str) -> str:
    return b if a.startswith("title:") and not b.startswith("title:") else a


def merge_papers(papers: Iterable[Paper]) -> list[Paper]:
    """Merge records of the same paper (same id, or same normalised title), keeping first-seen
    order, every source, and the first non-empty value of each field.

    >>> [p.sources for p in merge_papers([Paper("a", "X", sources=("1.csv",)), Paper("b", "x.", sources=("2.bib",))])]
    [('1.csv', '2.bib')]
    """
    return merge_records(("", p) for p in papers)[0]


def merge_records(records: Iterable[tuple[str, Paper]]) -> tuple[list[Paper], list[dict]]:
    """:func:`merge_papers` for ``(where, paper)`` records, also saying what was merged.

    Returns the papers and, for each paper read more than once, ``{"id", "title", "records"}``
    where ``records`` lists every record it was read from (``"refs.bib: line 12"``), first one
    first. The number of records merged away is ``sum(len(d["records"]) - 1 for d in ...)``.

    >>> papers, dups = merge_records([("line 1", Paper("a", "X", sources=("f",))),
    ...                               ("line 7", Paper("a", "X", sources=("f",)))])
    >>> len(papers), dups
    (1, [{'id': 'a', 'title': 'X', 'records': ['f: line 1', 'f: line 7']}])
    """
    by_key: dict[str, int] = {}
    out: list[Paper] = []
    seen_at: list[list[str] | str] = []
    for where, paper in records:
        place = (
            f"{paper.sources[0]}: {where}"
            if paper.sources and where
            else (paper.sources[0] if paper.sources else where)
        )
        keys = [paper.id, "t:" + title_key(paper.title)]
        idx = next((by_key[k] for k in keys if k in by_key), None)
        if idx is None:
            by_key.update({k: len(out) for k in keys})
            out.append(paper)
            seen_at.append(place)
            continue
        old = out[idx]
        date = old.date or paper.date
        if date and date.startswith("--") and paper.date and not paper.date.startswith("--"):
            date = paper.date  # a dated copy beats one without a year
        merged = replace(
            old,
            id=_better_id(old.id, paper.id),
            abstract=old.abstract or paper.abstract,
            authors=old.authors or paper.authors,
            n_authors=old.n_authors if old.n_authors is not None else paper.n_authors,
            date=date,
            organization=old.organization or paper.organization,
            upvotes=old.upvotes if old.upvotes is not None else paper.upvotes,
            categories=old.categories or paper.categories,
            doi=old.doi or paper.doi,
            url=old.url or paper.url,
            sources=tuple(dict.fromkeys(old.sources + paper.sources)),
        )
        out[idx] = merged
        by_key.update({k: idx for k in keys + [merged.id]})
        first = seen_at[idx]
        seen_at[idx] = (first if isinstance(first, list) else [first]) + [place]
    duplicates = [
        {"id": p.id, "title": p.title, "records": at}
        for p, at in zip(out, seen_at, strict=True)
        if isinstance(at, list)
    ]
    return out, duplicates
