/* "Download what you see": the records that pass the window and the filters, as CSV or GeoJSON. */
/* exported geomapExport */
function geomapExport(ctx) {
  "use strict";
  var map = ctx.map, s = ctx.s, IC = ctx.IC, MC = ctx.MC, api = ctx.api;
  // The evidence was escaped (and marked) in Python: back to plain text.
  function plain(h) {
    return String(h).replace(/<\/?mark>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'").replace(/&#39;/g, "'").replace(/&amp;/g, "&");
  }
  function day(d) { return d == null ? "" : ctx.isoDay(d); }
  var COLS = ["record", "id", "type", "sub_type", "acled_event_type", "date_start", "date_end", "date_inferred", "place", "geo_precision", "admin1",
    "lat", "lon", "origin", "origin_lat", "origin_lon", "destination", "destination_lat", "destination_lon",
    "actor1", "actor2", "count_best", "count", "claim_status", "source_attribution", "outlet", "url", "evidence"];
  function incRecord(r) {
    return {record: "incident", id: s(r[IC.id]), type: s(r[IC.type]), sub_type: s(r[IC.sub]), acled_event_type: s(r[IC.acled]), date_start: day(r[IC.d0]),
      date_end: day(r[IC.d1]), date_inferred: r[IC.dinf] ? "yes" : "", place: s(r[IC.place]), geo_precision: s(r[IC.prec]),
      admin1: s(r[IC.admin1]), lat: r[IC.lat], lon: r[IC.lon], actor1: s(r[IC.a1]), actor2: s(r[IC.a2]),
      count_best: r[IC.best] == null ? "" : r[IC.best], count: s(r[IC.count]), claim_status: s(r[IC.claim]),
      source_attribution: s(r[IC.attr]), outlet: s(r[IC.outlet]), url: s(r[IC.url]), evidence: plain(s(r[IC.ev]))};
  }
  function movRecord(r) {
    var o = r[MC.o] || [], t = r[MC.t] || [];
    return {record: "movement", id: s(r[MC.id]), type: s(r[MC.kind]), date_start: day(r[MC.d0]), date_end: day(r[MC.d1]),
      date_inferred: r[MC.dinf] ? "yes" : "", origin: s(r[MC.from]), origin_lat: o[0], origin_lon: o[1],
      destination: s(r[MC.to]), destination_lat: t[0], destination_lon: t[1], actor1: s(r[MC.actor]),
      count_best: r[MC.best] == null ? "" : r[MC.best], count: s(r[MC.count]), claim_status: s(r[MC.claim]),
      source_attribution: s(r[MC.attr]), outlet: s(r[MC.outlet]), url: s(r[MC.url]), evidence: plain(s(r[MC.ev]))};
  }
  // Movements of a layer switched off in the layer control are not "what you see".
  function movements() {
    return api.shown.movements.filter(function (r) { var g = ctx.flows.groups[s(r[MC.kind])]; return g && map.hasLayer(g.layer); });
  }
  function incidents() { return map.hasLayer(ctx.incidents.layer) ? api.shown.incidents : []; }
  function records() { return incidents().map(incRecord).concat(movements().map(movRecord)); }
  // As geomap's own CSV writer does (geomap/write.py): a text cell a spreadsheet would run as a
  // formula gets a leading apostrophe; numbers stay as they are.
  function cell(v) {
    var t = v == null ? "" : String(v);
    if (typeof v === "string" && /^[=+\-@\t\r]/.test(t) && !/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) t = "'" + t;
    return /[",\r\n]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t;
  }
  api.exportCSV = function () {
    return [COLS.join(",")].concat(records().map(function (x) { return COLS.map(function (c) { return cell(x[c]); }).join(","); }))
      .join("\r\n") + "\r\n";
  };
  api.exportGeoJSON = function () {
    var feats = incidents().map(function (r) {
      return {type: "Feature", geometry: {type: "Point", coordinates: [r[IC.lon], r[IC.lat]]}, properties: incRecord(r)};
    }).concat(movements().map(function (r) {
      var x = movRecord(r), g = (r[MC.o] && r[MC.t]) ? {type: "LineString", coordinates: [[r[MC.o][1], r[MC.o][0]], [r[MC.t][1], r[MC.t][0]]]}
        : {type: "Point", coordinates: r[MC.o] ? [r[MC.o][1], r[MC.o][0]] : [r[MC.t][1], r[MC.t][0]]};
      return {type: "Feature", geometry: g, properties: x};
    }));
    return JSON.stringify({type: "FeatureCollection", features: feats});
  };
  function download(kind) {
    var text = kind === "csv" ? api.exportCSV() : api.exportGeoJSON();
    var blob = new Blob([kind === "csv" ? "\ufeff" + text : text], {type: kind === "csv" ? "text/csv" : "application/geo+json"});
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "geomap-selection." + kind;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 5000);
  }
  return {download: download, movements: movements};
}
