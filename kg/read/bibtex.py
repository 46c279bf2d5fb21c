"""Reading BibTeX (as exported by Zotero, JabRef or Google Scholar) without extra dependencies.

Entries become papers from their ``title`` and ``abstract`` fields (plus ``author``,
``year``/``date``, ``doi``, ``eprint``, ``url``). Field values may be braced, quoted, bare
numbers or ``@string`` macros joined with ``#``. Braces that only protect capitalisation
(``{BERT}``) are removed; LaTeX commands (``\\emph{x}``, ``$\\alpha$``) are kept as written.
"""

from __future__ import annotations

import re
from typing import Callable, Iterator

from kg.model import Paper
from kg.read.ids import arxiv_id, normalize_date, normalize_doi, paper_id

__all__ = ["parse_bibtex", "parse_entries", "clean_value"]

Warn = Callable[[str], None]
_MONTHS = {m: f"{i:02d}" for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


class _Syntax(ValueError):
    pass


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _read_delimited(text: str, i: int) -> tuple[str, int]:
    """``text[i]`` opens a value (``{`` or ``"``): return its content and the index after it.

    Braces nest inside either kind; a ``"`` ends a quoted value only outside braces."""
    quoted = text[i] == '"'
    depth = 0 if quoted else 1
    start = i = i + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0 and not quoted:
                return text[start:i], i + 1
        elif ch == '"' and quoted and depth == 0:
            return text[start:i], i + 1
        i += 1
    raise _Syntax("unterminated quoted value" if quoted else "unbalanced braces")


def _skip_ws(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def _read_value(text: str, i: int, macros: dict[str, str]) -> tuple[str, int]:
    parts = []
    while True:
        i = _skip_ws(text, i)
        if i >= len(text):
            raise _Syntax("entry ends inside a field value")
        ch = text[i]
        if ch in '{"':
            part, i = _read_delimited(text, i)
        else:
            m = re.compile(r"[^\s,#}]+").match(text, i)
            if not m:
                raise _Syntax(f"unexpected {ch!r} where a value should be")
            word = m.group(0)
            part = macros.get(word.lower(), word)
            i = m.end()
        parts.append(part)
        i = _skip_ws(text, i)
        if i < len(text) and text[i] == "#":
            i += 1
            continue
        return "".join(parts), i


def parse_entries(text: str, warn: Warn) -> Iterator[tuple[int, str, str, dict[str, str]]]:
    """Yield ``(line, type, key, fields)`` for every entry; broken entries are reported and skipped."""
    macros = dict(_MONTHS)
    for m in re.finditer(r"@\s*(\w+)\s*([{(])", text):
        etype = m.group(1).lower()
        line = _line_of(text, m.start())
        i = m.end()
        if etype in ("comment", "preamble"):
            continue
        try:
            if etype == "string":
                name_m = re.compile(r"\s*([\w\-:]+)\s*=").match(text, i)
                if not name_m:
                    raise _Syntax("@string without a name")
                value, i = _read_value(text, name_m.end(), macros)
                macros[name_m.group(1).lower()] = value
                continue
            key_m = re.compile(r"\s*([^,\s]*)\s*,").match(text, i)
            if not key_m:
                raise _Syntax("entry has no citation key")
            key = key_m.group(1)
            i = key_m.end()
            fields: dict[str, str] = {}
            while True:
                i = _skip_ws(text, i)
                if i >= len(text):
                    raise _Syntax("entry is not closed")
                if text[i] in "})":
                    break
                f_m = re.compile(r"([\w\-:.]+)\s*=").match(text, i)
                if not f_m:
                    raise _Syntax(f"cannot read a field at line {_line_of(text, i)}")
                value, i = _read_value(text, f_m.end(), macros)
                fields[f_m.group(1).lower()] = value
                i = _skip_ws(text, i)
                if i < len(text) and text[i] == ",":
                    i += 1
            yield line, etype, key, fields
        except _Syntax as exc:
            warn(f"line {line}: broken @{etype} entry ({exc}); skipped")


def clean_value(value: str) -> str:
    """Collapse BibTeX line wrapping and drop case-protecting braces; keep LaTeX commands.

    >>> clean_value("{BERT}: Pre-training of\\n   Deep {Bidirectional} Transformers")
    'BERT: Pre-training of Deep Bidirectional Transformers'
    >>> clean_value("Learning with $\\\\alpha$-divergence and \\\\emph{robust} losses")
    'Learning with $\\\\alpha$-divergence and \\\\emph{robust} losses'
    """
    value = " ".join(value.split())
    out = []
    for i, ch in enumerate(value):
        if ch in "{}":
            # keep the braces of a command argument (\emph{...}) and escaped braces (\{)
            before = value[:i]
            if ch == "{" and re.search(r"\\[A-Za-z]+\s*$|\\$", before):
                out.append(ch)
                continue
            if ch == "}" and _closes_command(value, i):
                out.append(ch)
                continue
            continue
        out.append(ch)
    return "".join(out)


def _closes_command(value: str, i: int) -> bool:
    depth = 0
    for j in range(i - 1, -1, -1):
        ch = value[j]
        if ch == "}":
            depth += 1
        elif ch == "{":
            if depth == 0:
                return bool(re.search(r"\\[A-Za-z]+\s*$", value[:j]))
            depth -= 1
    return False


def parse_bibtex(text: str, source: str, warn: Warn) -> Iterator[Paper]:
    """Yield one paper per BibTeX entry that has a title."""
    missing_abstract = 0
    for line, _etype, key, f in parse_entries(text, warn):
        title = clean_value(f.get("title", ""))
        if not title:
            warn(f"line {line}: entry {key!r} has no title; skipped")
            continue
        abstract = clean_value(f.get("abstract", ""))
        missing_abstract += not abstract
        eprint = f.get("eprint") if "arxiv" in f.get("archiveprefix", f.get("eprinttype", "")).lower() else None
        ax = arxiv_id(eprint) or arxiv_id(f.get("url"))
        doi = normalize_doi(f.get("doi"))
        year, month = f.get("year", ""), f.get("month", "")
        date = normalize_date(f.get("date")) or normalize_date(
            f"{year}-{month}" if year and re.fullmatch(r"\d{2}", month or "") else year or None)
        authors = tuple(a.strip() for a in clean_value(f.get("author", "")).split(" and ") if a.strip())
        yield Paper(
            id=paper_id(title, source_id=f"arxiv:{ax}" if ax else None, doi=doi),
            title=title,
            abstract=abstract,
            authors=authors,
            date=date,
            doi=doi,
            url=f.get("url") or None,
            sources=(source,),
        )
    if missing_abstract:
        warn(f"{missing_abstract} entr{'y has' if missing_abstract == 1 else 'ies have'} no abstract; read with the title only")
