"""The HTML page in a real headless Chromium (Debian's), driven by Playwright, offline.

What a person does with the page is scripted here end to end: read the names on the map,
search, read the details panel, follow its links and come back, bring undrawn nodes in,
focus a community, filter by date, save a PNG. Timings live in bench/html_page.py.
"""

from __future__ import annotations

import json
import time

import pytest
from conftest import require

from kg.export.html import STYLES, select_view, write_html
from kg.export.html_data import node_communities

pytestmark = pytest.mark.browser

HOSTILE = [
    "<script>window.__xss = 'title'</script>",
    '"><img src=x onerror="window.__xss = \'img\'">',
    "</script><script>window.__xss = 'close'</script>",
    "javascript:window.__xss = 'js'",
]
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--enable-unsafe-swiftshader",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser(chromium):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "playwright (pip install -e .[test])")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def overview_page(seed_graph, tmp_path_factory):
    """The seed graph as a big build's page: an overview of 40 entities, drawn by sigma."""
    path = tmp_path_factory.mktemp("html") / "overview.html"
    return write_html(seed_graph, path, mode="overview", overview_size=40, renderer="sigma")


def wait_stabilized(page, timeout: float = 60.0) -> None:
    """Poll from outside the page (its Content-Security-Policy forbids eval-based waiting)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate("Boolean(window.kg && window.kg.state.stabilized && window.kg.state.firstPaintMs)"):
        assert time.monotonic() < deadline, "the graph did not stabilise"
        time.sleep(0.05)


def open_page(browser, path, *, bypass_csp: bool = False):
    """Open a page offline from a file:// URL; collect console errors and any network request.

    ``bypass_csp`` switches the page's Content-Security-Policy off, so that a test of
    escaping proves that nothing runs because nothing was injected, not because CSP blocked it.
    """
    context = browser.new_context(
        offline=True, viewport={"width": 1400, "height": 900}, bypass_csp=bypass_csp, accept_downloads=True
    )
    page = context.new_page()
    problems = {"console": [], "requests": []}
    page.on("console", lambda m: problems["console"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems["console"].append(str(e)))
    page.on(
        "request", lambda r: problems["requests"].append(r.url) if not r.url.startswith(("file:", "data:")) else None
    )
    page.goto(path.resolve().as_uri())
    wait_stabilized(page)
    return context, page, problems


def labels(page) -> list[dict]:
    """The labels drawn in the last frame (boxes in screen pixels); waits for a frame."""
    page.wait_for_timeout(150)
    return page.evaluate("kg.labels()")


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["text"], b["text"])
        for k, a in enumerate(boxes)
        for b in boxes[k + 1 :]
        if a["x"] < b["x"] + b["w"]
        and b["x"] < a["x"] + a["w"]
        and a["y"] < b["y"] + b["h"]
        and b["y"] < a["y"] + a["h"]
    ]


def panel_title(page) -> str:
    return page.locator("#kg-details h2").inner_text()


def css_rgb(hex_color: str) -> str:
    h = hex_color.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(h[i : i + 2], 16) for i in (0, 2, 4)))


def test_seed_page_names_the_biggest_nodes(browser, seed_build, seed_graph, artifacts):
    context, page, problems = open_page(browser, seed_build / "graph.html")
    try:
        v = select_view(seed_graph, "paper-entity")
        assert v.omitted == 0  # the seed build fits: drawn whole by vis-network
        assert page.evaluate("[kg.state.mode, kg.state.renderer, typeof vis.Network]") == ["full", "vis", "function"]
        assert page.evaluate("kg.count()") == [len(v.nodes), len(v.edges)]
        assert page.evaluate("kg.renderer.network().physics.physicsEnabled") is False  # settled, then stopped
        drawn = page.evaluate("kg.data.draw.nodes.map(n => [n.id, n.size])")
        count = dict(zip(page.evaluate("kg.data.index.id"), page.evaluate("kg.data.index.count"), strict=True))
        biggest = [n for n, _ in sorted(drawn, key=lambda t: (-t[1], -count[t[0]], t[0]))[:15]]
        shown = labels(page)
        names = {b["id"] for b in shown}
        assert len(shown) >= 15
        assert set(biggest) <= names, f"unlabelled among the 15 biggest: {set(biggest) - names}"
        assert overlapping(shown) == []
        assert min(b["size"] for b in shown) >= 11  # px: readable
        assert all(b["x"] >= 0 and b["x"] + b["w"] <= 1400 and b["y"] >= 0 for b in shown)
        page.screenshot(path=str(artifacts / "graph-seed.png"))
        (artifacts / "graph-seed-labels.json").write_text(json.dumps([b["text"] for b in shown], ensure_ascii=False))
        # zooming in shows names of smaller nodes too
        page.evaluate("kg.renderer.network().moveTo({scale: kg.renderer.network().getScale() * 3})")
        zoomed = labels(page)
        assert overlapping(zoomed) == [] and {b["id"] for b in zoomed} - names
        assert problems == {"console": [], "requests": []}
    finally:
        context.close()


def test_user_task_search_panel_links_and_back(browser, seed_build, seed_graph):
    """search "LoRA" -> focused, its papers by role -> a paper -> its related papers and why
    -> a related paper -> back returns."""
    lora_papers = [p for p, d in seed_graph.adj["method:lora"].items() if d.get("kind") == "MENTIONS"]
    paper = next(
        p
        for p in lora_papers
        if any(d.get("kind") == "RELATED" and d.get("shared") for d in seed_graph.adj[p].values())
    )
    context, page, problems = open_page(browser, seed_build / "graph.html")
    try:
        page.fill("#kg-search", "LoR")
        suggested = page.locator("#kg-suggest li").evaluate_all("lis => lis.map(li => li.dataset.id)")
        assert "method:lora" in suggested and page.locator("#kg-suggest").is_visible()
        page.fill("#kg-search", "LoRA")
        page.press("#kg-search", "Enter")
        assert page.evaluate("kg.selected()") == "method:lora"
        assert page.evaluate("kg.renderer.network().getSelectedNodes()") == ["method:lora"]
        assert panel_title(page) == "LoRA"
        marked = [b for b in labels(page) if b["id"] == "method:lora"]
        assert marked and marked[0]["size"] >= 15  # named, in bold, on the canvas
        roles = {d.get("role") for p, d in seed_graph.adj["method:lora"].items() if d.get("kind") == "MENTIONS"}
        shown_roles = page.locator("#kg-details section[data-role]").evaluate_all("s => s.map(x => x.dataset.role)")
        assert set(shown_roles) == roles
        listed = page.locator("#kg-details section[data-role] a.kg-link").evaluate_all(
            "as => as.map(a => a.dataset.id)"
        )
        assert sorted(listed) == sorted(lora_papers)
        # a paper: its related papers with the shared entities that explain each link
        page.click(f"#kg-details section[data-role] a.kg-link[data-id='{paper}']")
        title = seed_graph.nodes[paper]["title"]
        assert panel_title(page) == title
        assert page.evaluate("kg.selected()") == paper
        items = page.locator("#kg-related li.kg-related-item")
        assert items.count() >= 1
        first = items.first
        assert "shared:" in first.inner_text()
        other = first.locator("a.kg-link").first.get_attribute("data-id")
        shared = seed_graph.edges[paper, other]["shared"]
        why = first.locator(".kg-why a.kg-link").evaluate_all("as => as.map(a => a.textContent.toLowerCase())")
        assert {s.lower() for s in shared} <= set(why)
        first.locator("a.kg-link").first.click()
        assert panel_title(page) == seed_graph.nodes[other]["title"]
        page.go_back()
        page.wait_for_function("document.querySelector('#kg-details h2').textContent.length > 0")
        assert panel_title(page) == title
        page.click("#kg-back")
        page.wait_for_timeout(100)
        assert panel_title(page) == "LoRA"
        page.click("#kg-forward")
        page.wait_for_timeout(100)
        assert panel_title(page) == title
        # an entity name in a paper's panel leads to that entity
        page.click("#kg-details section[data-role] a.kg-link >> nth=0")
        assert page.evaluate("kg.selected()").split(":")[0] in ("method", "dataset", "benchmark")
        assert problems == {"console": [], "requests": []}
    finally:
        context.close()


@pytest.mark.parametrize("renderer", ["vis", "sigma"])
def test_undrawn_node_found_and_brought_with_its_neighbours(browser, seed_graph, overview_page, tmp_path, renderer):
    path = (
        overview_page
        if renderer == "sigma"
        else write_html(seed_graph, tmp_path / "vis-overview.html", mode="overview", overview_size=40, renderer="vis")
    )
    context, page, problems = open_page(browser, path)
    try:
        assert page.evaluate("[kg.state.mode, kg.state.renderer]") == ["overview", renderer]
        drawn = set(page.evaluate("kg.drawn()"))
        assert len(drawn) == 40
        papers = [n for n, d in seed_graph.nodes(data=True) if d.get("kind") == "Paper"]
        target = max((p for p in papers if p not in drawn), key=lambda p: (seed_graph.degree(p), p))
        title = seed_graph.nodes[target]["title"]
        page.fill("#kg-search", title[:30])
        assert target in page.locator("#kg-suggest li").evaluate_all("lis => lis.map(li => li.dataset.id)")
        page.fill("#kg-search", title)
        page.press("#kg-search", "Enter")
        now = set(page.evaluate("kg.drawn()"))
        entities = {e for e, d in seed_graph.adj[target].items() if d.get("kind") == "MENTIONS"}
        assert target in now and entities <= now
        assert page.evaluate("kg.selected()") == target and panel_title(page) == title
        assert "Brought onto the map" in page.locator("#kg-search-status").inner_text()
        if renderer == "sigma":
            assert page.evaluate(f"kg.renderer.graph.degree({json.dumps(target)})") >= len(entities)
        else:
            assert len(page.evaluate(f"kg.renderer.network().getConnectedNodes({json.dumps(target)})")) >= len(entities)
        # double-click expansion: an entity brings its papers
        entity = next(iter(sorted(drawn)))
        before = page.evaluate("kg.count()")[0]
        page.evaluate(f"kg.expand({json.dumps(entity)})")
        assert page.evaluate("kg.count()")[0] > before
        assert problems == {"console": [], "requests": []}
    finally:
        context.close()


@pytest.mark.parametrize("renderer", ["vis", "sigma"])
def test_community_legend_names_communities_in_node_colours(browser, seed_build, seed_graph, overview_page, renderer):
    community, comms = node_communities(seed_graph)
    path = seed_build / "graph.html" if renderer == "vis" else overview_page
    context, page, problems = open_page(browser, path)
    try:
        rows = page.locator("#kg-communities .kg-community")
        assert rows.count() == len(comms) >= 3
        for k, c in enumerate(comms):
            row = rows.nth(k)
            assert row.locator(".kg-community-name").inner_text() == ", ".join(c["label"])
            assert f"{c['papers']} papers" in row.inner_text()
            assert row.locator(".kg-swatch").evaluate("e => getComputedStyle(e).backgroundColor") == css_rgb(c["color"])
        drawn = page.evaluate("kg.drawn()")
        colours = dict(page.evaluate("kg.drawn().map(id => [id, kg.nodeColor(id).toLowerCase()])"))
        members = {n: comms[community[n]]["color"] for n in drawn if community.get(n, -1) >= 0}
        assert len(members) >= 10
        assert {n: colours[n] for n in members} == members
        # colour by type, and back
        page.check("input[name=kg-color][value=type]")
        n = drawn[0]
        assert page.evaluate(f"kg.nodeColor({json.dumps(n)})").lower() == STYLES[seed_graph.nodes[n]["kind"]]["color"]
        page.check("input[name=kg-color][value=community]")
        # a legend entry focuses its community: the others fade, the panel names it
        rows.nth(0).click()
        faded = page.evaluate("kg.drawn().filter(id => kg.colorOf(id) === '#e4e7eb').length")
        members = [x for x in drawn if community.get(x, -1) == 0]
        assert faded == len(drawn) - len(members) and members
        assert ", ".join(comms[0]["label"]) in panel_title(page)
        assert problems == {"console": [], "requests": []}
    finally:
        context.close()


def test_date_filter_and_png_export(browser, seed_build, seed_graph, tmp_path):
    context, page, problems = open_page(browser, seed_build / "graph.html")
    try:
        months = sorted(
            {
                d["date"][:7]
                for _, d in seed_graph.nodes(data=True)
                if d.get("kind") == "Paper" and str(d.get("date") or "")[:4].isdigit()
            }
        )
        assert len(months) > 3
        visible = len(page.evaluate("kg.visible()"))
        cut = len(months) // 2
        page.locator("#kg-date-to").fill(str(cut))
        page.locator("#kg-date-to").dispatch_event("input")
        kept = set(page.evaluate("kg.visible()"))
        assert len(kept) < visible
        for n in page.evaluate("kg.drawn()"):
            d = seed_graph.nodes[n]
            date = str(d.get("date") or "")
            if d.get("kind") == "Paper" and date[:4].isdigit():
                assert (n in kept) == (date[:7] <= months[cut]), (n, date)
        assert months[cut] in page.locator("#kg-date-value").inner_text()
        with page.expect_download() as dl:
            page.click("#kg-png")
        png = tmp_path / "view.png"
        dl.value.save_as(png)
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
        assert problems == {"console": [], "requests": []}
    finally:
        context.close()


def test_sigma_png_has_the_picture(browser, overview_page, tmp_path, artifacts):
    context, page, problems = open_page(browser, overview_page)
    try:
        with page.expect_download() as dl:
            page.click("#kg-png")
        png = tmp_path / "view.png"
        dl.value.save_as(png)
        # the WebGL layers were copied: the image is not one flat colour
        page.goto(png.resolve().as_uri())
        colours = page.evaluate("""() => { const img = document.querySelector('img'); const c = document.createElement('canvas');
            c.width = img.naturalWidth; c.height = img.naturalHeight; const x = c.getContext('2d'); x.drawImage(img, 0, 0);
            const d = x.getImageData(0, 0, c.width, c.height).data; const seen = new Set();
            for (let i = 0; i < d.length; i += 397 * 4) seen.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]); return seen.size; }""")
        assert colours > 5
        assert problems == {"console": [], "requests": []}
    finally:
        context.close()


def test_hostile_text_shows_as_text_and_runs_nothing(browser, tmp_path, artifacts):
    from kg.extract import extract
    from kg.graph import build_graph
    from kg.link import LinkOptions, link_papers
    from kg.model import Paper

    papers = [
        Paper(id=f"evil-{i}", title=f"Evil title {i} {h}", abstract=f"We fine-tune LoRA and BERT. {h}")
        for i, h in enumerate(HOSTILE)
    ]
    corpus = extract(papers)
    G = build_graph(corpus, link_papers(corpus, LinkOptions(max_df=1.0, min_weight=0.0)))
    # an entity name with markup, as a hostile input could produce, in every paper: it names the community
    G.add_node("method:evil", kind="Method", name=HOSTILE[2], type="METHOD", aliases=[HOSTILE[1]], paper_count=4)
    for p in G.nodes:
        if str(p).startswith("evil-"):
            G.add_edge(p, "method:evil", kind="MENTIONS", role="uses", count=1, confidence=1.0, evidence=HOSTILE[0])
    G.add_node("method:evil-v2", kind="Method", name=HOSTILE[0] + " v2", type="METHOD", aliases=[], paper_count=1)
    G.add_edge("method:evil-v2", "method:evil", kind="VARIANT_OF", family="method:evil")
    G.add_edge("evil-0", "method:evil-v2", kind="MENTIONS", role="introduces", count=1, confidence=1.0, evidence="")
    G.nodes["evil-0"]["url"] = HOSTILE[3]
    G.add_node("arxiv:2401.01234", kind="Paper", title="A plain arXiv paper", date="2024-01-03")
    G.add_edge("arxiv:2401.01234", "method:evil", kind="MENTIONS", role="uses", count=1, confidence=1.0, evidence="")
    G.nodes["evil-1"]["url"] = "https://example.org/?q=" + HOSTILE[1]
    for renderer in ("vis", "sigma"):
        path = write_html(G, tmp_path / f"evil-{renderer}.html", renderer=renderer)
        html = path.read_text()
        assert "<script>window.__xss" not in html and "<img src=x" not in html
        context, page, problems = open_page(browser, path, bypass_csp=True)
        try:
            assert page.evaluate("window.__xss") is None
            page.fill("#kg-search", "Evil title 0")
            page.press("#kg-search", "Enter")
            assert panel_title(page) == papers[0].title
            assert page.locator("#kg-details a.kg-ext").count() == 0  # a javascript: address is not a link
            page.fill("#kg-search", "Evil title 1")
            page.press("#kg-search", "Enter")
            assert page.locator("#kg-details a.kg-ext").get_attribute("href").startswith("https://example.org/")
            page.evaluate("kg.search('A plain arXiv paper')")
            arxiv = page.locator("#kg-details a.kg-ext")
            assert (arxiv.inner_text(), arxiv.get_attribute("href")) == ("arXiv", "https://arxiv.org/abs/2401.01234")
            page.evaluate("kg.search('method:evil')")
            assert panel_title(page) == HOSTILE[2]
            assert HOSTILE[1] in page.locator("#kg-details .kg-aliases").inner_text()
            assert HOSTILE[2] in [b["text"] for b in labels(page)]  # drawn on the canvas as text
            page.evaluate("kg.search('method:evil-v2')")
            assert page.locator("#kg-details .kg-family a").inner_text() == HOSTILE[2]
            _, comms = node_communities(G)
            names = page.locator("#kg-communities .kg-community-name").evaluate_all("s => s.map(x => x.textContent)")
            assert names == [", ".join(c["label"]) for c in comms]  # verbatim: text, not markup
            if renderer == "vis":
                tip = page.evaluate("kg.renderer.nodes.get('method:evil').title.textContent")
                assert HOSTILE[2] in tip and HOSTILE[1] in tip
            page.fill("#kg-search", "<scr")
            assert page.locator("#kg-suggest li").count() >= 1
            assert page.evaluate("window.__xss") is None
            assert page.locator("img").count() == 0
            page.screenshot(path=str(artifacts / f"graph-hostile-{renderer}.png"))
            assert problems == {"console": [], "requests": []}
        finally:
            context.close()


@pytest.mark.parametrize("view", ["paper-paper", "entity"])
def test_other_views_open(browser, seed_graph, tmp_path, view):
    cap = len(select_view(seed_graph, view, max_nodes=10**9).nodes) // 2
    path = write_html(seed_graph, tmp_path / f"{view}.html", view=view, max_nodes=cap, mode="full")
    v = select_view(seed_graph, view, max_nodes=cap)
    assert v.omitted > 0 and len(v.nodes) == cap
    context, page, problems = open_page(browser, path)
    try:
        assert page.evaluate("kg.count()") == [len(v.nodes), len(v.edges)]
        assert "left out" in page.locator("#kg-omitted").inner_text()
        assert overlapping(labels(page)) == []
        assert problems == {"console": [], "requests": []}
    finally:
        context.close()
