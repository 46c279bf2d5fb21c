/* kg's graph page: search, filters, legend, neighbourhood highlight on top of vis-network.
 * All text from the input arrives as JSON data and reaches the page only through
 * textContent, never as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var styles = data.styles;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function tooltip(lines) {
    var box = el("div", "kg-tip");
    lines.forEach(function (line, i) {
      if (!line) { return; }
      box.appendChild(el(i === 0 ? "b" : "div", null, line));
    });
    return box;
  }

  function joinNames(list, max) {
    if (!list || !list.length) { return ""; }
    var shown = list.slice(0, max);
    return shown.join(", ") + (list.length > max ? " (+" + (list.length - max) + ")" : "");
  }

  function nodeTooltip(n) {
    var d = n.kg;
    if (d.kind === "Paper") {
      var lines = [d.title, d.date ? "date: " + d.date : null];
      ["introduces", "evaluates_on", "compares_with", "uses", "mentions"].forEach(function (role) {
        if (d.roles && d.roles[role] && d.roles[role].length) {
          lines.push(role.replace("_", " ") + ": " + joinNames(d.roles[role], 8));
        }
      });
      return tooltip(lines);
    }
    return tooltip([
      d.name + " (" + d.kind + ")",
      d.aliases && d.aliases.length ? "also: " + joinNames(d.aliases, 6) : null,
      "papers: " + d.paper_count,
      d.examples && d.examples.length ? "e.g. " + joinNames(d.examples, 3) : null
    ]);
  }

  function edgeTooltip(e) {
    var d = e.kg;
    if (d.kind === "RELATED") { return tooltip(["related, weight " + d.weight, "shared: " + joinNames(d.shared, 10)]); }
    if (d.kind === "CO_OCCURS") { return tooltip(["together in " + d.papers + " papers"]); }
    return tooltip([d.role.replace("_", " "), d.evidence]);
  }

  var baseColor = {};
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    n.title = nodeTooltip(n);
    baseColor[n.id] = n.color;
    return n;
  }));
  var edges = new vis.DataSet(data.edges.map(function (e, i) {
    e.id = "e" + i;
    e.title = edgeTooltip(e);
    return e;
  }));

  // ---- filters: node kinds, minimum edge weight, minimum degree
  var shownKinds = {};
  Object.keys(styles).forEach(function (k) { shownKinds[k] = true; });
  var minWeight = 0, minDegree = 0;
  var degree = {};
  data.edges.forEach(function (e) {
    degree[e.from] = (degree[e.from] || 0) + 1;
    degree[e.to] = (degree[e.to] || 0) + 1;
  });
  var nodesView = new vis.DataView(nodes, {
    filter: function (n) { return shownKinds[n.kg.kind] && (degree[n.id] || 0) >= minDegree; }
  });
  var edgesView = new vis.DataView(edges, {
    filter: function (e) { return (e.kg.weight === undefined || e.kg.weight >= minWeight); }
  });

  var container = document.getElementById("kg-network");
  var options = data.options;
  var network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, options);

  var state = { stabilized: false, stabilizationMs: null, started: performance.now() };
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });
    state.stabilized = true;
    state.stabilizationMs = performance.now() - state.started;
  });

  // nodes a filter hides and shows again come back where they were, not at their start point
  function refreshNodes() {
    var pos = network.getPositions();
    nodes.update(Object.keys(pos).map(function (id) { return { id: id, x: pos[id].x, y: pos[id].y }; }));
    nodesView.refresh();
  }

  // ---- legend (doubles as the kind filter)
  var legend = document.getElementById("kg-legend-items");
  Object.keys(styles).forEach(function (kind) {
    var s = styles[kind];
    var row = el("label", "kg-legend-item");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset.kind = kind;
    box.addEventListener("change", function () {
      shownKinds[kind] = box.checked;
      refreshNodes();
    });
    var sw = el("span", "kg-swatch " + s.swatch);
    if (s.swatch === "triangle") { sw.style.color = s.color; } else { sw.style.background = s.color; }
    row.appendChild(box);
    row.appendChild(sw);
    row.appendChild(el("span", null, kind + " (" + (s.count || 0) + ")"));
    legend.appendChild(row);
  });

  var weightInput = document.getElementById("kg-min-weight");
  weightInput.max = String(Math.max(data.max_weight || 1, 0.01));
  weightInput.step = String((data.max_weight || 1) / 100);
  weightInput.addEventListener("input", function () {
    minWeight = parseFloat(weightInput.value);
    document.getElementById("kg-min-weight-value").textContent = minWeight.toFixed(2);
    edgesView.refresh();
  });
  var degreeInput = document.getElementById("kg-min-degree");
  degreeInput.max = String(Math.max(1, Math.min(50, data.max_degree || 10)));
  degreeInput.addEventListener("input", function () {
    minDegree = parseInt(degreeInput.value, 10);
    document.getElementById("kg-min-degree-value").textContent = String(minDegree);
    refreshNodes();
  });

  // ---- neighbourhood highlight
  var highlighted = null;
  function highlight(id) {
    highlighted = id;
    var keep = {};
    keep[id] = true;
    network.getConnectedNodes(id).forEach(function (n) { keep[n] = true; });
    nodes.update(nodes.getIds().map(function (n) {
      return { id: n, color: keep[n] ? baseColor[n] : "rgba(200,200,200,0.35)" };
    }));
    showDetails(id);
  }
  function clearHighlight() {
    if (highlighted === null) { return; }
    highlighted = null;
    nodes.update(nodes.getIds().map(function (n) { return { id: n, color: baseColor[n] }; }));
    document.getElementById("kg-details").replaceChildren(el("p", "kg-note", "Click a node to highlight its neighbourhood."));
  }
  function showDetails(id) {
    var n = nodes.get(id);
    var box = document.getElementById("kg-details");
    box.replaceChildren();
    box.appendChild(el("h2", null, n.kg.kind === "Paper" ? n.kg.title : n.kg.name));
    var list = el("ul");
    network.getConnectedNodes(id).slice(0, 30).forEach(function (m) {
      var o = nodes.get(m);
      if (o) { list.appendChild(el("li", null, (o.kg.kind === "Paper" ? o.kg.title : o.kg.name) + " · " + o.kg.kind)); }
    });
    box.appendChild(list);
  }
  network.on("click", function (params) {
    if (params.nodes.length) { highlight(params.nodes[0]); } else { clearHighlight(); }
  });

  // ---- search by name, alias or title
  var index = {};
  var names = document.getElementById("kg-names");
  var listed = 0;
  data.nodes.forEach(function (n) {
    var d = n.kg;
    var keys = d.kind === "Paper" ? [d.title, n.id] : [d.name, n.id].concat(d.aliases || []);
    keys.forEach(function (k) {
      if (!k) { return; }
      var key = String(k).toLowerCase().trim();
      if (!(key in index)) { index[key] = n.id; }
    });
    if (listed < 5000) {
      var opt = el("option");
      opt.value = d.kind === "Paper" ? d.title : d.name;
      names.appendChild(opt);
      listed += 1;
    }
  });
  function find(query) {
    var q = String(query || "").toLowerCase().trim();
    if (!q) { return null; }
    if (q in index) { return index[q]; }
    var keys = Object.keys(index);
    for (var i = 0; i < keys.length; i++) {
      if (keys[i].indexOf(q) !== -1) { return index[keys[i]]; }
    }
    return null;
  }
  function search(query) {
    var id = find(query);
    var status = document.getElementById("kg-search-status");
    if (id === null) {
      status.textContent = "Nothing called \u201c" + query + "\u201d in this view.";
      return null;
    }
    var n = nodes.get(id);
    shownKinds[n.kg.kind] = true;
    refreshNodes();
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: false });
    highlight(id);
    status.textContent = "Found: " + (n.kg.kind === "Paper" ? n.kg.title : n.kg.name);
    return id;
  }
  var input = document.getElementById("kg-search");
  input.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { search(input.value); } });
  input.addEventListener("change", function () { search(input.value); });
  document.getElementById("kg-search-go").addEventListener("click", function () { search(input.value); });
  document.getElementById("kg-reset").addEventListener("click", function () {
    clearHighlight();
    network.unselectAll();
    network.fit({ animation: false });
  });

  window.kg = { network: network, nodes: nodes, edges: edges, state: state, search: search, find: find };
})();
