/* Town names on the basemap, from the gazetteer: the cities at country zoom, more as one zooms in
 * (each town's first zoom comes from its population, geomap/mapping/basemap.py). The declutter
 * hides a name that would overlap a mark or another label. */
/* exported geomapTowns */
function geomapTowns(ctx) {
  "use strict";
  var map = ctx.map, esc = ctx.esc, shown = [];
  var towns = (ctx.D.towns || []).map(function (t) {
    return {z: t[3], m: L.marker([t[1], t[2]], {pane: "gmLabels", interactive: false, keyboard: false,
      icon: L.divIcon({className: "gm-label gm-label-town", html: "<span>" + esc(t[0]) + "</span>", iconSize: null})})};
  });
  function update() {
    var z = map.getZoom();
    shown = [];
    towns.forEach(function (t) {
      var want = z >= t.z && map.hasLayer(ctx.labels);
      if (want && !ctx.labels.hasLayer(t.m)) ctx.labels.addLayer(t.m);
      else if (!want && ctx.labels.hasLayer(t.m)) ctx.labels.removeLayer(t.m);
      if (want) shown.push(t.m);
    });
  }
  map.on("zoomend overlayadd overlayremove", update);
  update();
  ctx.townLabels = function () { return shown; };
}
