"""Hostile inputs end to end: nothing crashes, nothing is lost, nothing escapes the output folder.

One folder of bad inputs (empty, binary, cp1256 Arabic, latin-1, a long single line, a
truncated JSON Lines record, a CSV without a text column, an unparseable date, a symlink
loop, ids that look like paths, markup in titles/outlets/URLs) goes through
``geomap.cli.main`` in this process (the spaCy pipeline is loaded once and cached), and
``run.json`` must account for every input.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

import geomap
from geomap.cli import main

SENTENCE = "Syrian troops shelled Homs on Tuesday, killing 4 people. "
EVIL_TAGS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


def _write_hostile_folder(root: Path) -> dict[str, str]:
    """Write the hostile corpus; returns {file name: expected outcome} for the files in it."""
    root.mkdir()
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.md").write_bytes(b"   \n\n\t\n")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (root / "arabic.txt").write_bytes(
        "قصف الجيش مدينة حلب. Government forces shelled Aleppo on 24 July 2012, killing 5 people.".encode("cp1256")
    )
    (root / "latin.txt").write_bytes(
        "Fighting in Homs on 3 March 2013 killed 12 people, Médecins Sans Frontières said.".encode("latin-1")
    )
    # A long single line (no newline at all): kept modest here, the big one is in benchmarks/.
    (root / "oneline.txt").write_text((SENTENCE * 60).strip(), encoding="utf-8")
    with open(root / "feed.jsonl", "w", encoding="utf-8") as fh:
        fh.write(
            json.dumps(
                {
                    "id": "../../evil",
                    "text": "Rebels attacked Idlib on 5 May 2013, killing 3 soldiers.",
                    "date": "2013-05-06",
                    "title": EVIL_TAGS,
                    "source": EVIL_TAGS,
                    "url": "javascript:window.__pwned=3",
                }
            )
            + "\n"
        )
        fh.write(
            json.dumps(
                {
                    "id": "/etc/passwd",
                    "text": "Air strikes hit Raqqa, killing 10 civilians.",
                    "date": "the day after yesterday",
                }
            )
            + "\n"
        )
        fh.write('{"id": "trunc", "text": "Clashes in Dar')  # truncated record, no newline
    (root / "notext.csv").write_text("title,body\nA,Clashes in Aleppo killed 3.\n", encoding="utf-8")
    (root / "strange.bin").write_bytes(b"\x89PNG\r\n\x1a\n")
    loop = root / "loop"
    loop.mkdir()
    os.symlink("..", loop / "up")
    os.symlink(".", loop / "self")
    return {
        "empty.txt": "skipped",
        "blank.md": "skipped",
        "binary.txt": "skipped",
        "arabic.txt": "done",
        "latin.txt": "done",
        "oneline.txt": "done",
        "feed.jsonl": "done",
        "notext.csv": "skipped",
    }


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    inp = base / "in"
    expected = _write_hostile_folder(inp)
    out = base / "out"
    code = main(["map", str(inp), "-o", str(out), "--quiet"])
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return {"base": base, "in": inp, "out": out, "code": code, "run": run, "expected": expected}


def test_run_completes_with_exit_code_1_and_all_outputs(hostile_run):
    assert hostile_run["code"] == 1
    assert hostile_run["run"]["exit_code"] == 1
    names = {p.name for p in hostile_run["out"].iterdir()}
    for f in (
        "incidents.csv",
        "incidents.geojson",
        "incidents.parquet",
        "movements.csv",
        "movements.geojson",
        "movements.parquet",
        "mentions.csv",
        "map.html",
        "run.json",
    ):
        assert f in names
    # Atomic writers leave no temporaries behind.
    assert not [n for n in names if n.endswith(".tmp")]


def test_run_json_accounts_for_every_input(hostile_run):
    run = hostile_run["run"]
    by_name: dict[str, list[dict]] = {}
    for entry in run["inputs"]:
        by_name.setdefault(Path(entry["input"]).name, []).append(entry)
    for name, outcome in hostile_run["expected"].items():
        assert name in by_name, f"{name} missing from run.json inputs"
        assert by_name[name][0]["outcome"] == outcome, (name, by_name[name])
        if outcome == "skipped":
            assert by_name[name][0].get("reason"), name
            # ...and the same input is listed among the skipped ones.
            assert any(Path(s["input"]).name == name for s in run["skipped"]), name
    assert run["counts"]["skipped"] == len(run["skipped"])


def test_bad_inputs_have_honest_reasons(hostile_run):
    reasons = {Path(s["input"]).name: s["reason"] for s in hostile_run["run"]["skipped"]}
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "text" in reasons["notext.csv"]
    # The truncated record is skipped by line; the file's good lines are still read.
    assert any(k.startswith("feed.jsonl:3") for k in reasons), reasons
    assert "JSON" in reasons["feed.jsonl:3"]


def test_legacy_encodings_are_decoded_and_noted(hostile_run):
    arts = {a["doc_id"]: a for a in hostile_run["run"]["articles"]}
    ins = {Path(e["input"]).name: e for e in hostile_run["run"]["inputs"]}
    assert ins["arabic.txt"]["encoding"] == "cp1256"
    assert ins["latin.txt"]["encoding"] in ("cp1252", "latin-1", "iso-8859-1")
    ar = next(a for a in arts.values() if a.get("path", "").endswith("arabic.txt"))
    assert ar["outcome"] == "done" and ar["encoding"] == "cp1256"
    mentions = pd.read_csv(hostile_run["out"] / "mentions.csv", dtype=str, keep_default_na=False)
    # The Arabic text survived decoding intact (not mojibake) and reached the tables.
    assert mentions["sentence"].str.contains("حلب").any() or mentions["text"].str.contains("Aleppo").any()


def test_unparseable_date_stays_empty_and_is_noted(hostile_run):
    arts = hostile_run["run"]["articles"]
    raqqa = [a for a in arts if a.get("path", "").endswith("feed.jsonl") and a.get("notes")]
    assert raqqa, arts
    assert "unparseable date" in raqqa[0]["notes"]
    assert not raqqa[0].get("date")
    inc = pd.read_csv(hostile_run["out"] / "incidents.csv", dtype=str, keep_default_na=False)
    rows = inc[inc["doc_id"] == raqqa[0]["doc_id"]]
    # No publication date and no date in the sentence: nothing may be invented.
    assert (rows["date_start"] == "").all() and (rows["published"] == "").all()


def test_path_like_ids_write_nothing_outside_the_output_folder(hostile_run):
    base = hostile_run["base"]
    allowed = {hostile_run["in"].resolve(), hostile_run["out"].resolve()}
    for p in base.iterdir():
        assert p.resolve() in allowed, f"unexpected file {p}"
    assert not (base.parent / "evil").exists()
    for p in hostile_run["out"].iterdir():
        assert p.is_file() and not p.is_symlink()
    doc_ids = [a["doc_id"] for a in hostile_run["run"]["articles"]]
    for d in doc_ids:
        assert "/" not in d and ".." not in d and not d.startswith("."), d


def test_markup_from_inputs_is_escaped_in_the_map(hostile_run):
    html = (hostile_run["out"] / "map.html").read_text(encoding="utf-8")
    assert "<img src=x onerror" not in html
    assert "<script>window.__pwned" not in html
    assert 'href="javascript:' not in html.lower()


def test_all_good_inputs_exit_0(tmp_path):
    inp = tmp_path / "ok"
    inp.mkdir()
    (inp / "a.txt").write_text("---\ndate: 2013-05-06\n---\n" + SENTENCE, encoding="utf-8")
    code = main(["extract", str(inp), "-o", str(tmp_path / "out"), "--quiet"])
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert code == 0 and run["exit_code"] == 0 and run["skipped"] == []
    assert [e["outcome"] for e in run["inputs"]] == ["done"]


def test_missing_input_is_a_usage_error_and_writes_nothing(tmp_path, capsys):
    code = main(["extract", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "out"), "--quiet"])
    assert code == 2
    assert "nope.txt" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_output_path_that_is_a_file_is_a_usage_error(tmp_path):
    (tmp_path / "f").write_text("x")
    (tmp_path / "a.txt").write_text(SENTENCE)
    assert main(["extract", str(tmp_path / "a.txt"), "-o", str(tmp_path / "f"), "--quiet"]) == 2
    assert (tmp_path / "f").read_text() == "x"


def test_failed_map_write_keeps_previous_map(tmp_path, monkeypatch):
    """A writer failing half way must not replace the old file with a partial one."""
    import folium

    inp = tmp_path / "a.txt"
    inp.write_text("---\ndate: 2012-07-25\n---\n" + SENTENCE, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["map", str(inp), "-o", str(out), "--quiet"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def half_save(self, path, **kw):
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("<html><body>half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(folium.Map, "save", half_save)
    code = main(["map", str(inp), "-o", str(out), "--quiet"])
    assert code == 2
    # Out of disk half way: the folder holds the complete previous set, not new tables beside an old map.
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_failed_table_write_keeps_previous_tables(tmp_path, monkeypatch):
    import geomap.write as gw

    inp = tmp_path / "a.txt"
    inp.write_text("---\ndate: 2012-07-25\n---\n" + SENTENCE, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["extract", str(inp), "-o", str(out), "--quiet"]) == 0
    old = (out / "incidents.geojson").read_bytes()
    real = gw._geojson_text

    def broken(gdf):
        text = real(gdf)
        raise MemoryError(f"gave up after {len(text) // 2} characters")

    monkeypatch.setattr(gw, "_geojson_text", broken)
    with pytest.raises(MemoryError):
        main(["extract", str(inp), "-o", str(out), "--quiet"])
    assert (out / "incidents.geojson").read_bytes() == old
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_long_repetitive_article_resolution_is_not_quadratic(monkeypatch):
    """Place ranking must not compare every mention with every other one.

    Counted in distance computations (not seconds), so the test is stable on any machine:
    doubling an article's repeats should about double the work, not quadruple it.
    """
    import geomap.gazetteer.ranking as pr
    from geomap.extraction import extract

    calls = {"n": 0}
    real = pr.haversine_km

    def counting(*a, **k):
        calls["n"] += 1
        return real(*a, **k)

    monkeypatch.setattr(pr, "haversine_km", counting)
    work = []
    for reps in (40, 80):
        calls["n"] = 0
        text = "Fighting was reported in Homs and Hama and Idlib on Tuesday. " * reps
        extract(pd.DataFrame({"doc_id": ["a"], "text": [text], "date": [None]}))
        work.append(calls["n"])
    assert work[1] <= 2.6 * max(work[0], 1), work


@pytest.mark.parametrize("number", ["99999999999999999999", "9223372036854775808"])
def test_huge_count_does_not_crash_extraction(number):
    from geomap.extraction import extract

    text = f"Activists said {number} people were killed in Homs on Tuesday. Clashes in Hama killed 3."
    result = extract(pd.DataFrame({"doc_id": ["a"], "text": [text], "date": [None]}))
    assert len(result.incidents) >= 1
    best = pd.to_numeric(result.incidents["count_best"], errors="coerce").dropna()
    assert (best < 2**63).all()


def test_jsonl_record_with_unicode_line_separator_is_read(tmp_path):
    import geomap

    path = tmp_path / "feed.jsonl"
    rec = {"id": "a", "text": "Government forces shelled Homs.\u2028Three people were killed.\x85 Activists said."}
    path.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    df = geomap.read_articles(str(path))
    assert len(df) == 1 and df.attrs["skipped"] == []
    assert df["text"][0] == rec["text"]


def test_one_huge_count_does_not_sink_the_run(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "a.txt").write_text("Activists said 99999999999999999999 people were killed in Homs.", encoding="utf-8")
    (inp / "b.txt").write_text("Clashes in Hama on 3 May 2013 killed 3 soldiers.", encoding="utf-8")
    code = main(["extract", str(inp), "-o", str(tmp_path / "out"), "--quiet"])
    assert code in (0, 1)
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert {a["doc_id"] for a in run["articles"]} == {"a", "b"}


def test_reversed_range_is_ordered():
    from geomap.extraction import extract

    text = "Between 40 and 12 people died in Idlib on Tuesday, a monitor said."
    inc = extract(pd.DataFrame({"doc_id": ["a"], "text": [text], "date": [None]})).incidents
    assert len(inc) >= 1
    for rec in inc.to_dict("records"):
        assert rec["count_low"] <= rec["count_best"] <= rec["count_high"], rec


def test_ten_megabyte_single_line_is_read_and_cut_exactly(tmp_path):
    """A 10 MB file without a newline is read whole and cut into parser-sized chunks whose
    offsets are exact (extraction time on it is measured in benchmarks/hostile_cases.py)."""
    import geomap
    from geomap.extraction import MAX_CHUNK_CHARS, split_text

    path = tmp_path / "big.txt"
    path.write_text((SENTENCE * (10_000_000 // len(SENTENCE) + 1))[:10_000_000], encoding="utf-8")
    df = geomap.read_articles(str(path))
    assert len(df) == 1 and df.attrs["skipped"] == []
    text = df["text"][0]
    assert len(text) == 10_000_000
    chunks = split_text(text)
    assert len(chunks) >= 100
    assert all(len(c) <= MAX_CHUNK_CHARS for _, c in chunks)
    assert "".join(c for _, c in chunks) == text
    assert all(text[o : o + len(c)] == c for o, c in chunks)


def test_cli_gazetteer_import_refuses_zip_slip(tmp_path, capsys):
    """The library refusal is tested in test_gazetteer_import.py; here: the command says so,
    exits 2 and writes nothing, inside or outside the data folder."""
    import zipfile

    z = tmp_path / "SY.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr(
            "SY.txt",
            "170063\tHalab\tHalab\tAleppo\t36.2\t37.16\tP\tPPLA\tSY\t\t09\t\t\t\t1602264\t\t350\tAsia/Damascus\t2024-03-01\n",
        )
        zf.writestr("../../evil.txt", "x")
    data = tmp_path / "deep" / "data"
    code = main(["gazetteer", "import", str(z), "--data-dir", str(data)])
    assert code == 2
    assert "refusing" in capsys.readouterr().err
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "deep" / "evil.txt").exists()
    assert not data.exists() or not any(p.is_file() for p in data.rglob("*"))


def test_csv_with_a_long_article_is_read(tmp_path):
    import csv

    import geomap

    path = tmp_path / "long.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "date"])
        w.writerow([SENTENCE * 3000, "2013-05-06"])
        w.writerow(["Clashes in Hama killed 3 soldiers.", "2013-05-07"])
    df = geomap.read_articles(str(path))
    assert df.attrs["skipped"] == []
    assert len(df) == 2 and len(df["text"][0]) == len(SENTENCE * 3000)


def test_yaml_alias_bomb_in_front_matter_is_harmless(tmp_path):
    """'Billion laughs' front matter: aliases must not be expanded into memory or run.json."""
    lines = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = name
    lines += ["date: 2013-05-06", "---", "Clashes in Hama killed 3 soldiers on Monday."]
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "lol.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["map", str(inp), "-o", str(out), "--quiet"]) in (0, 1)
    assert (out / "run.json").stat().st_size < 1_000_000
    assert (out / "incidents.csv").stat().st_size < 1_000_000


def test_out_of_range_coordinates_in_edited_tables_are_not_drawn():
    from geomap.map import build_payload

    inc = pd.DataFrame(
        [
            {
                "event_type": "clash",
                "lat": 999.0,
                "lon": -500.0,
                "place_text": "Aleppo",
                "evidence": "edited",
                "date_start": "2012-07-24",
                "geo_precision": "town",
            },
            {
                "event_type": "clash",
                "lat": 36.2,
                "lon": 37.16,
                "place_text": "Aleppo",
                "evidence": "fine",
                "date_start": "2012-07-24",
                "geo_precision": "town",
            },
        ]
    )
    payload = build_payload(type("R", (), {"incidents": inc, "movements": None})())
    cols = payload["incidents"]["cols"]
    lat_i, lon_i = cols.index("lat"), cols.index("lon")
    for row in payload["incidents"]["rows"]:
        if row[lat_i] is not None:
            assert -90 <= row[lat_i] <= 90 and -180 <= row[lon_i] <= 180, row[:2]


# --------------------------------------------------------------------------- issue 12: read stage


def _alias_bomb(title_alias: bool = True) -> str:
    lines = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = name
    if title_alias:
        lines.append("title: *i")  # 9**9 strings once built: the run died out of memory
    lines += ["---", "Clashes in Hama killed 3 soldiers on Monday."]
    return "\n".join(lines) + "\n"


def test_alias_bomb_used_as_title_is_refused_with_a_note(tmp_path):
    import time

    (tmp_path / "lol.md").write_text(_alias_bomb(), encoding="utf-8")
    (tmp_path / "ok.md").write_text("---\ntitle: Fine\n---\nClashes in Homs.\n", encoding="utf-8")
    t = time.perf_counter()
    df = geomap.read_articles(tmp_path)
    assert time.perf_counter() - t < 5
    assert list(df["doc_id"]) == ["lol", "ok"] and df.attrs["skipped"] == []
    lol = df.set_index("doc_id").loc["lol"]
    assert "aliases expand beyond" in lol["notes"] and pd.isna(lol["title"])
    assert lol["text"].startswith("---")  # the block is kept as text, nothing lost


@pytest.mark.parametrize("body", ["a: &a [*a]", "x: " + "[" * 5000 + "]" * 5000])
def test_recursive_or_deep_front_matter_is_refused(tmp_path, body):
    (tmp_path / "a.md").write_text(f"---\n{body}\n---\nClashes in Homs.\n", encoding="utf-8")
    df = geomap.read_articles(tmp_path / "a.md")
    assert len(df) == 1 and "front matter" in df.loc[0, "notes"]


@pytest.mark.parametrize(
    "value, note",
    [
        ("2012-02-30", "unparseable date '2012-02-30'"),
        ("0001-01-01", "date 0001-01-01 outside 1900-2100 ignored"),
        ("9999-12-31", "date 9999-12-31 outside 1900-2100 ignored"),
    ],
)
def test_impossible_front_matter_dates_keep_the_article(tmp_path, value, note):
    (tmp_path / "a.md").write_text(f"---\ndate: {value}\n---\nShelling hit Homs yesterday.\n", encoding="utf-8")
    df = geomap.read_articles(tmp_path / "a.md")
    assert len(df) == 1 and df.attrs["skipped"] == []
    assert df.loc[0, "date"] is None and df.loc[0, "date_source"] == "none"
    assert note in df.loc[0, "notes"]


def test_non_utf8_and_escape_sequence_file_names(tmp_path):
    root = os.fsencode(tmp_path)
    os.mkdir(root + b"/caf\xe9")
    with open(root + b"/caf\xe9/r\xe9sum\xe9.txt", "wb") as fh:
        fh.write(b"Clashes in Homs killed 3 soldiers.")
    with open(root + b"/evil\x1b[2J\x1b]0;pwned\x07.txt", "wb") as fh:
        fh.write(b"Clashes in Hama killed 2 soldiers.")
    df = geomap.read_articles(tmp_path)
    assert len(df) == 2 and df.attrs["skipped"] == []
    shown = " ".join([e["input"] for e in df.attrs["inputs"]] + list(df["path"]))
    shown.encode("utf-8")  # no lone surrogate: run.json can be written
    assert "\x1b" not in shown and "\x07" not in shown
    assert "caf\\xe9" in shown and "\\x1b[2J" in shown


def test_folders_nested_1100_deep_are_read(tmp_path):
    deep = os.fspath(tmp_path)
    for _ in range(1100):  # os.makedirs itself recurses
        deep = os.path.join(deep, "d")
        os.mkdir(deep)
    with open(os.path.join(deep, "a.txt"), "w", encoding="utf-8") as fh:
        fh.write("Clashes in Homs killed 3 soldiers.")
    try:
        df = geomap.read_articles(tmp_path)
        assert len(df) == 1 and df.attrs["skipped"] == []
    finally:
        # pytest's own clean-up (shutil.rmtree) recurses too: take the tree down from the bottom.
        os.remove(os.path.join(deep, "a.txt"))
        while deep != os.fspath(tmp_path):
            os.rmdir(deep)
            deep = os.path.dirname(deep)


def test_dangling_links_fifos_and_unreadable_folders_are_listed(tmp_path, monkeypatch):
    (tmp_path / "ok.txt").write_text("Clashes in Homs.", encoding="utf-8")
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    os.symlink(tmp_path / "gone.png", tmp_path / "dangling.png")
    os.mkfifo(tmp_path / "pipe.md")
    os.mkfifo(tmp_path / "pipe")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden.txt").write_text("Clashes in Hama.", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path):  # the tests run as root, which reads every folder: refuse this one
        if os.fspath(path) == os.fspath(locked):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    df = geomap.read_articles(tmp_path)
    assert list(df["doc_id"]) == ["ok"]
    inputs = {Path(e["input"]).name: e for e in df.attrs["inputs"]}
    skipped = {Path(s["input"]).name: s["reason"] for s in df.attrs["skipped"]}
    assert skipped == {
        "dangling.txt": "dangling symbolic link (its target does not exist)",
        "pipe.md": "not a regular file: a named pipe (FIFO)",
        "locked": "cannot read folder: Permission denied",
    }
    assert inputs["dangling.png"]["outcome"] == "ignored" and "dangling" in inputs["dangling.png"]["reason"]
    assert inputs["pipe"]["outcome"] == "ignored" and "FIFO" in inputs["pipe"]["reason"]


SENT = "Government forces shelled Homs on Tuesday, killing 12 people, activists said. "


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-32"])
def test_wide_encodings_without_bom_are_read(tmp_path, encoding):
    text = SENT * 3 + "Clashes in Deir ez-Zor."
    (tmp_path / "a.txt").write_bytes(text.encode(encoding))
    df = geomap.read_articles(tmp_path / "a.txt")
    assert df.attrs["skipped"] == [] and df.loc[0, "text"] == text
    assert df.loc[0, "encoding"] == encoding and df.loc[0, "encoding_confidence"] > 0.5


def test_one_cp1252_byte_does_not_turn_a_utf8_file_into_latin1(tmp_path):
    text = SENT + "“Aleppo is ours,” said a commander in Jisr al-Shughur — "
    (tmp_path / "a.txt").write_bytes(text.encode("utf-8") + b"caf\xe9.")
    df = geomap.read_articles(tmp_path / "a.txt")
    assert df.loc[0, "text"] == text + "café."
    assert df.loc[0, "encoding"] == "utf-8" and df.loc[0, "encoding_confidence"] < 1
    assert "1 byte(s) not UTF-8 read as windows-1252" in df.loc[0, "notes"]


def test_invisible_characters_are_removed_and_counted(tmp_path):
    (tmp_path / "a.txt").write_text("Shelling hit Ho\u200bms and Dar\u00adaa; \u200fحل\u200cب.", encoding="utf-8")
    df = geomap.read_articles(tmp_path / "a.txt")
    assert df.loc[0, "text"] == "Shelling hit Homs and Daraa; حل\u200cب."  # ZWNJ shapes Arabic: kept
    assert "3 invisible character(s) removed" in df.loc[0, "notes"]


def test_escape_sequences_in_file_names_never_reach_the_terminal(tmp_path, capsys):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "\x1b[2J\x1b]0;pwned\x07.txt").write_bytes(b"")  # empty: skipped, so its name is printed
    assert main(["extract", str(inp), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert "\\x1b[2J\\x1b]0;pwned\\x07.txt" in err


def test_gazetteer_info_into_a_closed_pipe_is_quiet(tmp_path):
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; from geomap.cli import main; sys.exit(main())", "gazetteer", "info"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()  # the reader (`| head -0`) is gone before geomap writes
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert "Broken pipe" not in err and "Exception ignored" not in err and err == ""


def test_a_component_that_fails_to_import_fails_the_run(tmp_path, monkeypatch, capsys):
    from geomap.errors import GeomapError
    from geomap.extraction import extract
    from geomap.nlp import pipeline

    monkeypatch.setattr(pipeline, "COMPONENTS", [*pipeline.COMPONENTS, ("geomap_lost", "geomap.nlp.no_such_module")])
    with pytest.raises(GeomapError, match="pipeline component geomap_lost .* cannot be loaded"):
        extract(pd.DataFrame({"doc_id": ["a"], "text": ["Clashes in Homs."], "date": [None]}))
    (tmp_path / "a.txt").write_text("Clashes in Homs killed 3 soldiers.", encoding="utf-8")
    assert main(["extract", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out")]) == 2
    assert "geomap_lost" in capsys.readouterr().err
    assert not (tmp_path / "out" / "incidents.csv").exists()


def test_mentions_do_not_grow_with_the_square_of_sentence_length(tmp_path):
    """'Aleppo, ' x N is one sentence with N mentions: it is stored once, not N times."""
    sizes = {}
    for n in (400, 1600):
        inp = tmp_path / f"in{n}.txt"
        inp.write_text("Aleppo, " * n, encoding="utf-8")
        out = tmp_path / f"out{n}"
        assert main(["extract", str(inp), "-o", str(out), "--quiet", "--date", "2013-01-01"]) == 0
        men = pd.read_csv(out / "mentions.csv")
        sents = pd.read_csv(out / "sentences.csv")
        assert len(men) >= n * 0.9 and len(sents) == 1 and set(men["sentence_id"]) == {1}
        assert men["sentence"].str.len().max() <= 402
        sizes[n] = (out / "mentions.csv").stat().st_size + (out / "sentences.csv").stat().st_size
    # 4x the text, about 4x the bytes (it was 16x: 801 MB for 10,000 repetitions).
    assert sizes[1600] < 5 * sizes[400]


def test_a_zero_width_space_no_longer_hides_a_place_and_offsets_stay_exact(tmp_path):
    from geomap.extraction import extract

    (tmp_path / "a.txt").write_text(
        "Government forces shelled Ho\u200bms on Tuesday, killing 12 people.", encoding="utf-8"
    )
    articles = geomap.read_articles(tmp_path / "a.txt", date="2013-05-06")
    result = extract(articles)
    text = articles.loc[0, "text"]
    homs = result.mentions[result.mentions["text"] == "Homs"]
    assert len(homs) == 1 and homs["gazetteer_id"].notna().all()
    s, e = int(homs["char_start"].iloc[0]), int(homs["char_end"].iloc[0])
    assert text[s:e] == "Homs"
    for r in result.incidents.itertuples():
        assert text[r.char_start : r.char_end] == r.evidence


def test_cli_run_over_non_utf8_names_writes_everything_and_exits_0(tmp_path):
    inp = os.fsencode(tmp_path / "in")
    os.mkdir(inp)
    os.mkdir(inp + b"/caf\xe9")
    with open(inp + b"/caf\xe9/r\xe9sum\xe9.txt", "wb") as fh:
        fh.write(b"Government forces shelled Homs on 3 March 2013, killing 12 people.")
    out = tmp_path / "out"
    assert main(["extract", os.fsdecode(inp), "-o", str(out), "--quiet"]) == 0
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["exit_code"] == 0 and run["skipped"] == []
    assert [e["outcome"] for e in run["inputs"]] == ["done"] and "caf\\xe9" in run["inputs"][0]["input"]
    assert len(pd.read_csv(out / "mentions.csv")) >= 1
