// shared-benchmarks: benchmarks that papers mentioning one method and papers mentioning
// another both evaluate on -- where the two methods can be compared.
//
// Parameters (Neo4j Browser: :param method_a => "CLIP"  and  :param method_b => "BERT"):
//   $method_a  name, alias or id of the first method      example: "CLIP"
//   $method_b  name, alias or id of the second method     example: "BERT"
MATCH (a:Method)
WHERE a.id = $method_a OR toLower(a.name) = toLower($method_a)
   OR toLower($method_a) IN [x IN coalesce(a.aliases, []) | toLower(x)]
MATCH (b:Method)
WHERE b.id = $method_b OR toLower(b.name) = toLower($method_b)
   OR toLower($method_b) IN [x IN coalesce(b.aliases, []) | toLower(x)]
MATCH (a)<-[:MENTIONS]-(pa:Paper)-[:MENTIONS {role: 'evaluates_on'}]->(bench:Benchmark)
MATCH (bench)<-[:MENTIONS {role: 'evaluates_on'}]-(pb:Paper)-[:MENTIONS]->(b)
RETURN bench.name AS benchmark, count(DISTINCT pa) AS papers_with_a, count(DISTINCT pb) AS papers_with_b
ORDER BY papers_with_a + papers_with_b DESC, benchmark
