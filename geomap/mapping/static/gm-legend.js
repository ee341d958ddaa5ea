/* The legend's HTML (shown as a folding control on a desktop and as a sheet on a phone). */
/* exported geomapLegendHtml */
function geomapLegendHtml(ctx) {
  "use strict";
  var D = ctx.D, esc = ctx.esc, IC = ctx.IC;
  var present = {};
  D.incidents.rows.forEach(function (r) { present[ctx.typeOf(r)] = 1; });
  var h = "", types = Object.keys(D.styles).filter(function (t) { return present[t]; });
  if (types.length) {
    h += "<h4>Incidents</h4><div class='gm-cols'>";
    types.forEach(function (t) {
      var st = D.styles[t];
      h += "<div class='gm-li'><span class='gm-dot' style='background:" + st.color + "'>" + st.glyph + "</span>" + esc(st.label) + "</div>";
    });
    h += "</div><div class='gm-li'><svg width='22' height='22'><circle cx='11' cy='11' r='7' fill='#fff'/><circle cx='11' cy='11' r='8' fill='none' stroke='#d62728' stroke-width='5' stroke-dasharray='30 60'/>" +
      "<circle cx='11' cy='11' r='8' fill='none' stroke='#1f77b4' stroke-width='5' stroke-dasharray='0 30 20 60'/></svg>Cluster: count, ring = mix of types; click to open</div>";
    h += "<div class='gm-li'><span class='gm-dot' style='border:2px dashed #555;background:#fff'></span>Hollow: located only to a governorate/country</div>";
    h += "<div class='gm-li'><span class='gm-dot' style='border:2px dashed #222;background:#777'></span>Dashed: disputed or denied claim</div>";
    if (D.incidents.rows.some(function (r) { return r[IC.dinf]; })) {
      h += "<div class='gm-li'><span class='gm-dot gm-dot-dinf' style='background:#777'>~</span>Faded, with ~: date inferred by geomap</div>";
    }
  }
  if (D.incidents.rows.some(function (r) { return r[IC.harm]; })) {
    h += "<h4>Casualties</h4><div class='gm-cas-legend'>" + geomapCasualtyLegend(ctx) + "</div>";
  }
  var kinds = Object.keys(D.movement_styles).filter(function (k) { return ctx.flows.groups[k] && ctx.flows.groups[k].total; });
  if (kinds.length) {
    h += "<h4>Movements (one line per route, width = summed count)</h4><div class='gm-cols'>";
    kinds.forEach(function (k) {
      var st = D.movement_styles[k];
      h += "<div class='gm-li'><span class='gm-line' style='border-color:" + st.color + "'></span>" + esc(st.label) + "</div>";
    });
    h += "</div><div class='gm-li'><span class='gm-line' style='border-top:3px dashed #777'></span>? = end unknown (never guessed)</div>";
    h += "<div class='gm-li'>To or from another country: through Syria's border at a known crossing (else the nearest border point); on to the place abroad only over land, never to a whole country's centre.</div>";
  }
  return h;
}

/* The casualty rings' scale (it shrinks when big summed tolls are in view: redrawn then). */
/* exported geomapCasualtyLegend */
function geomapCasualtyLegend(ctx) {
  "use strict";
  var D = ctx.D, IC = ctx.IC, s = ctx.s;
  // Reference rings at true scale: the ring outside the marker has an area proportional to the count.
  // Reference counts whose rings are ~8, ~25 and ~55 px wide outside the marker at the current
  // scale, rounded to 1, 2 or 5 times a power of ten.
  var k = ctx.api.ringScale || D.circle_k;
  function nice(x) {
    var p = Math.pow(10, Math.floor(Math.log10(Math.max(x, 1))));
    return [1, 2, 5, 10].map(function (m) { return m * p; }).reduce(function (a, b) { return Math.abs(b - x) < Math.abs(a - x) ? b : a; });
  }
  var ns = [8, 25, 55].map(function (px) { return nice(Math.pow(px / k, 2)); });
  var rmax = ctx.circleRadius(ns[2]), W = 2 * rmax + 50, h = "<div class='gm-li' style='align-items:flex-end'><svg width='" + W + "' height='" + (2 * rmax + 4) + "'>";
  var lastY = -1e9;
  ns.slice().reverse().forEach(function (n) {
    var r = ctx.circleRadius(n), cy = 2 * rmax + 2 - r, ty = Math.max(cy - r + 10, lastY + 11);
    lastY = ty;
    h += "<circle cx='" + (rmax + 1) + "' cy='" + cy + "' r='" + r + "' fill='#e53935' fill-opacity='.15' stroke='#b71c1c'/>" +
      "<text x='" + (2 * rmax + 5) + "' y='" + ty + "' font-size='10'>" + n.toLocaleString("en") + "</text>";
  });
  h += "<circle cx='" + (rmax + 1) + "' cy='" + (2 * rmax + 2 - ctx.circleR0) + "' r='" + ctx.circleR0 + "' fill='#fff' stroke='#999' stroke-dasharray='2 2'/></svg>";
  return h + "<div>Ring area outside the marker or cluster = count, summed per cluster (red killed, orange wounded only); dashed = approximate place." +
    (D.incidents.rows.some(function (r) { return r[IC.harm] && s(r[IC.prec]) === "country"; })
      ? "<br><span style='border:1.5px dashed #b71c1c;padding:0 3px'>Boxed</span>: tolls given only for a whole country." : "") + "</div></div>";
}
