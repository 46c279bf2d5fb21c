"""kg's Neo4j export next to neo4j-graphrag's ``Neo4jWriter``, on builds you already have.

The Neo4j rows of ``run.py`` without redoing extraction: for each ``kg build`` folder, kg's
first export, its re-export and ``Neo4jWriter`` on the same graph, alternating ``--repeat``
times, into the server of ``NEO4J_*`` (APOC needed by the baseline)::

    KG_NEO4J_APOC=1 scripts/neo4j.sh restart && eval "$(scripts/neo4j.sh env)"
    .venv/bin/python bench/neo4j_compare.py kg-out /tmp/out-10k --repeat 3
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import compare_neo4j  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("builds", nargs="+", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=2000)
    args = ap.parse_args()

    import kg
    from kg.export.neo4j import Neo4jSettings, connect

    settings = Neo4jSettings.from_env()
    with connect(settings) as driver:
        for build in args.builds:
            G = kg.read_graph(build)
            row = {"build": str(build), "nodes": G.number_of_nodes(), "relationships": G.number_of_edges()}
            row.update(compare_neo4j(driver, G, settings.database, repeat=args.repeat, batch_size=args.batch_size))
            print(json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in row.items()}), flush=True)


if __name__ == "__main__":
    main()
