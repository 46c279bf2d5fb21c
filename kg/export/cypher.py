"""Every Cypher statement the Neo4j writer runs, in one place.

Values always travel as parameters (``$rows``, ``$export``); the only text chosen in Python
is a label or relationship type, and only from the fixed tables below (:data:`MERGE_ENTITY`,
:data:`MERGE_RELATIONSHIP`) -- never from data.
"""

from __future__ import annotations

from kg.schema import CO_OCCURS, ENTITY, ENTITY_LABELS, MENTIONS, PAPER, RELATED, VARIANT_OF

__all__ = [
    "SCHEMA",
    "MERGE_PAPERS",
    "MERGE_ENTITY",
    "MERGE_RELATIONSHIP",
    "CREATE_PAPERS",
    "CREATE_ENTITY",
    "CREATE_RELATIONSHIP",
    "ANY_PAPER_OR_ENTITY",
    "DELETE_STALE_PAPER_RELATIONSHIPS",
    "DELETE_STALE_COOCCURRENCES",
    "DELETE_ORPHAN_ENTITIES",
    "DELETE_KG_NODES",
    "COUNT_KG",
]

#: constraints and indexes, each created only if missing
SCHEMA = (
    "CREATE CONSTRAINT kg_paper_id IF NOT EXISTS FOR (p:Paper) REQUIRE p.id IS UNIQUE",
    "CREATE CONSTRAINT kg_entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE",
    "CREATE INDEX kg_entity_name IF NOT EXISTS FOR (e:Entity) ON (e.name)",
)

MERGE_PAPERS = """
UNWIND $rows AS row
MERGE (p:Paper {id: row.id})
SET p += row.props, p.kg_export = $export
"""

_MERGE_ENTITY = """
UNWIND $rows AS row
MERGE (e:Entity {{id: row.id}})
REMOVE e:Method:Dataset:Benchmark
SET e:{label}, e += row.props, e.kg_export = $export
"""

#: one statement per entity label: the label comes from this table, never from data
MERGE_ENTITY = {label: _MERGE_ENTITY.format(label=label) for label in ENTITY_LABELS}

#: a first export into a database without Paper/Entity nodes: nothing to merge with, so
#: plain CREATE (much faster); any later export MERGEs
CREATE_PAPERS = """
UNWIND $rows AS row
CREATE (p:Paper)
SET p = row.props, p.id = row.id, p.kg_export = $export
"""

CREATE_ENTITY = {
    label: f"""
UNWIND $rows AS row
CREATE (e:Entity:{label})
SET e = row.props, e.id = row.id, e.kg_export = $export
"""
    for label in ENTITY_LABELS
}

_CREATE_REL = """
UNWIND $rows AS row
MATCH (a:{a} {{id: row.source}})
MATCH (b:{b} {{id: row.target}})
CREATE (a)-[r:{rel}]->(b)
SET r = row.props, r.kg_export = $export
"""

CREATE_RELATIONSHIP = {
    MENTIONS: _CREATE_REL.format(a=PAPER, b=ENTITY, rel=MENTIONS),
    RELATED: _CREATE_REL.format(a=PAPER, b=PAPER, rel=RELATED),
    CO_OCCURS: _CREATE_REL.format(a=ENTITY, b=ENTITY, rel=CO_OCCURS),
    VARIANT_OF: _CREATE_REL.format(a=ENTITY, b=ENTITY, rel=VARIANT_OF),
}

#: whether the database holds any Paper or Entity node (kg's or not)
ANY_PAPER_OR_ENTITY = """
OPTIONAL MATCH (p:Paper) WITH p LIMIT 1
OPTIONAL MATCH (e:Entity) WITH p, e LIMIT 1
RETURN p IS NOT NULL OR e IS NOT NULL AS found
"""

_MERGE_REL = """
UNWIND $rows AS row
MATCH (a:{a} {{id: row.source}})
MATCH (b:{b} {{id: row.target}})
MERGE (a)-[r:{rel}]->(b)
SET r += row.props, r.kg_export = $export
"""

#: relationship type -> statement (source and target labels are fixed per type)
MERGE_RELATIONSHIP = {
    MENTIONS: _MERGE_REL.format(a=PAPER, b=ENTITY, rel=MENTIONS),
    RELATED: _MERGE_REL.format(a=PAPER, b=PAPER, rel=RELATED),
    CO_OCCURS: _MERGE_REL.format(a=ENTITY, b=ENTITY, rel=CO_OCCURS),
    VARIANT_OF: _MERGE_REL.format(a=ENTITY, b=ENTITY, rel=VARIANT_OF),
}

#: relationships of the exported papers that this export did not write (stale links)
DELETE_STALE_PAPER_RELATIONSHIPS = """
UNWIND $ids AS id
MATCH (p:Paper {id: id})-[r:MENTIONS|RELATED]-()
WHERE r.kg_export IS NOT NULL AND r.kg_export <> $export
WITH DISTINCT r
DELETE r
"""

#: co-occurrences and family links of the exported entities that this export did not write
DELETE_STALE_COOCCURRENCES = """
UNWIND $ids AS id
MATCH (e:Entity {id: id})-[r:CO_OCCURS|VARIANT_OF]-()
WHERE r.kg_export IS NOT NULL AND r.kg_export <> $export
WITH DISTINCT r
DELETE r
"""

#: entities kg wrote that no paper mentions any more
DELETE_ORPHAN_ENTITIES = """
MATCH (e:Entity)
WHERE e.kg_export IS NOT NULL AND NOT (e)<-[:MENTIONS]-()
DETACH DELETE e
"""

#: kg's own nodes (they carry kg_export), in batches; nothing else is touched
DELETE_KG_NODES = """
MATCH (n)
WHERE (n:Paper OR n:Entity) AND n.kg_export IS NOT NULL
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
"""

COUNT_KG = """
MATCH (n) WHERE (n:Paper OR n:Entity) AND n.kg_export IS NOT NULL
WITH count(n) AS nodes
OPTIONAL MATCH (a)-[r:MENTIONS|RELATED|CO_OCCURS|VARIANT_OF]->(b) WHERE r.kg_export IS NOT NULL
RETURN nodes, count(r) AS relationships
"""
