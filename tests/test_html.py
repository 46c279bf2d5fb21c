"""The HTML page in a real headless Chromium (Debian's), driven by Playwright, offline."""

from __future__ import annotations

import json
import time

import pytest

from conftest import require
from kg.export.html import select_view, write_html

pytestmark = pytest.mark.browser

HOSTILE = [
    "<script>window.__xss = 'title'</script>",
    '"><img src=x onerror="window.__xss = \'img\'">',
    "</script><script>window.__xss = 'close'</script>",
    "javascript:window.__xss = 'js'",
]


@pytest.fixture(scope="module")
def browser(chromium):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "playwright (pip install -e .[test])")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def wait_stabilized(page, timeout: float = 60.0) -> None:
    """Poll from outside the page (its Content-Security-Policy forbids eval-based waiting)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate("Boolean(window.kg && window.kg.state.stabilized)"):
        assert time.monotonic() < deadline, "the graph did not stabilise"
        time.sleep(0.05)


def open_page(browser, path, *, bypass_csp: bool = False):
    """Open a page offline from a file:// URL; collect console errors and any network request.

    ``bypass_csp`` switches the page's Content-Security-Policy off, so that a test of
    escaping proves that nothing runs because nothing was injected, not because CSP blocked it.
    """
    context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900}, bypass_csp=bypass_csp)
    page = context.new_page()
    problems = {"console": [], "requests": []}
    page.on("console", lambda m: problems["console"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems["console"].append(str(e)))
    page.on("request", lambda r: problems["requests"].append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    page.goto(path.resolve().as_uri())
    wait_stabilized(page)
    return context, page, problems


def test_seed_page_offline(browser, seed_build, seed_graph, artifacts):
    context, page, problems = open_page(browser, seed_build / "graph.html")
    try:
        v = select_view(seed_graph, "paper-entity")
        omitted = v.omitted
        counts = page.evaluate("[kg.nodes.length, kg.edges.length, typeof vis.Network, kg.network.body !== undefined]")
        assert counts == [len(v.nodes), len(v.edges), "function", True]
        ms = page.evaluate("kg.state.stabilizationMs")
        physics = page.evaluate("kg.network.physics.physicsEnabled")
        assert physics is False  # stabilised, then stopped: no endless jiggling
        # legend, filters and search box are there
        assert page.locator("#kg-legend input[type=checkbox]").count() >= 3
        assert page.locator("#kg-search").count() == 1 and page.locator("#kg-min-weight").count() == 1
        if omitted:
            assert "left out" in page.locator("#kg-omitted").inner_text()
        # a search focuses the right node and highlights its neighbourhood
        page.fill("#kg-search", "low-rank adaptation")
        page.press("#kg-search", "Enter")
        assert page.evaluate("kg.network.getSelectedNodes()") == ["method:lora"]
        assert "LoRA" in page.locator("#kg-details h2").inner_text()
        grey = page.evaluate("kg.nodes.get().filter(n => String(n.color).startsWith('rgba(200')).length")
        assert 0 < grey < counts[0]
        # the type filter hides a kind; shown again, its nodes come back where they were
        paper = next(n for n in v.nodes if seed_graph.nodes[n]["kind"] == "Paper")
        before = page.evaluate("id => kg.network.getPositions([id])[id]", paper)
        page.locator("#kg-legend input[data-kind=Paper]").uncheck()
        hidden = page.evaluate("kg.network.body.data.nodes.length")
        assert hidden == counts[0] - sum(1 for n in v.nodes if seed_graph.nodes[n]["kind"] == "Paper")
        page.locator("#kg-legend input[data-kind=Paper]").check()
        after = page.evaluate("id => kg.network.getPositions([id])[id]", paper)
        assert abs(after["x"] - before["x"]) < 1 and abs(after["y"] - before["y"]) < 1
        page.click("#kg-reset")
        page.screenshot(path=str(artifacts / "graph-seed.png"))
        (artifacts / "graph-seed.json").write_text(json.dumps({"stabilization_ms": ms, "nodes": counts[0], "edges": counts[1]}))
        assert problems == {"console": [], "requests": []}
    finally:
        context.close()


def test_hostile_text_shows_as_text_and_runs_nothing(browser, tmp_path, artifacts):
    from kg.extract import extract
    from kg.graph import build_graph
    from kg.link import LinkOptions, link_papers
    from kg.model import Paper

    papers = [Paper(id=f"evil-{i}", title=f"Evil title {i} {h}", abstract=f"We fine-tune LoRA and BERT. {h}")
              for i, h in enumerate(HOSTILE)]
    corpus = extract(papers)
    G = build_graph(corpus, link_papers(corpus, LinkOptions(max_df=1.0, min_weight=0.0)))
    # an entity name with markup, as a hostile input could produce
    G.add_node("method:evil", kind="Method", name=HOSTILE[2], type="METHOD", aliases=[HOSTILE[1]], paper_count=2)
    for p in ("evil-0", "evil-1"):
        G.add_edge(p, "method:evil", kind="MENTIONS", role="uses", count=1, confidence=1.0, evidence=HOSTILE[0])
    path = write_html(G, tmp_path / "evil.html")
    html = path.read_text()
    assert "<script>window.__xss" not in html and "<img src=x" not in html
    context, page, problems = open_page(browser, path, bypass_csp=True)
    try:
        assert page.evaluate("window.__xss") is None
        # the text is there, as text: in the details panel after a search, and in tooltips
        page.fill("#kg-search", "Evil title 0")
        page.press("#kg-search", "Enter")
        assert page.locator("#kg-details h2").inner_text() == papers[0].title
        tip = page.evaluate("kg.nodes.get('method:evil').title.textContent")
        assert HOSTILE[2] in tip and HOSTILE[1] in tip
        page.evaluate("kg.search('evil-0')")
        assert page.evaluate("window.__xss") is None
        assert page.locator("img").count() == 0
        page.screenshot(path=str(artifacts / "graph-hostile.png"))
        assert problems == {"console": [], "requests": []}
    finally:
        context.close()


@pytest.mark.parametrize("view", ["paper-paper", "entity"])
def test_other_views_open(browser, seed_graph, tmp_path, view):
    cap = len(select_view(seed_graph, view, max_nodes=10**9).nodes) // 2
    path = write_html(seed_graph, tmp_path / f"{view}.html", view=view, max_nodes=cap)
    v = select_view(seed_graph, view, max_nodes=cap)
    assert v.omitted > 0 and len(v.nodes) == cap
    context, page, problems = open_page(browser, path)
    try:
        assert page.evaluate("[kg.nodes.length, kg.edges.length]") == [len(v.nodes), len(v.edges)]
        assert "left out" in page.locator("#kg-omitted").inner_text()
        assert problems == {"console": [], "requests": []}
    finally:
        context.close()
