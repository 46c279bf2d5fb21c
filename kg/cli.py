"""The ``kg`` command line: a few lines per command around the library.

Library errors (:class:`kg.errors.KGError`) become a one-line message and an exit code here,
in one place; progress bars live here and nowhere else.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from kg.errors import KGError

__all__ = ["main", "cli"]

logger = logging.getLogger("kg")


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


_WARNINGS = _Counter()


class _Format(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        prefix = {logging.WARNING: "warning: ", logging.ERROR: "error: "}.get(record.levelno, "")
        return prefix + record.getMessage()


def _setup_logging(verbose: bool, quiet: bool) -> None:
    root = logging.getLogger("kg")
    root.handlers.clear()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Format())
    root.addHandler(handler)
    _WARNINGS.count = 0  # one count per run (main() may be called again in one process)
    root.addHandler(_WARNINGS)
    root.setLevel(logging.INFO if verbose else logging.WARNING)
    root.propagate = False
    # the Neo4j driver logs each retried transaction; kg reports what matters itself
    logging.getLogger("neo4j").setLevel(logging.DEBUG if verbose else logging.CRITICAL)


def _progress(quiet: bool, *, file=None, disable: bool | None = None):
    """A progress-bar wrapper for the library's long loops.

    The bar starts with the first result: the time before it (loading the spaCy pipeline, in
    each worker) would otherwise make the first estimate of the time left hours long."""

    def wrap(items: Iterable, desc: str, total: int) -> Iterable:
        from tqdm import tqdm

        it = iter(items)
        try:
            first = next(it)
        except StopIteration:
            return
        with tqdm(
            desc=desc,
            total=total,
            unit="paper",
            disable=quiet or disable,
            file=file or sys.stderr,
            dynamic_ncols=True,
            mininterval=0.5,
        ) as bar:
            yield first
            bar.update(1)
            for item in it:
                yield item
                bar.update(1)

    return wrap


def _echo_json(obj) -> None:
    click.echo(json.dumps(obj, indent=2, ensure_ascii=False, default=str))


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="kg")
@click.option("-v", "--verbose", is_flag=True, help="Log what happens at each stage.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars or progress messages.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool, quiet: bool) -> None:
    """kg: a knowledge graph of methods, datasets and benchmarks from research papers.

    \b
    Example:
      kg build ../shared/seeds/*.txt -o kg-out
      kg stats kg-out
    """
    ctx.obj = {"quiet": quiet}
    _setup_logging(verbose, quiet)


def _quiet_option(f):
    """``--quiet`` also after the command name (``kg build ... --quiet``)."""

    def callback(ctx: click.Context, _param, value: bool) -> bool:
        if value:
            ctx.ensure_object(dict)["quiet"] = True
        return value

    return click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=callback, help="No progress bars.")(
        f
    )


_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["pages", "jsonl", "json", "csv", "bibtex"]),
    help="Read every input as this format instead of detecting it.",
)
_STRICT = click.option(
    "--strict", is_flag=True, help="Fail on the first bad record instead of warning and skipping it."
)
_JOBS = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes for extraction [default: every core for 1,000 papers or more, else 1].",
)
_MINCONF = click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    default=None,
    help="Drop mentions below this confidence [default: 0.5].",
)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "-o",
    "--out",
    "out_dir",
    default="kg-out",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Output folder.",
)
@_FORMAT
@_STRICT
@_JOBS
@_MINCONF
@click.option(
    "--max-df",
    type=click.FloatRange(0, 1),
    default=0.05,
    show_default=True,
    help="Entities in more than this share of papers create no links.",
)
@click.option(
    "--top-k", type=click.IntRange(1), default=10, show_default=True, help="At most this many links per paper."
)
@click.option("--min-weight", type=click.FloatRange(0), default=0.5, show_default=True, help="Drop lighter links.")
@click.option("--max-nodes", type=click.IntRange(10), default=None, help="Nodes on the HTML page [default: 1500].")
@click.option("--no-html", is_flag=True, help="Do not write graph.html.")
@click.option(
    "--force",
    is_flag=True,
    help="Write into an existing folder that is not a kg output (kg adds its files; nothing else is touched).",
)
@_quiet_option
@click.pass_context
def build(
    ctx, inputs, out_dir, fmt, strict, jobs, min_confidence, max_df, top_k, min_weight, max_nodes, no_html, force
):
    """Read paper listings and write the knowledge graph to a folder.

    INPUT may be files, folders or glob patterns: Daily Papers pages, JSON / JSON Lines
    (arXiv, Hugging Face, Semantic Scholar, OpenAlex), CSV/TSV, BibTeX; gzip is fine.

    The output folder must be new, empty, or a previous kg output; kg never removes a file
    it did not write.

    \b
    Example:
      kg build ../shared/seeds/*.txt -o kg-out
      kg build arxiv.jsonl.gz papers.bib -o kg-out --jobs 2
    """
    from kg.build import BuildOptions
    from kg.build import build as run_build
    from kg.export.html import DEFAULT_MAX_NODES
    from kg.extract.corpus import DEFAULT_MIN_CONFIDENCE
    from kg.link import LinkOptions

    options = BuildOptions(
        format=fmt,
        strict=strict,
        n_process=jobs,
        min_confidence=DEFAULT_MIN_CONFIDENCE if min_confidence is None else min_confidence,
        link=LinkOptions(max_df=max_df, top_k=top_k, min_weight=min_weight),
        html=not no_html,
        html_max_nodes=max_nodes or DEFAULT_MAX_NODES,
        force=force,
    )
    r = run_build(list(inputs), out_dir, options=options, progress=_progress(ctx.obj["quiet"]))
    ents = ", ".join(f"{n:,} {t.lower()}s" for t, n in r.entities.items())
    merged = (
        (
            f" ({r.merged:,} duplicate record{'s' if r.merged != 1 else ''} merged: listed under "
            f'"duplicates" in {r.out_dir}/build.json)'
        )
        if r.merged
        else ""
    )
    click.echo(
        f"{r.papers:,} papers read{merged}; entities: {ents}; {r.mentions:,} mentions; "
        f"{r.links:,} links between papers; {r.cooccurrences:,} co-occurrences"
    )
    if _WARNINGS.count:
        click.echo(f"{_WARNINGS.count} warning(s) about the input (see above)")
    click.echo(f"wrote {r.out_dir}/ ({', '.join(r.files)}) in {r.timings['total']:.1f} s")


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "-o",
    "--out",
    "out_file",
    required=True,
    type=click.Path(dir_okay=False),
    help="Output JSON Lines file ('-' for standard output).",
)
@_FORMAT
@_STRICT
@_JOBS
@_MINCONF
@_quiet_option
@click.pass_context
def extract(ctx, inputs, out_file, fmt, strict, jobs, min_confidence):
    """Extract mentions and entities: one JSON line per paper, in input order.

    \b
    Example:
      kg extract papers.jsonl -o mentions.jsonl
    """
    from kg.atomic import atomic_write, check_output_file
    from kg.extract import extract, to_record
    from kg.extract.corpus import DEFAULT_MIN_CONFIDENCE
    from kg.read import read_all

    if out_file != "-":
        check_output_file(out_file, inputs=inputs)
    report = read_all(list(inputs), format=fmt, strict=strict)
    papers = report.papers
    corpus = extract(
        papers,
        n_process=jobs,
        min_confidence=DEFAULT_MIN_CONFIDENCE if min_confidence is None else min_confidence,
        progress=_progress(ctx.obj["quiet"]),
    )
    lines = (json.dumps(to_record(x, corpus), ensure_ascii=False) + "\n" for x in corpus.extractions)
    if out_file == "-":
        for line in lines:
            sys.stdout.write(line)
    else:
        with atomic_write(out_file) as f:
            f.writelines(lines)
        merged = f" ({report.merged:,} duplicate records merged)" if report.merged else ""
        click.echo(f"{len(corpus):,} papers{merged}, {len(corpus.entities):,} entities -> {out_file}", err=True)


@cli.command(name="eval")
@click.option(
    "--data",
    "data_dir",
    default="../shared/data/dev",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder of the annotated sets.",
)
@click.option(
    "--set",
    "sets",
    multiple=True,
    type=click.Choice(["arxiv", "seed", "scierc", "tdmsci", "scirex", "resolution"]),
    help="Only these measurements (repeatable) [default: all].",
)
@_JOBS
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def evaluate(data_dir, sets, jobs, as_json):
    """Score extraction against the annotated development sets.

    \b
    Example:
      kg eval
      kg eval --set seed --json
    """
    from kg.evaluate import cross_validation, format_cross_validation, format_table
    from kg.evaluate import evaluate as run_eval

    scores = run_eval(
        data_dir, sets=sets or ("arxiv", "seed", "scierc", "tdmsci", "scirex", "resolution"), n_process=jobs
    )
    if not scores:
        raise KGError(f"{data_dir}: no annotated sets found")
    cv = cross_validation()
    if as_json:
        rows = [s.as_dict() for s in scores]
        for measure, v in (cv or {}).items():
            if isinstance(v, dict) and "mean" in v:
                rows.append(
                    {
                        "dataset": "arXiv annotated, 5-fold cross-validation",
                        "measure": measure,
                        "f1": v["mean"],
                        "stdev": v["stdev"],
                        "per_fold": v["per_fold"],
                    }
                )
        _echo_json(rows)
    else:
        click.echo(format_table(scores))
        if cv:
            click.echo("\n" + format_cross_validation(cv))


@cli.command()
@click.argument("folder", type=click.Path())
@click.option("--top", type=click.IntRange(1), default=10, show_default=True, help="How many of each to list.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stats(folder, top, as_json):
    """Counts, top entities, most linked papers, components and communities.

    \b
    Example:
      kg stats kg-out --top 5
    """
    from kg.explore import graph_stats
    from kg.graph import read_graph

    s = graph_stats(read_graph(folder), top=top)
    if as_json:
        _echo_json(s)
        return
    click.echo("nodes: " + ", ".join(f"{k} {v:,}" for k, v in s["nodes"].items()))
    click.echo(
        "edges: "
        + ", ".join(f"{k} {v:,}" for k, v in s["edges"].items())
        + f"  ({s['links_per_paper']} links per paper)"
    )
    for kind, items in s["top_entities"].items():
        if items:
            click.echo(f"top {kind.lower()}s: " + ", ".join(f"{e['name']} ({e['papers']})" for e in items))
    c = s["components"]
    click.echo(
        f"paper components: {c['count']:,} (largest {c['largest']:,}, {c['isolated_papers']:,} papers without links)"
    )
    click.echo("most linked papers:")
    for p in s["most_linked_papers"]:
        click.echo(f"  {p['links']:3d} links  {p['title'][:90]}")
    click.echo("communities:")
    for com in s["communities"]:
        click.echo(f"  #{com['community']:<3d} {com['size']:4d} papers  {', '.join(com['label'])}")
    r = s["resolution"]
    click.echo(
        f"resolution: {r['several_ids']['count']:,} (name, type) pairs with several ids; "
        f"{r['alias_is_other_name']['count']:,} entities with an alias that is another entity's name; "
        f"{r['variants']:,} variants in {r['families']:,} families"
    )


@cli.command()
@click.argument("folder", type=click.Path())
@click.argument("paper")
@click.option("-n", type=click.IntRange(1), default=10, show_default=True, help="How many papers.")
@click.option("--first", is_flag=True, help="When several titles fit, take the first listed instead of asking.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def similar(folder, paper, n, first, as_json):
    """Papers closest to PAPER (an id, a title or part of one), with what they share.

    When several papers fit PAPER, they are listed and nothing is chosen (unless --first).

    \b
    Example:
      kg similar kg-out "Qwen2.5 Technical Report"
    """
    from kg.explore import find_paper, similar_papers
    from kg.graph import read_graph

    G = read_graph(folder)
    rows = similar_papers(G, paper, n=n, first=first)
    if as_json:
        _echo_json(rows)
        return
    pid = find_paper(G, paper, first=first)
    click.echo(f"{G.nodes[pid]['title']}  [{pid}]")
    if not rows:
        click.echo("  no related papers (it shares nothing specific enough with others)")
    for r in rows:
        click.echo(f"  {r['weight']:6.2f}  {r['title'][:80]}\n          shared: {', '.join(r['shared'])}")


@cli.command()
@click.argument("folder", type=click.Path())
@click.argument("name")
@click.option("--family", is_flag=True, help="Papers of the whole family: the entity and all its variants.")
@click.option(
    "--first", is_flag=True, help="When several entities fit NAME, take the most mentioned instead of asking."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def entity(folder, name, family, first, as_json):
    """One entity (by name, alias or id): its papers by role, its family and what it co-occurs with.

    When several entities fit NAME, they are listed with their paper counts and nothing is
    chosen (unless --first).

    \b
    Example:
      kg entity kg-out LoRA
      kg entity kg-out "Llama 3" --family
      kg entity kg-out "large language models" --json
    """
    from kg.explore import entity_info
    from kg.graph import read_graph

    info = entity_info(read_graph(folder), name, first=first, family=family)
    if as_json:
        _echo_json(info)
        return
    click.echo(f"{info['name']}  [{info['id']}, {info['type']}, {info['paper_count']} papers]")
    if info["aliases"]:
        click.echo("aliases: " + ", ".join(info["aliases"]))
    if info["family"]:
        click.echo("variant of: " + " < ".join(f"{f['name']} [{f['id']}]" for f in info["family"]))
    if info["variants"]:
        shown = ", ".join(f"{v['name']} ({v['papers']})" for v in info["variants"][:20])
        more = f", ... and {len(info['variants']) - 20} more" if len(info["variants"]) > 20 else ""
        click.echo(f"variants ({len(info['variants'])}): {shown}{more}")
        click.echo(
            f"papers mentioning it or a variant: {info['family_paper_count']}"
            + ("" if family else " (--family lists them)")
        )
    for role, papers in info["papers"].items():
        click.echo(f"{role} ({len(papers)}):")
        for p in papers[:10]:
            via = f"  [{p['via']}]" if family and p.get("via") else ""
            click.echo(f"  {p['date'] or '':10s}  {p['title'][:90]}{via}")
        if len(papers) > 10:
            click.echo(f"  ... and {len(papers) - 10} more")
    if info["co_occurs"]:
        click.echo("co-occurs with: " + ", ".join(f"{c['name']} ({c['papers']})" for c in info["co_occurs"]))


@cli.group()
def export():
    """Export a built graph (to Neo4j, or to an HTML page)."""


@export.command(name="html")
@click.argument("folder", type=click.Path())
@click.option(
    "--view",
    type=click.Choice(["paper-entity", "paper-paper", "entity"]),
    default="paper-entity",
    show_default=True,
    help="What the page shows.",
)
@click.option(
    "--max-nodes",
    type=click.IntRange(10),
    default=None,
    help="Draw the whole view up to this many nodes, else open on an overview [default: 1500].",
)
@click.option(
    "--mode",
    type=click.Choice(["auto", "full", "overview"]),
    default="auto",
    show_default=True,
    help="full: draw the view (its --max-nodes most connected nodes); overview: the entities in most "
    "papers, expanded on demand; auto: full when the view fits in --max-nodes.",
)
@click.option(
    "--renderer",
    type=click.Choice(["auto", "vis", "sigma"]),
    default="auto",
    show_default=True,
    help="vis-network, or sigma.js (WebGL); auto: vis-network for full pages, sigma for overviews.",
)
@click.option(
    "--overview-size", type=click.IntRange(10), default=None, help="Entities an overview starts with [default: 300]."
)
@click.option(
    "-o",
    "--out",
    "out_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Output file [default: FOLDER/graph-VIEW.html, or graph.html for paper-entity].",
)
def export_html(folder, view, max_nodes, mode, renderer, overview_size, out_file):
    """Write an interactive, offline HTML page of the graph.

    \b
    Example:
      kg export html kg-out --view paper-paper
      kg export html big-out --mode overview --overview-size 500
    """
    from kg.export.html import DEFAULT_MAX_NODES, DEFAULT_OVERVIEW, write_html
    from kg.graph import read_graph

    G = read_graph(folder)
    out = (
        Path(out_file)
        if out_file
        else Path(folder) / ("graph.html" if view == "paper-entity" else f"graph-{view}.html")
    )
    write_html(
        G,
        out,
        view=view,
        max_nodes=max_nodes or DEFAULT_MAX_NODES,
        mode=mode,
        renderer=renderer,
        overview_size=overview_size or DEFAULT_OVERVIEW,
    )
    click.echo(f"wrote {out}")


_NEO4J_OPTIONS = [
    click.option("--uri", default=None, help="Bolt URI [default: $NEO4J_URI or bolt://127.0.0.1:7687]."),
    click.option("--user", default=None, help="User [default: $NEO4J_USER or neo4j]."),
    click.option("--database", default=None, help="Database [default: $NEO4J_DATABASE or the server's default]."),
    click.option(
        "--ask-password",
        is_flag=True,
        help="Prompt for the password instead of reading $NEO4J_PASSWORD (it is never an option).",
    ),
]


def _neo4j_options(f):
    for option in reversed(_NEO4J_OPTIONS):
        f = option(f)
    return f


def _settings(uri, user, database, ask_password):
    from kg.export.neo4j import Neo4jSettings

    password = click.prompt("Neo4j password", hide_input=True, err=True) if ask_password else None
    return Neo4jSettings.from_env(uri=uri, user=user, database=database, password=password)


@export.command(name="neo4j")
@click.argument("folder", type=click.Path())
@_neo4j_options
@click.option("--batch-size", type=click.IntRange(1), default=2000, show_default=True, help="Rows per transaction.")
@click.option("--replace", is_flag=True, help="First delete kg's own nodes (never anything else in the database).")
def export_neo4j(folder, uri, user, database, ask_password, batch_size, replace):
    """Export a built graph into Neo4j (idempotent: exporting twice changes nothing).

    The password comes from $NEO4J_PASSWORD (or --ask-password), never from the command line.

    \b
    Example:
      export NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=...
      kg export neo4j kg-out
    """
    from kg.export.neo4j import connect, count_kg, write_neo4j
    from kg.graph import read_graph

    G = read_graph(folder)
    settings = _settings(uri, user, database, ask_password)
    with connect(settings) as driver:
        r = write_neo4j(G, driver, database=settings.database, batch_size=batch_size, replace=replace, uri=settings.uri)
        nodes, rels = count_kg(driver, database=settings.database)
    click.echo(
        f"exported {r.nodes:,} nodes and {r.relationships:,} relationships to {settings.uri} "
        f"in {r.seconds:.1f} s ({r.batches} batches); kg's nodes in the database now: {nodes:,}, "
        f"relationships: {rels:,}"
    )


@cli.command()
@click.argument("name", required=False)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A query parameter (repeatable); VALUE is read as JSON when it parses, else as text.",
)
@click.option("--list", "list_only", is_flag=True, help="List the queries and their parameters.")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
@_neo4j_options
def query(name, params, list_only, as_json, uri, user, database, ask_password):
    """Run one query of the library in queries/ against Neo4j and print a table.

    Parameters left out take the example value from the query's header.

    \b
    Example:
      kg query --list
      kg query papers-evaluating-on --param benchmark=GSM8K
      kg query top-entities -p type=Benchmark -p limit=5 --json
    """
    from kg.errors import QueryError
    from kg.export.neo4j import connect, run_cypher
    from kg.export.queries import bind, get_query, load_queries, parse_value

    if list_only or not name:
        for q in load_queries().values():
            ps = " ".join(f"${p.name}" for p in q.parameters)
            click.echo(f"{q.name:24s} {ps:28s} {q.summary}")
        return
    q = get_query(name)
    given = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise QueryError(f"--param {item!r}: expected NAME=VALUE")
        given[key.lstrip("$")] = parse_value(value)
    values, defaulted = bind(q, given)
    for p in defaulted:
        click.echo(f"note: ${p} not given; using the example value {values[p]!r}", err=True)
    settings = _settings(uri, user, database, ask_password)
    with connect(settings) as driver:
        keys, rows = run_cypher(
            driver, q.text, values, database=settings.database, uri=settings.uri, what=f"query {q.name!r}"
        )
    if as_json:
        _echo_json(rows)
        return
    click.echo(_table(keys, rows))


def _table(keys: list[str], rows: list[dict], width: int = 60) -> str:
    def cell(v) -> str:
        if isinstance(v, list):
            v = ", ".join(map(str, v))
        text = "" if v is None else str(v)
        return text if len(text) <= width else text[: width - 1] + "…"

    cells = [[cell(r.get(k)) for k in keys] for r in rows]
    widths = [max([len(k)] + [len(c[i]) for c in cells]) for i, k in enumerate(keys)]
    lines = ["  ".join(k.ljust(w) for k, w in zip(keys, widths, strict=True)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def _terminate(signum, _frame):
    """SIGTERM unwinds like Ctrl-C, so that staged output folders are cleaned up."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kg`` console script: errors become messages and exit codes."""
    import signal

    signal.signal(signal.SIGTERM, _terminate)
    try:
        cli.main(args=argv, prog_name="kg", standalone_mode=False)
        return 0
    except KGError as exc:
        click.echo(f"error: {exc}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: say so briefly; KG_DEBUG=1 shows the traceback
        if os.environ.get("KG_DEBUG"):
            raise
        click.echo(
            f"internal error: {type(exc).__name__}: {exc} (set KG_DEBUG=1 for a traceback and report it)", err=True
        )
        return 70


if __name__ == "__main__":
    sys.exit(main())
