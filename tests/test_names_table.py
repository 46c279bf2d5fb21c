"""training/names.py's counting and kg.extract.frequency's reading of the table it writes."""

from __future__ import annotations

import gzip

import pytest
from conftest import training_module

from kg.extract.frequency import format_kinds, kind_features, load_frequencies


@pytest.fixture(scope="module")
def names():
    with training_module("names") as module:
        yield module


def test_kind_nouns_are_counted_per_abstract_nearest_first_within_the_sentence(names):
    texts = [
        ("Flumbo: a benchmark for agents", "We release the Flumbo benchmark. Models fail on Flumbo."),
        ("", "Flumbo is a dataset of tasks; other models train on it."),
        ("", "We test GPT-4 on Flumbo. The dataset of the next sentence does not count."),
    ]
    df, kinds = names.count_written(texts, {"flumbo", "gpt-4"})
    assert df["flumbo"] == 3 and df["gpt-4"] == 1
    # abstract 1: "benchmark" (title and first sentence: once per abstract) and "models" (its
    # second sentence); abstract 2: "dataset", nearer on the right than "models"; abstract 3:
    # no kind noun in the sentence of either name ("dataset" is in the next one)
    assert dict(kinds["flumbo"]) == {"benchmark": 1, "dataset": 1, "model": 1}
    assert "gpt-4" not in kinds


def test_the_table_names_py_writes_is_the_table_kg_reads(names, tmp_path):
    df, kinds = names.count_written([("", "Results on the MMLU benchmark. MMLU benchmark scores rise.")] * 3, {"mmlu"})
    path = tmp_path / "names.tsv.gz"
    line = f"mmlu\t{df['mmlu']}\t{df['mmlu']}\t{format_kinds(kinds['mmlu'].items())}\n"
    path.write_bytes(gzip.compress(f"# abstracts\t3\n{line}".encode()))
    table = load_frequencies(str(path))
    assert table["mmlu"].written == 3 and dict(table["mmlu"].kinds) == {"benchmark": 3}
    assert kind_features(["MMLU"], table) == {"ckind:benchmark"}
    # a table of three columns (written before the kinds were counted) still reads
    path.write_bytes(gzip.compress(b"mmlu\t3\t3\n"))
    load_frequencies.cache_clear()
    assert load_frequencies(str(path))["mmlu"].kinds == ()
