"""kg installed the ordinary way: a wheel built from the repo, installed with its declared
dependencies (from the package index) into a fresh venv outside the source tree, and run
there -- the models, the page assets and the query library travel inside the install."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


def _run(*args, cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess:
    r = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, f"{args}: {r.stderr[-2000:]}"
    return r


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("installed")
    _run(sys.executable, "-m", "venv", "venv", cwd=where)
    pip = where / "venv" / "bin" / "pip"
    _run(pip, "install", "--quiet", "--upgrade", "pip", cwd=where)
    _run(pip, "wheel", "--quiet", "--no-deps", "-w", "dist", ROOT, cwd=where)
    (wheel,) = (where / "dist").glob("kg-*.whl")
    _run(pip, "install", "--quiet", wheel, cwd=where)
    return where


def test_the_wheel_builds_a_seed_page_and_finds_its_queries_outside_the_source_tree(installed):
    kg = installed / "venv" / "bin" / "kg"
    page = sorted(p for p in SEEDS.glob("*.txt"))[0]
    r = _run(kg, "build", page, "-o", "out", "--quiet", cwd=installed)
    assert "papers read" in r.stdout
    build = json.loads((installed / "out" / "build.json").read_text())
    assert build["papers"] > 10 and (installed / "out" / "graph.html").stat().st_size > 100_000
    r = _run(kg, "query", "--list", cwd=installed)
    names = {line.split()[0] for line in r.stdout.splitlines() if line.strip()}
    shipped = {p.stem for p in (ROOT / "queries").glob("*.cypher")}
    assert shipped and shipped <= names
    # kg runs from the install, not from this checkout
    r = _run(installed / "venv" / "bin" / "python", "-c", "import kg, sys; print(kg.__file__)", cwd=installed)
    assert str(ROOT) not in r.stdout
