/* Popups of incidents, movements and aggregated flows (HTML strings; article text escaped). */
/* exported geomapPopups */
function geomapPopups(ctx) {
  "use strict";
  var s = ctx.s, esc = ctx.esc, IC = ctx.IC, MC = ctx.MC, D = ctx.D;
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
  function dateCell(label, prec, inferred) {
    var h = esc(label) + small(prec);
    if (inferred) h += ' <span class="gm-inferred">inferred</span>';
    return h;
  }
  var INFERRED = '<div class="gm-note">Date inferred by geomap (the text gives none for this event): ' +
    "it is the article's date or its context, not a reported date.</div>";

  function incident(r) {
    var t = s(r[IC.type]), st = ctx.incStyle(t), sub = s(r[IC.sub]), claim = s(r[IC.claim]);
    var h = '<div class="gm-pop"><div class="gm-pop-h" style="border-color:' + st.color + '">' + esc(st.single) +
      (sub ? " \u00b7 " + esc(sub) : "") + claimBadge(claim) + "</div><table>";
    h += row("Date", dateCell(s(r[IC.date]), s(r[IC.dprec]), r[IC.dinf]));
    h += row("Place", esc(s(r[IC.place]) || "?") + small(s(r[IC.prec]) ? s(r[IC.prec]) + " level" : "") +
      (s(r[IC.admin1]) && s(r[IC.admin1]) !== s(r[IC.place]) ? ", " + esc(s(r[IC.admin1])) : ""));
    var counts = s(r[IC.count]);
    if (counts) {
      var lbh = [r[IC.low], r[IC.best], r[IC.high]].map(function (x) { return x == null ? "\u2013" : ctx.fmt(x); });
      h += row("Count", esc(counts) + " <small>(low/best/high " + lbh.join(" / ") +
        (s(r[IC.qual]) ? "; " + esc(s(r[IC.qual])) : "") + ")</small>");
    }
    h += row("Actors", [s(r[IC.a1]), s(r[IC.a2])].filter(Boolean).map(esc).join(" vs "));
    h += row("Said by", esc(s(r[IC.attr])));
    h += row("Claim", claim ? esc(claim) : "");
    h += row("Source", sourceLink(s(r[IC.outlet]), s(r[IC.url])) + (r[IC.nsrc] ? " <small>(and " + (r[IC.nsrc] - 1) + " more reports)</small>" : ""));
    h += row("ACLED type", esc(s(r[IC.acled])));
    h += row("Confidence", r[IC.conf] == null ? "" : esc(r[IC.conf]));
    h += "</table>" + precisionNote(s(r[IC.prec])) + (r[IC.dinf] ? INFERRED : "");
    if (s(r[IC.ev])) h += "<blockquote>" + s(r[IC.ev]) + "</blockquote>";  // escaped in Python, <mark> added
    h += '<div class="gm-id">' + esc(s(r[IC.id])) + "</div>";
    return h + "</div>";
  }

  function endCell(name, prec, border) {
    if (!name) return "<i>unknown</i>";
    return esc(name) + small(prec ? prec + " level" : "") + (border ? " <small>(drawn to the border)</small>" : "");
  }
  // How the line is drawn, where the table alone cannot say: a sea route, a border, an unknown end.
  function movementNotes(r) {
    var h = "";
    if (s(r[MC.route]) === "sea" && r[MC.end] === 0 && !r[MC.via]) h += '<div class="gm-note">By sea, the report says: drawn across the water between its ends, not along the way it took.</div>';
    else if (r[MC.border]) h += '<div class="gm-note">The line ends at Syria\'s border (the nearest crossing the gazetteer knows on it, else the nearest border point), not at a place abroad: ' + esc(s(r[MC.why])) + ".</div>";
    else if (r[MC.via]) h += '<div class="gm-note">Drawn through Syria\'s border at the crossing the gazetteer knows that makes the way shortest (else the nearest border point); the report does not say where it crossed.</div>';
    else if (r[MC.imprecise]) h += '<div class="gm-note">An end is known only at country/governorate level: the line starts or ends at the area\'s centre, not at a town.</div>';
    if (r[MC.end] === 1) h += '<div class="gm-note">Destination unknown: the dashed stub only shows the start' + (r[MC.via] ? " and that it crossed into Syria" : "") + ", not a direction.</div>";
    if (r[MC.end] === 2) h += '<div class="gm-note">Origin unknown: the dashed stub only shows the arrival' + (r[MC.via] ? " from the Syrian side of the border" : "") + ", not where it came from.</div>";
    return h;
  }
  function movement(r) {
    var k = s(r[MC.kind]), st = D.movement_styles[k] || {label: k, color: "#333"}, claim = s(r[MC.claim]);
    var h = '<div class="gm-pop"><div class="gm-pop-h" style="border-color:' + st.color + '">' + esc(st.single || k) +
      claimBadge(claim) + "</div><table>";
    h += row("From", endCell(s(r[MC.from]), s(r[MC.fromprec]), r[MC.border] === 1));
    h += row("To", endCell(s(r[MC.to]), s(r[MC.toprec]), r[MC.border] === 2));
    h += row("Route", s(r[MC.route]) ? "by " + esc(s(r[MC.route])) : "");
    h += row("Who", esc(s(r[MC.actor])));
    h += row("How many", esc(s(r[MC.count])));
    h += row("Date", dateCell(s(r[MC.date]), "", r[MC.dinf]));
    h += row("Said by", esc(s(r[MC.attr])));
    h += row("Claim", claim ? esc(claim) : "");
    h += row("Source", sourceLink(s(r[MC.outlet]), s(r[MC.url])));
    h += row("Confidence", r[MC.conf] == null ? "" : esc(r[MC.conf]));
    h += "</table>";
    h += movementNotes(r);
    if (r[MC.dinf]) h += INFERRED;
    if (s(r[MC.ev])) h += "<blockquote>" + s(r[MC.ev]) + "</blockquote>";
    h += '<div class="gm-id">' + esc(s(r[MC.id])) + "</div>";
    return h + "</div>";
  }

  // Several reports of one origin-destination pair share one line: the popup lists them all.
  function flow(g) {
    if (g.rows.length === 1) return movement(g.rows[0]);
    var r0 = g.rows[0], k = s(r0[MC.kind]), st = D.movement_styles[k] || {label: k, color: "#333"};
    var h = '<div class="gm-pop"><div class="gm-pop-h" style="border-color:' + st.color + '">' + esc(st.label || k) + ": " +
      esc(s(r0[MC.from]) || "?") + " \u2192 " + esc(s(r0[MC.to]) || "?") + "</div>";
    h += "<div>" + g.rows.length + " reports" + (g.sum ? ", " + ctx.fmt(g.sum) + " in all (best estimates summed)" : "") + "</div>";
    h += "<table class='gm-flow-rows'><tr><th>Date</th><th>How many</th><th>Source</th></tr>";
    g.rows.slice(0, 30).forEach(function (r, i) {
      h += "<tr data-i='" + i + "' class='gm-flow-row'><td>" + esc(s(r[MC.date])) + (r[MC.dinf] ? " <span class='gm-inferred'>inf.</span>" : "") +
        "</td><td>" + esc(s(r[MC.count]) || "?") + "</td><td>" + esc(s(r[MC.outlet])) + "</td></tr>";
    });
    h += "</table>" + (g.rows.length > 30 ? "<div class='gm-note'>and " + (g.rows.length - 30) + " more</div>" : "");
    return h + "</div>";
  }
  // Casualty reports of one ring (a cluster) or one country box, biggest first.
  function tolls(rows) {
    rows = rows.slice().sort(function (a, b) { return (b[IC.best] || 0) - (a[IC.best] || 0); });
    var h = "<div class='gm-pop'><div class='gm-pop-h' style='border-color:#b71c1c'>" + rows.length + " casualty reports</div>" +
      "<table class='gm-flow-rows'><tr><th>Count</th><th>Place</th><th>Date</th><th>Source</th></tr>";
    rows.slice(0, 30).forEach(function (r) {
      h += "<tr><td>" + esc(s(r[IC.count])) + "</td><td>" + esc(s(r[IC.place])) + "</td><td>" + esc(s(r[IC.date])) +
        (r[IC.dinf] ? " <span class='gm-inferred'>inf.</span>" : "") + "</td><td>" + esc(s(r[IC.outlet])) + "</td></tr>";
    });
    h += "</table>" + (rows.length > 30 ? "<div class='gm-note'>and " + (rows.length - 30) + " more: zoom in or narrow the window</div>" : "");
    return h + "<div class='gm-note'>Zoom in to see each report on its own.</div></div>";
  }
  return {incident: incident, movement: movement, flow: flow, tolls: tolls};
}
