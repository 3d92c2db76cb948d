/* belie serve, review page: the map (belie/report/assets/map.js) of the claim under review
   and its neighbours in time.  The claim under review is the candidate last clicked or
   focused (at first, the first one listed); after a decision the map is drawn again.
   Everything comes from this server: /api/map and /map/countries-110m.json. */
(function () {
  "use strict";
  var box, title, note, world = null, current = null, timer = null, seq = 0;

  function get(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (res) { return res.json().then(function (data) { return { ok: res.ok, data: data }; }); });
  }
  function show(cid) {
    var mine = ++seq;
    current = cid;
    var worldReady = world ? Promise.resolve(world) : get("/map/countries-110m.json").then(function (r) { world = r.data; return world; });
    Promise.all([worldReady, get("/api/map" + (cid ? "?candidate=" + encodeURIComponent(cid) : ""))]).then(function (got) {
      if (mine !== seq) { return; }
      var r = got[1];
      if (!r.ok || !r.data.map) {
        note.textContent = r.data.error || ("This candidate cannot be read as a claim: " + (r.data.problems || []).join("; "));
        box.hidden = true;
        return;
      }
      box.hidden = false;
      note.textContent = "";
      title.textContent = cid ? "— candidate " + (r.data.claim || cid) + " (bold outline) and the claims near it in time" : "— the whole case";
      var map = window.BelieMap.mount(box, r.data.map, world, { tiles: r.data.tiles || null });
      window.belieMap = map;
      var f = r.data.map.findings[0];
      if (f) { map.focusFinding(f.id); }
    });
  }
  function later(cid) {
    clearTimeout(timer);
    timer = setTimeout(function () { show(cid); }, 700);
  }
  document.addEventListener("DOMContentLoaded", function () {
    box = document.getElementById("belie-map");
    title = document.getElementById("review-map-title");
    note = document.getElementById("review-map-note");
    if (!box || !window.BelieMap) { return; }
    var list = document.getElementById("candidates");
    list.addEventListener("click", function (ev) {
      var card = ev.target.closest && ev.target.closest("article.cand");
      if (card) { later(card.getAttribute("data-id")); }
    });
    list.addEventListener("focusin", function (ev) {
      var card = ev.target.closest && ev.target.closest("article.cand");
      if (card && card.getAttribute("data-id") !== current) { later(card.getAttribute("data-id")); }
    });
    // The first candidate, once the list is drawn.
    var first = function () {
      var card = list.querySelector("article.cand");
      if (card) { observer.disconnect(); show(card.getAttribute("data-id")); }
    };
    var observer = new MutationObserver(first);
    observer.observe(list, { childList: true, subtree: true });
    first();
  });
})();
