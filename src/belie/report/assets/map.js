/* belie's map of whereabouts over time: one component for the HTML report and the review app.
 *
 *   var map = BelieMap.mount(element, data, world, {tiles: null, claimHref: fn});
 *
 * data: what belie.report.mapdata.map_data returns (places, people, items, journeys,
 * findings, claims); world: the world-atlas TopoJSON (Natural Earth, 1:110m) or null;
 * tiles: an XYZ tile URL template ("/tiles/{z}/{x}/{y}") or null (the default: nothing is
 * requested from anywhere).  The map is Web Mercator; under it a time strip with one lane
 * per person: drag across it to choose a period (the map then shows only what the claims
 * put somewhere in that period), wheel to zoom it, double-click or "All time" to reset.
 * Picking a finding zooms the map to its places and the strip to its period.
 *
 * API: setPeriod(t0, t1) (ms since 1970 UTC; null for all time), focusFinding(id),
 * onPeriod(fn) (called with [t0, t1] or null), project(lon, lat) -> [x, y] in the map's
 * pixels, onLand(x, y) (is that pixel of the map on land), period().
 */
(function (global) {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var R_KM = 6371.0088;
  var MAX_LAT = 85;
  var DAY = 86400000;

  function el(name, attrs, parent) {
    var e = document.createElementNS(SVG, name);
    for (var k in attrs) { if (attrs[k] !== null && attrs[k] !== undefined) { e.setAttribute(k, attrs[k]); } }
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function html(name, cls, parent, text) {
    var e = document.createElement(name);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function title(node, text) { el("title", {}, node).textContent = text; }
  function clamp(v, a, b) { return Math.max(a, Math.min(b, v)); }

  // Web Mercator: the world is the unit square, x to the east, y to the south.
  function merc(lon, lat) {
    var phi = clamp(lat, -MAX_LAT, MAX_LAT) * Math.PI / 180;
    return [(lon + 180) / 360, (1 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / Math.PI) / 2];
  }

  // Points along the great circle from a to b ([lon, lat]), for a journey's line.
  function greatCircle(a, b, n) {
    var rad = Math.PI / 180;
    var p1 = a[1] * rad, l1 = a[0] * rad, p2 = b[1] * rad, l2 = b[0] * rad;
    var v1 = [Math.cos(p1) * Math.cos(l1), Math.cos(p1) * Math.sin(l1), Math.sin(p1)];
    var v2 = [Math.cos(p2) * Math.cos(l2), Math.cos(p2) * Math.sin(l2), Math.sin(p2)];
    var dot = clamp(v1[0] * v2[0] + v1[1] * v2[1] + v1[2] * v2[2], -1, 1);
    var w = Math.acos(dot), out = [];
    for (var i = 0; i <= n; i++) {
      var t = i / n, s1, s2;
      if (w < 1e-9) { s1 = 1 - t; s2 = t; } else { s1 = Math.sin((1 - t) * w) / Math.sin(w); s2 = Math.sin(t * w) / Math.sin(w); }
      var x = s1 * v1[0] + s2 * v2[0], y = s1 * v1[1] + s2 * v2[1], z = s1 * v1[2] + s2 * v2[2];
      out.push([Math.atan2(y, x) / rad, Math.atan2(z, Math.sqrt(x * x + y * y)) / rad]);
    }
    return out;
  }

  // ---------------------------------------------------------------- time labels
  var STEPS = [["minute", 60e3], ["minute", 5 * 60e3], ["minute", 15 * 60e3], ["minute", 30 * 60e3],
    ["hour", 3600e3], ["hour", 3 * 3600e3], ["hour", 6 * 3600e3], ["hour", 12 * 3600e3],
    ["day", DAY], ["day", 2 * DAY], ["day", 7 * DAY], ["month", 1], ["month", 3], ["month", 6],
    ["year", 1], ["year", 2], ["year", 5], ["year", 10], ["year", 20], ["year", 50], ["year", 100]];
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function pad2(n) { return (n < 10 ? "0" : "") + n; }
  function dayText(d) { return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear(); }
  function timeText(t, unit) {
    var d = new Date(t);
    if (unit === "year") { return String(d.getUTCFullYear()); }
    if (unit === "month") { return MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear(); }
    if (unit === "day") { return dayText(d); }
    return pad2(d.getUTCHours()) + ":" + pad2(d.getUTCMinutes());
  }
  function ticks(t0, t1, most) {
    var span = t1 - t0, step = STEPS[STEPS.length - 1];
    for (var i = 0; i < STEPS.length; i++) {
      var s = STEPS[i], len = s[0] === "month" ? s[1] * 30.44 * DAY : s[0] === "year" ? s[1] * 365.25 * DAY : s[1];
      if (span / len <= most) { step = s; break; }
    }
    var out = [], d = new Date(t0), t;
    if (step[0] === "year" || step[0] === "month") {
      var y = d.getUTCFullYear(), m = step[0] === "year" ? 0 : d.getUTCMonth() - (d.getUTCMonth() % step[1]);
      if (step[0] === "year") { y -= ((y % step[1]) + step[1]) % step[1]; }
      for (var k = 0; k < 400; k++) {
        var dt = new Date(0);
        dt.setUTCFullYear(y, m, 1); dt.setUTCHours(0, 0, 0, 0);
        t = dt.getTime();
        if (t > t1) { break; }
        if (t >= t0) { out.push(t); }
        if (step[0] === "year") { y += step[1]; } else { m += step[1]; if (m > 11) { y += 1; m -= 12; } }
      }
    } else {
      t = Math.ceil(t0 / step[1]) * step[1];
      for (; t <= t1 && out.length < 400; t += step[1]) { out.push(t); }
    }
    return { unit: step[0], at: out };
  }
  function periodText(p) {
    if (!p) { return "all time"; }
    var a = new Date(p[0]), b = new Date(p[1] - 1), span = p[1] - p[0];
    if (span >= 2 * DAY) { return dayText(a) + " – " + dayText(b); }
    return dayText(a) + " " + pad2(a.getUTCHours()) + ":" + pad2(a.getUTCMinutes()) + " – " +
      (a.getUTCDate() === b.getUTCDate() ? "" : dayText(b) + " ") + pad2(b.getUTCHours()) + ":" + pad2(b.getUTCMinutes());
  }

  // ---------------------------------------------------------------- the component
  function mount(root, data, world, opts) {
    opts = opts || {};
    root.classList.add("bmap");
    root.textContent = "";
    var placeById = {}, personById = {}, findingById = {};
    data.places.forEach(function (p) { placeById[p.id] = p; });
    data.people.forEach(function (p) { personById[p.id] = p; });
    data.findings.forEach(function (f) { findingById[f.id] = f; });
    var review = {};
    (data.review || []).forEach(function (c) { review[c] = true; });

    var top = html("div", "bmap-top", root);
    var mapBox = html("div", "bmap-box", top);
    var side = html("div", "bmap-side", top);
    var svg = el("svg", { "class": "bmap-svg", role: "img", "aria-label": "Map of the places the claims name" }, mapBox);
    var gTiles = el("g", { "class": "bmap-tiles" }, svg);
    var gWorld = el("g", { "class": "bmap-world" }, svg);
    var gLayer = el("g", { "class": "bmap-layer" }, svg);
    var zoomBar = html("div", "bmap-zoom", mapBox);
    var status = html("div", "bmap-status", root);
    var strip = el("svg", { "class": "bmap-time", role: "img", "aria-label": "Time strip: drag to choose a period" }, root);
    var tip = html("div", "bmap-tip", mapBox);
    tip.hidden = true;
    var W = 800, H = 460;
    var view = { x0: 0, y0: 0, s: 800 };   // world unit square -> pixels: (X - x0) * s
    var listeners = [];
    var selected = null;                  // [t0, t1] or null
    var focused = null;                   // finding id

    // extent of everything dated
    var tMin = Infinity, tMax = -Infinity;
    data.items.concat(data.journeys).forEach(function (i) { tMin = Math.min(tMin, i.t0); tMax = Math.max(tMax, i.t1); });
    if (!isFinite(tMin)) { tMin = 0; tMax = DAY; }
    var padT = Math.max((tMax - tMin) * 0.03, 30 * 60e3);
    var full = [tMin - padT, tMax + padT];
    var domain = full.slice();

    function px(lon, lat) { var m = merc(lon, lat); return [(m[0] - view.x0) * view.s, (m[1] - view.y0) * view.s]; }
    function kmPx(lat) {   // pixels per km at this latitude
      return view.s / (2 * Math.PI * R_KM * Math.cos(clamp(lat, -MAX_LAT, MAX_LAT) * Math.PI / 180));
    }

    // ---------------------------------------------- the world
    var landPath = null;
    function ringsPath(geom) {
      var d = [];
      function ring(r) {
        for (var i = 0; i < r.length; i++) {
          var m = merc(r[i][0], r[i][1]);
          d.push((i ? "L" : "M") + (m[0] * 1000).toFixed(2) + " " + (m[1] * 1000).toFixed(2));
        }
      }
      function polygon(p, close) { p.forEach(function (r) { ring(r); if (close) { d.push("Z"); } }); }
      (geom.features || [geom]).forEach(function (f) {
        var g = f.geometry || f;
        if (g.type === "Polygon") { polygon(g.coordinates, true); }
        else if (g.type === "MultiPolygon") { g.coordinates.forEach(function (p) { polygon(p, true); }); }
        else if (g.type === "LineString") { ring(g.coordinates); }
        else if (g.type === "MultiLineString") { g.coordinates.forEach(ring); }
      });
      return d.join("");
    }
    if (world && global.topojson && !opts.tiles) {
      var land = global.topojson.feature(world, world.objects.land || world.objects.countries);
      landPath = el("path", { "class": "bmap-land", d: ringsPath(land) }, gWorld);
      if (world.objects.countries) {
        var borders = global.topojson.mesh(world, world.objects.countries, function (a, b) { return a !== b; });
        el("path", { "class": "bmap-border", d: ringsPath(borders) }, gWorld);
      }
    }

    // ---------------------------------------------- tiles (serve only, when configured)
    function drawTiles() {
      gTiles.textContent = "";
      if (!opts.tiles) { return; }
      var z = clamp(Math.round(Math.log2(view.s / 256)), 0, 19), n = Math.pow(2, z), size = view.s / n;
      var x0 = Math.floor(view.x0 * n), y0 = Math.floor(view.y0 * n);
      var x1 = Math.floor((view.x0 + W / view.s) * n), y1 = Math.floor((view.y0 + H / view.s) * n);
      for (var x = x0; x <= x1; x++) {
        for (var y = Math.max(0, y0); y <= Math.min(n - 1, y1); y++) {
          var xx = ((x % n) + n) % n;
          el("image", { href: opts.tiles.replace("{z}", z).replace("{x}", xx).replace("{y}", y),
            x: (x / n - view.x0) * view.s, y: (y / n - view.y0) * view.s, width: size + 0.5, height: size + 0.5 }, gTiles);
        }
      }
    }

    // ---------------------------------------------- what is shown in the period
    function inPeriod(i) { return !selected || (i.t0 < selected[1] && selected[0] < i.t1); }
    function claimText(cid) {
      var c = data.claims[cid];
      if (!c) { return cid; }
      return cid + "\n" + (c.quote ? "“" + c.quote + "”\n" : "") + c.text + "\nsource: " + c.source +
        (c.kind ? " (" + c.kind + ")" : "") + (c.date ? "\ndate: " + c.date : "");
    }
    function link(node, cid) {
      if (!opts.claimHref) { return node; }
      var a = el("a", { href: opts.claimHref(cid) }, node.parentNode);
      a.appendChild(node);
      return node;
    }

    function draw() {
      gWorld.setAttribute("transform", "matrix(" + [view.s / 1000, 0, 0, view.s / 1000, -view.x0 * view.s, -view.y0 * view.s].join(",") + ")");
      drawTiles();
      gLayer.textContent = "";
      var gRadius = el("g", {}, gLayer), gLines = el("g", {}, gLayer), gFind = el("g", {}, gLayer),
        gPlaces = el("g", {}, gLayer), gPts = el("g", {}, gLayer), gLabels = el("g", {}, gLayer);
      var visible = data.items.filter(inPeriod), shownPlaces = {};
      var journeys = data.journeys.filter(inPeriod);
      visible.forEach(function (i) { shownPlaces[i.place] = true; });
      journeys.forEach(function (j) { shownPlaces[j.from] = true; shownPlaces[j.to] = true; });
      var shownClaims = {};
      visible.forEach(function (i) { shownClaims[i.claim] = true; });
      journeys.forEach(function (j) { shownClaims[j.claim] = true; });

      // places: a grey dot (faint when nothing is there in the period), the uncertainty radius
      data.places.forEach(function (p) {
        var xy = px(p.lon, p.lat), on = !!shownPlaces[p.id];
        var r = p.r_km * kmPx(p.lat);
        if (on && r > 4) {
          el("circle", { "class": "bmap-radius", cx: xy[0], cy: xy[1], r: r }, gRadius);
        }
        var dot = el("circle", { "class": "bmap-place" + (on ? "" : " off"), cx: xy[0], cy: xy[1], r: on ? 2.5 : 2,
          "data-place": p.id, "data-lon": p.lon, "data-lat": p.lat }, gPlaces);
        title(dot, p.label + (p.via && p.via.indexOf("within:") === 0 ? " (drawn at " + (placeById[p.parent] || {}).label + "'s position)" : "") +
          (p.r_km ? "\nuncertainty radius " + p.r_km + " km" : ""));
      });

      // journeys as great circles, in the person's colour
      journeys.forEach(function (j) {
        var a = placeById[j.from], b = placeById[j.to];
        var pts = greatCircle([a.lon, a.lat], [b.lon, b.lat], 48).map(function (q) { return px(q[0], q[1]); });
        var line = el("path", { "class": "bmap-journey" + (review[j.claim] ? " review" : ""), d: "M" + pts.map(function (q) { return q[0].toFixed(1) + " " + q[1].toFixed(1); }).join("L"),
          stroke: (personById[j.person] || {}).color || "#555", "data-claim": j.claim }, gLines);
        title(line, (personById[j.person] || {}).label + ": " + a.label + " → " + b.label + (j.by ? " by " + j.by : "") + "\n" + claimText(j.claim));
        var end = pts[pts.length - 1], prev = pts[pts.length - 4] || pts[0];
        var ang = Math.atan2(end[1] - prev[1], end[0] - prev[0]) * 180 / Math.PI;
        el("path", { "class": "bmap-arrow", d: "M0 0L-9 -4L-9 4Z", fill: (personById[j.person] || {}).color || "#555",
          transform: "translate(" + end[0].toFixed(1) + "," + end[1].toFixed(1) + ") rotate(" + ang.toFixed(1) + ")" }, gLines);
      });

      // findings with two places: the line between them, with the distance (and speed);
      // one line per pair of places (the focused finding's, else the first), labelled
      // where the places are apart.
      var pairs = {};
      data.findings.forEach(function (f) {
        if (!f.a || !f.b) { return; }
        var any = f.claims.some(function (c) { return shownClaims[c]; });
        if (!any && focused !== f.id) { return; }
        var pk = [f.a, f.b].sort().join("|");
        if (pairs[pk] && focused !== f.id) { return; }
        if (pairs[pk]) { pairs[pk].remove(); }
        var a = placeById[f.a], b = placeById[f.b];
        var pts = greatCircle([a.lon, a.lat], [b.lon, b.lat], 32).map(function (q) { return px(q[0], q[1]); });
        var g = el("g", { "class": "bmap-finding " + f.severity + (focused === f.id ? " focused" : ""), "data-finding": f.id }, gFind);
        pairs[pk] = g;
        var line = el("path", { d: "M" + pts.map(function (q) { return q[0].toFixed(1) + " " + q[1].toFixed(1); }).join("L") }, g);
        title(line, "F" + f.num + " " + f.severity + " — " + f.title + "\n" + a.label + " – " + b.label + ": " + f.text);
        if ((focused === f.id || data.findings.length <= 12) && f.km && f.km >= 0.05) {
          var mid = pts[Math.floor(pts.length / 2)];
          var t = el("text", { x: mid[0], y: mid[1] - 6, "text-anchor": "middle" }, g);
          t.textContent = "F" + f.num + ": " + f.text;
        }
      });

      // points: per place (or position), one marker per person and kind, in a small ring
      var groups = {}, order = [], labels = [];
      // Places drawn within a few pixels of each other (a hotel and its town, at this
      // zoom) share one ring of markers, so that none hides another.
      var anchors = [];
      visible.forEach(function (i) {
        var p = placeById[i.place], at = px(p.lon, p.lat), key = null;
        for (var a = 0; a < anchors.length; a++) {
          if (Math.abs(anchors[a].x - at[0]) < 8 && Math.abs(anchors[a].y - at[1]) < 8) { key = anchors[a].key; break; }
        }
        if (key === null) { key = "g" + anchors.length; anchors.push({ x: at[0], y: at[1], key: key }); }
        if (!groups[key]) { groups[key] = { place: p, marks: {}, list: [] }; order.push(key); }
        var mk = i.person + "|" + i.kind;
        if (!groups[key].marks[mk]) { groups[key].marks[mk] = { person: i.person, kind: i.kind, items: [] }; groups[key].list.push(groups[key].marks[mk]); }
        groups[key].marks[mk].items.push(i);
      });
      order.forEach(function (key) {
        var g = groups[key], xy = px(g.place.lon, g.place.lat), n = g.list.length;
        var labelled = {};
        g.list.forEach(function (m, k) {
          var ang = -Math.PI / 2 + 2 * Math.PI * k / n, rr = n > 1 ? 7 + n : 0;
          var x = xy[0] + rr * Math.cos(ang), y = xy[1] + rr * Math.sin(ang);
          var color = (personById[m.person] || {}).color || "#555";
          var claimsHere = m.items.map(function (i) { return i.claim; });
          var cls = "bmap-pt " + m.kind + (claimsHere.some(function (c) { return review[c]; }) ? " review" : "");
          var dot = el("circle", { "class": cls, cx: x.toFixed(1), cy: y.toFixed(1), r: m.kind === "stay" ? 6 : 5.5,
            fill: m.kind === "stay" ? color : "#fff", stroke: m.kind === "denied" ? "#777" : color,
            "data-person": m.person, "data-place": m.items[0].place, "data-claim": claimsHere.join(" "),
            "data-lon": g.place.lon, "data-lat": g.place.lat }, gPts);
          link(dot, claimsHere[0]);
          var kindText = { stay: "documented stay", alleged: "alleged presence", denied: "denied by the source" }[m.kind];
          title(dot, (personById[m.person] || {}).label + " — " + kindText + " at " + placeById[m.items[0].place].label + "\n\n" +
            m.items.map(function (i) { return claimText(i.claim); }).join("\n\n"));
          m.items.forEach(function (i) { labelled[i.place] = true; });
        });
        var names = Object.keys(labelled).map(function (p) { return placeById[p].label; });
        // Places a few pixels apart share one label rather than print over each other.
        var near = labels.filter(function (l) { return Math.abs(l.x - xy[0]) < 24 && Math.abs(l.y - xy[1]) < 14; })[0];
        if (near) {
          names.forEach(function (nm) { if (near.names.indexOf(nm) < 0) { near.names.push(nm); } });
          near.el.textContent = near.names.join(" · ");
          return;
        }
        var lab = el("text", { "class": "bmap-label", x: xy[0] + (n > 1 ? 12 + n : 9), y: xy[1] + 4 }, gLabels);
        lab.textContent = names.join(" · ");
        labels.push({ x: xy[0], y: xy[1], el: lab, names: names });
      });
      status.textContent = "Showing " + periodText(selected) + ": " + visible.length + " of " + data.items.length +
        " whereabouts, " + journeys.length + " of " + data.journeys.length + " journeys.";
      drawStrip();
      markList();
    }

    // ---------------------------------------------- fitting and zooming the map
    function fit(placeIds, minKm) {
      var ps = placeIds.map(function (id) { return placeById[id]; }).filter(Boolean);
      if (!ps.length) { ps = data.places; }
      if (!ps.length) { view = { x0: 0, y0: 0.1, s: W }; return; }
      var xs = [], ys = [];
      ps.forEach(function (p) { var m = merc(p.lon, p.lat); xs.push(m[0]); ys.push(m[1]); });
      var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs), y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
      var lat = ps[0].lat, least = (minKm || 60) / (2 * Math.PI * R_KM * Math.cos(clamp(lat, -80, 80) * Math.PI / 180));
      var w = Math.max(x1 - x0, least), h = Math.max(y1 - y0, least);
      var s = Math.min(W / (w * 1.5), H / (h * 1.5));
      view = { s: s, x0: (x0 + x1) / 2 - W / (2 * s), y0: (y0 + y1) / 2 - H / (2 * s) };
    }
    function zoomAt(factor, cx, cy) {
      var wx = view.x0 + cx / view.s, wy = view.y0 + cy / view.s;
      view.s = clamp(view.s * factor, 150, 2e7);
      view.x0 = wx - cx / view.s; view.y0 = wy - cy / view.s;
      draw();
    }
    function size() {
      var r = mapBox.getBoundingClientRect();
      W = Math.max(200, Math.round(r.width)) || 800; H = Math.max(200, Math.round(r.height)) || 460;
      svg.setAttribute("viewBox", "0 0 " + W + " " + H);
      svg.setAttribute("width", W); svg.setAttribute("height", H);
    }
    svg.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var r = svg.getBoundingClientRect();
      zoomAt(ev.deltaY < 0 ? 1.25 : 0.8, ev.clientX - r.left, ev.clientY - r.top);
    }, { passive: false });
    var drag = null;
    svg.addEventListener("pointerdown", function (ev) { drag = { x: ev.clientX, y: ev.clientY, x0: view.x0, y0: view.y0 }; });
    window.addEventListener("pointermove", function (ev) {
      if (!drag) { return; }
      view.x0 = drag.x0 - (ev.clientX - drag.x) / view.s; view.y0 = drag.y0 - (ev.clientY - drag.y) / view.s;
      draw();
    });
    window.addEventListener("pointerup", function () { drag = null; });
    [["+", 1.6], ["−", 1 / 1.6]].forEach(function (z) {
      var b = html("button", "", zoomBar, z[0]);
      b.type = "button"; b.title = z[1] > 1 ? "zoom in" : "zoom out";
      b.addEventListener("click", function () { zoomAt(z[1], W / 2, H / 2); });
    });
    var fitBtn = html("button", "", zoomBar, "⤢");
    fitBtn.type = "button"; fitBtn.title = "show every place";
    fitBtn.addEventListener("click", function () { fit(data.places.map(function (p) { return p.id; })); draw(); });

    // ---------------------------------------------- the time strip and its brush
    var lanes = data.people.map(function (p) { return p.id; });
    var laneH = 13, axisH = 22, SW = 800;
    function tx(t) { return 110 + (t - domain[0]) / (domain[1] - domain[0]) * (SW - 120); }
    function tInv(x) { return domain[0] + (x - 110) / (SW - 120) * (domain[1] - domain[0]); }
    var brushing = null;
    function drawStrip() {
      SW = Math.max(300, Math.round(root.getBoundingClientRect().width)) || 800;
      var h = axisH + laneH * lanes.length + 8;
      strip.setAttribute("viewBox", "0 0 " + SW + " " + h);
      strip.setAttribute("width", SW); strip.setAttribute("height", h);
      strip.textContent = "";
      el("rect", { "class": "bmap-strip-bg", x: 110, y: 0, width: SW - 120, height: h }, strip);
      lanes.forEach(function (pid, k) {
        var y = axisH + k * laneH + laneH / 2;
        var lab = el("text", { "class": "bmap-lane", x: 104, y: y + 4, "text-anchor": "end" }, strip);
        lab.textContent = (personById[pid] || {}).label || pid;
        el("line", { "class": "bmap-lane-rule", x1: 110, x2: SW - 10, y1: y, y2: y }, strip);
      });
      var clip = function (x) { return clamp(x, 110, SW - 10); };
      data.items.concat(data.journeys.map(function (j) { return { person: j.person, t0: j.t0, t1: j.t1, kind: "journey", claim: j.claim }; }))
        .forEach(function (i) {
          var k = lanes.indexOf(i.person);
          if (k < 0 || i.t1 < domain[0] || i.t0 > domain[1]) { return; }
          var y = axisH + k * laneH + laneH / 2, x0 = clip(tx(i.t0)), x1 = clip(tx(i.t1));
          var color = (personById[i.person] || {}).color || "#555";
          var on = inPeriod(i);
          if (i.kind === "stay") {
            el("rect", { "class": "bmap-tstay" + (on ? "" : " off"), x: x0, y: y - 4, width: Math.max(2, x1 - x0), height: 8, fill: color }, strip);
          } else {
            el("line", { "class": "bmap-tspan" + (on ? "" : " off"), x1: x0, x2: Math.max(x1, x0 + 1), y1: y, y2: y, stroke: color }, strip);
            el("circle", { "class": "bmap-tmark " + i.kind + (on ? "" : " off"), cx: clip((tx(i.t0) + tx(i.t1)) / 2), cy: y, r: 3.2, stroke: color,
              fill: i.kind === "journey" ? color : "#fff" }, strip);
          }
        });
      var tk = ticks(domain[0], domain[1], Math.max(3, Math.floor((SW - 120) / 110)));
      var lastDay = null;
      tk.at.forEach(function (t) {
        var x = tx(t);
        el("line", { "class": "bmap-tick", x1: x, x2: x, y1: axisH - 4, y2: h }, strip);
        var txt = timeText(t, tk.unit), day = dayText(new Date(t));
        if ((tk.unit === "hour" || tk.unit === "minute") && day !== lastDay) { txt = day + " " + txt; }
        lastDay = day;
        var lab = el("text", { "class": "bmap-ticklabel", x: x + 3, y: 12 }, strip);
        lab.textContent = txt;
      });
      if (selected) {
        var a = clip(tx(selected[0])), b = clip(tx(selected[1]));
        el("rect", { "class": "bmap-brush", x: a, y: axisH - 6, width: Math.max(2, b - a), height: h - axisH + 6 }, strip);
      }
      if (brushing) {
        el("rect", { "class": "bmap-brush live", x: Math.min(brushing.a, brushing.b), y: axisH - 6,
          width: Math.abs(brushing.b - brushing.a), height: h - axisH + 6 }, strip);
      }
    }
    function stripX(ev) { var r = strip.getBoundingClientRect(); return (ev.clientX - r.left) * SW / r.width; }
    strip.addEventListener("pointerdown", function (ev) {
      var x = stripX(ev);
      if (x < 110) { return; }
      brushing = { a: x, b: x };
      strip.setPointerCapture && strip.setPointerCapture(ev.pointerId);
      ev.preventDefault();
    });
    strip.addEventListener("pointermove", function (ev) {
      if (!brushing) { return; }
      brushing.b = clamp(stripX(ev), 110, SW - 10);
      drawStrip();
    });
    strip.addEventListener("pointerup", function () {
      if (!brushing) { return; }
      var a = Math.min(brushing.a, brushing.b), b = Math.max(brushing.a, brushing.b);
      brushing = null;
      if (b - a < 3) { drawStrip(); return; }
      setPeriod(tInv(a), tInv(b));
    });
    strip.addEventListener("dblclick", function () { showAll(); });
    strip.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var t = tInv(stripX(ev)), f = ev.deltaY < 0 ? 0.75 : 1.33;
      var d0 = t - (t - domain[0]) * f, d1 = t + (domain[1] - t) * f;
      if (d1 - d0 < 10 * 60e3) { return; }
      domain = [Math.max(d0, full[0] - (full[1] - full[0])), Math.min(d1, full[1] + (full[1] - full[0]))];
      drawStrip();
    }, { passive: false });

    // ---------------------------------------------- side panel: key and findings
    var key = html("div", "bmap-key", side);
    data.people.forEach(function (p) {
      var row = html("div", "bmap-key-row", key);
      var sw = html("span", "bmap-swatch", row);
      sw.style.background = p.color;
      html("span", "", row, p.label);
    });
    var kinds = html("div", "bmap-key-kinds", side);
    [["stay", "documented stay"], ["alleged", "alleged"], ["denied", "denied"], ["line", "finding"]].forEach(function (k) {
      html("span", "bmap-k " + k[0], kinds);
      kinds.appendChild(document.createTextNode(" " + k[1] + " "));
    });
    var all = html("button", "bmap-all", side, "All time");
    all.type = "button";
    all.addEventListener("click", function () { showAll(); });
    var list = html("ol", "bmap-findings", side);
    data.findings.forEach(function (f) {
      var li = html("li", f.severity, list);
      var b = html("button", "", li, "F" + f.num + " " + f.title + (f.a ? " — " + placeById[f.a].label + " / " + placeById[f.b].label : ""));
      b.type = "button";
      b.setAttribute("data-finding", f.id);
      b.title = f.text || f.title;
      b.addEventListener("click", function () { focusFinding(f.id); });
    });
    if (!data.findings.length) { list.hidden = true; }
    function markList() {
      list.querySelectorAll("button").forEach(function (b) { b.classList.toggle("on", b.getAttribute("data-finding") === focused); });
    }

    // ---------------------------------------------- API
    function emit() { listeners.forEach(function (fn) { fn(selected ? selected.slice() : null); }); }
    function setPeriod(t0, t1, quiet) {
      if (t0 === null || t0 === undefined) { selected = null; }
      else {
        selected = [Math.min(t0, t1), Math.max(t0, t1)];
        // A period far shorter than the strip, or beyond it: the strip zooms to show it.
        var len = selected[1] - selected[0];
        if (len < (domain[1] - domain[0]) / 20 || selected[0] < domain[0] || selected[1] > domain[1]) {
          domain = [selected[0] - len, selected[1] + len];
        }
      }
      draw();
      if (!quiet) { emit(); }
    }
    function showAll() { focused = null; domain = full.slice(); setPeriod(null); }
    function focusFinding(id) {
      var f = findingById[id];
      if (!f) { return false; }
      focused = id;
      var its = data.items.concat(data.journeys).filter(function (i) { return f.claims.indexOf(i.claim) >= 0; });
      var places = [];
      its.forEach(function (i) { [i.place, i.from, i.to].forEach(function (p) { if (p && places.indexOf(p) < 0) { places.push(p); } }); });
      if (f.a) { places = [f.a, f.b]; }
      fit(places, 30);
      if (its.length) {
        var t0 = Math.min.apply(null, its.map(function (i) { return i.t0; }));
        var t1 = Math.max.apply(null, its.map(function (i) { return i.t1; }));
        var pd = Math.max((t1 - t0) * 0.05, 60e3);
        domain = [t0 - (t1 - t0) - pd, t1 + (t1 - t0) + pd];
        setPeriod(t0 - pd, t1 + pd);
      } else { draw(); }
      return true;
    }
    function onLand(x, y) {
      if (!landPath) { return null; }
      var m = landPath.getScreenCTM(), r = svg.getBoundingClientRect();
      var p = new DOMPoint(r.left + x, r.top + y).matrixTransform(m.inverse());
      return landPath.isPointInFill(p);
    }

    size();
    fit(data.places.map(function (p) { return p.id; }));
    draw();
    if (global.ResizeObserver) {
      var last = W;
      new ResizeObserver(function () { var w = mapBox.getBoundingClientRect().width; if (Math.abs(w - last) > 2) { last = w; size(); draw(); } }).observe(mapBox);
    }
    return { setPeriod: setPeriod, showAll: showAll, focusFinding: focusFinding, period: function () { return selected; },
      onPeriod: function (fn) { listeners.push(fn); }, project: px, onLand: onLand, redraw: draw };
  }

  global.BelieMap = { mount: mount, mercator: merc, greatCircle: greatCircle, ticks: ticks };
})(window);
