/* kg's page: search over every paper and entity of the build (names, titles, aliases, ids),
 * not only the drawn ones. A whole-name match comes first, then a match at the start, then
 * at the start of a word, then anywhere; ties go to the entity in more papers (the paper
 * with more links). About 10 ms per keystroke over 50,000 names. */
(function () {
  "use strict";
  window.KGSearch = function (ix, at) {
    var N = ix.id.length;
    var keys = [], owner = [];
    for (var i = 0; i < N; i++) {
      keys.push(ix.name[i].toLowerCase());
      owner.push(i);
      var al = ix.aliases[i];
      if (al) {
        for (var j = 0; j < al.length; j++) { keys.push(String(al[j]).toLowerCase()); owner.push(i); }
      }
    }
    var WORD_START = /[\s\-(:/]/;
    function suggestions(query, n) {
      var q = String(query || "").toLowerCase().trim();
      if (!q) { return []; }
      var best = new Map();
      var byId = at.get(String(query).trim());
      if (byId !== undefined) { best.set(byId, 0); }
      for (var k = 0; k < keys.length; k++) {
        var pos = keys[k].indexOf(q);
        if (pos < 0) { continue; }
        var score = keys[k].length === q.length ? 0 : pos === 0 ? 1 : WORD_START.test(keys[k].charAt(pos - 1)) ? 2 : 3;
        var node = owner[k];
        if (!best.has(node) || best.get(node) > score) { best.set(node, score); }
      }
      var out = Array.from(best.keys());
      out.sort(function (a, b) { return best.get(a) - best.get(b) || ix.count[b] - ix.count[a] || a - b; });
      return out.slice(0, n);
    }
    return { suggestions: suggestions };
  };
})();
