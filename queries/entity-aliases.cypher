// entity-aliases: every name an entity goes by, found from any one of them.
//
// Parameters (Neo4j Browser: :param name => "LLMs"):
//   $name  a name, alias or id, in any case                 example: "LLMs"
MATCH (e:Entity)
WHERE e.id = $name OR toLower(e.name) = toLower($name)
   OR toLower($name) IN [a IN coalesce(e.aliases, []) | toLower(a)]
RETURN e.id AS id, e.name AS name, [l IN labels(e) WHERE l <> 'Entity'][0] AS type,
       e.aliases AS aliases, e.paper_count AS papers
ORDER BY papers DESC
