// top-entities: the most mentioned methods, datasets or benchmarks, with how many papers
// introduce each.
//
// Parameters (Neo4j Browser: :param type => "Method"  and  :param limit => 10):
//   $type   one of "Method", "Dataset", "Benchmark"        example: "Method"
//   $limit  how many rows                                   example: 10
MATCH (e:Entity)
WHERE $type IN labels(e)
OPTIONAL MATCH (e)<-[m:MENTIONS]-(:Paper)
WITH e, count(m) AS papers, sum(CASE m.role WHEN 'introduces' THEN 1 ELSE 0 END) AS introduced_by
RETURN e.name AS name, e.id AS id, papers, introduced_by, e.aliases AS aliases
ORDER BY papers DESC, name
LIMIT $limit
