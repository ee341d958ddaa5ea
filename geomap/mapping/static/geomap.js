/* geomap's map client: builds every layer from one JSON payload (geomap/mapping/payload.py).
 * Inlined into map.html by geomap/mapping/client.py, after Leaflet and its plugins; started with
 * geomapStart(map, data). Text from articles reaches the DOM only through esc() or as HTML that
 * Python already escaped (the evidence with <mark>). Exposes window.geomap for tests and users.
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
  // Without tiles nothing sets maxZoom, and the cluster plugin needs one.
  if (map.options.maxZoom == null) map.setMaxZoom(18);
  if (map.options.minZoom == null) map.setMinZoom(4);
  var T0 = performance.now();
  var api = window.geomap = {timings: {page_start: T0}, map: map, incidentGroups: {}, movementGroups: {}, overlays: {}, counts: {}};

  // Arrowheads sit above incident markers: both end on towns, and a hidden head hides direction.
  // Movement labels go under the markers: a label must never hide the town it is about.
  ["gmBase", "gmChoro", "gmLabels", "gmFlows", "gmArrows", "gmMoveLabels"].forEach(function (p, i) {
    map.createPane(p); map.getPane(p).style.zIndex = [250, 405, 640, 420, 610, 590][i];
  });
  map.getPane("gmLabels").style.pointerEvents = "none";
  var canvas = L.canvas({padding: 0.3});

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
  var labels = L.layerGroup().addTo(map), govLabels = [], ctyLabels = [];
  function addLabels(fc, cls) {
    if (!fc) return;
    fc.features.forEach(function (f) {
      var p = f.properties; if (!p.label || !p.name) return;
      var mk = L.marker(p.label, {pane: "gmLabels", interactive: false, keyboard: false,
        icon: L.divIcon({className: "gm-label " + cls, html: "<span>" + esc(p.name) + "</span>", iconSize: null})}).addTo(labels);
      (cls === "gm-label-gov" ? govLabels : ctyLabels).push(mk);
    });
  }
  addLabels(D.countries, "gm-label-country");
  addLabels(D.governorates, "gm-label-gov");
  if (D.online_tiles) {
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
      {maxZoom: 19, attribution: "&copy; OpenStreetMap contributors", opacity: 0.85}).addTo(map);
  }

  // ---- popups ----
  function row(k, v) { return v ? "<tr><th>" + k + "</th><td>" + v + "</td></tr>" : ""; }
  function small(t) { return t ? " <small>(" + esc(t) + ")</small>" : ""; }
  function claimBadge(c) {
    return (c === "disputed" || c === "denied") ? ' <span class="gm-badge">' + esc(c.toUpperCase()) + "</span>" : "";
  }
  function sourceLink(outlet, url) {
    if (url && /^https?:\/\//i.test(url)) {
      return '<a href="' + esc(url) + '" target="_blank" rel="noopener noreferrer">' + esc(outlet || url) + "</a>";
    }
    return esc(outlet);
  }
  function precisionNote(prec) {
    if (prec === "country" || prec === "governorate" || prec === "region" || prec === "") {
      return '<div class="gm-note">Located only at ' + esc(prec || "unknown") +
        " level: the mark sits on the area's centre, not on a town.</div>";
    }
    return "";
  }
  var IC = colIndex(D.incidents.cols), MC = colIndex(D.movements.cols);
  api.rowId = function (r) { return s(r[IC.id]); };
  function incStyle(t) { return D.styles[t] || D.other_style; }
  function incidentPopup(r) {
    var t = s(r[IC.type]), st = incStyle(t), sub = s(r[IC.sub]), claim = s(r[IC.claim]);
    var h = '<div class="gm-pop"><div class="gm-pop-h" style="border-color:' + st.color + '">' + esc(st.single) +
      (sub ? " \u00b7 " + esc(sub) : "") + claimBadge(claim) + "</div><table>";
    h += row("Date", esc(s(r[IC.date])) + small(s(r[IC.dprec])));
    h += row("Place", esc(s(r[IC.place]) || "?") + small(s(r[IC.prec]) ? s(r[IC.prec]) + " level" : "") +
      (s(r[IC.admin1]) && s(r[IC.admin1]) !== s(r[IC.place]) ? ", " + esc(s(r[IC.admin1])) : ""));
    var counts = s(r[IC.count]);
    if (counts) {
      var lbh = [r[IC.low], r[IC.best], r[IC.high]].map(function (x) { return x == null ? "\u2013" : Number(x).toLocaleString("en"); });
      h += row("Count", esc(counts) + " <small>(low/best/high " + lbh.join(" / ") +
        (s(r[IC.qual]) ? "; " + esc(s(r[IC.qual])) : "") + ")</small>");
    }
    var actors = [s(r[IC.a1]), s(r[IC.a2])].filter(Boolean).map(esc).join(" vs ");
    h += row("Actors", actors);
    h += row("Said by", esc(s(r[IC.attr])));
    h += row("Claim", claim ? esc(claim) : "");
    h += row("Source", sourceLink(s(r[IC.outlet]), s(r[IC.url])));
    h += row("Confidence", r[IC.conf] == null ? "" : esc(r[IC.conf]));
    h += "</table>" + precisionNote(s(r[IC.prec]));
    if (s(r[IC.ev])) h += "<blockquote>" + s(r[IC.ev]) + "</blockquote>";  // escaped in Python, <mark> added
    h += '<div style="color:#888;font-size:10px">' + esc(s(r[IC.id])) + "</div>";
    return h + "</div>";
  }
  function movementPopup(r) {
    var k = s(r[MC.kind]), st = D.movement_styles[k] || {label: k, color: "#333"}, claim = s(r[MC.claim]);
    var h = '<div class="gm-pop"><div class="gm-pop-h" style="border-color:' + st.color + '">' + esc(st.single || k) +
      claimBadge(claim) + "</div><table>";
    h += row("From", s(r[MC.from]) ? esc(s(r[MC.from])) + small(s(r[MC.fromprec]) ? s(r[MC.fromprec]) + " level" : "") : "<i>unknown</i>");
    h += row("To", s(r[MC.to]) ? esc(s(r[MC.to])) + small(s(r[MC.toprec]) ? s(r[MC.toprec]) + " level" : "") : "<i>unknown</i>");
    h += row("Who", esc(s(r[MC.actor])));
    h += row("How many", esc(s(r[MC.count])));
    h += row("Date", esc(s(r[MC.date])));
    h += row("Said by", esc(s(r[MC.attr])));
    h += row("Claim", claim ? esc(claim) : "");
    h += row("Source", sourceLink(s(r[MC.outlet]), s(r[MC.url])));
    h += row("Confidence", r[MC.conf] == null ? "" : esc(r[MC.conf]));
    h += "</table>";
    if (r[MC.imprecise]) h += '<div class="gm-note">An end is known only at country/governorate level: the line starts or ends at the area\'s centre, not at a town.</div>';
    if (r[MC.end] === 1) h += '<div class="gm-note">Destination unknown: the dashed stub only shows the start, not a direction.</div>';
    if (r[MC.end] === 2) h += '<div class="gm-note">Origin unknown: the dashed stub only shows the arrival, not where it came from.</div>';
    if (s(r[MC.ev])) h += "<blockquote>" + s(r[MC.ev]) + "</blockquote>";
    h += '<div style="color:#888;font-size:10px">' + esc(s(r[MC.id])) + "</div>";
    return h + "</div>";
  }

  api.timings.basemap = performance.now() - T0;
  // ---- incidents: one marker cluster per event type ----
  var iconCache = {};
  function incIcon(t, imprecise, disputed) {
    var key = t + imprecise + disputed;
    if (!iconCache[key]) {
      var st = incStyle(t);
      iconCache[key] = L.divIcon({className: "gm-inc gm-inc-" + t + (imprecise ? " gm-imprecise" : "") + (disputed ? " gm-disputed" : ""),
        html: '<div style="background:' + st.color + ";border-color:" + st.color + ";color:" + (imprecise ? st.color : "#fff") + '">' + st.glyph + "</div>",
        iconSize: [20, 20], iconAnchor: [10, 10], popupAnchor: [0, -8]});
    }
    return iconCache[key];
  }
  function clusterIcon(color) {
    return function (c) {
      var n = c.getChildCount(), sz = n < 10 ? 28 : n < 100 ? 32 : n < 1000 ? 38 : 44;
      // A cluster of records placed only at a country/governorate centre looks as hollow as they do.
      var hollow = c.allImprecise ? c.allImprecise() : (n <= 200 && c.getAllChildMarkers().every(function (k) { return k._gmRow && k._gmRow[IC.imprecise]; }));
      var style = hollow ? "background:rgba(255,255,255,.9);color:" + color + ";border:2px dashed " + color + ";box-sizing:border-box;box-shadow:none;"
        : "background:" + color + ";";
      return L.divIcon({className: "gm-cluster" + (hollow ? " gm-cluster-imprecise" : ""), iconSize: [sz, sz],
        html: '<div style="' + style + "width:" + sz + "px;height:" + sz + "px;line-height:" + (hollow ? sz - 4 : sz) + 'px">' + n + "</div>"});
    };
  }
  var groups = api.incidentGroups, timeItems = [];
  // Clustering runs in chunks after the page is up; api.loading says which groups are still busy.
  api.loading = {};
  function clusterProgress(t) {
    return function (done, total) { if (done >= total) delete api.loading[t]; };
  }
  var heatPts = [];
  // Above D.fast_threshold incidents, Leaflet.markercluster is too slow to start: a grid clustering
  // over the visible bounds replaces it (recomputed on each move/zoom, markers only when zoomed in).
  var fast = D.incidents.rows.length > D.fast_threshold;
  function incMarker(t, r, ll) {
    var claim = s(r[IC.claim]);
    var mk = L.marker(ll || [r[IC.lat], r[IC.lon]], {icon: incIcon(t, r[IC.imprecise], claim === "disputed" || claim === "denied"),
      title: (incStyle(t).single + " \u00b7 " + s(r[IC.place]))});
    mk._gmRow = r;  // popup built on click (delegated), not bound per marker: 50,000 popups are slow
    return mk;
  }
  var GridCluster = L.Layer.extend({
    initialize: function (t) {
      this.t = t; this.items = []; this.time = null; this._lg = L.featureGroup(); this._sp = L.featureGroup();
    },
    onAdd: function (m) {
      this._lg.addTo(m); this._sp.addTo(m);
      m.on("moveend", this.redraw, this); m.on("zoomstart click", this.unspiderfy, this); this.redraw();
    },
    onRemove: function (m) {
      m.off("moveend", this.redraw, this); m.off("zoomstart click", this.unspiderfy, this);
      m.removeLayer(this._lg); m.removeLayer(this._sp);
    },
    shown: function () { var t = this.time; return this.items.filter(function (it) { return t == null || it.d0 == null || it.d0 <= t; }); },
    getLayers: function () { return this.shown(); },
    setTime: function (t) { this.time = t; this.unspiderfy(); if (this._map) this.redraw(); },
    unspiderfy: function () { this._sp.clearLayers(); this.spiderfied = null; },
    // Points that coincide (same town, or beyond the last zoom) fan out on a circle or spiral
    // around their place, with legs back to it, like Leaflet.markercluster's spiderfy.
    spiderfy: function (items, ll) {
      var m = this._map, sp = this._sp, t = this.t, c = m.latLngToLayerPoint(ll), n = items.length;
      this.unspiderfy();
      var pts = [];
      if (n <= 9) {
        var rad = Math.max(30, 26 * n / (2 * Math.PI));
        for (var i = 0; i < n; i++) { var a = -Math.PI / 2 + 2 * Math.PI * i / n; pts.push([rad * Math.cos(a), rad * Math.sin(a)]); }
      } else {
        var len = 16, ang = 0;
        for (var j = 0; j < n; j++) { ang += 28 / len + j * 0.0005; pts.push([len * Math.cos(ang), len * Math.sin(ang)]); len += 2 * Math.PI * 5 / ang; }
      }
      items.forEach(function (it, k) {
        var q = m.layerPointToLatLng(L.point(c.x + pts[k][0], c.y + pts[k][1]));
        sp.addLayer(L.polyline([ll, q], {color: "#444", weight: 1.2, opacity: 0.6, interactive: false}));
        sp.addLayer(incMarker(t, it.r, q));
      });
      this.spiderfied = items.length;
    },
    redraw: function () {
      var m = this._map; if (!m) return;
      var z = m.getZoom(), sc = Math.pow(2, z), b = m.getPixelBounds().pad(0.25), cell = 56, cells = {}, lg = this._lg, t = this.t, self = this;
      lg.clearLayers();
      var vis = this.shown(), single = z >= 12;
      vis.forEach(function (it) {
        var x = it.px * sc, y = it.py * sc;
        if (x < b.min.x || x > b.max.x || y < b.min.y || y > b.max.y) return;
        // Zoomed in, only points on the same pixel share a cell: they are the ones that would stack.
        var k = single ? Math.round(x) + ":" + Math.round(y) : Math.floor(x / cell) + ":" + Math.floor(y / cell);
        var c = cells[k] || (cells[k] = {n: 0, lat: 0, lon: 0, items: [], same: true});
        if (c.n && (it.r[IC.lat] !== c.items[0].r[IC.lat] || it.r[IC.lon] !== c.items[0].r[IC.lon])) c.same = false;
        c.n++; c.lat += it.r[IC.lat]; c.lon += it.r[IC.lon]; c.items.push(it);
      });
      Object.keys(cells).forEach(function (k) {
        var c = cells[k], mk;
        if (c.n === 1) {
          mk = incMarker(t, c.items[0].r);
        } else {
          var ll = L.latLng(c.lat / c.n, c.lon / c.n);
          mk = L.marker(ll, {icon: clusterIcon(incStyle(t).color)({getChildCount: function () { return c.n; },
            allImprecise: function () { return c.items.every(function (it) { return it.r[IC.imprecise]; }); }})});
          mk._gmSame = c.same || single;
          mk.on("click", function (e) {
            L.DomEvent.stopPropagation(e);
            // Zooming cannot separate points at one place: fan them out instead.
            if (c.same || single || z >= m.getMaxZoom()) self.spiderfy(c.items, c.same ? L.latLng(c.items[0].r[IC.lat], c.items[0].r[IC.lon]) : ll);
            else m.setView(ll, Math.min(z + 2, 18));
          });
        }
        lg.addLayer(mk);
      });
    }
  });
  D.incidents.rows.forEach(function (r, i) {
    var t = s(r[IC.type]); if (!D.styles[t]) t = "other";
    var g = groups[t];
    if (!g) {
      g = groups[t] = fast ? {layer: new GridCluster(t), fast: true} :
        {layer: L.markerClusterGroup({chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 45,
          spiderfyOnMaxZoom: true, iconCreateFunction: clusterIcon(incStyle(t).color), chunkProgress: clusterProgress(t)})};
      g.items = fast ? g.layer.items : [];
    }
    if (fast) {
      var p0 = map.project([r[IC.lat], r[IC.lon]], 0);
      g.items.push({r: r, d0: r[IC.d0], px: p0.x, py: p0.y, i: i});
    } else {
      g.items.push({m: incMarker(t, r), d0: r[IC.d0]});
    }
    if (!r[IC.imprecise]) heatPts.push([r[IC.lat], r[IC.lon], r[IC.harm] ? Math.min(1, 0.3 + Math.log10(1 + r[IC.best]) / 3) : 0.3]);
  });
  function openRowPopup(latlng, html) {
    L.popup({maxWidth: 360}).setLatLng(latlng).setContent(html).openOn(map);
  }
  api.openIncident = function (t, i) {
    var g = groups[t];
    if (g.fast) {
      var r = g.items[i].r;
      map.setView([r[IC.lat], r[IC.lon]], 13, {animate: false});
      openRowPopup([r[IC.lat], r[IC.lon]], incidentPopup(r));
      return Promise.resolve();
    }
    var m = g.items[i].m;
    return new Promise(function (done) {
      g.layer.zoomToShowLayer(m, function () { openRowPopup(m.getLatLng(), incidentPopup(m._gmRow)); done(); });
    });
  };
  Object.keys(groups).forEach(function (t) {
    var g = groups[t], targets = g.fast ? [g.layer._lg, g.layer._sp] : [g.layer];
    targets.forEach(function (target) {
      target.on("click", function (e) { if (e.layer._gmRow) openRowPopup(e.layer.getLatLng(), incidentPopup(e.layer._gmRow)); });
    });
    if (g.fast) { timeItems.push({kind: "fast", g: g, t: t}); return; }
    g.layer.addLayers(g.items.map(function (it) { return it.m; }));
    timeItems.push({kind: "cluster", g: g, t: t});
  });

  api.timings.incidents = performance.now() - T0;
  // ---- casualties: circles whose area is proportional to the count ----
  var cas = {layer: L.featureGroup(), items: []};
  var nHarm = 0;
  D.incidents.rows.forEach(function (r) { if (r[IC.harm]) nHarm++; });
  cas.layer.on("click", function (e) { if (e.layer._gmRow) openRowPopup(e.latlng, incidentPopup(e.layer._gmRow)); });
  api.casualties = cas;
  // A country-level toll has no place: a circle on the country's centre would read as a huge
  // massacre in the desert. Those tolls go in one labelled box per country instead.
  var tolls = {layer: L.featureGroup(), items: [], boxes: {}};
  api.tolls = tolls;
  D.incidents.rows.forEach(function (r) {
    if (!r[IC.harm]) return;
    var ct = s(r[IC.ctype]).toLowerCase(), killed = /kill|dead|death|die/.test(ct);
    var claim = s(r[IC.claim]), imprecise = r[IC.imprecise];
    if (s(r[IC.prec]) === "country") {
      var key = r[IC.lat] + "," + r[IC.lon];
      var box = tolls.boxes[key] || (tolls.boxes[key] = {rows: [], place: s(r[IC.place]) || "country", ll: [r[IC.lat], r[IC.lon]]});
      box.rows.push(r);
      tolls.items.push({r: r, d0: r[IC.d0]});
      return;
    }
    var c = L.circleMarker([r[IC.lat], r[IC.lon]], {renderer: canvas, radius: Math.max(3, D.circle_k * Math.sqrt(r[IC.best])),
      color: killed ? "#b71c1c" : "#e65100", weight: 1.5, fillColor: killed ? "#e53935" : "#fb8c00",
      fillOpacity: imprecise ? 0 : 0.28, dashArray: (imprecise || claim === "disputed" || claim === "denied") ? "5 4" : null});
    c._gmRow = r;
    if (nHarm <= 3000) c.bindTooltip(esc(s(r[IC.count])) + " \u00b7 " + esc(s(r[IC.place])) + (imprecise ? " (" + esc(s(r[IC.prec])) + " level)" : ""));
    cas.items.push({m: c, d0: r[IC.d0]});
  });
  // Biggest first so small circles stay clickable on top.
  cas.items.sort(function (a, b) { return b.m.getRadius() - a.m.getRadius(); });
  cas.items.forEach(function (it) { cas.layer.addLayer(it.m); });
  function tollHtml(box, t) {
    var rows = box.rows.filter(function (r) { return t == null || r[IC.d0] == null || r[IC.d0] <= t; });
    rows.sort(function (a, b) { return (b[IC.best] || 0) - (a[IC.best] || 0); });
    var h = "<div class='gm-toll-h'>" + esc(box.place) + "-wide tolls <small>(no place given)</small></div>";
    rows.forEach(function (r) {
      var ct = s(r[IC.ctype]).toLowerCase(), killed = /kill|dead|death|die/.test(ct), claim = s(r[IC.claim]);
      h += "<div class='gm-toll-row" + (claim === "disputed" || claim === "denied" ? " gm-toll-disputed" : "") + "' data-i='" +
        box.rows.indexOf(r) + "'><span class='gm-sw' style='background:" + (killed ? "#e53935" : "#fb8c00") + "'></span>" +
        esc(s(r[IC.count])) + " <small>" + esc(s(r[IC.date])) + "</small></div>";
    });
    return rows.length ? h : "";
  }
  tolls.setTime = function (t) {
    Object.keys(tolls.boxes).forEach(function (k) {
      var b = tolls.boxes[k], h = tollHtml(b, t), el = b.m.getElement();
      b.html = h;
      if (el) { el.firstChild.innerHTML = h; el.style.display = h ? "" : "none"; }
    });
  };
  Object.keys(tolls.boxes).forEach(function (k) {
    var b = tolls.boxes[k];
    b.html = tollHtml(b, null);
    // Anchored to the right of the country's centre, where its hollow markers sit: the box is
    // about the whole country and says so; nothing points at a town.
    b.m = L.marker(b.ll, {keyboard: false, zIndexOffset: -500, icon: L.divIcon({className: "gm-toll", iconSize: null,
      iconAnchor: [-16, 12], html: "<div class='gm-panel gm-toll-box'>" + b.html + "</div>"})});
    b.m.on("add", function () { var el = b.m.getElement(); el.firstChild.innerHTML = b.html; el.style.display = b.html ? "" : "none"; });
    b.m.on("click", function (e) {
      var row = e.originalEvent && e.originalEvent.target.closest && e.originalEvent.target.closest(".gm-toll-row");
      var r = b.rows[row ? +row.getAttribute("data-i") : 0];
      openRowPopup(b.ll, incidentPopup(r));
    });
    tolls.layer.addLayer(b.m);
  });
  timeItems.push({kind: "group", g: cas});
  timeItems.push({kind: "tolls", g: tolls});

  api.timings.casualties = performance.now() - T0;
  // ---- movements: arrows (troops, weapons) and curved flows (displacement, refugees) ----
  var mgroups = api.movementGroups;
  var nMov = D.movements.rows.length, permanentLabels = nMov <= 40, manyMov = nMov > 400;
  // At scale, lines go on a canvas and popups are built on click; small maps keep SVG and tooltips.
  var moveLabels = [];
  var flowCanvas = manyMov ? L.canvas({pane: "gmFlows", padding: 0.3}) : null;
  // Canvas arrowhead (a CircleMarker that paints a rotated triangle), for thousands of arrows.
  var ArrowHead = L.CircleMarker.extend({
    _updatePath: function () {
      var r = this._renderer, ctx = r._ctx;
      if (!ctx || this._empty()) return;
      var p = this._point, a = this.options.angle * Math.PI / 180, u = this.options.unit, c = Math.cos(a), n = Math.sin(a);
      var tx = p.x - 10 * u * c, ty = p.y - 10 * u * n;
      function pt(back, side) { return [tx - back * u * c - side * u * n, ty - back * u * n + side * u * c]; }
      ctx.beginPath(); ctx.moveTo(tx, ty);
      [pt(11, 6.5), pt(7.5, 0), pt(11, -6.5)].forEach(function (q) { ctx.lineTo(q[0], q[1]); });
      ctx.closePath();
      r._fillStroke(ctx, this);
    }
  });
  D.movements.rows.forEach(function (r) {
    var k = s(r[MC.kind]), st = D.movement_styles[k] || {color: "#333", single: k};
    var g = mgroups[k];
    if (!g) {
      g = mgroups[k] = {layer: L.featureGroup(), items: []};
      g.layer.on("click", function (e) { if (e.layer._gmPop) openRowPopup(e.latlng, e.layer._gmPop()); });
    }
    var p = r[MC.path], ll = [];
    for (var i = 0; i < p.length; i += 2) ll.push([p[i], p[i + 1]]);
    var claim = s(r[MC.claim]), w = r[MC.w];
    var dash = r[MC.end] ? "6 6" : (claim === "disputed" || claim === "denied") ? "2 6" : null;
    var line = L.polyline(ll, {pane: "gmFlows", renderer: flowCanvas || undefined, color: st.color, weight: w, opacity: r[MC.end] ? 0.7 : 0.85, dashArray: dash,
      lineCap: "butt", className: "gm-move gm-move-" + k + (r[MC.imprecise] ? " gm-move-imprecise" : "")});
    if (r[MC.imprecise]) line.setStyle({opacity: 0.5});
    var parts = [line];
    var label = esc(s(r[MC.label])) + (r[MC.end] === 1 ? " \u2192 ?" : r[MC.end] === 2 ? " (origin ?)" : "");
    if (!manyMov) line.bindTooltip(label, {permanent: permanentLabels, direction: "center", className: "gm-move-label", opacity: 1,
      pane: permanentLabels ? "gmMoveLabels" : "tooltipPane"});
    if (!manyMov && permanentLabels) {
      // At country zoom a label says how many; the date joins it once there is room (and is in the popup).
      var short = esc(s(r[MC.count]) || st.single || k) + (r[MC.end] === 1 ? " \u2192 ?" : r[MC.end] === 2 ? " (origin ?)" : "");
      moveLabels.push({line: line, ll: ll, w: w, full: label, short: short});
    }
    var pop = function () { return movementPopup(r); };
    line._gmPop = pop;
    if (r[MC.arrow]) {
      // The tip stops short of the destination so the town's own marker stays visible and clickable.
      var a = r[MC.arrow], sz = 2 * Math.round(8 + w * 2.2);
      var svg = '<svg width="' + sz + '" height="' + sz + '" viewBox="-22 -22 44 44" style="transform:rotate(' + a[2] +
        'deg)"><path d="M-10,0 L-21,-6.5 L-17.5,0 L-21,6.5 Z" fill="' + st.color + '" stroke="#fff" stroke-width="1"/></svg>';
      var head = manyMov
        ? new ArrowHead([a[0], a[1]], {renderer: flowCanvas, angle: a[2], unit: sz / 44, radius: 21 * sz / 44,
            color: "#fff", weight: 1, fillColor: st.color, fillOpacity: 1})
        : L.marker([a[0], a[1]], {icon: L.divIcon({className: "gm-arrowhead gm-arrowhead-" + k, html: svg,
            iconSize: [sz, sz], iconAnchor: [sz / 2, sz / 2]}), keyboard: false, pane: "gmArrows"});
      head._gmPop = pop;
      parts.push(head);
    }
    if (r[MC.end]) {
      var q = r[MC.end] === 1 ? ll[ll.length - 1] : ll[0];
      var unk = manyMov
        ? L.circleMarker(q, {renderer: flowCanvas, radius: 6, color: "#555", weight: 1, dashArray: "2 2", fillColor: "#fff", fillOpacity: 1})
        : L.marker(q, {icon: L.divIcon({className: "gm-unknown-end", html: "<div>?</div>", iconSize: [16, 16], iconAnchor: [8, 8]}),
        title: r[MC.end] === 1 ? "destination unknown" : "origin unknown", keyboard: false, pane: "gmArrows"});
      unk._gmPop = pop;
      parts.push(unk);
    }
    var lg = L.featureGroup(parts);  // a featureGroup, so clicks reach the kind's handler
    g.layer.addLayer(lg);
    g.items.push({m: lg, d0: r[MC.d0]});
  });
  Object.keys(mgroups).forEach(function (k) { timeItems.push({kind: "group", g: mgroups[k]}); });

  api.timings.movements = performance.now() - T0;
  // ---- governorate choropleths ----
  var choro = {};
  function ramp(v, max) {
    if (!v) return null;
    var cs = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"];
    var i = Math.min(4, Math.floor(Math.sqrt(v / max) * 5 - 1e-9));
    return cs[Math.max(0, i)];
  }
  if (D.governorates) {
    [["incidents", "Incidents per governorate"], ["deaths", "Deaths per governorate"]].forEach(function (mt) {
      var vals = D.governorates.features.map(function (f) { var t = D.tallies[f.properties.id || f.properties.name]; return t ? t[mt[0]] : 0; });
      var max = Math.max.apply(null, vals.concat([0]));
      choro[mt[0]] = {max: max, label: mt[1], layer: L.geoJSON(D.governorates, {renderer: canvas,
        style: function (f) {
          var t = D.tallies[f.properties.id || f.properties.name], v = t ? t[mt[0]] : 0, c = ramp(v, max);
          return {color: "#7a7466", weight: 0.8, fillColor: c || "#ffffff", fillOpacity: c ? 0.62 : 0.0};
        },
        onEachFeature: function (f, lyr) {
          var t = D.tallies[f.properties.id || f.properties.name], v = t ? t[mt[0]] : 0;
          lyr.bindTooltip(esc(f.properties.name) + ": " + Number(v).toLocaleString("en") + " " + (mt[0] === "deaths" ? "deaths reported" : "incidents"), {sticky: true});
        }})};
    });
  }

  // A small scale for whichever choropleth is switched on (classes follow ramp(): sqrt steps).
  var choroLegend = L.control({position: "bottomright"}), choroOn = null;
  choroLegend.onAdd = function () { return L.DomUtil.create("div", "gm-panel gm-choro-legend"); };
  function showChoroLegend(k) {
    var c = choro[k], el = choroLegend.getContainer();
    if (!el) { choroLegend.addTo(map); el = choroLegend.getContainer(); }
    var cs = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"], h = "<b>" + esc(c.label) + "</b>";
    if (!c.max) h += "<div>none located to a governorate</div>";
    else cs.forEach(function (col, i) {
      // Whole numbers in class i of ramp(): (max*(i/5)^2, max*((i+1)/5)^2]; empty classes are left out.
      var lo = Math.floor(c.max * Math.pow(i / 5, 2)) + 1, hi = Math.floor(c.max * Math.pow((i + 1) / 5, 2) + 1e-9);
      if (hi >= lo) h += "<div class='gm-li'><span class='gm-sw' style='border-radius:0;background:" + col + "'></span>" +
        lo.toLocaleString("en") + (hi > lo ? "\u2013" + hi.toLocaleString("en") : "") + "</div>";
    });
    el.innerHTML = h + "<div class='gm-note'>Unfilled: none. Country-level records are not counted.</div>";
    choroOn = k;
  }
  // The choropleth shares the casualty circles' canvas and is drawn first: on one canvas the
  // topmost shape under the pointer gets the click, so circles stay clickable over the colours
  // and the areas still show their tooltips elsewhere.
  map.on("overlayadd", function (e) {
    Object.keys(choro).forEach(function (k) { if (choro[k].layer === e.layer) { e.layer.bringToBack(); showChoroLegend(k); } });
  });
  api.choro = choro;
  map.on("overlayremove", function (e) {
    Object.keys(choro).forEach(function (k) {
      if (choro[k].layer === e.layer && choroOn === k) { map.removeControl(choroLegend); choroOn = null; }
    });
  });

  // ---- heat map (off by default) ----
  var heat = null;
  if (L.heatLayer && heatPts.length) heat = L.heatLayer(heatPts, {radius: 18, blur: 16, maxZoom: 11, minOpacity: 0.25});

  api.timings.choro_heat = performance.now() - T0;
  // ---- layer control with counts ----
  function nrows(g) { return g.items.length.toLocaleString("en"); }
  var overlays = api.overlays;
  Object.keys(D.styles).concat(["other"]).forEach(function (t) {
    if (!groups[t]) return;
    var st = incStyle(t);
    overlays['<span class="gm-sw" style="background:' + st.color + '"></span>' + esc(st.label) + " (" + nrows(groups[t]) + ")"] = groups[t].layer;
    api.counts[t] = groups[t].items.length;
    if (groups[t].items.length && !groups[t].fast) api.loading[t] = true;
    groups[t].layer.addTo(map);
  });
  api.timings.clusters_added = performance.now() - T0;
  if (cas.items.length) {
    overlays['<span class="gm-sw" style="background:#e53935;opacity:.6"></span>Casualties, circle area = count (' + nrows(cas) + ")"] = cas.layer;
    cas.layer.addTo(map);
    api.counts.casualty_circles = cas.items.length;
  }
  if (tolls.items.length) {
    overlays['<span class="gm-sw" style="border:1.5px solid #b71c1c;background:#fff;border-radius:2px"></span>Country-wide tolls, boxed (' +
      tolls.items.length.toLocaleString("en") + ")"] = tolls.layer;
    tolls.layer.addTo(map);
    api.counts.country_tolls = tolls.items.length;
  }
  api.timings.circles_added = performance.now() - T0;
  Object.keys(D.movement_styles).forEach(function (k) {
    if (!mgroups[k]) return;
    var st = D.movement_styles[k];
    overlays['<span class="gm-swl" style="border-color:' + st.color + '"></span>' + esc(st.label) + " (" + nrows(mgroups[k]) + ")"] = mgroups[k].layer;
    mgroups[k].layer.addTo(map);
    api.counts[k] = mgroups[k].items.length;
  });
  Object.keys(mgroups).forEach(function (k) {
    if (D.movement_styles[k]) return;
    overlays[esc(k) + " (" + nrows(mgroups[k]) + ")"] = mgroups[k].layer; mgroups[k].layer.addTo(map);
  });
  Object.keys(choro).forEach(function (k) { overlays[choro[k].label] = choro[k].layer; });
  if (heat) overlays["Heat map (precise locations)"] = heat;
  // Governorate names are areas (italic small capitals), not the towns of the same name.
  overlays["Names of countries and <i style='font-variant:small-caps'>governorates</i>"] = labels;
  var base = {};
  // On a small screen the layer list folds into its button instead of covering northern Syria.
  L.control.layers(base, overlays, {collapsed: D.collapse_layers || map.getSize().x < 1000, position: "topright"}).addTo(map);
  L.control.zoom({position: "topright"}).addTo(map);
  L.control.scale({position: "bottomright", imperial: false}).addTo(map);

  api.timings.layers_added = performance.now() - T0;
  // ---- title, as-of date, sources ----
  var title = L.control({position: "topleft"});
  title.onAdd = function () {
    var d = L.DomUtil.create("div", "gm-panel gm-title");
    var m = D.meta, h = "<h1>" + esc(m.title) + "</h1><div class='gm-sub'>";
    h += m.as_of ? "As of " + esc(m.as_of) + " \u00b7 " : "";
    h += Number(m.n_incidents).toLocaleString("en") + " incidents, " + Number(m.n_movements).toLocaleString("en") + " movements";
    if (m.n_unplaced) h += " (" + Number(m.n_unplaced).toLocaleString("en") + " without a known place, not drawn)";
    h += "</div>";
    if (m.sources.length) {
      h += "<div class='gm-sources'>Sources: " + m.sources.map(esc).join(", ") + (m.more_sources ? " and " + m.more_sources + " more" : "") + "</div>";
    }
    d.innerHTML = h;
    L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d);
    return d;
  };
  title.addTo(map);

  // ---- legend ----
  var legend = L.control({position: "bottomleft"});
  legend.onAdd = function () {
    var d = L.DomUtil.create("div", "gm-panel gm-legend");
    var h = "<div class='gm-legend-toggle'>Legend \u25be</div><div class='gm-legend-body'>";
    var types = Object.keys(D.styles).filter(function (t) { return groups[t]; });
    if (types.length) {
      h += "<h4>Incidents</h4><div class='gm-cols'>";
      types.forEach(function (t) {
        var st = D.styles[t];
        h += "<div class='gm-li'><span class='gm-dot' style='background:" + st.color + "'>" + st.glyph + "</span>" + esc(st.label) + "</div>";
      });
      h += "</div><div class='gm-li'><span class='gm-dot' style='border:2px dashed #555;background:#fff'></span>Hollow: located only to a governorate/country</div>";
      h += "<div class='gm-li'><span class='gm-dot' style='border:2px dashed #222;background:#999'></span>Dashed: disputed or denied claim</div>";
    }
    if (cas.items.length || tolls.items.length) {
      // Nested reference circles at true scale: compact, and still readable as areas.
      var ns = [10, 100, 1000], rmax = D.circle_k * Math.sqrt(1000), W = 2 * rmax + 34;
      h += "<h4>Casualties</h4><div class='gm-li' style='align-items:flex-end'>";
      if (cas.items.length) {
        h += "<svg width='" + W + "' height='" + (2 * rmax + 4) + "'>";
        ns.slice().reverse().forEach(function (n) {
          var r = Math.max(3, D.circle_k * Math.sqrt(n)), cy = 2 * rmax + 2 - r;
          h += "<circle cx='" + (rmax + 1) + "' cy='" + cy + "' r='" + r + "' fill='#e53935' fill-opacity='.15' stroke='#b71c1c'/>" +
            "<text x='" + (2 * rmax + 5) + "' y='" + (cy - r + 10) + "' font-size='10'>" + n.toLocaleString("en") + "</text>";
        });
        h += "</svg>";
      }
      h += "<div>" + (cas.items.length ? "Circle area = count (red killed, orange wounded); dashed = approximate place.<br>" : "") +
        (tolls.items.length ? "<span style='border:1.5px dashed #b71c1c;padding:0 3px'>Boxed</span>: tolls given only for a whole country, not drawn as circles." : "") +
        "</div></div>";
    }
    var kinds = Object.keys(D.movement_styles).filter(function (k) { return mgroups[k]; });
    if (kinds.length) {
      h += "<h4>Movements (width = count)</h4><div class='gm-cols'>";
      kinds.forEach(function (k) {
        var st = D.movement_styles[k];
        h += "<div class='gm-li'><span class='gm-line' style='border-color:" + st.color + "'></span>" + esc(st.label) + "</div>";
      });
      h += "</div><div class='gm-li'><span class='gm-line' style='border-top:3px dashed #777'></span>? = end unknown (never guessed)</div>";
    }
    h += "</div>";
    d.innerHTML = h;
    var body = d.querySelector(".gm-legend-body");
    d.querySelector(".gm-legend-toggle").onclick = function () { body.style.display = body.style.display === "none" ? "" : "none"; };
    L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d);
    // On smaller screens the legend starts folded so it does not cover Syria.
    if (D.collapse_legend || map.getSize().y < 820 || map.getSize().x < 1100) body.style.display = "none";
    return d;
  };
  legend.addTo(map);

  // ---- time slider with playback ----
  var days = [];
  timeItems.forEach(function (ti) { ti.g.items.forEach(function (it) { if (it.d0 != null) days.push(it.d0); }); });
  var undated = 0;
  D.incidents.rows.forEach(function (r) { if (r[IC.d0] == null) undated++; });
  api.setTime = function (t) {
    api.time = t;
    timeItems.forEach(function (ti) {
      if (ti.kind === "fast") { ti.g.layer.setTime(t); return; }
      if (ti.kind === "tolls") { ti.g.setTime(t); return; }
      var vis = ti.g.items.filter(function (it) { return t == null || it.d0 == null || it.d0 <= t; });
      if (ti.kind === "cluster") { if (vis.length) api.loading[ti.t] = true; ti.g.layer.clearLayers(); ti.g.layer.addLayers(vis.map(function (it) { return it.m; })); }
      else { ti.g.layer.clearLayers(); vis.forEach(function (it) { ti.g.layer.addLayer(it.m); }); }
    });
  };
  var setTime0 = api.setTime;
  api.setTime = function (t) { setTime0(t); declutterSoon(120); };
  api.idle = function () { return Object.keys(api.loading).length === 0 && !declutterTimer; };
  api.visibleIncidents = function () {
    var n = 0; Object.keys(groups).forEach(function (t) { n += groups[t].layer.getLayers().length; }); return n;
  };
  if (days.length) {
    var lo = Math.min.apply(null, days), hi = Math.max.apply(null, days);
    // The slider ends on the "as of" day (the latest end date), so both say the same.
    var asOf = D.meta.as_of ? Math.round(Date.parse(D.meta.as_of) / 864e5) : NaN;
    if (asOf > hi && asOf - hi < 3660) hi = asOf;
    api.timeRange = [lo, hi];
    var tc = L.control({position: "bottomright"});
    tc.onAdd = function () {
      var d = L.DomUtil.create("div", "gm-panel gm-time");
      d.innerHTML = "<button type='button' class='gm-play' title='Play'>\u25b6</button>" +
        "<div><input type='range' class='gm-range' min='" + lo + "' max='" + hi + "' step='1' value='" + hi + "'>" +
        "<div><b class='gm-day'>up to " + isoDay(hi) + "</b> <span class='gm-note'>" +
        (undated ? undated.toLocaleString("en") + " undated incident" + (undated > 1 ? "s" : "") + " always shown" : "all incidents dated") +
        "</span></div></div>";
      var range = d.querySelector(".gm-range"), lab = d.querySelector(".gm-day"), btn = d.querySelector(".gm-play"), timer = null;
      function apply() { var t = +range.value; lab.textContent = "up to " + isoDay(t); api.setTime(t); }
      range.addEventListener("input", apply);
      btn.onclick = function () {
        if (timer) { clearInterval(timer); timer = null; btn.textContent = "\u25b6"; return; }
        var step = Math.max(1, Math.round((hi - lo) / 60));
        if (+range.value >= hi) range.value = lo;
        apply(); btn.textContent = "\u275a\u275a";
        timer = setInterval(function () {
          var v = Math.min(hi, +range.value + step); range.value = v; apply();
          if (v >= hi) { clearInterval(timer); timer = null; btn.textContent = "\u25b6"; }
        }, 700);
      };
      L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d);
      return d;
    };
    tc.addTo(map);
  }

  // ---- decluttering: movement labels, then governorate names, avoid each other and the marks ----
  // Each label tries a few spots (along its line, or just above/below its area's centre) and takes
  // the first that overlaps no marker, panel or label already placed; with none free it hides
  // (a movement label then shows on hover of its line).
  var container = map.getContainer();
  function boxes(sel) {
    var out = [];
    container.querySelectorAll(sel).forEach(function (el) {
      if (el.offsetParent === null || el.classList.contains("gm-hidden")) return;
      var b = el.getBoundingClientRect(); if (b.width && b.height) out.push(b);
    });
    return out;
  }
  function free(r, obs) {
    for (var i = 0; i < obs.length; i++) {
      var o = obs[i];
      if (r.left < o.right && r.right > o.left && r.top < o.bottom && r.bottom > o.top) return false;
    }
    return true;
  }
  function shifted(b, dx, dy) { return {left: b.left + dx - 2, right: b.right + dx + 2, top: b.top + dy - 1, bottom: b.bottom + dy + 1}; }
  function pointAlong(pts, f) {
    var total = 0, seg = [];
    for (var i = 1; i < pts.length; i++) { var d = pts[i].distanceTo(pts[i - 1]); seg.push(d); total += d; }
    var want = total * f;
    for (var j = 1; j < pts.length; j++) {
      if (want <= seg[j - 1] || j === pts.length - 1) { var u = seg[j - 1] ? Math.min(1, want / seg[j - 1]) : 0; return pts[j - 1].add(pts[j].subtract(pts[j - 1]).multiplyBy(u)); }
      want -= seg[j - 1];
    }
    return pts[0];
  }
  api.declutter = function () {
    var hidden = 0;
    var mark = boxes(".gm-inc, .gm-cluster, .marker-cluster, .gm-toll-box, .gm-arrowhead svg, .gm-unknown-end div");
    var placed = boxes(".gm-panel:not(.gm-toll-box), .leaflet-control-layers, .leaflet-control-zoom");
    var cb = container.getBoundingClientRect();
    var ml = moveLabels.filter(function (o) { return map.hasLayer(o.line) && o.line.getTooltip() && o.line.getTooltip().getElement(); });
    ml.sort(function (a, b) { return b.w - a.w; });
    var brief = map.getZoom() < 9;
    ml.forEach(function (o) {
      var tt = o.line.getTooltip(), want = brief ? o.short : o.full;
      if (tt.getContent() !== want) tt.setContent(want);
      var el = tt.getElement(); el.style.marginLeft = el.style.marginTop = "0px"; el.classList.remove("gm-hidden");
    });
    ml.forEach(function (o) {
      var el = o.line.getTooltip().getElement(), b = el.getBoundingClientRect();
      var pts = o.ll.map(function (q) { return map.latLngToContainerPoint(q); }), mid = pointAlong(pts, 0.5), best = null, fallback = null;
      [0.5, 0.38, 0.62, 0.28, 0.72, 0.18, 0.82].some(function (f) {
        var q = pointAlong(pts, f);
        return [0, -13, 13, -26, 26].some(function (dy) {
          var dx = q.x - mid.x, dyy = q.y - mid.y + dy, r = shifted(b, dx, dyy);
          if (r.left < cb.left || r.right > cb.right || r.top < cb.top || r.bottom > cb.bottom) return false;
          if (!free(r, placed)) return false;
          if (!fallback) fallback = [dx, dyy, r];
          if (free(r, mark)) { best = [dx, dyy, r]; return true; }
          return false;
        });
      });
      if (!best) {
        // Short lines in crowded places: try beside the line's middle before settling.
        var hw = b.width / 2 + 12;
        [[hw, 0], [-hw, 0], [hw, -16], [-hw, -16], [hw, 16], [-hw, 16], [0, -39], [0, 39]].some(function (d) {
          var r = shifted(b, d[0], d[1]);
          if (r.left < cb.left || r.right > cb.right || r.top < cb.top || r.bottom > cb.bottom) return false;
          if (free(r, placed) && free(r, mark)) { best = [d[0], d[1], r]; return true; }
          return false;
        });
      }
      best = best || fallback;
      if (best) { el.style.marginLeft = best[0] + "px"; el.style.marginTop = best[1] + "px"; placed.push(best[2]); }
      else { el.classList.add("gm-hidden"); hidden++; }
    });
    if (map.hasLayer(labels)) {
      ctyLabels.concat(govLabels).forEach(function (mk) {
        var el = mk.getElement() && mk.getElement().firstChild; if (!el) return;
        el.style.marginTop = "0px"; el.parentNode.classList.remove("gm-hidden");
        var b = el.getBoundingClientRect(), ok = null;
        [0, 13, -13, 24, -24, 36, -36].some(function (dy) { var r = shifted(b, 0, dy); if (free(r, placed) && free(r, mark)) { ok = [dy, r]; return true; } return false; });
        if (ok) { el.style.marginTop = ok[0] + "px"; placed.push(ok[1]); }
        else { el.parentNode.classList.add("gm-hidden"); hidden++; }
      });
    }
    api.hiddenLabels = hidden;
    return hidden;
  };
  var declutterTimer = null;
  function declutterSoon(ms) {
    clearTimeout(declutterTimer);
    declutterTimer = setTimeout(function () { declutterTimer = null; api.declutter(); }, ms || 60);
  }
  moveLabels.forEach(function (o) {
    o.line.on("mouseover", function () { var el = o.line.getTooltip().getElement(); if (el) el.classList.remove("gm-hidden"); });
    o.line.on("mouseout", function () { declutterSoon(300); });
  });
  // Marker clusters settle after their animation; measure after that.
  map.on("zoomend moveend overlayadd overlayremove", function () { declutterSoon(350); });
  Object.keys(groups).forEach(function (t) { if (!groups[t].fast) groups[t].layer.on("animationend", function () { declutterSoon(60); }); });

  api.timings.controls = performance.now() - T0;
  // Frame Syria in the part of the screen the panels leave free (on wide screens).
  var msz = map.getSize(), padL = 10, padR = 10;
  if (msz.x >= 1100) {
    var legEl = legend.getContainer(), lcEl = container.querySelector(".leaflet-control-layers");
    padL = Math.min(360, (legEl ? legEl.offsetWidth : 0) + 20);
    padR = Math.min(320, (lcEl ? lcEl.offsetWidth : 0) + 20);
  }
  map.fitBounds(D.bounds, {paddingTopLeft: [padL, 10], paddingBottomRight: [padR, 10]});
  declutterSoon(400);
  api.timings.total = performance.now() - T0;
  api.ready = true;
}
