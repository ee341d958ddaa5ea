/* Governorate choropleths (incidents, deaths) with their scale, and the heat map (both off by default). */
/* exported geomapChoropleths */
function geomapChoropleths(ctx) {
  "use strict";
  var map = ctx.map, D = ctx.D, esc = ctx.esc, IC = ctx.IC, api = ctx.api;
  var choro = api.choro = {};
  var RAMP = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"];
  function ramp(v, max) {
    if (!v) return null;
    return RAMP[Math.max(0, Math.min(4, Math.floor(Math.sqrt(v / max) * 5 - 1e-9)))];
  }
  function tally(f) { return D.tallies[f.properties.id || f.properties.name]; }
  if (D.governorates) {
    [["incidents", "Incidents per governorate"], ["deaths", "Deaths per governorate"]].forEach(function (mt) {
      var max = Math.max.apply(null, D.governorates.features.map(function (f) { var t = tally(f); return t ? t[mt[0]] : 0; }).concat([0]));
      choro[mt[0]] = {max: max, label: mt[1], layer: L.geoJSON(D.governorates, {renderer: ctx.canvas,
        style: function (f) {
          var t = tally(f), c = ramp(t ? t[mt[0]] : 0, max);
          return {color: "#7a7466", weight: 0.8, fillColor: c || "#ffffff", fillOpacity: c ? 0.62 : 0.0};
        },
        onEachFeature: function (f, lyr) {
          var t = tally(f), v = t ? t[mt[0]] : 0;
          lyr.bindTooltip(esc(f.properties.name) + ": " + ctx.fmt(v) + " " + (mt[0] === "deaths" ? "deaths reported" : "incidents"), {sticky: true});
        }})};
    });
  }
  // A small scale for whichever choropleth is switched on (classes follow ramp(): sqrt steps).
  var legend = L.control({position: "bottomright"}), on = null;
  legend.onAdd = function () { return L.DomUtil.create("div", "gm-panel gm-choro-legend"); };
  function show(k) {
    var c = choro[k], el = legend.getContainer();
    if (!el) { legend.addTo(map); el = legend.getContainer(); }
    var h = "<b>" + esc(c.label) + "</b>";
    if (!c.max) h += "<div>none located to a governorate</div>";
    else RAMP.forEach(function (col, i) {
      var lo = Math.floor(c.max * Math.pow(i / 5, 2)) + 1, hi = Math.floor(c.max * Math.pow((i + 1) / 5, 2) + 1e-9);
      if (hi >= lo) h += "<div class='gm-li'><span class='gm-sw' style='border-radius:0;background:" + col + "'></span>" +
        ctx.fmt(lo) + (hi > lo ? "\u2013" + ctx.fmt(hi) : "") + "</div>";
    });
    el.innerHTML = h + "<div class='gm-note'>All dates, no filters. Unfilled: none. Country-level records are not counted.</div>";
    on = k;
  }
  // The choropleth shares the casualty circles' canvas and is drawn first: on one canvas the
  // topmost shape under the pointer gets the click, so circles stay clickable over the colours.
  map.on("overlayadd", function (e) {
    Object.keys(choro).forEach(function (k) { if (choro[k].layer === e.layer) { e.layer.bringToBack(); show(k); } });
  });
  map.on("overlayremove", function (e) {
    Object.keys(choro).forEach(function (k) { if (choro[k].layer === e.layer && on === k) { map.removeControl(legend); on = null; } });
  });
  var pts = [];
  D.incidents.rows.forEach(function (r) {
    if (!r[IC.imprecise]) pts.push([r[IC.lat], r[IC.lon], r[IC.harm] ? Math.min(1, 0.3 + Math.log10(1 + r[IC.best]) / 3) : 0.3]);
  });
  ctx.heat = (L.heatLayer && pts.length) ? L.heatLayer(pts, {radius: 18, blur: 16, maxZoom: 11, minOpacity: 0.25}) : null;
  ctx.choro = choro;
}
