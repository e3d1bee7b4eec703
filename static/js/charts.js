/* Draws every chart on the page with plotly.js, which must load first.
 *
 * Each chart is a <script type="application/json" id="fig-NAME"> holding a
 * plotly figure ({data, layout, config}) and an empty <div id="chart-NAME">
 * to draw it in. No inline script: the page's Content-Security-Policy allows
 * only our own files. Every chart has a table beside it with the same figures,
 * so the plot itself is for sighted mouse users and has no mode bar.
 */
(function () {
  "use strict";

  var CONFIG = { responsive: true, displaylogo: false, displayModeBar: false };

  function draw() {
    var figures = document.querySelectorAll('script[type="application/json"][id^="fig-"]');
    if (!figures.length) { return; }
    if (!window.Plotly) {
      throw new Error("charts.js: plotly.js has not loaded; load it first.");
    }
    figures.forEach(function (node) {
      var target = document.getElementById("chart-" + node.id.slice(4));
      if (!target) { return; }
      var figure = JSON.parse(node.textContent);
      var config = Object.assign({}, CONFIG, figure.config || {});
      window.Plotly.newPlot(target, figure.data, figure.layout || {}, config);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
