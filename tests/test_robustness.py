"""Bad input, hostile text and faults: kg keeps working, loses nothing, lets nothing through."""

from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from conftest import CORPUS, DATA, ROOT, require, run_kg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.read import read_papers
from kg.read.clean import clean_text

# ---------------------------------------------------------------------------- bad input

GOOD_JSONL = (DATA / "arxiv_snapshot.jsonl").read_text().splitlines()


def corpus_records(n: int) -> list[dict]:
    path = CORPUS / "arxiv_cs_00.jsonl.gz"
    require(path.exists(), f"the arXiv corpus ({path})")
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            out.append(json.loads(line))
            if len(out) == n:
                break
    return out


def test_jsonl_with_a_broken_middle_line_and_a_truncated_last_line(tmp_path):
    recs = corpus_records(50)
    lines = [json.dumps(r) for r in recs]
    lines[19] = lines[19][: len(lines[19]) // 2]  # broken in the middle of the file
    lines[-1] = lines[-1][:-30]  # truncated last line (no newline)
    path = tmp_path / "arxiv.jsonl"
    path.write_text("\n".join(lines))
    r = run_kg("extract", str(path), "-o", str(tmp_path / "m.jsonl"), "--quiet")
    assert r.returncode == 0, r.stderr
    assert f"{path}: line 20: not valid JSON" in r.stderr and f"{path}: line 50: not valid JSON" in r.stderr
    out = [json.loads(line) for line in (tmp_path / "m.jsonl").read_text().splitlines()]
    expected = [f"arxiv:{x['arxiv_id']}" for k, x in enumerate(recs) if k not in (19, 49)]
    assert [o["id"] for o in out] == expected  # all 48 good records, in order
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16", "utf-8-sig"])
def test_other_encodings_are_read(tmp_path, encoding):
    text = "title,abstract\nCafé résumé: naïve models,Überall évalué on GLUE - ça marche.\n"
    path = tmp_path / "papers.csv"
    path.write_bytes(text.encode(encoding))
    (p,) = read_papers(path)
    assert p.title == "Café résumé: naïve models" and p.abstract.startswith("Überall évalué on GLUE")


def test_a_mostly_utf8_file_with_latin1_lines_keeps_every_line(tmp_path, caplog):
    lines = [
        GOOD_JSONL[0].encode("utf-8"),
        json.dumps({"id": "x1", "title": "Modèle", "abstract": "Données."}, ensure_ascii=False).encode("latin-1"),
        GOOD_JSONL[1].encode("utf-8"),
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join(lines))
    papers = read_papers(path)
    assert [p.title for p in papers][1] == "Modèle" and len(papers) == 3
    assert "not valid UTF-8 on 1 line(s) (2)" in caplog.text


def test_csv_without_an_abstract_column_keeps_the_titles(tmp_path, caplog):
    path = tmp_path / "titles.csv"
    path.write_text('title,year\n"A title, with a comma",2020\nAnother title,2021\n')
    papers = read_papers(path)
    assert [p.title for p in papers] == ["A title, with a comma", "Another title"]
    assert all(p.abstract == "" for p in papers)
    assert "no abstract column" in caplog.text


def test_a_one_megabyte_abstract(tmp_path):
    recs = corpus_records(800)
    abstract = " ".join(r["abstract"] for r in recs)
    while len(abstract) < 1_048_576:
        abstract += " " + abstract
    abstract = abstract[:1_048_576]
    path = tmp_path / "huge.jsonl"
    path.write_text(
        json.dumps({"id": "huge", "title": "One huge abstract", "abstract": abstract}) + "\n" + GOOD_JSONL[1] + "\n"
    )
    out = tmp_path / "m.jsonl"
    r = run_kg("extract", str(path), "-o", str(out), "--quiet")
    assert r.returncode == 0, r.stderr
    huge, lora = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(huge["mentions"]) > 1000 and lora["id"] == "arxiv:2106.09685"
    stored = clean_text(abstract)  # offsets index the text as kg stores it: cleaned (LaTeX in corpus abstracts)
    for m in huge["mentions"][:: max(1, len(huge["mentions"]) // 200)]:
        assert stored[m["start"] : m["end"]] == m["text"]


def test_a_100k_paper_file(tmp_path):
    recs = corpus_records(2000)
    path = tmp_path / "big.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for i in range(100_000):
            r = dict(recs[i % len(recs)])
            r["arxiv_id"] = f"{2000 + i // 10000:04d}.{i % 10000:05d}"
            r["title"] = f"{r['title']} (copy {i})"
            f.write(json.dumps(r) + "\n")
    papers = read_papers(path)
    assert len(papers) == 100_000 and len({p.id for p in papers}) == 100_000


@pytest.mark.parametrize(
    "title,abstract",
    [
        (
            r"$\mathcal{O}(n \log n)$ attention for \textbf{Transformers}",
            r"We prove a bound $\sum_i x_i^2 \leq \epsilon$ for LoRA.",
        ),
        ("Emoji 🤖🚀 models", "We fine-tune BERT 🤗 on GLUE 📈 and report 𝔽1 scores."),
        (
            "Zero\u200bwidth\u200c joiners\u200d",
            "Zero-width\u200b spaces inside Low-Rank Adaptation (LoRA)\u2060 text.",
        ),
        ("نماذج اللغة الكبيرة Arabic title", "We evaluate GPT-4 on MMLU \u202bمع نص عربي\u202c and Hebrew עברית."),
    ],
)
def test_unusual_characters_pass_through_with_exact_offsets(title, abstract):
    from kg.extract import extract
    from kg.model import Paper

    corpus = extract([Paper(id="u", title=title, abstract=abstract)])
    x = corpus.extractions[0]
    assert x.paper.title == title and x.paper.abstract == abstract
    for m in x.mentions:
        assert x.paper.text(m.field)[m.start : m.end] == m.text
    assert x.mentions  # every case names at least one known entity


def test_the_same_paper_with_different_whitespace_is_one_paper(tmp_path):
    rows = [
        {"title": "Attention  Is All\nYou Need", "abstract": "A."},
        {"title": " attention is all you need ", "abstract": "B."},
        {"title": "Attention Is All You Need.", "abstract": ""},
    ]
    path = tmp_path / "dups.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    (p,) = read_papers(path)
    assert p.abstract == "A."


@pytest.mark.parametrize(
    "args,message",
    [
        (["no/such/dir/"], "no such file or directory"),
        (["*.nothing-matches"], "no file matches this pattern"),
    ],
)
def test_paths_that_match_nothing(tmp_path, args, message):
    r = run_kg("build", *args, "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr


def test_an_empty_directory(tmp_path):
    (tmp_path / "empty").mkdir()
    r = run_kg("build", str(tmp_path / "empty"), "-o", str(tmp_path / "out"))
    assert r.returncode == 2 and "holds no input files" in r.stderr


# ---------------------------------------------------------------------------- property-based
_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=300)
_words = st.lists(
    st.sampled_from(
        [
            "LoRA",
            "BERT",
            "GPT-4",
            "GLUE",
            "MMLU",
            "(LLM)",
            "large language models",
            "we propose",
            "evaluate on",
            "Low-Rank Adaptation",
            "<script>",
            "ImageNet",
            "outperforms",
            "dataset",
            "X-Net",
            "é",
            "\u200b",
            "  ",
            "\n",
            ".",
            ",",
        ]
    ),
    max_size=40,
).map(" ".join)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(papers=st.lists(st.tuples(st.one_of(_text, _words), st.one_of(_text, _words)), min_size=1, max_size=6))
def test_random_text_through_the_whole_pipeline(papers, tmp_path_factory):
    from kg.export.html import to_html
    from kg.extract import extract, to_record
    from kg.graph import build_graph, from_node_link, to_node_link
    from kg.link import LinkOptions, cooccurrences, link_papers
    from kg.model import Paper
    from kg.read.clean import clean_line, clean_text
    from kg.read.records import RecordError, to_paper

    inputs = [Paper(id=f"p{i}", title=t.strip() or f"untitled {i}", abstract=a) for i, (t, a) in enumerate(papers)]
    # read: the JSON reader takes every record back, its text cleaned exactly as clean_* says
    for p in inputs:
        rec = json.loads(json.dumps({"id": p.id, "title": p.title, "abstract": p.abstract}))
        if not clean_line(p.title):
            with pytest.raises(RecordError):
                to_paper(rec, "x")
            continue
        q = to_paper(rec, "x")
        assert q.title == clean_line(p.title) and q.abstract == clean_text(p.abstract)
        assert "\n" not in q.title and "  " not in q.title
    corpus = extract(inputs)
    assert len(corpus.extractions) == len(inputs)
    for x in corpus.extractions:
        for m in x.mentions:
            assert x.paper.text(m.field)[m.start : m.end] == m.text
            assert m.entity in corpus.entities
        assert {e for e, _ in x.roles} == {m.entity for m in x.mentions}
        json.dumps(to_record(x, corpus))
    for e in corpus.entities.values():
        assert set(e.papers) == {x.paper.id for x in corpus.extractions if e.id in dict(x.roles)}
    links = link_papers(corpus, LinkOptions(max_df=1.0, min_weight=0.0))
    G = build_graph(corpus, links, cooccurrences(corpus, min_papers=1))
    assert sum(1 for _, d in G.nodes(data=True) if d["kind"] == "Paper") == len(inputs)
    assert sum(1 for _, _, d in G.edges(data=True) if d["kind"] == "MENTIONS") == sum(
        len(x.roles) for x in corpus.extractions
    )
    back = from_node_link(json.loads(json.dumps(to_node_link(G))))
    assert back.number_of_nodes() == G.number_of_nodes() and back.number_of_edges() == G.number_of_edges()
    page = to_html(G, max_nodes=200)
    data = page.split('id="kg-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and ">" not in data  # input text can never close the data block


# ---------------------------------------------------------------------------- hostile Cypher

HOSTILE_IDS = [
    "x'}) DETACH DELETE n //",
    "method:`; MATCH (n) DETACH DELETE n; //`",
    'paper" OR 1=1 //',
    "}]->() DELETE r RETURN 1 //",
    "$rows",
    "\\u0027 CALL dbms.killQueries() //",
]


@pytest.mark.neo4j
def test_hostile_names_and_ids_go_in_as_parameters(neo4j_driver, neo4j_settings):
    import networkx as nx

    from kg.export.neo4j import clear_kg, count_kg, write_neo4j

    db = neo4j_settings.database
    neo4j_driver.execute_query("MERGE (n:Note {id: 'kg-hostile-bystander'}) SET n.text = 'still here'", database_=db)
    try:
        clear_kg(neo4j_driver, database=db)
        G = nx.Graph()
        for hid in HOSTILE_IDS:
            G.add_node(
                f"paper-{hid}",
                kind="Paper",
                title=f"{hid} title",
                abstract=hid,
                date=None,
                year=None,
                authors=[hid],
                n_authors=1,
                organization=None,
                upvotes=None,
                categories=[],
                doi=None,
                url=None,
                sources=[hid],
            )
            G.add_node(hid, kind="Method", name=f"`{hid}`", type="METHOD", aliases=[hid, "'"], paper_count=1)
            G.add_edge(f"paper-{hid}", hid, kind="MENTIONS", role="uses", count=1, confidence=1.0, evidence=hid)
        write_neo4j(G, neo4j_driver, database=db)
        assert count_kg(neo4j_driver, database=db) == (G.number_of_nodes(), G.number_of_edges())
        for hid in HOSTILE_IDS:
            rec, _, _ = neo4j_driver.execute_query(
                "MATCH (p:Paper {id: $pid})-[m:MENTIONS]->(e:Entity {id: $eid}) RETURN p.title AS t, e.name AS n, "
                "e.aliases AS a, m.evidence AS ev",
                pid=f"paper-{hid}",
                eid=hid,
                database_=db,
            )
            assert rec and rec[0]["t"] == f"{hid} title" and rec[0]["n"] == f"`{hid}`"
            assert rec[0]["a"] == [hid, "'"] and rec[0]["ev"] == hid
        rec, _, _ = neo4j_driver.execute_query(
            "MATCH (n:Note {id: 'kg-hostile-bystander'}) RETURN n.text AS t", database_=db
        )
        assert rec[0]["t"] == "still here"
    finally:
        clear_kg(neo4j_driver, database=db)
        neo4j_driver.execute_query("MATCH (n:Note {id: 'kg-hostile-bystander'}) DELETE n", database_=db)


# ---------------------------------------------------------------------------- faults


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.neo4j
def test_neo4j_stopped_in_the_middle_of_an_export(tmp_path, seed_build, neo4j_settings):
    """A second, private server: stop it mid-export, restart it, export again, compare."""
    from kg.export.neo4j import Neo4jSettings, connect, count_kg
    from kg.graph import read_graph

    require(bool(os.environ.get("NEO4J_PASSWORD")), "a Neo4j password in NEO4J_PASSWORD")
    port = free_port()
    env = dict(os.environ, KG_NEO4J_HOME=str(tmp_path / "neo4j"), KG_NEO4J_PORT=str(port))
    script = ROOT / "scripts" / "neo4j.sh"

    def server(action: str) -> None:
        r = subprocess.run([str(script), action], env=env, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr

    server("start")
    try:
        uri = f"bolt://127.0.0.1:{port}"
        kg_env = {"NEO4J_URI": uri, "KG_NEO4J_RETRY_SECONDS": "3"}
        exe = Path(os.sys.executable).with_name("kg")
        proc = subprocess.Popen(
            [str(exe), "export", "neo4j", str(seed_build), "--batch-size", "20"],
            env=dict(os.environ, **kg_env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        settings = Neo4jSettings(uri, "neo4j", os.environ["NEO4J_PASSWORD"], None)
        with connect(settings) as driver:
            deadline = time.monotonic() + 120
            while count_kg(driver)[0] == 0:
                assert time.monotonic() < deadline and proc.poll() is None, "the export never started writing"
                time.sleep(0.2)
        server("stop")  # the server goes away mid-export
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 5, (out, err)
        assert "lost Neo4j at" in err and "run the same export again" in err and "Traceback" not in err
        assert err.strip().count("\n") == 0  # one clear message, nothing else
        server("start")
        r = run_kg("export", "neo4j", str(seed_build), env=kg_env)
        assert r.returncode == 0, r.stderr
        G = read_graph(seed_build)
        with connect(settings) as driver:
            assert count_kg(driver) == (G.number_of_nodes(), G.number_of_edges())
    finally:
        server("stop")


def _interrupt_build(tmp_path, sig: int) -> None:
    recs = corpus_records(1500)
    src = tmp_path / "papers.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in recs))
    out = tmp_path / "out"
    r = run_kg("build", str(DATA / "papers.tsv"), "-o", str(out), "--quiet")
    assert r.returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    exe = Path(os.sys.executable).with_name("kg")
    proc = subprocess.Popen(
        [str(exe), "build", str(src), "-o", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    time.sleep(6)  # reading done, extraction under way
    assert proc.poll() is None, "the build finished before it could be interrupted"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before  # the previous complete outputs, untouched
    assert not [p for p in out.iterdir() if p.name.startswith(".kg-")]  # no staging folder left


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_build_leaves_the_previous_outputs(tmp_path, sig):
    _interrupt_build(tmp_path, sig)
