"""training/assemble.py: a round of annotation from batch files to one annotated file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import training_module


@pytest.fixture(scope="module")
def assemble():
    with training_module("assemble") as module:
        yield module


def _jsonl(path: Path, rows) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def _ent(name, type_="METHOD", introduced=False, aliases=()):
    return {"name": name, "aliases": list(aliases), "type": type_, "introduced": introduced}


ROWS = {
    "p1": ("Flumbo: fast agents", "We propose Flumbo. It beats GPT-4 on MMLU."),
    "p2": ("Zarp", "Zarp is trained on ImageNet."),
    "shared": ("Quux", "We test Quux with BERT."),
    "blind": ("Blind one", "We fine-tune LoRA adapters."),
}


@pytest.fixture
def round_dir(tmp_path):
    def record(i):
        return {"id": i, "title": ROWS[i][0], "abstract": ROWS[i][1]}

    _jsonl(tmp_path / "batch0.jsonl", [record("p1"), record("shared"), record("blind")])
    _jsonl(tmp_path / "batch1.jsonl", [record("shared"), record("p2")])
    _jsonl(
        tmp_path / "entities0.jsonl",
        [
            {"id": "p1", "entities": [_ent("Flumbo", introduced=True), _ent("GPT-4"), _ent("MMLU", "BENCHMARK")]},
            {"id": "shared", "entities": [_ent("Quux", introduced=True), _ent("BERT")]},
            {"id": "blind", "entities": [_ent("LoRA")]},
        ],
    )
    _jsonl(
        tmp_path / "entities1.jsonl",
        [
            {"id": "shared", "entities": [_ent("Quux", introduced=True)]},
            {"id": "p2", "entities": [_ent("Zarp", introduced=True), _ent("ImageNet", "DATASET")]},
        ],
    )
    (tmp_path / "draw.json").write_text(json.dumps({"blind": ["blind"], "shared": ["shared"]}))
    corpus = tmp_path / "annotated.jsonl"
    _jsonl(corpus, [dict(record("blind"), entities=[_ent("LoRA")], spans=[])])
    return tmp_path, corpus


def test_a_round_is_written_once_per_abstract_without_the_blind_ones(assemble, round_dir, capsys):
    folder, corpus = round_dir
    out = folder / "out.jsonl"
    assemble.main([str(folder), str(out), "--annotated", str(corpus)])
    rows = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert set(rows) == {"p1", "p2", "shared"}  # the blind train abstract is only scored
    assert [e["name"] for e in rows["shared"]["entities"]] == ["Quux", "BERT"]  # the first annotation
    spans = {(s["field"], s["text"]) for s in rows["p1"]["spans"]}
    assert spans == {("title", "Flumbo"), ("abstract", "Flumbo"), ("abstract", "GPT-4"), ("abstract", "MMLU")}
    printed = capsys.readouterr().out
    # blind: 1 of 1 entities agree; shared: Quux matches, BERT only in the first annotation
    assert "ours vs the corpus (n=1, blind)" in printed and "ours vs ours (n=1" in printed
    assert "3 abstracts (1 shared), 7 entities" in printed


def test_a_form_the_text_does_not_write_stops_the_round(assemble, round_dir):
    folder, corpus = round_dir
    bad = [json.loads(line) for line in (folder / "entities1.jsonl").read_text().splitlines()]
    bad[1]["entities"].append(_ent("CIFAR-10", "BENCHMARK"))
    bad[1]["entities"][0]["type"] = "MODEL"
    _jsonl(folder / "entities1.jsonl", bad)
    with pytest.raises(SystemExit) as exc:
        assemble.main([str(folder), str(folder / "out.jsonl"), "--annotated", str(corpus)])
    message = str(exc.value)
    assert "batch1 p2: 'CIFAR-10' is not written in the record" in message
    assert "bad type or introduced" in message
    assert not (folder / "out.jsonl").exists()
