/* kg's page, sigma.js (WebGL) renderer, for big builds. Positions come precomputed, so the
 * picture is settled as soon as it is drawn. sigma's own labels are off: the app places
 * labels on an overlay canvas after each frame, the same way as with vis-network. */
(function () {
  "use strict";
  window.KGRender = window.KGRender || {};

  window.KGRender.sigma = function (container, app) {
    var G = new KGSigma.Graph({ type: "undirected", multi: false, allowSelfLoops: false });
    var overlay = document.createElement("canvas");
    overlay.className = "kg-overlay";
    var state = { stabilized: false, settledMs: null, firstPaintMs: null };
    var listeners = { ready: [] };
    var renderer = null;
    var pending = false;  // a refresh is scheduled for the next frame
    // several changes in one user action cost one full refresh (sigma reprocesses every
    // node and edge); reads of what is drawn flush it first
    function refresh() {
      if (renderer && !pending) { pending = true; renderer.scheduleRefresh(); }
    }
    function flush() {
      if (renderer && pending) { renderer.refresh(); }
    }

    function nodeReducer(id, attrs) {
      var out = Object.assign({}, attrs);
      out.color = app.colorOf(id);
      out.hidden = app.isHidden(id);
      out.zIndex = app.isFaded(id) ? 0 : 1;
      return out;
    }
    function edgeReducer(id, attrs) {
      var ends = G.extremities(id);
      var out = Object.assign({}, attrs);
      if (app.isHidden(ends[0]) || app.isHidden(ends[1])) { out.hidden = true; }
      else if (app.isFaded(ends[0]) || app.isFaded(ends[1])) { out.color = "#eef0f3"; }
      return out;
    }
    function screenNodes() {
      var w = container.clientWidth, h = container.clientHeight, out = [];
      G.forEachNode(function (id) {
        var d = renderer.getNodeDisplayData(id);
        if (!d || d.hidden) { return; }
        var p = renderer.framedGraphToViewport(d);
        var r = renderer.scaleSize(d.size);
        if (p.x + r < 0 || p.y + r < 0 || p.x - r > w || p.y - r > h) { return; }
        out.push({ id: id, x: p.x, y: p.y, r: r });
      });
      return out;
    }
    function drawOverlay() {
      pending = false;
      var ratio = window.devicePixelRatio || 1;
      var w = container.clientWidth, h = container.clientHeight;
      if (overlay.width !== Math.round(w * ratio) || overlay.height !== Math.round(h * ratio)) {
        overlay.width = Math.round(w * ratio);
        overlay.height = Math.round(h * ratio);
        overlay.style.width = w + "px";
        overlay.style.height = h + "px";
      }
      var ctx = overlay.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, w, h);
      app.drawLabels(ctx, screenNodes(), w, h);
      if (state.firstPaintMs === null) { state.firstPaintMs = performance.now(); }
    }

    function add(newNodes, newEdges) {
      newNodes.forEach(function (n) {
        if (!G.hasNode(n.id)) {
          G.addNode(n.id, { x: n.x, y: n.y, size: n.size / 3, label: app.label(n.id), color: app.colorOf(n.id) });
        }
      });
      newEdges.forEach(function (e) {
        if (G.hasNode(e.from) && G.hasNode(e.to) && !G.hasEdge(e.from, e.to)) {
          G.addEdge(e.from, e.to, { size: Math.max(0.4, (e.width || 1) / 4), color: "#ccd3da" });
        }
      });
    }
    function camera() { return renderer.getCamera(); }
    function start() {
      renderer = new KGSigma.Sigma(G, container, {
        renderLabels: false, renderEdgeLabels: false, enableEdgeEvents: false, zIndex: true,
        hideEdgesOnMove: G.size > 20000, defaultEdgeColor: "#ccd3da", labelFont: "system-ui, sans-serif",
        nodeReducer: nodeReducer, edgeReducer: edgeReducer, minCameraRatio: 0.01, maxCameraRatio: 4
      });
      container.appendChild(overlay);
      renderer.on("afterRender", drawOverlay);
      renderer.on("clickNode", function (e) { app.clicked(e.node); });
      renderer.on("clickStage", function () { app.clicked(null); });
      renderer.on("doubleClickNode", function (e) {
        e.preventSigmaDefault();
        app.expand(e.node);
      });
      renderer.refresh();
      state.stabilized = true;
      state.settledMs = performance.now();
      listeners.ready.forEach(function (f) { f(); });
    }
    function fit(ids) {
      flush();
      var list = (ids && ids.length ? ids : G.nodes()).filter(function (id) { return G.hasNode(id); });
      if (!list.length) { return; }
      if (!ids || !ids.length) { camera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 }); return; }
      var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      list.forEach(function (id) {
        var d = renderer.getNodeDisplayData(id);
        if (!d) { return; }
        x0 = Math.min(x0, d.x); x1 = Math.max(x1, d.x); y0 = Math.min(y0, d.y); y1 = Math.max(y1, d.y);
      });
      camera().setState({ x: (x0 + x1) / 2, y: (y0 + y1) / 2, angle: 0,
                          ratio: Math.min(1.2, Math.max(0.05, 1.3 * Math.max(x1 - x0, y1 - y0))) });
    }

    return {
      name: "sigma",
      graph: G,
      state: state,
      renderer: function () { return renderer; },
      add: function (n, e) { add(n, e); refresh(); },
      start: start,
      has: function (id) { return G.hasNode(id); },
      ids: function () { return G.nodes(); },
      visibleIds: function () { return G.filterNodes(function (id) { return !app.isHidden(id); }); },
      count: function () { return [G.order, G.size]; },
      pos: function (id) {
        return G.hasNode(id) ? { x: G.getNodeAttribute(id, "x"), y: G.getNodeAttribute(id, "y") } : null;
      },
      neighbours: function (id) { return G.hasNode(id) ? G.neighbors(id) : []; },
      refresh: refresh,
      focus: function (id) {
        flush();
        var d = renderer.getNodeDisplayData(id);
        if (d) { camera().setState({ x: d.x, y: d.y, angle: 0, ratio: Math.min(camera().ratio, 0.25) }); }
      },
      unselect: function () {},
      fit: fit,
      nodeColor: function (id) {
        flush();
        var d = renderer && renderer.getNodeDisplayData(id);
        return d ? d.color : null;
      },
      canvas: function () {
        renderer.refresh();  // draw now: WebGL buffers are only readable in the same task
        var canvases = renderer.getCanvases();
        var out = document.createElement("canvas");
        out.width = overlay.width;
        out.height = overlay.height;
        var ctx = out.getContext("2d");
        Object.keys(canvases).forEach(function (k) { ctx.drawImage(canvases[k], 0, 0, out.width, out.height); });
        ctx.drawImage(overlay, 0, 0);
        return out;
      },
      onReady: function (f) { if (state.stabilized) { f(); } else { listeners.ready.push(f); } },
      spacing: 1
    };
  };
})();
