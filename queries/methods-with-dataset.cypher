// methods-with-dataset: which methods appear in the papers that use or evaluate on a given
// dataset or benchmark ("who else uses this method with that dataset").
//
// Parameters (Neo4j Browser: :param dataset => "ImageNet"  and  :param limit => 10):
//   $dataset  name, alias or id of the dataset/benchmark   example: "ImageNet"
//   $limit    how many rows                                example: 10
MATCH (d:Entity)
WHERE (d:Dataset OR d:Benchmark)
  AND (d.id = $dataset OR toLower(d.name) = toLower($dataset)
       OR toLower($dataset) IN [a IN coalesce(d.aliases, []) | toLower(a)])
MATCH (d)<-[:MENTIONS]-(p:Paper)-[:MENTIONS]->(m:Method)
RETURN m.name AS method, count(DISTINCT p) AS papers, collect(DISTINCT p.title)[..3] AS examples
ORDER BY papers DESC, method
LIMIT $limit
