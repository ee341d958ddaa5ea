"""The standing store (issue 13): updates, merge across days, QGIS edits, crashes, two writers."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap

import geopandas as gpd
import pandas as pd
import pytest

import geomap
from geomap.cli import main
from geomap.store import Store, StoreError

DAY1 = [
    {
        "id": "AFP-1",
        "text": "Government forces shelled Homs on 3 May 2013, killing 5 people, activists said.",
        "date": "2013-05-06",
        "source": "AFP",
    },
    {
        "id": "AFP-2",
        "text": "The army sent reinforcements from Damascus to Aleppo on 5 May 2013, a security source said.",
        "date": "2013-05-06",
        "source": "AFP",
    },
]
DAY2 = [
    # The Homs shelling again, from another outlet and with another toll: merged, not stored twice.
    {
        "id": "RTR-7",
        "text": "Army artillery shelled the city of Homs on 3 May 2013, killing six people, according to "
        "the Syrian Observatory.",
        "date": "2013-05-06",
        "source": "Reuters",
    },
    {
        "id": "RTR-8",
        "text": "Rebels clashed with government forces in Idlib on 4 May 2013. Twelve fighters were killed.",
        "date": "2013-05-06",
        "source": "Reuters",
    },
]


def _jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _counts(path):
    con = sqlite3.connect(path)
    try:
        return {
            t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("incidents", "movements", "mentions", "articles")
        }
    finally:
        con.close()


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    base = tmp_path_factory.mktemp("store")
    path = base / "syria.gpkg"
    assert main(["update", str(path), str(_jsonl(base / "day1.jsonl", DAY1)), "--quiet"]) == 0
    assert main(["update", str(path), str(_jsonl(base / "day2.jsonl", DAY2)), "--quiet"]) == 0
    return path


@pytest.fixture()
def store_copy(store_path, tmp_path):
    path = tmp_path / "copy.gpkg"
    shutil.copy(store_path, path)
    return path


def test_update_merges_the_same_incident_across_days(store_path):
    inc = Store(store_path).incidents
    homs = inc[inc["location_name"] == "Homs"]
    assert len(homs) == 1
    row = homs.iloc[0]
    assert row["n_sources"] == 2 and row["sources"] == "AFP; Reuters"
    assert row["doc_ids"] == "AFP-1; RTR-7" and row["count_low"] == 5 and row["count_high"] == 6
    assert set(inc["source_id"]) == {"AFP-1", "RTR-8"}
    store = Store(store_path)
    assert store.articles["doc_id"].tolist() == ["AFP-1", "AFP-2", "RTR-7", "RTR-8"]
    # Every mention's sentence is stored once, in the sentences table.
    sent = store.sentences.set_index(["doc_id", "sentence_id"])["text"]
    men = store.mentions
    assert len(men) and all((d, i) in sent.index for d, i in zip(men["doc_id"], men["sentence_id"]))
    homs_mention = men[men["text"] == "Homs"].iloc[0]
    assert "Homs" in sent[(homs_mention["doc_id"], homs_mention["sentence_id"])]


def test_seen_articles_are_skipped_and_changed_ones_replaced(store_copy, tmp_path):
    before = _counts(store_copy)
    report = Store(store_copy).update(pd.DataFrame(DAY1 + DAY2))
    assert report["articles_seen"] == 4 and report["articles_new"] == 0
    assert _counts(store_copy) == before
    changed = dict(
        DAY2[1], text="Rebels clashed with government forces in Idlib on 4 May 2013. Twenty fighters were killed."
    )
    report = Store(store_copy).update(pd.DataFrame([changed]))
    assert report["articles_changed"] == 1
    inc = Store(store_copy).incidents
    idlib = inc[inc["doc_id"] == "RTR-8"]
    assert len(idlib) == 1 and idlib.iloc[0]["count_best"] == 20
    assert _counts(store_copy)["articles"] == 4


def test_the_store_opens_in_geopandas_and_debians_gdal(store_path):
    layers = set(gpd.list_layers(store_path)["name"]) if hasattr(gpd, "list_layers") else None
    if layers is not None:
        assert {"incidents", "movements", "mentions", "articles"} <= layers
    inc = gpd.read_file(store_path, layer="incidents")
    assert inc.crs.to_epsg() == 4326 and len(inc) == 2 and inc.geom_type.unique().tolist() == ["Point"]
    mov = gpd.read_file(store_path, layer="movements")
    assert mov.geom_type.tolist() == ["LineString"]
    exe = shutil.which("ogrinfo")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("ogrinfo (Debian's gdal-bin) is missing: `make test` installs it")
        pytest.skip("ogrinfo not installed (make test installs gdal-bin)")
    proc = subprocess.run([exe, "-ro", "-so", "-al", str(store_path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "Warning" not in proc.stderr + proc.stdout, proc.stderr
    assert "Layer name: incidents" in proc.stdout and "Feature Count: 2" in proc.stdout
    assert "Geometry: Line String" in proc.stdout


def test_records_edited_by_hand_are_marked_and_kept(store_copy):
    con = sqlite3.connect(store_copy)
    # What QGIS/GDAL does when a user edits an attribute: a plain UPDATE of the row.
    con.execute("UPDATE incidents SET actor1 = 'Syrian Arab Army', count_best = 7 WHERE doc_id = 'RTR-8'")
    con.execute("DELETE FROM movements WHERE doc_id = 'AFP-2'")
    con.commit()
    con.close()
    inc = Store(store_copy).incidents
    edited = inc[inc["doc_id"] == "RTR-8"].iloc[0]
    assert edited["geomap_edited"] == 1 and inc[inc["doc_id"] == "AFP-1"].iloc[0]["geomap_edited"] == 0
    # Both articles change: geomap re-reads them, but the edit and the deletion stand.
    changed = [dict(DAY2[1], text=DAY2[1]["text"] + " Activists said."), dict(DAY1[1], text=DAY1[1]["text"] + " ")]
    report = Store(store_copy).update(pd.DataFrame(changed))
    assert report["articles_changed"] == 2
    inc = Store(store_copy).incidents
    kept = inc[inc["doc_id"] == "RTR-8"]
    assert len(kept) == 1 and kept.iloc[0]["actor1"] == "Syrian Arab Army" and kept.iloc[0]["count_best"] == 7
    assert len(Store(store_copy).movements) == 0


def test_foreign_newer_and_corrupt_files_are_refused_untouched(tmp_path, store_path):
    foreign = tmp_path / "qgis-project.gpkg"
    gpd.GeoDataFrame({"a": [1]}, geometry=gpd.points_from_xy([36.0], [35.0]), crs=4326).to_file(foreign, layer="roads")
    newer = tmp_path / "newer.gpkg"
    shutil.copy(store_path, newer)
    con = sqlite3.connect(newer)
    con.execute("UPDATE geomap_meta SET value = '99' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    corrupt = tmp_path / "corrupt.gpkg"
    corrupt.write_bytes(store_path.read_bytes()[:100] + b"\x00garbage" * 500)
    text = tmp_path / "notes.gpkg"
    text.write_text("not a database")
    for path, words in ((foreign, "another program"), (newer, "newer"), (corrupt, "corrupt"), (text, "not a")):
        digest = _digest(path)
        with pytest.raises(StoreError, match=words) as err:
            Store(path).update(pd.DataFrame(DAY1))
        assert str(path) in str(err.value)
        assert _digest(path) == digest
    assert main(["update", str(foreign), str(_jsonl(tmp_path / "d.jsonl", DAY1)), "--quiet"]) == 2


_KILL_MIDWAY = textwrap.dedent("""
    import os, signal, sys
    import pandas as pd
    import geomap.gpkg
    from geomap.store import Store

    real = geomap.gpkg.insert_rows
    def insert_then_die(con, name, rows, geometries=None):
        n = real(con, name, rows, geometries)
        if name == "mentions":  # incidents and movements are in; articles are not
            os.kill(os.getpid(), signal.SIGKILL)
        return n
    geomap.gpkg.insert_rows = insert_then_die
    Store(sys.argv[1]).update(pd.read_json(sys.argv[2], lines=True))
""")


def test_an_update_killed_midway_leaves_the_store_as_before(store_copy, tmp_path):
    before, digest = (
        _counts(store_copy),
        Store(store_copy).incidents.drop(columns="geometry").to_json(date_format="iso"),
    )
    feed = _jsonl(tmp_path / "day3.jsonl", [dict(DAY2[1], id="X-1", text=DAY2[1]["text"].replace("Idlib", "Hama"))])
    proc = subprocess.run(
        [sys.executable, "-c", _KILL_MIDWAY, str(store_copy), str(feed)], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == -9, proc.stderr
    assert _counts(store_copy) == before
    assert Store(store_copy).incidents.drop(columns="geometry").to_json(date_format="iso") == digest
    con = sqlite3.connect(store_copy)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    # The next update does the work the killed one did not.
    report = Store(store_copy).update(pd.read_json(feed, lines=True))
    assert report["articles_new"] == 1 and _counts(store_copy)["articles"] == before["articles"] + 1


def test_a_full_disk_leaves_the_store_as_before(store_copy, monkeypatch):
    before = _counts(store_copy)
    real = Store._connect

    def small_disk(self):
        con = real(self)
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        con.execute(f"PRAGMA max_page_count = {pages}")
        return con

    monkeypatch.setattr(Store, "_connect", small_disk)
    big = [
        dict(DAY1[0], id=f"B-{i}", text=DAY1[0]["text"] + f" Report {i}. " + "Residents said. " * 200)
        for i in range(20)
    ]
    with pytest.raises(StoreError, match="full"):
        Store(store_copy).update(pd.DataFrame(big))
    monkeypatch.undo()
    assert _counts(store_copy) == before


def test_a_busy_store_waits_then_fails_clearly(store_copy):
    holder = sqlite3.connect(store_copy, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="being updated by another process"):
            Store(store_copy, timeout=0.5).update(pd.DataFrame([dict(DAY1[0], id="W-1", text="Clashes in Hama.")]))
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_two_concurrent_updates_both_land_once(store_copy, tmp_path):
    feeds = []
    for n, town in enumerate(("Hama", "Daraa")):
        # Three days apart: separate incidents by the merge rule (dates within one day merge).
        recs = [
            dict(
                DAY2[1],
                id=f"C{n}-{i}",
                date="2013-05-20",
                text=DAY2[1]["text"].replace("Idlib", town).replace("4 May", f"{1 + 3 * i} May"),
            )
            for i in range(3)
        ]
        feeds.append(_jsonl(tmp_path / f"c{n}.jsonl", recs))
    before = _counts(store_copy)["articles"]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "geomap.cli", "update", str(store_copy), str(f), "--quiet"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in feeds
    ]
    results = [(p.wait(timeout=300), p.communicate()[1]) for p in procs]
    assert [code for code, _ in results] == [0, 0], results
    store = Store(store_copy)
    assert len(store.articles) == before + 6
    inc = store.incidents
    assert inc["incident_id"].is_unique
    assert sorted(inc[inc["location_name"].isin(["Hama", "Daraa"])]["location_name"].value_counts()) == [3, 3]


def test_map_and_render_draw_from_the_store(store_path, tmp_path):
    assert main(["map", str(store_path), "-o", str(tmp_path / "out"), "--quiet"]) == 0
    html = (tmp_path / "out" / "map.html").read_text(encoding="utf-8")
    assert "Homs" in html and "Idlib" in html
    target = tmp_path / "store.html"
    assert main(["render", str(store_path), "-o", str(target), "--quiet"]) == 0
    assert "Idlib" in target.read_text(encoding="utf-8")
    assert list(Store(store_path).movements["kind"]) == ["troop_movement"]
    assert isinstance(geomap.Store(store_path).mentions, gpd.GeoDataFrame)


def test_export_from_the_store(store_path, tmp_path):
    target = tmp_path / "acled.csv"
    assert main(["export", str(store_path), "--format", "acled", "-o", str(target), "--quiet"]) == 0
    acled = pd.read_csv(target, dtype=str, keep_default_na=False)
    homs = acled[acled["location"] == "Homs"]
    assert len(homs) == 1 and homs.iloc[0]["source"] == "AFP; Reuters" and homs.iloc[0]["fatalities"] == "5"
    assert main(["export", str(tmp_path / "none.gpkg"), "-f", "csv", "-o", str(tmp_path / "x.csv")]) == 2
    assert not (tmp_path / "none.gpkg").exists()


def test_update_with_no_article_creates_nothing(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["update", str(tmp_path / "new.gpkg"), str(tmp_path / "empty")]) == 1
    assert main(["update", str(tmp_path / "new.gpkg"), str(tmp_path / "typo")]) == 2
    assert not (tmp_path / "new.gpkg").exists()
    assert "typo" in capsys.readouterr().err


def test_a_spatial_index_built_in_qgis_is_kept_up_to_date(store_copy):
    exe = shutil.which("ogrinfo")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("ogrinfo (Debian's gdal-bin) is missing: `make test` installs it")
        pytest.skip("ogrinfo not installed (make test installs gdal-bin)")
    # What QGIS's "create spatial index" does: GDAL's R-tree and its triggers (ST_IsEmpty, ST_MinX...).
    subprocess.run(
        [exe, str(store_copy), "-sql", "SELECT CreateSpatialIndex('incidents', 'geom')"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    report = Store(store_copy).update(
        pd.DataFrame([dict(DAY2[1], id="SP-1", text=DAY2[1]["text"].replace("Idlib", "Hama"))])
    )
    assert report["incidents_added"] == 1
    con = sqlite3.connect(store_copy)
    try:
        assert (
            con.execute("SELECT COUNT(*) FROM rtree_incidents_geom").fetchone()
            == con.execute("SELECT COUNT(*) FROM incidents").fetchone()
        )
    finally:
        con.close()


def _reread(path, record, old, new):
    """Update the store with ``record`` changed (``old`` -> ``new`` in its text); its Homs row(s), every incident
    and the update's report."""
    report = Store(path).update(pd.DataFrame([dict(record, text=record["text"].replace(old, new))]))
    inc = Store(path).incidents
    return inc[inc["location_name"] == "Homs"], inc, report


def test_a_changed_article_leaves_the_records_that_absorbed_it(store_copy):
    """RTR-7's Homs shelling was merged into AFP-1's; re-read as a shelling of Hama, it is no part of it."""
    homs, inc, report = _reread(store_copy, DAY2[0], "Homs", "Hama")
    assert report["articles_changed"] == 1
    row = homs.iloc[0]
    assert row["doc_ids"] == "AFP-1" and row["n_sources"] == 1 and row["sources"] == "AFP"
    assert "RTR-7" not in str(row["other_evidence"])
    assert inc[inc["location_name"] == "Hama"]["doc_ids"].tolist() == ["RTR-7"]


def test_a_changed_article_telling_the_same_event_again_counts_once(store_copy):
    homs, _, _ = _reread(store_copy, DAY2[0], "six people", "seven people")
    assert len(homs) == 1
    row = homs.iloc[0]
    assert row["doc_ids"] == "AFP-1; RTR-7" and row["n_sources"] == 2 and row["count_high"] == 7
    assert str(row["other_evidence"]).count("[RTR-7:") == 1


def test_when_the_leading_article_changes_the_report_it_absorbed_leads(store_copy):
    """AFP-1 led the Homs record that absorbed RTR-7; AFP-1 re-read about Hama must not take RTR-7's report away."""
    homs, inc, _ = _reread(store_copy, DAY1[0], "Homs", "Hama")
    assert len(homs) == 1
    row = homs.iloc[0]
    assert row["doc_id"] == "RTR-7" and row["source_id"] == "RTR-7" and row["doc_ids"] == "RTR-7"
    assert row["outlet"] == "Reuters" and row["sources"] == "Reuters" and row["n_sources"] == 1
    assert DAY2[0]["text"][row["char_start"] : row["char_end"]] == row["evidence"]
    assert pd.isna(row["other_evidence"])
    assert inc[inc["location_name"] == "Hama"]["doc_id"].tolist() == ["AFP-1"]


def test_the_sentences_of_a_store_are_exported(store_path, tmp_path):
    """`geomap export STORE -f gpkg` carries the sentences table; `--layer sentences` writes it as csv."""
    import pyogrio

    stored = Store(store_path).sentences
    target = tmp_path / "all.gpkg"
    assert main(["export", str(store_path), "-f", "gpkg", "-o", str(target), "--quiet"]) == 0
    sentences = pyogrio.read_dataframe(target, layer="sentences", read_geometry=False)
    assert len(sentences) == len(stored) > 0
    csv = tmp_path / "sentences.csv"
    assert main(["export", str(store_path), "-f", "csv", "--layer", "sentences", "-o", str(csv), "--quiet"]) == 0
    back = pd.read_csv(csv, keep_default_na=False)
    assert list(back.columns) == ["doc_id", "sentence_id", "char_start", "char_end", "text"]
    assert sorted(back["text"]) == sorted(stored["text"])
    geojson = tmp_path / "s.geojson"
    assert main(["export", str(store_path), "-f", "geojson", "--layer", "sentences", "-o", str(geojson)]) == 2
