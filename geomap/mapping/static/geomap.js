/* geomap's map client: builds every layer from one JSON payload (geomap/mapping/payload.py).
 *
 * Inlined into map.html by geomap/mapping/client.py after Leaflet, its plugins and uPlot, then
 * started with geomapStart(map, data). The other static files define one function each
 * (geomapPopups, geomapIncidents, geomapFlows, geomapCharts, geomapPanels, geomapDeclutter) that
 * receives the shared context built here.
 *
 * Every record passes through one filter (time window, event type, actor, outlet, claim status,
 * place precision, governorate); api.apply() redraws markers, circles, flows, charts and counts
 * from the records that pass. Text from articles reaches the DOM only through esc() or as HTML
 * Python already escaped (the evidence with <mark>). window.geomap is the API for tests and users.
 */
/* exported geomapStart */
function geomapStart(map, D) {
  "use strict";
  var S = D.strings;
  function s(i) { return (i == null) ? "" : (S[i] || ""); }
  function esc(t) {
    return String(t == null ? "" : t).replace(/[&<>"'`]/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;"}[c];
    });
  }
  function colIndex(cols) { var o = {}; cols.forEach(function (c, i) { o[c] = i; }); return o; }
  function isoDay(d) { return new Date(d * 864e5).toISOString().slice(0, 10); }
  // One formatter for every number: toLocaleString builds a new one per call (slow in redraws).
  var NUM = new Intl.NumberFormat("en");
  function fmt(n) { return NUM.format(n); }
  if (map.options.maxZoom == null) map.setMaxZoom(18);
  if (map.options.minZoom == null) map.setMinZoom(4);
  var T0 = performance.now();
  var api = window.geomap = {timings: {page_start: T0}, map: map, counts: {}, overlays: {}, loading: {}};
  var IC = colIndex(D.incidents.cols), MC = colIndex(D.movements.cols);
  var narrow = function () { return window.innerWidth < 900; };  // the CSS's breakpoint

  // Arrowheads sit above incident markers: both end on towns, and a hidden head hides direction.
  // Movement labels go under the markers: a label must never hide the town it is about.
  ["gmBase", "gmChoro", "gmLabels", "gmFlows", "gmArrows", "gmMoveLabels"].forEach(function (p, i) {
    map.createPane(p); map.getPane(p).style.zIndex = [250, 405, 640, 420, 610, 590][i];
  });
  map.getPane("gmLabels").style.pointerEvents = "none";

  // Moves the map makes itself (fitting Syria, following a resize) are not the user's: until the
  // user moves the map, it keeps Syria framed whatever size the page takes.
  var own = 0, userMoved = false;
  function quietly(fn) { own++; try { fn(); } finally { own--; } }
  map.on("movestart zoomstart", function () { if (!own) userMoved = true; });
  var ctx = {quietly: quietly, map: map, D: D, s: s, esc: esc, fmt: fmt, isoDay: isoDay, IC: IC, MC: MC, api: api,
    narrow: narrow, canvas: L.canvas({padding: 0.1})};
  function incStyle(t) { return D.styles[t] || D.other_style; }
  ctx.incStyle = incStyle;
  ctx.typeOf = function (r) { var t = s(r[IC.type]); return D.styles[t] ? t : "other"; };
  ctx.isKilled = function (ct) { return /kill|dead|death|die/.test(ct.toLowerCase()); };

  // ---- basemap: the gazetteer's own outlines ----
  if (D.countries) {
    L.geoJSON(D.countries, {pane: "gmBase", interactive: false, style: function (f) {
      var sy = f.properties.iso_a2 === "SY";
      return {color: sy ? "#8d897c" : "#b9b5aa", weight: sy ? 1.6 : 0.9, fillColor: sy ? "#fbfaf5" : "#efede6", fillOpacity: 1};
    }}).addTo(map);
  }
  if (D.governorates) {
    L.geoJSON(D.governorates, {pane: "gmBase", interactive: false,
      style: {color: "#b9b4a6", weight: 0.8, dashArray: "3 3", fill: false}}).addTo(map);
  }
  var labels = ctx.labels = L.layerGroup().addTo(map);
  ctx.govLabels = []; ctx.ctyLabels = [];
  function addLabels(fc, cls) {
    if (!fc) return;
    fc.features.forEach(function (f) {
      var p = f.properties; if (!p.label || !p.name) return;
      var mk = L.marker(p.label, {pane: "gmLabels", interactive: false, keyboard: false,
        icon: L.divIcon({className: "gm-label " + cls, html: "<span>" + esc(p.name) + "</span>", iconSize: null})}).addTo(labels);
      (cls === "gm-label-gov" ? ctx.govLabels : ctx.ctyLabels).push(mk);
    });
  }
  addLabels(D.countries, "gm-label-country");
  addLabels(D.governorates, "gm-label-gov");
  if (D.online_tiles) {
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
      {maxZoom: 19, attribution: "&copy; OpenStreetMap contributors", opacity: 0.85}).addTo(map);
  }
  api.timings.basemap = performance.now() - T0;

  // ---- popups: never under the title panel (desktop) nor a sheet (phone) ----
  ctx.openPopup = function (latlng, html) {
    var top = 10, title = document.querySelector(".gm-title");
    if (title && title.offsetParent !== null) top = title.getBoundingClientRect().bottom - map.getContainer().getBoundingClientRect().top + 10;
    if (ctx.closeSheets) ctx.closeSheets();
    L.popup({maxWidth: narrow() ? 300 : 360, autoPanPaddingTopLeft: L.point(10, Math.max(10, top)),
      autoPanPaddingBottomRight: L.point(60, 20)}).setLatLng(latlng).setContent(html).openOn(map);
  };
  ctx.popups = geomapPopups(ctx);
  api.rowId = function (r) { return s(r[IC.id]); };  // an incident row's id

  // ---- the filter every record passes through ----
  var days = [];
  D.incidents.rows.forEach(function (r) { if (r[IC.d0] != null) days.push(r[IC.d0]); });
  D.movements.rows.forEach(function (r) { if (r[MC.d0] != null) days.push(r[MC.d0]); });
  var lo = days.length ? Math.min.apply(null, days) : null, hi = days.length ? Math.max.apply(null, days) : null;
  D.incidents.rows.forEach(function (r) { if (r[IC.d1] != null && r[IC.d1] > hi) hi = r[IC.d1]; });
  var win = D.meta.window || (days.length ? [lo, hi] : null);
  api.extent = days.length ? [lo, hi] : null;
  api.defaultWindow = win ? win.slice() : null;
  var F = api.filters = {t0: win ? win[0] : null, t1: win ? win[1] : null, undated: true, types: {}, claims: {}, precs: {},
    actor: "", outlet: "", admin1: ""};
  var PREC_RANK = {neighbourhood: 0, town: 1, district: 2, governorate: 3, region: 4, country: 5, "": 6};
  function precOf(p) { return PREC_RANK[p] != null ? p : ""; }
  ctx.precOf = precOf;
  function inWindow(d0, d1) {
    if (d0 == null) return F.undated;
    if (F.t0 == null) return true;
    return d0 <= F.t1 && (d1 == null ? d0 : d1) >= F.t0;
  }
  // Filters other than time, kept apart so the window note can count what the window alone hides.
  // Each returns the one facet a record fails ("" if none, "*" if more than one): the filter
  // counts are faceted (a value's count is what it would show, the other filters as they are).
  function failed(prev, name) { return prev ? "*" : name; }
  function incFails(r) {
    var f = "";
    if (F.types[ctx.typeOf(r)] === false) f = failed(f, "types");
    if (F.claims[s(r[IC.claim]) || "reported"] === false) f = failed(f, "claims");
    if (F.precs[precOf(s(r[IC.prec]))] === false) f = failed(f, "precs");
    if (F.actor && s(r[IC.a1]) !== F.actor && s(r[IC.a2]) !== F.actor) f = failed(f, "actor");
    if (F.outlet && s(r[IC.outlet]) !== F.outlet) f = failed(f, "outlet");
    if (F.admin1 && s(r[IC.admin1]) !== F.admin1) f = failed(f, "admin1");
    return f;
  }
  function incKept(r) { return !incFails(r); }
  function movPrec(r) {
    var a = s(r[MC.from]) ? precOf(s(r[MC.fromprec])) : "neighbourhood", b = s(r[MC.to]) ? precOf(s(r[MC.toprec])) : "neighbourhood";
    return PREC_RANK[a] >= PREC_RANK[b] ? a : b;
  }
  function movFails(r) {
    var f = "";
    if (F.claims[s(r[MC.claim]) || "reported"] === false) f = failed(f, "claims");
    if (F.precs[movPrec(r)] === false) f = failed(f, "precs");
    if (F.actor && s(r[MC.actor]) !== F.actor) f = failed(f, "actor");
    if (F.outlet && s(r[MC.outlet]) !== F.outlet) f = failed(f, "outlet");
    // A movement has no governorate of its own: a governorate filter shows only incidents.
    if (F.admin1) f = failed(f, "admin1");
    return f;
  }
  function movKept(r) { return !movFails(r); }
  // Counts per value of the checkbox filters, of the records in the time window.
  // A record counts for a facet's value when it fails no filter, or only that facet's.
  function tally(out, k, f, v) { if (!f || f === k) out[k][v] = (out[k][v] || 0) + 1; }
  function facetCounts(inc, incF, mov, movF) {
    var out = {types: {}, claims: {}, precs: {}};
    for (var i = 0; i < inc.length; i++) {
      var r = inc[i], f = incF[i];
      if (f === "*") continue;
      tally(out, "types", f, ctx.typeOf(r));
      tally(out, "claims", f, s(r[IC.claim]) || "reported");
      tally(out, "precs", f, precOf(s(r[IC.prec])));
    }
    for (var j = 0; j < mov.length; j++) if (movF[j] !== "*") tally(out, "claims", movF[j], s(mov[j][MC.claim]) || "reported");
    return out;
  }
  ctx.incKept = incKept; ctx.movKept = movKept; ctx.movPrec = movPrec;

  ctx.incidents = geomapIncidents(ctx);
  api.timings.incidents = performance.now() - T0;
  ctx.flows = geomapFlows(ctx);
  api.timings.movements = performance.now() - T0;
  ctx.choropleths = geomapChoropleths(ctx);
  geomapTowns(ctx);
  ctx.panels = geomapPanels(ctx);
  ctx.charts = geomapCharts(ctx);
  ctx.declutter = geomapDeclutter(ctx);
  api.timings.controls = performance.now() - T0;

  api.apply = function () {
    var t = performance.now(), inc = [], mov = [], note = {outside: 0, undated: 0, hiddenUndated: 0};
    var inWin = [], incF = [], movWin = [], movF = [];
    D.incidents.rows.forEach(function (r) {
      var f = incFails(r), kept = !f;
      if (r[IC.d0] == null) { if (kept) note.undated++; if (!F.undated) { if (kept) note.hiddenUndated++; return; } }
      if (!inWindow(r[IC.d0], r[IC.d1])) { if (kept && r[IC.d0] != null) note.outside++; return; }
      inWin.push(r); incF.push(f);
      if (kept) inc.push(r);
    });
    D.movements.rows.forEach(function (r) {
      if (!inWindow(r[MC.d0], r[MC.d1])) return;
      var f = movFails(r);
      movWin.push(r); movF.push(f);
      if (!f) mov.push(r);
    });
    var fc = api.facetCounts = facetCounts(inWin, incF, movWin, movF);
    api.shown = {incidents: inc, movements: mov, note: note};
    var parts = api.timings.apply_parts = {filter: performance.now() - t};
    ctx.incidents.update(inc); parts.incidents = performance.now() - t;
    ctx.flows.update(mov); parts.flows = performance.now() - t;
    ctx.charts.update(inc); parts.charts = performance.now() - t;
    ctx.choropleths.update(inc);
    ctx.panels.update(inc, mov, note, fc);
    api.timings.apply = parts.panels = performance.now() - t;
    ctx.declutter.soon(120);
    return inc.length;
  };
  api.setWindow = function (t0, t1) {
    if (t0 != null && t1 != null && t1 < t0) { var x = t0; t0 = t1; t1 = x; }
    F.t0 = t0; F.t1 = t1;
    return api.apply();
  };
  api.setFilter = function (name, value) { F[name] = value; return api.apply(); };
  api.visibleIncidents = function () { return api.shown.incidents.length; };
  api.idle = function () {
    return Object.keys(api.loading).length === 0 && !ctx.declutter.pending() && !(api.windowPending && api.windowPending());
  };
  // Opens incident i's popup (zoomed to it unless keepView, as a click on its marker would).
  api.openIncident = function (i, keepView) {
    var r = D.incidents.rows[i];
    if (!keepView) map.setView([r[IC.lat], r[IC.lon]], Math.max(map.getZoom(), 11), {animate: false});
    ctx.openPopup([r[IC.lat], r[IC.lon]], ctx.popups.incident(r));
  };

  ctx.panels.layers();
  api.apply();
  // Frame Syria in the part of the map the panels leave free; on a phone, in quarter zoom steps
  // (whole steps leave Syria a small strip of a portrait screen). The page's final size may come
  // after this script runs (a screenshot tool or a phone sets the viewport late; the layout turns
  // to a column or a bar of buttons): Syria is framed again whenever the map's size changes, until
  // the user moves the map.
  function frame() {
    quietly(function () {
      map.invalidateSize({pan: false});
      map.options.zoomSnap = narrow() ? 0.25 : 1;
      map.fitBounds(D.bounds, {paddingTopLeft: [10, narrow() ? 50 : 10], paddingBottomRight: [10, 10], animate: false});
    });
  }
  api.frame = frame;
  api.userMoved = function () { return userMoved; };
  frame();
  var lastSize = map.getSize();
  function refit() {
    var sz = map.getContainer().getBoundingClientRect();
    if (userMoved || (Math.round(sz.width) === lastSize.x && Math.round(sz.height) === lastSize.y)) return;
    frame(); lastSize = map.getSize();
  }
  window.addEventListener("resize", refit);
  if (window.ResizeObserver) new ResizeObserver(refit).observe(map.getContainer());
  window.addEventListener("load", refit);
  ctx.declutter.soon(400);
  api.timings.total = performance.now() - T0;
  api.ready = true;
}
