"""How the HTML page does in a real browser: file size, time to first paint, time until the
layout settles, page memory, and the labels at the default zoom, per build and renderer.

    .venv/bin/python bench/html_page.py kg-out /work/builds/arxiv10k /work/builds/arxiv75k
    .venv/bin/python bench/html_page.py kg-out --repeat 5 --configs auto

Each build is written as pages (``--configs``: ``auto`` = what ``kg build`` writes; for
builds above the threshold also the overview drawn by vis-network and by sigma, and the
old capped 1,500-node vis-network page), each page opened ``--repeat`` times in a fresh
offline Chromium context (Debian's, through Playwright), medians reported:

* ``write s``: building the page in Python (communities, index, layout, template);
* ``paint s``: navigation start -> first frame with nodes on it (``kg.state.firstPaintMs``);
* ``settled s``: navigation start -> layout settled (physics stopped, or precomputed);
* ``heap MB``: the page's JS heap (CDP ``Performance.getMetrics``, ``JSHeapUsedSize``);
* ``rss MB``: resident memory of the whole Chromium process tree after settling;
* ``labels``: names drawn at the default zoom, whether they overlap, whether the 15 biggest
  drawn nodes are among them;
* ``search ms``: suggestions for a common word over every paper and entity of the build.

Screenshots of the first repeat go to tests/artifacts/graph-<build>-<config>.png and the
numbers to bench/results/html-page-<time>.json (both ignored by git).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ARTIFACTS = ROOT / "tests" / "artifacts"
RESULTS = ROOT / "bench" / "results"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--enable-unsafe-swiftshader",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def log(*a) -> None:
    print(*a, file=sys.stderr, flush=True)


def tree_rss(pid: int) -> int:
    try:
        p = psutil.Process(pid)
        procs = [p] + p.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for q in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += q.memory_info().rss
    return total


def browser_pid(browser_exe: str) -> int | None:
    """The Chromium browser process this script launched (a child of Playwright's driver)."""
    me = psutil.Process(os.getpid())
    for q in me.children(recursive=True):
        try:
            if (q.exe() == os.path.realpath(browser_exe) or "chrom" in q.name()) and "--type=" not in " ".join(
                q.cmdline()
            ):
                return q.pid
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return None


def overlaps(boxes: list[dict]) -> int:
    return sum(
        1
        for k, a in enumerate(boxes)
        for b in boxes[k + 1 :]
        if a["x"] < b["x"] + b["w"]
        and b["x"] < a["x"] + a["w"]
        and a["y"] < b["y"] + b["h"]
        and b["y"] < a["y"] + a["h"]
    )


def measure_page(browser, pid, path: Path, shot: Path | None, word: str, timeout: float = 300.0) -> dict:
    context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    t0 = time.perf_counter()
    page.goto(path.resolve().as_uri(), timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    while not page.evaluate("Boolean(window.kg && kg.state.stabilized && kg.state.firstPaintMs)"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path}: not settled after {timeout} s")
        time.sleep(0.05)
    wall = time.perf_counter() - t0
    page.wait_for_timeout(300)
    st = page.evaluate("kg.state")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    labels = page.evaluate("kg.labels()")
    drawn = page.evaluate("kg.data.draw.nodes.map(n => [n.id, n.size])")
    count = dict(zip(page.evaluate("kg.data.index.id"), page.evaluate("kg.data.index.count"), strict=True))
    biggest = [n for n, _ in sorted(drawn, key=lambda t: (-t[1], -count[t[0]], t[0]))[:15]]
    named = {b["id"] for b in labels}
    search_ms = page.evaluate(
        f"(() => {{ const t = performance.now(); kg.suggestions({json.dumps(word)}, 12); "
        f"return performance.now() - t; }})()"
    )
    # interaction: expand the 20 biggest drawn entities (their papers come in), then time
    # synchronous redraws of everything drawn (what each frame of a pan or zoom costs)
    if shot:
        page.screenshot(path=str(shot))
    expand = page.evaluate("""() => { const ix = kg.data.index, at = new Map(ix.id.map((id, i) => [id, i]));
        const ids = kg.data.draw.nodes.filter(n => ix.kind[at.get(n.id)] > 0)
          .sort((a, b) => b.size - a.size).slice(0, 20).map(n => n.id);
        const t = performance.now(); ids.forEach(id => kg.expand(id));
        const r = kg.renderer;  // and draw the result once, synchronously
        if (r.name === 'vis') { r.network().renderer._redraw(); } else { r.renderer().refresh(); }
        return [performance.now() - t, kg.count()[0]]; }""")
    frame = page.evaluate("""() => { const r = kg.renderer, times = [];
        for (let k = 0; k < 5; k++) { const t = performance.now();
          if (r.name === 'vis') { r.network().renderer._redraw(); } else { r.renderer().render(); }
          times.push(performance.now() - t); }
        times.sort((a, b) => a - b); return times[2]; }""")
    row = {
        "expand_ms": expand[0],
        "expanded_nodes": expand[1],
        "frame_ms": frame,
        "paint_s": st["firstPaintMs"] / 1000,
        "settled_s": st["settledMs"] / 1000,
        "wall_s": wall,
        "heap_mb": metrics.get("JSHeapUsedSize", 0) / 2**20,
        "rss_mb": tree_rss(pid) / 2**20 if pid else None,
        "labels": len(labels),
        "label_overlaps": overlaps(labels),
        "top15_labelled": sum(n in named for n in biggest),
        "drawn": page.evaluate("kg.count()"),
        "search_ms": search_ms,
        "renderer": st["renderer"],
        "mode": st["mode"],
        "errors": errors,
        "requests": requests,
    }
    context.close()
    return row


def configs_for(G, wanted: list[str]) -> list[tuple[str, dict]]:
    from kg.export.html import choose_mode

    out = []
    big = choose_mode(G) == "overview"
    for c in wanted:
        if c == "auto":
            out.append(("auto", {}))
        elif big and c == "overview-vis":
            out.append((c, {"mode": "overview", "renderer": "vis"}))
        elif big and c == "overview-sigma":
            out.append((c, {"mode": "overview", "renderer": "sigma"}))
        elif big and c == "capped-vis":
            out.append((c, {"mode": "full", "renderer": "vis"}))
        elif big and c == "capped-sigma":
            out.append((c, {"mode": "full", "renderer": "sigma"}))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("builds", nargs="+", type=Path, help="kg build output folders")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--configs", nargs="+", default=["auto", "overview-vis", "overview-sigma", "capped-vis"])
    ap.add_argument("--chromium", default=os.environ.get("KG_CHROMIUM", "/usr/bin/chromium"))
    ap.add_argument("--word", default="transformer", help="what the search timing types")
    ap.add_argument("--out", type=Path, default=None, help="where the pages go [default: a temporary folder]")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from kg.export.html import write_html
    from kg.graph import read_graph

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    import tempfile

    work = args.out or Path(tempfile.mkdtemp(prefix="kg-html-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    with sync_playwright() as p:
        for build in args.builds:
            t = time.perf_counter()
            G = read_graph(build)
            log(f"[{build.name}] read in {time.perf_counter() - t:.1f} s: {G.number_of_nodes():,} nodes")
            n_papers = sum(1 for _, d in G.nodes(data=True) if d.get("kind") == "Paper")
            for name, kw in configs_for(G, args.configs):
                path = work / f"{build.name}-{name}.html"
                t = time.perf_counter()
                write_html(G, path, **kw)
                write_s = time.perf_counter() - t
                runs = []
                for r in range(args.repeat):
                    b = p.chromium.launch(executable_path=args.chromium, headless=True, args=ARGS)
                    pid = browser_pid(args.chromium)
                    shot = ARTIFACTS / f"graph-{build.name}-{name}.png" if r == 0 else None
                    runs.append(measure_page(b, pid, path, shot, args.word))
                    b.close()
                med = {
                    k: statistics.median(x[k] for x in runs)
                    for k in (
                        "paint_s",
                        "settled_s",
                        "wall_s",
                        "heap_mb",
                        "rss_mb",
                        "search_ms",
                        "expand_ms",
                        "frame_ms",
                    )
                    if all(x[k] is not None for x in runs)
                }
                row = {
                    "build": build.name,
                    "papers": n_papers,
                    "nodes": G.number_of_nodes(),
                    "config": name,
                    "renderer": runs[0]["renderer"],
                    "mode": runs[0]["mode"],
                    "file_mb": path.stat().st_size / 2**20,
                    "write_s": write_s,
                    **med,
                    "labels": runs[0]["labels"],
                    "label_overlaps": runs[0]["label_overlaps"],
                    "top15_labelled": runs[0]["top15_labelled"],
                    "drawn": runs[0]["drawn"],
                    "expanded_nodes": runs[0]["expanded_nodes"],
                    "errors": runs[0]["errors"],
                    "requests": runs[0]["requests"],
                    "runs": runs,
                }
                rows.append(row)
                log(
                    f"[{build.name} {name}] {row['file_mb']:.1f} MB, paint {row.get('paint_s', 0):.2f} s, settled "
                    f"{row.get('settled_s', 0):.2f} s, heap {row.get('heap_mb', 0):.0f} MB, rss {row.get('rss_mb', 0):.0f} MB, "
                    f"labels {row['labels']} (top 15: {row['top15_labelled']}, overlaps {row['label_overlaps']})"
                )
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"html-page-{stamp}.json").write_text(json.dumps(rows, indent=2))
    cols = [
        ("build", "build", "{}"),
        ("papers", "papers", "{:,}"),
        ("config", "page", "{}"),
        ("renderer", "renderer", "{}"),
        ("file_mb", "MB", "{:.1f}"),
        ("write_s", "write s", "{:.1f}"),
        ("paint_s", "paint s", "{:.2f}"),
        ("settled_s", "settled s", "{:.2f}"),
        ("heap_mb", "heap MB", "{:.0f}"),
        ("rss_mb", "rss MB", "{:.0f}"),
        ("labels", "labels", "{}"),
        ("top15_labelled", "top15", "{}/15"),
        ("label_overlaps", "overlaps", "{}"),
        ("search_ms", "search ms", "{:.0f}"),
        ("expanded_nodes", "nodes after expand", "{:,}"),
        ("expand_ms", "expand ms", "{:.0f}"),
        ("frame_ms", "frame ms", "{:.0f}"),
    ]
    print("| " + " | ".join(c[1] for c in cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(fmt.format(r[k]) if r.get(k) is not None else "" for k, _, fmt in cols) + " |")


if __name__ == "__main__":
    main()
