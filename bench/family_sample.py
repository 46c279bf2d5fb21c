"""Print a fixed-seed sample of a build's VARIANT_OF edges, to judge by hand.

    .venv/bin/python bench/family_sample.py /work/builds/resolve10k -n 100 --seed 0

Each line: the variant, its family, the number of papers of each and a short evidence
sentence of the variant, so that a reader can tell whether the variant really is a member
of that family (a size, an instruct/chat tuning, a version, "-mini", "-Turbo" of it).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.graph import read_graph, variant_edges  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("build", type=Path)
    ap.add_argument("-n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    G = read_graph(args.build)
    edges = sorted(variant_edges(G))
    sample = random.Random(args.seed).sample(edges, min(args.n, len(edges)))
    print(f"{len(edges)} VARIANT_OF edges; {len(sample)} sampled with seed {args.seed}")
    for k, (v, f) in enumerate(sample, 1):
        dv, df = G.nodes[v], G.nodes[f]
        print(
            f"{k:3d}. {dv['name']}  ->  {df['name']}   [{dv['type']}, {dv['paper_count']} / {df['paper_count']} papers]"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
