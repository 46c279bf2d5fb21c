/* kg's page, vis-network renderer (the default for builds that fit on one canvas).
 * Draws what the app asks for; colours, hiding and labels come from the app. Labels are
 * not vis-network's own: the app places them after each frame, so that they never overlap. */
(function () {
  "use strict";
  window.KGRender = window.KGRender || {};

  window.KGRender.vis = function (container, app, data) {
    var nodes = new vis.DataSet();
    var edges = new vis.DataSet();
    var nodesView = new vis.DataView(nodes, { filter: function (n) { return !app.isHidden(n.id); } });
    var options = data.options;
    var network = null;  // made by start(), once the first nodes are in: vis stabilises what it starts with
    var colorCache = {}, hiddenCache = {};
    var edgeSeq = 0;
    var listeners = { ready: [], draw: [] };
    var state = { stabilized: false, settledMs: null, firstPaintMs: null };

    function visNode(n) {
      return { id: n.id, x: n.x, y: n.y, size: n.size, shape: n.shape || "dot", title: app.tooltip(n.id),
               color: app.colorOf(n.id), borderWidth: 1 };
    }
    function add(newNodes, newEdges) {
      nodes.add(newNodes.filter(function (n) { return !nodes.get(n.id); }).map(function (n) {
        colorCache[n.id] = app.colorOf(n.id);
        hiddenCache[n.id] = app.isHidden(n.id);
        return visNode(n);
      }));
      edges.add(newEdges.map(function (e) {
        edgeSeq += 1;
        return { id: "e" + edgeSeq, from: e.from, to: e.to, width: e.width || 1,
                 color: { color: "#b8c2cc", opacity: 0.7 }, title: e.title };
      }));
    }
    function keepPositions() {
      var pos = network.getPositions();
      nodes.update(Object.keys(pos).map(function (id) { return { id: id, x: pos[id].x, y: pos[id].y }; }));
    }
    // colours always; positions kept and the filter re-run only when some node's hidden
    // state changed (a filter hides nodes: shown again, they come back where they were)
    function refresh() {
      if (!network) { return; }
      var changed = [], filterChanged = false;
      nodes.getIds().forEach(function (id) {
        var c = app.colorOf(id);
        if (colorCache[id] !== c) { colorCache[id] = c; changed.push({ id: id, color: c }); }
        var h = app.isHidden(id);
        if (hiddenCache[id] !== h) { hiddenCache[id] = h; filterChanged = true; }
      });
      if (filterChanged) { keepPositions(); }
      if (changed.length) { nodes.update(changed); }
      if (filterChanged) { nodesView.refresh(); }
      network.redraw();
    }
    function screenNodes() {
      var scale = network.getScale(), view = network.getViewPosition();
      var w = container.clientWidth, h = container.clientHeight, out = [];
      var body = network.body.nodes;
      nodesView.getIds().forEach(function (id) {
        var b = body[id];
        if (!b) { return; }
        var x = (b.x - view.x) * scale + w / 2, y = (b.y - view.y) * scale + h / 2;
        var r = (b.options.size || 8) * scale;
        if (x + r < 0 || y + r < 0 || x - r > w || y - r > h) { return; }
        out.push({ id: id, x: x, y: y, r: r });
      });
      return out;
    }

    function settled() {
      if (state.stabilized) { return; }
      network.setOptions({ physics: { enabled: false } });
      state.stabilized = true;
      state.settledMs = performance.now();
      listeners.ready.forEach(function (f) { f(); });
    }
    function start() {
      network = new vis.Network(container, { nodes: nodesView, edges: edges }, options);
      network.on("afterDrawing", function (ctx) {
        var ratio = network.canvas.pixelRatio || window.devicePixelRatio || 1;
        ctx.save();
        ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        app.drawLabels(ctx, screenNodes(), container.clientWidth, container.clientHeight);
        ctx.restore();
        if (state.firstPaintMs === null) { state.firstPaintMs = performance.now(); }
      });
      network.on("click", function (p) { app.clicked(p.nodes.length ? p.nodes[0] : null); });
      network.on("doubleClick", function (p) { if (p.nodes.length) { app.expand(p.nodes[0]); } });
      network.once("stabilizationIterationsDone", settled);
      // a precomputed layout (physics off) is settled as soon as it is drawn
      if (!options.physics || options.physics.enabled === false) { network.redraw(); settled(); }
    }

    return {
      name: "vis",
      network: function () { return network; },
      nodes: nodes,
      edges: edges,
      state: state,
      add: add,
      start: start,
      has: function (id) { return nodes.get(id) !== null; },
      ids: function () { return nodes.getIds(); },
      visibleIds: function () { return nodesView.getIds(); },
      count: function () { return [nodes.length, edges.length]; },
      pos: function (id) { var p = network.getPositions([id])[id]; return p ? { x: p.x, y: p.y } : null; },
      neighbours: function (id) { return network.getConnectedNodes(id); },
      refresh: refresh,
      focus: function (id) {
        network.selectNodes([id]);
        network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
      },
      unselect: function () { network.unselectAll(); },
      fit: function (ids) { network.fit({ nodes: ids || [], animation: false }); },
      nodeColor: function (id) {
        var b = network.body.nodes[id];
        return b ? b.options.color.background : null;
      },
      canvas: function () { return container.querySelector("canvas"); },
      onReady: function (f) { if (state.stabilized) { f(); } else { listeners.ready.push(f); } },
      spacing: 1
    };
  };
})();
