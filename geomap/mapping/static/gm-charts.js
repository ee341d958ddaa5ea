/* Charts beside the map (uPlot): incidents per week stacked by type, deaths per week, and the top
 * governorates. They show the records that pass the window and the filters. Dragging across a
 * weekly chart narrows the window to the weeks brushed; clicking a week's bar sets the window to
 * that week; clicking a governorate's bar shows only its incidents. */
/* exported geomapCharts */
function geomapCharts(ctx) {
  "use strict";
  var s = ctx.s, esc = ctx.esc, IC = ctx.IC, api = ctx.api, F = api.filters, box = ctx.chartBox;
  var TYPES = ctx.incidents.TYPES, LONG_DAYS = 14;
  var totals = {incidents: 0, deaths: 0, weeks: 0, govs: []};
  // Date formatters built once (toLocaleDateString builds one per call: slow in every redraw).
  var MONTH = new Intl.DateTimeFormat("en-GB", {month: "short", year: "numeric", timeZone: "UTC"}),
    DAY = new Intl.DateTimeFormat("en-GB", {day: "numeric", month: "short", timeZone: "UTC"}),
    FULL = new Intl.DateTimeFormat("en-GB", {day: "numeric", month: "short", year: "numeric", timeZone: "UTC"});
  api.charts = {totals: function () { return totals; }};
  box.insertAdjacentHTML("beforeend", "<h3>Incidents per week, by type</h3><div class='gm-chart gm-chart-week'></div>" +
    "<div class='gm-note gm-chart-read' aria-live='polite'>&nbsp;</div>" +
    "<h3>Deaths per week</h3><div class='gm-chart gm-chart-deaths'></div>" +
    "<div class='gm-note gm-chart-long'></div><h3>Top governorates</h3><div class='gm-govs'></div>" +
    "<div class='gm-note'>Drag across a chart to narrow the time window; click a bar to pick its week or governorate.</div>");
  var govBox = box.querySelector(".gm-govs"), govHtml = null;
  govBox.addEventListener("click", function (e) {
    var b = e.target.closest(".gm-gov"); if (!b) return;
    var g = b.getAttribute("data-g"); api.setFilter("admin1", F.admin1 === g ? "" : g);
  });
  if (typeof uPlot === "undefined" || !api.extent) {
    box.querySelector(".gm-chart-week").textContent = api.extent ? "Charts unavailable." : "No dated record.";
    api.charts.update = function () {};
    return {update: govsOnly};
  }
  // Weeks start on Monday; day 4 after 1970-01-01 (a Thursday) is a Monday.
  function weekOf(d) { return d - ((((d - 4) % 7) + 7) % 7); }
  var width = function () { return Math.max(240, (box.clientWidth || 340) - 28); };  // the section has 12 px padding
  var justBrushed = false;
  function opts(series, height, stacked) {
    return {width: width(), height: height, legend: {show: false}, padding: [6, 8, 0, 0],
      cursor: {drag: {x: true, y: false, setScale: false}, points: {show: false}},
      scales: {x: {time: true}},
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"); },
      axes: [{size: 28, font: "11px Arial", stroke: "#333", grid: {stroke: "#eee"}, values: function (u, splits) {
        // Days and months for a short window, months and years for a long one.
        var long = splits.length > 1 && splits[splits.length - 1] - splits[0] > 200 * 86400;
        return splits.map(function (v) {
          return (long ? MONTH : DAY).format(new Date(v * 1e3));
        });
      }}, {size: 46, font: "11px Arial", stroke: "#333", grid: {stroke: "#eee"}, values: function (u, splits) {
        return splits.map(ctx.fmt);
      }}],
      series: [{}].concat(series.map(function (x) {
        return {label: x.label, stroke: x.color, fill: x.color, width: 0, points: {show: false},
          paths: stacked ? function () { return null; } : uPlot.paths.bars({size: [0.9, 40], align: 1})};
      })),
      hooks: {
        draw: stacked ? [drawStacks] : [],
        setSelect: [function (u) {
          if (u.select.width < 4) return;
          var a = Math.floor(u.posToVal(u.select.left, "x") / 86400), b = Math.ceil(u.posToVal(u.select.left + u.select.width, "x") / 86400);
          justBrushed = true;
          u.setSelect({left: 0, top: 0, width: 0, height: 0}, false);
          api.setWindow(Math.max(api.extent[0], a), Math.min(api.extent[1], b));
        }],
        // The week under the pointer, in words (the bars carry no labels of their own).
        setCursor: [function (u) {
          var i = u.cursor.idx, el = box.querySelector(".gm-chart-read");
          if (i == null || !u.data[0].length) return;
          el.textContent = readout(i);
        }],
        ready: [function (u) {
          u.over.addEventListener("click", function () {
            if (justBrushed) { justBrushed = false; return; }
            var i = u.cursor.idx; if (i == null || !u.data[0].length) return;
            var w = u.data[0][i] / 86400;
            if (!stacked && !u.data[1][i]) return;
            api.setWindow(w, w + 6);
          });
        }]
      }};
  }
  // Stacked bars, painted in one pass per type (one fillRect per week): uPlot holds only the
  // weekly totals (its y scale and cursor), which is much cheaper than nine bar series.
  function drawStacks(u) {
    if (!last || !last.xs.length) return;
    var c = u.ctx, xs = last.xs, bb = u.bbox, base = new Array(xs.length).fill(0);
    var gap = Math.abs(u.valToPos(xs[0] + 7 * 86400, "x", true) - u.valToPos(xs[0], "x", true));
    var w = Math.min(gap * 0.9, 40 * (window.devicePixelRatio || 1));
    c.save(); c.beginPath(); c.rect(bb.left, bb.top, bb.width, bb.height); c.clip();
    TYPES.forEach(function (t) {
      var v = last.byType[t];
      c.fillStyle = ctx.incStyle(t).color;
      for (var i = 0; i < xs.length; i++) {
        if (!v[i]) continue;
        var y0 = u.valToPos(base[i], "y", true), y1 = u.valToPos(base[i] + v[i], "y", true);
        c.fillRect(u.valToPos(xs[i], "x", true), y1, w, y0 - y1);
        base[i] += v[i];
      }
    });
    c.restore();
  }
  var last = null;  // the weekly counts behind the bars, for the readout and the stacks
  var weekPlot = new uPlot(opts([{label: "incidents", color: "#6b7f99"}], 120, true), [[], []], box.querySelector(".gm-chart-week"));
  var deathPlot = new uPlot(opts([{label: "deaths", color: "#b71c1c"}], 90, false), [[], []], box.querySelector(".gm-chart-deaths"));
  api.charts.plots = [weekPlot, deathPlot];

  function readout(i) {
    if (!last || i >= last.xs.length) return "";
    var parts = TYPES.filter(function (t) { return last.byType[t][i]; }).map(function (t) {
      return ctx.fmt(last.byType[t][i]) + " " + ctx.incStyle(t).label.toLowerCase();
    });
    var n = TYPES.reduce(function (a, t) { return a + last.byType[t][i]; }, 0);
    return "Week of " + FULL.format(new Date(last.xs[i] * 1e3)) +
      ": " + ctx.fmt(n) + " incident" + (n === 1 ? "" : "s") + (parts.length ? " (" + parts.join(", ") + ")" : "") +
      (last.deaths[i] ? "; " + ctx.fmt(last.deaths[i]) + " killed" : "");
  }
  function govsOnly(rows) {
    var c = {};
    rows.forEach(function (r) { var g = s(r[IC.admin1]); if (g && s(r[IC.prec]) !== "country") c[g] = (c[g] || 0) + 1; });
    var top = Object.keys(c).sort(function (a, b) { return c[b] - c[a]; }).slice(0, 8), max = top.length ? c[top[0]] : 1;
    totals.govs = top.map(function (g) { return [g, c[g]]; });
    var html = top.length ? top.map(function (g) {
      return "<button type='button' class='gm-gov" + (F.admin1 === g ? " gm-on" : "") + "' data-g='" + esc(g) + "'><span class='gm-gov-n'>" + esc(g) +
        "</span><span class='gm-gov-bar' style='width:" + Math.round(100 * c[g] / max) + "%'></span><b>" + ctx.fmt(c[g]) + "</b></button>";
    }).join("") : "<div class='gm-note'>No incident located to a governorate.</div>";
    if (html !== govHtml) govBox.innerHTML = govHtml = html;  // unchanged bars are not rebuilt
  }
  function update(rows) {
    var a = weekOf(F.t0), b = weekOf(F.t1), n = Math.round((b - a) / 7) + 1, xs = [], byType = {}, deaths = [];
    for (var i = 0; i < n; i++) xs.push((a + 7 * i) * 86400);
    TYPES.forEach(function (t) { byType[t] = new Array(n).fill(0); });
    deaths = new Array(n).fill(0);
    totals.incidents = 0; totals.deaths = 0; totals.weeks = n; totals.long = 0;
    rows.forEach(function (r) {
      if (r[IC.d0] == null) return;  // undated: counted in the window's note, on no week
      // A toll "since March 2011" belongs to no one week: such records stay off the weekly bars.
      if (r[IC.d1] != null && r[IC.d1] - r[IC.d0] > LONG_DAYS) { totals.long++; return; }
      var k = Math.round((weekOf(Math.max(r[IC.d0], F.t0)) - a) / 7);
      if (k < 0 || k >= n) return;
      byType[ctx.typeOf(r)][k]++; totals.incidents++;
      if (r[IC.harm] && ctx.isKilled(s(r[IC.ctype]))) { deaths[k] += r[IC.best]; totals.deaths += r[IC.best]; }
    });
    var sums = new Array(n).fill(0);
    TYPES.forEach(function (t) { byType[t].forEach(function (v, j) { sums[j] += v; }); });
    last = {xs: xs, byType: byType, deaths: deaths};
    weekPlot.setData([xs, sums]);
    deathPlot.setData([xs, deaths]);
    // One week alone: a fortnight around it (uPlot would spread a single point over years).
    if (n === 1) [weekPlot, deathPlot].forEach(function (p) { p.setScale("x", {min: xs[0] - 4 * 86400, max: xs[0] + 11 * 86400}); });
    box.querySelector(".gm-chart-long").textContent = totals.long ? ctx.fmt(totals.long) + " record" + (totals.long > 1 ? "s" : "") +
      " dated only to a span of more than two weeks (e.g. a toll since 2011) " + (totals.long > 1 ? "are" : "is") + " on the map, not on the weekly bars." : "";
    govsOnly(rows);
  }
  window.addEventListener("resize", function () {
    [weekPlot, deathPlot].forEach(function (p) { p.setSize({width: width(), height: p.height}); });
  });
  return {update: update};
}
