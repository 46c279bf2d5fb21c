// family-tree: the variants of a family at every depth ("Llama-3.1-8B-Instruct" under
// "Llama-3.1-8B" under "Llama 3.1" under "Llama 3"), each with its chain up to the family and
// its number of papers. The family may be given by any name, alias or id.
//
// Parameters (Neo4j Browser: :param family => "LLaMA"):
//   $family  name, alias or id of the family                example: "LLaMA"
MATCH (f:Entity)
WHERE f.id = $family OR toLower(f.name) = toLower($family)
   OR toLower($family) IN [a IN coalesce(f.aliases, []) | toLower(a)]
MATCH path = (v:Entity)-[:VARIANT_OF*1..]->(f)
RETURN v.name AS variant, v.id AS id, length(path) AS depth, [n IN nodes(path) | n.name] AS chain,
       v.paper_count AS papers
ORDER BY depth, papers DESC, variant
