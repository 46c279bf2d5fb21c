"""The whole pipeline in one call: read -> extract -> link -> graph -> write.

:func:`build` is what ``kg build`` runs. The output folder holds::

    papers.jsonl     one paper per line (every field the readers found)
    mentions.jsonl   one line per paper: its mentions and entities (the ``kg extract`` format)
    entities.jsonl   one line per entity: id, name, type, aliases, papers
    graph.json       the graph as node-link JSON (``kg.read_graph`` loads it)
    graph.graphml    the same graph for Gephi / Cytoscape
    graph.html       the interactive page (paper-entity view)
    build.json       what was built from what, counts and timings, and the duplicate records
                     merged (``duplicates``: each paper read more than once, with its records)

The files are staged inside the folder and moved into place only when all are written, the
``build.json`` marker last: an interrupted build leaves the previous outputs (or none), never
a half-written file that looks whole. kg writes only into an empty folder or a previous kg
output (``force`` allows any other folder), and never removes a file it did not write.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import kg
from kg.atomic import check_output_folder, output_folder
from kg.errors import InputError
from kg.export.html import DEFAULT_MAX_NODES, write_html
from kg.extract import Corpus, Progress, extract, no_progress, to_record
from kg.extract.corpus import DEFAULT_MIN_CONFIDENCE
from kg.gcpause import paused
from kg.graph import build_graph, write_graph
from kg.link import LinkOptions, cooccurrences, link_papers
from kg.model import Paper
from kg.read import read_all

__all__ = ["BuildOptions", "BuildResult", "build", "write_outputs"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildOptions:
    """Everything ``kg build`` can be told (the CLI maps its flags onto these)."""

    format: str | None = None
    strict: bool = False
    #: extraction processes (None: every core for big inputs, see kg.extract.default_jobs)
    n_process: int | None = None
    batch_size: int = 64
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    link: LinkOptions = field(default_factory=LinkOptions)
    html: bool = True
    html_max_nodes: int = DEFAULT_MAX_NODES
    #: write into an existing folder that is not a kg output (kg's files are added, nothing removed)
    force: bool = False


@dataclass
class BuildResult:
    """What a build produced: counts and timings (seconds per stage)."""

    out_dir: Path
    papers: int
    entities: dict[str, int]
    mentions: int
    links: int
    cooccurrences: int
    timings: dict[str, float]
    files: list[str]
    #: records merged into a paper read before them (the same paper twice); build.json lists them
    merged: int = 0

    def as_dict(self) -> dict:
        d = asdict(self)
        d["out_dir"] = str(self.out_dir)
        return d


def _jsonl(path: Path, rows: Iterable[dict]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False))
            f.write("\n")


def write_outputs(
    folder: Path, corpus: Corpus, G, *, html: bool = True, html_max_nodes: int = DEFAULT_MAX_NODES
) -> list[str]:
    """Write every output file of a build into ``folder`` (a staging folder)."""
    # Paper and Entity hold scalars and tuples of strings: their fields as they are (vars) make
    # the same JSON as dataclasses.asdict, without its deep copy
    _jsonl(folder / "papers.jsonl", (vars(p) for p in corpus.papers))
    _jsonl(folder / "mentions.jsonl", (to_record(x, corpus) for x in corpus.extractions))
    _jsonl(folder / "entities.jsonl", (vars(e) for e in corpus.entities.values()))
    write_graph(G, folder)
    files = ["papers.jsonl", "mentions.jsonl", "entities.jsonl", "graph.json", "graph.graphml"]
    if html:
        write_html(G, folder / "graph.html", max_nodes=html_max_nodes)
        files.append("graph.html")
    return files


def build(
    inputs: Sequence[str | Path] | None = None,
    out_dir: str | Path = "kg-out",
    *,
    papers: Sequence[Paper] | None = None,
    options: BuildOptions = BuildOptions(),
    progress: Progress = no_progress,
) -> BuildResult:
    """Read ``inputs`` (or take ``papers``), extract, link, and write the output folder.

    ``progress(iterable, description, total)`` may wrap the long loop (the CLI passes a
    progress bar); the library itself only logs.
    """
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    check_output_folder(out_dir, inputs=inputs or (), force=options.force)  # before any work
    out_dir = Path(out_dir)
    duplicates: list[dict] = []
    if papers is None:
        report = read_all(inputs or [], format=options.format, strict=options.strict)
        papers, duplicates = report.papers, report.duplicates
    papers = list(papers)
    timings["read"] = time.perf_counter() - t0
    if not papers:
        raise InputError("no papers were read from the input; nothing to build")
    logger.info("read %d papers", len(papers))

    t = time.perf_counter()
    corpus = extract(
        papers,
        n_process=options.n_process,
        batch_size=options.batch_size,
        min_confidence=options.min_confidence,
        progress=progress,
    )
    timings["extract"] = time.perf_counter() - t
    with paused():
        t = time.perf_counter()
        links = link_papers(corpus, options.link)
        co = cooccurrences(corpus)
        timings["link"] = time.perf_counter() - t

        t = time.perf_counter()
        G = build_graph(corpus, links, co)
        timings["graph"] = time.perf_counter() - t

        t = time.perf_counter()
        with output_folder(out_dir) as stage:
            files = write_outputs(stage, corpus, G, html=options.html, html_max_nodes=options.html_max_nodes)
            timings["write"] = time.perf_counter() - t
            timings["total"] = time.perf_counter() - t0
            by_type = Counter(e.type for e in corpus.entities.values())
            result = BuildResult(
                out_dir=out_dir,
                papers=len(corpus.extractions),
                entities={k: by_type.get(k, 0) for k in ("METHOD", "DATASET", "BENCHMARK")},
                mentions=sum(len(x.mentions) for x in corpus.extractions),
                links=len(links),
                cooccurrences=len(co),
                timings={k: round(v, 3) for k, v in timings.items()},
                files=files + ["build.json"],
                merged=sum(len(d["records"]) - 1 for d in duplicates),
            )
            manifest = {
                "kg_version": kg.__version__,
                "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "inputs": [str(p) for p in inputs or []],
                "options": {
                    k: (asdict(v) if hasattr(v, "__dataclass_fields__") else v) for k, v in vars(options).items()
                },
                **result.as_dict(),
                "duplicates": duplicates,
            }
            (stage / "build.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        return result
