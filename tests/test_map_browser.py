"""The map in a real browser (Debian chromium via playwright): offline, no errors, layers work.

Run with ``pytest -m browser tests/test_map_browser.py``; skipped when /usr/bin/chromium is absent.
Every page refuses any request that is not ``file:`` or ``data:`` (``tests/map_pages.py``).
Layout, phone, labels and scale: ``tests/test_map_browser_layout.py``.
"""

# ruff: noqa: F811  (fixtures imported from map_pages are requested by name as arguments)
from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pandas as pd
import pytest
from map_pages import (
    BROWSER_MARKS,
    EPOCH,
    browser,  # noqa: F401  (the page fixture's browser)
    checkbox_counts,
    day,
    drawn_incidents,
    reset,
    synth,  # noqa: F401  (fixtures, requested by name)
)

pytestmark = BROWSER_MARKS


def test_loads_offline_without_errors(synth):
    _, _, pg = synth
    pg.page.wait_for_timeout(300)
    assert pg.blocked == []
    assert pg.errors == []


def test_one_clustering_across_types_holds_every_incident(synth):
    result, _, pg = synth
    reset(pg)
    assert pg.js("window.geomap.counts.incidents") == len(result.incidents)
    assert pg.js("window.geomap.visibleIncidents()") == len(result.incidents)
    assert drawn_incidents(pg) == len(result.incidents)
    # A cluster's donut has one arc per event type it holds.
    mixed = pg.js(
        "Math.max.apply(null, Array.prototype.map.call(document.querySelectorAll('.gm-cluster .gm-donut'), "
        "function (d) { return (d.style.background.match(/rgb/g) || []).length; }))"
    )
    assert mixed >= 2
    labels = pg.page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert any(lbl.strip() == f"Incidents ({len(result.incidents)})" for lbl in labels)
    inc = result.incidents
    harm = inc["count_type"].fillna("").str.contains("kill|wound|injur") & (
        pd.to_numeric(inc["count_best"], errors="coerce") > 0
    )
    n_tolls = int((harm & (inc["geo_precision"] == "country")).sum())
    assert n_tolls > 0  # the synthetic tables hold country-level tolls
    assert pg.js("window.geomap.counts.country_tolls") == n_tolls
    assert pg.js("window.geomap.counts.casualty_circles") == int(harm.sum()) - n_tolls


def test_small_tolls_have_visible_rings(synth):
    """A toll of 1 still draws a ring outside its 20-px marker."""
    _, _, pg = synth
    smallest = pg.js(
        "Math.min.apply(null, window.geomap.casualties.items.map(function (it) { return it.m.getRadius(); }))"
    )
    assert smallest > 12


def test_flows_are_aggregated_per_route(synth):
    _, payload, pg = synth
    reset(pg)
    rows = [dict(zip(payload["movements"]["cols"], r)) for r in payload["movements"]["rows"]]
    routes = {}
    for r in rows:
        routes.setdefault((r["kind"], r["end"], tuple(r["path"][:2]), tuple(r["path"][-2:])), []).append(r)
    assert len(routes) < len(rows)  # the synthetic tables repeat routes
    assert pg.page.locator("path.gm-move").count() == len(routes)
    assert pg.page.locator(".gm-arrowhead").count() == sum(1 for k in routes if k[1] != 1)
    assert pg.page.locator(".gm-unknown-end").count() == sum(1 for k in routes if k[1] != 0)
    # Width follows the summed count: the busiest route is the widest line.
    widths = pg.js(
        "window.geomap.movementGroups && Object.keys(window.geomap.movementGroups).reduce(function (a, k) {"
        " return a.concat(window.geomap.movementGroups[k].flows.map(function (f) { return [f.sum, f.rows.length]; })); }, [])"
    )
    sums = sorted(sum(x["best"] or 0 for x in v) for v in routes.values())
    assert sorted(w[0] for w in widths) == sums


def test_window_changes_counts_on_map_and_charts(synth):
    result, _, pg = synth
    reset(pg)
    inc = result.incidents
    d0 = pd.to_datetime(inc["date_start"])
    first = d0.min()
    undated = int(d0.isna().sum())
    week_end = first + pd.Timedelta(days=6)
    before = pg.js("window.geomap.charts.totals().incidents")
    assert before == len(inc) - undated  # every dated incident sits on one week's bar
    pg.page.locator(".gm-t1").fill(str(day(week_end)))  # the real input element, as a user drags it
    pg.page.locator(".gm-t0").fill(str(day(first)))
    pg.idle()
    in_week = int(((d0 >= first) & (d0 <= week_end)).sum())
    assert pg.js("window.geomap.visibleIncidents()") == in_week + undated < len(inc)
    assert pg.js("window.geomap.charts.totals().incidents") == in_week
    assert drawn_incidents(pg) == in_week + undated
    note = pg.page.locator(".gm-win-note").inner_text()
    assert f"{len(inc) - undated - in_week} incidents fall outside" in note and f"{undated} undated" in note
    # Undated records can be hidden too; the note still counts them.
    pg.page.locator(".gm-undated").uncheck()
    assert pg.js("window.geomap.visibleIncidents()") == in_week
    pg.page.locator(".gm-undated").check()
    # A redraw after a window change is fast (the 5,000-incident figure is in benchmarks/).
    assert pg.js("window.geomap.timings.apply") < 1000
    pg.page.locator(".gm-all").click()
    assert pg.js("window.geomap.visibleIncidents()") == len(inc)


def test_playback_slides_the_window(synth):
    _, _, pg = synth
    reset(pg)
    pg.js("window.geomap.setWindow(window.geomap.extent[0], window.geomap.extent[0] + 6)")
    w0 = pg.js("[window.geomap.filters.t0, window.geomap.filters.t1]")
    pg.page.locator(".gm-play").click()
    pg.page.wait_for_timeout(1400)
    pg.page.locator(".gm-play").click()  # pause
    w1 = pg.js("[window.geomap.filters.t0, window.geomap.filters.t1]")
    assert w1[0] > w0[0] and w1[1] - w1[0] == w0[1] - w0[0]


@pytest.mark.parametrize(
    "name,column,value",
    [
        ("types", "event_type", "clash"),
        ("claims", "claim_status", "disputed"),
        ("precs", "geo_precision", "country"),
    ],
)
def test_each_checkbox_filter_works(synth, name, column, value):
    result, _, pg = synth
    reset(pg)
    inc = result.incidents
    box = pg.page.locator(f"input[data-f='{name}'][value='{value}']")
    box.uncheck()
    want = int((inc[column] != value).sum())
    assert pg.js("window.geomap.visibleIncidents()") == want < len(inc)
    assert pg.js("window.geomap.charts.totals().incidents") == int(
        ((inc[column] != value) & inc["date_start"].notna()).sum()
    )
    box.check()
    assert pg.js("window.geomap.visibleIncidents()") == len(inc)


@pytest.mark.parametrize("name,value", [("actor", "Jabhat al-Nusra"), ("outlet", "Reuters")])
def test_actor_and_outlet_filters_work(synth, name, value):
    result, _, pg = synth
    reset(pg)
    inc, mov = result.incidents, result.movements
    pg.page.locator(f"select[data-f='{name}']").select_option(value)
    if name == "actor":
        want = int(((inc["actor1"] == value) | (inc["actor2"] == value)).sum())
        want_mov = int((mov["actor"] == value).sum())
    else:
        want = int((inc["outlet"] == value).sum())
        want_mov = int((mov["outlet"] == value).sum())
    assert 0 < pg.js("window.geomap.visibleIncidents()") == want < len(inc)
    assert pg.js("window.geomap.counts.movements") == want_mov
    pg.page.locator(".gm-clear").click()
    assert pg.js("window.geomap.visibleIncidents()") == len(inc)


def test_clicking_a_governorate_bar_filters_the_map(synth):
    result, _, pg = synth
    reset(pg)
    inc = result.incidents
    top, n = pg.js("window.geomap.charts.totals().govs[0]")
    assert n == int(((inc["admin1"] == top) & (inc["geo_precision"] != "country")).sum())
    pg.page.locator(f".gm-gov[data-g='{top}']").click()
    assert pg.js("window.geomap.visibleIncidents()") == int((inc["admin1"] == top).sum())
    assert top in pg.page.locator(".gm-chip").inner_text()
    pg.page.locator(".gm-chip button").click()
    assert pg.js("window.geomap.visibleIncidents()") == len(inc)


def test_clicking_a_week_bar_sets_the_window_to_that_week(synth):
    result, _, pg = synth
    reset(pg)
    chart = pg.page.locator(".gm-chart-week .u-over")
    b = chart.bounding_box()
    # The first bar starts at the left edge of the plot; click inside it.
    pg.page.mouse.click(b["x"] + 4, b["y"] + b["height"] - 3)
    t0, t1 = pg.js("[window.geomap.filters.t0, window.geomap.filters.t1]")
    assert t1 - t0 == 6
    d0 = pd.to_datetime(result.incidents["date_start"])
    days = (d0 - EPOCH).dt.days
    undated = int(d0.isna().sum())
    assert pg.js("window.geomap.visibleIncidents()") == int(((days >= t0) & (days <= t1)).sum()) + undated


def test_search_zooms_to_a_place(synth):
    _, _, pg = synth
    reset(pg)
    z0 = pg.js("window.geomap.map.getZoom()")
    pg.page.locator(".gm-search-in").fill("hom")
    pg.page.locator(".gm-search-in").press("Enter")
    c = pg.js("[window.geomap.map.getCenter().lat, window.geomap.map.getCenter().lng, window.geomap.map.getZoom()]")
    assert c[2] > z0 + 2
    homs = pg.js("window.geomap.places['Homs']")
    assert abs(c[0] - homs[0]) < 0.01 and abs(c[1] - homs[1]) < 0.01
    assert pg.js("window.geomap.search('Atlantis')") is False
    assert "No place" in pg.page.locator(".gm-search-note").inner_text()


def test_download_holds_exactly_the_filtered_records(synth):
    result, _, pg = synth
    reset(pg)
    pg.page.locator("select[data-f='outlet']").select_option("CNN")
    pg.page.locator("input[data-f='types'][value='protest']").uncheck()
    inc, mov = result.incidents, result.movements
    want_inc = set(inc.loc[(inc["outlet"] == "CNN") & (inc["event_type"] != "protest"), "incident_id"])
    drawable = mov["origin_lat"].notna() | mov["destination_lat"].notna()
    want_mov = set(mov.loc[(mov["outlet"] == "CNN") & drawable, "movement_id"])
    with pg.page.expect_download() as dl:
        pg.page.locator(".gm-dl-csv").click()
    text = Path(dl.value.path()).read_text("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["id"] for r in rows if r["record"] == "incident"} == want_inc
    assert {r["id"] for r in rows if r["record"] == "movement"} == want_mov
    assert len(rows) == len(want_inc) + len(want_mov)
    one = next(r for r in rows if r["record"] == "incident")
    src = inc.set_index("incident_id").loc[one["id"]]
    assert one["evidence"] == src["evidence"] and float(one["lat"]) == pytest.approx(src["lat"], abs=1e-4)
    with pg.page.expect_download() as dl:
        pg.page.locator(".gm-dl-geojson").click()
    gj = json.loads(Path(dl.value.path()).read_text("utf-8"))
    ids = {f["properties"]["id"] for f in gj["features"]}
    assert ids == want_inc | want_mov
    assert all(f["geometry"]["type"] == "Point" for f in gj["features"] if f["properties"]["record"] == "incident")
    reset(pg)
    assert pg.errors == []


def test_popup_shows_highlighted_evidence(synth):
    result, payload, pg = synth
    reset(pg)
    pg.js("window.geomap.openIncident(0)")
    pop = pg.page.locator(".leaflet-popup-content")
    pop.wait_for(timeout=5000)
    assert result.incidents.iloc[0]["evidence"] in pop.inner_text()
    pg.js("window.geomap.map.closePopup()")
    # A real click on a marker opens the same popup.
    pg.js("window.geomap.map.setView([36.2, 37.16], 12, {animate: false})")
    pg.idle()
    top = pg.js("""Array.prototype.findIndex.call(document.querySelectorAll('.gm-inc'), function (el) {
        var b = el.getBoundingClientRect(), hit = document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2);
        return hit && el.contains(hit); })""")
    assert top >= 0
    pg.page.locator(".gm-inc").nth(top).click()
    assert "Synthetic record" in pg.page.locator(".leaflet-popup-content").inner_text()
    assert pop.locator("mark").count() >= 1
    pg.fit()
    # A real click on an arrowhead opens the movement's (or its route's) popup.
    pg.page.locator(".gm-arrowhead path").first.click(force=True)
    assert (
        "Synthetic movement" in pg.page.locator(".leaflet-popup-content").inner_text()
        or "reports" in pg.page.locator(".leaflet-popup-content").inner_text()
    )


def test_inferred_dates_and_imprecise_places_look_so(synth):
    result, payload, pg = synth
    reset(pg)
    rows = [dict(zip(payload["incidents"]["cols"], r)) for r in payload["incidents"]["rows"]]
    i = next(k for k, r in enumerate(rows) if r["dinf"])
    pg.js(f"window.geomap.openIncident({i})")
    assert "inferred" in pg.page.locator(".leaflet-popup-content").inner_text()
    pg.js("window.geomap.map.closePopup()")
    pg.js("window.geomap.map.setView([35.0, 38.5], 13, {animate: false})")
    pg.idle()
    # Country-level records coincide on the country's centre: a hollow cluster, hollow markers when fanned out.
    assert pg.page.locator(".gm-cluster-imprecise").count() == 1
    pg.page.locator(".gm-cluster-imprecise").click()
    assert pg.page.locator(".gm-inc.gm-imprecise").count() >= 2
    pg.js("window.geomap.map.setView([36.2, 37.16], 12, {animate: false})")
    pg.idle()
    assert pg.page.locator(".gm-inc.gm-dinf").count() >= 1


def test_screenshot_is_taken(synth, tmp_path_factory):
    _, _, pg = synth
    reset(pg)
    out_dir = Path(os.environ.get("GEOMAP_SCREENSHOT_DIR", tmp_path_factory.mktemp("shots")))
    out_dir.mkdir(parents=True, exist_ok=True)
    shot = out_dir / "screenshot-map-synthetic.png"
    pg.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000


def test_choropleth_switches_on_with_its_scale(synth):
    _, payload, pg = synth
    reset(pg)
    pg.js("window.geomap.layerControl.expand()")  # folded into its button on this screen
    labels = pg.page.locator(".leaflet-control-layers-overlays label")
    deaths = labels.filter(has_text="Deaths per governorate")
    deaths.locator("input").evaluate("e => e.click()")  # as a tap on the folded control does
    legend = pg.page.locator(".gm-choro-legend")
    assert "Deaths per governorate" in legend.inner_text()
    n_filled = sum(1 for v in payload["tallies"].values() if v["deaths"] > 0)
    filled = pg.js("""(function () { var n = 0; window.geomap.choro.deaths.layer.eachLayer(function (p) {
        if (p.options.fillOpacity > 0 && p._map) n++; }); return n; })()""")
    assert filled == n_filled > 0
    deaths.locator("input").evaluate("e => e.click()")
    assert pg.page.locator(".gm-choro-legend").count() == 0
    pg.js("window.geomap.layerControl.collapse()")
    assert pg.errors == []


def test_country_tolls_are_boxed_not_circles(synth):
    """A toll known only for the whole country is listed in a box, never drawn as a huge circle."""
    result, _, pg = synth
    reset(pg)
    n = pg.js("window.geomap.counts.country_tolls")
    assert pg.page.locator(".gm-toll-box .gm-toll-row").count() == n > 0
    country_ids = set(result.incidents.loc[result.incidents["geo_precision"] == "country", "incident_id"])
    circle_ids = set(
        pg.js(
            "[].concat.apply([], window.geomap.casualties.items.map(function (it) {"
            " return it.rows.map(window.geomap.rowId); }))"
        )
    )
    assert circle_ids and not (circle_ids & country_ids)
    # The time window applies to the box too; undated tolls stay.
    tolls = result.incidents[result.incidents["incident_id"].isin(country_ids)]
    tolls = tolls[tolls["count_type"].fillna("").str.contains("kill") & (pd.to_numeric(tolls["count_best"]) > 0)]
    pg.js("window.geomap.setWindow(window.geomap.extent[0] - 9, window.geomap.extent[0] - 1)")
    assert pg.page.locator(".gm-toll-box .gm-toll-row").count() == int(tolls["date_start"].isna().sum())
    pg.page.locator(".gm-all").click()
    assert pg.page.locator(".gm-toll-box .gm-toll-row").count() == n
    pg.page.locator(".gm-toll-box .gm-toll-row").first.click()
    pop = pg.page.locator(".leaflet-popup-content")
    assert "country level" in pop.inner_text()
    assert any(i in pop.inner_text() for i in country_ids)
    pg.js("window.geomap.map.closePopup()")


def test_casualty_circle_clickable_under_choropleth(synth):
    """With a governorate choropleth on, a click on a casualty circle still opens its popup."""
    _, _, pg = synth
    reset(pg)
    pg.js("window.geomap.layerControl.expand()")
    box = pg.page.locator(".leaflet-control-layers-overlays label").filter(has_text="Incidents per governorate")
    box.locator("input").evaluate("e => e.click()")
    pg.page.wait_for_timeout(200)
    # A point inside one circle's ring, no circle drawn above it, where nothing but the canvas is hit.
    target = pg.js("""(function () {
      var g = window.geomap, m = g.map, items = g.casualties.items, cb = m.getContainer().getBoundingClientRect();
      for (var i = items.length - 1; i >= 0; i--) {
        var c = items[i].m, p = m.latLngToContainerPoint(c.getLatLng()), r = c.getRadius();
        for (var a = 0; a < 8; a++) {
          var q = [p.x + 0.85 * r * Math.cos(a * Math.PI / 4), p.y + 0.85 * r * Math.sin(a * Math.PI / 4)];
          var above = items.slice(i + 1).some(function (o) {
            var op = m.latLngToContainerPoint(o.m.getLatLng()); return Math.hypot(op.x - q[0], op.y - q[1]) <= o.m.getRadius() + 2; });
          var el = document.elementFromPoint(cb.left + q[0], cb.top + q[1]);
          if (!above && el && el.tagName === "CANVAS") return {x: cb.left + q[0], y: cb.top + q[1], id: g.rowId(c._gmRow)};
        }
      }
      return null; })()""")
    assert target is not None
    pg.page.mouse.click(target["x"], target["y"])
    pop = pg.page.locator(".leaflet-popup-content")
    pop.wait_for(timeout=3000)
    assert target["id"] and target["id"] in pop.inner_text()
    pg.js("window.geomap.map.closePopup()")
    box.locator("input").evaluate("e => e.click()")
    pg.js("window.geomap.layerControl.collapse()")


def test_brushing_the_weekly_chart_narrows_the_window(synth):
    _, _, pg = synth
    reset(pg)
    before = pg.js("[window.geomap.filters.t0, window.geomap.filters.t1]")
    b = pg.page.locator(".gm-chart-week .u-over").bounding_box()
    y = b["y"] + b["height"] / 2
    pg.page.mouse.move(b["x"] + b["width"] * 0.3, y)
    pg.page.mouse.down()
    pg.page.mouse.move(b["x"] + b["width"] * 0.5, y, steps=5)
    pg.page.mouse.up()
    after = pg.js("[window.geomap.filters.t0, window.geomap.filters.t1]")
    assert before[0] < after[0] < after[1] < before[1]
    assert pg.js("window.geomap.visibleIncidents()") < len(synth[0].incidents)
    reset(pg)


def test_hovering_a_week_says_its_counts(synth):
    result, _, pg = synth
    reset(pg)
    b = pg.page.locator(".gm-chart-week .u-over").bounding_box()
    pg.page.mouse.move(b["x"] + 4, b["y"] + b["height"] - 3)
    text = pg.page.locator(".gm-chart-read").inner_text()
    t0 = pg.js("window.geomap.filters.t0")
    assert text.startswith("Week of ") and " incident" in text
    d0 = pd.to_datetime(result.incidents["date_start"])
    days = (d0 - EPOCH).dt.days
    monday = t0 - ((t0 - 4) % 7)
    n = int(((days >= t0) & (days < monday + 7)).sum())
    assert f": {n} incident" in text
    pg.page.mouse.move(5, 5)


def test_choropleth_follows_the_filters(synth):
    result, payload, pg = synth
    reset(pg)
    assert pg.js("window.geomap.tallies") == {
        k: {"incidents": v["incidents"], "deaths": v["deaths"]} for k, v in payload["tallies"].items()
    }
    pg.page.locator("input[data-f='types'][value='clash']").uncheck()
    inc = result.incidents
    kept = inc[(inc["event_type"] != "clash") & (inc["geo_precision"] == "town") & (inc["admin1"] == "Aleppo")]
    assert pg.js("window.geomap.tallies['adm1:test-Aleppo'].incidents") == len(kept)
    pg.page.locator("input[data-f='types'][value='clash']").check()


def test_filter_counts_follow_the_time_window(synth):
    """Each checkbox's count is what it would show in the time window, the other filters applied."""
    result, _, pg = synth
    reset(pg)
    inc = result.incidents
    d0 = pd.to_datetime(inc["date_start"])
    types = inc["event_type"].str.lower()
    assert checkbox_counts(pg, "types") == types.value_counts().to_dict()  # default window: all dated + undated
    first = d0.min()
    week_end = first + pd.Timedelta(days=13)
    pg.js(f"window.geomap.setWindow({day(first)}, {day(week_end)})")
    shown = ((d0 >= first) & (d0 <= week_end)) | d0.isna()
    want = types[shown].value_counts().to_dict()
    got = {k: v for k, v in checkbox_counts(pg, "types").items() if v}
    assert got == want and sum(want.values()) < len(inc)
    # Faceted: unticking a type leaves its own count as it was and lowers no other type's count...
    t = next(iter(want))
    pg.page.locator(f"input[data-f='types'][value='{t}']").uncheck()
    assert {k: v for k, v in checkbox_counts(pg, "types").items() if v} == want
    # ...but the claim counts now leave that type out.
    claims = inc["claim_status"].fillna("").replace("", "reported")
    kept_claims = claims[shown & (types != t)].value_counts().to_dict()
    mov = result.movements
    m0 = pd.to_datetime(mov["date_start"])
    m_shown = ((m0 >= first) & (m0 <= week_end)) | m0.isna()
    for k, v in mov["claim_status"].fillna("").replace("", "reported")[m_shown].value_counts().items():
        kept_claims[k] = kept_claims.get(k, 0) + v
    got = {k: v for k, v in checkbox_counts(pg, "claims").items() if v}
    assert got == kept_claims
    reset(pg)
