// A commune's criteria met over the years, drawn with Chart.js (copied from npm by scripts/setup).
// Reads the JSON the page embeds with json_script; the same figures are in the table beside it,
// so the page still says everything when this script or the library is missing.
(function () {
  "use strict";
  function draw() {
    var canvas = document.getElementById("progress-chart");
    var source = document.getElementById("progress-data");
    if (!canvas || !source || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var total = Math.max.apply(null, data.total.concat([1]));
    // About ten labelled steps, ending on a step at or above the number of criteria (19 → 20).
    var step = Math.max(1, Math.ceil(total / 10));
    var top = Math.ceil(total / step) * step;
    window.Chart.defaults.font.size = 14;
    window.Chart.defaults.color = "#1d2329";
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.years.map(String),
        datasets: [
          {
            label: data.label_met,
            data: data.met,
            borderColor: "#155e3b",
            backgroundColor: "#155e3b",
            pointRadius: 5,
            pointStyle: "circle",
            tension: 0
          },
          {
            label: data.label_total,
            data: data.total,
            borderColor: "#4f5b66",
            backgroundColor: "#4f5b66",
            borderDash: [6, 4],
            pointRadius: 0,
            pointStyle: "line"
          }
        ]
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          x: { offset: true },
          y: { min: 0, max: top, ticks: { stepSize: step, precision: 0 } }
        },
        plugins: {
          legend: { position: "bottom", labels: { usePointStyle: true } },
          tooltip: { mode: "index", intersect: false }
        }
      }
    });
    canvas.setAttribute("data-drawn", "true");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
