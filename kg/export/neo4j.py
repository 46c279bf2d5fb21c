"""Exporting the graph to Neo4j: idempotent, incremental, batched, parameters only.

The schema::

    (:Paper {id, title, abstract, date, year, authors, ...})
    (:Entity:Method|:Dataset|:Benchmark {id, name, type, aliases, paper_count})
    (:Paper)-[:MENTIONS {role, count, confidence, evidence}]->(:Entity)
    (:Paper)-[:RELATED {weight, shared}]->(:Paper)
    (:Entity)-[:CO_OCCURS {papers}]->(:Entity)
    (:Entity)-[:VARIANT_OF {papers}]->(:Entity)      variant -> family

Nodes are MERGEd on their ``id`` (unique constraints make that fast and safe), so running
the same export twice changes nothing (a first export into a database holding no Paper or
Entity node at all uses plain CREATE, which is faster and equivalent there), and exporting a bigger build adds what is new and
updates what changed. Every node and relationship kg writes carries ``kg_export`` (the id
of the export that last wrote it): relationships of the exported papers that the new export
did not write are stale and removed, and ``replace=True`` deletes only nodes carrying that
property -- never anything else in the database.

Rows go in batches through one ``UNWIND $rows ...`` statement per label or type
(:mod:`kg.export.cypher`), each batch a managed write transaction that the driver retries on
transient errors. The driver is passed in (:func:`connect` makes one from settings or the
environment); the graph model knows nothing of it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Iterator

import networkx as nx

from kg.errors import Neo4jError
from kg.export import cypher
from kg.gcpause import paused

__all__ = [
    "Neo4jSettings",
    "connect",
    "graph_rows",
    "write_neo4j",
    "clear_kg",
    "count_kg",
    "run_cypher",
    "ExportResult",
]

logger = logging.getLogger(__name__)

_ENTITY_LABELS = ("Method", "Dataset", "Benchmark")
_RELATIONSHIPS = ("MENTIONS", "RELATED", "CO_OCCURS", "VARIANT_OF")


@dataclass(frozen=True)
class Neo4jSettings:
    """Where the server is. The password is never printed (``repr`` hides it)."""

    uri: str = "bolt://127.0.0.1:7687"
    user: str = "neo4j"
    password: str = field(default="", repr=False)
    database: str | None = None

    @classmethod
    def from_env(
        cls,
        *,
        uri: str | None = None,
        user: str | None = None,
        database: str | None = None,
        password: str | None = None,
    ) -> "Neo4jSettings":
        """Settings from arguments, else ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``,
        ``NEO4J_DATABASE``."""
        env = os.environ
        return cls(
            uri=uri or env.get("NEO4J_URI") or cls.uri,
            user=user or env.get("NEO4J_USER") or env.get("NEO4J_USERNAME") or cls.user,
            password=password if password is not None else env.get("NEO4J_PASSWORD", ""),
            database=database or env.get("NEO4J_DATABASE") or None,
        )


@contextlib.contextmanager
def _errors(settings_uri: str, database: str | None, what: str = "") -> Iterator[None]:
    """Turn driver exceptions into one clear :class:`Neo4jError`."""
    from neo4j import exceptions as ne

    db = database or "the default database"
    try:
        yield
    except ne.AuthError:
        raise Neo4jError(
            f"Neo4j at {settings_uri} refused the user name or password (set NEO4J_USER / NEO4J_PASSWORD)"
        ) from None
    except ne.ClientError as exc:
        if exc.code and "DatabaseNotFound" in exc.code:
            raise Neo4jError(
                f"database {database!r} does not exist on {settings_uri} "
                "(create it, or set NEO4J_DATABASE to one that exists)"
            ) from None
        raise Neo4jError(f"Neo4j rejected {what or 'a statement'}: {exc.message or exc}") from None
    except (ne.ServiceUnavailable, ne.SessionExpired) as exc:
        raise _unavailable(settings_uri, what, type(exc).__name__) from None
    except ne.TransientError as exc:  # still failing after the driver's retries
        if exc.code and ("DatabaseUnavailable" in exc.code or "Unavailable" in exc.code):
            raise _unavailable(settings_uri, what, exc.code.rsplit(".", 1)[-1]) from None
        raise Neo4jError(
            f"Neo4j kept failing on {db}{(' during ' + what) if what else ''} after retries ({exc.code}); try again"
        ) from None
    except ne.ConfigurationError as exc:
        raise Neo4jError(f"bad Neo4j settings for {settings_uri}: {exc}") from None
    except (ne.Neo4jError, ne.DriverError) as exc:
        raise Neo4jError(f"Neo4j error on {db}{(' during ' + what) if what else ''}: {exc}") from None
    except ValueError as exc:  # e.g. an unsupported URI scheme
        raise Neo4jError(f"bad Neo4j URI {settings_uri!r}: {exc}") from None


def _unavailable(uri: str, what: str, reason: str) -> Neo4jError:
    if not what or what == "connecting":
        return Neo4jError(
            f"cannot reach Neo4j at {uri} ({reason}); is the server running? (a local one: scripts/neo4j.sh start)"
        )
    return Neo4jError(
        f"lost Neo4j at {uri} during {what} ({reason}); nothing is half-written: run the same "
        "export again when the server is back and it completes without duplicates"
    )


def connect(settings: Neo4jSettings, *, retry_seconds: float | None = None):
    """A verified :class:`neo4j.Driver` for ``settings`` (fails fast with a clear message).

    Managed transactions are retried on transient errors for ``retry_seconds``
    (``KG_NEO4J_RETRY_SECONDS``, default 30) before the export gives up.
    """
    from neo4j import GraphDatabase

    if retry_seconds is None:
        retry_seconds = float(os.environ.get("KG_NEO4J_RETRY_SECONDS", "30"))
    with _errors(settings.uri, settings.database, "connecting"):
        driver = GraphDatabase.driver(
            settings.uri,
            auth=(settings.user, settings.password),
            max_transaction_retry_time=retry_seconds,
            connection_timeout=10.0,
            notifications_min_severity="OFF",
        )
        try:
            driver.verify_connectivity()
            driver.execute_query("RETURN 1", database_=settings.database)
        except BaseException:
            driver.close()
            raise
    return driver


# ---------------------------------------------------------------------------- rows (pure)
def _props(d: dict, keys: tuple[str, ...]) -> dict:
    out = {}
    for k in keys:
        v = d.get(k)
        if isinstance(v, tuple):
            v = list(v)
        out[k] = v
    return out


_PAPER_KEYS = (
    "title",
    "abstract",
    "date",
    "year",
    "authors",
    "n_authors",
    "organization",
    "upvotes",
    "categories",
    "doi",
    "url",
    "sources",
)
_ENTITY_KEYS = ("name", "type", "aliases", "paper_count")


def graph_rows(G: nx.Graph) -> dict[str, list[dict]]:
    """The parameter rows of every node and relationship, keyed ``Paper``, ``Method``,
    ``Dataset``, ``Benchmark``, ``MENTIONS``, ``RELATED``, ``CO_OCCURS``, ``VARIANT_OF`` (pure)."""
    rows: dict[str, list[dict]] = {k: [] for k in ("Paper", *_ENTITY_LABELS, *_RELATIONSHIPS)}
    for n, d in G.nodes(data=True):
        kind = d.get("kind")
        if kind == "Paper":
            rows["Paper"].append({"id": n, "props": _props(d, _PAPER_KEYS)})
        elif kind in _ENTITY_LABELS:
            rows[kind].append({"id": n, "props": _props(d, _ENTITY_KEYS)})
    for u, v, d in G.edges(data=True):
        kind = d.get("kind")
        if kind == "MENTIONS":
            paper, ent = (u, v) if G.nodes[u].get("kind") == "Paper" else (v, u)
            rows["MENTIONS"].append(
                {"source": paper, "target": ent, "props": _props(d, ("role", "count", "confidence", "evidence"))}
            )
        elif kind == "RELATED":
            a, b = sorted((u, v))
            rows["RELATED"].append(
                {"source": a, "target": b, "props": {"weight": d.get("weight"), "shared": list(d.get("shared", []))}}
            )
        elif kind == "CO_OCCURS":
            a, b = sorted((u, v))
            rows["CO_OCCURS"].append({"source": a, "target": b, "props": {"papers": d.get("papers")}})
        elif kind == "VARIANT_OF":
            rows["VARIANT_OF"].append(
                {"source": d["variant"], "target": d["family"], "props": {"papers": d.get("papers", 0)}}
            )
    return rows


def _batches(rows: list, size: int) -> Iterator[list]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _mention_batches(rows: list[dict], size: int) -> Iterator[list[dict]]:
    """MENTIONS rows of a first export in batches that can be written in parallel: each paper
    in one batch only, and inside a batch rows sorted by entity, so that concurrent
    transactions take the (shared) entity locks in the same order."""
    by_paper: dict[str, list[dict]] = {}
    for r in rows:
        by_paper.setdefault(r["source"], []).append(r)
    batch: list[dict] = []
    for paper_rows in by_paper.values():
        batch.extend(paper_rows)
        if len(batch) >= size:
            yield sorted(batch, key=lambda r: r["target"])
            batch = []
    if batch:
        yield sorted(batch, key=lambda r: r["target"])


@dataclass
class ExportResult:
    """What an export wrote."""

    export_id: str
    nodes: int
    relationships: int
    batches: int
    seconds: float
    stale_removed: int = 0


@paused()
def write_neo4j(
    G: nx.Graph, driver, *, database: str | None = None, batch_size: int = 2000, replace: bool = False, uri: str = ""
) -> ExportResult:
    """Write ``G`` into Neo4j through ``driver`` (see the module docstring)::

    with connect(Neo4jSettings.from_env()) as driver:
        write_neo4j(read_graph("kg-out"), driver)
    """
    t0 = time.perf_counter()
    export = uuid.uuid4().hex[:12]
    rows = graph_rows(G)
    where = uri or "the server"
    batches = 0

    def run(statement: str, what: str, **params) -> None:
        with _errors(where, database, what):
            with driver.session(database=database) as session:
                session.execute_write(lambda tx: tx.run(statement, **params).consume())

    def run_all(jobs: list[tuple[str, str, list]], parallel: int) -> None:
        """Write batches, in ``parallel`` sessions when the caller knows that is safe."""
        if parallel <= 1 or len(jobs) <= 1:
            for statement, what, batch in jobs:
                run(statement, what, rows=batch, export=export)
            return
        pool = ThreadPoolExecutor(max_workers=parallel)
        try:
            futures = [pool.submit(run, statement, what, rows=batch, export=export) for statement, what, batch in jobs]
            for f in futures:
                f.result()
        finally:
            # on the first failure the queued batches are dropped, not tried one by one
            pool.shutdown(wait=True, cancel_futures=True)

    for statement in cypher.SCHEMA:
        with _errors(where, database, "creating constraints and indexes"):
            driver.execute_query(statement, database_=database)
    if replace:
        clear_kg(driver, database=database, uri=where)
    with _errors(where, database, "looking for existing nodes"):
        records, _, _ = driver.execute_query(cypher.ANY_PAPER_OR_ENTITY, database_=database)
    fresh = not records[0]["found"]
    if fresh:  # nothing to merge with: CREATE, and no stale relationships to look for
        plan = (
            [("Paper", cypher.CREATE_PAPERS)]
            + [(label, cypher.CREATE_ENTITY[label]) for label in _ENTITY_LABELS]
            + [(rel, cypher.CREATE_RELATIONSHIP[rel]) for rel in _RELATIONSHIPS]
        )
    else:
        plan = (
            [("Paper", cypher.MERGE_PAPERS)]
            + [(label, cypher.MERGE_ENTITY[label]) for label in _ENTITY_LABELS]
            + [(rel, cypher.MERGE_RELATIONSHIP[rel]) for rel in _RELATIONSHIPS]
        )
    node_jobs = [
        (statement, f"writing {key} nodes", batch)
        for key, statement in plan[:4]
        for batch in _batches(rows[key], batch_size)
    ]
    run_all(node_jobs, parallel=2)
    batches += len(node_jobs)
    logger.info("neo4j: wrote %d nodes in %d batches", sum(len(rows[k]) for k, _ in plan[:4]), len(node_jobs))
    for key, statement in plan[4:]:
        what = f"writing {key} relationships"
        if key == "MENTIONS" and fresh:
            jobs = [(statement, what, b) for b in _mention_batches(rows[key], batch_size)]
            run_all(jobs, parallel=2)
        else:
            # one batch at a time: paper-paper and entity-entity links share nodes across
            # batches in no fixed order, and MERGEing mentions in parallel deadlocks now and
            # then (measured: 3-4 retries in three re-exports of a 10k-paper graph, each
            # after a pause of a second or more; none in fresh exports)
            jobs = [(statement, what, b) for b in _batches(rows[key], batch_size)]
            run_all(jobs, parallel=1)
        batches += len(jobs)
        logger.info("neo4j: wrote %d %s relationships", len(rows[key]), key)
    paper_ids = [r["id"] for r in rows["Paper"]]
    entity_ids = [r["id"] for label in _ENTITY_LABELS for r in rows[label]]
    if not fresh:
        for ids, statement in (
            (paper_ids, cypher.DELETE_STALE_PAPER_RELATIONSHIPS),
            (entity_ids, cypher.DELETE_STALE_COOCCURRENCES),
        ):
            for batch in _batches(ids, batch_size):
                run(statement, "removing stale relationships", ids=batch, export=export)
        with _errors(where, database, "removing orphan entities"):
            driver.execute_query(cypher.DELETE_ORPHAN_ENTITIES, database_=database)
    n_nodes = len(paper_ids) + len(entity_ids)
    n_rels = sum(len(rows[k]) for k in _RELATIONSHIPS)
    return ExportResult(export, n_nodes, n_rels, batches, round(time.perf_counter() - t0, 3))


def clear_kg(driver, *, database: str | None = None, uri: str = "", chunk: int = 5000) -> int:
    """Delete kg's own nodes (those carrying ``kg_export``) and their relationships."""
    deleted = 0
    while True:
        with _errors(uri or "the server", database, "clearing kg's nodes"):
            records, _, _ = driver.execute_query(cypher.DELETE_KG_NODES, limit=chunk, database_=database)
        n = records[0]["deleted"] if records else 0
        deleted += n
        if n < chunk:
            return deleted


def count_kg(driver, *, database: str | None = None) -> tuple[int, int]:
    """How many nodes and relationships of kg's are in the database."""
    records, _, _ = driver.execute_query(cypher.COUNT_KG, database_=database)
    return records[0]["nodes"], records[0]["relationships"]


def run_cypher(
    driver, statement: str, params: dict, *, database: str | None = None, uri: str = "", what: str = "the query"
) -> tuple[list[str], list[dict]]:
    """Run one read statement with parameters; return column names and rows as dicts."""

    def work(tx):
        result = tx.run(statement, **params)
        return list(result.keys()), [dict(r) for r in result]

    with _errors(uri or "the server", database, what):
        with driver.session(database=database) as session:
            return session.execute_read(work)
