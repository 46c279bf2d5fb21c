"""The Neo4j export and the query library, against a real Neo4j server."""

from __future__ import annotations

import os
from collections import Counter, defaultdict

import pytest
from conftest import run_kg

from kg.errors import Neo4jError
from kg.export.neo4j import Neo4jSettings, clear_kg, connect, count_kg, run_cypher, write_neo4j
from kg.export.queries import bind, get_query, load_queries

pytestmark = pytest.mark.neo4j


def graph_counts(G):
    return G.number_of_nodes(), G.number_of_edges()


@pytest.fixture(scope="module")
def exported(neo4j_driver, neo4j_settings, seed_graph):
    clear_kg(neo4j_driver, database=neo4j_settings.database)
    write_neo4j(seed_graph, neo4j_driver, database=neo4j_settings.database)
    return seed_graph


def test_export_counts_match_the_graph_and_a_second_export_changes_nothing(neo4j_driver, neo4j_settings, exported):
    db = neo4j_settings.database
    assert count_kg(neo4j_driver, database=db) == graph_counts(exported)
    r = write_neo4j(exported, neo4j_driver, database=db, batch_size=500)
    assert r.batches > 8
    assert count_kg(neo4j_driver, database=db) == graph_counts(exported)
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (p:Paper)-[m:MENTIONS]->(e:Entity {id: 'method:lora'}) RETURN p.id AS id, m.role AS role, e.name AS name",
        database_=db,
    )
    expected = {
        p: exported.edges[p, "method:lora"]["role"]
        for p in exported.neighbors("method:lora")
        if exported.nodes[p]["kind"] == "Paper"
    }
    assert {r["id"]: r["role"] for r in records} == expected
    assert {r["name"] for r in records} == {"LoRA"}


def test_schema_constraints_exist(neo4j_driver, neo4j_settings, exported):
    records, _, _ = neo4j_driver.execute_query(
        "SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names", database_=neo4j_settings.database
    )
    assert {"kg_paper_id", "kg_entity_id"} <= set(records[0]["names"])
    labels, _, _ = neo4j_driver.execute_query(
        "MATCH (e:Entity {id: $id}) RETURN labels(e) AS labels", id="method:lora", database_=neo4j_settings.database
    )
    assert sorted(labels[0]["labels"]) == ["Entity", "Method"]


def test_incremental_export_from_a_smaller_build(neo4j_driver, neo4j_settings, seeds, tmp_path, seed_graph):
    from kg.graph import read_graph

    small = tmp_path / "small"
    r = run_kg("build", *map(str, seeds[:2]), "-o", str(small), "--quiet", "--no-html")
    assert r.returncode == 0, r.stderr
    db = neo4j_settings.database
    G_small = read_graph(small)
    write_neo4j(G_small, neo4j_driver, database=db, replace=True)
    assert count_kg(neo4j_driver, database=db) == graph_counts(G_small)
    write_neo4j(seed_graph, neo4j_driver, database=db)  # the bigger build adds and updates
    assert count_kg(neo4j_driver, database=db) == graph_counts(seed_graph)


def test_replace_deletes_only_kgs_own_nodes(neo4j_driver, neo4j_settings, seed_graph):
    db = neo4j_settings.database
    neo4j_driver.execute_query("MERGE (n:Note {id: 'kg-test-note'}) SET n.text = 'keep me'", database_=db)
    neo4j_driver.execute_query("MERGE (p:Paper {id: 'kg-test-users-own-paper'}) SET p.title = 'not kg'", database_=db)
    try:
        write_neo4j(seed_graph, neo4j_driver, database=db, replace=True)
        records, _, _ = neo4j_driver.execute_query(
            "MATCH (n) WHERE n.id IN ['kg-test-note', 'kg-test-users-own-paper'] RETURN count(n) AS n", database_=db
        )
        assert records[0]["n"] == 2
        assert count_kg(neo4j_driver, database=db) == graph_counts(seed_graph)
    finally:
        neo4j_driver.execute_query(
            "MATCH (n) WHERE n.id IN ['kg-test-note', 'kg-test-users-own-paper'] DETACH DELETE n", database_=db
        )


# ---------------------------------------------------------------------------- the query library
def run_query(driver, settings, query_name, **params):
    q = get_query(query_name)
    values, _ = bind(q, params)
    _, rows = run_cypher(driver, q.text, values, database=settings.database)
    return rows


def papers_by_role(G, entity, role):
    return {p for p in G.neighbors(entity) if G.nodes[p]["kind"] == "Paper" and G.edges[p, entity]["role"] == role}


def test_the_library_has_at_least_ten_documented_queries():
    queries = load_queries()
    assert len(queries) >= 10
    for q in queries.values():
        assert q.summary and q.text.lstrip().startswith("//")
        for p in q.parameters:
            assert p.example is not None and p.description


def test_query_top_entities(neo4j_driver, neo4j_settings, exported):
    G = exported
    rows = run_query(neo4j_driver, neo4j_settings, "top-entities", type="Benchmark", limit=3)
    counts = sorted((d["paper_count"] for _, d in G.nodes(data=True) if d["kind"] == "Benchmark"), reverse=True)
    assert [r["papers"] for r in rows] == counts[:3] and counts[0] >= 2


def test_query_papers_evaluating_on(neo4j_driver, neo4j_settings, exported):
    G = exported
    bench = max(
        (n for n, d in G.nodes(data=True) if d["kind"] == "Benchmark"),
        key=lambda n: (len(papers_by_role(G, n, "evaluates_on")), n),
    )
    expected = papers_by_role(G, bench, "evaluates_on")
    assert len(expected) >= 2
    rows = run_query(neo4j_driver, neo4j_settings, "papers-evaluating-on", benchmark=G.nodes[bench]["name"].lower())
    assert sorted(r["paper"] for r in rows) == sorted(G.nodes[p]["title"] for p in expected)
    assert all(r["evidence"] for r in rows)


def test_query_paper_introduces(neo4j_driver, neo4j_settings, exported):
    G = exported
    # the GPT-4 report (until stop 31 the Qwen2.5 report: its recognizer reads that whole title,
    # "Qwen2.5 Technical Report", as one name, and the report introduces "Qwen2.5 LLM" instead)
    paper = next(n for n, d in G.nodes(data=True) if d["kind"] == "Paper" and d["title"] == "GPT-4 Technical Report")
    expected = {
        G.nodes[e]["name"]
        for e in G.neighbors(paper)
        if G.edges[paper, e]["kind"] == "MENTIONS" and G.edges[paper, e]["role"] == "introduces"
    }
    rows = run_query(neo4j_driver, neo4j_settings, "paper-introduces", paper=paper)
    assert {r["introduces"] for r in rows} == expected and "GPT-4" in expected


def test_query_related_papers(neo4j_driver, neo4j_settings, exported):
    G = exported
    paper = max(
        (n for n, d in G.nodes(data=True) if d["kind"] == "Paper"),
        key=lambda n: sum(1 for m in G.neighbors(n) if G.edges[n, m]["kind"] == "RELATED"),
    )
    expected = {
        G.nodes[m]["title"]: G.edges[paper, m]["weight"]
        for m in G.neighbors(paper)
        if G.edges[paper, m]["kind"] == "RELATED"
    }
    rows = run_query(neo4j_driver, neo4j_settings, "related-papers", paper=paper, limit=100)
    assert {r["related"]: r["weight"] for r in rows} == pytest.approx(expected)
    assert [r["weight"] for r in rows] == sorted((r["weight"] for r in rows), reverse=True)
    assert all(r["shared"] for r in rows)


def test_query_methods_with_dataset(neo4j_driver, neo4j_settings, exported):
    G = exported

    def methods_with(d):
        c = Counter()
        for p in G.neighbors(d):
            if G.nodes[p]["kind"] == "Paper":
                c.update(m for m in G.neighbors(p) if G.nodes[m]["kind"] == "Method")
        return c

    data = max(
        (n for n, d in G.nodes(data=True) if d["kind"] in ("Dataset", "Benchmark")),
        key=lambda n: (sum(methods_with(n).values()), n),
    )
    expected = methods_with(data)
    rows = run_query(neo4j_driver, neo4j_settings, "methods-with-dataset", dataset=data, limit=1000)
    assert {r["method"]: r["papers"] for r in rows} == {G.nodes[m]["name"]: n for m, n in expected.items()}


def test_query_shared_benchmarks(neo4j_driver, neo4j_settings, exported):
    G = exported
    evaluated = defaultdict(set)  # method -> benchmarks its papers evaluate on
    for p, d in G.nodes(data=True):
        if d["kind"] != "Paper":
            continue
        benches = {
            b for b in G.neighbors(p) if G.nodes[b]["kind"] == "Benchmark" and G.edges[p, b]["role"] == "evaluates_on"
        }
        for m in G.neighbors(p):
            if G.nodes[m]["kind"] == "Method":
                evaluated[m] |= benches
    pairs = [(a, b) for a in evaluated for b in evaluated if a < b and evaluated[a] & evaluated[b]]
    a, b = max(pairs, key=lambda ab: (len(evaluated[ab[0]] & evaluated[ab[1]]), ab))
    rows = run_query(neo4j_driver, neo4j_settings, "shared-benchmarks", method_a=a, method_b=b)
    assert {r["benchmark"] for r in rows} == {G.nodes[x]["name"] for x in evaluated[a] & evaluated[b]}


def test_query_introduced_then_used(neo4j_driver, neo4j_settings, exported):
    G = exported
    rows = run_query(neo4j_driver, neo4j_settings, "introduced-then-used", limit=50)
    assert rows
    top = rows[0]
    ent = next(n for n, d in G.nodes(data=True) if d.get("name") == top["entity"] and d["kind"] != "Paper")
    intro = next(p for p in papers_by_role(G, ent, "introduces") if G.nodes[p]["title"] == top["introduced_in"])
    users = {p for r in ("uses", "evaluates_on", "compares_with") for p in papers_by_role(G, ent, r)}
    d0 = G.nodes[intro]
    dated = {p for p in users if d0["year"] is None or G.nodes[p]["year"] is None or G.nodes[p]["date"] >= d0["date"]}
    assert top["used_by"] == len(dated - {intro}) >= 1


def test_query_shortest_path(neo4j_driver, neo4j_settings, exported):
    G = exported
    u, v = next((u, v) for u, v, d in G.edges(data=True) if d["kind"] == "RELATED")
    rows = run_query(neo4j_driver, neo4j_settings, "shortest-path", paper_a=u, paper_b=v)
    assert len(rows) == 1 and rows[0]["shared_steps"] == 1
    steps = rows[0]["steps"]
    assert steps[0] == G.nodes[u]["title"] and steps[-1] == G.nodes[v]["title"]
    assert steps[1] in {G.nodes[e]["name"] for e in G.neighbors(u) if G.nodes[e]["kind"] != "Paper"}


def test_query_hubs_aliases_used_together(neo4j_driver, neo4j_settings, exported):
    G = exported
    rows = run_query(neo4j_driver, neo4j_settings, "hubs", limit=5)
    assert rows[0]["papers"] == max(d.get("paper_count", 0) for _, d in G.nodes(data=True))
    rows = run_query(neo4j_driver, neo4j_settings, "entity-aliases", name="LOW-RANK ADAPTATION")
    assert [r["id"] for r in rows] == ["method:lora"]
    ent = max(
        (n for n, d in G.nodes(data=True) if d["kind"] != "Paper"),
        key=lambda n: (sum(1 for m in G.neighbors(n) if G.edges[n, m]["kind"] == "CO_OCCURS"), n),
    )
    partners = {
        G.nodes[m]["name"]: G.edges[ent, m]["papers"]
        for m in G.neighbors(ent)
        if G.edges[ent, m]["kind"] == "CO_OCCURS"
    }
    rows = run_query(neo4j_driver, neo4j_settings, "used-together", name=ent, limit=1000)
    assert {r["together_with"]: r["papers"] for r in rows} == partners and len(partners) >= 3


def test_query_introduced_between(neo4j_driver, neo4j_settings, exported):
    G = exported
    expected = {
        (d["title"], G.nodes[e]["name"])
        for p, d in G.nodes(data=True)
        if d["kind"] == "Paper" and d["year"] == 2024
        for e in G.neighbors(p)
        if G.edges[p, e]["kind"] == "MENTIONS" and G.edges[p, e]["role"] == "introduces"
    }
    rows = run_query(neo4j_driver, neo4j_settings, "introduced-between", **{"from": "2024-01-01", "to": "2024-12-31"})
    assert {(r["paper"], r["introduces"]) for r in rows} == expected and expected


def family_tree(G):
    from kg.graph import variant_edges

    children = defaultdict(set)
    for v, f in variant_edges(G):
        children[f].add(v)
    return children


def descendants(G, family):
    children, out, todo = family_tree(G), set(), [family]
    while todo:
        for c in children[todo.pop()]:
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


def test_families_are_exported_as_variant_of(neo4j_driver, neo4j_settings, exported):
    from kg.graph import variant_edges

    G = exported
    expected = set(variant_edges(G))
    assert len(expected) > 10
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (v:Entity)-[r:VARIANT_OF]->(f:Entity) RETURN v.id AS v, f.id AS f, r.papers AS papers",
        database_=neo4j_settings.database,
    )
    assert {(r["v"], r["f"]) for r in records} == expected
    assert all(r["papers"] == G.edges[r["v"], r["f"]]["papers"] for r in records)
    # idempotent like the rest: a second export changes nothing
    write_neo4j(G, neo4j_driver, database=neo4j_settings.database)
    assert count_kg(neo4j_driver, database=neo4j_settings.database) == graph_counts(G)


def test_query_family_papers(neo4j_driver, neo4j_settings, exported):
    G = exported
    fam = next(n for n, d in G.nodes(data=True) if d.get("name") == "Llama 3")
    members = {fam} | descendants(G, fam)
    assert len(members) >= 3
    expected = {G.nodes[p]["title"] for m in members for p in G.neighbors(m) if G.nodes[p]["kind"] == "Paper"}
    rows = run_query(neo4j_driver, neo4j_settings, "family-papers", family="llama 3")
    assert {r["paper"] for r in rows} == expected and len(rows) == len(expected)
    for r in rows:
        assert set(r["models"]) <= {G.nodes[m]["name"] for m in members}


def test_query_family_tree(neo4j_driver, neo4j_settings, exported):
    G = exported
    fam = next(n for n, d in G.nodes(data=True) if d.get("name") == "LLaMA")
    rows = run_query(neo4j_driver, neo4j_settings, "family-tree", family=fam)
    assert {r["id"] for r in rows} == descendants(G, fam)
    for r in rows:
        assert (
            r["chain"][0] == G.nodes[r["id"]]["name"]
            and r["chain"][-1] == "LLaMA"
            and len(r["chain"]) == r["depth"] + 1
        )


# ---------------------------------------------------------------------------- CLI and failures
def test_cli_export_and_query(seed_build, neo4j_settings):
    r = run_kg("export", "neo4j", str(seed_build))
    assert r.returncode == 0, r.stderr
    assert "exported" in r.stdout and os.environ["NEO4J_PASSWORD"] not in r.stdout + r.stderr
    r = run_kg("query", "entity-aliases", "--param", "name=LLMs", "--json")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().startswith("[") and "method:large-language-model" in r.stdout
    r = run_kg("query", "no-such-query")
    assert r.returncode == 2 and "available:" in r.stderr


def test_wrong_password_is_one_clear_message(neo4j_settings, seed_build):
    bad = Neo4jSettings(neo4j_settings.uri, neo4j_settings.user, "definitely-wrong-password", neo4j_settings.database)
    with pytest.raises(Neo4jError, match="refused the user name or password"):
        connect(bad)
    r = run_kg("export", "neo4j", str(seed_build), env={"NEO4J_PASSWORD": "definitely-wrong-password"})
    assert r.returncode == 5 and "refused" in r.stderr and "Traceback" not in r.stderr
    assert "definitely-wrong-password" not in r.stderr


def test_server_down_is_one_clear_message(seed_build):
    r = run_kg("export", "neo4j", str(seed_build), env={"NEO4J_URI": "bolt://127.0.0.1:1"})
    assert r.returncode == 5 and "cannot reach Neo4j at bolt://127.0.0.1:1" in r.stderr
    assert "Traceback" not in r.stderr


def test_missing_database_is_one_clear_message(neo4j_settings, seed_build):
    r = run_kg("export", "neo4j", str(seed_build), "--database", "nosuchdb")
    assert r.returncode == 5 and "database 'nosuchdb' does not exist" in r.stderr
    assert "Traceback" not in r.stderr


def test_first_export_mention_batches_can_run_in_parallel():
    from kg.export.neo4j import _mention_batches

    rows = [{"source": f"p{i:03d}", "target": "method:hub"} for i in range(200)]
    rows += [{"source": f"p{i:03d}", "target": f"method:rare{i % 7}"} for i in range(0, 200, 3)]
    batches = list(_mention_batches(rows, 40))
    written = [(r["source"], r["target"]) for b in batches for r in b]
    assert sorted(written) == sorted((r["source"], r["target"]) for r in rows)
    # each paper in one batch only, and every batch takes entity locks in the same order
    papers = Counter(p for b in batches for p in {r["source"] for r in b})
    assert max(papers.values()) == 1
    assert all([r["target"] for r in b] == sorted(r["target"] for r in b) for b in batches)
