"""Writers: atomic replacement, path safety, deterministic bytes, round trips."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geomap.errors import GeomapError
from geomap.tables import build_tables
from geomap.write import atomic_path, jsonable, safe_output_path, write_map, write_run, write_table, write_tables


def _records():
    inc = [
        {
            "doc_id": "b",
            "event_type": "bombardment",
            "sub_type": "shelling",
            "date_start": dt.date(2012, 7, 24),
            "date_precision": "day",
            "place_text": "Aleppo",
            "location_name": "Aleppo",
            "gazetteer_id": "gn:170063",
            "lat": 36.20124,
            "lon": 37.16117,
            "geo_precision": "town",
            "admin1": "Aleppo",
            "country_code": "SY",
            "count_type": "killed",
            "count_best": 21,
            "count_qualifier": None,
            "claim_status": "reported",
            "evidence": "Shelling killed 21 in Aleppo, activists said.",
            "char_start": 10,
            "char_end": 56,
            "confidence": 0.8,
            "outlet": "CNN",
            "published": dt.date(2012, 7, 25),
        },
        {
            "doc_id": "a",
            "event_type": "protest",
            "date_start": None,
            "date_precision": "unknown",
            "place_text": "the country's largest city",
            "evidence": "Crowds protested in the country's largest city.",
            "char_start": 0,
            "char_end": 47,
            "confidence": 0.4,
            "outlet": 'AP, "quoted"\nnewline',
        },
    ]
    mov = [
        {
            "doc_id": "a",
            "kind": "troop_movement",
            "actor": "government forces",
            "origin_name": "Idlib",
            "origin_id": "gn:169389",
            "origin_lat": 35.93,
            "origin_lon": 36.63,
            "destination_name": "Aleppo",
            "destination_id": "gn:170063",
            "destination_lat": 36.20124,
            "destination_lon": 37.16117,
            "count_best": 2000,
            "count_qualifier": "about",
            "evidence": "About 2,000 troops moved.",
            "char_start": 5,
            "char_end": 30,
        },
        {
            "doc_id": "a",
            "kind": "displacement",
            "origin_name": "Aleppo",
            "origin_id": "gn:170063",
            "origin_lat": 36.20124,
            "origin_lon": 37.16117,
            "count_best": 200000,
            "evidence": "200,000 fled.",
            "char_start": 40,
            "char_end": 53,
        },
    ]
    men = [
        {
            "doc_id": "a",
            "char_start": 3,
            "char_end": 9,
            "text": "Aleppo",
            "sentence": "x",
            "gazetteer_id": "gn:170063",
            "name": "Aleppo",
            "lat": 36.2,
            "lon": 37.16,
            "level": "town",
            "country_code": "SY",
            "admin1": "Aleppo",
            "confidence": 0.9,
        },
        {"doc_id": "a", "char_start": 20, "char_end": 26, "text": "Qusayr", "sentence": "x", "confidence": 0.1},
    ]
    return [{"incidents": inc, "movements": mov, "mentions": men}]


@pytest.fixture()
def result():
    return build_tables(_records())


def test_tables_written_and_read_back(result, tmp_path):
    written = write_tables(result, tmp_path)
    assert sorted(written) == sorted(
        [f"{n}.{f}" for n in ("incidents", "movements") for f in ("csv", "geojson", "parquet")]
        + ["mentions.csv", "sentences.csv"]
    )
    inc = gpd.read_parquet(tmp_path / "incidents.parquet")
    assert inc.crs.to_epsg() == 4326 and len(inc) == 2
    assert inc.geometry.iloc[0] is not None or inc.geometry.iloc[1] is not None
    gj = gpd.read_file(tmp_path / "incidents.geojson")
    assert gj.crs.to_epsg() == 4326 and len(gj) == 2
    mov = gpd.read_file(tmp_path / "movements.geojson")
    kinds = dict(zip(mov["kind"], mov.geometry))
    assert kinds["troop_movement"].geom_type == "LineString"
    assert list(kinds["troop_movement"].coords) == [(36.63, 35.93), (37.16117, 36.20124)]
    # An unknown destination stays empty: no invented line end.
    assert kinds["displacement"] is None
    csv = pd.read_csv(tmp_path / "incidents.csv", dtype=str, keep_default_na=False)
    row = csv.set_index("doc_id").loc["b"]
    assert row["date_start"] == "2012-07-24" and row["published"] == "2012-07-25" and row["count_best"] == "21"
    assert csv.set_index("doc_id").loc["a", "date_start"] == ""
    assert csv.set_index("doc_id").loc["a", "outlet"] == 'AP, "quoted"\nnewline'
    men = pd.read_csv(tmp_path / "mentions.csv")
    assert men["lat"].isna().tolist() == [False, True]


def test_same_input_gives_identical_bytes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_tables(build_tables(_records()), a)
    recs = _records()
    recs[0]["incidents"].reverse()
    recs[0]["movements"].reverse()
    write_tables(build_tables(recs), b)
    for f in sorted(os.listdir(a)):
        assert (a / f).read_bytes() == (b / f).read_bytes(), f


def test_geojson_has_no_nan_or_nat(result, tmp_path):
    write_tables(result, tmp_path, formats=("geojson",))
    raw = (tmp_path / "incidents.geojson").read_text()
    assert "NaN" not in raw and "NaT" not in raw
    doc = json.loads(raw)
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 2


def test_unsafe_names_are_refused(tmp_path):
    for bad in ("../x.csv", "/etc/passwd", "a/b.csv", "..", "", "x\x00.csv"):
        with pytest.raises(GeomapError):
            safe_output_path(tmp_path, bad)
    outside = tmp_path.parent / f"{tmp_path.name}-outside.csv"
    (tmp_path / "link.csv").symlink_to(outside)
    with pytest.raises(GeomapError, match="outside"):
        safe_output_path(tmp_path, "link.csv")
    with pytest.raises(GeomapError):
        write_table(pd.DataFrame({"a": [1]}), tmp_path, "../escape", "csv")
    assert not outside.exists() and not (tmp_path.parent / "escape.csv").exists()


def test_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "incidents.csv"
    target.write_text("old\n")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("disk full")
    assert target.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["incidents.csv"]

    class Broken:
        def to_parquet(self, path, index=False):
            Path(path).write_bytes(b"PAR1 partial")
            raise OSError("no space left")

    with pytest.raises(OSError):
        write_table(Broken(), tmp_path, "incidents", "parquet")
    assert sorted(os.listdir(tmp_path)) == ["incidents.csv"]


def test_written_files_are_readable_by_others(result, tmp_path):
    old = os.umask(0o022)
    try:
        write_tables(result, tmp_path, formats=("csv", "parquet"))
    finally:
        os.umask(old)
    # Temp files are created 0600; the final outputs follow the umask like any file.
    for name in ("incidents.csv", "incidents.parquet"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o644


def test_run_json_serialises_dates_paths_and_numpy(tmp_path):
    import numpy as np

    run = {
        "date": dt.date(2012, 7, 30),
        "path": Path("/x"),
        "n": np.int64(3),
        "f": np.float64("nan"),
        "ts": pd.Timestamp("2012-07-30"),
        "nat": pd.NaT,
        "nested": [{"na": pd.NA}],
    }
    out = write_run(run, tmp_path)
    assert json.loads(out.read_text()) == {
        "date": "2012-07-30",
        "path": "/x",
        "n": 3,
        "f": None,
        "ts": "2012-07-30",
        "nat": None,
        "nested": [{"na": None}],
    }
    assert jsonable(float("inf")) is None


def test_map_html_written_atomically(result, tmp_path):
    from geomap.map import make_map

    out = write_map(make_map(result), tmp_path)
    assert out == (tmp_path / "map.html").resolve()
    html = out.read_text()
    assert html.lstrip().lower().startswith("<!doctype html") and "Aleppo" in html
    assert os.listdir(tmp_path) == ["map.html"]


def test_map_html_is_byte_identical_across_runs(tmp_path):
    from geomap.map import make_map

    a, b = tmp_path / "a", tmp_path / "b"
    write_map(make_map(build_tables(_records()), title="Aleppo"), a)
    write_map(make_map(build_tables(_records()), title="Aleppo"), b)
    html = (a / "map.html").read_bytes()
    # folium's default ids are uuid4: without stable ids the two files would differ.
    assert html == (b / "map.html").read_bytes()
    assert b"map_" in html
    # Different data gives a different map (ids included), not a cached one.
    c = tmp_path / "c"
    write_map(make_map(build_tables(_records()), title="Homs"), c)
    assert (c / "map.html").read_bytes() != html


def test_render_dir_replaces_map_atomically(tmp_path):
    from geomap.map import make_map, render_dir

    result = build_tables(_records())
    write_tables(result, tmp_path, formats=("csv",))
    write_map(make_map(result), tmp_path)
    before = (tmp_path / "map.html").read_bytes()
    out = render_dir(tmp_path)
    assert out == (tmp_path / "map.html").resolve()
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp") or p.startswith(".map.html")]
    assert "Aleppo" in out.read_text("utf-8") and before[:15] == out.read_bytes()[:15]
    # A symlinked map.html pointing outside the folder is refused, not followed.
    outside = tmp_path.parent / f"{tmp_path.name}-outside.html"
    outside.write_text("keep", "utf-8")
    (tmp_path / "map.html").unlink()
    (tmp_path / "map.html").symlink_to(outside)
    with pytest.raises(GeomapError):
        render_dir(tmp_path)
    assert outside.read_text("utf-8") == "keep"


# --------------------------------------------------------------------------- issue 12


# The stage order of every import is checked by tests/test_architecture.py.


def test_write_map_takes_a_drawn_map_only(tmp_path):
    with pytest.raises(GeomapError, match="make_map"):
        write_map(build_tables(_records()), tmp_path)
    assert os.listdir(tmp_path) == []


def test_text_cells_that_are_formulas_are_neutralised_numbers_are_not(tmp_path):
    import csv

    recs = _records()
    inc = recs[0]["incidents"][0]
    inc["evidence"] = '=HYPERLINK("http://evil.example","click")'
    inc["actor1"] = "@SUM(A1:A9)"
    inc["actor2"] = "+cmd|' /C calc'!A0"
    inc["sub_type"] = "-2+3"
    inc["place_text"] = "\t=1+1"
    result = build_tables(recs)
    write_tables(result, tmp_path, formats=("csv", "geojson"))
    with open(tmp_path / "incidents.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    row = next(r for r in rows if r["evidence"].startswith("'="))
    assert row["evidence"] == '\'=HYPERLINK("http://evil.example","click")'
    assert (row["actor1"], row["actor2"], row["sub_type"]) == ("'@SUM(A1:A9)", "'+cmd|' /C calc'!A0", "'-2+3")
    assert row["place_text"] == "'\t=1+1"
    for r in rows:  # numbers keep their sign and are not touched
        for col in ("lat", "lon", "count_best"):
            assert not r[col].startswith("'")
    # GeoJSON is data, not a spreadsheet: the text stays verbatim there.
    gj = json.loads((tmp_path / "incidents.geojson").read_text("utf-8"))
    assert any(f["properties"]["evidence"].startswith("=HYPERLINK") for f in gj["features"])


def _edited_run(tmp_path, edit) -> Path:
    """A run's CSV tables with ``edit(incidents_df)`` applied, as a person would in a spreadsheet."""
    write_tables(build_tables(_records()), tmp_path, formats=("csv",))
    inc = pd.read_csv(tmp_path / "incidents.csv", dtype=str, keep_default_na=False)
    edit(inc)
    inc.to_csv(tmp_path / "incidents.csv", index=False)
    return tmp_path


def test_render_reports_unknown_event_types_and_bad_cells(tmp_path, capsys):
    from geomap.cli import main

    def edit(inc):
        inc.loc[0, "event_type"] = "constructor"
        inc.loc[1, "lat"] = "north"

    d = _edited_run(tmp_path, edit)
    assert main(["render", str(d)]) == 1
    err = capsys.readouterr().err
    assert "incidents.csv, line 2: event_type 'constructor' is not one of clash, bombardment" in err
    assert "incidents.csv, line 3: lat 'north' is not a coordinate" in err
    assert "2 problem(s) in the tables, those rows left out" in err
    assert (d / "map.html").is_file()  # the movements are still drawn


def test_render_of_tables_with_no_drawable_row_fails_without_a_blank_map(tmp_path, capsys):
    from geomap.cli import main

    def edit(inc):
        inc["event_type"] = "constructor"

    d = _edited_run(tmp_path, edit)
    (d / "movements.csv").write_text("kind,evidence\n__proto__,x\n", encoding="utf-8")
    assert main(["render", str(d)]) == 2
    err = capsys.readouterr().err
    assert "movements.csv, line 2: kind '__proto__' is not one of" in err
    assert "no row of the edited tables can be drawn" in err
    assert not (d / "map.html").exists()


def test_jsonable_writes_a_set_in_the_same_order_in_every_process():
    """run.json and the other JSON outputs must not follow the per-process string hash."""
    import subprocess
    import sys

    code = "import json; from geomap.write import jsonable; print(json.dumps(jsonable({'Homs', 'Hama', 'Idlib', 'Aleppo'})))"
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert runs == {'["Aleppo", "Hama", "Homs", "Idlib"]\n'}
