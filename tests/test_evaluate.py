"""kg eval: the fixed splits of the annotated arXiv abstracts and the paper-level measure."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from conftest import ANNOTATED, require

from kg.evaluate import Score, _match, arxiv_cv_split, arxiv_fold, arxiv_split, format_cross_validation, norm_name


@pytest.fixture(scope="module")
def ids() -> list[str]:
    require(ANNOTATED.exists(), f"the annotated arXiv abstracts in {ANNOTATED}")
    return [json.loads(line)["id"] for line in ANNOTATED.read_text().splitlines() if line.strip()]


def test_the_split_is_fixed_and_about_80_10_10(ids):
    split = Counter(arxiv_split(i) for i in ids)
    assert set(split) == {"train", "dev", "test"}
    assert 0.17 < split["test"] / len(ids) < 0.23 and 0.07 < split["dev"] / len(ids) < 0.13
    # the test split is exactly cross-validation fold 0
    assert {i for i in ids if arxiv_split(i) == "test"} == {i for i in ids if arxiv_fold(i) == 0}


@pytest.mark.parametrize("fold", [1, 2, 3, 4])
def test_no_cross_validation_model_sees_the_test_split_or_its_own_fold(ids, fold):
    splits = {i: arxiv_cv_split(i, fold) for i in ids}
    for i, s in splits.items():
        if arxiv_split(i) == "test":
            assert s == "unused"
        elif arxiv_fold(i) == fold:
            assert s == "test"
        else:
            assert s in ("train", "dev")
    assert Counter(splits.values())["dev"] > 100  # every fold has a dev part for its checkpoints


def test_paper_level_matching_is_one_to_one_by_any_written_form():
    gold = [({norm_name("Low-Rank Adaptation"), norm_name("LoRA")}, "METHOD"), ({norm_name("GLUE")}, "BENCHMARK")]
    pred = [({norm_name("LoRAs")}, "METHOD"), ({norm_name("lora")}, "METHOD"), ({norm_name("GLUE")}, "DATASET")]
    assert _match(gold, pred, typed=True) == (1, 1)  # one LoRA matches once; GLUE has the wrong type
    assert _match(gold, pred, typed=False) == (2, 2)
    s = Score("x", "ALL", tp_pred=1, n_pred=3, tp_gold=1, n_gold=2)
    assert (round(s.precision, 3), s.recall, round(s.f1, 3)) == (0.333, 0.5, 0.4)


def test_the_cross_validation_figure_is_printed_with_its_folds():
    cv = {"date": "2026-11-30", "ALL": {"mean": 0.8, "stdev": 0.02, "per_fold": [0.78, 0.8, 0.82, 0.79, 0.81]}}
    text = format_cross_validation(cv)
    assert "0.800 ± 0.020" in text and "0.780 0.800 0.820 0.790 0.810" in text


def test_annotated_rows_are_extracted_inside_a_larger_corpus_and_only_they_come_back():
    from kg.evaluate import extract_rows
    from kg.model import Paper

    rows = [{"id": "row", "title": "Robust detection", "abstract": "We evaluate our detector on COCO and LVIS."}]
    background = [
        Paper(id=f"bg{i}", title="Detection at scale", abstract="Experiments on COCO show gains over prior work.")
        for i in range(3)
    ]
    alone, inside = extract_rows(rows), extract_rows(rows, background=background)
    assert [x.paper.id for x in inside.extractions] == ["row"]
    coco = [e for e in inside.entities.values() if e.name == "COCO"]
    assert coco and set(coco[0].papers) == {"row", "bg0", "bg1", "bg2"}  # the entity spans the whole corpus
    assert [e.papers for e in alone.entities.values() if e.name == "COCO"] == [("row",)]
