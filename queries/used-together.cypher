// used-together: what is usually mentioned together with an entity, by number of papers.
//
// Parameters (Neo4j Browser: :param name => "CLIP"  and  :param limit => 10):
//   $name   a name, alias or id, in any case                example: "CLIP"
//   $limit  how many rows                                   example: 10
MATCH (e:Entity)
WHERE e.id = $name OR toLower(e.name) = toLower($name)
   OR toLower($name) IN [a IN coalesce(e.aliases, []) | toLower(a)]
MATCH (e)-[c:CO_OCCURS]-(o:Entity)
RETURN e.name AS entity, o.name AS together_with, [l IN labels(o) WHERE l <> 'Entity'][0] AS type,
       c.papers AS papers
ORDER BY papers DESC, together_with
LIMIT $limit
