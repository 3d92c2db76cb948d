/* belie report: draws the charts.  plotly.js (its basic bundle: scatter and bar) is in
   this page gzip-compressed and base64-encoded; it is unpacked here with the browser's
   own DecompressionStream (no network request), then every chart spec of the page
   (script[type="application/x-belie-plot"][data-plot], compressed the same way) is drawn
   into the element it names.
   Other scripts wait for the charts with window.belieCharts.ready.then(...). */
(function () {
  "use strict";
  function gunzip(b64) {
    var bin = atob(b64.replace(/\s+/g, ""));
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text();
  }
  function unpack() {
    var el = document.getElementById("belie-plotly-gz");
    if (!el) { return Promise.resolve(null); }
    return gunzip(el.textContent).then(function (code) {
      var s = document.createElement("script");
      s.textContent = code;
      document.head.appendChild(s);
      return window.Plotly;
    });
  }
  function draw(Plotly) {
    if (!Plotly) { return []; }
    var specs = Array.prototype.slice.call(document.querySelectorAll('script[type="application/x-belie-plot"][data-plot]'));
    return Promise.all(specs.map(function (spec) {
      var div = document.getElementById(spec.getAttribute("data-plot"));
      if (!div) { return null; }
      return gunzip(spec.textContent).then(function (text) {
        var fig = JSON.parse(text);
        return Plotly.newPlot(div, fig.data, fig.layout, fig.config);
      });
    }));
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
