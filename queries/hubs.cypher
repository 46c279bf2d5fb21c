// hubs: the most connected entities -- mentioned by the most papers, and co-occurring with
// the most other entities. Hubs create no paper-paper links (they would join everything).
//
// Parameters (Neo4j Browser: :param limit => 15):
//   $limit  how many rows                                   example: 15
MATCH (e:Entity)
OPTIONAL MATCH (e)-[c:CO_OCCURS]-(:Entity)
WITH e, count(c) AS partners
RETURN e.name AS entity, [l IN labels(e) WHERE l <> 'Entity'][0] AS type, e.paper_count AS papers, partners
ORDER BY papers DESC, partners DESC, entity
LIMIT $limit
