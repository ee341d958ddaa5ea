/* Panels: title, legend, layer control with live counts, and the side panel (time window with
 * playback, charts, filters, place search, download). On a phone or a tablet held upright (< 900 px)
 * the side panel and the legend fold into a bar of buttons at the bottom, each opening one section
 * as a sheet: beside a 340 px panel a 768 px tablet kept a 428 px map. */
/* exported geomapPanels */
function geomapPanels(ctx) {
  "use strict";
  var map = ctx.map, D = ctx.D, s = ctx.s, esc = ctx.esc, fmt = ctx.fmt, IC = ctx.IC, MC = ctx.MC, api = ctx.api;
  var F = api.filters, container = map.getContainer();
  function el(tag, cls, html) { var e = document.createElement(tag); if (cls) e.className = cls; if (html != null) e.innerHTML = html; return e; }
  var DATE = new Intl.DateTimeFormat("en-GB", {day: "numeric", month: "short", year: "numeric", timeZone: "UTC"});
  function dayLabel(d) { return d == null ? "" : DATE.format(new Date(d * 864e5)); }
  function plural(n, one, many) { return fmt(n) + " " + (n === 1 ? one : many); }
  function quiet(e) { L.DomEvent.disableClickPropagation(e); L.DomEvent.disableScrollPropagation(e); return e; }

  // ---- title ----
  var m = D.meta;
  var title = L.control({position: "topleft"});
  title.onAdd = function () {
    var d = quiet(el("div", "gm-panel gm-title"));
    d.innerHTML = "<h1>" + esc(m.title) + "</h1><div class='gm-sub'>" + (m.as_of ? "As of " + esc(m.as_of) + " \u00b7 " : "") +
      fmt(m.n_incidents) + " incidents, " + fmt(m.n_movements) + " movements</div>";
    return d;
  };
  title.addTo(map);

  // ---- side panel (a column beside the map; sheets on a phone) ----
  var side = quiet(el("div", "gm-side"));
  side.setAttribute("aria-label", "Time, charts, filters and download");
  var close = el("button", "gm-sheet-close", "\u00d7"); close.type = "button"; close.title = "Close";
  side.appendChild(close);
  function section(name, heading) {
    var sec = el("section", "gm-sec gm-sec-" + name, "<h2>" + heading + "</h2>");
    sec.setAttribute("data-sec", name); side.appendChild(sec); return sec;
  }
  var secTime = section("time", "Time window"), secCharts = section("charts", "Charts"),
    secFilters = section("filters", "Filters and search"), secExport = section("export", "Download what you see"),
    secLegend = section("legend", "Legend"), secAbout = section("about", "About this map");
  document.body.appendChild(side);
  ctx.chartBox = secCharts;

  // ---- phone: a bar of buttons, each opening one section ----
  var bar = quiet(el("div", "gm-bar"));
  [["time", "Time"], ["charts", "Charts"], ["filters", "Filters"], ["legend", "Legend"], ["about", "Info"]].forEach(function (b) {
    var btn = el("button", "gm-bar-btn gm-bar-" + b[0], b[1]); btn.type = "button";
    btn.onclick = function () { openSheet(side.getAttribute("data-open") === b[0] ? null : b[0]); };
    bar.appendChild(btn);
  });
  document.body.appendChild(bar);
  function openSheet(name) {
    if (name) { side.setAttribute("data-open", name); map.closePopup(); } else side.removeAttribute("data-open");
    window.dispatchEvent(new Event("resize"));  // charts built while folded take the sheet's width
    bar.querySelectorAll(".gm-bar-btn").forEach(function (b) { b.classList.toggle("gm-on", !!name && b.classList.contains("gm-bar-" + name)); });
  }
  close.onclick = function () { openSheet(null); };
  ctx.closeSheets = function () { if (side.getAttribute("data-open")) openSheet(null); };
  api.openSheet = openSheet;
  // The map's size changes with the layout (column or bar): tell Leaflet.
  ctx.quietly(function () { map.invalidateSize(); });
  window.addEventListener("resize", function () { ctx.quietly(function () { map.invalidateSize(); }); });

  // ---- time window: start, end, playback ----
  var ext = api.extent;
  if (ext) {
    secTime.insertAdjacentHTML("beforeend",
      "<div class='gm-time-row'><button type='button' class='gm-play' title='Play: slide the window through time'>\u25b6</button>" +
      "<b class='gm-win-label'></b></div>" +
      "<label class='gm-range-l'>From <input type='range' class='gm-range gm-t0' step='1'></label>" +
      "<label class='gm-range-l'>To <input type='range' class='gm-range gm-t1' step='1'></label>" +
      "<div class='gm-time-row'><button type='button' class='gm-btn gm-dense'>Dense period</button>" +
      "<button type='button' class='gm-btn gm-all'>All dates</button></div>" +
      "<label class='gm-undated-l'><input type='checkbox' class='gm-undated' checked> show undated records</label>" +
      "<div class='gm-note gm-win-note'></div>");
    var r0 = secTime.querySelector(".gm-t0"), r1 = secTime.querySelector(".gm-t1"), timer = null, play = secTime.querySelector(".gm-play");
    // The sliders span the dense period with a margin, not the full extent: one recalled 2007
    // strike would otherwise squeeze July 2012 into the sliders' last pixels. They widen when the
    // window leaves that span (All dates, a brush, playback).
    var dw = api.defaultWindow || ext, pad = Math.max(7, Math.round((dw[1] - dw[0]) * 0.25));
    api.sliderSpan = [Math.max(ext[0], dw[0] - pad), Math.min(ext[1], dw[1] + pad)];
    [r0, r1].forEach(function (r) { r.min = api.sliderSpan[0]; r.max = api.sliderSpan[1]; });
    // A drag fires input events faster than a big map redraws: one redraw per frame, the latest.
    var want = null;
    function slide(a, b) {
      if (!want) requestAnimationFrame(function () { var w = want; want = null; api.setWindow(w[0], w[1]); });
      want = [a, b];
    }
    api.windowPending = function () { return !!want; };
    r0.addEventListener("input", function () { var c = want || [F.t0, F.t1]; slide(+r0.value, Math.max(+r0.value, c[1])); });
    r1.addEventListener("input", function () { var c = want || [F.t0, F.t1]; slide(Math.min(+r1.value, c[0]), +r1.value); });
    secTime.querySelector(".gm-dense").onclick = function () { api.setWindow(api.defaultWindow[0], api.defaultWindow[1]); };
    secTime.querySelector(".gm-all").onclick = function () { api.setWindow(ext[0], ext[1]); };
    secTime.querySelector(".gm-undated").onchange = function (e) { api.setFilter("undated", e.target.checked); };
    api.play = function (on) {
      if (timer || on === false) { clearInterval(timer); timer = null; play.textContent = "\u25b6"; return; }
      // The window keeps its width and slides forward an eighth of it per step.
      // Through the sliders' span: the dense period, or all dates once the user widened it.
      var sp = api.sliderSpan.slice(), w = Math.max(6, F.t1 - F.t0), step = Math.max(1, Math.round(w / 8));
      if (F.t1 >= sp[1]) api.setWindow(sp[0], sp[0] + w);
      play.textContent = "\u275a\u275a";
      timer = setInterval(function () {
        var t1 = Math.min(sp[1], F.t1 + step);
        api.setWindow(t1 - w, t1);
        if (t1 >= sp[1]) api.play(false);
      }, 600);
    };
    play.onclick = function () { api.play(); };
  } else {
    secTime.insertAdjacentHTML("beforeend", "<div class='gm-note'>No record is dated.</div>");
  }

  // ---- filters and search ----
  function tallyBy(rows, get) {
    var c = {}; rows.forEach(function (r) { get(r).forEach(function (v) { if (v) c[v] = (c[v] || 0) + 1; }); });
    return Object.keys(c).sort(function (a, b) { return c[b] - c[a] || (a < b ? -1 : 1); }).map(function (k) { return [k, c[k]]; });
  }
  var IR = D.incidents.rows, MR = D.movements.rows;
  var types = tallyBy(IR, function (r) { return [ctx.typeOf(r)]; });
  var claims = merged(tallyBy(IR, function (r) { return [s(r[IC.claim]) || "reported"]; }),
    tallyBy(MR, function (r) { return [s(r[MC.claim]) || "reported"]; }));
  var precs = tallyBy(IR, function (r) { return [ctx.precOf(s(r[IC.prec])) || "unknown"]; });
  var actors = merged(tallyBy(IR, function (r) { return [s(r[IC.a1]), s(r[IC.a2])]; }), tallyBy(MR, function (r) { return [s(r[MC.actor])]; }));
  var outlets = merged(tallyBy(IR, function (r) { return [s(r[IC.outlet])]; }), tallyBy(MR, function (r) { return [s(r[MC.outlet])]; }));
  function merged(a, b) {
    var c = {}; a.concat(b).forEach(function (x) { c[x[0]] = (c[x[0]] || 0) + x[1]; });
    return Object.keys(c).sort(function (x, y) { return c[y] - c[x]; }).map(function (k) { return [k, c[k]]; });
  }
  function uniq(list) { var seen = {}; return list.filter(function (x) { if (seen[x[0]]) return false; seen[x[0]] = 1; return true; }).slice(0, 300); }
  function checks(name, list, label, attr) {
    if (list.length < 2 && name !== "types") return "";
    return "<fieldset class='gm-f gm-f-" + name + "'><legend>" + label + "</legend>" + list.map(function (x) {
      return "<label><input type='checkbox' checked data-f='" + name + "' value='" + esc(x[0] === "unknown" ? "" : x[0]) + "'>" +
        (attr ? attr(x[0]) : "") + esc(x[0] === "other" ? "other" : (name === "types" ? ctx.incStyle(x[0]).label : x[0])) + " <small>" + fmt(x[1]) + "</small></label>";
    }).join("") + "</fieldset>";
  }
  function select(name, list, label, all) {
    if (!list.length) return "";
    return "<label class='gm-sel'>" + label + " <select data-f='" + name + "'><option value=''>" + all + "</option>" +
      uniq(list).map(function (x) { return "<option value='" + esc(x[0]) + "'>" + esc(x[0]) + "</option>"; }).join("") + "</select></label>";
  }
  var places = {};
  IR.forEach(function (r) { var n = s(r[IC.place]); if (n && !places[n]) places[n] = [r[IC.lat], r[IC.lon], s(r[IC.prec])]; });
  MR.forEach(function (r) {
    if (s(r[MC.from]) && r[MC.o] && !places[s(r[MC.from])]) places[s(r[MC.from])] = [r[MC.o][0], r[MC.o][1], s(r[MC.fromprec])];
    if (s(r[MC.to]) && r[MC.t] && !places[s(r[MC.to])]) places[s(r[MC.to])] = [r[MC.t][0], r[MC.t][1], s(r[MC.toprec])];
  });
  var names = Object.keys(places).sort();
  secFilters.insertAdjacentHTML("beforeend",
    "<div class='gm-search'><input type='search' class='gm-search-in' list='gm-places' placeholder='Find a place in the data' aria-label='Find a place'>" +
    "<datalist id='gm-places'>" + names.map(function (n) { return "<option value='" + esc(n) + "'>"; }).join("") + "</datalist>" +
    "<div class='gm-note gm-search-note'></div></div>" +
    checks("types", types, "Event type", function (t) { return "<span class='gm-sw' style='background:" + ctx.incStyle(t).color + "'></span>"; }) +
    checks("claims", claims, "Claim status") + checks("precs", precs, "Place known to") +
    select("actor", actors, "Actor", "All actors") + select("outlet", outlets, "Outlet", "All outlets") +
    "<div class='gm-chip-row'></div><button type='button' class='gm-btn gm-clear'>Clear filters</button>");
  secFilters.querySelectorAll("input[type=checkbox][data-f]").forEach(function (c) {
    c.onchange = function () { F[c.getAttribute("data-f")][c.value] = c.checked; api.apply(); };
  });
  secFilters.querySelectorAll("select[data-f]").forEach(function (sel) {
    sel.onchange = function () { api.setFilter(sel.getAttribute("data-f"), sel.value); };
  });
  secFilters.querySelector(".gm-clear").onclick = function () {
    ["types", "claims", "precs"].forEach(function (k) { F[k] = {}; });
    F.actor = F.outlet = F.admin1 = "";
    secFilters.querySelectorAll("input[type=checkbox][data-f]").forEach(function (c) { c.checked = true; });
    secFilters.querySelectorAll("select[data-f]").forEach(function (x) { x.value = ""; });
    api.apply();
  };
  var ZOOM = {neighbourhood: 13, town: 11, district: 10, governorate: 8, region: 7, country: 6};
  api.places = places;
  api.search = function (text) {
    var q = String(text || "").trim().toLowerCase(), note = secFilters.querySelector(".gm-search-note");
    if (!q) { note.textContent = ""; return false; }
    var hit = names.filter(function (n) { return n.toLowerCase() === q; })[0] ||
      names.filter(function (n) { return n.toLowerCase().indexOf(q) === 0; })[0] ||
      names.filter(function (n) { return n.toLowerCase().indexOf(q) >= 0; })[0];
    if (!hit) { note.textContent = "No place called \u201c" + text + "\u201d in these records."; return false; }
    var p = places[hit];
    note.textContent = "";
    ctx.closeSheets();
    map.setView([p[0], p[1]], ZOOM[p[2]] || 10, {animate: false});
    return hit;
  };
  var sin = secFilters.querySelector(".gm-search-in");
  sin.addEventListener("change", function () { api.search(sin.value); });
  sin.addEventListener("keydown", function (e) { if (e.key === "Enter") api.search(sin.value); });

  // ---- download what you see ----
  secExport.insertAdjacentHTML("beforeend", "<div class='gm-export-n'></div><div class='gm-time-row'>" +
    "<button type='button' class='gm-btn gm-dl-csv'>CSV</button><button type='button' class='gm-btn gm-dl-geojson'>GeoJSON</button></div>" +
    "<div class='gm-note'>The records that pass the time window and the filters, with the movements of the layers shown.</div>");
  var exporter = geomapExport(ctx);
  secExport.querySelector(".gm-dl-csv").onclick = function () { exporter.download("csv"); };
  secExport.querySelector(".gm-dl-geojson").onclick = function () { exporter.download("geojson"); };

  // ---- legend (a control on a desktop, a section on a phone) ----
  var legendHtml = geomapLegendHtml(ctx);
  secLegend.insertAdjacentHTML("beforeend", legendHtml);
  var legend = L.control({position: "bottomleft"});
  legend.onAdd = function () {
    var d = quiet(el("div", "gm-panel gm-legend", "<button type='button' class='gm-legend-toggle'>Legend \u25be</button><div class='gm-legend-body'>" + legendHtml + "</div>"));
    var body = d.querySelector(".gm-legend-body");
    d.querySelector(".gm-legend-toggle").onclick = function () { body.style.display = body.style.display === "none" ? "" : "none"; };
    // Open only where it leaves Syria visible: a tall, wide map (on a 1,000 px window the map is
    // 660 px wide and the open legend covered half of Syria).
    if (D.collapse_legend || map.getSize().y < 900 || map.getSize().x < 900) body.style.display = "none";
    return d;
  };
  legend.addTo(map);
  var lastK = null;
  ctx.onRingScale = function (k) {
    if (lastK !== null && Math.abs(k - lastK) < 1e-9) return;
    lastK = k;
    var h = geomapCasualtyLegend(ctx);
    document.querySelectorAll(".gm-cas-legend").forEach(function (e) { e.innerHTML = h; });
  };
  secAbout.insertAdjacentHTML("beforeend", "<p>" + (m.as_of ? "As of " + esc(m.as_of) + ". " : "") + fmt(m.n_incidents) + " incidents, " +
    fmt(m.n_movements) + " movements" + (m.n_unplaced ? " (" + fmt(m.n_unplaced) + " incidents without a known place, not drawn)" : "") + ".</p>" +
    (m.sources.length ? "<p>Sources: " + m.sources.map(esc).join(", ") + (m.more_sources ? " and " + m.more_sources + " more" : "") + "</p>" : "") +
    "<p class='gm-note'>Every mark comes from a sentence of a news report; click it to read the sentence. An unknown place or date is left empty, never guessed.</p>");

  // ---- layer control, its counts kept up to date ----
  function layers() {
    var ov = api.overlays, g = ctx.incidents, fl = ctx.flows.groups;
    ov["<span class='gm-sw' style='background:conic-gradient(#d62728 0 40%,#ff7f0e 0 70%,#1f77b4 0)'></span>Incidents <span class='gm-n' data-n='incidents'></span>"] = g.layer;
    if (D.incidents.rows.some(function (r) { return r[IC.harm] && !r.__toll; })) {
      ov["<span class='gm-sw' style='background:#e53935;opacity:.6'></span>Casualties, ring area = count <span class='gm-n' data-n='casualty_circles'></span>"] = g.casualties.layer;
      g.casualties.layer.addTo(map);
    }
    if (Object.keys(g.tolls.boxes).length) {
      ov["<span class='gm-sw' style='border:1.5px solid #b71c1c;background:#fff;border-radius:2px'></span>Country-wide tolls, boxed <span class='gm-n' data-n='country_tolls'></span>"] = g.tolls.layer;
      g.tolls.layer.addTo(map);
    }
    Object.keys(fl).forEach(function (k) {
      var st = D.movement_styles[k] || {label: k, color: "#333"}, nd = (m.not_drawn || {})[k] || 0;
      if (!fl[k].total && !nd) return;
      ov["<span class='gm-swl' style='border-color:" + st.color + "'></span>" + esc(st.label) + " <span class='gm-n' data-n='mov-" + esc(k) + "'></span>" +
        (nd ? " <span class='gm-notdrawn'>" + fmt(nd) + " not drawn (no end known)</span>" : "")] = fl[k].layer;
      fl[k].layer.addTo(map);
    });
    Object.keys(ctx.choro).forEach(function (k) { ov[ctx.choro[k].label] = ctx.choro[k].layer; });
    if (ctx.heat) ov["Heat map (precise locations)"] = ctx.heat;
    // Governorate names are areas (italic small capitals), not the towns of the same name.
    ov["Names of countries, <i style='font-variant:small-caps'>governorates</i> and towns"] = ctx.labels;
    // Open only where it leaves most of Syria in view (a large screen); a button otherwise.
    api.layerControl = L.control.layers({}, ov, {collapsed: D.collapse_layers || map.getSize().x < 1100 || map.getSize().y < 800 || ctx.narrow(), position: "topright"}).addTo(map);
    L.control.zoom({position: "topright"}).addTo(map);
    // Leaflet draws the bar between half and all of maxWidth; at its default 100 px a bar of
    // 50 px is narrower than its own "100 km" label, which then spills off a phone's edge.
    L.control.scale({position: "bottomright", imperial: false, maxWidth: 150}).addTo(map);
  }

  // The checkbox filters' counts follow the time window (and the other filters).
  function facetCounts(fc) {
    secFilters.querySelectorAll("input[type=checkbox][data-f]").forEach(function (c) {
      var n = (fc[c.getAttribute("data-f")] || {})[c.value] || 0, small = c.parentNode.querySelector("small");
      var text = fmt(n);
      if (small && small.textContent !== text) small.textContent = text;
      c.parentNode.classList.toggle("gm-zero", !n);
    });
  }
  function update(inc, mov, note, fc) {
    if (fc) facetCounts(fc);
    if (ext) {
      var r0 = secTime.querySelector(".gm-t0"), r1 = secTime.querySelector(".gm-t1");
      var sp = api.sliderSpan;
      if (F.t0 < sp[0] || F.t1 > sp[1]) {
        sp[0] = Math.min(sp[0], F.t0); sp[1] = Math.max(sp[1], F.t1);
        [r0, r1].forEach(function (r) { r.min = sp[0]; r.max = sp[1]; });
      }
      r0.value = F.t0; r1.value = F.t1;
      secTime.querySelector(".gm-win-label").textContent = dayLabel(F.t0) + " \u2013 " + dayLabel(F.t1);
      secTime.querySelector(".gm-win-note").textContent = "Showing " + fmt(inc.length) + " incidents and " + fmt(mov.length) + " movements. " +
        (note.outside ? plural(note.outside, "incident falls", "incidents fall") + " outside the window. " : "") +
        (note.undated ? fmt(note.undated) + " undated " + (F.undated ? "(shown)." : "(hidden).") : "");
    }
    container.querySelectorAll(".gm-n").forEach(function (e) {
      var k = e.getAttribute("data-n"), n;
      if (k.indexOf("mov-") === 0) { var g = ctx.flows.groups[k.slice(4)]; n = g ? g.shown + " of " + g.total : 0; }
      else n = fmt(api.counts[k] || 0);
      e.textContent = "(" + n + ")";
    });
    secExport.querySelector(".gm-export-n").textContent = fmt(inc.length) + " incidents, " + fmt(exporter.movements().length) + " movements";
    var chips = secFilters.querySelector(".gm-chip-row");
    chips.innerHTML = F.admin1 ? "<span class='gm-chip'>Governorate: " + esc(F.admin1) + " <button type='button' title='Remove'>\u00d7</button></span>" : "";
    if (F.admin1) chips.querySelector("button").onclick = function () { api.setFilter("admin1", ""); };
  }
  return {update: update, layers: layers, title: title, legend: legend, side: side, bar: bar};
}
