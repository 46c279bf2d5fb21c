"""kg's exceptions: one root, a few meaningful subclasses, greppable codes.

Every message says what went wrong, where (file, line or record) and what to do. The CLI
turns any :class:`KGError` into a one-line message and an exit code, in one place.
"""

from __future__ import annotations

__all__ = [
    "KGError",
    "InputError",
    "BadRecordError",
    "OutputError",
    "ModelNotFoundError",
    "GraphNotFoundError",
    "LookupNotFoundError",
    "Neo4jError",
    "QueryError",
]


class KGError(Exception):
    """Root of every error kg raises on purpose."""

    code = "E000"
    exit_code = 1

    def __str__(self) -> str:
        return f"[{self.code}] {super().__str__()}"


class InputError(KGError):
    """An input path or file cannot be read at all (missing, empty, binary, unknown format)."""

    code = "E100"
    exit_code = 2


class BadRecordError(InputError):
    """A record inside an input file is broken (raised instead of a warning with ``strict``)."""

    code = "E101"


class OutputError(KGError):
    """The output folder or file may not or cannot be written (not kg's, not writable, an input)."""

    code = "E110"
    exit_code = 2


class ModelNotFoundError(KGError):
    """No spaCy English pipeline is installed."""

    code = "E200"
    exit_code = 3


class GraphNotFoundError(KGError):
    """A build folder does not hold a graph written by ``kg build``."""

    code = "E300"
    exit_code = 2


class LookupNotFoundError(KGError):
    """A paper or entity asked for by name is not in the graph."""

    code = "E301"
    exit_code = 4


class Neo4jError(KGError):
    """The Neo4j server cannot be reached, refuses the credentials, or a write failed."""

    code = "E400"
    exit_code = 5


class QueryError(KGError):
    """A named query does not exist or its parameters are wrong."""

    code = "E401"
    exit_code = 2
