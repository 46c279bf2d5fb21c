/* kg's page: names on the map. After each frame the renderer hands over the drawn nodes in
 * screen pixels; labels go to the selection and its neighbourhood first (opts.rank: 1e9, 1e8),
 * then to the biggest drawn nodes (ties by opts.rank), each tried right, left,
 * above, below and on the diagonals of its node (for the 15 biggest, then one and two label heights
 * further out, then a long name shortened, up to four heights out), kept only where it overlaps no other label and inside the view,
 * up to a cap per screen area. Zooming in leaves fewer nodes on screen, so smaller ones get
 * their names. Text is drawn with fillText: never parsed as HTML. */
(function () {
  "use strict";
  window.KGLabels = function (opts) {
    var widthCache = new Map();
    function draw(ctx, items, w, h) {
      var rendered = [], selected = opts.selected();
      if (!items.length) { return rendered; }
      var maxR = 0;
      items.forEach(function (it) {
        it.rank = opts.rank(it.id);
        it.bonus = Math.floor(it.rank / 1e8);
        if (!it.bonus && it.r > maxR) { maxR = it.r; }
      });
      items.sort(function (a, b) { return b.bonus - a.bonus || b.r - a.r || b.rank - a.rank; });
      var cap = Math.max(20, Math.floor(w * h / 11000));
      var cell = 80, grid = new Map();
      function cells(b, fn) {
        for (var cx = Math.floor(b.x / cell); cx <= Math.floor((b.x + b.w) / cell); cx++) {
          for (var cy = Math.floor(b.y / cell); cy <= Math.floor((b.y + b.h) / cell); cy++) {
            if (fn(cx + ":" + cy) === false) { return false; }
          }
        }
        return true;
      }
      function free(b) {
        if (b.x < 0 || b.y < 0 || b.x + b.w > w || b.y + b.h > h) { return false; }
        return cells(b, function (key) {
          var list = grid.get(key);
          if (!list) { return true; }
          for (var j = 0; j < list.length; j++) {
            var o = list[j];
            if (b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h) { return false; }
          }
          return true;
        });
      }
      maxR = maxR || 1;
      ctx.textBaseline = "middle";
      ctx.lineJoin = "round";
      for (var k = 0; k < items.length && rendered.length < cap; k++) {
        var it = items[k];
        if (opts.isFaded(it.id) && rendered.length >= 15) { continue; }
        var size = it.id === selected ? 15 : Math.round(11 + 4 * Math.min(1, it.r / maxR));
        var text = opts.label(it.id);
        ctx.font = (it.id === selected ? "bold " : "") + size + "px system-ui, sans-serif";
        // the 15 biggest, and any node as big as the 15th (a tie is no reason to go unnamed)
        if (place(it, text, size, 0) || (k >= 15 && it.r < items[14].r)) { continue; }
        // one of the 15 biggest with no free place next to it: one and two label heights
        // further out, then (a long name) shortened, up to four heights out; the panel and the
        // tooltip show it whole
        var short = text.length > 14 ? text.slice(0, 12).trimEnd() + "\u2026" : null;
        var tries = [[text, size + 4], [text, 2 * (size + 4)]];
        for (var out = 0; out <= 4; out++) { tries.push([short || text, out * (size + 4)]); }
        for (var f = 0; f < tries.length && !place(it, tries[f][0], size, tries[f][1]); f++) { /* next */ }
      }
      function place(it, text, size, further) {
        var key = ctx.font + "|" + text;
        var tw = widthCache.get(key);
        if (tw === undefined) { tw = ctx.measureText(text).width; widthCache.set(key, tw); }
        var bh = size + 4, bw = tw + 4, gap = it.r + 3 + further;
        var d = gap * 0.7;
        var tries = [{ x: it.x + gap, y: it.y - bh / 2 }, { x: it.x - gap - bw, y: it.y - bh / 2 },
                     { x: it.x - bw / 2, y: it.y - gap - bh }, { x: it.x - bw / 2, y: it.y + gap },
                     { x: it.x + d, y: it.y - d - bh }, { x: it.x + d, y: it.y + d },
                     { x: it.x - d - bw, y: it.y - d - bh }, { x: it.x - d - bw, y: it.y + d }];
        for (var t = 0; t < tries.length; t++) {
          var b = { x: tries[t].x, y: tries[t].y, w: bw, h: bh };
          if (!free(b)) { continue; }
          cells(b, function (key2) { var l = grid.get(key2); if (!l) { grid.set(key2, l = []); } l.push(b); });
          ctx.lineWidth = 3;
          ctx.strokeStyle = "rgba(255,255,255,0.9)";
          ctx.strokeText(text, b.x + 2, b.y + bh / 2);
          ctx.fillStyle = opts.isFaded(it.id) ? "#9aa5b1" : "#1f2933";
          ctx.fillText(text, b.x + 2, b.y + bh / 2);
          rendered.push({ id: it.id, text: text, x: b.x, y: b.y, w: b.w, h: b.h, size: size });
          return true;
        }
        return false;
      }
      if (selected !== null) {
        items.forEach(function (it) {
          if (it.id !== selected) { return; }
          ctx.beginPath();
          ctx.lineWidth = 3;
          ctx.strokeStyle = "#d9480f";
          ctx.arc(it.x, it.y, it.r + 5, 0, 2 * Math.PI);
          ctx.stroke();
        });
      }
      return rendered;
    }

    return { draw: draw };
  };
})();
