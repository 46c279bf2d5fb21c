// shortest-path: how two papers connect through the methods, datasets and benchmarks they
// mention (paper -> entity -> paper -> ...).
//
// Parameters (Neo4j Browser: :param paper_a => "Qwen2.5 Technical Report"  and
//             :param paper_b => "GPT-4 Technical Report"):
//   $paper_a  id, title or part of the title of one paper   example: "Qwen2.5 Technical Report"
//   $paper_b  id, title or part of the title of the other   example: "GPT-4 Technical Report"
MATCH (a:Paper)
WHERE a.id = $paper_a OR toLower(a.title) CONTAINS toLower($paper_a)
WITH a ORDER BY size(a.title) LIMIT 1
MATCH (b:Paper)
WHERE b.id = $paper_b OR toLower(b.title) CONTAINS toLower($paper_b)
WITH a, b ORDER BY size(b.title) LIMIT 1
MATCH path = shortestPath((a)-[:MENTIONS*..10]-(b))
RETURN [n IN nodes(path) | coalesce(n.name, n.title)] AS steps, length(path) / 2 AS shared_steps
