"""kg's data model: plain frozen dataclasses, no spaCy, networkx or neo4j types inside.

The pipeline passes these between stages::

    read -> Paper            extract -> Mention, Entity, Extraction
    link -> Link, CoOccurrence

Labels are defined once here (:data:`ENTITY_TYPES`, :data:`ROLES`, :data:`FIELDS`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

__all__ = [
    "EntityType",
    "Role",
    "Field",
    "ENTITY_TYPES",
    "ROLES",
    "FIELDS",
    "Paper",
    "Mention",
    "Entity",
    "Extraction",
    "Link",
    "CoOccurrence",
    "strongest_role",
]

EntityType = Literal["METHOD", "DATASET", "BENCHMARK"]
#: What a paper does with an entity, strongest first.
Role = Literal["introduces", "evaluates_on", "compares_with", "uses", "mentions"]
Field = Literal["title", "abstract"]

ENTITY_TYPES: tuple[EntityType, ...] = get_args(EntityType)
ROLES: tuple[Role, ...] = get_args(Role)
FIELDS: tuple[Field, ...] = get_args(Field)


def strongest_role(roles) -> Role:
    """The strongest of several roles (``introduces`` beats ``evaluates_on`` ... beats ``mentions``).

    >>> strongest_role(["uses", "evaluates_on", "mentions"])
    'evaluates_on'
    >>> strongest_role([])
    'mentions'
    """
    ranks = [ROLES.index(r) for r in roles]
    return ROLES[min(ranks)] if ranks else "mentions"


@dataclass(frozen=True)
class Paper:
    """One paper as read from a listing.

    ``date`` is ISO 8601 as far as the source knows it: ``"2024-08-05"``, ``"2024-08"``,
    ``"2024"``, or ``"--09-30"`` when the source gives a month and day but no year (kg never
    invents a year). ``sources`` lists every input (file name, or file name and record) the
    paper was read from.
    """

    id: str
    title: str
    abstract: str = ""
    authors: tuple[str, ...] = ()
    n_authors: int | None = None
    date: str | None = None
    organization: str | None = None
    upvotes: int | None = None
    categories: tuple[str, ...] = ()
    doi: str | None = None
    url: str | None = None
    sources: tuple[str, ...] = ()

    @property
    def year(self) -> int | None:
        """The year of :attr:`date`, or None when the source gave none."""
        if self.date and self.date[:4].isdigit():
            return int(self.date[:4])
        return None

    def text(self, field: Field) -> str:
        """The text of one field (``"title"`` or ``"abstract"``)."""
        return self.title if field == "title" else self.abstract


@dataclass(frozen=True)
class Mention:
    """One occurrence of a method, dataset or benchmark in a paper's title or abstract.

    ``start``/``end`` are Python string offsets into the field's text exactly as read, so
    ``paper.text(m.field)[m.start:m.end] == m.text``. ``entity`` is the id of the entity the
    mention was merged into (empty before merging); ``source`` names the rule or model that
    found it; ``confidence`` is in [0, 1].
    """

    text: str
    field: Field
    start: int
    end: int
    sentence: int
    type: EntityType
    source: str
    confidence: float
    role: Role = "mentions"
    entity: str = ""
    #: the long form when this mention is an acronym defined in the text, e.g. "low-rank adaptation"
    long_form: str | None = None


@dataclass(frozen=True)
class Entity:
    """A real thing (a method, a dataset, a benchmark) merged from mentions across the corpus.

    ``family`` is the id of the entity this one is a variant of ("Llama-3.1-8B" of
    "Llama 3.1"), or None.
    """

    id: str
    name: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    papers: tuple[str, ...] = ()
    family: str | None = None


@dataclass(frozen=True)
class Extraction:
    """What extraction found in one paper: its mentions and, per entity, the paper's role."""

    paper: Paper
    mentions: tuple[Mention, ...] = ()
    roles: tuple[tuple[str, Role], ...] = field(default=())

    @property
    def role_of(self) -> dict[str, Role]:
        """Entity id -> the paper's role for it."""
        return dict(self.roles)


@dataclass(frozen=True)
class Link:
    """Two papers joined by the entities they share; ``shared`` explains the link."""

    source: str
    target: str
    weight: float
    shared: tuple[str, ...] = ()


@dataclass(frozen=True)
class CoOccurrence:
    """Two entities mentioned in the same papers, and how many papers that is."""

    source: str
    target: str
    papers: int
