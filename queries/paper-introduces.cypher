// paper-introduces: what a paper introduces (proposes, releases, names in its title).
//
// Parameters (Neo4j Browser: :param paper => "Qwen2.5 Technical Report"):
//   $paper  the paper's id, its title, or part of the title  example: "Qwen2.5 Technical Report"
MATCH (p:Paper)
WHERE p.id = $paper OR toLower(p.title) CONTAINS toLower($paper)
MATCH (p)-[m:MENTIONS {role: 'introduces'}]->(e:Entity)
RETURN p.title AS paper, e.name AS introduces, [l IN labels(e) WHERE l <> 'Entity'][0] AS type,
       m.evidence AS evidence
ORDER BY paper, introduces
