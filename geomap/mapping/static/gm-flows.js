/* Movements, aggregated: one line per kind and origin-destination pair, its width by the summed
 * count of the reports it holds; arrowheads for the direction, "?" for an unknown end. */
/* exported geomapFlows */
function geomapFlows(ctx) {
  "use strict";
  var D = ctx.D, s = ctx.s, esc = ctx.esc, MC = ctx.MC, api = ctx.api;
  var groups = api.movementGroups = {};  // kind -> {layer, flows: [...]}
  api.moveLabels = [];
  // Canvas arrowhead (a CircleMarker that paints a rotated triangle), for hundreds of flows.
  var ArrowHead = L.CircleMarker.extend({
    _updatePath: function () {
      var r = this._renderer, c2 = r._ctx;
      if (!c2 || this._empty()) return;
      var p = this._point, a = this.options.angle * Math.PI / 180, u = this.options.unit, c = Math.cos(a), n = Math.sin(a);
      var tx = p.x - 10 * u * c, ty = p.y - 10 * u * n;
      function pt(back, side) { return [tx - back * u * c - side * u * n, ty - back * u * n + side * u * c]; }
      c2.beginPath(); c2.moveTo(tx, ty);
      [pt(11, 6.5), pt(7.5, 0), pt(11, -6.5)].forEach(function (q) { c2.lineTo(q[0], q[1]); });
      c2.closePath();
      r._fillStroke(c2, this);
    }
  });
  // Width grows with the square root of the summed count, 11 px for the busiest route shown
  // (at least REF people: a lone route of 200 stays thin); 2 px when no count is known.
  var REF = 10000, maxSum = REF;
  function width(sum) { return sum > 0 ? 2 + 9 * Math.sqrt(Math.min(sum, maxSum) / maxSum) : 2; }
  var flowCanvas = L.canvas({pane: "gmFlows", padding: 0.3});
  Object.keys(D.movement_styles).forEach(function (k) { groups[k] = {layer: L.featureGroup(), flows: [], total: 0}; });
  D.movements.rows.forEach(function (r) {
    var k = s(r[MC.kind]);
    if (!groups[k]) groups[k] = {layer: L.featureGroup(), flows: [], total: 0};
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

  function draw(f, many, permanent, w, disputed, full, short) {
    var r = f.rows[0], k = s(r[MC.kind]), st = D.movement_styles[k] || {color: "#333", single: k, label: k};
    var p = r[MC.path], ll = [];
    for (var i = 0; i < p.length; i += 2) ll.push([p[i], p[i + 1]]);
    var dash = r[MC.end] ? "6 6" : disputed ? "2 6" : null, label = null;
    var line = L.polyline(ll, {pane: "gmFlows", renderer: many ? flowCanvas : undefined, color: st.color, weight: w,
      // Hundreds of routes: lighter lines, so markers and rings still read through them.
      opacity: (r[MC.imprecise] && !r[MC.border] ? 0.5 : r[MC.end] ? 0.7 : 0.85) * (many ? 0.6 : 1), dashArray: dash, lineCap: "butt",
      className: "gm-move gm-move-" + k + (r[MC.imprecise] ? " gm-move-imprecise" : "")});
    var parts = [line];
    if (!many) {
      line.bindTooltip(full, {permanent: permanent, direction: "center", className: "gm-move-label", opacity: 1,
        pane: permanent ? "gmMoveLabels" : "tooltipPane"});
      if (permanent) {
        label = {line: line, ll: ll, w: w, full: full, short: short};
        // A label the declutter hid shows while the pointer is on its line.
        line.on("mouseover", function () { var e = line.getTooltip().getElement(); if (e) e.classList.remove("gm-hidden"); });
        line.on("mouseout", function () { if (ctx.declutter) ctx.declutter.soon(300); });
      }
    }
    if (r[MC.arrow]) {
      // The tip stops short of the destination so the town's own marker stays visible and clickable.
      var a = r[MC.arrow], sz = 2 * Math.round(8 + w * 2.2);
      var head = many
        ? new ArrowHead([a[0], a[1]], {renderer: flowCanvas, angle: a[2], unit: sz / 44, radius: 21 * sz / 44,
          color: "#fff", weight: 1, fillColor: st.color, fillOpacity: 1})
        : L.marker([a[0], a[1]], {icon: L.divIcon({className: "gm-arrowhead gm-arrowhead-" + k, iconSize: [sz, sz], iconAnchor: [sz / 2, sz / 2],
          html: '<svg width="' + sz + '" height="' + sz + '" viewBox="-22 -22 44 44" style="transform:rotate(' + a[2] +
            'deg)"><path d="M-10,0 L-21,-6.5 L-17.5,0 L-21,6.5 Z" fill="' + st.color + '" stroke="#fff" stroke-width="1"/></svg>'}),
        keyboard: false, pane: "gmArrows"});
      parts.push(head);
    }
    if (r[MC.end]) {
      var q = r[MC.end] === 1 ? ll[ll.length - 1] : ll[0];
      parts.push(many
        ? L.circleMarker(q, {renderer: flowCanvas, radius: 6, color: "#555", weight: 1, dashArray: "2 2", fillColor: "#fff", fillOpacity: 1})
        : L.marker(q, {icon: L.divIcon({className: "gm-unknown-end", html: "<div>?</div>", iconSize: [16, 16], iconAnchor: [8, 8]}),
          title: r[MC.end] === 1 ? "destination unknown" : "origin unknown", keyboard: false, pane: "gmArrows"}));
    }
    // A featureGroup, so clicks reach the kind's handler.
    return {lg: L.featureGroup(parts), parts: parts, label: label, kind: k, w: w};
  }
  function restyle(d, w) {
    d.parts[0].setStyle({weight: w});
    d.parts.forEach(function (x) {
      if (x instanceof ArrowHead) { var sz = 2 * Math.round(8 + w * 2.2); x.options.unit = sz / 44; x.setRadius(21 * sz / 44); }
    });
  }
  // Texts of a route's label: the count alone at country zoom, with the reports once there is room.
  function labels(f) {
    var r = f.rows[0], k = s(r[MC.kind]), st = D.movement_styles[k] || {single: k};
    var tail = r[MC.end] === 1 ? " \u2192 ?" : r[MC.end] === 2 ? " (origin ?)" : "";
    var what = f.rows.length === 1 ? (s(r[MC.count]) || st.single || k) : (f.sum ? ctx.fmt(f.sum) + " " + (st.noun || "") : f.rows.length + " reports");
    var full = f.rows.length === 1 ? esc(s(r[MC.label])) + tail : esc(what) + " (" + f.rows.length + " reports)" + tail;
    return [full, esc(what) + tail];
  }
  // Drawn routes are kept between redraws and reused when nothing about their look changed:
  // a change of the time window then touches only the routes that did change.
  var drawn = {};

  function update(rows) {
    var byKey = {}, flows = [];
    rows.forEach(function (r) {
      var kk = key(r), f = byKey[kk];
      if (!f) { f = byKey[kk] = {rows: [], sum: 0}; flows.push(f); }
      f.rows.push(r);
      if (r[MC.best] > 0) f.sum += r[MC.best];
    });
    // SVG lines and DOM arrowheads cost too much to redraw above ~100 routes: canvas then.
    var many = flows.length > 100, permanent = flows.length <= 40;
    maxSum = Math.max(REF, Math.max.apply(null, flows.map(function (f) { return f.sum; }).concat([0])));
    api.moveLabels = [];
    Object.keys(groups).forEach(function (k) { groups[k].flows = []; groups[k].shown = 0; });
    var next = {};
    flows.forEach(function (f) {
      var r = f.rows[0], g = groups[s(r[MC.kind])], w = Math.round(width(f.sum) * 2) / 2;
      var disputed = f.rows.every(function (x) { var c = s(x[MC.claim]); return c === "disputed" || c === "denied"; });
      var txt = many ? ["", ""] : labels(f), ck = key(r) + "|" + many + "|" + permanent + "|" + disputed + "|" + txt[0];
      // On canvas a wider or thinner route is restyled in place; SVG arrowheads are redrawn.
      if (drawn[ck] && drawn[ck].w !== w && !many) { groups[drawn[ck].kind].layer.removeLayer(drawn[ck].lg); delete drawn[ck]; }
      var d = next[ck] = drawn[ck] || draw(f, many, permanent, w, disputed, txt[0], txt[1]);
      if (d.w !== w) restyle(d, w);
      d.w = w;
      d.parts.forEach(function (x) { x._gmFlow = f; });
      if (d.label) api.moveLabels.push(d.label);
      g.flows.push(f); g.shown += f.rows.length;
    });
    Object.keys(drawn).forEach(function (ck) { if (!next[ck]) groups[drawn[ck].kind].layer.removeLayer(drawn[ck].lg); });
    Object.keys(next).forEach(function (ck) { if (!drawn[ck]) groups[next[ck].kind].layer.addLayer(next[ck].lg); });
    drawn = next;
    api.counts.flows = flows.length;
    api.counts.movements = rows.length;
  }
  return {groups: groups, update: update, width: width};
}
