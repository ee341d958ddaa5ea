"""The map: payload, escaping, offline assets, render_dir (no browser; see test_map_browser.py)."""

from __future__ import annotations

import json
import re

import folium
import pandas as pd
import pytest

from geomap.map import build_payload, load_tables, make_map, render_dir
from geomap.mapping.payload import count_text, highlight, safe_url, script_json
from geomap.mapping.routes import bezier, screen_angle
from geomap.mapping.synthetic import synthetic_result


@pytest.fixture(scope="module")
def result():
    return synthetic_result(60, 12, seed=3)


def _payload_rows(p, table):
    cols = p[table]["cols"]
    return [dict(zip(cols, r)) for r in p[table]["rows"]]


def test_make_map_returns_folium_map_and_saves_self_contained_html(result, gaz_dir, tmp_path):
    m = make_map(result, title="Aleppo, July 2012", gazetteer_dir=gaz_dir)
    assert isinstance(m, folium.Map)
    out = tmp_path / "map.html"
    m.save(str(out))
    text = out.read_text("utf-8")
    # No external script/style/image: every src/href to the network is absent.
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']?(https?:)?//", text)
    assert "uPlot" in text and "geomapStart(map_" in text
    assert "<title>Aleppo, July 2012</title>" in text
    assert len(text) < 2_000_000


def test_online_tiles_adds_osm_only_when_asked(result, gaz_dir):
    assert '"online_tiles":false' in script_json(build_payload(result, gazetteer_dir=gaz_dir))
    assert '"online_tiles":true' in script_json(build_payload(result, online_tiles=True, gazetteer_dir=gaz_dir))


def test_payload_keeps_every_placed_incident_and_marks_imprecise(result, gaz_dir):
    p = build_payload(result, gazetteer_dir=gaz_dir)
    rows = _payload_rows(p, "incidents")
    assert len(rows) == len(result.incidents)
    S = p["strings"]
    for r, (_, src) in zip(rows, result.incidents.iterrows()):
        assert r["lat"] == pytest.approx(src["lat"], abs=1e-4)
        assert S[r["type"]] == src["event_type"]
        assert r["imprecise"] == (1 if src["geo_precision"] == "country" else 0)
    assert p["meta"]["as_of"] == max(result.incidents["date_end"].dropna())


def test_incident_without_coordinates_is_not_drawn_nor_invented():
    inc = pd.DataFrame(
        [
            {"event_type": "clash", "lat": None, "lon": None, "evidence": "x"},
            {"event_type": "clash", "lat": 36.2, "lon": 37.16, "evidence": "y"},
        ]
    )
    p = build_payload(type("R", (), {"incidents": inc, "movements": None})(), gazetteer_dir="/nonexistent")
    assert len(p["incidents"]["rows"]) == 1
    assert p["meta"]["n_unplaced"] == 1


def test_movement_with_unknown_end_is_a_stub_not_an_invented_place():
    mov = pd.DataFrame(
        [
            {
                "kind": "displacement",
                "origin_name": "Aleppo",
                "origin_lat": 36.2,
                "origin_lon": 37.16,
                "destination_name": None,
                "destination_lat": None,
                "destination_lon": None,
                "count_best": 200000,
            },
            {
                "kind": "weapons_movement",
                "origin_name": None,
                "origin_lat": None,
                "origin_lon": None,
                "destination_name": "Latakia",
                "destination_lat": 35.52,
                "destination_lon": 35.78,
            },
            {
                "kind": "troop_movement",
                "origin_name": "Idlib",
                "origin_lat": 35.93,
                "origin_lon": 36.63,
                "destination_name": "Aleppo",
                "destination_lat": 36.20,
                "destination_lon": 37.16,
                "count_best": 2000,
                "count_qualifier": "about",
                "date_start": "2012-07-25",
                "date_precision": "day",
            },
            {"kind": "troop_movement"},  # no end known at all: nothing to draw
        ]
    )
    p = build_payload(type("R", (), {"incidents": None, "movements": mov})(), gazetteer_dir="/nonexistent")
    rows = _payload_rows(p, "movements")
    S = p["strings"]
    assert [r["end"] for r in rows] == [1, 2, 0]
    stub = rows[0]
    assert stub["path"][:2] == [36.2, 37.16] and stub["arrow"] is None and S[stub["to"]] == ""
    into = rows[1]
    assert into["path"][-2:] == [35.52, 35.78] and into["arrow"][:2] == [35.52, 35.78]
    troops = rows[2]
    assert troops["path"] == [35.93, 36.63, 36.2, 37.16]
    assert S[troops["label"]] == "~2,000 troops, 25 Jul 2012"
    assert troops["w"] > stub["w"] - 10 and troops["w"] > 2


def test_flows_are_curved_and_arrows_point_along_travel():
    pts = bezier((36.2, 37.16), (33.0, 44.0))
    assert pts[0] == pytest.approx((36.2, 37.16)) and pts[-1] == pytest.approx((33.0, 44.0))
    mid = pts[len(pts) // 2]
    # Off the straight line: a curve, not a chord.
    assert abs(mid[0] - (36.2 + 33.0) / 2) + abs(mid[1] - (37.16 + 44.0) / 2) > 0.3
    assert screen_angle((35.0, 36.0), (35.0, 37.0)) == pytest.approx(0.0)  # due east
    assert screen_angle((35.0, 36.0), (36.0, 36.0)) == pytest.approx(-90.0)  # north = up on screen


def test_count_text_keeps_qualifiers():
    assert count_text(2000, 2000, 2000, "about", "troops") == "~2,000 troops"
    assert count_text(None, 133, None, "at least", "killed") == "\u2265133 killed"
    assert count_text(None, 10000, None, "more than", "refugees") == ">10,000 refugees"
    assert count_text(None, None, None, "hundreds", "fighters") == "hundreds fighters"
    assert count_text(None, None, None, None, "troops") == ""


def test_evidence_is_escaped_and_highlighted():
    ev = "At least 21 <script>alert(1)</script> died in Aleppo, not 2,100."
    h = highlight(ev, ["Aleppo", "21"])
    assert "<script>" not in h and "&lt;script&gt;" in h
    assert "<mark>Aleppo</mark>" in h and "<mark>21</mark>" in h
    assert "2,100" in h and "<mark>2,1" not in h


@pytest.mark.parametrize(
    "url,ok",
    [
        ("https://www.cnn.com/a", True),
        ("http://x.org/y?q=1", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,<b>", False),
        ("//evil.org", False),
        ('https://x.org/"onmouseover="alert(1)', False),
        ("", False),
        (None, False),
    ],
)
def test_only_http_urls_survive(url, ok):
    assert (safe_url(url) != "") is ok


def test_script_json_cannot_close_the_script_element():
    s = script_json({"t": "</script><script>alert(1)</script><!--", "u": "\u2028"})
    assert "</" not in s and "<!--" not in s and "\u2028" not in s
    assert json.loads(s) == {"t": "</script><script>alert(1)</script><!--", "u": "\u2028"}


def test_hostile_article_text_never_reaches_html_unescaped(gaz_dir, tmp_path):
    evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    inc = pd.DataFrame(
        [
            {
                "event_type": "clash",
                "lat": 36.2,
                "lon": 37.16,
                "place_text": evil,
                "location_name": evil,
                "evidence": "Clashes in " + evil,
                "outlet": evil,
                "url": "javascript:window.__pwned=3",
                "actor1": evil,
                "source_attribution": evil,
            }
        ]
    )
    m = make_map(type("R", (), {"incidents": inc, "movements": None})(), title=evil, gazetteer_dir=gaz_dir)
    out = tmp_path / "x.html"
    m.save(str(out))
    text = out.read_text("utf-8")
    assert "<img src=x" not in text and "<script>window.__pwned" not in text
    assert "javascript:window.__pwned" not in text
    assert "&lt;img src=x" in text  # the title, escaped in <title>


def test_choropleth_tallies_by_governorate(result, gaz_dir):
    p = build_payload(result, gazetteer_dir=gaz_dir)
    inc = result.incidents
    placed = inc[inc["geo_precision"] != "country"]
    aleppo = placed[placed["admin1"] == "Aleppo"]
    t = p["tallies"]["adm1:test-Aleppo"]
    assert t["incidents"] == len(aleppo)
    killed = aleppo[aleppo["count_type"] == "killed"]["count_best"].sum()
    assert t["deaths"] == pytest.approx(killed)


def test_render_dir_redraws_from_edited_csv(result, gaz_dir, tmp_path):
    inc = pd.DataFrame(result.incidents.drop(columns="geometry"))
    mov = pd.DataFrame(result.movements.drop(columns="geometry"))
    inc.loc[0, "lat"], inc.loc[0, "lon"] = 35.52, 35.78  # a user moves one point to Latakia
    inc.to_csv(tmp_path / "incidents.csv", index=False)
    mov.to_csv(tmp_path / "movements.csv", index=False)
    tables = load_tables(tmp_path)
    assert tables.incidents.crs.to_epsg() == 4326
    assert tables.incidents.geometry.iloc[0].x == pytest.approx(35.78)
    unknown = mov["origin_lat"].isna() | mov["destination_lat"].isna()
    assert tables.movements.geometry[unknown.to_numpy()].isna().all()
    out = render_dir(tmp_path, gazetteer_dir=gaz_dir)
    assert out == tmp_path / "map.html" and out.stat().st_size > 10_000
    p = build_payload(tables, gazetteer_dir=gaz_dir)
    assert _payload_rows(p, "incidents")[0]["lat"] == 35.52
    assert len(p["movements"]["rows"]) == len(mov)


def test_render_dir_keeps_the_title_the_run_recorded(result, gaz_dir, tmp_path):
    pd.DataFrame(result.incidents.drop(columns="geometry")).to_csv(tmp_path / "incidents.csv", index=False)
    assert build_payload(load_tables(tmp_path), gazetteer_dir=gaz_dir)["meta"]["title"].startswith("Syria:")
    (tmp_path / "run.json").write_text(json.dumps({"options": {"title": "Aleppo <b>July</b>"}}), "utf-8")
    out = render_dir(tmp_path, gazetteer_dir=gaz_dir)
    assert "<title>Aleppo &lt;b&gt;July&lt;/b&gt;</title>" in out.read_text("utf-8")
    # An explicit title still wins.
    assert build_payload(load_tables(tmp_path), title="Other", gazetteer_dir=gaz_dir)["meta"]["title"] == "Other"


def test_client_files_are_inlined_from_the_package(result, gaz_dir, tmp_path):
    from importlib import resources

    from geomap.mapping import client

    out = tmp_path / "map.html"
    make_map(result, gazetteer_dir=gaz_dir).save(str(out))
    text = out.read_text("utf-8")
    for name in client.JS_FILES + client.CSS_FILES:
        src = resources.files("geomap.mapping").joinpath("static", name).read_text("utf-8")
        # A distinctive line of each file is in the page verbatim.
        line = max(src.splitlines(), key=len)
        assert line in text, name
    assert text.count("geomapStart(map_") == 1


def test_client_lint():
    """ESLint (pinned in package.json; `make lint`) finds nothing in geomap/mapping/static."""
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    eslint = root / "node_modules" / ".bin" / "eslint"
    if not eslint.exists():
        pytest.skip("ESLint not installed: run `make lint` (npm ci) first")
    proc = subprocess.run([str(eslint), "geomap/mapping/static"], cwd=root, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_default_window_ignores_history_and_covers_the_dense_period():
    from geomap.mapping.window import default_window

    day = lambda s: (pd.Timestamp(s) - pd.Timestamp("1970-01-01")).days  # noqa: E731
    july = [f"2012-07-{d:02d}" for d in range(1, 29)]
    inc = pd.DataFrame(
        {"date_start": july + ["2007-09-06"], "date_end": july + ["2007-09-06"], "published": ["2012-07-31"] * 29}
    )
    # One 2007 strike recalled in a 2012 article does not stretch the window back to 2007.
    assert default_window(inc, None) == [day("2012-07-01"), day("2012-07-28")]
    # The same strike from an article with no date: judged against the dated articles' dates.
    inc.loc[28, "published"] = None
    assert default_window(inc, None) == [day("2012-07-01"), day("2012-07-28")]
    # Three years of records with a few stray early ones: the window keeps the dense 98 %.
    rng = pd.date_range("2012-01-01", "2014-12-31", periods=3000).strftime("%Y-%m-%d").tolist()
    big = pd.DataFrame({"date_start": ["2001-01-01"] * 10 + rng, "date_end": ["2001-01-01"] * 10 + rng})
    w = default_window(big, None)
    assert day("2012-01-01") <= w[0] <= day("2012-02-01") and w[1] == day("2014-12-31")
    assert default_window(pd.DataFrame({"date_start": [None]}), None) is None


def test_country_level_flows_end_at_the_border_and_undrawn_are_counted():
    from geomap.mapping.borders import BorderAnchors

    sy = {"type": "Polygon", "coordinates": [[[36, 32], [42, 32], [42, 37], [36, 37], [36, 32]]]}
    iq = {"type": "Polygon", "coordinates": [[[42, 30], [48, 30], [48, 37], [42, 37], [42, 30]]]}
    countries = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"iso_a2": "SY", "name": "Syria"}, "geometry": sy},
            {"type": "Feature", "properties": {"iso_a2": "IQ", "name": "Iraq"}, "geometry": iq},
        ],
    }
    mov = pd.DataFrame(
        [
            {
                "kind": "refugee_return",
                "origin_name": "Deir ez-Zor",
                "origin_lat": 35.33,
                "origin_lon": 40.14,
                "origin_precision": "town",
                "destination_name": "Iraq",
                "destination_lat": 33.0,
                "destination_lon": 45.0,
                "destination_precision": "country",
                "count_best": 500,
            },
            {
                "kind": "troop_movement",
                "origin_name": "Aleppo",
                "origin_lat": 36.2,
                "origin_lon": 37.16,
                "origin_precision": "town",
                "destination_name": "Idlib",
                "destination_lat": 35.93,
                "destination_lon": 36.63,
                "destination_precision": "town",
            },
            {"kind": "displacement"},  # neither end known
        ]
    )
    from geomap.mapping.payload import StringTable
    from geomap.mapping.routes import movements_payload

    p = movements_payload(mov, StringTable(), anchors=BorderAnchors(countries))
    rows = [dict(zip(p["cols"], r)) for r in p["rows"]]
    flow = rows[0]
    assert flow["border"] == 2 and flow["t"] == [33.0, 45.0]  # the true end is kept for the popup/export
    assert flow["path"][-2:] == pytest.approx([35.33, 42.0], abs=0.05)  # the nearest border point
    assert len(flow["path"]) > 4  # curved
    assert rows[1]["border"] == 0 and rows[1]["path"] == [36.2, 37.16, 35.93, 36.63]
    assert p["not_drawn"] == {"displacement": 1}
    # With the gazetteer's border crossings, the flow goes to the crossing on that border nearest
    # its Syrian end (a crossing far from the Iraqi border does not count for it).
    anchors = BorderAnchors(countries, crossings=[(34.4, 41.95), (35.3, 39.0), (33.0, 42.3)])
    p = movements_payload(mov, StringTable(), anchors=anchors)
    assert p["rows"][0][p["cols"].index("path")][-2:] == [34.4, 41.95]


def test_inferred_dates_are_flagged_from_date_basis():
    inc = pd.DataFrame(
        [
            {"event_type": "clash", "lat": 36.2, "lon": 37.16, "date_start": "2012-07-24", "date_basis": b}
            for b in ("stated", "publication", None, "context")
        ]
    )
    p = build_payload(type("R", (), {"incidents": inc, "movements": None})(), gazetteer_dir="/nonexistent")
    assert [r["dinf"] for r in _payload_rows(p, "incidents")] == [0, 1, 0, 1]


def test_town_names_come_from_the_gazetteer_more_as_one_zooms_in(tmp_path):
    from geomap.mapping.basemap import load_towns

    (tmp_path / "places.tsv").write_text(
        "id\tname\tlat\tlon\tlevel\tfeature_code\tpopulation\tcountry_code\n"
        "a\tAleppo\t36.2\t37.16\ttown\tPPLA\t2000000\tSY\n"
        "b\tAl-Bab\t36.37\t37.52\ttown\tPPL\t130000\tSY\n"
        "c\tSaraqib\t35.86\t36.8\ttown\tPPL\t30000\tSY\n"
        "d\tA village\t35.0\t37.0\ttown\tPPL\t0\tSY\n"
        "e\tGaziantep\t37.06\t37.38\ttown\tPPLA\t1000000\tTR\n"
        "f\tIdlib\t35.93\t36.63\tgovernorate\tADM1\t0\tSY\n",
        "utf-8",
    )
    assert load_towns(tmp_path) == [
        ["Aleppo", 36.2, 37.16, 7],
        ["Al-Bab", 36.37, 37.52, 8],
        ["Saraqib", 35.86, 36.8, 9],
    ]
    (tmp_path / "places.tsv").write_text("id\tname\n", "utf-8")  # a gazetteer without the columns
    assert load_towns(tmp_path) == []
    assert load_towns(tmp_path / "missing") == []


def _box(x0, y0, x1, y1):
    return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]


def test_flows_abroad_pass_the_border_and_never_cross_the_sea():
    from geomap.mapping.borders import WHY_COUNTRY, WHY_SEA, BorderAnchors
    from geomap.mapping.routes import drawn_path

    # Syria a box; Iraq east of it; Turkey north of it, with a part across a strip of sea.
    feats = [
        ("SY", {"type": "Polygon", "coordinates": _box(36, 32, 42, 37)}),
        ("IQ", {"type": "Polygon", "coordinates": _box(42, 30, 48, 37)}),
        ("TR", {"type": "MultiPolygon", "coordinates": [_box(36, 37, 44, 38.5), _box(35, 39.5, 37, 41)]}),
    ]
    countries = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"iso_a2": i, "name": i}, "geometry": g} for i, g in feats],
    }
    anchors = BorderAnchors(countries, crossings=[(37.0, 37.0), (37.0, 41.0), (34.0, 42.0)])
    aleppo, deir = (36.2, 37.16), (35.3, 40.1)
    # A Turkish town over land: through the crossing that makes the way shortest, on to the town.
    path, end, border, x = drawn_path(aleppo, (38.0, 41.5), "town", "town", False, anchors)
    assert (end, border, x.point, x.onward) == (0, 0, (37.0, 41.0), True)
    assert path[0] == aleppo and path[-1] == (38.0, 41.5) and (37.0, 41.0) in path
    # A town across the sea: the line ends at the border and says why.
    path, end, border, x = drawn_path(aleppo, (40.0, 36.0), "town", "town", False, anchors)
    assert (border, x.onward, x.why) == (2, False, WHY_SEA) and path[-1] == x.point
    # From a whole country to a Syrian town: from the crossing nearest the Syrian end.
    path, end, border, x = drawn_path((33.0, 45.0), deir, "country", "town", True, anchors)
    assert (border, x.point, x.why) == (1, (34.0, 42.0), WHY_COUNTRY) and path[0] == x.point and path[-1] == deir
    # A foreign end whose other end is unknown: a stub from the Syrian side into the crossing.
    path, end, border, x = drawn_path(None, (38.0, 41.5), "", "town", False, anchors)
    assert end == 2 and x.onward and anchors.at_home(path[0]) and path[-1] == (38.0, 41.5)
    path, end, border, x = drawn_path((33.0, 45.0), None, "country", "", False, anchors)
    assert (end, border) == (1, 1) and path[0] == (34.0, 42.0) and anchors.at_home(path[-1])
    # Both ends in Syria, or both abroad: no border in the way.
    assert drawn_path(aleppo, deir, "town", "town", False, anchors)[3] is None
    assert drawn_path((38.0, 41.5), (33.0, 45.0), "town", "country", False, anchors)[3] is None


def test_the_payload_is_the_same_in_every_process(gaz_dir):
    """String hashing differs per process: nothing in the map may follow a set's order."""
    import os
    import subprocess
    import sys

    code = (
        "import json, sys; from geomap.map import build_payload; from geomap.mapping.synthetic import synthetic_result;"
        "print(json.dumps(build_payload(synthetic_result(40, 8, seed=2), gazetteer_dir=sys.argv[1]), sort_keys=False))"
    )
    outs = [
        subprocess.run(
            [sys.executable, "-c", code, str(gaz_dir)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]
    assert outs[0] and outs[0] == outs[1]


def test_a_movement_by_sea_crosses_the_water_to_its_foreign_end():
    """The table's ``route`` = sea: one curve across the water, not a line stopped at the border
    (with the shipped gazetteer's outlines and crossings)."""
    from geomap.mapping.borders import WHY_SEA

    def mv(route):
        return {
            "movement_id": f"m-{route or 'land'}",
            "kind": "displacement",
            "origin_name": "Latakia",
            "origin_lat": 35.52,
            "origin_lon": 35.79,
            "origin_precision": "town",
            "destination_name": "Mersin",
            "destination_lat": 36.8,
            "destination_lon": 34.63,
            "destination_precision": "town",
            "route": route,
            "count_best": 800,
            "date_start": "2012-07-25",
        }

    to_turkey = {
        **mv("sea"),
        "movement_id": "m-turkey",
        "destination_name": "Turkey",
        "destination_precision": "country",
    }
    to_turkey.update(destination_lat=39.0, destination_lon=35.0)
    rows = [mv(""), mv("sea"), mv("Sea"), to_turkey]
    result = type("R", (), {"incidents": None, "movements": pd.DataFrame(rows)})()
    built = build_payload(result)
    strings, col = built["strings"], {c: i for i, c in enumerate(built["movements"]["cols"])}
    by_id = {strings[r[col["id"]]]: r for r in built["movements"]["rows"]}
    land, sea, sea2 = by_id["m-land"], by_id["m-sea"], by_id["m-Sea"]
    # Unsaid: over land only, so the line stops at the border and says why.
    assert land[col["border"]] == 2 and strings[land[col["why"]]] == WHY_SEA
    # By sea: from Latakia to Mersin, no border passed (any case of "sea").
    for row in (sea, sea2):
        path = row[col["path"]]
        assert (path[0], path[1], path[-2], path[-1]) == (35.52, 35.79, 36.8, 34.63)
        assert row[col["border"]] == 0 and row[col["via"]] is None and strings[row[col["route"]]] == "sea"
        assert len(path) > 4  # curved, like any flow across a border
    # By sea to a whole country: its centre is far inland, so the line still stops at the border.
    assert by_id["m-turkey"][col["border"]] == 2
