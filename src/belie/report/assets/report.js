/* belie report: draws the charts.  plotly.js (its basic bundle: scatter and bar) is in
   this page gzip-compressed and base64-encoded; it is unpacked here with the browser's
   own DecompressionStream (no network request), then every chart spec of the page
   (script[type="application/json"][data-plot]) is drawn into the element it names.
   Other scripts wait for the charts with window.belieCharts.ready.then(...). */
(function () {
  "use strict";
  function unpack() {
    var el = document.getElementById("belie-plotly-gz");
    if (!el) { return Promise.resolve(null); }
    var bin = atob(el.textContent.replace(/\s+/g, ""));
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(function (code) {
      var s = document.createElement("script");
      s.textContent = code;
      document.head.appendChild(s);
      return window.Plotly;
    });
  }
  function draw(Plotly) {
    if (!Plotly) { return []; }
    var done = [];
    document.querySelectorAll('script[type="application/json"][data-plot]').forEach(function (spec) {
      var div = document.getElementById(spec.getAttribute("data-plot"));
      if (!div) { return; }
      var fig = JSON.parse(spec.textContent);
      done.push(Plotly.newPlot(div, fig.data, fig.layout, fig.config));
    });
    return Promise.all(done);
  }
  var ready = (typeof DecompressionStream === "undefined")
    ? Promise.reject(new Error("this browser cannot unpack the charts (no DecompressionStream)"))
    : unpack().then(draw);
  ready.catch(function (err) {
    document.querySelectorAll(".belie-plot").forEach(function (div) {
      div.textContent = "The chart could not be drawn: " + err.message;
    });
  });
  window.belieCharts = { ready: ready };
  function fit() {
    if (!window.Plotly) { return; }
    document.querySelectorAll(".js-plotly-plot").forEach(function (gd) { window.Plotly.Plots.resize(gd); });
  }
  window.addEventListener("beforeprint", fit);
  window.addEventListener("afterprint", fit);
})();
