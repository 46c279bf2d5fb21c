"""training/assemble.py: a round of annotation from batch files to one annotated file."""

from __future__ import annotations

import gzip
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


@pytest.fixture(scope="module")
def draw():
    with training_module("draw") as module:
        yield module


def test_a_draw_by_words_reads_unannotated_data_use_first_and_can_be_repeated(draw, tmp_path, monkeypatch):
    from kg.evaluate import arxiv_split

    train_ids = [i for i in (f"2501.{n:05d}" for n in range(400)) if arxiv_split(i) == "train"][:40]
    corpus = tmp_path / "annotated.jsonl"
    _jsonl(corpus, [{"id": i, "title": "T", "abstract": "A.", "entities": [_ent("LoRA")]} for i in train_ids])
    pool = [{"id": f"p{n}", "title": f"Paper {n}", "abstract": "We propose a method."} for n in range(8)]
    for n in range(5):  # five write how data was used
        pool[n]["abstract"] = "We collected a new corpus." if n % 2 else "Our model is trained on web text."
    pool += [
        {"id": "done-here", "title": "x", "abstract": "A dataset."},
        {"id": train_ids[0], "title": "x", "abstract": "A dataset."},
    ]
    with gzip.open(tmp_path / "pool.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in pool)
    data = tmp_path / "data"
    data.mkdir()
    _jsonl(data / "pool-annotated.jsonl", [{"id": "done-here", "entities": []}])
    monkeypatch.setattr(draw, "DATA", data)

    def run(out):
        draw.main(
            [
                str(out),
                "--annotated",
                str(corpus),
                "--by",
                "words",
                "--batches",
                "2",
                "--size",
                "3",
                "--others",
                "1",
                "--seed",
                "7",
            ]
        )
        return {f.name: f.read_bytes() for f in sorted(out.iterdir())}

    first = run(tmp_path / "a")
    assert first == run(tmp_path / "b")  # the same seed draws the same round
    batches = [[json.loads(line) for line in first[f"batch{b}.jsonl"].splitlines()] for b in range(2)]
    plan = json.loads(first["draw.json"])
    drawn = {r["id"] for batch in batches for r in batch} - set(plan["blind"])
    assert drawn == {"p0", "p1", "p2", "p3", "p4"} | (drawn & {"p5", "p6", "p7"})  # all five with data words
    assert len(drawn) == 6 and "done-here" not in drawn  # 2 x 3, nothing annotated before
    assert all(len(batch) == 3 + 2 for batch in batches)  # plus one blind and one shared abstract
    assert set(plan["blind"]) <= set(train_ids) and len(plan["blind"]) == 2
    for b, batch in enumerate(batches):  # each batch's shared abstract is in the next batch too
        assert plan["shared"][b] in {r["id"] for r in batch} & {r["id"] for r in batches[(b + 1) % 2]}
    examples = [json.loads(line) for line in first["examples.jsonl"].splitlines()]
    assert len(examples) == 30 and not {r["id"] for r in examples} & set(plan["blind"])
