/* Incidents: one clustering across event types (a donut of the types and the count per cluster,
 * spiderfied on click), casualty circles, and boxed country-wide tolls. */
/* exported geomapIncidents */
function geomapIncidents(ctx) {
  "use strict";
  var map = ctx.map, D = ctx.D, s = ctx.s, esc = ctx.esc, IC = ctx.IC, api = ctx.api;
  var TYPES = Object.keys(D.styles).concat(["other"]);

  var iconCache = {};
  function incIcon(t, r) {
    var claim = s(r[IC.claim]), imprecise = r[IC.imprecise], disputed = claim === "disputed" || claim === "denied";
    var key = t + imprecise + disputed + r[IC.dinf];
    if (!iconCache[key]) {
      var st = ctx.incStyle(t);
      iconCache[key] = L.divIcon({className: "gm-inc gm-inc-" + t + (imprecise ? " gm-imprecise" : "") +
        (disputed ? " gm-disputed" : "") + (r[IC.dinf] ? " gm-dinf" : ""),
        html: '<div style="background:' + st.color + ";border-color:" + st.color + ";color:" + (imprecise ? st.color : "#fff") + '">' + st.glyph + "</div>",
        iconSize: [20, 20], iconAnchor: [10, 10], popupAnchor: [0, -8]});
    }
    return iconCache[key];
  }
  function incMarker(r, ll) {
    var t = ctx.typeOf(r);
    var mk = L.marker(ll || [r[IC.lat], r[IC.lon]], {icon: incIcon(t, r), title: ctx.incStyle(t).single + " \u00b7 " + s(r[IC.place])});
    mk._gmRow = r;  // popup built on click (delegated): thousands of bound popups are slow
    return mk;
  }
  // A donut: one arc per event type, sized by its share; the count in the middle.
  function donut(c) {
    var n = c.n, sz = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 42 : 48, R = sz / 2, r0 = R - 6, a = -Math.PI / 2, h = "";
    var parts = TYPES.filter(function (t) { return c.types[t]; });
    parts.forEach(function (t) {
      var f = c.types[t] / n, col = ctx.incStyle(t).color;
      if (f >= 0.999) { h += "<circle cx='" + R + "' cy='" + R + "' r='" + (R - 3) + "' fill='none' stroke='" + col + "' stroke-width='6'/>"; return; }
      var b = a + f * 2 * Math.PI, large = f > 0.5 ? 1 : 0, rr = R - 3;
      h += "<path d='M" + (R + rr * Math.cos(a)) + "," + (R + rr * Math.sin(a)) + " A" + rr + "," + rr + " 0 " + large + " 1 " +
        (R + rr * Math.cos(b)) + "," + (R + rr * Math.sin(b)) + "' fill='none' stroke='" + col + "' stroke-width='6'/>";
      a = b;
    });
    var hollow = c.imprecise === n;
    var svg = "<svg width='" + sz + "' height='" + sz + "'><circle cx='" + R + "' cy='" + R + "' r='" + r0 + "' fill='#fff'" +
      (hollow ? " stroke='#555' stroke-dasharray='3 2'" : "") + "/>" + h + "</svg><b>" + n + "</b>";
    return L.divIcon({className: "gm-cluster" + (hollow ? " gm-cluster-imprecise" : ""), iconSize: [sz, sz], html: svg});
  }

  // Grid clustering over the visible bounds, recomputed on each move/zoom (points projected once):
  // fast enough at 50,000 incidents, and one clustering for every type, so clusters never stack.
  var Cluster = L.Layer.extend({
    initialize: function () { this.items = []; this._lg = L.featureGroup(); this._sp = L.featureGroup(); this.spiderfied = 0; },
    onAdd: function (m) {
      this._lg.addTo(m); this._sp.addTo(m);
      m.on("moveend", this.redraw, this); m.on("zoomstart click", this.unspiderfy, this); this.redraw();
    },
    onRemove: function (m) {
      m.off("moveend", this.redraw, this); m.off("zoomstart click", this.unspiderfy, this);
      m.removeLayer(this._lg); m.removeLayer(this._sp);
    },
    setRows: function (rows) {
      this.items = rows.map(function (r) {
        if (!r.__p) { var p = map.project([r[IC.lat], r[IC.lon]], 0); r.__p = [p.x, p.y]; }
        return r;
      });
      this.unspiderfy();
      if (this._map) this.redraw();
    },
    unspiderfy: function () { this._sp.clearLayers(); this.spiderfied = 0; },
    // Points that coincide (one town, or beyond the last zoom) fan out around their place.
    spiderfy: function (rows, ll) {
      var m = this._map, sp = this._sp, c = m.latLngToLayerPoint(ll), n = rows.length, pts = [];
      this.unspiderfy();
      if (n <= 9) {
        var rad = Math.max(30, 26 * n / (2 * Math.PI));
        for (var i = 0; i < n; i++) { var a = -Math.PI / 2 + 2 * Math.PI * i / n; pts.push([rad * Math.cos(a), rad * Math.sin(a)]); }
      } else {
        var len = 16, ang = 0;
        for (var j = 0; j < n; j++) { ang += 28 / len + j * 0.0005; pts.push([len * Math.cos(ang), len * Math.sin(ang)]); len += 2 * Math.PI * 5 / ang; }
      }
      rows.forEach(function (r, k) {
        var q = m.layerPointToLatLng(L.point(c.x + pts[k][0], c.y + pts[k][1]));
        sp.addLayer(L.polyline([ll, q], {color: "#444", weight: 1.2, opacity: 0.6, interactive: false}));
        sp.addLayer(incMarker(r, q));
      });
      this.spiderfied = n;
    },
    redraw: function () {
      var m = this._map; if (!m) return;
      var z = m.getZoom(), sc = Math.pow(2, z), b = m.getPixelBounds().pad(0.25), cell = 56, cells = {}, self = this;
      var single = z >= 12;
      this._lg.clearLayers();
      this.items.forEach(function (r) {
        var x = r.__p[0] * sc, y = r.__p[1] * sc;
        if (x < b.min.x || x > b.max.x || y < b.min.y || y > b.max.y) return;
        // Zoomed in, only points on the same pixel share a cell: they are the ones that would stack.
        var k = single ? Math.round(x) + ":" + Math.round(y) : Math.floor(x / cell) + ":" + Math.floor(y / cell);
        var c = cells[k] || (cells[k] = {n: 0, lat: 0, lon: 0, rows: [], same: true, types: {}, imprecise: 0});
        if (c.n && (r[IC.lat] !== c.rows[0][IC.lat] || r[IC.lon] !== c.rows[0][IC.lon])) c.same = false;
        var t = ctx.typeOf(r);
        c.n++; c.lat += r[IC.lat]; c.lon += r[IC.lon]; c.rows.push(r); c.types[t] = (c.types[t] || 0) + 1;
        if (r[IC.imprecise]) c.imprecise++;
      });
      Object.keys(cells).forEach(function (k) {
        var c = cells[k], mk;
        if (c.n === 1) { self._lg.addLayer(incMarker(c.rows[0])); return; }
        var ll = L.latLng(c.lat / c.n, c.lon / c.n);
        mk = L.marker(ll, {icon: donut(c), title: c.n + " incidents"});
        mk.on("click", function (e) {
          L.DomEvent.stopPropagation(e);
          // Zooming cannot separate points at one place: fan them out instead.
          if (c.same || single || z >= m.getMaxZoom()) self.spiderfy(c.rows, c.same ? L.latLng(c.rows[0][IC.lat], c.rows[0][IC.lon]) : ll);
          else m.setView(ll, Math.min(z + 2, 18));
        });
        self._lg.addLayer(mk);
      });
    }
  });
  var cluster = api.cluster = new Cluster();
  [cluster._lg, cluster._sp].forEach(function (g) {
    g.on("click", function (e) { if (e.layer._gmRow) ctx.openPopup(e.layer.getLatLng(), ctx.popups.incident(e.layer._gmRow)); });
  });
  cluster.addTo(map);

  // ---- casualties: the ring around a marker has an area proportional to the count ----
  // A plain area-proportional circle for a toll under ~50 is smaller than the marker on top of
  // it; a ring from the marker's edge (R0) outwards is visible for any toll and keeps area = count.
  var R0 = 12;
  function radius(best) { return Math.sqrt(R0 * R0 + D.circle_k * D.circle_k * best); }
  ctx.circleRadius = radius; ctx.circleR0 = R0;
  var cas = api.casualties = {layer: L.featureGroup(), items: []};
  cas.layer.on("click", function (e) { if (e.layer._gmRow) ctx.openPopup(e.latlng, ctx.popups.incident(e.layer._gmRow)); });
  function circle(r) {
    if (!r.__c) {
      var killed = ctx.isKilled(s(r[IC.ctype])), claim = s(r[IC.claim]), imprecise = r[IC.imprecise];
      var c = r.__c = L.circleMarker([r[IC.lat], r[IC.lon]], {renderer: ctx.canvas, radius: radius(r[IC.best]),
        color: killed ? "#b71c1c" : "#e65100", weight: 1.5, fillColor: killed ? "#e53935" : "#fb8c00",
        fillOpacity: imprecise ? 0 : 0.25, dashArray: (imprecise || claim === "disputed" || claim === "denied") ? "5 4" : null});
      c._gmRow = r;
      if (D.incidents.rows.length <= 3000) {
        c.bindTooltip(esc(s(r[IC.count])) + " \u00b7 " + esc(s(r[IC.place])) + (imprecise ? " (" + esc(s(r[IC.prec])) + " level)" : ""));
      }
    }
    return r.__c;
  }

  // A country-level toll has no place: a circle on the country's centre would read as a huge
  // massacre in the desert. Those tolls go in one labelled box per country instead.
  var tolls = api.tolls = {layer: L.featureGroup(), boxes: {}, items: []};
  function tollHtml(box) {
    var rows = box.shown.slice().sort(function (a, b) { return (b[IC.best] || 0) - (a[IC.best] || 0); });
    var h = "<div class='gm-toll-h'>" + esc(box.place) + "-wide tolls <small>(no place given)</small></div>";
    rows.slice(0, 12).forEach(function (r) {
      var claim = s(r[IC.claim]);
      h += "<div class='gm-toll-row" + (claim === "disputed" || claim === "denied" ? " gm-toll-disputed" : "") + "' data-i='" +
        box.rows.indexOf(r) + "'><span class='gm-sw' style='background:" + (ctx.isKilled(s(r[IC.ctype])) ? "#e53935" : "#fb8c00") + "'></span>" +
        esc(s(r[IC.count])) + " <small>" + esc(s(r[IC.date])) + "</small></div>";
    });
    if (rows.length > 12) h += "<div class='gm-note'>and " + (rows.length - 12) + " more</div>";
    return rows.length ? h : "";
  }
  D.incidents.rows.forEach(function (r) {
    if (!r[IC.harm] || s(r[IC.prec]) !== "country") return;
    var key = r[IC.lat] + "," + r[IC.lon];
    var box = tolls.boxes[key] || (tolls.boxes[key] = {rows: [], shown: [], place: s(r[IC.place]) || "country", ll: [r[IC.lat], r[IC.lon]]});
    box.rows.push(r);
    r.__toll = box;
  });
  Object.keys(tolls.boxes).forEach(function (k) {
    var b = tolls.boxes[k];
    b.m = L.marker(b.ll, {keyboard: false, zIndexOffset: -500, icon: L.divIcon({className: "gm-toll", iconSize: null,
      iconAnchor: [-16, 12], html: "<div class='gm-panel gm-toll-box'></div>"})});
    b.m.on("add", function () { paint(b); });
    b.m.on("click", function (e) {
      var row = e.originalEvent && e.originalEvent.target.closest && e.originalEvent.target.closest(".gm-toll-row");
      ctx.openPopup(b.ll, ctx.popups.incident(b.rows[row ? +row.getAttribute("data-i") : 0]));
    });
    tolls.layer.addLayer(b.m);
  });
  function paint(b) {
    var el = b.m.getElement(); if (!el) return;
    var h = tollHtml(b); el.firstChild.innerHTML = h; el.style.display = h ? "" : "none";
  }

  function update(rows) {
    cluster.setRows(rows);
    cas.layer.clearLayers(); cas.items = [];
    Object.keys(tolls.boxes).forEach(function (k) { tolls.boxes[k].shown = []; });
    tolls.items = [];
    var byType = {};
    rows.forEach(function (r) {
      var t = ctx.typeOf(r); byType[t] = (byType[t] || 0) + 1;
      if (!r[IC.harm]) return;
      if (r.__toll) { r.__toll.shown.push(r); tolls.items.push(r); return; }
      cas.items.push({m: circle(r), r: r});
    });
    // Biggest first so small circles stay clickable on top.
    cas.items.sort(function (a, b) { return b.m.getRadius() - a.m.getRadius(); });
    cas.items.forEach(function (it) { cas.layer.addLayer(it.m); });
    Object.keys(tolls.boxes).forEach(function (k) { paint(tolls.boxes[k]); });
    api.counts.incidents = rows.length;
    api.counts.by_type = byType;
    api.counts.casualty_circles = cas.items.length;
    api.counts.country_tolls = tolls.items.length;
  }
  return {layer: cluster, casualties: cas, tolls: tolls, update: update, TYPES: TYPES};
}
