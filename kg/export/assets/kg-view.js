/* kg's graph page: names on the map, a details panel, communities, search over the whole
 * build, expand on demand, a date filter and PNG export, on top of a renderer
 * (kg-render-vis.js or kg-render-sigma.js). All text from the input arrives as JSON data and
 * reaches the page only through textContent (or canvas fillText), never as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var ix = data.index;
  var N = ix.id.length, P = ix.n_papers;
  var KINDS = data.kinds, ROLES = data.roles;
  var ROLE_TITLE = { introduces: "Introduces", evaluates_on: "Evaluates on", compares_with: "Compares with",
                     uses: "Uses", mentions: "Mentions" };
  var ENTITY_ROLE_TITLE = { introduces: "Introduced by", evaluates_on: "Papers evaluating on it",
                            compares_with: "Papers comparing with it", uses: "Papers using it",
                            mentions: "Papers mentioning it" };
  var FADED = "#e4e7eb";
  var at = new Map();
  for (var i0 = 0; i0 < N; i0++) { at.set(ix.id[i0], i0); }

  // ---- reverse adjacency: entity -> [paper, role, ...]; family -> variants
  var papersOf = [];
  for (var e0 = P; e0 < N; e0++) { papersOf.push([]); }
  ix.ment.forEach(function (list, p) {
    for (var k = 0; k < list.length; k += 2) { papersOf[list[k] - P].push(p, list[k + 1]); }
  });
  var variantsOf = {};
  Object.keys(ix.family).forEach(function (v) {
    var f = ix.family[v];
    (variantsOf[f] = variantsOf[f] || []).push(+v);
  });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function kindOf(i) { return KINDS[ix.kind[i]]; }
  function isPaper(i) { return i < P; }
  function nameOf(i) { return ix.name[i]; }
  function short(text, n) { text = String(text); return text.length <= n ? text : text.slice(0, n - 1) + "\u2026"; }
  function dateOf(i) { return isPaper(i) ? ix.date[i] : ""; }
  function byDateDesc(a, b) { return dateOf(b) < dateOf(a) ? -1 : dateOf(b) > dateOf(a) ? 1 : ix.count[b] - ix.count[a]; }

  // ---- state shared with the renderer
  var colorMode = data.communities.length ? "community" : "type";
  var shownKinds = {};
  KINDS.forEach(function (k) { shownKinds[k] = true; });
  var dateRange = null;   // [from, to] as "YYYY-MM" strings, or null
  var focusSet = null;    // ids kept in colour (a selection's neighbourhood or a community)
  var selected = null;
  var rendered = [];      // labels drawn in the last frame: {id, text, x, y, w, h, size}

  var app = {
    colorOf: function (id) {
      var i = at.get(id);
      if (focusSet && !focusSet.has(id)) { return FADED; }
      if (colorMode === "type" || ix.comm[i] < 0) {
        return colorMode === "type" ? data.styles[kindOf(i)].color : data.other_color;
      }
      return data.communities[ix.comm[i]].color;
    },
    isFaded: function (id) { return Boolean(focusSet && !focusSet.has(id)); },
    isHidden: function (id) {
      var i = at.get(id);
      if (!shownKinds[kindOf(i)]) { return true; }
      if (dateRange && isPaper(i) && /^\d{4}-\d\d/.test(ix.date[i])) {
        var m = ix.date[i].slice(0, 7);
        return m < dateRange[0] || m > dateRange[1];
      }
      return false;
    },
    label: function (id) { var i = at.get(id); return isPaper(i) ? short(nameOf(i), 42) : nameOf(i); },
    tooltip: function (id) { return tooltip(at.get(id)); },
    drawLabels: drawLabels,
    clicked: function (id) {
      if (id === null) { clearFocus(); return; }
      fromCanvas = true;
      go(id);
    },
    expand: function (id) { bring(at.get(id), true); }
  };

  function tooltip(i) {
    var box = el("div", "kg-tip");
    box.appendChild(el("b", null, nameOf(i)));
    if (isPaper(i)) {
      if (ix.date[i]) { box.appendChild(el("div", null, "date: " + ix.date[i])); }
      var roles = rolesOfPaper(i);
      ROLES.forEach(function (r) {
        if (roles[r]) { box.appendChild(el("div", null, r.replace("_", " ") + ": " + roles[r].map(nameOf).slice(0, 8).join(", "))); }
      });
    } else {
      box.appendChild(el("div", null, kindOf(i) + " \u00b7 " + ix.count[i] + " papers"));
      var al = ix.aliases[i];
      if (al && al.length) { box.appendChild(el("div", null, "also: " + al.slice(0, 6).join(", "))); }
    }
    box.appendChild(el("div", "kg-tip-hint", "click for details, double-click to expand"));
    return box;
  }

  // ---- labels (kg-labels.js): the selection first, then its neighbourhood, then by papers / links
  function rank(id) {
    var i = at.get(id);
    return (id === selected ? 1e9 : 0) + (focusSet && focusSet.has(id) ? 1e8 : 0) + ix.count[i] * (isPaper(i) ? 0.5 : 1);
  }
  var labeller = window.KGLabels({ rank: rank, label: function (id) { return app.label(id); },
                                   isFaded: function (id) { return app.isFaded(id); },
                                   selected: function () { return selected; } });
  function drawLabels(ctx, items, w, h) { rendered = labeller.draw(ctx, items, w, h); }

  // ---- the renderer
  var container = document.getElementById("kg-network");
  var R = window.KGRender[data.renderer](container, app, data);
  var state = R.state;
  state.mode = data.mode;
  state.renderer = data.renderer;
  var drawEdge = {};
  data.edge_kinds.forEach(function (k) { drawEdge[k] = true; });

  function sizeOf(i) {
    var c = Math.max(ix.count[i], 0);
    return isPaper(i) ? Math.round(10 * (8 + 3 * Math.sqrt(Math.min(c, 25)))) / 10
                      : Math.round(10 * (8 + 48 * Math.sqrt(Math.min(c, data.entity_cap) / data.entity_cap))) / 10;
  }
  function shapeOf(i) { return data.styles[kindOf(i)].shape; }
  function rolesOfPaper(p) {
    var out = {}, list = ix.ment[p];
    for (var k = 0; k < list.length; k += 2) { (out[ROLES[list[k + 1]]] = out[ROLES[list[k + 1]]] || []).push(list[k]); }
    return out;
  }
  // edges between node i and the drawn nodes (or the nodes of `also`)
  function edgesOf(i, also) {
    var out = [], id = ix.id[i];
    function push(j, kind, width, title) {
      var jid = ix.id[j];
      if (R.has(jid) || (also && also.has(jid))) { out.push({ from: id, to: jid, width: width, kind: kind, title: title }); }
    }
    var k;
    if (isPaper(i)) {
      var m = ix.ment[i];
      for (k = 0; k < m.length; k += 2) { push(m[k], "MENTIONS", m[k + 1] === 0 ? 3 : 1.5); }
      if (drawEdge.RELATED) { ix.rel[i].forEach(function (r) { push(r[0], "RELATED", 1 + 4 * r[1] / 1000); }); }
    } else {
      var ps = papersOf[i - P];
      for (k = 0; k < ps.length; k += 2) { push(ps[k], "MENTIONS", ps[k + 1] === 0 ? 3 : 1.5); }
      if (drawEdge.CO_OCCURS) {
        var c = ix.co[i - P];
        for (k = 0; k < c.length; k += 2) { push(c[k], "CO_OCCURS", 1 + Math.log(Math.max(c[k + 1], 1))); }
      }
    }
    return out;
  }
  function neighbourhood(i) {
    var out = [], k;
    if (isPaper(i)) {
      var m = ix.ment[i];
      for (k = 0; k < m.length; k += 2) { out.push(m[k]); }
      ix.rel[i].slice(0, 8).forEach(function (r) { out.push(r[0]); });
    } else {
      var ps = [], seen = {};
      var list = papersOf[i - P];
      for (k = 0; k < list.length; k += 2) { if (!seen[list[k]]) { seen[list[k]] = 1; ps.push(list[k]); } }
      ps.sort(function (a, b) { return ix.count[b] - ix.count[a] || byDateDesc(a, b); });
      out = ps.slice(0, 40);
      var c = ix.co[i - P];
      for (k = 0; k < c.length && k < 12; k += 2) { out.push(c[k]); }
    }
    return out;
  }
  // draw node i (and, with `withNeighbours`, its neighbourhood) if it is not on the canvas
  function bring(i, withNeighbours) {
    var id = ix.id[i];
    var todo = [];
    if (!R.has(id)) { todo.push(i); }
    if (withNeighbours) {
      neighbourhood(i).forEach(function (j) { if (!R.has(ix.id[j]) && todo.indexOf(j) < 0) { todo.push(j); } });
    }
    if (!todo.length) { return 0; }
    var centre = R.pos(id);
    if (!centre) {
      var sx = 0, sy = 0, n = 0;
      neighbourhood(i).forEach(function (j) {
        var p = R.pos(ix.id[j]);
        if (p) { sx += p.x; sy += p.y; n += 1; }
      });
      centre = n ? { x: sx / n + 40, y: sy / n + 40 } : { x: 0, y: 0 };
    }
    var ring = todo.filter(function (j) { return j !== i; });
    var radius = 90 + 14 * Math.sqrt(ring.length);
    var nodes = [], pending = new Set(todo.map(function (j) { return ix.id[j]; }));
    todo.forEach(function (j) {
      var p = centre;
      if (j !== i) {
        var a = 2 * Math.PI * ring.indexOf(j) / Math.max(ring.length, 1) + 0.3;
        var rr = radius * (0.75 + 0.25 * ((ring.indexOf(j) % 3) / 2));
        p = { x: centre.x + rr * Math.cos(a), y: centre.y + rr * Math.sin(a) };
      }
      nodes.push({ id: ix.id[j], x: p.x, y: p.y, size: sizeOf(j), shape: shapeOf(j) });
    });
    var edges = [], seenEdge = new Set();
    todo.forEach(function (j) {
      edgesOf(j, pending).forEach(function (e) {
        var key = e.from < e.to ? e.from + "\u0000" + e.to : e.to + "\u0000" + e.from;
        if (!seenEdge.has(key)) { seenEdge.add(key); edges.push(e); }
      });
    });
    R.add(nodes, edges);
    if (selected === id || (focusSet && focusSet.has(id))) { focusOn(id); }
    R.refresh();
    return todo.length;
  }

  // ---- focus: a node and its drawn neighbours stay in colour, the rest fades
  function focusOn(id) {
    selected = id;
    focusSet = new Set([id]);
    R.neighbours(id).forEach(function (n) { focusSet.add(n); });
    R.refresh();
  }
  function clearFocus() {
    selected = null;
    focusSet = null;
    R.unselect();
    R.refresh();
    showIntro();
  }

  // ---- navigation: every name is a link to "#<node id>"; back and forward are the browser's
  var fromCanvas = false;
  var status = document.getElementById("kg-search-status");
  function link(i, text) {
    var a = el("a", "kg-link", text === undefined ? nameOf(i) : text);
    a.href = "#" + encodeURIComponent(ix.id[i]);
    a.dataset.id = ix.id[i];
    return a;
  }
  // Navigation is synchronous: the panel and the map change before go() returns, the address
  // records the step (so back / forward and a shared link work), and only history traversal
  // or an address typed by hand arrive as events.
  function go(id) {
    var hash = "#" + encodeURIComponent(id);
    if (location.hash !== hash) { history.pushState(null, "", hash); }
    show(id);
  }
  function show(id) {
    var i = at.get(id);
    if (i === undefined) { return false; }
    var canvas = fromCanvas;
    fromCanvas = false;
    var added = R.has(id) ? 0 : bring(i, true);
    if (app.isHidden(id)) {
      shownKinds[kindOf(i)] = true;
      var box = document.querySelector("#kg-legend input[data-kind='" + kindOf(i) + "']");
      if (box) { box.checked = true; }
      if (dateRange && isPaper(i)) { resetDates(); }
    }
    focusOn(id);
    if (!canvas) { R.focus(id); }
    details(i);
    status.textContent = (added ? "Brought onto the map: " : "Found: ") + nameOf(i) +
      (added > 1 ? " and " + (added - 1) + " neighbours" : "");
    return true;
  }
  function followAddress() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) { clearFocus(); return; }
    if (id !== selected) { show(id); }
  }
  window.addEventListener("popstate", followAddress);
  window.addEventListener("hashchange", followAddress);
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("a.kg-link") : null;
    if (!a || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) { return; }
    ev.preventDefault();
    go(a.dataset.id);
  });
  document.getElementById("kg-back").addEventListener("click", function () { history.back(); });
  document.getElementById("kg-forward").addEventListener("click", function () { history.forward(); });

  // ---- the details panel
  var panel = document.getElementById("kg-details");
  function section(title, count) {
    var s = el("section", "kg-section");
    s.appendChild(el("h3", null, title + (count !== undefined ? " (" + count + ")" : "")));
    return s;
  }
  function commChip(i) {
    var c = ix.comm[i];
    if (c < 0) { return null; }
    var chip = el("button", "kg-chip", "community: " + data.communities[c].label.join(", "));
    chip.type = "button";
    chip.style.borderColor = data.communities[c].color;
    chip.addEventListener("click", function () { focusCommunity(c); });
    return chip;
  }
  function details(i) {
    panel.replaceChildren();
    var h = el("h2", null, nameOf(i));
    panel.appendChild(h);
    var meta = el("p", "kg-meta");
    var expandBtn = el("button", "kg-expand", isPaper(i) ? "Show its neighbourhood" : "Show its papers");
    expandBtn.type = "button";
    expandBtn.addEventListener("click", function () {
      var n = bring(i, true);
      status.textContent = n ? "Added " + n + " nodes around " + nameOf(i) : "Its neighbourhood is already drawn";
      focusOn(ix.id[i]);
    });
    if (isPaper(i)) {
      meta.appendChild(el("span", null, "Paper" + (ix.date[i] ? " \u00b7 " + ix.date[i] : "")));
      var url = ix.link[i] || (/^arxiv:/.test(ix.id[i]) ? "https://arxiv.org/abs/" + ix.id[i].slice(6) : "");
      if (url && /^https?:\/\//i.test(url)) {
        meta.appendChild(el("span", null, " \u00b7 "));
        var a = el("a", "kg-ext", /arxiv\.org/.test(url) ? "arXiv" : /doi\.org/.test(url) ? "DOI" : "link");
        a.href = url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        meta.appendChild(a);
      }
      panel.appendChild(meta);
      var chip = commChip(i);
      if (chip) { panel.appendChild(chip); }
      panel.appendChild(expandBtn);
      var roles = rolesOfPaper(i);
      ROLES.forEach(function (r) {
        if (!roles[r]) { return; }
        var s = section(ROLE_TITLE[r], roles[r].length);
        s.dataset.role = r;
        var ul = el("ul", "kg-inline");
        roles[r].forEach(function (e) {
          var li = el("li");
          li.appendChild(link(e));
          li.appendChild(el("span", "kg-kind", " " + kindOf(e)));
          ul.appendChild(li);
        });
        s.appendChild(ul);
        panel.appendChild(s);
      });
      var rel = ix.rel[i];
      var s2 = section("Related papers", ix.n_related[i]);
      s2.id = "kg-related";
      var ul2 = el("ul");
      rel.forEach(function (r) {
        var li = el("li", "kg-related-item");
        li.appendChild(link(r[0]));
        if (ix.date[r[0]]) { li.appendChild(el("span", "kg-date", " " + ix.date[r[0]])); }
        var why = el("div", "kg-why");
        why.appendChild(el("span", null, "shared: "));
        r.slice(2).forEach(function (e, k) {
          if (k) { why.appendChild(el("span", null, ", ")); }
          why.appendChild(link(e));
        });
        if (r.length <= 2) { why.appendChild(el("span", null, "similar wording")); }
        li.appendChild(why);
        ul2.appendChild(li);
      });
      if (!rel.length) { s2.appendChild(el("p", "kg-note", "No related paper in this build.")); }
      s2.appendChild(ul2);
      if (ix.n_related[i] > rel.length) { s2.appendChild(el("p", "kg-note", "(the " + rel.length + " closest shown)")); }
      panel.appendChild(s2);
      return;
    }
    meta.appendChild(el("span", null, kindOf(i) + " \u00b7 in " + ix.count[i] + " papers"));
    panel.appendChild(meta);
    var aliases = ix.aliases[i];
    if (aliases && aliases.length) { panel.appendChild(el("p", "kg-aliases", "Also called: " + aliases.join(", "))); }
    var fam = ix.family[i];
    if (fam !== undefined) {
      var pf = el("p", "kg-family", "Variant of ");
      pf.appendChild(link(fam));
      panel.appendChild(pf);
    }
    var vars = variantsOf[i];
    if (vars && vars.length) {
      var pv = el("p", "kg-family", "Variants: ");
      vars.slice(0, 30).forEach(function (v, k) {
        if (k) { pv.appendChild(el("span", null, ", ")); }
        pv.appendChild(link(v));
      });
      panel.appendChild(pv);
    }
    var chip2 = commChip(i);
    if (chip2) { panel.appendChild(chip2); }
    panel.appendChild(expandBtn);
    var byRole = {}, list = papersOf[i - P];
    for (var k = 0; k < list.length; k += 2) { (byRole[ROLES[list[k + 1]]] = byRole[ROLES[list[k + 1]]] || []).push(list[k]); }
    ROLES.forEach(function (r) {
      var ps = byRole[r];
      if (!ps) { return; }
      ps.sort(byDateDesc);
      var s = section(ENTITY_ROLE_TITLE[r], ps.length);
      s.dataset.role = r;
      var ul = el("ul");
      ps.slice(0, 60).forEach(function (p) {
        var li = el("li");
        li.appendChild(link(p));
        if (ix.date[p]) { li.appendChild(el("span", "kg-date", " " + ix.date[p])); }
        ul.appendChild(li);
      });
      s.appendChild(ul);
      if (ps.length > 60) { s.appendChild(el("p", "kg-note", "and " + (ps.length - 60) + " more (newest shown)")); }
      panel.appendChild(s);
    });
    var co = ix.co[i - P];
    if (co.length) {
      var s3 = section("Used with");
      var ul3 = el("ul", "kg-inline");
      for (var c = 0; c < co.length; c += 2) {
        var li3 = el("li");
        li3.appendChild(link(co[c]));
        li3.appendChild(el("span", "kg-kind", " " + co[c + 1] + " papers"));
        ul3.appendChild(li3);
      }
      s3.appendChild(ul3);
      panel.appendChild(s3);
    }
  }
  function showIntro() {
    panel.replaceChildren(el("p", "kg-note", "Click a node for its details; double-click to bring its neighbourhood " +
      "onto the map. Every name in this panel is a link."));
  }

  // ---- communities: legend, focus
  function focusCommunity(c) {
    var ids = R.ids().filter(function (id) { return ix.comm[at.get(id)] === c; });
    selected = null;
    focusSet = new Set(ids);
    if (colorMode !== "community") { setColorMode("community"); }
    R.refresh();
    R.fit(ids);
    var info = data.communities[c];
    panel.replaceChildren();
    panel.appendChild(el("h2", null, "Community: " + info.label.join(", ")));
    panel.appendChild(el("p", "kg-meta", info.papers + " papers"));
    var ents = [], papers = [];
    for (var i = 0; i < N; i++) {
      if (ix.comm[i] === c) { (isPaper(i) ? papers : ents).push(i); }
    }
    ents.sort(function (a, b) { return ix.count[b] - ix.count[a]; });
    papers.sort(function (a, b) { return ix.count[b] - ix.count[a]; });
    var s = section("Its main entities");
    var ul = el("ul", "kg-inline");
    ents.slice(0, 20).forEach(function (e) { var li = el("li"); li.appendChild(link(e)); ul.appendChild(li); });
    s.appendChild(ul);
    panel.appendChild(s);
    var s2 = section("Its most linked papers");
    var ul2 = el("ul");
    papers.slice(0, 20).forEach(function (p) { var li = el("li"); li.appendChild(link(p)); ul2.appendChild(li); });
    s2.appendChild(ul2);
    panel.appendChild(s2);
    status.textContent = "Community: " + info.label.join(", ");
  }
  var commBox = document.getElementById("kg-communities");
  data.communities.forEach(function (c, k) {
    var row = el("button", "kg-community");
    row.type = "button";
    row.dataset.community = String(k);
    var sw = el("span", "kg-swatch dot");
    sw.style.background = c.color;
    row.appendChild(sw);
    row.appendChild(el("span", "kg-community-name", c.label.join(", ") || "community " + (k + 1)));
    row.appendChild(el("span", "kg-count", " " + c.papers + " papers"));
    row.addEventListener("click", function () { focusCommunity(k); });
    commBox.appendChild(row);
  });
  if (!data.communities.length) { commBox.appendChild(el("p", "kg-note", "No communities (no related papers).")); }
  function setColorMode(mode) {
    colorMode = mode;
    var input = document.querySelector("input[name=kg-color][value=" + mode + "]");
    if (input) { input.checked = true; }
    document.body.dataset.color = mode;
    R.refresh();
  }
  document.querySelectorAll("input[name=kg-color]").forEach(function (input) {
    input.addEventListener("change", function () { if (input.checked) { setColorMode(input.value); } });
  });

  // ---- kinds legend (doubles as a filter)
  var legend = document.getElementById("kg-legend-items");
  Object.keys(data.styles).forEach(function (kind) {
    var s = data.styles[kind];
    var row = el("label", "kg-legend-item");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset.kind = kind;
    box.addEventListener("change", function () { shownKinds[kind] = box.checked; R.refresh(); });
    var sw = el("span", "kg-swatch " + s.swatch);
    if (s.swatch === "triangle") { sw.style.color = s.color; } else { sw.style.background = s.color; }
    row.appendChild(box);
    row.appendChild(sw);
    row.appendChild(el("span", null, kind + " (" + s.count.toLocaleString("en") + ")"));
    legend.appendChild(row);
  });

  // ---- date range
  var months = [];
  (function () {
    var seen = {};
    for (var p = 0; p < P; p++) {
      var m = ix.date[p].slice(0, 7);
      if (/^\d{4}-\d\d$/.test(m) && !seen[m]) { seen[m] = 1; months.push(m); }
    }
    months.sort();
  })();
  var fromInput = document.getElementById("kg-date-from"), toInput = document.getElementById("kg-date-to");
  var dateLabel = document.getElementById("kg-date-value");
  function applyDates() {
    var a = +fromInput.value, b = +toInput.value;
    if (a > b) { var t = a; a = b; b = t; }
    dateRange = (a === 0 && b === months.length - 1) ? null : [months[a], months[b]];
    dateLabel.textContent = months.length ? months[a] + " \u2013 " + months[b] : "no dates";
    R.refresh();
  }
  function resetDates() { fromInput.value = "0"; toInput.value = String(months.length - 1); applyDates(); }
  if (months.length) {
    fromInput.max = toInput.max = String(months.length - 1);
    fromInput.value = "0";
    toInput.value = String(months.length - 1);
    dateLabel.textContent = months[0] + " \u2013 " + months[months.length - 1];
    fromInput.addEventListener("input", applyDates);
    toInput.addEventListener("input", applyDates);
  } else {
    document.getElementById("kg-dates").hidden = true;
  }

  // ---- search over everything in the build (kg-search.js), with suggestions as you type
  var finder = window.KGSearch(ix, at);
  function suggestions(query, n) { return finder.suggestions(query, n); }
  var input = document.getElementById("kg-search");
  var list = document.getElementById("kg-suggest");
  var current = [], active = -1;
  function renderSuggestions() {
    current = suggestions(input.value, 12);
    active = current.length ? 0 : -1;
    list.replaceChildren();
    current.forEach(function (i, k) {
      var li = el("li", "kg-suggestion" + (k === active ? " active" : ""));
      li.setAttribute("role", "option");
      li.dataset.id = ix.id[i];
      li.appendChild(el("span", "kg-suggestion-name", short(nameOf(i), 80)));
      li.appendChild(el("span", "kg-kind", " " + kindOf(i) + (isPaper(i) ? (ix.date[i] ? " \u00b7 " + ix.date[i] : "") : " \u00b7 " + ix.count[i] + " papers") +
        (R.has(ix.id[i]) ? "" : " \u00b7 not drawn")));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(i); });
      list.appendChild(li);
    });
    list.hidden = !current.length;
  }
  function choose(i) {
    list.hidden = true;
    input.value = nameOf(i);
    go(ix.id[i]);
  }
  function search(query) {
    var hits = suggestions(query, 1);
    if (!hits.length) {
      status.textContent = "Nothing called \u201c" + query + "\u201d in this build.";
      return null;
    }
    choose(hits[0]);
    return ix.id[hits[0]];
  }
  input.addEventListener("input", renderSuggestions);
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!current.length) { return; }
      ev.preventDefault();
      active = (active + (ev.key === "ArrowDown" ? 1 : current.length - 1)) % current.length;
      Array.prototype.forEach.call(list.children, function (li, k) { li.classList.toggle("active", k === active); });
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      if (active >= 0 && current.length && !list.hidden) { choose(current[active]); } else { search(input.value); }
    } else if (ev.key === "Escape") {
      list.hidden = true;
    }
  });
  input.addEventListener("blur", function () { list.hidden = true; });
  document.getElementById("kg-search-go").addEventListener("click", function () { search(input.value); });

  // ---- reset, PNG export
  document.getElementById("kg-reset").addEventListener("click", function () {
    if (location.hash) { history.pushState(null, "", location.pathname + location.search); }
    clearFocus();
    R.fit();
  });
  function png() { return R.canvas().toDataURL("image/png"); }
  document.getElementById("kg-png").addEventListener("click", function () {
    var src = R.canvas();
    var out = document.createElement("canvas");
    out.width = src.width;
    out.height = src.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(src, 0, 0);
    var a = el("a");
    a.download = "kg-view.png";
    a.href = out.toDataURL("image/png");
    document.body.appendChild(a);
    a.click();
    a.remove();
  });

  // ---- start: the initial drawing, then whatever the address asks for
  document.body.dataset.color = colorMode;
  var start = data.draw;
  R.add(start.nodes.map(function (n) {
    return { id: n.id, x: n.x, y: n.y, size: n.size, shape: n.shape || shapeOf(at.get(n.id)) };
  }), start.edges);
  R.start();
  showIntro();
  R.onReady(function () {
    if (location.hash.length > 1) { show(decodeURIComponent(location.hash.slice(1))); }
  });

  window.kg = {
    renderer: R, state: state, data: data, search: search, suggestions: function (q, n) {
      return suggestions(q, n || 12).map(function (i) { return ix.id[i]; });
    },
    show: go, expand: app.expand, labels: function () { return rendered.slice(); }, png: png,
    nodeColor: function (id) { return R.nodeColor(id); }, colorOf: app.colorOf, isHidden: app.isHidden,
    setColorMode: setColorMode, focusCommunity: focusCommunity, selected: function () { return selected; },
    drawn: function () { return R.ids(); }, visible: function () { return R.visibleIds(); },
    count: function () { return R.count(); }
  };
})();
