"""Reading text dumps of Hugging Face "Daily Papers" listing pages.

Two layouts occur (see ../shared/seeds/README.md):

* blocks separated by blank lines: title, abstract, then an optional footer
  (``• 7 authors``, an optional submitter organisation line such as ``nvidia NVIDIA``, a
  ``·`` line and a date line ``Aug 5, 2024 2`` whose trailing number is the upvote count);
* a compact layout with one line per title and per abstract and no footer, whose first
  title is glued to the ``Subscribe`` button text.

Both are read line by line with the same small state machine: page furniture is dropped,
footer lines attach to the paper before them, and the remaining lines alternate title,
abstract. A line is only taken as an abstract when it reads like one, so a title whose
abstract is missing does not swallow the next title.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from kg.model import Paper
from kg.read.clean import make_paper
from kg.read.ids import normalize_date

__all__ = ["parse_page", "looks_like_page", "FURNITURE"]

#: lines of page furniture, never a title or abstract
FURNITURE = frozenset(
    {
        "new",
        "Get trending papers in your email inbox!",
        "Get trending papers in your email inbox once a day!",
        "Subscribe",
        "Daily Papers",
        "byAK and the research community",
    }
)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_BARE_DATE = re.compile(rf"^{_MONTH} \d{{1,2}}$")
_FOOTER_DATE = re.compile(rf"^({_MONTH} \d{{1,2}}(?:, \d{{4}})?)(?:\s+(\d+))?$")
_AUTHORS = re.compile(r"^[•·*\-]\s*(\d+)\s+authors?$")
_DOT = "·"
_SENTENCE_END = re.compile(r"[.!?][\"')\]]?$")


def looks_like_page(text: str) -> bool:
    """True when ``text`` is a Daily Papers page dump (it carries the page furniture)."""
    head = text[:2000]
    return "Get trending papers in your email inbox" in head or "\nDaily Papers\n" in head


def _is_abstract_like(line: str) -> bool:
    """An abstract is long prose: several sentences, or one long one ending with a stop."""
    words = line.split()
    if len(line) >= 300 or len(words) >= 40:
        return True
    return len(words) >= 15 and bool(_SENTENCE_END.search(line)) and ". " in line


@dataclass
class _Draft:
    line: int
    title: str
    abstract: str = ""
    n_authors: int | None = None
    organization: str | None = None
    date: str | None = None
    upvotes: int | None = None
    extra: list[str] = field(default_factory=list)


def _organization(line: str) -> str:
    """``"nvidia NVIDIA"`` (handle, display name) -> ``"NVIDIA"``; other lines stay whole."""
    handle, _, name = line.partition(" ")
    if name and re.sub(r"[^a-z0-9]", "", name.lower()).startswith(re.sub(r"[^a-z0-9]", "", handle.lower())[:3]):
        return name.strip()
    return line.strip()


def parse_page(text: str, source: str, warn: Callable[[str], None]) -> Iterator[tuple[str, Paper]]:
    """Yield ``(where, paper)`` for the papers of one page dump, in page order (``where`` is
    ``"line N"``, the title's line).

    ``source`` is recorded in each paper's ``sources``; ``warn`` receives a message for every
    line that cannot be placed (it names the line number).
    """
    lines = [(i, raw.strip()) for i, raw in enumerate(text.splitlines(), 1)]
    lines = [(i, s) for i, s in lines if s]
    # the page head: furniture, a bare date, and possibly "Subscribe" glued to the first title
    k = 0
    while k < len(lines):
        i, s = lines[k]
        if s in FURNITURE or _BARE_DATE.match(s):
            k += 1
            continue
        if s.startswith("Subscribe") and len(s) > len("Subscribe") and not s[len("Subscribe")].islower():
            lines[k] = (i, s[len("Subscribe") :].strip())
        break
    body = lines[k:]

    draft: _Draft | None = None
    pending_footer = False  # just saw the "·" line: the next line is the date

    def finish(d: _Draft | None) -> Iterator[tuple[str, Paper]]:
        if d is None:
            return
        if not d.abstract:
            warn(f"line {d.line}: paper {d.title[:60]!r} has no abstract; kept with the title only")
        paper = make_paper(
            d.title,
            source=source,
            abstract=d.abstract,
            n_authors=d.n_authors,
            organization=d.organization,
            date=d.date,
            upvotes=d.upvotes,
        )
        if paper is not None:
            yield f"line {d.line}", paper

    for n, (i, s) in enumerate(body):
        nxt = body[n + 1][1] if n + 1 < len(body) else None
        if pending_footer:
            pending_footer = False
            m = _FOOTER_DATE.match(s)
            if m and draft is not None:
                draft.date = normalize_date(m.group(1))
                draft.upvotes = int(m.group(2)) if m.group(2) else None
                yield from finish(draft)
                draft = None
                continue
            warn(f"line {i}: expected a date after the '·' footer line, found {s[:60]!r}")
        if s in FURNITURE:
            continue
        if s == _DOT:
            pending_footer = True
            continue
        m = _AUTHORS.match(s)
        if m:
            if draft is not None:
                draft.n_authors = int(m.group(1))
            else:
                warn(f"line {i}: author count with no paper before it; ignored")
            continue
        if draft is not None and draft.abstract and nxt == _DOT:
            draft.organization = _organization(s)
            continue
        if draft is not None and not draft.abstract and _is_abstract_like(s):
            draft.abstract = s
            continue
        if (draft is None or draft.abstract) and _is_abstract_like(s):
            # prose where a title should be: the title of this abstract is missing
            warn(f"line {i}: an abstract with no title before it ({s[:60]!r}...); skipped")
            continue
        # a new title: the paper before it (if any) is complete
        yield from finish(draft)
        draft = _Draft(line=i, title=s)
    yield from finish(draft)
