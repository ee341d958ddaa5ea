"""An article's own dateline: found at its top, and preferred to a metadata date it contradicts."""

import datetime as dt
import json

import pytest

from geomap.read import find_text_date, parse_date, read_articles


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Sun 16 Apr 2017 Rebels shelled a checkpoint near the town.", "2017-04-16"),
        ("Published June 20 2016 At least 23 militants were killed on Sunday.", "2016-06-20"),
        ("Date of publication 3 March 2015 Jets struck a market on Tuesday.", "2015-03-03"),
        ("04-06-2016 Rockets hit two districts of the city.", "2016-06-04"),  # day first
        ("06-25-2016 Rockets hit two districts of the city.", "2016-06-25"),  # 25 cannot be a month
        ("Army pushes into suburbs AFP Thursday 5 Mar 2015 Troops advanced on Thursday.", "2015-03-05"),
        ("Strikes hit a convoy REUTERS Middle East 1415 07.03.2017 (updated 1502) Strikes hit.", "2017-03-07"),
    ],
)
def test_dateline_at_the_top(text, expected):
    assert find_text_date(text) == (dt.date.fromisoformat(expected), "dateline")


def test_a_date_in_the_prose_is_no_dateline():
    date, how = find_text_date("Rebels said protests began on March 15, 2011 in the south.")
    assert how == "text" and date == dt.date(2011, 3, 15)


def test_day_first_metadata():
    assert parse_date("04-06-2016") == dt.date(2016, 6, 4)


def test_dateline_wins_over_a_contradicting_metadata_date(tmp_path):
    path = tmp_path / "a.jsonl"
    rows = [
        {"id": "far", "text": "Published June 20 2016 Militants were killed on Sunday.", "date": "2016-06-25"},
        {"id": "near", "text": "Published June 20 2016 Militants were killed on Sunday.", "date": "2016-06-21"},
        {"id": "prose", "text": "Rebels recalled that on March 15, 2011 protests began.", "date": "2016-06-25"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    df = read_articles(path).set_index("doc_id")
    assert df.loc["far", "date"] == dt.date(2016, 6, 20) and df.loc["far", "date_source"] == "dateline"
    assert "disagrees with the article's dateline" in df.loc["far", "notes"]
    # a day apart (time zones, late-night filing): the metadata stays
    assert df.loc["near", "date"] == dt.date(2016, 6, 21) and df.loc["near", "date_source"] == "metadata"
    # a date in the prose is history, not the article's own date
    assert df.loc["prose", "date"] == dt.date(2016, 6, 25)
