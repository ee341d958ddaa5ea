"""Reading articles: formats, metadata precedence, dates, encodings and hostile inputs."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from geomap.errors import InputError
from geomap.read import decode_bytes, find_text_date, html_to_article, parse_date, read_articles, safe_id

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CNN = "cnn-2012-07-25-syrian-rebels-fight-through-grief-pride"
CSM = "csm-2012-07-30-as-syrian-government-gains-ground-in-aleppo"


def test_seeds_folder_gives_two_dated_articles():
    df = read_articles(SEEDS)
    assert list(df["doc_id"]) == [CNN, CSM]
    assert list(df["date"]) == [dt.date(2012, 7, 25), dt.date(2012, 7, 30)]
    assert list(df["source"]) == ["CNN", "Christian Science Monitor"]
    assert list(df["date_source"]) == ["metadata", "metadata"]
    assert df.loc[0, "title"] == "Syrian rebels fight through grief, pride"
    assert df.loc[1, "text"].startswith("As Syrian government gains ground in Aleppo")
    assert df.attrs["skipped"] == []
    assert [e["outcome"] for e in df.attrs["inputs"]] == ["done", "done"]


def test_seed_file_alone_takes_its_date_from_the_dateline():
    df = read_articles(SEEDS / f"{CSM}.txt")
    assert df.loc[0, "date"] == dt.date(2012, 7, 30)
    assert df.loc[0, "date_source"] == "dateline"
    # The CNN text states no date of its own: it stays empty unless --date gives one.
    df = read_articles(SEEDS / f"{CNN}.txt")
    assert df.loc[0, "date"] is None and df.loc[0, "date_source"] == "none"
    df = read_articles(SEEDS / f"{CNN}.txt", date="2012-07-25")
    assert df.loc[0, "date"] == dt.date(2012, 7, 25) and df.loc[0, "date_source"] == "option"


def test_front_matter_wins_over_text_and_option(tmp_path):
    (tmp_path / "a.md").write_text(
        "---\ndate: 2013-03-05\nsource: Reuters\ntitle: Raqqa falls\nurl: https://example.org/x\nauthor: Someone\n---\n"
        "RAQQA, Syria, March 4, 2013 (Reuters) - Rebels took Raqqa.\n",
        encoding="utf-8",
    )
    df = read_articles(tmp_path / "a.md", date="2000-01-01")
    row = df.iloc[0]
    assert row["date"] == dt.date(2013, 3, 5) and row["date_source"] == "front_matter"
    assert (row["source"], row["title"], row["url"]) == ("Reuters", "Raqqa falls", "https://example.org/x")
    assert row["author"] == "Someone"
    assert row["text"].startswith("RAQQA, Syria")
    assert "---" not in row["text"]


def test_metadata_argument_wins_over_front_matter(tmp_path):
    (tmp_path / "a.txt").write_text("---\ndate: 2013-03-05\n---\nText about Homs.\n")
    meta = pd.DataFrame([{"file": str(tmp_path / "a.txt"), "date": "2013-03-07", "source": "AFP"}])
    df = read_articles(tmp_path, metadata=meta)
    assert df.loc[0, "date"] == dt.date(2013, 3, 7) and df.loc[0, "date_source"] == "metadata"
    assert df.loc[0, "source"] == "AFP"


@pytest.mark.parametrize(
    "head, expected, source",
    [
        ("HOMS, Syria, Feb. 4, 2012 (AP) -- Shelling continued.", dt.date(2012, 2, 4), "dateline"),
        ("Title\n\nMonday, 6 August 2012\n\nBody text.", dt.date(2012, 8, 6), "dateline"),
        ("Published: 2014-01-22 10:31 GMT\nGeneva talks.", dt.date(2014, 1, 22), "dateline"),
        ("Rebels said on 12 May 2013 that they held the town.", dt.date(2013, 5, 12), "text"),
        ("Rebels said on Tuesday that they held the town.", None, "none"),
        ("Clashes on February 30, 2012 in Homs.", None, "none"),
    ],
)
def test_dates_found_in_text(head, expected, source):
    assert find_text_date(head) == (expected, source)


def test_parse_date_forms():
    assert parse_date("2012-07-30") == dt.date(2012, 7, 30)
    assert parse_date("2012-07-30T08:00:00Z") == dt.date(2012, 7, 30)
    assert parse_date("July 30, 2012") == dt.date(2012, 7, 30)
    assert parse_date("30 Jul 2012") == dt.date(2012, 7, 30)
    assert parse_date(dt.datetime(2012, 7, 30, 5)) == dt.date(2012, 7, 30)
    for bad in ("", "soon", "July 2012", "2012-13-01", None, float("nan")):
        assert parse_date(bad) is None


def test_bad_date_option_is_an_input_error():
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        read_articles(SEEDS, date="last tuesday")


def test_unparseable_metadata_date_falls_through_and_is_noted(tmp_path):
    (tmp_path / "a.txt").write_text("---\ndate: sometime in spring\n---\nAleppo, July 3, 2012 - clashes.\n")
    df = read_articles(tmp_path / "a.txt")
    assert df.loc[0, "date"] == dt.date(2012, 7, 3)
    assert "unparseable date" in df.loc[0, "notes"]


def test_html_keeps_article_drops_chrome(tmp_path):
    page = """<html><head><title>Site | Shelling in Homs</title>
    <meta property="og:site_name" content="Example News">
    <meta property="article:published_time" content="2012-02-06T09:00:00Z">
    <link rel="canonical" href="https://news.example/homs">
    <script>var x = "Damascus in a script";</script><style>p {color: red}</style></head>
    <body><nav><a>Home</a> <a>Aleppo news</a></nav><header>Breaking: Idlib</header>
    <article><h1>Shelling in Homs</h1><p>Government forces shelled Baba Amr on Monday.</p>
    <p>At least 50 people were killed, activists said.</p><aside>Related: Hama</aside></article>
    <footer>Copyright Latakia Media</footer></body></html>"""
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    df = read_articles(tmp_path / "p.html")
    text = df.loc[0, "text"]
    assert (
        text
        == "Shelling in Homs\n\nGovernment forces shelled Baba Amr on Monday.\n\nAt least 50 people were killed, activists said."
    )
    for chrome in ("Damascus", "Aleppo", "Idlib", "Hama", "Latakia", "color"):
        assert chrome not in text
    assert df.loc[0, "date"] == dt.date(2012, 2, 6) and df.loc[0, "date_source"] == "metadata"
    assert df.loc[0, "source"] == "Example News"
    assert df.loc[0, "url"] == "https://news.example/homs"


def test_html_without_article_uses_body():
    text, _ = html_to_article("<html><body><div>Clashes in <b>Daraa</b> today.</div><script>x</script></body></html>")
    assert text == "Clashes in Daraa today."
    text, _ = html_to_article("<body><div>Shelling in Homs.</div><div>Clashes in <a href='#'>Hama</a>.</div></body>")
    assert text == "Shelling in Homs.\n\nClashes in Hama."


def test_jsonl_fields_carried_and_bad_lines_skipped(tmp_path):
    lines = [
        json.dumps({"id": "r1", "text": "Shelling in Homs.", "date": "2012-02-06", "source": "AP", "lang": "en"}),
        "",
        json.dumps({"id": "r2", "text": "   "}),
        '{"id": "r3", "text": "Truncated li',
        json.dumps({"id": "r4", "text": "Clashes in Daraa.", "extra": {"k": 1}}),
        json.dumps(["not", "an", "object"]),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n")
    df = read_articles(tmp_path / "feed.jsonl")
    # The record's own id is its doc_id (issue 13: ids survive), kept verbatim in source_id.
    assert list(df["doc_id"]) == ["r1", "r4"]
    assert list(df["source_id"]) == ["r1", "r4"] and list(df["id"]) == ["r1", "r4"]
    assert df.loc[0, "lang"] == "en" and df.loc[1, "extra"] == {"k": 1}
    assert df.loc[0, "date"] == dt.date(2012, 2, 6) and df.loc[0, "source"] == "AP"
    reasons = {s["input"].rsplit(":", 1)[1]: s["reason"] for s in df.attrs["skipped"]}
    assert set(reasons) == {"3", "4", "6"}
    assert "empty text" in reasons["3"] and "invalid JSON" in reasons["4"]


def test_csv_with_and_without_text_column(tmp_path):
    pd.DataFrame(
        {
            "text": ["Clashes in Hama.", "", "Shelling of Douma."],
            "date": ["2012-06-01", "", "bad"],
            "outlet": ["BBC", "", ""],
            "score": [1, 2, 3],
        }
    ).to_csv(tmp_path / "a.csv", index=False)
    (tmp_path / "b.csv").write_text("headline,body\nx,y\n")
    df = read_articles(tmp_path / "a.csv", tmp_path / "b.csv")
    assert list(df["doc_id"]) == ["a-R1", "a-R3"]
    assert df.loc[0, "source"] == "BBC" and df.loc[0, "score"] == "1"
    assert df.loc[1, "date"] is None and "unparseable date" in df.loc[1, "notes"]
    skipped = {Path(s["input"].split(":")[0]).name: s["reason"] for s in df.attrs["skipped"]}
    assert "no 'text' column" in skipped["b.csv"]
    assert "empty text" in skipped["a.csv"]


def test_hostile_files_are_skipped_with_reasons(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("\n\n   \n")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "ok.txt").write_text("Clashes in Homs on July 3, 2012.")
    df = read_articles(tmp_path, "/definitely/not/here")
    assert list(df["doc_id"]) == ["ok"]
    reasons = {Path(s["input"]).name: s["reason"] for s in df.attrs["skipped"]}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["blank.txt"] == "empty file"
    assert reasons["binary.txt"].startswith("binary file")
    assert reasons["here"] == "no such file or folder"
    outcomes = {Path(e["input"]).name: e["outcome"] for e in df.attrs["inputs"]}
    assert outcomes["image.png"] == "ignored" and outcomes["ok.txt"] == "done"


def test_legacy_encodings_are_decoded_and_noted(tmp_path):
    arabic = "اشتباكات في حلب"
    (tmp_path / "ar.txt").write_bytes(("Clashes in Aleppo: " + arabic + " on 3 July 2012.").encode("cp1256"))
    (tmp_path / "fr.txt").write_bytes("Combats à Alep, déplacés.".encode("latin-1"))
    df = read_articles(tmp_path).set_index("doc_id")
    assert df.loc["ar", "encoding"] == "cp1256" and arabic in df.loc["ar", "text"]
    assert df.loc["fr", "encoding"] == "cp1252" and "Combats à Alep, déplacés." == df.loc["fr", "text"]
    assert decode_bytes("Homs".encode("utf-16"))[0] == "Homs"


def test_symlink_loops_are_not_followed_forever(tmp_path):
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    (sub / "x.txt").write_text("Fighting in Hama.")
    os.symlink(tmp_path / "a", sub / "loop")
    df = read_articles(tmp_path)
    assert list(df["doc_id"]) == ["a.b.x"]


def test_doc_ids_are_safe_stable_and_unique(tmp_path):
    # A sibling folder named "evil" inside this test's own tmp_path (not pytest's shared root,
    # where another test checks that nothing named "evil" was ever written).
    root = tmp_path / "in"
    root.mkdir()
    (root / "Weird name (1).txt").write_text("Homs.")
    (root / "Weird name (1).md").write_text("Hama.")
    (root / "../evil").mkdir(exist_ok=True)
    first = read_articles(root)
    second = read_articles(root)
    assert list(first["doc_id"]) == list(second["doc_id"])
    assert len(set(first["doc_id"])) == 2
    for doc_id in first["doc_id"]:
        assert doc_id == safe_id(doc_id) and "/" not in doc_id and " " not in doc_id
    assert safe_id("../../etc/passwd") == "etc_passwd"


def test_geomap_output_folders_are_not_read_back(tmp_path):
    (tmp_path / "a.txt").write_text("Shelling in Homs.")
    out = tmp_path / "output"
    out.mkdir()
    (out / "mentions.csv").write_text("doc_id,text\na,Homs\n")
    (out / "incidents.csv").write_text("doc_id,evidence\n")
    (out / "run.json").write_text("{}")
    other = tmp_path / "mine"
    other.mkdir()
    (other / "b.txt").write_text("Clashes in Hama.")
    assert list(read_articles(tmp_path)["doc_id"]) == ["a", "mine.b"]
    assert list(read_articles(tmp_path, exclude=[other])["doc_id"]) == ["a"]


def test_pipes_and_oversized_files_never_block_the_run(tmp_path, monkeypatch):
    import geomap.read_formats as rd

    (tmp_path / "ok.txt").write_text("Clashes in Hama.")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "big.txt").write_text("x" * 5000)
    monkeypatch.setattr(rd, "MAX_FILE_BYTES", 4096)
    df = read_articles(tmp_path, tmp_path / "pipe.txt")
    assert list(df["doc_id"]) == ["ok"]
    reasons = {Path(s["input"]).name: s["reason"] for s in df.attrs["skipped"]}
    assert reasons["pipe.txt"] == "not a regular file: a named pipe (FIFO)"
    assert reasons["big.txt"].startswith("file too large")


def test_folder_documentation_is_not_read_as_an_article_unless_named(tmp_path):
    """A reporter's folder often holds a README, a list of sources or a licence: not reporting."""
    article = "Clashes in Homs on July 3, 2012."
    for name in ("README.md", "readme.fr.txt", "SOURCES.md", "EXPECTED.md", "LICENSE.txt", "Changelog.html"):
        (tmp_path / name).write_text(article)
    # Names that only start like a documentation file are articles.
    (tmp_path / "sources-say-homs.txt").write_text(article)
    (tmp_path / "readmeeting.md").write_text(article)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "README").write_text(article)  # no suffix: unsupported anyway
    (tmp_path / "sub" / "Readme.md").write_text(article)
    df = read_articles(tmp_path)
    assert list(df["doc_id"]) == ["readmeeting", "sources-say-homs"]
    assert df.attrs["skipped"] == []
    outcomes = {Path(e["input"]).name: (e["outcome"], e.get("reason", "")) for e in df.attrs["inputs"]}
    assert outcomes["EXPECTED.md"] == (
        "ignored",
        "the folder's EXPECTED file, not an article (name it as an input to read it)",
    )
    assert outcomes["Readme.md"][0] == outcomes["Changelog.html"][0] == "ignored"
    # Named as an input, the same file is read.
    assert list(read_articles(tmp_path / "README.md", tmp_path / "SOURCES.md")["doc_id"]) == ["README", "SOURCES"]


def test_a_photo_caption_never_dates_the_article(tmp_path):
    """A caption near the top dates the picture, not the article (vocab/photo_captions.tsv)."""
    caption_only_date = (
        "Rebels shell army posts near Hama\n\n"
        "FILE - In this Tuesday, March 6, 2012 file photo, a fighter walks past a burned tank in Idlib, "
        "Syria. (AP Photo/Staff, File)\n\n"
        "BEIRUT (AP) - Rebels shelled army posts near Hama, activists said.\n"
    )
    assert find_text_date(caption_only_date) == (None, "none")
    (tmp_path / "a.md").write_text(
        "---\ndate: 2014-05-02\n---\nArmy sends reinforcements to Hama\n\n"
        "In this photo taken on Sunday, Oct. 11, 2013, soldiers fire a mortar near Hama, Syria\n\n"
        "Army reinforcements arrived in Hama on Friday, a military source said.\n"
    )
    (tmp_path / "b.txt").write_text(
        "Shelling kills five in valley\n\n"
        "This frame grab from video provided on Monday, Dec. 2, 2013 shows smoke over the valley "
        "(Local Media Center, via AP, File)\n\n"
        "Tuesday 14 January 2014\n\nShelling killed five people in the valley, activists said.\n"
    )
    df = read_articles(tmp_path).set_index("doc_id")
    # The front matter's date stands: the caption's is not a dateline that disagrees with it.
    assert (df.loc["a", "date"], df.loc["a", "date_source"]) == (dt.date(2014, 5, 2), "front_matter")
    # The article's own dateline below the caption is found.
    assert (df.loc["b", "date"], df.loc["b", "date_source"]) == (dt.date(2014, 1, 14), "dateline")
    # An agency's photo item is nothing but its caption: its date is the item's own.
    item = "This photo released Saturday, May 3, 2014 by a news agency shows buses leaving Homs, Syria."
    assert find_text_date(item) == (dt.date(2014, 5, 3), "dateline")


def test_a_date_in_the_opening_prose_is_no_dateline(tmp_path):
    """'said on Friday, Jan. 13, 2017' is prose: it never overrides the metadata date, where a
    byline's 'AFP Tuesday 4 Oct 2016' does."""
    prose = (
        "Troops enter valley\n\nBEIRUT (AP) - Activists said on Friday, Jan. 13, 2017 that troops entered the valley."
    )
    assert find_text_date(prose) == (dt.date(2017, 1, 13), "text")
    (tmp_path / "a.md").write_text("---\ndate: 2017-01-20\n---\n" + prose)
    df = read_articles(tmp_path / "a.md")
    assert (df.loc[0, "date"], df.loc[0, "date_source"]) == (dt.date(2017, 1, 20), "front_matter")
    byline = "Market hit by rockets\n\nBy our correspondent AFP Tuesday 4 Oct 2016 At least 12 shoppers died."
    assert find_text_date(byline) == (dt.date(2016, 10, 4), "dateline")
