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
  function donutSize(n) { return n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 42 : 48; }
  // A donut: one arc per event type, sized by its share; the count in the middle.
  // A donut: one arc per event type, sized by its share (a CSS conic gradient: restyled in place
  // without parsing any markup when a window change alters the mix); the count in the middle.
  var fills = {}, nFills = 0;  // gradient per mix of types (clusters of one window repeat in the next)
  function donutFill(c) {
    var key = TYPES.map(function (t) { return c.types[t] || 0; }).join(",");
    if (fills[key]) return fills[key];
    if (++nFills > 5000) { fills = {}; nFills = 1; }
    return (fills[key] = gradient(c));
  }
  function gradient(c) {
    var at = 0, stops = [];
    TYPES.forEach(function (t) {
      if (!c.types[t]) return;
      var to = at + 100 * c.types[t] / c.n;
      stops.push(ctx.incStyle(t).color + " " + at.toFixed(2) + "% " + to.toFixed(2) + "%");
      at = to;
    });
    return "conic-gradient(" + stops.join(",") + ")";
  }
  function nTypes(c) { return TYPES.filter(function (t) { return c.types[t]; }).length; }
  function donut(c) {
    var sz = donutSize(c.n);
    return L.divIcon({className: "gm-cluster" + (c.imprecise === c.n ? " gm-cluster-imprecise" : ""), iconSize: [sz, sz],
      html: "<div class='gm-donut' data-types='" + nTypes(c) + "' style='background:" + donutFill(c) + "'></div><b>" + c.n + "</b>"});
  }
  // A cluster whose count or mix changed keeps its marker and element (a window change then moves
  // no DOM node); its icon is replaced only when its size class changes.
  function restyleDonut(mk, c) {
    var el = mk.getElement(), sz = donutSize(c.n);
    if (!el || mk._gmSize !== sz) { mk.setIcon(donut(c)); mk._gmSize = sz; return; }
    var d = el.firstChild;
    d.style.background = donutFill(c); d.setAttribute("data-types", nTypes(c));
    el.lastChild.textContent = c.n;
    el.classList.toggle("gm-cluster-imprecise", c.imprecise === c.n);
    el.title = mk.options.title = c.n + " incidents";
  }

  // Two neighbouring grid cells can put their clusters' centres a few pixels apart: a cluster
  // whose icon would overlap a bigger one's joins it (biggest first, one pass).
  function mergeOverlapping(cells, sc) {
    var keys = Object.keys(cells).sort(function (a, b) { return cells[b].n - cells[a].n; }), kept = [];
    keys.forEach(function (k) {
      var c = cells[k], x = c.lon / c.n, y = c.lat / c.n, p = map.project([y, x], 0);
      c.px = p.x * sc; c.py = p.y * sc;
      var host = null;
      kept.some(function (o) {
        var need = (c.n === 1 ? 11 : donutSize(c.n) / 2) + (o.n === 1 ? 11 : donutSize(o.n) / 2);
        if (Math.abs(o.px - c.px) < need && Math.abs(o.py - c.py) < need) { host = o; return true; }
        return false;
      });
      if (!host) { kept.push(c); return; }
      host.n += c.n; host.lat += c.lat; host.lon += c.lon; host.imprecise += c.imprecise; host.same = false;
      host.rows = host.rows.concat(c.rows);
      Object.keys(c.types).forEach(function (t) { host.types[t] = (host.types[t] || 0) + c.types[t]; });
      delete cells[k];
    });
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
      function onCluster(e) {
        var cc = e.target._gmCell, zz = m.getZoom();
        L.DomEvent.stopPropagation(e);
        // Zooming cannot separate points at one place: fan them out instead.
        if (cc.same || zz >= 12 || zz >= m.getMaxZoom()) self.spiderfy(cc.rows, cc.same ? L.latLng(cc.rows[0][IC.lat], cc.rows[0][IC.lon]) : cc.ll);
        else m.setView(cc.ll, Math.min(zz + 2, 18));
      }
      var z = m.getZoom(), sc = Math.pow(2, z), b = m.getPixelBounds().pad(0.25), cell = 56, cells = {}, self = this;
      var single = z >= 12, next = {}, drawn = this._drawn || {};
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
      mergeOverlapping(cells, sc);
      // Markers whose look is unchanged are kept (a window change redraws only what changed).
      Object.keys(cells).forEach(function (k) {
        var c = cells[k], sig;
        c.ll = c.n === 1 ? L.latLng(c.rows[0][IC.lat], c.rows[0][IC.lon]) : L.latLng(c.lat / c.n, c.lon / c.n);
        c.r0 = c.n === 1 ? R0 : donutSize(c.n) / 2 + 2;
        if (c.n === 1) {
          sig = z + "|" + s(c.rows[0][IC.id]) + "|" + c.rows[0].__p;
          next[sig] = drawn[sig] || incMarker(c.rows[0]);
          return;
        }
        sig = z + "|" + k;
        var look = c.n + "|" + c.imprecise + "|" + TYPES.map(function (t) { return c.types[t] || 0; }).join(","), mk = drawn[sig];
        if (mk && !mk._gmCell) mk = null;  // a single marker's place taken by a cluster
        if (mk) {
          if (mk._gmLook !== look) restyleDonut(mk, c);
          if (!mk.getLatLng().equals(c.ll)) mk.setLatLng(c.ll);
        } else {
          mk = L.marker(c.ll, {icon: donut(c), title: c.n + " incidents"}).on("click", onCluster);
          mk._gmSize = donutSize(c.n);
        }
        next[sig] = mk; mk._gmLook = look;
        mk._gmCell = c;
      });
      Object.keys(drawn).forEach(function (sig) { if (next[sig] !== drawn[sig]) self._lg.removeLayer(drawn[sig]); });
      Object.keys(next).forEach(function (sig) { if (next[sig] !== drawn[sig]) self._lg.addLayer(next[sig]); });
      this._drawn = next;
      drawRings(cells);
    }
  });
  var cluster = api.cluster = new Cluster();
  [cluster._lg, cluster._sp].forEach(function (g) {
    g.on("click", function (e) { if (e.layer._gmRow) ctx.openPopup(e.layer.getLatLng(), ctx.popups.incident(e.layer._gmRow)); });
  });

  // ---- casualties: a ring around each marker or cluster, its area proportional to the toll ----
  // A plain area-proportional circle for a toll under ~50 is smaller than the marker on top of it;
  // a ring from the marker's edge (r0) outwards is visible for any toll and keeps area = count.
  // Rings follow the clustering: one ring per cluster with the cluster's summed toll, so 1,500
  // tolls do not pile into one red blot. The scale shrinks when the biggest ring in view would
  // pass MAX_RING px, and the legend's reference rings follow it.
  var R0 = 12, MAX_RING = 70, k = D.circle_k;
  function radius(best, r0, kk) { return Math.sqrt((r0 || R0) * (r0 || R0) + (kk || k) * (kk || k) * best); }
  ctx.circleRadius = function (n) { return radius(n, R0, k); };
  ctx.circleR0 = R0;
  var cas = api.casualties = {layer: L.featureGroup(), items: [], rows: []};
  cas.layer.on("click", function (e) {
    var it = e.layer._gmRing; if (!it) return;
    if (it.r) ctx.openPopup(e.latlng, ctx.popups.incident(it.r));
    else ctx.openPopup(e.latlng, ctx.popups.tolls(it.rows));
  });
  // Ring objects are pooled: a redraw moves and resizes them instead of rebuilding the canvas's list.
  // Their tooltip is written when shown, from the ring's current reports (not on every redraw).
  var pool = [];
  function ringTip(m) {
    var x = m._gmRing, one = x && x.r;
    if (!x) return "";
    return one ? esc(s(one[IC.count])) + " \u00b7 " + esc(s(one[IC.place])) + (x.imprecise ? " (" + esc(s(one[IC.prec])) + " level)" : "")
      : (x.killed ? ctx.fmt(x.killed) + " killed" : "") + (x.killed && x.wounded ? ", " : "") + (x.wounded ? ctx.fmt(x.wounded) + " wounded" : "") +
        " in " + x.rows.length + " reports (best estimates summed)";
  }
  function drawRings(cells) {
    cas.items = [];
    var on = map.hasLayer(cas.layer), rings = [];
    if (on) Object.keys(cells).forEach(function (key) {
      var c = cells[key], killed = 0, wounded = 0, rows = [];
      c.rows.forEach(function (r) {
        if (!r[IC.harm] || r.__toll) return;
        rows.push(r);
        if (ctx.isKilled(s(r[IC.ctype]))) killed += r[IC.best]; else wounded += r[IC.best];
      });
      if (rows.length) rings.push({c: c, rows: rows, killed: killed, wounded: wounded, v: killed || wounded});
    });
    var max = Math.max.apply(null, rings.map(function (x) { return x.v; }).concat([1]));
    k = Math.min(D.circle_k, MAX_RING / Math.sqrt(max));
    rings.forEach(function (x) { x.rad = radius(x.v, x.c.r0, k); });
    // Biggest first so small rings stay clickable on top.
    rings.sort(function (a, b) { return b.rad - a.rad; });
    rings.forEach(function (x, i) {
      var one = x.rows.length === 1 ? x.rows[0] : null, claim = one ? s(one[IC.claim]) : "";
      var imprecise = x.rows.every(function (r) { return r[IC.imprecise]; }), red = x.killed > 0;
      var m = pool[i] || (pool[i] = L.circleMarker(x.c.ll, {renderer: ctx.canvas, weight: 1.5}).bindTooltip(ringTip));
      // Only what changed is set: each setter asks the canvas for a redraw.
      if (!m.getLatLng().equals(x.c.ll)) m.setLatLng(x.c.ll);
      if (m.getRadius() !== x.rad) m.setRadius(x.rad);
      var dash = imprecise || claim === "disputed" || claim === "denied", look = red + "|" + imprecise + "|" + dash;
      if (m._gmLook !== look) {
        m._gmLook = look;
        m.setStyle({color: red ? "#b71c1c" : "#e65100", fillColor: red ? "#e53935" : "#fb8c00",
          fillOpacity: imprecise ? 0 : 0.25, dashArray: dash ? "5 4" : null});
      }
      var it = {m: m, r: one, rows: x.rows, killed: x.killed, wounded: x.wounded};
      m._gmRing = it; m._gmRow = one;
      it.imprecise = imprecise;
      if (!cas.layer.hasLayer(m)) cas.layer.addLayer(m);
      cas.items.push(it);
    });
    for (var i = rings.length; i < pool.length; i++) if (cas.layer.hasLayer(pool[i])) cas.layer.removeLayer(pool[i]);
    api.ringScale = k;
    if (ctx.onRingScale) ctx.onRingScale(k);
  }
  map.on("overlayadd", function (e) { if (e.layer === cas.layer) cluster.redraw(); });

  // A country-level toll has no place: a circle on the country's centre would read as a huge
  // massacre in the desert. Those tolls go in one labelled box per country instead.
  var tolls = api.tolls = {layer: L.featureGroup(), boxes: {}, items: []};
  // Up to a few tolls are listed in the box (8 on a desktop, 3 on a phone); more fold into one
  // line with the largest, and a click lists them all: a long box would cover the country.
  function tollHtml(box) {
    var rows = box.shown.slice().sort(function (a, b) { return (b[IC.best] || 0) - (a[IC.best] || 0); });
    if (!rows.length) return "";
    var h = "<div class='gm-toll-h'>" + esc(box.place) + "-wide tolls <small>(no place given)</small></div>";
    if (rows.length > (ctx.narrow() ? 3 : 8)) {
      return h + "<div class='gm-toll-sum'>" + ctx.fmt(rows.length) + " reports, the largest " + esc(s(rows[0][IC.count])) +
        " <small>\u2014 click for all</small></div>";
    }
    rows.forEach(function (r) {
      var claim = s(r[IC.claim]);
      h += "<div class='gm-toll-row" + (claim === "disputed" || claim === "denied" ? " gm-toll-disputed" : "") + "' data-i='" +
        box.rows.indexOf(r) + "'><span class='gm-sw' style='background:" + (ctx.isKilled(s(r[IC.ctype])) ? "#e53935" : "#fb8c00") + "'></span>" +
        esc(s(r[IC.count])) + " <small>" + esc(s(r[IC.date])) + "</small></div>";
    });
    return h;
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
    b.m.on("add", function () { b.html = null; paint(b); });
    b.m.on("click", function (e) {
      var t = e.originalEvent && e.originalEvent.target, row = t && t.closest && t.closest(".gm-toll-row");
      if (!row) { ctx.openPopup(b.ll, ctx.popups.tolls(b.shown)); return; }
      ctx.openPopup(b.ll, ctx.popups.incident(b.rows[+row.getAttribute("data-i")]));
    });
    tolls.layer.addLayer(b.m);
  });
  // A box is rewritten only when its text changes, and placed in the next frame (placing reads its
  // width: done at once, it would force a layout in the middle of a redraw).
  function paint(b) {
    var el = b.m.getElement(); if (!el) return;
    var h = tollHtml(b);
    if (h === b.html) return;
    b.html = h; el.firstChild.innerHTML = h; el.style.display = h ? "" : "none";
    if (!tolls.placing) tolls.placing = requestAnimationFrame(function () { tolls.placing = null; placeBoxes(); });
  }
  // A box sits beside its country's centre, right of it, else left of it, else as far right as
  // the map allows: it never runs off the map's edge (a phone is narrower than most boxes' two
  // sides). Of those spots, and the same a few steps higher and lower, it takes the first that
  // covers no incident marker or cluster, no control and no other box (a box over a cluster hid
  // its count at 5,000 incidents); with none free, the one covering least. With the country's
  // centre out of view the box is hidden, not cut by the edge.
  var container = map.getContainer();
  function rects(root, sel) {
    var out = [];
    root.querySelectorAll(sel).forEach(function (e) {
      if (e.offsetParent === null) return;
      var r = e.getBoundingClientRect(); if (r.width && r.height) out.push(r);
    });
    return out;
  }
  function covered(r, obs) {
    var a = 0;
    obs.forEach(function (o) {
      var w = Math.min(r.right, o.right) - Math.max(r.left, o.left), h = Math.min(r.bottom, o.bottom) - Math.max(r.top, o.top);
      if (w > 0 && h > 0) a += w * h;
    });
    return a;
  }
  function spots(p, w, h, size) {
    var xs = [], out = [];
    if (p.x + 16 + w <= size.x - 8) xs.push(p.x + 16);
    if (p.x - 16 - w >= 8) xs.push(p.x - 16 - w);
    if (!xs.length) xs.push(Math.max(8, size.x - 8 - w));
    [0, 1, -1, 2, -2, 3, -3, 4, -4].forEach(function (k) {
      var top = p.y - 12 + k * Math.round(h / 2 + 10);
      if (k && (top < 8 || top + h > size.y - 8)) return;
      xs.forEach(function (x) { out.push([x, top]); });
    });
    return out;
  }
  function place(b, cb, marks, fixed) {
    var el = b.m.getElement(); if (!el || el.style.display === "none") return;
    var box = el.firstChild, size = map.getSize(), p = map.latLngToContainerPoint(b.ll);
    box.style.visibility = p.x < 0 || p.x > size.x ? "hidden" : "";
    if (box.style.visibility) return;
    var w = box.offsetWidth, h = box.offsetHeight, best = null;
    spots(p, w, h, size).some(function (xy) {
      var r = {left: cb.left + xy[0], right: cb.left + xy[0] + w, top: cb.top + xy[1], bottom: cb.top + xy[1] + h};
      // A control, a panel or another box is never to be covered; a marker is better not.
      var cost = 100 * covered(r, fixed) + covered(r, marks);
      if (!best || cost < best.cost) best = {xy: xy, r: r, cost: cost};
      return cost === 0;
    });
    var dx = Math.round(best.xy[0] - (p.x + 16)), dy = Math.round(best.xy[1] - (p.y - 12));
    box.style.transform = dx || dy ? "translate(" + dx + "px," + dy + "px)" : "";
    fixed.push(best.r);
  }
  function placeBoxes() {
    var keys = Object.keys(tolls.boxes); if (!keys.length) return;
    var cb = container.getBoundingClientRect();
    var marks = rects(container, ".gm-inc, .gm-cluster, .marker-cluster, .gm-unknown-end div, .gm-arrowhead path");
    var fixed = rects(document, ".gm-panel:not(.gm-toll-box), .leaflet-control, .gm-bar");
    keys.forEach(function (k) { place(tolls.boxes[k], cb, marks, fixed); });
  }
  // Clusters settle after their animation: the labels' declutter places the boxes again then.
  api.placeTollBoxes = placeBoxes;
  map.on("moveend zoomend resize", placeBoxes);

  cluster.addTo(map);

  function update(rows) {
    Object.keys(tolls.boxes).forEach(function (b) { tolls.boxes[b].shown = []; });
    tolls.items = []; cas.rows = [];
    var byType = {};
    rows.forEach(function (r) {
      var t = ctx.typeOf(r); byType[t] = (byType[t] || 0) + 1;
      if (!r[IC.harm]) return;
      if (r.__toll) { r.__toll.shown.push(r); tolls.items.push(r); } else cas.rows.push(r);
    });
    cluster.setRows(rows);  // redraws the markers and the rings
    Object.keys(tolls.boxes).forEach(function (b) { paint(tolls.boxes[b]); });
    api.counts.incidents = rows.length;
    api.counts.by_type = byType;
    api.counts.casualty_circles = cas.rows.length;
    api.counts.country_tolls = tolls.items.length;
  }
  return {layer: cluster, casualties: cas, tolls: tolls, update: update, TYPES: TYPES};
}
