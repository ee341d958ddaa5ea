"""What kind of violence a verb trigger's clause tells (geomap/nlp/event_kinds.py), through the
full pipeline. Hand-written Syrian sentences."""

from __future__ import annotations

import datetime as dt

import pytest

PUB = dt.date(2013, 3, 18)


@pytest.fixture(scope="module")
def nlp():
    from geomap.nlp import load_pipeline

    return load_pipeline()


def kinds(nlp, text):
    doc = nlp.make_doc(text)
    doc._.meta = {"doc_id": "t", "published": PUB}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return {(r["event_type"], r["sub_type"]) for r in doc._.incidents}


@pytest.mark.parametrize(
    "text,want",
    [
        # what was hit or destroyed during a strike is the strike's result, no clash
        (
            "During the airstrikes several hideouts of the rebels were hit and two depots were destroyed in Homs.",
            {("bombardment", "air strike")},
        ),
        ("Two depots were destroyed in Homs during Russian air strikes.", {("bombardment", "air strike")}),
        # with no strike as the occasion, destroying tanks is fighting
        ("During the clashes, rebels destroyed two tanks in Homs.", {("clash", None)}),
    ],
)
def test_what_was_hit_during_a_strike_is_its_result(nlp, text, want):
    assert kinds(nlp, text) == want


def test_a_participle_on_a_verbless_root_is_the_sentence_verb(nlp):
    # no finite verb: the parser hangs "shelling" on "artillery" as a participle
    text = "On 29 June 2013, government artillery shelling targeted villages of Zuwayrab district in Homs."
    assert ("bombardment", "shelling") in kinds(nlp, text)


def test_a_participle_describing_people_beside_a_finite_verb_is_no_event(nlp):
    assert kinds(nlp, "French jihadists fighting in Homs returned to Paris on Monday.") == set()


@pytest.mark.parametrize(
    "text,want",
    [
        # an unnamed group that kills a commander fights; the title before his name says who he was
        ("On 2 February 2013, an unidentified group killed rebel commander Abu Zuwayr in Homs.", ("clash", None)),
        ("On 2 February 2013, unknown assailants killed a rebel commander in Homs.", ("clash", None)),
        # gunmen who kill a journalist attack a civilian
        ("On 2 February 2013, gunmen killed the journalist Ahmad Zuwayr in Homs.", ("attack_on_civilians", None)),
    ],
)
def test_who_was_killed_by_whom(nlp, text, want):
    assert want in kinds(nlp, text)


def test_counted_strikes_on_a_verbless_root_are_reported(nlp):
    # the parser reads "targeted" as an adjective and leaves "1 air raid" as the root
    text = "On 11 January 2013, 1 Russian air raid targeted Al Zuwayrab district (Zibad). Casualties unknown."
    assert ("bombardment", "air strike") in kinds(nlp, text)
