"""Ids survive, work is never lost, and the exports (GeoPackage, ACLED columns) - issue 13."""

import json
import os
import shutil
import subprocess

import geopandas as gpd
import pandas as pd
import pytest

import geomap
from geomap.cli import main
from geomap.export import ACLED_COLUMNS, acled_table
from geomap.outdir import OWNED, recover

RECORDS = [
    {
        "id": "AFP-2013-0412",
        "text": "Government forces shelled Homs on 3 May 2013, killing 5 people, activists said.",
        "date": "2013-05-06",
        "source": "AFP",
    },
    {
        "id": "AFP/2013/0413",
        "text": "Rebels clashed with government forces in Idlib on 4 May 2013. Twelve fighters were killed.",
        "date": "2013-05-06",
        "source": "AFP",
    },
    # The same id again: disambiguated, reported, never silently merged with the first.
    {
        "id": "AFP-2013-0412",
        "text": "The army sent reinforcements from Damascus to Aleppo on 5 May 2013.",
        "date": "2013-05-06",
        "source": "AFP",
    },
]

#: What `geomap extract` writes: every file a run owns but the map.
OWNED_AFTER_RUN = set(OWNED) - {"map.html"}


def _feed(path):
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    base = tmp_path_factory.mktemp("ids")
    feed = _feed(base / "feed.jsonl")
    out = base / "out"
    assert main(["extract", str(feed), "-o", str(out), "--quiet"]) == 0
    return out


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


# --------------------------------------------------------------------------- ids survive


def test_jsonl_ids_become_doc_ids_and_stay_verbatim_in_every_table(run_dir):
    inc = pd.read_csv(run_dir / "incidents.csv", dtype=str, keep_default_na=False)
    mov = pd.read_csv(run_dir / "movements.csv", dtype=str, keep_default_na=False)
    men = pd.read_csv(run_dir / "mentions.csv", dtype=str, keep_default_na=False)
    homs = inc[inc["location_name"] == "Homs"].iloc[0]
    assert homs["doc_id"] == "AFP-2013-0412" and homs["source_id"] == "AFP-2013-0412"
    idlib = inc[inc["location_name"] == "Idlib"].iloc[0]
    # Made path-safe for doc_id; kept verbatim for joining back to the user's records.
    assert idlib["doc_id"] == "AFP_2013_0413" and idlib["source_id"] == "AFP/2013/0413"
    assert mov.iloc[0]["doc_id"] == "AFP-2013-0412-2" and mov.iloc[0]["source_id"] == "AFP-2013-0412"
    assert set(men["source_id"]) == {"AFP-2013-0412", "AFP/2013/0413"}
    for table in (inc, mov, men):
        assert list(table.columns[:3]).index("source_id") == list(table.columns).index("doc_id") + 1


def test_run_json_keeps_source_ids_and_reports_collisions(run_dir):
    run = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    assert {a["doc_id"]: a["source_id"] for a in run["articles"]} == {
        "AFP-2013-0412": "AFP-2013-0412",
        "AFP-2013-0412-2": "AFP-2013-0412",
        "AFP_2013_0413": "AFP/2013/0413",
    }
    assert run["id_collisions"] == [
        {"source_id": "AFP-2013-0412", "doc_id": "AFP-2013-0412-2", "clashes_with": "AFP-2013-0412"}
    ]


def test_csv_and_dataframe_ids_survive(tmp_path):
    pd.DataFrame(RECORDS[:2]).to_csv(tmp_path / "feed.csv", index=False)
    arts = geomap.read_articles(tmp_path / "feed.csv")
    assert list(arts["doc_id"]) == ["AFP-2013-0412", "AFP_2013_0413"]
    assert list(arts["source_id"]) == ["AFP-2013-0412", "AFP/2013/0413"]
    result = geomap.extract(pd.DataFrame(RECORDS[:2]))
    assert set(result.incidents["source_id"]) == {"AFP-2013-0412", "AFP/2013/0413"}
    assert set(result.incidents["doc_id"]) == {"AFP-2013-0412", "AFP_2013_0413"}


# --------------------------------------------------------------------------- work never lost


def test_mistyped_input_empty_folder_and_input_as_output_write_nothing(run_dir, tmp_path, capsys):
    work = tmp_path / "out"
    shutil.copytree(run_dir, work)
    (work / "incidents.csv").write_text("hand edited\n", encoding="utf-8")
    before = _snapshot(work)
    assert main(["map", str(tmp_path / "typo-folder"), "-o", str(work), "--quiet"]) == 2
    assert "typo-folder" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["map", str(tmp_path / "empty"), "-o", str(work), "--quiet"]) == 1
    assert "nothing was written" in capsys.readouterr().err
    assert main(["map", str(work), "-o", str(work), "--quiet"]) == 2
    assert _snapshot(work) == before
    assert sorted(p.name for p in work.iterdir()) == sorted(before)


def test_outputs_replaced_as_one_set_and_previous_kept(run_dir, tmp_path):
    work = tmp_path / "out"
    shutil.copytree(run_dir, work)
    (work / "map.html").write_text("<old map>", encoding="utf-8")
    before = _snapshot(work)
    feed = _feed(tmp_path / "feed.jsonl")
    assert main(["extract", str(feed), "-o", str(work), "--quiet"]) == 0
    # extract writes no map: the old map belongs to the previous set and moves with it.
    assert {p.name for p in work.iterdir() if p.is_file()} == {p.name for p in run_dir.iterdir() if p.is_file()}
    assert OWNED_AFTER_RUN <= {p.name for p in work.iterdir()}
    assert _snapshot(work / ".previous") == before
    assert not [p for p in work.iterdir() if p.name.startswith(".geomap-staging")]


def test_a_swap_killed_midway_is_rolled_forward(run_dir, tmp_path):
    """The state a kill between two renames leaves: the next run (or recover) completes it."""
    work = tmp_path / "out"
    shutil.copytree(run_dir, work)
    old = _snapshot(work)
    stage = work / ".geomap-staging-x"
    stage.mkdir()
    for name in OWNED_AFTER_RUN:
        (stage / name).write_text(f"new {name}", encoding="utf-8")
    (stage / ".manifest.json").write_text(json.dumps(sorted(OWNED_AFTER_RUN)), encoding="utf-8")
    (work / ".previous-new").mkdir()
    os.replace(work / "incidents.csv", work / ".previous-new" / "incidents.csv")
    os.replace(stage / "incidents.csv", work / "incidents.csv")
    recover(work)
    assert {n: b.decode() for n, b in _snapshot(work).items()} == {n: f"new {n}" for n in OWNED_AFTER_RUN}
    assert _snapshot(work / ".previous") == old
    # An unfinished staging folder (no manifest) is only dropped.
    (work / ".geomap-staging-y").mkdir()
    recover(work)
    assert not (work / ".geomap-staging-y").exists()


# --------------------------------------------------------------------------- GeoPackage and ACLED


def test_geopackage_beside_the_outputs_opens_in_geopandas(run_dir):
    csv = pd.read_csv(run_dir / "incidents.csv")
    gdf = gpd.read_file(run_dir / "geomap.gpkg", layer="incidents")
    assert len(gdf) == len(csv) and gdf.crs.to_epsg() == 4326
    assert set(gdf["source_id"]) == set(csv["source_id"])
    mov = gpd.read_file(run_dir / "geomap.gpkg", layer="movements")
    assert mov.geom_type.tolist() == ["LineString"]


def _ogrinfo(path, *args):
    exe = shutil.which("ogrinfo")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("ogrinfo (Debian's gdal-bin) is missing: `make test` installs it")
        pytest.skip("ogrinfo not installed (make test installs gdal-bin)")
    proc = subprocess.run([exe, "-ro", "-so", "-al", str(path), *args], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout + proc.stderr


def test_geopackage_opens_in_debians_gdal(run_dir):
    out = _ogrinfo(run_dir / "geomap.gpkg")
    assert "Warning" not in out and "ERROR" not in out, out
    n = len(pd.read_csv(run_dir / "incidents.csv"))
    assert "Layer name: incidents" in out and f"Feature Count: {n}" in out
    assert "Layer name: movements" in out and "Layer name: mentions" in out


def test_acled_export_has_acleds_columns_and_codes(run_dir, tmp_path):
    target = tmp_path / "acled.csv"
    assert main(["export", str(run_dir), "--format", "acled", "-o", str(target), "--quiet"]) == 0
    acled = pd.read_csv(target, keep_default_na=False, dtype=str)
    assert list(acled.columns) == ACLED_COLUMNS
    inc = pd.read_csv(run_dir / "incidents.csv", keep_default_na=False, dtype=str)
    assert len(acled) == len(inc)
    homs = acled[acled["location"] == "Homs"].iloc[0]
    assert homs["event_type"] == "Explosions/Remote violence"
    assert homs["sub_event_type"] == "Shelling/artillery/missile attack"
    assert homs["event_date"] == "2013-05-03" and homs["year"] == "2013" and homs["time_precision"] == "1"
    assert homs["fatalities"] == "5" and homs["geo_precision"] == "1" and homs["admin1"] == "Homs"
    assert homs["event_id_cnty"].startswith("SYR") and homs["source"] == "AFP"
    assert homs["notes"] == inc[inc["location_name"] == "Homs"].iloc[0]["evidence"]
    assert set(acled["time_precision"]) <= {"1", "2", "3", ""}
    assert set(acled["geo_precision"]) <= {"1", "2", "3", ""}


def test_acled_leaves_unknowns_empty_and_maps_by_type():
    inc = pd.DataFrame(
        [
            {
                "incident_id": "inc-abc",
                "event_type": "control_change",
                "sub_type": "gained",
                "actor1": "government forces",
                "date_start": "2013-05-01",
                "date_end": "2013-05-07",
                "date_precision": "week",
                "count_type": "injured",
                "count_best": 4,
                "geo_precision": "governorate",
                "country_code": "SY",
            },
            {
                "incident_id": "inc-def",
                "event_type": "casualties",
                "date_precision": "unknown",
                "count_type": "killed",
                "count_best": 3,
                "geo_precision": "country",
                "acled_event_type": "Battles",
                "acled_sub_event_type": "Armed clash",
            },
        ]
    )
    out = acled_table(inc)
    assert out.loc[0, "sub_event_type"] == "Government regains territory" and out.loc[0, "time_precision"] == 2
    assert pd.isna(out.loc[0, "fatalities"])  # injured are not fatalities; unknown is not 0
    assert out.loc[0, "geo_precision"] == 3
    # Columns written by the event stage win over the fallback mapping.
    assert out.loc[1, "event_type"] == "Battles" and out.loc[1, "fatalities"] == 3
    assert pd.isna(out.loc[1, "event_date"]) and pd.isna(out.loc[1, "time_precision"])


@pytest.mark.parametrize(
    "fmt,layer", [("csv", "movements"), ("geojson", "incidents"), ("parquet", "incidents"), ("gpkg", "incidents")]
)
def test_export_formats_round_trip(run_dir, tmp_path, fmt, layer):
    target = tmp_path / f"t.{fmt}"
    assert main(["export", str(run_dir), "-f", fmt, "--layer", layer, "-o", str(target), "--quiet"]) == 0
    n = len(pd.read_csv(run_dir / f"{layer}.csv"))
    back = (
        pd.read_csv(target)
        if fmt == "csv"
        else gpd.read_parquet(target)
        if fmt == "parquet"
        else gpd.read_file(target, layer=layer)
        if fmt == "gpkg"
        else gpd.read_file(target)
    )
    assert len(back) == n and "source_id" in back.columns


def test_geopackage_is_byte_identical_for_the_same_tables(run_dir, tmp_path):
    import time

    from geomap.export import read_source, write_gpkg

    tables = read_source(run_dir)
    write_gpkg(tables, tmp_path / "a.gpkg")
    time.sleep(1.1)  # GDAL's own timestamp would differ by now
    write_gpkg(tables, tmp_path / "b.gpkg")
    assert (tmp_path / "a.gpkg").read_bytes() == (tmp_path / "b.gpkg").read_bytes()


def test_geopackage_holds_the_sentences_the_mentions_point_to(run_dir, tmp_path):
    """``mentions.sentence_id`` must find its sentence inside geomap.gpkg (a QGIS join), not only in sentences.csv."""
    import pyogrio

    gpkg = run_dir / "geomap.gpkg"
    sentences = pyogrio.read_dataframe(gpkg, layer="sentences", read_geometry=False)
    csv = pd.read_csv(run_dir / "sentences.csv", keep_default_na=False)
    assert len(sentences) == len(csv) > 0
    by_key = {
        (d, int(n)): (int(s), t) for d, n, s, t in sentences[["doc_id", "sentence_id", "char_start", "text"]].values
    }
    mentions = gpd.read_file(gpkg, layer="mentions")
    assert mentions["sentence_id"].notna().all()
    for m in mentions.itertuples():
        start, text = by_key[(m.doc_id, int(m.sentence_id))]
        # the mention's own words sit at its offsets inside the stored sentence
        assert text[m.char_start - start : m.char_end - start] == m.text
    assert "Layer name: sentences" in _ogrinfo(gpkg)
    # `geomap export DIR -f gpkg` carries the table too
    target = tmp_path / "all.gpkg"
    assert main(["export", str(run_dir), "-f", "gpkg", "-o", str(target), "--quiet"]) == 0
    again = pyogrio.read_dataframe(target, layer="sentences", read_geometry=False)
    pd.testing.assert_frame_equal(again, sentences)


def test_every_output_is_byte_identical_in_another_process(run_dir, tmp_path):
    """A second run in a fresh process (another string-hash seed, a later clock) writes the same bytes:
    tables, sentences and geomap.gpkg; only run.json (timings, paths) differs."""
    import sys

    feed = _feed(tmp_path / "feed.jsonl")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    cmd = [sys.executable, "-m", "geomap.cli", "extract", str(feed), "-o", str(out), "--quiet"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    first, second = _snapshot(run_dir), _snapshot(out)
    assert set(first) == set(second) and "geomap.gpkg" in first and "sentences.csv" in first
    assert [name for name in sorted(first) if name != "run.json" and first[name] != second[name]] == []
