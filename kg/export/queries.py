"""kg's Cypher query library: the ``.cypher`` files in ``queries/``.

Each file is one statement that runs unchanged in Neo4j Browser, after a header comment::

    // name: what it answers
    //
    // Parameters (Neo4j Browser: :param limit => 10):
    //   $limit  how many rows                 example: 10

:func:`load_queries` reads the files and their parameters; ``kg query NAME`` runs one, taking
each parameter from ``--param name=value`` or, when left out, from its example value.
"""

from __future__ import annotations

import json
import os
import re
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from kg.errors import QueryError

__all__ = ["Query", "Parameter", "queries_dir", "load_queries", "get_query", "parse_value", "bind"]

_PARAM = re.compile(r"^//\s+\$(\w+)\s+(.*?)\s+example:\s+(.+?)\s*$")


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    example: object


@dataclass(frozen=True)
class Query:
    """One query file: its name, what it answers, its parameters and its Cypher text."""

    name: str
    summary: str
    parameters: tuple[Parameter, ...]
    text: str
    path: Path


def queries_dir() -> Path:
    """Where the ``.cypher`` files are: ``KG_QUERIES_DIR``, else ``queries/`` of the source
    tree kg runs from, else the copy an installed kg carries (``<prefix>/share/kg/queries``,
    the wheel's data files)."""
    env = os.environ.get("KG_QUERIES_DIR")
    if env:
        return Path(env)
    source = Path(__file__).resolve().parents[2] / "queries"
    if source.is_dir():
        return source
    for prefix in (sys.prefix, sys.base_prefix, sysconfig.get_path("data")):
        installed = Path(prefix) / "share" / "kg" / "queries"
        if installed.is_dir():
            return installed
    return source


def parse_value(text: str):
    """A parameter value from the command line: JSON when it parses, else a string.

    >>> parse_value("10"), parse_value('"10"'), parse_value("GSM8K"), parse_value('["a", "b"]')
    (10, '10', 'GSM8K', ['a', 'b'])
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _parse(path: Path) -> Query:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    summary_lines = []
    for line in lines:
        if not line.startswith("//"):
            break
        body = line[2:].strip()
        if not body or body.startswith("Parameters"):
            break
        summary_lines.append(body)
    summary = " ".join(summary_lines)
    summary = summary.split(":", 1)[1].strip() if summary.startswith(path.stem + ":") else summary
    params = []
    for line in lines:
        m = _PARAM.match(line)
        if m:
            params.append(Parameter(m.group(1), m.group(2).strip(), parse_value(m.group(3))))
    used = set(re.findall(r"\$(\w+)", "\n".join(line for line in lines if not line.startswith("//"))))
    declared = {p.name for p in params}
    if used - declared:
        raise QueryError(f"{path}: uses ${', $'.join(sorted(used - declared))} without declaring it in the header")
    return Query(path.stem, summary, tuple(params), text, path)


def load_queries(folder: str | Path | None = None) -> dict[str, Query]:
    """Every query in ``folder`` (default :func:`queries_dir`), by name."""
    folder = Path(folder) if folder else queries_dir()
    if not folder.is_dir():
        raise QueryError(f"{folder}: no query folder here (set KG_QUERIES_DIR to kg's queries/ folder)")
    return {p.stem: _parse(p) for p in sorted(folder.glob("*.cypher"))}


def get_query(name: str, folder: str | Path | None = None) -> Query:
    """One query by file name (with or without ``.cypher``)."""
    queries = load_queries(folder)
    name = name.removesuffix(".cypher")
    if name not in queries:
        raise QueryError(f"no query named {name!r}; available: {', '.join(queries)}")
    return queries[name]


def bind(query: Query, given: dict[str, object]) -> tuple[dict[str, object], list[str]]:
    """The parameters to run ``query`` with: the given ones, else the examples. Returns them
    and the names that fell back to their example."""
    known = {p.name for p in query.parameters}
    unknown = set(given) - known
    if unknown:
        raise QueryError(
            f"query {query.name!r} has no parameter {', '.join(sorted(unknown))}; "
            f"its parameters: {', '.join(sorted(known)) or 'none'}"
        )
    params, defaulted = {}, []
    for p in query.parameters:
        if p.name in given:
            params[p.name] = given[p.name]
        else:
            params[p.name] = p.example
            defaulted.append(p.name)
    return params, defaulted
