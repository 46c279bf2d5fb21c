"""Shared fixtures: paths to the shared data, a built seed graph, the real components.

A test that needs a real component (Neo4j, Chromium, a Jupyter kernel) asks for it through
:func:`require`: on CI (``CI=true``) a missing component fails the test, elsewhere it skips.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()
SEEDS = SHARED / "seeds"
DEV = SHARED / "data" / "dev"
CORPUS = SHARED / "data" / "corpora" / "arxiv_cs"
ANNOTATED = SHARED / "data" / "train" / "arxiv_annotated" / "annotated.jsonl"
DATA = Path(__file__).parent / "data"
ARTIFACTS = Path(__file__).parent / "artifacts"
TRAINING = ROOT / "training"

ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(ok: bool, what: str) -> None:
    """Fail on CI, skip elsewhere, when a real component the test needs is missing."""
    if ok:
        return
    if ON_CI:
        pytest.fail(f"{what} is missing on CI (scripts/test.sh installs and starts it)", pytrace=False)
    pytest.skip(f"{what} is not available here (scripts/test.sh provides it)")


@contextmanager
def training_module(name: str) -> Iterator[ModuleType]:
    """A script of ``training/`` imported as a module (the scripts import their siblings by name)."""
    sys.path.insert(0, str(TRAINING))
    try:
        yield importlib.import_module(name)
    finally:
        sys.path.remove(str(TRAINING))


def seed_files() -> list[Path]:
    files = sorted(SEEDS.glob("*.txt"))
    require(bool(files), f"the seed pages in {SEEDS}")
    return files


def run_kg(
    *args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 600
) -> subprocess.CompletedProcess:
    """Run the real ``kg`` command line (the installed console script) and capture its output."""
    exe = Path(sys.executable).with_name("kg")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "kg.cli"]
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run(
        cmd + list(args), cwd=cwd or ROOT, env=full_env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="session")
def seeds() -> list[Path]:
    return seed_files()


@pytest.fixture(scope="session")
def seed_papers(seeds):
    from kg.read import read_papers

    return read_papers(seeds)


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory, seeds) -> Path:
    """The output folder of ``kg build`` on the five seed pages (built once per session)."""
    out = tmp_path_factory.mktemp("seed-build") / "kg-out"
    r = run_kg("build", *map(str, seeds), "-o", str(out), "--quiet")
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="session")
def seed_graph(seed_build):
    from kg.graph import read_graph

    return read_graph(seed_build)


@pytest.fixture(scope="session")
def nlp():
    from kg.extract import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def neo4j_settings():
    from kg.export.neo4j import Neo4jSettings

    settings = Neo4jSettings.from_env()
    require(bool(os.environ.get("NEO4J_PASSWORD")), "a Neo4j server (NEO4J_URI / NEO4J_PASSWORD)")
    return settings


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_settings):
    from kg.errors import Neo4jError
    from kg.export.neo4j import connect

    try:
        driver = connect(neo4j_settings, retry_seconds=5)
    except Neo4jError as exc:
        require(False, f"a running Neo4j server ({exc})")
    yield driver
    driver.close()


@pytest.fixture(scope="session")
def chromium() -> str:
    path = os.environ.get("KG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    require(bool(path) and Path(path).exists(), "Debian's chromium")
    return path


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
