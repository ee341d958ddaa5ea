"""The map in a real browser (Debian chromium via playwright): offline, no errors, layers work.

Run with ``pytest -m browser tests/test_map_browser.py``; skipped when /usr/bin/chromium is absent.
Every page refuses any request that is not ``file:`` or ``data:``.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from geomap.map import build_payload, make_map
from geomap.mapping.synthetic import synthetic_result

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
EPOCH = pd.Timestamp("1970-01-01")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium not installed at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Page:
    """A loaded map page that records JS errors and every non-local request (aborted)."""

    def __init__(self, browser, path: Path, width: int = 1280, height: int = 860):
        self.errors: list[str] = []
        self.blocked: list[str] = []
        self.page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("requestfailed", lambda r: self.blocked.append(r.url) if r.url not in self.blocked else None)
        self.page.route("**/*", self._route)
        self.page.goto(path.as_uri())
        self.idle()

    def idle(self):
        self.page.wait_for_function(
            "window.geomap && window.geomap.ready === true && window.geomap.idle()", timeout=30_000, polling=50
        )

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def js(self, expr):
        return self.page.evaluate(expr)

    def fit(self):
        self.js(
            "window.geomap.map.closePopup(); window.geomap.map.fitBounds([[32.25, 35.55], [37.4, 42.45]], {animate: false})"
        )
        self.idle()


def day(s) -> int:
    return int((pd.Timestamp(s) - EPOCH).days)


@pytest.fixture(scope="module")
def synth(browser, gaz_dir, tmp_path_factory):
    result = synthetic_result(60, 12, seed=5)
    # Second reports of three routes (new ids, other counts): the map draws one line per route.
    again = result.movements.iloc[[0, 1, 2]].copy()
    again["movement_id"] = again["movement_id"] + "-again"
    again["count_best"] = again["count_low"] = again["count_high"] = [100, 200, 300]
    result.movements = pd.concat([result.movements, again], ignore_index=True)
    out = tmp_path_factory.mktemp("map") / "map.html"
    make_map(result, title="Synthetic test map", gazetteer_dir=gaz_dir).save(str(out))
    pg = Page(browser, out)
    yield result, build_payload(result, gazetteer_dir=gaz_dir), pg
    pg.page.close()


def _reset(pg):
    """Default window, no filters (tests share one page)."""
    pg.page.locator(".gm-clear").click()
    pg.page.locator(".gm-dense").click()
    pg.fit()


def _drawn_incidents(pg) -> int:
    """Incidents drawn in view: cluster counts plus single markers."""
    return pg.js("""(function () { var n = 0; document.querySelectorAll('.gm-cluster b').forEach(function (d) {
        n += +d.textContent; }); return n + document.querySelectorAll('.gm-inc').length; })()""")


def test_loads_offline_without_errors(synth):
    _, _, pg = synth
    pg.page.wait_for_timeout(300)
    assert pg.blocked == []
    assert pg.errors == []


def test_one_clustering_across_types_holds_every_incident(synth):
    result, _, pg = synth
    _reset(pg)
    assert pg.js("window.geomap.counts.incidents") == len(result.incidents)
    assert pg.js("window.geomap.visibleIncidents()") == len(result.incidents)
    assert _drawn_incidents(pg) == len(result.incidents)
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
    _reset(pg)
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
    _reset(pg)
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
    assert _drawn_incidents(pg) == in_week + undated
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
    _reset(pg)
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
    _reset(pg)
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
    _reset(pg)
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
    _reset(pg)
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
    _reset(pg)
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
    _reset(pg)
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
    _reset(pg)
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
    _reset(pg)
    assert pg.errors == []


def test_popup_shows_highlighted_evidence(synth):
    result, payload, pg = synth
    _reset(pg)
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
    _reset(pg)
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
    _reset(pg)
    out_dir = Path(os.environ.get("GEOMAP_SCREENSHOT_DIR", tmp_path_factory.mktemp("shots")))
    out_dir.mkdir(parents=True, exist_ok=True)
    shot = out_dir / "screenshot-map-synthetic.png"
    pg.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000


def test_hostile_article_runs_nothing(browser, gaz_dir, tmp_path):
    evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    inc = pd.DataFrame(
        [
            {
                "event_type": "clash",
                "lat": 36.2,
                "lon": 37.16,
                "place_text": "Aleppo",
                "location_name": evil,
                "evidence": "Clashes in Aleppo " + evil + " </script><script>window.__pwned=4</script>",
                "outlet": evil,
                "url": "javascript:window.__pwned=3",
                "actor1": evil,
                "source_attribution": evil,
                "date_start": "2012-07-24",
                "geo_precision": "town",
            }
        ]
    )
    out = tmp_path / "evil.html"
    make_map(type("R", (), {"incidents": inc, "movements": None})(), title=evil, gazetteer_dir=gaz_dir).save(str(out))
    pg = Page(browser, out)
    pg.js("window.geomap.openIncident(0)")
    pop = pg.page.locator(".leaflet-popup-content")
    text = pop.inner_text()
    assert "<img src=x" in text  # shown as text
    assert pop.locator("a").count() == 0  # the javascript: link was dropped
    assert pop.locator("img").count() == 0
    assert pg.page.locator(".gm-title h1").inner_text().startswith("<img")
    # The filters and the search list show the hostile strings as text too.
    assert pg.page.locator(".gm-side img").count() == 0
    assert pg.js("typeof window.__pwned") == "undefined"
    assert pg.errors == [] and pg.blocked == []
    pg.page.close()


@pytest.mark.slow
def test_seeds_map_reads_right(browser, tmp_path):
    """The reference articles, end to end: arrows, a disputed claim, hollow country-level marks."""
    import geomap

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    assert seeds.is_dir(), "seeds/ ships with geomap"
    # A broken extraction fails this test: it is never skipped away.
    result = geomap.extract(geomap.read_articles(str(seeds)))
    assert len(result.incidents) > 0 and len(result.movements) > 0
    out = tmp_path / "map.html"
    make_map(result, title="Seeds").save(str(out))
    assert out.stat().st_size <= 2_000_000
    pg = Page(browser, out)
    assert pg.errors == [] and pg.blocked == []
    placed = result.incidents.dropna(subset=["lat", "lon"]).reset_index(drop=True)
    pg.page.locator(".gm-all").click()
    assert pg.js("window.geomap.visibleIncidents()") == len(placed)
    kinds = set(result.movements["kind"])
    assert pg.page.locator("path.gm-move").count() >= 1
    if "troop_movement" in kinds:
        assert pg.page.locator(".gm-arrowhead-troop_movement").count() >= 1
    if (placed["geo_precision"] == "country").any():
        pg.js("window.geomap.map.setView([35.0, 38.5], 11)")
        pg.idle()
        pg.page.wait_for_timeout(300)
        assert pg.page.locator(".gm-inc.gm-imprecise, .gm-cluster-imprecise").count() >= 1
    disputed = placed[placed["claim_status"] == "disputed"]
    if len(disputed):
        pg.js(f"window.geomap.openIncident({int(disputed.index[0])})")
        pop = pg.page.locator(".leaflet-popup-content")
        assert "DISPUTED" in pop.inner_text()
        assert disputed.iloc[0]["evidence"][:40] in pop.inner_text()
    pg.page.close()


def test_choropleth_switches_on_with_its_scale(synth):
    _, payload, pg = synth
    _reset(pg)
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


def test_cluster_click_zooms_in_then_markers_show(browser, gaz_dir, tmp_path):
    result = synthetic_result(80, 6, seed=9)
    out = tmp_path / "grid.html"
    make_map(result, gazetteer_dir=gaz_dir).save(str(out))
    pg = Page(browser, out)
    pg.page.locator(".gm-all").click()
    assert pg.js("window.geomap.visibleIncidents()") == len(result.incidents)
    assert pg.page.locator(".gm-cluster").count() >= 1
    assert _drawn_incidents(pg) == len(result.incidents)
    z0 = pg.js("window.geomap.map.getZoom()")
    pg.page.locator(".gm-cluster:not(.gm-cluster-imprecise)").first.click()
    pg.page.wait_for_timeout(600)
    assert pg.js("window.geomap.map.getZoom()") > z0
    pg.js("window.geomap.openIncident(0)")
    assert result.incidents.iloc[0]["evidence"] in pg.page.locator(".leaflet-popup-content").inner_text()
    pg.js("window.geomap.map.closePopup()")
    pg.page.wait_for_timeout(300)
    assert pg.page.locator(".gm-inc").count() >= 1  # zoomed in: single markers
    assert pg.errors == [] and pg.blocked == []
    pg.page.close()


def test_country_tolls_are_boxed_not_circles(synth):
    """A toll known only for the whole country is listed in a box, never drawn as a huge circle."""
    result, _, pg = synth
    _reset(pg)
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
    _reset(pg)
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


def test_movement_and_area_labels_do_not_overlap(synth):
    _, _, pg = synth
    _reset(pg)
    pg.js("window.geomap.declutter()")
    overlaps = pg.js("""(function () {
      var els = Array.prototype.filter.call(document.querySelectorAll('.gm-move-label, .gm-label span'), function (e) {
        return !e.classList.contains('gm-hidden') && !(e.parentNode.classList && e.parentNode.classList.contains('gm-hidden')); });
      var bs = els.map(function (e) { return e.getBoundingClientRect(); }), n = 0;
      for (var i = 0; i < bs.length; i++) for (var j = i + 1; j < bs.length; j++) {
        var a = bs[i], b = bs[j];
        if (a.width && b.width && a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top) n++;
      }
      return [n, els.length]; })()""")
    assert overlaps[1] > 5
    assert overlaps[0] == 0


def test_coinciding_points_spiderfy(browser, gaz_dir, tmp_path):
    """Incidents at one exact place fan out on click instead of stacking."""
    result = synthetic_result(120, 0, seed=3, jitter=0.0)
    inc = result.incidents[(result.incidents["geo_precision"] == "town")]
    result.incidents = inc
    place = inc["location_name"].value_counts().index[0]
    n_here = int((inc["location_name"] == place).sum())
    assert n_here >= 2
    out = tmp_path / "spider.html"
    make_map(result, gazetteer_dir=gaz_dir).save(str(out))
    pg = Page(browser, out)
    pg.page.locator(".gm-all").click()
    lat, lon = inc.loc[inc["location_name"] == place, ["lat", "lon"]].iloc[0]
    pg.js(f"window.geomap.map.setView([{lat}, {lon}], 14, {{animate: false}})")
    pg.page.wait_for_timeout(300)
    cluster = pg.page.locator(".gm-cluster").filter(has_text=str(n_here))
    assert pg.js("window.geomap.cluster.spiderfied") == 0
    before = pg.page.locator(".gm-inc").count()
    cluster.first.click()
    pg.page.wait_for_timeout(200)
    assert pg.js("window.geomap.cluster.spiderfied") == n_here
    assert pg.page.locator(".gm-inc").count() == before + n_here
    pos = pg.js("""Array.prototype.map.call(document.querySelectorAll('.gm-inc'), function (e) {
        var b = e.getBoundingClientRect(); return [Math.round(b.x), Math.round(b.y)]; })""")
    assert len({tuple(p) for p in pos}) == len(pos)
    pg.page.locator(".gm-inc").first.click(force=True)
    assert "Synthetic record" in pg.page.locator(".leaflet-popup-content").inner_text()
    assert pg.errors == [] and pg.blocked == []
    pg.page.close()


def _overlaps(pg, selector):
    return pg.js(
        """(function (sel) {
      var els = Array.prototype.filter.call(document.querySelectorAll(sel), function (e) {
        var b = e.getBoundingClientRect(); return e.offsetParent !== null && b.width > 0 && b.height > 0; });
      var out = [];
      for (var i = 0; i < els.length; i++) for (var j = i + 1; j < els.length; j++) {
        if (els[i].contains(els[j]) || els[j].contains(els[i])) continue;
        var a = els[i].getBoundingClientRect(), b = els[j].getBoundingClientRect();
        if (a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top) out.push([els[i].className, els[j].className]);
      }
      return [out, els.length]; })("""
        + json.dumps(selector)
        + ")"
    )


def test_phone_layout_nothing_overlaps(browser, gaz_dir, tmp_path):
    """On a 390x844 phone the panels fold into buttons; no control covers another or a popup."""
    result = synthetic_result(60, 12, seed=5)
    out = tmp_path / "phone.html"
    make_map(result, title="A long title for a small phone screen, July 2012", gazetteer_dir=gaz_dir).save(str(out))
    pg = Page(browser, out, width=390, height=844)
    controls = ".leaflet-control, .gm-bar"
    found, n = _overlaps(pg, controls)
    assert n >= 5 and found == []
    assert pg.page.locator(".gm-side").is_hidden()  # folded
    assert pg.page.locator(".gm-legend").is_hidden()
    # Each section opens from its button and closes again.
    for name in ("time", "charts", "filters", "legend", "about"):
        pg.page.locator(f".gm-bar-{name}").click()
        assert pg.page.locator(f".gm-sec-{name}").is_visible()
        found, _ = _overlaps(pg, ".leaflet-control, .gm-bar, .gm-side")
        assert found == []
    pg.page.locator(".gm-sheet-close").click()
    assert pg.page.locator(".gm-side").is_hidden()
    # A popup opens clear of every control.
    pg.js("window.geomap.openIncident(3)")
    pg.page.wait_for_timeout(400)
    found, _ = _overlaps(pg, ".leaflet-control, .gm-bar, .leaflet-popup-content-wrapper")
    assert found == []
    assert pg.errors == [] and pg.blocked == []
    pg.page.close()


def _contrast(fg, bg):
    def lum(c):
        def ch(v):
            v = v / 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        r, g, b = (ch(x) for x in c)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    a, b = sorted((lum(fg), lum(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_text_contrast_meets_wcag_aa(synth):
    """Map labels on the lightest and darkest land fills, and the panels' small text, reach 4.5:1."""
    _, _, pg = synth
    colours = pg.js("""(function () {
      function rgb(el) { return getComputedStyle(el).color.match(/\\d+/g).slice(0, 3).map(Number); }
      var out = {}, probe = document.createElement("div");
      // The label classes as the map uses them (this test map has no country outlines).
      probe.innerHTML = "<div class='gm-label gm-label-gov'><span>g</span></div><div class='gm-label gm-label-country'><span>c</span></div>";
      window.geomap.map.getContainer().appendChild(probe);
      [".gm-label-gov span", ".gm-label-country span", ".gm-side .gm-note", ".gm-title .gm-sub", ".gm-f small"].forEach(function (sel) {
        var el = document.querySelector(sel); if (el) out[sel] = rgb(el); });
      probe.remove();
      return out; })()""")
    assert len(colours) == 5
    land = [(0xFB, 0xFA, 0xF5), (0xEF, 0xED, 0xE6)]  # Syria's fill, the neighbours' fill
    for sel in (".gm-label-gov span", ".gm-label-country span"):
        assert min(_contrast(colours[sel], bg) for bg in land) >= 4.5, sel
    for sel in (".gm-side .gm-note", ".gm-title .gm-sub", ".gm-f small"):
        assert _contrast(colours[sel], (255, 255, 255)) >= 4.5, sel


def test_brushing_the_weekly_chart_narrows_the_window(synth):
    _, _, pg = synth
    _reset(pg)
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
    _reset(pg)


def test_more_town_names_as_one_zooms_in(browser, gaz_dir, tmp_path):
    import shutil

    gz = tmp_path / "gaz"
    shutil.copytree(gaz_dir, gz)
    (gz / "places.tsv").write_text(
        "id\tname\tlat\tlon\tlevel\tfeature_code\tpopulation\tcountry_code\n"
        "a\tAleppo\t36.2\t37.16\ttown\tPPLA\t2000000\tSY\n"
        "b\tAl-Bab\t36.37\t37.52\ttown\tPPL\t130000\tSY\n"
        "c\tSaraqib\t35.86\t36.8\ttown\tPPL\t30000\tSY\n",
        "utf-8",
    )
    out = tmp_path / "towns.html"
    make_map(synthetic_result(5, 0, seed=1), gazetteer_dir=gz).save(str(out))
    pg = Page(browser, out)
    names = "Array.prototype.map.call(document.querySelectorAll('.gm-label-town span'), function (e) { return e.textContent; })"
    pg.js("window.geomap.map.setView([36.1, 37.1], 7, {animate: false})")
    pg.idle()
    assert pg.js(names) == ["Aleppo"]
    pg.js("window.geomap.map.setView([36.1, 37.1], 9, {animate: false})")
    pg.idle()
    assert sorted(pg.js(names)) == ["Al-Bab", "Aleppo", "Saraqib"]
    assert pg.errors == [] and pg.blocked == []
    pg.page.close()


def test_popup_near_the_top_is_not_hidden_by_the_title_or_controls(synth):
    """A popup opened on a northern mark pans clear of the title panel and the map's controls."""
    result, payload, pg = synth
    _reset(pg)
    lats = [r[payload["incidents"]["cols"].index("lat")] for r in payload["incidents"]["rows"]]
    north = max(range(len(lats)), key=lambda i: lats[i])
    lat, lon = lats[north], payload["incidents"]["rows"][north][payload["incidents"]["cols"].index("lon")]
    # The mark just under the title panel's lower edge: its popup would open over the panel.
    y = pg.js(f"""(function () {{ var m = window.geomap.map, t = document.querySelector('.gm-title').getBoundingClientRect();
        m.setView([{lat}, {lon}], 7, {{animate: false}});
        var p = m.latLngToContainerPoint([{lat}, {lon}]);
        m.panBy([0, p.y - (t.bottom + 30)], {{animate: false}});
        return m.latLngToContainerPoint([{lat}, {lon}]).y; }})()""")
    assert y < pg.js("document.querySelector('.gm-title').getBoundingClientRect().bottom + 40")
    pg.js(f"window.geomap.openIncident({north}, true)")
    pg.page.wait_for_timeout(600)
    found, _ = _overlaps(pg, ".gm-title, .leaflet-control, .leaflet-popup-content-wrapper")
    assert found == []
    pg.js("window.geomap.map.closePopup()")


def test_hovering_a_week_says_its_counts(synth):
    result, _, pg = synth
    _reset(pg)
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


def test_history_sets_neither_the_window_nor_the_sliders(browser, gaz_dir, tmp_path):
    """One 2007 strike recalled in July 2012 reporting: the map opens on July 2012, the sliders
    span July 2012 (with a margin), and the window note counts the strike; All dates reaches it."""
    result = synthetic_result(40, 0, seed=2, start="2012-07-01", days=28, undated_share=0.0)
    inc = result.incidents
    old = inc.iloc[[0]].copy()
    old["incident_id"], old["date_start"], old["date_end"], old["published"] = (
        "old",
        "2007-09-06",
        "2007-09-06",
        "2012-07-20",
    )
    result.incidents = pd.concat([inc, old], ignore_index=True)
    out = tmp_path / "history.html"
    make_map(result, gazetteer_dir=gaz_dir).save(str(out))
    pg = Page(browser, out)
    t0, t1 = pg.js("[window.geomap.filters.t0, window.geomap.filters.t1]")
    assert t0 == int((pd.to_datetime(inc["date_start"]).min() - EPOCH).days)
    assert pg.js("window.geomap.visibleIncidents()") == len(inc)
    assert "1 incident falls outside the window" in pg.page.locator(".gm-win-note").inner_text()
    lo = int(pg.page.locator(".gm-t0").get_attribute("min"))
    assert t0 - lo < 30  # July 2012 fills the sliders, 2007 does not
    pg.page.locator(".gm-all").click()
    assert pg.js("window.geomap.visibleIncidents()") == len(inc) + 1
    assert int(pg.page.locator(".gm-t0").get_attribute("min")) == day("2007-09-06")
    assert pg.errors == []
    pg.page.close()


def test_choropleth_follows_the_filters(synth):
    result, payload, pg = synth
    _reset(pg)
    assert pg.js("window.geomap.tallies") == {
        k: {"incidents": v["incidents"], "deaths": v["deaths"]} for k, v in payload["tallies"].items()
    }
    pg.page.locator("input[data-f='types'][value='clash']").uncheck()
    inc = result.incidents
    kept = inc[(inc["event_type"] != "clash") & (inc["geo_precision"] == "town") & (inc["admin1"] == "Aleppo")]
    assert pg.js("window.geomap.tallies['adm1:test-Aleppo'].incidents") == len(kept)
    pg.page.locator("input[data-f='types'][value='clash']").check()


def test_hundreds_of_routes_are_painted_once_and_stay_clickable(browser, gaz_dir, tmp_path):
    """Above 100 routes the flows are one canvas layer per kind: drawn, clickable, redrawn per window."""
    result = synthetic_result(40, 400, seed=11, days=60, jitter=0.25)
    out = tmp_path / "many.html"
    make_map(result, title="Many routes", gazetteer_dir=gaz_dir).save(str(out))
    pg = Page(browser, out)
    try:
        assert not pg.errors
        n = pg.js("window.geomap.counts.flows")
        assert n > 100
        assert pg.page.locator("path.gm-move").count() == 0  # no SVG route at this scale
        painted = pg.js(
            "Object.keys(geomap.movementGroups).reduce(function (a, k) { return a + geomap.movementGroups[k].set.items.length; }, 0)"
        )
        assert painted == n
        # A click on the middle of a route opens its popup (a point no marker or ring covers).
        hit = pg.js("""(function () {
          var g = window.geomap, m = g.map, cb = m.getContainer().getBoundingClientRect();
          var ks = Object.keys(g.movementGroups);
          for (var i = 0; i < ks.length; i++) {
            var its = g.movementGroups[ks[i]].set.items;
            for (var j = its.length - 1; j >= 0; j--) {
              var ll = its[j].pts[Math.floor(its[j].pts.length / 2)], sc = Math.pow(2, m.getZoom()), o = m.getPixelOrigin();
              var lp = L.point(ll[0] * sc - o.x, ll[1] * sc - o.y), cp = m.layerPointToContainerPoint(lp);
              var el = document.elementFromPoint(cb.left + cp.x, cb.top + cp.y);
              if (el && el.tagName === "CANVAS" && cp.x > 0 && cp.y > 0 && cp.x < cb.width && cp.y < cb.height
                  && !g.casualties.items.some(function (c) {
                    var q = m.latLngToContainerPoint(c.m.getLatLng()); return q.distanceTo(cp) <= c.m.getRadius() + 4; }))
                return {x: cb.left + cp.x, y: cb.top + cp.y, n: its[j].f.rows.length};
            }
          }
          return null; })()""")
        assert hit is not None
        pg.page.mouse.click(hit["x"], hit["y"])
        pop = pg.page.locator(".leaflet-popup-content")
        pop.wait_for(timeout=3000)
        # One report: its own popup (From, To); several: the route's list of reports.
        assert (f"{hit['n']} reports" if hit["n"] > 1 else "From") in pop.inner_text()
        pg.js("window.geomap.map.closePopup()")
        # A narrower window paints fewer routes.
        a, b = pg.js("window.geomap.extent")
        pg.js(f"window.geomap.setWindow({a}, {a + (b - a) // 4})")
        fewer = pg.js("window.geomap.counts.flows")
        assert 0 < fewer < n
        assert not pg.errors
    finally:
        pg.page.close()


def _checkbox_counts(pg, name) -> dict:
    return pg.js(f"""(function () {{ var o = {{}};
      document.querySelectorAll("input[type=checkbox][data-f='{name}']").forEach(function (c) {{
        o[c.value] = +c.parentNode.querySelector('small').textContent.replace(/,/g, ''); }});
      return o; }})()""")


def test_filter_counts_follow_the_time_window(synth):
    """Each checkbox's count is what it would show in the time window, the other filters applied."""
    result, _, pg = synth
    _reset(pg)
    inc = result.incidents
    d0 = pd.to_datetime(inc["date_start"])
    types = inc["event_type"].str.lower()
    assert _checkbox_counts(pg, "types") == types.value_counts().to_dict()  # default window: all dated + undated
    first = d0.min()
    week_end = first + pd.Timedelta(days=13)
    pg.js(f"window.geomap.setWindow({day(first)}, {day(week_end)})")
    shown = ((d0 >= first) & (d0 <= week_end)) | d0.isna()
    want = types[shown].value_counts().to_dict()
    got = {k: v for k, v in _checkbox_counts(pg, "types").items() if v}
    assert got == want and sum(want.values()) < len(inc)
    # Faceted: unticking a type leaves its own count as it was and lowers no other type's count...
    t = next(iter(want))
    pg.page.locator(f"input[data-f='types'][value='{t}']").uncheck()
    assert {k: v for k, v in _checkbox_counts(pg, "types").items() if v} == want
    # ...but the claim counts now leave that type out.
    claims = inc["claim_status"].fillna("").replace("", "reported")
    kept_claims = claims[shown & (types != t)].value_counts().to_dict()
    mov = result.movements
    m0 = pd.to_datetime(mov["date_start"])
    m_shown = ((m0 >= first) & (m0 <= week_end)) | m0.isna()
    for k, v in mov["claim_status"].fillna("").replace("", "reported")[m_shown].value_counts().items():
        kept_claims[k] = kept_claims.get(k, 0) + v
    got = {k: v for k, v in _checkbox_counts(pg, "claims").items() if v}
    assert got == kept_claims
    _reset(pg)


def _frames_syria(pg) -> bool:
    """True when the map's view holds Syria's frame (SYRIA_BOUNDS, a little slack for rounding)."""
    return pg.js("""(function () { var b = window.geomap.map.getBounds();
      return b.getWest() <= 35.6 && b.getEast() >= 42.4 && b.getSouth() <= 32.3 && b.getNorth() >= 37.35; })()""")


def test_syria_is_framed_again_when_the_page_resizes_until_the_user_moves(browser, gaz_dir, tmp_path):
    """A viewport set after the script ran (a phone, a screenshot tool) still shows all of Syria."""
    result = synthetic_result(60, 12, seed=5)
    out = tmp_path / "resize.html"
    make_map(result, title="Resize", gazetteer_dir=gaz_dir).save(str(out))
    pg = Page(browser, out, width=1280, height=860)
    assert _frames_syria(pg)
    pg.page.set_viewport_size({"width": 390, "height": 844})
    pg.page.wait_for_timeout(300)
    assert _frames_syria(pg) and not pg.js("window.geomap.userMoved()")
    # Country-wide toll boxes stay on the map at phone width.
    over = pg.js("""(function () { var W = window.geomap.map.getContainer().getBoundingClientRect();
      return Array.prototype.filter.call(document.querySelectorAll('.gm-toll-box'), function (e) {
        var b = e.getBoundingClientRect(); return b.width && getComputedStyle(e).visibility !== "hidden" &&
          (b.right > W.right + 1 || b.left < W.left - 1); }).length; })()""")
    assert over == 0
    # Once the user has dragged the map, a resize leaves the view alone.
    pg.page.mouse.move(200, 400)
    pg.page.mouse.down()
    pg.page.mouse.move(320, 300, steps=5)
    pg.page.mouse.up()
    pg.page.wait_for_timeout(800)  # the drag's inertia settles
    assert pg.js("window.geomap.userMoved()")
    centre = pg.js("window.geomap.map.getCenter()")
    pg.page.set_viewport_size({"width": 1280, "height": 860})
    pg.page.wait_for_timeout(300)
    assert pg.js("window.geomap.map.getCenter()") == pytest.approx(centre, abs=0.5)
    assert pg.errors == [] and pg.blocked == []
    pg.page.close()
