// papers-evaluating-on: the papers that report results on a benchmark (or dataset), newest
// first, with the sentence that says so. The name may be any alias, in any case.
//
// Parameters (Neo4j Browser: :param benchmark => "GSM8K"):
//   $benchmark  name, alias or id of the benchmark        example: "GSM8K"
MATCH (b:Entity)
WHERE (b:Benchmark OR b:Dataset)
  AND (b.id = $benchmark OR toLower(b.name) = toLower($benchmark)
       OR toLower($benchmark) IN [a IN coalesce(b.aliases, []) | toLower(a)])
MATCH (p:Paper)-[m:MENTIONS {role: 'evaluates_on'}]->(b)
RETURN p.title AS paper, p.date AS date, b.name AS benchmark, m.evidence AS evidence
ORDER BY date DESC, paper
