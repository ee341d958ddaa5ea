"""Places the gazetteer lacks, kept as text with no point (geomap/nlp/unresolved_places.py),
through the full pipeline. Hand-written sentences; the village names are made up, so that no
gazetteer holds them."""

from __future__ import annotations

import datetime as dt

import pytest

PUB = dt.date(2013, 3, 18)


@pytest.fixture(scope="module")
def nlp():
    from geomap.nlp import load_pipeline

    return load_pipeline()


def records(nlp, text):
    doc = nlp.make_doc(text)
    doc._.meta = {"doc_id": "t", "published": PUB}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc._.incidents


@pytest.mark.parametrize(
    "text,name",
    [
        # the recogniser calls these names people or organisations; the parenthesis of names
        # after them (district, province) says they are places
        (
            "On 15 March 2013, warplanes carried out 2 air raids on Al Zuwayrab (Zibad, Qurbat).",
            "Al Zuwayrab",
        ),
        ("On 6 March 2013, 2 air raids targeted Al Qutayfan (Zibad, Qurbat).", "Al Qutayfan"),
        # a note in parentheses between the name and its province
        ("On 6 March 2013, warplanes carried out 4 air raids on Zuwayrab (reported) (Wadi Zibad).", "Zuwayrab"),
        # a settlement noun with its name that the parser left outside the clause
        (
            "On 24 March 2013, 1 government air raid targeted Hayran district (Wadi Zibad). Casualties unknown.",
            "Hayran district",
        ),
    ],
)
def test_a_name_placed_by_a_parenthesis_is_an_unresolved_place(nlp, text, name):
    recs = [r for r in records(nlp, text) if r["event_type"] == "bombardment"]
    assert recs and recs[0]["place"].text == name
    assert recs[0]["place"]._.place_id is None  # kept as text: no point is guessed


@pytest.mark.parametrize(
    "text",
    [
        # a dateline: capitals and a news outlet in parentheses
        "ZUWAYRAB (Reuters) - Rebels clashed with the army, a monitor said.",
        # a description in parentheses is no district
        "On 6 March 2013, gunmen attacked Abu Zuwayr (a local commander) at night.",
    ],
)
def test_no_place_from_a_dateline_or_a_description(nlp, text):
    assert not any(r["place"] is not None and "Zuwayr" in r["place"].text for r in records(nlp, text))


def test_an_arabic_article_is_no_word_shared_with_a_known_place(nlp):
    # "Al Bab" resolves; "Al" alone does not make "Al Zuwayrab" a misspelling of it
    recs = records(
        nlp,
        "On 5 March 2013, warplanes struck Al Bab. On 6 March 2013, 2 air raids targeted Al Qutayfan (Zibad, Qurbat).",
    )
    assert "Al Qutayfan" in [r["place"].text for r in recs if r["place"] is not None]


def test_what_a_side_took_control_of_is_an_unresolved_place(nlp):
    recs = records(nlp, "On 2 March 2013, rebels took control of the Zuwayrab Military Camp after heavy fighting.")
    assert "Zuwayrab Military Camp" in [r["place"].text for r in recs if r["place"] is not None]


def test_what_was_shot_down_over_a_village_is_there(nlp):
    recs = records(nlp, "On 11 June 2013, rebels shot down a government drone over Kafr Zuwayrib village.")
    assert [(r["event_type"], r["place"].text) for r in recs] == [("strategic_development", "Kafr Zuwayrib village")]


@pytest.mark.parametrize(
    "text,name",
    [
        # the recogniser calls "Al X" an organisation; the actor vocabulary does not know it
        (
            "On 21 April 2013, the army fired artillery at rebel positions in Al Zuwayrab. Casualties unknown.",
            "Al Zuwayrab",
        ),
        # "As" read as the preposition "as"
        ("On 27 February 2013, warplanes conducted 1 air raid on As Zuwayrab (Zibad, Qurbat).", "As Zuwayrab"),
    ],
)
def test_arabic_articles_the_parser_misreads(nlp, text, name):
    assert name in [r["place"].text for r in records(nlp, text) if r["place"] is not None]


def test_a_known_group_after_in_is_no_place(nlp):
    recs = records(nlp, "On 21 April 2013, the army fired artillery at positions held by fighters in Al Qaeda.")
    assert not any(r["place"] is not None and "Qaeda" in r["place"].text for r in recs)
