"""Stage 3 of the pipeline: link papers that share entities, and entities that share papers.

A link between two papers is worth the sum, over the entities they share, of an
informativeness weight -- a normalised IDF, ``log(N / df) / log(N)``, 1 for an entity only
they mention and near 0 for one everybody mentions -- times a role factor: sharing a
benchmark both evaluate on, or an entity one paper introduces and the other uses, counts
more than merely mentioning the same thing.

Hubs never blow up the graph: entities in more than ``max_df`` of the papers create no
links (they stay in the graph as nodes), weights come from sparse matrix products over row
chunks (memory stays bounded; work grows with the number of shared entity pairs below the
cap, not with all pairs of a hub), and each paper keeps at most ``top_k`` links above
``min_weight``. Every link carries the shared entities that explain it, heaviest first.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from kg.extract.corpus import Corpus
from kg.model import CoOccurrence, Link

__all__ = ["LinkOptions", "link_papers", "cooccurrences", "entity_weights", "ROLE_BONUS"]

logger = logging.getLogger(__name__)

#: extra weight for a shared entity, by what the two papers do with it
ROLE_BONUS = {
    "both_evaluate": 0.5,  # both report results on the same benchmark
    "introduce_use": 0.5,  # one introduces what the other uses, evaluates on or compares with
}
_USING = ("uses", "evaluates_on", "compares_with")


@dataclass(frozen=True)
class LinkOptions:
    """How papers are linked.

    max_df : an entity in more than this share of the papers creates no links (a fraction
        of the corpus, but never more than ``max_df_papers`` papers and never fewer than 2).
    min_weight : links lighter than this are dropped (one entity shared by a handful of
        papers weighs about 0.8; one in 5% of the papers about 0.3-0.5).
    top_k : each paper keeps at most this many links, the heaviest first.
    weighting, role_bonus : ``"count"`` without the role bonus gives plain shared-entity
        counts, the weights of networkx's ``bipartite.weighted_projected_graph``.
    family_weight : a family two papers share only through variants (one mentions
        Llama-3.1-8B, the other Llama 3) counts this share of a shared entity; 0 (the
        default) links by exact entities only.
    """

    max_df: float = 0.05
    max_df_papers: int = 500
    min_weight: float = 0.5
    top_k: int = 10
    #: "idf" (informative entities weigh more) or "count" (every shared entity weighs 1)
    weighting: str = "idf"
    role_bonus: bool = True
    family_weight: float = 0.0
    chunk_rows: int = 2048

    def df_cap(self, n_papers: int) -> int:
        return max(2, min(self.max_df_papers, int(self.max_df * n_papers)))


def entity_weights(df: np.ndarray, n_papers: int) -> np.ndarray:
    """Normalised IDF of entities with document frequencies ``df``.

    >>> entity_weights(np.array([1, 10, 100]), 100).round(2).tolist()
    [1.0, 0.5, 0.0]
    """
    n = max(n_papers, 2)
    return np.log(n / np.maximum(df, 1)) / math.log(n)


def _incidence(corpus: Corpus):
    papers = [x.paper.id for x in corpus.extractions]
    ents = sorted(corpus.entities)
    col = {e: j for j, e in enumerate(ents)}
    rows, cols, roles = [], [], []
    for i, x in enumerate(corpus.extractions):
        for eid, role in x.roles:
            rows.append(i)
            cols.append(col[eid])
            roles.append(role)
    return papers, ents, np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), np.array(roles, dtype=object)


def link_papers(corpus: Corpus, options: LinkOptions = LinkOptions()) -> list[Link]:
    """Links between papers of ``corpus`` (see the module docstring), heaviest first.

    Examples
    --------
    >>> from kg.model import Paper, Extraction, Entity
    >>> P = lambda i: Paper(id=i, title=i)
    >>> xs = [Extraction(P("a"), roles=(("m:x", "uses"),)), Extraction(P("b"), roles=(("m:x", "introduces"),)),
    ...       Extraction(P("c"), roles=(("m:y", "uses"),))]
    >>> c = Corpus(xs, [Entity("m:x", "X", "METHOD"), Entity("m:y", "Y", "METHOD")])
    >>> [(l.source, l.target, l.shared) for l in link_papers(c, LinkOptions(max_df=1.0))]
    [('a', 'b', ('X',))]
    """
    papers, ents, r, c, roles = _incidence(corpus)
    n, m = len(papers), len(ents)
    if n < 2 or m == 0 or len(r) == 0:
        return []
    if options.family_weight > 0:
        r, c, roles = _with_families(corpus, ents, r, c, roles)
    df = np.bincount(c, minlength=m)
    cap = options.df_cap(n)
    if options.weighting not in ("idf", "count"):
        raise ValueError(f"weighting must be 'idf' or 'count', not {options.weighting!r}")
    w = entity_weights(df, n) if options.weighting == "idf" else np.ones(m)
    live = (df <= cap) & (df >= 2)
    keep = live[c]
    r, c, roles = r[keep], c[keep], roles[keep]
    if len(r) == 0:
        return []
    sq = np.sqrt(w[c] * np.where(roles == "family", options.family_weight, 1.0))

    def mat(mask) -> sparse.csr_matrix:
        return sparse.csr_matrix((sq[mask], (r[mask], c[mask])), shape=(n, m))

    X = mat(np.ones(len(r), dtype=bool))
    E = mat(roles == "evaluates_on")
    Intro = mat(roles == "introduces")
    U = mat(np.isin(roles, _USING))
    XT, ET, IT, UT = X.T.tocsr(), E.T.tocsr(), Intro.T.tocsr(), U.T.tocsr()
    a, b = ROLE_BONUS["both_evaluate"], ROLE_BONUS["introduce_use"]

    # per row: the top_k heaviest candidates above min_weight
    cand: dict[tuple[int, int], float] = {}
    for start in range(0, n, options.chunk_rows):
        stop = min(n, start + options.chunk_rows)
        W = X[start:stop] @ XT
        if options.role_bonus and E.nnz:
            W = W + a * (E[start:stop] @ ET)
        if options.role_bonus and Intro.nnz:
            W = W + b * (Intro[start:stop] @ UT + U[start:stop] @ IT)
        W = W.tocsr()
        for i in range(stop - start):
            lo, hi = W.indptr[i], W.indptr[i + 1]
            js, vals = W.indices[lo:hi], W.data[lo:hi]
            row = start + i
            ok = (js != row) & (vals >= options.min_weight)
            js, vals = js[ok], vals[ok]
            if len(js) > options.top_k:
                top = np.argpartition(-vals, options.top_k - 1)[: options.top_k]
                js, vals = js[top], vals[top]
            for j, v in zip(js.tolist(), vals.tolist(), strict=True):
                key = (row, j) if row < j else (j, row)
                cand[key] = v
    # greedy b-matching: heaviest first, each paper at most top_k links
    degree = np.zeros(n, dtype=np.int64)
    chosen = []
    for (i, j), v in sorted(cand.items(), key=lambda kv: (-kv[1], kv[0])):
        if degree[i] < options.top_k and degree[j] < options.top_k:
            degree[i] += 1
            degree[j] += 1
            chosen.append((i, j, v))
    # explanations: the shared live entities, heaviest contribution first
    per_paper: dict[int, dict[int, str]] = defaultdict(dict)
    for i, j, role in zip(r.tolist(), c.tolist(), roles.tolist(), strict=True):
        per_paper[i][j] = role
    links = []
    for i, j, v in chosen:
        a_roles, b_roles = per_paper[i], per_paper[j]
        shared = [e for e in a_roles if e in b_roles]
        fw = {e: options.family_weight if "family" in (a_roles[e], b_roles[e]) else 1.0 for e in shared}
        shared.sort(
            key=lambda e: (-w[e] * fw[e] * (_factor(a_roles[e], b_roles[e]) if options.role_bonus else 1.0), ents[e])
        )
        names = tuple(corpus.entities[ents[e]].name + (" (family)" if fw[e] != 1.0 else "") for e in shared)
        links.append(Link(papers[i], papers[j], round(float(v), 4), names))
    logger.info(
        "linked %d papers with %d links (%d entities above the cap of %d papers create none)",
        n,
        len(links),
        int((df > cap).sum()),
        cap,
    )
    return links


def _with_families(corpus: Corpus, ents: list[str], r, c, roles):
    """The incidence with, for each entity a paper mentions, the families above it that the
    paper does not mention itself (role ``"family"``)."""
    col = {e: j for j, e in enumerate(ents)}
    have = set(zip(r.tolist(), c.tolist(), strict=True))
    extra = set()
    for i, j in have:
        up, seen = corpus.entities[ents[j]].family, 0
        while up and up in col and seen < 10:
            if (i, col[up]) not in have:
                extra.add((i, col[up]))
            up, seen = corpus.entities[up].family, seen + 1
    if not extra:
        return r, c, roles
    er, ec = zip(*sorted(extra), strict=True)
    return (
        np.concatenate([r, np.array(er, dtype=np.int64)]),
        np.concatenate([c, np.array(ec, dtype=np.int64)]),
        np.concatenate([roles, np.array(["family"] * len(er), dtype=object)]),
    )


def _factor(ra: str, rb: str) -> float:
    f = 1.0
    if ra == "evaluates_on" and rb == "evaluates_on":
        f += ROLE_BONUS["both_evaluate"]
    if (ra == "introduces" and rb in _USING) or (rb == "introduces" and ra in _USING):
        f += ROLE_BONUS["introduce_use"]
    return f


def cooccurrences(corpus: Corpus, *, min_papers: int = 2, top_n: int = 25) -> list[CoOccurrence]:
    """Pairs of entities mentioned in the same papers: ``papers`` counts those papers.

    Only pairs in at least ``min_papers`` papers are kept, and for each entity its ``top_n``
    most frequent partners (a pair stays when either side keeps it). Cost grows with the
    number of entities per paper squared, never with hub size squared.
    """
    papers, ents, r, c, _ = _incidence(corpus)
    n, m = len(papers), len(ents)
    if m < 2 or len(r) == 0:
        return []
    B = sparse.csr_matrix((np.ones(len(r), dtype=np.int32), (r, c)), shape=(n, m))
    B.data[:] = 1  # a paper counts once per entity
    C = sparse.triu(B.T @ B, k=1).tocoo()
    keep = C.data >= min_papers
    rows, cols, vals = C.row[keep], C.col[keep], C.data[keep]
    by_entity: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for k, (i, j, v) in enumerate(zip(rows.tolist(), cols.tolist(), vals.tolist(), strict=True)):
        by_entity[i].append((v, k))
        by_entity[j].append((v, k))
    kept: set[int] = set()
    for items in by_entity.values():
        items.sort(key=lambda t: -t[0])
        kept.update(k for _, k in items[:top_n])
    out = [CoOccurrence(ents[rows[k]], ents[cols[k]], int(vals[k])) for k in sorted(kept)]
    out.sort(key=lambda x: (-x.papers, x.source, x.target))
    return out
