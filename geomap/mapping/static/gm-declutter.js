/* Labels never overlap: movement labels, then country and governorate names, each take the first
 * of a few spots that overlaps no marker, panel or label already placed; with none free a label
 * hides (a movement label then shows on hover of its line, a name when zoomed in). */
/* exported geomapDeclutter */
function geomapDeclutter(ctx) {
  "use strict";
  var map = ctx.map, api = ctx.api;
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
  // An arrowhead ends on its destination's town, which a bigger marker or a cluster covers at low
  // zoom: there the head hid the cluster's count. It slides back along its last segment (at most
  // that segment's length) until it clears the markers it covered: direction and count both show.
  function clearArrowheads() {
    // Writes, then reads, then writes: one layout for all the heads, not one per head.
    var heads = [];
    container.querySelectorAll(".gm-arrowhead").forEach(function (icon) {
      var svg = icon.firstChild, path = svg && svg.querySelector("path");
      if (!path || !svg.getAttribute("data-back")) return;
      svg.style.transform = "rotate(" + svg.getAttribute("data-deg") + "deg)";
      heads.push({icon: icon, svg: svg, path: path});
    });
    var marks = boxes(".gm-inc, .gm-cluster, .marker-cluster"), cb = container.getBoundingClientRect();
    heads.forEach(function (h) { h.move = h.icon.offsetParent === null ? null : slideBack(h, marks, cb); });
    heads.forEach(function (h) { if (h.move) h.svg.style.transform = h.move; });
  }
  // The transform that takes a head back along its line clear of the marks it covers (null: none
  // covered, or no room before the segment's start).
  function slideBack(h, marks, cb) {
    var b = h.path.getBoundingClientRect(), hit = marks.filter(function (m) { return !free(b, [m]); });
    if (!b.width || !hit.length) return null;
    var deg = +h.svg.getAttribute("data-deg"), ux = -Math.cos(deg * Math.PI / 180), uy = -Math.sin(deg * Math.PI / 180);
    var ib = h.icon.getBoundingClientRect(), bk = h.svg.getAttribute("data-back").split(","), bp = map.latLngToContainerPoint([+bk[0], +bk[1]]);
    var room = Math.hypot(ib.left + ib.width / 2 - cb.left - bp.x, ib.top + ib.height / 2 - cb.top - bp.y) - 8;
    for (var d = 2; d <= room; d += 2) {
      var r = {left: b.left + ux * d, right: b.right + ux * d, top: b.top + uy * d, bottom: b.bottom + uy * d};
      if (free(r, hit)) return "translate(" + (ux * d).toFixed(1) + "px," + (uy * d).toFixed(1) + "px) rotate(" + deg + "deg)";
    }
    return null;
  }
  // Pixel distance from (x, y) to the nearest segment of a line.
  function lineDistance(x, y, pts) {
    var best = Infinity;
    for (var i = 1; i < pts.length; i++) {
      var a = pts[i - 1], vx = pts[i].x - a.x, vy = pts[i].y - a.y, len = vx * vx + vy * vy;
      var t = len ? Math.max(0, Math.min(1, ((x - a.x) * vx + (y - a.y) * vy) / len)) : 0;
      best = Math.min(best, Math.hypot(x - a.x - t * vx, y - a.y - t * vy));
    }
    return best;
  }
  // Spots on rings around the line's start and middle (a short line under a cluster): of those
  // free of labels, panels and marks, the one nearest the line, so that it reads as that line's.
  function around(b, pts, mid, cb, placed, mark) {
    var best = null, cx = b.left + b.width / 2 - cb.left, cy = b.top + b.height / 2 - cb.top;
    [pts[0], mid].forEach(function (c) {
      [30, 44, 58].forEach(function (rad) {
        for (var k = 0; k < 8; k++) {
          var ang = k * Math.PI / 4, dx = Math.round(c.x - mid.x + Math.cos(ang) * (b.width / 2 + rad)),
            dy = Math.round(c.y - mid.y + Math.sin(ang) * (b.height / 2 + rad)), r = shifted(b, dx, dy);
          if (r.left < cb.left || r.right > cb.right || r.top < cb.top || r.bottom > cb.bottom) continue;
          if (!free(r, placed) || !free(r, mark)) continue;
          var d = lineDistance(cx + dx, cy + dy, pts);
          if (!best || d < best[3]) best = [dx, dy, r, d];
        }
      });
    });
    return best;
  }
  api.declutter = function () {
    var hidden = 0;
    clearArrowheads();
    // The country-wide toll boxes first: they avoid the markers, and the labels avoid them.
    if (api.placeTollBoxes) api.placeTollBoxes();
    var mark = boxes(".gm-inc, .gm-cluster, .marker-cluster, .gm-toll-box, .gm-arrowhead svg, .gm-unknown-end div");
    var placed = boxes(".gm-panel:not(.gm-toll-box), .leaflet-control-layers, .leaflet-control-zoom, .leaflet-control-scale");
    var cb = container.getBoundingClientRect();
    var ml = api.moveLabels.filter(function (o) { return map.hasLayer(o.line) && o.line.getTooltip() && o.line.getTooltip().getElement(); });
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
      // Still none: the spot nearest the line on rings around it, before a spot under a marker
      // (where the label was half hidden).
      best = best || around(b, pts, mid, cb, placed, mark) || fallback;
      if (best) { el.style.marginLeft = best[0] + "px"; el.style.marginTop = best[1] + "px"; placed.push(best[2]); }
      else { el.classList.add("gm-hidden"); hidden++; }
    });
    if (map.hasLayer(ctx.labels)) {
      ctx.ctyLabels.concat(ctx.townLabels ? ctx.townLabels() : [], ctx.govLabels).forEach(function (mk) {
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
  // Marker clusters settle after their animation; measure after that.
  map.on("zoomend moveend overlayadd overlayremove", function () { declutterSoon(350); });

  return {soon: declutterSoon, pending: function () { return !!declutterTimer; }};
}
