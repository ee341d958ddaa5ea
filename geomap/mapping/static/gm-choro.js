/* Governorate choropleths (incidents, deaths) with their scale, and the heat map (both off by
 * default). Both follow the time window and the filters: api.apply() calls update(rows). */
/* exported geomapChoropleths */
function geomapChoropleths(ctx) {
  "use strict";
  var map = ctx.map, D = ctx.D, s = ctx.s, esc = ctx.esc, IC = ctx.IC, api = ctx.api;
  var choro = api.choro = {}, tallies = {};
  var RAMP = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"];
  function ramp(v, max) {
    if (!v || !max) return null;
    return RAMP[Math.max(0, Math.min(4, Math.floor(Math.sqrt(v / max) * 5 - 1e-9)))];
  }
  function value(f, k) { var t = tallies[f.properties.id || f.properties.name]; return t ? t[k] : 0; }
  if (D.governorates) {
    [["incidents", "Incidents per governorate"], ["deaths", "Deaths per governorate"]].forEach(function (mt) {
      var c = choro[mt[0]] = {max: 0, label: mt[1]};
      c.layer = L.geoJSON(D.governorates, {renderer: ctx.canvas,
        style: function (f) {
          var col = ramp(value(f, mt[0]), c.max);
          return {color: "#7a7466", weight: 0.8, fillColor: col || "#ffffff", fillOpacity: col ? 0.62 : 0.0};
        },
        onEachFeature: function (f, lyr) {
          lyr.bindTooltip(function () {
            return esc(f.properties.name) + ": " + ctx.fmt(value(f, mt[0])) + " " + (mt[0] === "deaths" ? "deaths reported" : "incidents");
          }, {sticky: true});
        }});
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
    el.innerHTML = h + "<div class='gm-note'>Records in the time window and filters. Unfilled: none. Country-level records are not counted.</div>";
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
  ctx.heat = L.heatLayer ? L.heatLayer([], {radius: 18, blur: 16, maxZoom: 11, minOpacity: 0.25}) : null;

  // Incidents and deaths per governorate of the records shown (a country- or region-level record
  // belongs to no one governorate), and the heat map's points.
  function update(rows) {
    tallies = {};
    var pts = [];
    rows.forEach(function (r) {
      if (!r[IC.imprecise]) pts.push([r[IC.lat], r[IC.lon], r[IC.harm] ? Math.min(1, 0.3 + Math.log10(1 + r[IC.best]) / 3) : 0.3]);
      var prec = s(r[IC.prec]), fid = (D.admin1_ids || {})[s(r[IC.admin1])];
      if (!fid || prec === "country" || prec === "region") return;
      var t = tallies[fid] || (tallies[fid] = {incidents: 0, deaths: 0});
      t.incidents++;
      if (r[IC.harm] && ctx.isKilled(s(r[IC.ctype]))) t.deaths += r[IC.best];
    });
    Object.keys(choro).forEach(function (k) {
      var c = choro[k];
      c.max = Math.max.apply(null, Object.keys(tallies).map(function (f) { return tallies[f][k]; }).concat([0]));
      c.layer.setStyle(c.layer.options.style);
      if (on === k) show(k);
    });
    api.tallies = tallies;
    if (ctx.heat) ctx.heat.setLatLngs(pts);
  }
  ctx.choro = choro;
  return {update: update};
}
