// family-papers: the papers that mention any model of a family -- the family itself or any
// of its variants, however deep ("papers using any Llama 3 model") -- newest first, with the
// variants each paper mentions. The family may be given by any name, alias or id.
//
// Parameters (Neo4j Browser: :param family => "Llama 3"):
//   $family  name, alias or id of the family                example: "Llama 3"
MATCH (f:Entity)
WHERE f.id = $family OR toLower(f.name) = toLower($family)
   OR toLower($family) IN [a IN coalesce(f.aliases, []) | toLower(a)]
MATCH (v:Entity)-[:VARIANT_OF*0..]->(f)
MATCH (p:Paper)-[:MENTIONS]->(v)
WITH f, p, collect(DISTINCT v.name) AS models
RETURN p.title AS paper, p.date AS date, f.name AS family, models
ORDER BY date DESC, paper
