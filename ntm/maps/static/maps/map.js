// The choropleth: each unit's simplified outline (GeoJSON the page embeds with json_script) drawn by Leaflet
// (copied from npm by scripts/setup) with no tile layer, so no map server is needed. Colour and pattern come
// from the unit's class (map.css); the table beside the map says everything the map shows.
(function () {
  "use strict";
  function draw() {
    var element = document.getElementById("map");
    var source = document.getElementById("map-features");
    if (!element || !source || typeof window.L === "undefined") {
      return;
    }
    var L = window.L;
    var data = JSON.parse(source.textContent);
    var map = L.map(element, { attributionControl: false, zoomSnap: 0.25, scrollWheelZoom: false });
    var layer = L.geoJSON(data, {
      style: function (feature) {
        return { className: "map-shape map-" + feature.properties.css, color: "#1d2329", weight: 1, fillOpacity: 1 };
      },
      onEachFeature: function (feature, shape) {
        var p = feature.properties;
        shape.bindTooltip(p.name + ": " + p.text + (p.value ? " (" + p.value + ")" : ""), { sticky: true });
        if (p.href) {
          shape.on("click", function () { window.location.href = p.href; });
        }
      }
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    element.setAttribute("data-shapes", String(data.features.length));
    element.setAttribute("data-drawn", "true");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
