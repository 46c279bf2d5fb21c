// introduced-between: what the papers of a period introduced ("what did this week bring?").
// Dates are ISO strings; papers without a year are left out.
//
// Parameters (Neo4j Browser: :param from => "2024-01-01"  and  :param to => "2024-12-31"):
//   $from  first day, inclusive                            example: "2024-01-01"
//   $to    last day, inclusive                             example: "2024-12-31"
MATCH (p:Paper)-[:MENTIONS {role: 'introduces'}]->(e:Entity)
WHERE p.year IS NOT NULL AND p.date >= $from AND p.date <= $to
RETURN p.date AS date, p.title AS paper, e.name AS introduces, [l IN labels(e) WHERE l <> 'Entity'][0] AS type
ORDER BY date, paper, introduces
