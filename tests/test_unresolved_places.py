"""Places the gazetteer lacks, kept as text with no point (geomap/nlp/unresolved_places.py),
through the full pipeline. Hand-written sentences; the village names are made up, so that no
gazetteer holds them."""

from __future__ import annotations

import datetime as dt

import pytest
from pipeline_docs import read

PUB = dt.date(2014, 5, 20)


def records(nlp, text):
    return read(nlp, text, PUB)._.incidents


def places(nlp, text):
    return [r["place"].text for r in records(nlp, text) if r["place"] is not None]


@pytest.mark.parametrize(
    "text,name",
    [
        # the recogniser calls these names people or organisations; the parenthesis of names
        # after them (district, province) says they are places
        ("On 5 May 2014, the army shelled Al Mazurah (Zibad, Qurbat) with tanks.", "Al Mazurah"),
        ("On 5 May 2014, rebels fired rockets on Al Mazurah (Zibad, Qurbat).", "Al Mazurah"),
        # a note in parentheses between the name and its province
        ("On 5 May 2014, the army shelled Tell Mazurah (the farms) (Qurbat) overnight.", "Tell Mazurah"),
        # a settlement noun with its name
        (
            "On 9 May 2014, 2 army air raids struck Mazurah district (Qurbat). No casualties were reported.",
            "Mazurah district",
        ),
    ],
)
def test_a_name_placed_by_a_parenthesis_is_an_unresolved_place(nlp, text, name):
    recs = [r for r in records(nlp, text) if r["event_type"] == "bombardment"]
    assert recs and recs[0]["place"].text == name
    assert recs[0]["place"]._.place_id is None  # kept as text: no point is guessed


def test_no_place_from_a_dateline(nlp):
    # capitals and a news outlet in parentheses; the clash itself is still read
    recs = records(nlp, "MAZURAH (Reuters) - Rebels clashed with the army in Homs on Sunday, a monitor said.")
    assert [r["event_type"] for r in recs] == ["clash"]
    assert all("MAZURAH" not in r["place"].text for r in recs if r["place"] is not None)


def test_no_place_from_a_description_in_parentheses(nlp):
    recs = records(nlp, "On 6 May 2014, gunmen attacked Abu Mazur (a local commander) in Hama at night.")
    assert recs and all("Mazur" not in r["place"].text for r in recs if r["place"] is not None)


def test_an_arabic_article_is_no_word_shared_with_a_known_place(nlp):
    # "Al Bab" resolves; "Al" alone does not make "Al Mazurah" a misspelling of it
    text = "On 7 May 2014, tanks pounded Al Mazurah (Zibad, Qurbat). On 8 May 2014, jets struck Al Bab."
    assert "Al Mazurah" in places(nlp, text)


def test_what_a_side_took_control_of_is_an_unresolved_place(nlp):
    assert "Tell Mazurah" in places(
        nlp, "On 9 May 2014, rebels seized control of the Tell Mazurah camp after heavy fighting."
    )


def test_what_was_shot_down_over_a_village_is_there(nlp):
    recs = records(nlp, "On 8 May 2014, the army shot down a rebel drone over Tell Mazurah village.")
    assert [(r["event_type"], r["place"].text) for r in recs] == [("strategic_development", "Tell Mazurah")]


@pytest.mark.parametrize(
    "text,name",
    [
        # the recogniser calls "Al X" an organisation; the actor vocabulary does not know it
        ("On 8 May 2014, rebels shelled army posts in Al Mazurah with mortars.", "Al Mazurah"),
        # "As" read as the preposition "as"
        ("On 8 May 2014, jets conducted 3 raids on As Mazurah (Zibad, Qurbat).", "As Mazurah"),
    ],
)
def test_arabic_articles_the_parser_misreads(nlp, text, name):
    assert name in places(nlp, text)


def test_a_known_group_after_in_is_no_place(nlp):
    recs = records(nlp, "On 8 May 2014, the army shelled positions held by fighters in Al Qaeda near Hama.")
    assert recs and not any("Qaeda" in r["place"].text for r in recs if r["place"] is not None)
