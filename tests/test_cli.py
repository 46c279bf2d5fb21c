"""The real ``kg`` command line, run as a user runs it."""

from __future__ import annotations

import json

import pytest
from conftest import DATA, DEV, require, run_kg

COMMANDS = ["build", "extract", "eval", "stats", "similar", "entity", "query", "export html", "export neo4j"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    r = run_kg(*command.split(), "--help")
    assert r.returncode == 0, r.stderr
    assert "Example" in r.stdout


def test_build_writes_the_output_folder(seed_build):
    names = sorted(p.name for p in seed_build.iterdir())
    assert names == [
        "build.json",
        "entities.jsonl",
        "graph.graphml",
        "graph.html",
        "graph.json",
        "mentions.jsonl",
        "papers.jsonl",
    ]
    manifest = json.loads((seed_build / "build.json").read_text())
    assert manifest["papers"] == 422
    papers = [json.loads(line) for line in (seed_build / "papers.jsonl").read_text().splitlines()]
    mentions = [json.loads(line) for line in (seed_build / "mentions.jsonl").read_text().splitlines()]
    assert len(papers) == len(mentions) == 422
    assert [p["id"] for p in papers] == [m["id"] for m in mentions]
    entities = [json.loads(line) for line in (seed_build / "entities.jsonl").read_text().splitlines()]
    assert sum(manifest["entities"].values()) == len(entities)
    assert not list(seed_build.parent.glob(".kg-*")) and not list(seed_build.glob(".kg-*"))  # no staging left


def test_build_summary_and_rebuild_replaces_the_folder(tmp_path):
    out = tmp_path / "out"
    for _ in range(2):
        r = run_kg("build", str(DATA / "arxiv_snapshot.jsonl"), str(DATA / "papers.tsv"), "-o", str(out), "--quiet")
        assert r.returncode == 0, r.stderr
    assert "4 papers read" in r.stdout and "links between papers" in r.stdout
    assert len((out / "papers.jsonl").read_text().splitlines()) == 4


SMALL = str(DATA / "papers.tsv")


def test_build_refuses_a_folder_with_files_kg_did_not_write(tmp_path):
    d = tmp_path / "d"
    (d / "sub").mkdir(parents=True)
    (d / "keep.txt").write_text("x")
    d.chmod(0o755)
    r = run_kg("build", SMALL, "-o", str(d), "--quiet")
    assert r.returncode == 2 and "[E110]" in r.stderr and "keep.txt" in r.stderr and "--force" in r.stderr
    assert "Traceback" not in r.stderr
    assert sorted(p.name for p in d.iterdir()) == ["keep.txt", "sub"]
    assert (d / "keep.txt").read_text() == "x" and oct(d.stat().st_mode & 0o777) == "0o755"


def test_build_with_force_adds_its_files_and_touches_nothing_else(tmp_path):
    d = tmp_path / "d"
    (d / "sub").mkdir(parents=True)
    (d / "keep.txt").write_text("x")
    r = run_kg("build", SMALL, "-o", str(d), "--quiet", "--force")
    assert r.returncode == 0, r.stderr
    names = {p.name for p in d.iterdir()}
    assert {"keep.txt", "sub", "build.json", "graph.json", "papers.jsonl"} <= names
    assert (d / "keep.txt").read_text() == "x" and (d / "sub").is_dir()
    assert not [n for n in names if n.startswith(".kg-")]


def test_rebuilding_a_kg_folder_keeps_the_users_own_files(tmp_path):
    out = tmp_path / "out"
    assert run_kg("build", SMALL, "-o", str(out), "--quiet").returncode == 0
    (out / "notes.md").write_text("mine")
    r = run_kg("build", SMALL, "-o", str(out), "--quiet", "--no-html")
    assert r.returncode == 0, r.stderr
    names = {p.name for p in out.iterdir()}
    assert "notes.md" in names and (out / "notes.md").read_text() == "mine"
    assert "graph.html" not in names  # kg's own file from the previous build, not written again


@pytest.mark.parametrize("target", [".", "", "/", "~", "INPUT_DIR"])
def test_build_refuses_dangerous_output_folders_up_front(tmp_path, target):
    src = tmp_path / "in" / "papers.tsv"
    src.parent.mkdir()
    src.write_text((DATA / "papers.tsv").read_text())
    work = tmp_path / "work"
    work.mkdir()
    (work / "keep.txt").write_text("x")
    out = str(src.parent) if target == "INPUT_DIR" else target
    for force in ([], ["--force"]):
        r = run_kg("build", str(src), "-o", out, "--quiet", *force, cwd=work)
        assert r.returncode == 2 and "[E110]" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert sorted(p.name for p in work.iterdir()) == ["keep.txt"]
    assert sorted(p.name for p in src.parent.iterdir()) == ["papers.tsv"]


def _unwritable(folder):
    """A folder this process cannot write to: immutable for root (which ignores modes), 0555 otherwise."""
    import os
    import shutil
    import subprocess

    folder.mkdir()
    if os.geteuid() == 0:
        require(shutil.which("chattr") is not None, "chattr (e2fsprogs)")
        r = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
        require(r.returncode == 0, f"chattr +i on {folder} ({r.stderr.decode().strip()})")
        return lambda: subprocess.run(["chattr", "-i", str(folder)], check=True)
    folder.chmod(0o555)
    return lambda: folder.chmod(0o755)


@pytest.mark.parametrize("sub", ["", "new"])
def test_an_unwritable_output_is_reported_before_any_work(tmp_path, sub):
    ro = tmp_path / "ro"
    undo = _unwritable(ro)
    try:
        out = ro / sub if sub else ro
        r = run_kg("build", str(DATA / "arxiv_snapshot.jsonl"), "-o", str(out))
    finally:
        undo()
    assert r.returncode == 2 and "[E110]" in r.stderr and "cannot write" in r.stderr, r.stderr
    assert "internal error" not in r.stderr and "Traceback" not in r.stderr
    assert "extracting" not in r.stderr  # refused before the extraction started
    assert len(r.stderr.strip().splitlines()) == 1


def test_extract_refuses_to_overwrite_its_input(tmp_path):
    src = tmp_path / "papers.tsv"
    src.write_text((DATA / "papers.tsv").read_text())
    before = src.read_bytes()
    r = run_kg("extract", str(src), "-o", str(src))
    assert r.returncode == 2 and "[E110]" in r.stderr
    assert src.read_bytes() == before


def test_outputs_follow_the_umask(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "out"
    code = (
        "import os, sys; os.umask(0o022); from kg.cli import main; "
        f"sys.exit(main(['build', {SMALL!r}, '-o', {str(out)!r}, '--quiet']))"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
    assert oct(out.stat().st_mode & 0o777) == "0o755"
    assert {oct(p.stat().st_mode & 0o777) for p in out.iterdir()} == {"0o644"}


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_extract_and_export_html_outputs_follow_the_umask(tmp_path, seed_build, umask):
    """Defect 9 for the other writers: ``kg extract -o`` and ``kg export html -o``."""
    import subprocess
    import sys

    mentions, page = tmp_path / "new" / "m.jsonl", tmp_path / "page.html"
    code = (
        f"import os, sys; os.umask({umask}); from kg.cli import main; "
        f"sys.exit(main(['--quiet', 'extract', {SMALL!r}, '-o', {str(mentions)!r}]) or "
        f"main(['export', 'html', {str(seed_build)!r}, '--max-nodes', '50', '-o', {str(page)!r}]))"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
    assert oct(mentions.stat().st_mode & 0o777) == oct(0o666 & ~umask)
    assert oct(page.stat().st_mode & 0o777) == oct(0o666 & ~umask)


def test_force_never_replaces_a_users_file_named_like_kgs(tmp_path):
    """--force adds kg's files to a foreign folder, but a user's own papers.jsonl is never replaced."""
    d = tmp_path / "d"
    d.mkdir()
    (d / "papers.jsonl").write_text("my papers\n")
    r = run_kg("build", SMALL, "-o", str(d), "--quiet", "--force")
    assert r.returncode == 2 and "[E110]" in r.stderr and "papers.jsonl" in r.stderr and "Traceback" not in r.stderr
    assert (d / "papers.jsonl").read_text() == "my papers\n" and sorted(p.name for p in d.iterdir()) == ["papers.jsonl"]


def test_a_glob_that_matches_the_output_is_refused(tmp_path):
    """``kg extract 'd/*.jsonl' -o d/a.jsonl`` would read a.jsonl and then replace it."""
    d = tmp_path / "d"
    d.mkdir()
    src = d / "a.jsonl"
    src.write_text((DATA / "arxiv_snapshot.jsonl").read_text())
    before = src.read_bytes()
    r = run_kg("extract", str(d / "*.jsonl"), "-o", str(src))
    assert r.returncode == 2 and "[E110]" in r.stderr and "is the input" in r.stderr, r.stderr
    r = run_kg("extract", str(d), "-o", str(d / "mentions.jsonl"))
    assert r.returncode == 2 and "inside the input folder" in r.stderr, r.stderr
    r = run_kg("build", str(d / "*.jsonl"), "-o", str(d), "--force", "--quiet")
    assert r.returncode == 2 and "holds the input" in r.stderr, r.stderr
    assert src.read_bytes() == before and sorted(p.name for p in d.iterdir()) == ["a.jsonl"]


def test_a_build_inside_its_input_folder_does_not_read_its_own_outputs(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "papers.tsv").write_text((DATA / "papers.tsv").read_text())
    for _ in range(2):
        r = run_kg("build", str(data), "-o", str(data / "kg-out"), "--quiet")
        assert r.returncode == 0, r.stderr
        assert "2 papers read;" in r.stdout and "warning" not in r.stderr, r.stderr


def test_build_says_how_many_duplicates_were_merged_and_lists_them(tmp_path):
    """Defect 8: the same paper twice in a BibTeX file is merged, and the summary says so."""
    out = tmp_path / "out"
    r = run_kg("build", str(DATA / "awesome.bib"), "-o", str(out), "--quiet")
    assert r.returncode == 0, r.stderr
    assert f'3 papers read (1 duplicate record merged: listed under "duplicates" in {out}/build.json)' in r.stdout
    manifest = json.loads((out / "build.json").read_text())
    assert manifest["papers"] == 3 and manifest["merged"] == 1
    (dup,) = manifest["duplicates"]
    assert dup["title"] == "Attention Is All You Need"
    assert [x.rsplit(": ", 1)[1] for x in dup["records"]] == [
        "line 10 (vaswani2017attention)",
        "line 22 (NIPS2017_3f5ee243)",
    ]
    r = run_kg("build", SMALL, "-o", str(out), "--quiet")
    assert "2 papers read;" in r.stdout and "merged" not in r.stdout  # nothing said when nothing was merged


def test_progress_bar_starts_with_the_first_result():
    """Defect 10: the time before the first result (loading the model) is not in the estimate."""
    import io
    import time

    from kg.cli import _progress

    def results():
        time.sleep(1.5)  # the model loading
        yield from range(20)

    out = io.StringIO()
    assert list(_progress(False, file=out, disable=False)(results(), "extracting", 20)) == list(range(20))
    final = out.getvalue().replace("\r", "\n").strip().splitlines()[-1]
    assert "20/20 [00:00<00:00" in final, final  # 1.5 s would show as 00:01


def test_extract_writes_one_line_per_paper_in_input_order(tmp_path):
    out = tmp_path / "m.jsonl"
    r = run_kg("extract", str(DATA / "arxiv_snapshot.jsonl"), "-o", str(out), "--quiet")
    assert r.returncode == 0, r.stderr
    recs = [json.loads(line) for line in out.read_text().splitlines()]
    assert [x["id"] for x in recs] == ["arxiv:1706.03762", "arxiv:2106.09685"]
    lora = recs[1]
    assert any(e["id"] == "method:lora" and e["role"] == "introduces" for e in lora["entities"])


def test_extract_reads_plain_id_title_abstract_jsonl(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps(
            {"id": "x1", "title": "Fine-tuning BERT on SQuAD", "abstract": "We fine-tune BERT and report F1 on SQuAD."}
        )
        + "\n"
    )
    r = run_kg("extract", str(src), "-o", "-")
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)
    assert rec["id"] == "x1"
    types = {e["name"]: e["type"] for e in rec["entities"]}
    assert types["BERT"] == "METHOD" and types["SQuAD"] == "BENCHMARK"


@pytest.mark.parametrize(
    "setup,expect",
    [
        (lambda p: None, "no such file or directory"),
        (lambda p: p.write_text(""), "file is empty"),
        (lambda p: p.write_bytes(b"\x00\x01\x02binary\xff" * 100), "binary"),
    ],
)
def test_bad_input_gives_a_clear_message_and_no_traceback(tmp_path, setup, expect):
    path = tmp_path / "input.jsonl"
    setup(path)
    r = run_kg("build", str(path), "-o", str(tmp_path / "out"))
    assert r.returncode == 2
    assert expect in r.stderr and str(path) in r.stderr
    assert "Traceback" not in r.stderr + r.stdout


def test_broken_records_warn_and_strict_fails(tmp_path):
    src = tmp_path / "mixed.jsonl"
    good = (DATA / "arxiv_snapshot.jsonl").read_text().splitlines()
    src.write_text(good[0] + "\n{oops\n" + good[1] + "\n")
    r = run_kg("build", str(src), "-o", str(tmp_path / "out"), "--quiet")
    assert r.returncode == 0
    assert f"warning: {src}: line 2: not valid JSON" in r.stderr and "2 papers read" in r.stdout
    r = run_kg("build", str(src), "-o", str(tmp_path / "out2"), "--strict")
    assert r.returncode == 2 and "line 2" in r.stderr and "Traceback" not in r.stderr
    # defect 10: it says that it stopped, not that it skipped the record
    assert "stopped here (--strict" in r.stderr and "skipped" not in r.stderr, r.stderr
    assert not (tmp_path / "out2").exists()


def test_stats_similar_entity_on_the_seed_build(seed_build):
    r = run_kg("stats", str(seed_build))
    assert r.returncode == 0 and "nodes: Paper 422" in r.stdout and "communities:" in r.stdout
    r = run_kg("similar", str(seed_build), "Qwen2.5 Technical Report", "--json")
    rows = json.loads(r.stdout)
    assert rows and all(row["shared"] for row in rows)
    r = run_kg("entity", str(seed_build), "low-rank adaptation")
    assert r.returncode == 0 and r.stdout.startswith("LoRA  [method:lora")
    r = run_kg("entity", str(seed_build), "no such thing at all")
    assert r.returncode == 4 and "no entity named" in r.stderr


def test_export_html_views(seed_build, tmp_path):
    for view in ("paper-paper", "entity"):
        out = tmp_path / f"{view}.html"
        r = run_kg("export", "html", str(seed_build), "--view", view, "-o", str(out), "--max-nodes", "300")
        assert r.returncode == 0, r.stderr
        assert out.stat().st_size > 100_000 and "<script" in out.read_text()


def test_eval_prints_the_table():
    require((DEV / "seed_gold_dev.jsonl").exists(), "the annotated dev sets")
    r = run_kg("eval", "--data", str(DEV), "--set", "seed", "--json")
    assert r.returncode == 0, r.stderr
    rows = {(s["dataset"], s["measure"]): s for s in json.loads(r.stdout)}
    assert rows[("seed dev (paper-level)", "ALL")]["n_gold"] == 157
    assert 0 < rows[("seed dev (paper-level)", "METHOD")]["f1"] <= 1
