// introduced-then-used: entities one paper introduces and other papers then use, evaluate
// on or compare with (not earlier than the introducing paper, where both have dated years).
//
// Parameters (Neo4j Browser: :param limit => 20):
//   $limit  how many rows                                   example: 20
MATCH (intro:Paper)-[:MENTIONS {role: 'introduces'}]->(e:Entity)<-[m:MENTIONS]-(user:Paper)
WHERE user <> intro AND m.role IN ['uses', 'evaluates_on', 'compares_with']
  AND (intro.year IS NULL OR user.year IS NULL OR user.date >= intro.date)
RETURN e.name AS entity, [l IN labels(e) WHERE l <> 'Entity'][0] AS type, intro.title AS introduced_in,
       intro.date AS introduced, count(DISTINCT user) AS used_by, collect(DISTINCT user.title)[..3] AS examples
ORDER BY used_by DESC, entity
LIMIT $limit
