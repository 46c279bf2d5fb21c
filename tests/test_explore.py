"""Asking the graph: stats, similar papers, entity lookup (on the seed graph)."""

from __future__ import annotations

import pytest

from kg.errors import LookupNotFoundError
from kg.explore import communities, entity_info, find_entity, find_paper, graph_stats, similar_papers


def test_stats_counts_match_the_graph(seed_graph):
    s = graph_stats(seed_graph, top=5)
    kinds = {}
    for _, d in seed_graph.nodes(data=True):
        kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
    assert s["nodes"] == kinds and s["nodes"]["Paper"] == 422
    methods = s["top_entities"]["Method"]
    assert len(methods) == 5
    assert [m["papers"] for m in methods] == sorted((m["papers"] for m in methods), reverse=True)
    assert methods[0]["papers"] == max(
        d["paper_count"] for _, d in seed_graph.nodes(data=True) if d["kind"] == "Method"
    )
    assert s["components"]["count"] >= 1 and s["components"]["largest"] <= 422
    assert s["communities"] and all(c["label"] for c in s["communities"])


def test_communities_partition_linked_papers(seed_graph):
    coms = communities(seed_graph, top=1000)
    seen = [p for c in coms for p in c["papers"]]
    assert len(seen) == len(set(seen))
    assert all(seed_graph.nodes[p]["kind"] == "Paper" for p in seen)


def test_similar_papers_are_explained(seed_graph):
    pid = find_paper(seed_graph, "Qwen2.5 Technical Report")
    rows = similar_papers(seed_graph, pid)
    assert rows and rows == sorted(rows, key=lambda r: -r["weight"])
    for r in rows:
        assert seed_graph.edges[pid, r["id"]]["kind"] == "RELATED" and r["shared"]
    assert find_paper(seed_graph, "qwen2.5 technical") == pid


@pytest.mark.parametrize("query", ["LoRA", "lora", "Low-Rank Adaptation", "low rank adaptation", "method:lora"])
def test_entity_lookup_accepts_aliases_and_case(seed_graph, query):
    assert find_entity(seed_graph, query) == "method:lora"


def test_entity_info_groups_papers_by_role(seed_graph):
    info = entity_info(seed_graph, "LLMs")
    assert info["id"] == "method:large-language-model"
    total = sum(len(v) for v in info["papers"].values())
    assert (
        total
        == info["paper_count"]
        == seed_graph.degree(info["id"])
        - sum(1 for n in seed_graph.neighbors(info["id"]) if seed_graph.nodes[n]["kind"] != "Paper")
    )
    assert info["co_occurs"] and info["co_occurs"][0]["papers"] >= info["co_occurs"][-1]["papers"]


def test_unknown_names_suggest_close_ones(seed_graph):
    with pytest.raises(LookupNotFoundError, match="did you mean"):
        find_entity(seed_graph, "LoRAA")
    with pytest.raises(LookupNotFoundError):
        find_paper(seed_graph, "zzzz no such paper zzzz")


# ---------------------------------------------------------------------------- ambiguity and families
import json  # noqa: E402

from conftest import run_kg  # noqa: E402

from kg.explore import AmbiguousNameError  # noqa: E402


def test_a_title_part_fitting_several_papers_is_said(seed_graph):
    with pytest.raises(AmbiguousNameError) as exc:
        find_paper(seed_graph, "Learning")
    rows = exc.value.candidates
    assert len(rows) > 10 and all("learning" in r["title"].lower() for r in rows)
    assert "--first" in str(exc.value) and rows[0]["id"] in str(exc.value)
    assert find_paper(seed_graph, "Learning", first=True) == rows[0]["id"]


@pytest.fixture(scope="module")
def homonym_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("homonyms")
    records = [
        {
            "id": "2401.00001",
            "title": "Adapters",
            "abstract": "We fine-tune LLaMA with Low-Rank Adaptation (LoRA) on a single GPU. LoRA reduces trainable parameters.",
        },
        {
            "id": "2401.00002",
            "title": "Cheap tuning",
            "abstract": "Our adapters are trained with LoRA and evaluated on GSM8K.",
        },
        {
            "id": "2401.00003",
            "title": "Railway safety",
            "abstract": "Confirmed threats are transmitted via LoRa (868 MHz) to alert the locomotive driver. LoRa communication achieved 100% packet delivery across 1-2 km in field trials.",
        },
        {
            "id": "2401.00004",
            "title": "Impersonation",
            "abstract": "We fine-tune Llama-3.1-8B-Instruct and compare it with Llama 3.1 and Llama 3.",
        },
        {
            "id": "2401.00005",
            "title": "Scaling laws",
            "abstract": "We train Llama 3 and LLaMA on web text and report accuracy on GSM8K.",
        },
        {
            "id": "2401.00006",
            "title": "Promptable segmentation",
            "abstract": "We adapt the Segment Anything Model (SAM) to medical images. SAM is prompted with boxes.",
        },
        {
            "id": "2401.00007",
            "title": "Flat minima",
            "abstract": "Sharpness-Aware Minimization (SAM) improves generalization by seeking flat minima. We make SAM cheaper for training ResNet-50 on CIFAR-10.",
        },
        {
            "id": "2401.00008",
            "title": "Medical prompts",
            "abstract": "Segment Anything Model (SAM) fails on ultrasound images; we fine-tune SAM with adapters.",
        },
    ]
    src = folder / "papers.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    out = folder / "out"
    r = run_kg("build", str(src), "-o", str(out), "--quiet", "--no-html")
    assert r.returncode == 0, r.stderr
    return out


def test_kg_entity_lists_the_entities_a_name_fits(homonym_build):
    r = run_kg("entity", str(homonym_build), "sam")
    assert r.returncode == 4 and "Traceback" not in r.stderr, r.stderr
    assert "method:sam" in r.stderr and "method:sharpness-aware-minimization" in r.stderr
    assert "2 papers" in r.stderr and "1 paper" in r.stderr and "--first" in r.stderr
    r = run_kg("entity", str(homonym_build), "sam", "--first")  # the one in more papers
    assert r.returncode == 0 and r.stdout.startswith("SAM  [method:sam, METHOD, 2 papers]"), r.stdout
    r = run_kg("entity", str(homonym_build), "Sharpness-Aware Minimization")  # an exact name is not ambiguous
    assert r.returncode == 0 and "[method:sharpness-aware-minimization" in r.stdout.splitlines()[0]


def test_kg_entity_rolls_a_family_up(homonym_build):
    r = run_kg("entity", str(homonym_build), "Llama 3", "--json")
    info = json.loads(r.stdout)
    assert [v["name"] for v in info["variants"]] == ["Llama 3.1", "Llama-3.1-8B-Instruct"]
    assert [f["name"] for f in info["family"]] == ["LLaMA"]
    assert info["paper_count"] == 2 and info["family_paper_count"] == 2
    r = run_kg("entity", str(homonym_build), "LLaMA", "--family", "--json")
    info = json.loads(r.stdout)
    papers = {p["id"]: p["via"] for ps in info["papers"].values() for p in ps}
    assert set(papers) == {"arxiv:2401.00001", "arxiv:2401.00004", "arxiv:2401.00005"}
    assert papers["arxiv:2401.00004"] in ("Llama 3", "Llama 3.1", "Llama-3.1-8B-Instruct")
    assert info["family_paper_count"] == 3 and info["paper_count"] == 2
    r = run_kg("entity", str(homonym_build), "Llama 3", "--family")
    assert r.returncode == 0 and "variants (2): Llama 3.1 (1), Llama-3.1-8B-Instruct (1)" in r.stdout


def test_kg_similar_lists_the_papers_a_title_fits(seed_build):
    r = run_kg("similar", str(seed_build), "Learning")
    assert r.returncode == 4 and "fits" in r.stderr and "papers" in r.stderr and "Traceback" not in r.stderr
    r = run_kg("similar", str(seed_build), "Learning", "--first")
    assert r.returncode == 0 and r.stdout.strip()


def test_stats_report_the_resolution_measures(seed_graph):
    from kg.explore import resolution_stats

    r = resolution_stats(seed_graph)
    assert r["several_ids"]["count"] == 0
    assert r["variants"] == sum(1 for _, d in seed_graph.nodes(data=True) if d.get("family")) > 10
    for h in r["alias_is_other_name"]["examples"]:
        names = {o["name"] for o in h["other"]}
        assert set(h["aliases"]) <= names
