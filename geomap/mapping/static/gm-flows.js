/* Movements, aggregated: one line per kind and origin-destination pair, its width by the summed
 * count of the reports it holds; arrowheads for the direction, "?" for an unknown end. */
/* exported geomapFlows */
function geomapFlows(ctx) {
  "use strict";
  var D = ctx.D, s = ctx.s, esc = ctx.esc, MC = ctx.MC, api = ctx.api;
  var groups = api.movementGroups = {};  // kind -> {layer, flows: [...]}
  api.moveLabels = [];
  // Above ~100 routes every route of a kind is painted by one canvas layer from plain arrays: a
  // window change then sets its list and repaints once, instead of adding and removing hundreds
  // of Leaflet layers. Points are projected at zoom 0 once per route and scaled per zoom.
  var FlowSet = L.Path.extend({
    options: {interactive: true},
    initialize: function (opts) { L.setOptions(this, opts); this.items = []; },
    setItems: function (items) { this.items = items; if (this._map) this._renderer._requestRedraw(this); },
    _project: function () { this._pxBounds = L.bounds([-1e9, -1e9], [1e9, 1e9]); },  // always repainted whole
    _update: function () {},
    _xy: function (q) {  // a zoom-0 point -> layer point
      var sc = Math.pow(2, this._map.getZoom()), o = this._map.getPixelOrigin();
      return [q[0] * sc - o.x, q[1] * sc - o.y];
    },
    _updatePath: function () {
      var c = this._renderer._ctx, self = this;
      if (!c) return;
      c.save(); c.lineCap = "butt"; c.lineJoin = "round";
      this.items.forEach(function (it) {
        c.globalAlpha = it.opacity; c.strokeStyle = it.color; c.lineWidth = it.w; c.setLineDash(it.dash);
        c.beginPath();
        it.pts.forEach(function (q, i) { var p = self._xy(q); if (i) c.lineTo(p[0], p[1]); else c.moveTo(p[0], p[1]); });
        c.stroke();
      });
      c.globalAlpha = 1; c.setLineDash([]);
      this.items.forEach(function (it) {
        if (it.arrow) {
          var p = self._xy(it.arrow), a = it.arrow[2] * Math.PI / 180, u = it.unit, co = Math.cos(a), si = Math.sin(a);
          var tx = p[0] - 10 * u * co, ty = p[1] - 10 * u * si;
          var pt = function (back, side) { return [tx - back * u * co - side * u * si, ty - back * u * si + side * u * co]; };
          c.beginPath(); c.moveTo(tx, ty);
          [pt(11, 6.5), pt(7.5, 0), pt(11, -6.5)].forEach(function (q) { c.lineTo(q[0], q[1]); });
          c.closePath(); c.fillStyle = it.color; c.fill(); c.strokeStyle = "#fff"; c.lineWidth = 1; c.stroke();
        }
        if (it.unknown) {
          var e = self._xy(it.unknown);
          c.beginPath(); c.arc(e[0], e[1], 6, 0, 2 * Math.PI); c.fillStyle = "#fff"; c.fill();
          c.setLineDash([2, 2]); c.strokeStyle = "#555"; c.lineWidth = 1; c.stroke(); c.setLineDash([]);
        }
      });
      c.restore();
    },
    // The topmost route under the point (within half its width and 3 px), kept for the click.
    _containsPoint: function (p) {
      for (var i = this.items.length - 1; i >= 0; i--) {
        var it = this.items[i], tol = it.w / 2 + 3, prev = null;
        if (it.arrow && p.distanceTo(L.point(this._xy(it.arrow))) <= 10 * it.unit + tol) { this._gmFlow = it.f; return true; }
        for (var j = 0; j < it.pts.length; j++) {
          var q = L.point(this._xy(it.pts[j]));
          if (prev && L.LineUtil.pointToSegmentDistance(p, prev, q) <= tol) { this._gmFlow = it.f; return true; }
          prev = q;
        }
      }
      return false;
    }
  });
  var geo = {};  // route key -> its points projected at zoom 0
  function projected(r) {
    var kk = key(r);
    if (!geo[kk]) {
      var p = r[MC.path], pts = [], z0 = function (lat, lon) { var q = ctx.map.project([lat, lon], 0); return [q.x, q.y]; };
      for (var i = 0; i < p.length; i += 2) pts.push(z0(p[i], p[i + 1]));
      var a = r[MC.arrow], u = r[MC.end] ? (r[MC.end] === 1 ? pts[pts.length - 1] : pts[0]) : null;
      geo[kk] = {pts: pts, arrow: a ? z0(a[0], a[1]).concat([a[2]]) : null, unknown: u};
    }
    return geo[kk];
  }
  function canvasItem(f, w, disputed) {
    var r = f.rows[0], st = D.movement_styles[s(r[MC.kind])] || {color: "#333"}, g = projected(r), sz = 2 * Math.round(8 + w * 2.2);
    return {f: f, pts: g.pts, arrow: g.arrow, unknown: g.unknown, color: st.color, w: w, unit: sz / 44,
      dash: r[MC.end] ? [6, 6] : disputed ? [2, 6] : [],
      // Hundreds of routes: lighter lines, so markers and rings still read through them.
      opacity: (r[MC.imprecise] && !r[MC.border] ? 0.5 : r[MC.end] ? 0.7 : 0.85) * 0.6};
  }

  // Width grows with the square root of the summed count, 11 px for the busiest route shown
  // (at least REF people: a lone route of 200 stays thin); 2 px when no count is known.
  var REF = 10000, maxSum = REF;
  function width(sum) { return sum > 0 ? 2 + 9 * Math.sqrt(Math.min(sum, maxSum) / maxSum) : 2; }
  // Canvas routes share the casualty rings' canvas: a canvas above another would take its clicks
  // (rings, added later, are drawn above the routes and win a click on both).
  var flowCanvas = ctx.canvas;
  function group() { var set = new FlowSet({renderer: flowCanvas}); return {layer: L.featureGroup([set]), set: set, flows: [], total: 0}; }
  Object.keys(D.movement_styles).forEach(function (k) { groups[k] = group(); });
  D.movements.rows.forEach(function (r) {
    var k = s(r[MC.kind]);
    if (!groups[k]) groups[k] = group();
    groups[k].total++;
  });
  Object.keys(groups).forEach(function (k) {
    groups[k].layer.on("click", function (e) {
      var f = e.layer._gmFlow; if (!f) return;
      ctx.openPopup(e.latlng, ctx.popups.flow(f));
    });
  });
  function key(r) {
    var p = r[MC.path];
    return s(r[MC.kind]) + "|" + r[MC.end] + "|" + p[0] + "," + p[1] + "|" + p[p.length - 2] + "," + p[p.length - 1];
  }

  // Up to ~100 routes: each an SVG line with its label (a tooltip) and DOM arrowhead.
  function draw(f, permanent, w, disputed, full, short) {
    var r = f.rows[0], k = s(r[MC.kind]), st = D.movement_styles[k] || {color: "#333", single: k, label: k};
    var p = r[MC.path], ll = [];
    for (var i = 0; i < p.length; i += 2) ll.push([p[i], p[i + 1]]);
    var label = null;
    var line = L.polyline(ll, {pane: "gmFlows", color: st.color, weight: w,
      opacity: r[MC.imprecise] && !r[MC.border] ? 0.5 : r[MC.end] ? 0.7 : 0.85, dashArray: r[MC.end] ? "6 6" : disputed ? "2 6" : null, lineCap: "butt",
      className: "gm-move gm-move-" + k + (r[MC.imprecise] ? " gm-move-imprecise" : "")});
    var parts = [line];
    line.bindTooltip(full, {permanent: permanent, direction: "center", className: "gm-move-label", opacity: 1,
      pane: permanent ? "gmMoveLabels" : "tooltipPane"});
    if (permanent) {
      label = {line: line, ll: ll, w: w, full: full, short: short};
      // A label the declutter hid shows while the pointer is on its line.
      line.on("mouseover", function () { var e = line.getTooltip().getElement(); if (e) e.classList.remove("gm-hidden"); });
      line.on("mouseout", function () { if (ctx.declutter) ctx.declutter.soon(300); });
    }
    if (r[MC.arrow]) {
      // The tip stops short of the destination so the town's own marker stays visible and clickable;
      // over a bigger marker or a cluster the declutter slides it back along the line (data-back).
      var a = r[MC.arrow], sz = 2 * Math.round(8 + w * 2.2), back = ll[ll.length - 2];
      parts.push(L.marker([a[0], a[1]], {icon: L.divIcon({className: "gm-arrowhead gm-arrowhead-" + k, iconSize: [sz, sz], iconAnchor: [sz / 2, sz / 2],
        html: '<svg width="' + sz + '" height="' + sz + '" viewBox="-22 -22 44 44" data-deg="' + a[2] + '" data-back="' + back[0] + "," + back[1] +
          '" style="transform:rotate(' + a[2] + 'deg)"><path d="M-10,0 L-21,-6.5 L-17.5,0 L-21,6.5 Z" fill="' + st.color + '" stroke="#fff" stroke-width="1"/></svg>'}),
      keyboard: false, pane: "gmArrows"}));
    }
    if (r[MC.end]) {
      var q = r[MC.end] === 1 ? ll[ll.length - 1] : ll[0];
      parts.push(L.marker(q, {icon: L.divIcon({className: "gm-unknown-end", html: "<div>?</div>", iconSize: [16, 16], iconAnchor: [8, 8]}),
        title: r[MC.end] === 1 ? "destination unknown" : "origin unknown", keyboard: false, pane: "gmArrows"}));
    }
    // A featureGroup, so clicks reach the kind's handler.
    return {lg: L.featureGroup(parts), parts: parts, label: label, kind: k, w: w};
  }
  // Texts of a route's label: the count alone at country zoom, with the reports once there is room.
  function labels(f) {
    var r = f.rows[0], k = s(r[MC.kind]), st = D.movement_styles[k] || {single: k};
    var tail = r[MC.end] === 1 ? " \u2192 ?" : r[MC.end] === 2 ? " (origin ?)" : "";
    var what = f.rows.length === 1 ? (s(r[MC.count]) || st.single || k) : (f.sum ? ctx.fmt(f.sum) + " " + (st.noun || "") : f.rows.length + " reports");
    var full = f.rows.length === 1 ? esc(s(r[MC.label])) + tail : esc(what) + " (" + f.rows.length + " reports)" + tail;
    return [full, esc(what) + tail];
  }
  // Drawn SVG routes are kept (up to CACHE_MAX) and reused when nothing about their look changed:
  // a change of the time window then touches only the routes that did change, and a route that
  // comes back (a window slid back, a filter undone) is not built again.
  var drawn = {}, cache = {}, cached = 0, CACHE_MAX = 2000;
  function take(d) { groups[d.kind].layer.removeLayer(d.lg); }

  function update(rows) {
    var byKey = {}, flows = [];
    rows.forEach(function (r) {
      var kk = key(r), f = byKey[kk];
      if (!f) { f = byKey[kk] = {rows: [], sum: 0}; flows.push(f); }
      f.rows.push(r);
      if (r[MC.best] > 0) f.sum += r[MC.best];
    });
    // SVG lines and DOM arrowheads cost too much to redraw above ~100 routes: canvas then.
    var many = flows.length > 100, permanent = flows.length <= 40, items = {};
    maxSum = Math.max(REF, Math.max.apply(null, flows.map(function (f) { return f.sum; }).concat([0])));
    api.moveLabels = [];
    Object.keys(groups).forEach(function (k) { groups[k].flows = []; groups[k].shown = 0; items[k] = []; });
    if (cached > CACHE_MAX) { cache = {}; cached = 0; Object.keys(drawn).forEach(function (ck) { cache[ck] = drawn[ck]; cached++; }); }
    var next = {};
    flows.forEach(function (f) {
      var r = f.rows[0], k = s(r[MC.kind]), g = groups[k], w = Math.round(width(f.sum) * 2) / 2;
      var disputed = f.rows.every(function (x) { var c = s(x[MC.claim]); return c === "disputed" || c === "denied"; });
      g.flows.push(f); g.shown += f.rows.length;
      if (many) { items[k].push(canvasItem(f, w, disputed)); return; }
      var txt = labels(f), ck = key(r) + "|" + permanent + "|" + disputed + "|" + txt[0], d = cache[ck];
      // A wider or thinner route is drawn again (its SVG arrowhead has the width in it).
      if (d && d.w !== w) { if (drawn[ck] === d) take(d); d = null; }
      if (!d) { d = cache[ck] = draw(f, permanent, w, disputed, txt[0], txt[1]); cached++; }
      d.parts.forEach(function (x) { x._gmFlow = f; });
      if (d.label) api.moveLabels.push(d.label);
      next[ck] = d;
    });
    Object.keys(drawn).forEach(function (ck) { if (next[ck] !== drawn[ck]) take(drawn[ck]); });
    Object.keys(next).forEach(function (ck) { if (next[ck] !== drawn[ck]) groups[next[ck].kind].layer.addLayer(next[ck].lg); });
    drawn = next;
    Object.keys(groups).forEach(function (k) { groups[k].set.setItems(items[k]); });
    api.counts.flows = flows.length;
    api.counts.movements = rows.length;
  }
  return {groups: groups, update: update, width: width};
}
