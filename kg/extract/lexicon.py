"""kg's lexicon of well-known methods, datasets and benchmarks.

The lexicon is a small TSV shipped in ``kg/resources`` (``type, name, aliases``). It gives a
*prior*: a name found in it is a candidate with a type, which context may still change
(dataset vs benchmark is decided by use). Names with a capital letter match case-sensitively
("MATH", "CLIP"), lower-case concept names match in any case ("contrastive learning").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg.model import ENTITY_TYPES, EntityType

__all__ = ["LexiconEntry", "load_lexicon", "DEFAULT_LEXICON"]

DEFAULT_LEXICON = "lexicon.tsv"


@dataclass(frozen=True)
class LexiconEntry:
    name: str
    type: EntityType
    aliases: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name,) + self.aliases

    @property
    def is_concept(self) -> bool:
        """A lower-case technique name ("contrastive learning"), not a proper name."""
        return self.name == self.name.lower()


def _parse(lines: Iterable[str], origin: str) -> list[LexiconEntry]:
    out = []
    for n, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2 or parts[0] not in ENTITY_TYPES:
            raise ValueError(f"{origin}:{n}: expected 'TYPE<TAB>name[<TAB>aliases]', got {line!r}")
        aliases = tuple(a.strip() for a in parts[2].split("|") if a.strip()) if len(parts) > 2 else ()
        out.append(LexiconEntry(parts[1].strip(), parts[0], aliases))
    return out


@lru_cache(maxsize=8)
def load_lexicon(path: str | None = None) -> tuple[LexiconEntry, ...]:
    """Load a lexicon TSV (kg's own when ``path`` is None); cached."""
    if path is None:
        text = resources.files("kg.resources").joinpath(DEFAULT_LEXICON).read_text(encoding="utf-8")
        return tuple(_parse(text.splitlines(), DEFAULT_LEXICON))
    return tuple(_parse(Path(path).read_text(encoding="utf-8").splitlines(), str(path)))
