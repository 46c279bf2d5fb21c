"""The graph's schema, named once: node kinds, entity labels, relationship types and the
properties each carries.

In networkx every node and edge has a ``kind`` (one of the names below); Neo4j uses the
same names as node labels (every entity node is also an ``Entity``) and relationship types.
Everything that builds, exports, draws or explores the graph imports them from here.

>>> entity_label("METHOD"), ENDS[MENTIONS]
('Method', ('Paper', 'Entity'))
>>> sorted(KIND_OF_LABEL.values()) == sorted(ENTITY_TYPES)
True
"""

from __future__ import annotations

from typing import Final

from kg.model import ENTITY_TYPES, EntityType

__all__ = [
    "PAPER",
    "ENTITY",
    "METHOD",
    "DATASET",
    "BENCHMARK",
    "ENTITY_LABELS",
    "LABEL_OF_TYPE",
    "KIND_OF_LABEL",
    "entity_label",
    "is_entity",
    "MENTIONS",
    "RELATED",
    "CO_OCCURS",
    "VARIANT_OF",
    "RELATIONSHIPS",
    "ENDS",
    "PAPER_PROPERTIES",
    "ENTITY_PROPERTIES",
    "EDGE_PROPERTIES",
]

# ---------------------------------------------------------------- nodes
PAPER: Final = "Paper"
#: the label every entity node carries in Neo4j beside its type's label
ENTITY: Final = "Entity"
METHOD: Final = "Method"
DATASET: Final = "Dataset"
BENCHMARK: Final = "Benchmark"
ENTITY_LABELS: Final = (METHOD, DATASET, BENCHMARK)
LABEL_OF_TYPE: Final[dict[EntityType, str]] = dict(zip(ENTITY_TYPES, ENTITY_LABELS, strict=True))
KIND_OF_LABEL: Final[dict[str, EntityType]] = {label: t for t, label in LABEL_OF_TYPE.items()}


def entity_label(entity_type: str) -> str:
    """The node kind (and Neo4j label) of an entity type: ``"METHOD"`` -> ``"Method"``."""
    return LABEL_OF_TYPE[entity_type]  # type: ignore[index]


def is_entity(kind: object) -> bool:
    """Whether a node ``kind`` is one of the entity labels."""
    return kind in KIND_OF_LABEL


# ---------------------------------------------------------------- relationships
#: a paper mentions an entity (properties: role, count, confidence, evidence)
MENTIONS: Final = "MENTIONS"
#: two papers share entities (properties: weight, shared)
RELATED: Final = "RELATED"
#: two entities occur in the same papers (property: papers)
CO_OCCURS: Final = "CO_OCCURS"
#: a model variant and its family, directed variant -> family (properties: variant, family, papers)
VARIANT_OF: Final = "VARIANT_OF"
RELATIONSHIPS: Final = (MENTIONS, RELATED, CO_OCCURS, VARIANT_OF)
#: the labels at the two ends of each relationship type
ENDS: Final[dict[str, tuple[str, str]]] = {
    MENTIONS: (PAPER, ENTITY),
    RELATED: (PAPER, PAPER),
    CO_OCCURS: (ENTITY, ENTITY),
    VARIANT_OF: (ENTITY, ENTITY),
}

# ---------------------------------------------------------------- properties (besides ``id`` and ``kind``)
PAPER_PROPERTIES: Final = (
    "title",
    "abstract",
    "date",
    "year",
    "authors",
    "n_authors",
    "organization",
    "upvotes",
    "categories",
    "doi",
    "url",
    "sources",
)
ENTITY_PROPERTIES: Final = ("name", "type", "aliases", "paper_count")
EDGE_PROPERTIES: Final[dict[str, tuple[str, ...]]] = {
    MENTIONS: ("role", "count", "confidence", "evidence"),
    RELATED: ("weight", "shared"),
    CO_OCCURS: ("papers",),
    VARIANT_OF: ("variant", "family", "papers"),
}
