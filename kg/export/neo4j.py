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
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import networkx as nx

from kg.errors import Neo4jError
from kg.export import cypher
from kg.gcpause import paused
from kg.schema import (
    CO_OCCURS,
    ENTITY_LABELS,
    ENTITY_PROPERTIES,
    MENTIONS,
    PAPER,
    PAPER_PROPERTIES,
    RELATED,
    RELATIONSHIPS,
    VARIANT_OF,
)

__all__ = [
    "Neo4jSettings",
    "connect",
    "graph_rows",
    "write_plan",
    "Step",
    "write_neo4j",
    "clear_kg",
    "count_kg",
    "run_cypher",
    "ExportResult",
]

logger = logging.getLogger(__name__)


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
    ) -> Neo4jSettings:
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


def graph_rows(G: nx.Graph) -> dict[str, list[dict]]:
    """The parameter rows of every node and relationship, keyed ``Paper``, ``Method``,
    ``Dataset``, ``Benchmark``, ``MENTIONS``, ``RELATED``, ``CO_OCCURS``, ``VARIANT_OF`` (pure)."""
    rows: dict[str, list[dict]] = {k: [] for k in (PAPER, *ENTITY_LABELS, *RELATIONSHIPS)}
    for n, d in G.nodes(data=True):
        kind = d.get("kind")
        if kind == PAPER:
            rows[PAPER].append({"id": n, "props": _props(d, PAPER_PROPERTIES)})
        elif kind in ENTITY_LABELS:
            rows[kind].append({"id": n, "props": _props(d, ENTITY_PROPERTIES)})
    for u, v, d in G.edges(data=True):
        kind = d.get("kind")
        if kind == MENTIONS:
            paper, ent = (u, v) if G.nodes[u].get("kind") == PAPER else (v, u)
            rows[MENTIONS].append(
                {"source": paper, "target": ent, "props": _props(d, ("role", "count", "confidence", "evidence"))}
            )
        elif kind == RELATED:
            a, b = sorted((u, v))
            rows[RELATED].append(
                {"source": a, "target": b, "props": {"weight": d.get("weight"), "shared": list(d.get("shared", []))}}
            )
        elif kind == CO_OCCURS:
            a, b = sorted((u, v))
            rows[CO_OCCURS].append({"source": a, "target": b, "props": {"papers": d.get("papers")}})
        elif kind == VARIANT_OF:
            rows[VARIANT_OF].append(
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


@dataclass(frozen=True)
class Step:
    """One step of an export: statements with their parameters (``export`` is added when
    it runs), and how many sessions may run them at once."""

    what: str
    jobs: list[tuple[str, dict]]
    parallel: int = 1


def write_plan(rows: dict[str, list[dict]], *, fresh: bool, batch_size: int = 2000) -> list[Step]:
    """The steps that write :func:`graph_rows` ``rows``, in order (pure).

    A ``fresh`` database (no Paper or Entity node yet) gets CREATE statements and no clean-up;
    otherwise nodes and relationships are MERGEd and what the exported papers and entities no
    longer have is removed afterwards.

    >>> rows = {k: [] for k in (PAPER, *ENTITY_LABELS, *RELATIONSHIPS)}
    >>> rows[PAPER] = [{"id": f"p{i}", "props": {}} for i in range(3)]
    >>> [(s.what, len(s.jobs), s.parallel) for s in write_plan(rows, fresh=True, batch_size=2)]
    [('writing nodes', 2, 2)]
    >>> [s.what for s in write_plan(rows, fresh=False)]
    ['writing nodes', 'removing stale relationships', 'removing orphan entities']
    """
    nodes = [(PAPER, cypher.CREATE_PAPERS if fresh else cypher.MERGE_PAPERS)] + [
        (label, (cypher.CREATE_ENTITY if fresh else cypher.MERGE_ENTITY)[label]) for label in ENTITY_LABELS
    ]
    plan = [
        Step(
            "writing nodes",
            [(statement, {"rows": b}) for key, statement in nodes for b in _batches(rows[key], batch_size)],
            parallel=2,
        )
    ]
    for rel in RELATIONSHIPS:
        statement = (cypher.CREATE_RELATIONSHIP if fresh else cypher.MERGE_RELATIONSHIP)[rel]
        if rel == MENTIONS and fresh:
            # batches that share no entity: safe in parallel
            plan.append(
                Step(
                    f"writing {rel} relationships",
                    [(statement, {"rows": b}) for b in _mention_batches(rows[rel], batch_size)],
                    parallel=2,
                )
            )
        else:
            # one batch at a time: paper-paper and entity-entity links share nodes across
            # batches in no fixed order, and MERGEing mentions in parallel deadlocks now and
            # then (measured: 3-4 retries in three re-exports of a 10k-paper graph, each
            # after a pause of a second or more; none in fresh exports)
            plan.append(
                Step(
                    f"writing {rel} relationships", [(statement, {"rows": b}) for b in _batches(rows[rel], batch_size)]
                )
            )
    plan = [step for step in plan if step.jobs]
    if not fresh:
        paper_ids = [r["id"] for r in rows[PAPER]]
        entity_ids = [r["id"] for label in ENTITY_LABELS for r in rows[label]]
        stale = [(cypher.DELETE_STALE_PAPER_RELATIONSHIPS, {"ids": b}) for b in _batches(paper_ids, batch_size)]
        stale += [(cypher.DELETE_STALE_COOCCURRENCES, {"ids": b}) for b in _batches(entity_ids, batch_size)]
        plan.append(Step("removing stale relationships", stale))
        plan.append(Step("removing orphan entities", [(cypher.DELETE_ORPHAN_ENTITIES, {})]))
    return plan


def _run_step(driver, step: Step, *, export: str, database: str | None, where: str) -> None:
    """Run one step's statements, each in its own write transaction; in ``step.parallel``
    sessions when the plan says that is safe."""

    def run(statement: str, params: dict) -> None:
        with _errors(where, database, step.what), driver.session(database=database) as session:
            session.execute_write(lambda tx: tx.run(statement, **params, export=export).consume())

    if step.parallel <= 1 or len(step.jobs) <= 1:
        for statement, params in step.jobs:
            run(statement, params)
        return
    pool = ThreadPoolExecutor(max_workers=step.parallel)
    try:
        futures = [pool.submit(run, statement, params) for statement, params in step.jobs]
        for f in futures:
            f.result()
    finally:
        # on the first failure the queued batches are dropped, not tried one by one
        pool.shutdown(wait=True, cancel_futures=True)


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
    for statement in cypher.SCHEMA:
        with _errors(where, database, "creating constraints and indexes"):
            driver.execute_query(statement, database_=database)
    if replace:
        clear_kg(driver, database=database, uri=where)
    with _errors(where, database, "looking for existing nodes"):
        records, _, _ = driver.execute_query(cypher.ANY_PAPER_OR_ENTITY, database_=database)
    plan = write_plan(rows, fresh=not records[0]["found"], batch_size=batch_size)
    batches = 0
    for step in plan:
        _run_step(driver, step, export=export, database=database, where=where)
        batches += len(step.jobs)
        logger.info("neo4j: %s, %d batches", step.what, len(step.jobs))
    n_nodes = len(rows[PAPER]) + sum(len(rows[label]) for label in ENTITY_LABELS)
    n_rels = sum(len(rows[k]) for k in RELATIONSHIPS)
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

    with _errors(uri or "the server", database, what), driver.session(database=database) as session:
        return session.execute_read(work)
