"""The ``geomap`` command: outputs, run.json accounting, exit codes, messages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geomap.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
TABLES = [f"{n}.{f}" for n in ("incidents", "movements") for f in ("csv", "geojson", "parquet")] + [
    "mentions.csv",
    "sentences.csv",
]


@pytest.fixture(scope="module")
def mapped(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    code = main(["map", str(SEEDS), "-o", str(out), "--quiet"])
    return code, out


def test_map_writes_every_output(mapped):
    code, out = mapped
    assert code == 0
    assert sorted(os.listdir(out)) == sorted(TABLES + ["geomap.gpkg", "map.html", "run.json"])
    inc = gpd.read_parquet(out / "incidents.parquet")
    assert inc.crs.to_epsg() == 4326
    assert "<html" in (out / "map.html").read_text().lower()


def test_run_json_accounts_for_every_input(mapped):
    _, out = mapped
    run = json.loads((out / "run.json").read_text())
    assert run["exit_code"] == 0 and run["skipped"] == []
    assert [Path(i["input"]).name for i in run["inputs"]] == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert {i["outcome"] for i in run["inputs"]} == {"done"}
    arts = {a["doc_id"]: a for a in run["articles"]}
    assert arts["cnn-2012-07-25-syrian-rebels-fight-through-grief-pride"]["date"] == "2012-07-25"
    assert {a["date_source"] for a in arts.values()} == {"metadata"}
    assert {a["outcome"] for a in arts.values()} == {"done"}
    for name in ("incidents", "movements", "mentions"):
        table = pd.read_csv(out / f"{name}.csv")
        assert run["counts"][name] == len(table)
    v = run["versions"]
    assert v["geomap"] and v["spacy"].startswith("3.") and "model" in v
    for stage in ("read_s", "nlp_s", "tables_s", "write_tables_s", "map_s", "total_s"):
        assert run["timings"][stage] >= 0
    assert sorted(run["outputs"]) == sorted(TABLES + ["geomap.gpkg", "map.html", "run.json"])


def test_same_input_same_table_bytes(mapped, tmp_path):
    _, out = mapped
    assert main(["extract", str(SEEDS), "-o", str(tmp_path), "--quiet"]) == 0
    for name in TABLES:
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name
    assert not (tmp_path / "map.html").exists()


def test_skipped_inputs_exit_1_and_are_listed(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEEDS / "csm-2012-07-30-as-syrian-government-gains-ground-in-aleppo.txt", src / "csm.txt")
    (src / "broken.txt").write_bytes(b"\x00\x01\x02" * 100)
    (src / "feed.jsonl").write_text('{"id": 1, "text": "Shelling in Homs on 3 July 2012."}\n{"id": 2, "te\n')
    out = tmp_path / "out"
    code = main(["extract", str(src), "-o", str(out)])
    assert code == 1
    err = capsys.readouterr().err
    assert "broken.txt" in err and "feed.jsonl:2" in err
    run = json.loads((out / "run.json").read_text())
    assert run["exit_code"] == 1
    reasons = {Path(s["input"]).name: s["reason"] for s in run["skipped"]}
    assert reasons["broken.txt"].startswith("binary")
    assert "invalid JSON" in reasons["feed.jsonl:2"]
    outcomes = {Path(i["input"]).name: i["outcome"] for i in run["inputs"]}
    assert outcomes == {"broken.txt": "skipped", "csm.txt": "done", "feed.jsonl": "done"}
    assert run["counts"]["articles_done"] == 2
    # Non-TTY stderr: no progress bar.
    assert "article/s" not in err and "it/s" not in err


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["map"],
        ["map", "seeds", "--date", "30/07/2012"],
        ["map", "seeds", "--workers", "0"],
        ["map", "seeds", "--engine", "spark"],
        ["gazetteer"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_geomap_errors_are_one_line_exit_2(tmp_path, capsys):
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    assert main(["extract", str(SEEDS), "-o", str(not_a_dir)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("geomap: error:") and "\n" not in err and "Traceback" not in err
    assert main(["render", str(tmp_path / "nope")]) == 2
    assert main(["gazetteer", "import", str(tmp_path / "SY.zip")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(e.startswith("geomap: error:") for e in err)


def test_render_redraws_from_edited_tables(mapped, tmp_path):
    _, out = mapped
    work = tmp_path / "w"
    shutil.copytree(out, work)
    (work / "map.html").unlink()
    inc = pd.read_csv(work / "incidents.csv", dtype=str, keep_default_na=False)
    if len(inc):
        inc.loc[0, "evidence"] = "EDITED-BY-HAND sentence."
        inc.to_csv(work / "incidents.csv", index=False)
    assert main(["render", str(work), "--quiet"]) == 0
    html = (work / "map.html").read_text()
    assert len(html) > 1000
    if len(inc):
        assert "EDITED-BY-HAND" in html
    assert main(["render", str(work), "-o", str(tmp_path / "elsewhere" / "m.html"), "--quiet"]) == 0
    assert (tmp_path / "elsewhere" / "m.html").exists()


def test_resolve_and_gazetteer_search(capsys):
    assert main(["resolve", "Aleppo", "--limit", "3", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert 1 <= len(rows) <= 3
    assert rows[0]["name"] == "Aleppo" and rows[0]["country_code"] == "SY"
    assert rows[0]["score"] >= rows[-1]["score"]
    assert main(["gazetteer", "search", "Dair ez Zor", "--limit", "2"]) == 0
    out = capsys.readouterr().out
    assert "Deir ez-Zor" in out and out.startswith(" 1.")
    assert main(["gazetteer", "info"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info


def test_help_explains_commands_options_and_exit_codes():
    # Through the installed console script, as a user runs it.
    exe = Path(sys.executable).with_name("geomap")
    res = subprocess.run([str(exe), "--help"], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0
    for word in ("map", "extract", "render", "resolve", "gazetteer", "exit codes", "skipped"):
        assert word in res.stdout
    res = subprocess.run([str(exe), "map", "--help"], capture_output=True, text=True, timeout=60)
    for opt in ("--date", "--workers", "--engine", "--scheduler", "--online-tiles", "--quiet", "-o DIR"):
        assert opt in res.stdout


def test_progress_bar_on_a_terminal_only(tmp_path, capsys, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEEDS / "csm-2012-07-30-as-syrian-government-gains-ground-in-aleppo.txt", src / "csm.txt")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert main(["extract", str(src), "-o", str(tmp_path / "o1")]) == 0
    err = capsys.readouterr().err
    assert "1/1" in err and "article" in err
    assert main(["extract", str(src), "-o", str(tmp_path / "o2"), "--quiet"]) == 0
    assert capsys.readouterr().err == ""


def test_map_title_recorded_and_render_title(tmp_path):
    out = tmp_path / "t"
    assert main(["map", str(SEEDS), "-o", str(out), "--title", "Aleppo <July>", "--quiet"]) == 0
    run = json.loads((out / "run.json").read_text())
    assert run["options"]["title"] == "Aleppo <July>"
    assert "<title>Aleppo &lt;July&gt;</title>" in (out / "map.html").read_text("utf-8")
    first = (out / "map.html").read_bytes()
    # render keeps the recorded title, and its output is the same bytes as the run's map.
    (out / "map.html").unlink()
    assert main(["render", str(out), "--quiet"]) == 0
    assert (out / "map.html").read_bytes() == first
    assert main(["render", str(out), "--title", "Homs, 2012", "--quiet"]) == 0
    assert "<title>Homs, 2012</title>" in (out / "map.html").read_text("utf-8")


def test_a_folder_s_readme_is_named_on_stderr_not_read(tmp_path, capsys):
    """A folder with only its README gives no article; the user is told why, and how to read it."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "README.md").write_text("Clashes in Homs on July 3, 2012.")
    assert main(["map", str(tmp_path / "in"), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "README.md: folder documentation (README, SOURCES...), not read as articles" in err
    assert "no article could be read" in err and not (tmp_path / "out").exists()
    assert main(["map", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--quiet"]) == 1
    assert "README.md" not in capsys.readouterr().err


def test_the_output_geopackage_carries_the_sentences_for_qgis(mapped):
    """geomap.gpkg beside the tables holds every layer, the sentences too (traceability in QGIS)."""
    import pyogrio

    _, out = mapped
    gpkg = out / "geomap.gpkg"
    assert [name for name, _ in pyogrio.list_layers(gpkg)] == ["incidents", "movements", "mentions", "sentences"]
    layer = pyogrio.read_dataframe(gpkg, layer="sentences", read_geometry=False)
    csv = pd.read_csv(out / "sentences.csv", keep_default_na=False)
    assert len(layer) == len(csv) > 0 and list(layer["text"]) == list(csv["text"])
    # A mention's sentence_id finds its sentence in the layer.
    mentions = pyogrio.read_dataframe(gpkg, layer="mentions", read_geometry=False)
    keys = set(zip(layer["doc_id"], layer["sentence_id"]))
    assert set(zip(mentions["doc_id"], mentions["sentence_id"])) <= keys


def test_the_summary_line_counts_in_words_a_user_reads(tmp_path, capsys):
    """One article is "1 article", not "1 articles"; none is "0 movements"."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "note.txt").write_text("Rebels shelled the town of Rastan in Homs on 3 May 2013.", "utf-8")
    assert main(["extract", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--date", "2013-05-04"]) == 0
    err = capsys.readouterr().err
    assert "geomap: 1 article -> " in err and " 0 movements, " in err and "1 articles" not in err, err
    # the sentence tells one shelling: "1 incident", not "1 incidents"
    assert "-> 1 incident, " in err, err
