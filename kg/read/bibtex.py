"""Reading BibTeX (as exported by Zotero, JabRef, Google Scholar or kept by hand).

`bibtexparser <https://bibtexparser.readthedocs.io>`_ 2 splits the file into blocks: it knows
``@comment{...}`` (whose content is never an entry), ``@preamble``, ``@string``, text between
entries, and it isolates a broken entry so that the entries after it are still read. kg then
reads each field's value itself, because bibtexparser 2 leaves two things to its users: values
joined with ``#`` (``conf # " 2020"``) and ``crossref`` (an entry inheriting the fields it
lacks from the entry it names). ``@string`` macros and the month macros (``jun``) are
resolved, in file order.

Entries become papers from their ``title`` and ``abstract`` fields (plus ``author``,
``year``/``date``, ``doi``, ``eprint``, ``url``); the values are LaTeX and are turned into text
by :mod:`kg.read.clean` (braces that protect capitals go, ``{\\"u}`` becomes ``ü``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator

from kg.model import Paper
from kg.read.clean import make_paper
from kg.read.ids import arxiv_id, normalize_date, normalize_doi

__all__ = ["parse_bibtex", "parse_entries", "read_value"]

Warn = Callable[[str], None]
_MONTHS = {
    m: f"{i:02d}"
    for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)
}
#: entry types that hold papers: when entries crossref one, it is their container, not a paper
_CONTAINERS = frozenset(
    {
        "proceedings",
        "mvproceedings",
        "collection",
        "mvcollection",
        "book",
        "mvbook",
        "periodical",
        "journal",
        "reference",
        "mvreference",
    }
)
_WORD = re.compile(r"[^\s,#}\"{]+")


class _Syntax(ValueError):
    pass


_DELIMITERS = re.compile(r'[\\{}"]')


def _read_delimited(text: str, i: int) -> tuple[str, int]:
    """``text[i]`` opens a value (``{`` or ``"``): return its content and the index after it.

    Braces nest inside either kind; a ``"`` ends a quoted value only outside braces."""
    quoted = text[i] == '"'
    depth = 0 if quoted else 1
    start = j = i + 1
    while True:
        m = _DELIMITERS.search(text, j)
        if m is None:
            raise _Syntax("unterminated quoted value" if quoted else "unbalanced braces")
        ch, k = m.group(0), m.start()
        if ch == "\\":
            j = k + 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0 and not quoted:
                return text[start:k], k + 1
        elif quoted and depth == 0:
            return text[start:k], k + 1
        j = k + 1


def read_value(raw: str, macros: dict[str, str]) -> str:
    """The value of a BibTeX field as written after ``=``: braced or quoted parts, numbers and
    macro names, joined with ``#``.

    >>> read_value('conf # " 2020"', {"conf": "NeurIPS"}), read_value("{A {B} c}", {}), read_value("jun", _MONTHS)
    ('NeurIPS 2020', 'A {B} c', '06')
    """
    parts = []
    i = 0
    while True:
        while i < len(raw) and raw[i].isspace():
            i += 1
        if i >= len(raw):
            break
        if raw[i] in '{"':
            part, i = _read_delimited(raw, i)
        else:
            m = _WORD.match(raw, i)
            if not m:
                raise _Syntax(f"unexpected {raw[i]!r} in a field value")
            part = macros.get(m.group(0).lower(), m.group(0))
            i = m.end()
        parts.append(part)
        while i < len(raw) and raw[i].isspace():
            i += 1
        if i < len(raw) and raw[i] == "#":
            i += 1
            continue
        if i < len(raw):
            raise _Syntax(f"unexpected {raw[i]!r} after a field value")
        break
    return "".join(parts)


def _reason(error: object) -> str:
    """bibtexparser's reason in kg's words: "Unexpected block start: `@article`. Was still looking
    for field-value closing `}`" -> "unbalanced braces: a new entry starts before the closing '}'"."""
    text = " ".join(str(getattr(error, "abort_reason", None) or error or "").split())
    m = re.search(r"Was still looking for .*?`(.)`", text)
    if m and "block start" in text:
        what = {"}": "unbalanced braces", '"': "unterminated quoted value"}.get(m.group(1), "unclosed value")
        return f"{what}: a new entry starts before the closing {m.group(1)!r}"
    return text[:160] or "cannot be parsed"


_COMMENT_TOKENS = re.compile(r"[{}]|@\s*comment\s*[{(]|^[ \t]*%[^\n]*", re.I | re.M)


def blank_comments(text: str, warn: Warn | None = None) -> str:
    """Blank out what is commented out, keeping line numbers: the content of ``@comment{...}``
    (bibtexparser ends a comment at the first line starting with ``@`` and then reads a
    commented-out entry as an entry) and lines outside entries that start with ``%`` (a
    comment for biber and for everyone who writes ``% @article{old, ...}``).

    >>> blank_comments("@comment{\\n@article{fake, title={F}}\\n}\\n% @misc{old}\\n@misc{a, title={A}}").split("\\n")
    ['', '', '', '', '@misc{a, title={A}}']
    """
    out: list[str] = []
    depth = 0  # brace depth: 0 is outside entries
    last = 0  # text[:last] is decided
    pos = 0
    while True:
        m = _COMMENT_TOKENS.search(text, pos)
        if not m:
            break
        token = m.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth = max(0, depth - 1)
        elif depth == 0 and token.lstrip().startswith("%"):
            out.append(text[last : m.start()])
            last = m.end()  # the line's text goes, its newline stays
        elif depth == 0 and token.startswith("@"):
            open_, close = token[-1], "}" if token[-1] == "{" else ")"
            j, d = m.end(), 1
            while d:
                k = min((x for x in (text.find(open_, j), text.find(close, j)) if x >= 0), default=-1)
                if k < 0:
                    # never closed: end it where the next line starts with '@' (bibtexparser's rule),
                    # rather than comment out every entry after it
                    nxt = re.compile(r"^[ \t]*@", re.M).search(text, m.end())
                    j = nxt.start() if nxt else len(text)
                    if warn is not None:
                        at = f"line {text.count(chr(10), 0, j) + 1}" if nxt else "the end of the file"
                        warn(
                            f"line {text.count(chr(10), 0, m.start()) + 1}: @comment is never closed (its braces "
                            f"do not balance); read as ending before {at}"
                        )
                    break
                d += 1 if text[k] == open_ else -1
                j = k + 1
            out.append(text[last : m.start()])
            out.append("\n" * text.count("\n", m.start(), j))
            last = j
            pos = j
            continue
        pos = m.end()
    out.append(text[last:])
    return "".join(out)


def parse_entries(text: str, warn: Warn) -> Iterator[tuple[int, str, str, dict[str, str]]]:
    """Yield ``(line, type, key, fields)`` for every entry, its values read and ``crossref``
    resolved; broken entries are reported and skipped, comments and preambles ignored."""
    import bibtexparser
    from bibtexparser import model

    # bibtexparser logs each broken block itself; kg reports them once, with the file's name
    logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
    logging.getLogger("bibtexparser").propagate = False

    library = bibtexparser.parse_string(blank_comments(text, warn), parse_stack=[])
    macros = dict(_MONTHS)
    entries: list[tuple[int, str, str, dict[str, str]]] = []
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, model.String):
            try:
                macros[str(block.key).lower()] = read_value(str(block.value), macros)
            except _Syntax as exc:
                warn(f"line {line}: broken @string ({exc}); ignored")
            continue
        if isinstance(block, (model.DuplicateBlockKeyBlock, model.DuplicateFieldKeyBlock)):
            block = block.ignore_error_block or block  # a repeated key or field: still an entry
        elif isinstance(block, model.ParsingFailedBlock):
            m = re.match(r"\s*@\s*(\w+)", block.raw or "")
            kind = f"@{m.group(1).lower()} entry" if m else "text"
            warn(f"line {line}: broken {kind} ({_reason(block.error)}); skipped")
            continue
        if not isinstance(block, model.Entry):
            continue  # @comment, @preamble, text between entries
        fields: dict[str, str] = {}
        try:
            for f in block.fields:
                fields[str(f.key).lower()] = read_value(str(f.value), macros)
        except _Syntax as exc:
            warn(f"line {line}: broken @{block.entry_type} entry ({exc}); skipped")
            continue
        entries.append((line, str(block.entry_type).lower(), str(block.key), fields))
    by_key = {key.lower(): fields for _, _, key, fields in entries}
    parents = {f.get("crossref", "").strip().lower() for _, _, _, f in entries} - {""}
    for line, etype, key, fields in entries:
        if key.lower() in parents and etype in _CONTAINERS:
            continue  # the proceedings that entries crossref: not a paper
        parent = by_key.get(fields.get("crossref", "").strip().lower())
        if parent is not None and parent is not fields:
            fields = {**{k: v for k, v in parent.items() if k not in ("crossref", "title")}, **fields}
        yield line, etype, key, fields


def parse_bibtex(text: str, source: str, warn: Warn) -> Iterator[tuple[str, Paper]]:
    """Yield ``(where, paper)`` for every BibTeX entry that has a title (``where`` is
    ``"line N (key)"``)."""
    missing_abstract = 0
    for line, _etype, key, f in parse_entries(text, warn):
        eprint = f.get("eprint") if "arxiv" in f.get("archiveprefix", f.get("eprinttype", "")).lower() else None
        ax = arxiv_id(eprint) or arxiv_id(f.get("url"))
        doi = normalize_doi(f.get("doi"))
        year, month = f.get("year", "").strip(), f.get("month", "").strip()
        date = normalize_date(f.get("date")) or normalize_date(
            f"{year}-{month}" if year and re.fullmatch(r"\d{2}", month or "") else year or None
        )
        paper = make_paper(
            f.get("title", ""),
            source=source,
            source_id=f"arxiv:{ax}" if ax else None,
            doi=doi,
            abstract=f.get("abstract", ""),
            authors=re.split(r"\s+and\s+", f.get("author", "")),
            date=date,
            url=f.get("url", "").strip() or None,
            latex=True,
        )
        if paper is None:
            warn(f"line {line}: entry {key!r} has no title; skipped")
            continue
        missing_abstract += not paper.abstract
        yield f"line {line} ({key})", paper
    if missing_abstract:
        warn(
            f"{missing_abstract} entr{'y has' if missing_abstract == 1 else 'ies have'} no abstract; read with the title only"
        )
