// Draws every chart on the page from its json_script data block. No inline script:
// the figure is data, this file is the only code. Runs again after htmx swaps.
(function () {
  "use strict";
  var config = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["sendDataToCloud"] };

  function draw(root) {
    var holders = (root || document).querySelectorAll("[data-chart]");
    holders.forEach(function (holder) {
      var source = document.getElementById(holder.dataset.chart);
      if (!source || !window.Plotly) { return; }
      var figure = JSON.parse(source.textContent);
      if (!figure || !figure.data) { return; }
      window.Plotly.react(holder, figure.data, figure.layout || {}, config);
      holder.dataset.drawn = "true";
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
