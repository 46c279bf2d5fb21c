// related-papers: the papers most related to one paper, heaviest link first, with the
// shared entities that explain each link.
//
// Parameters (Neo4j Browser: :param paper => "Qwen2.5 Technical Report"  and  :param limit => 10):
//   $paper  the paper's id, its title, or part of the title  example: "Qwen2.5 Technical Report"
//   $limit  how many rows                                    example: 10
MATCH (p:Paper)
WHERE p.id = $paper OR toLower(p.title) CONTAINS toLower($paper)
MATCH (p)-[r:RELATED]-(q:Paper)
RETURN p.title AS paper, q.title AS related, r.weight AS weight, r.shared AS shared
ORDER BY weight DESC, related
LIMIT $limit
