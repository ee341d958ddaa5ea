"""A village the gazetteer holds without a census figure needs place evidence in running text; a
verb of motion whose object it is ("a convoy left X") is such evidence, as a locative preposition
is ("in X"). Sentences written for this test."""

from __future__ import annotations


def places(nlp, text):
    return [(s.text, s._.place_id) for s in nlp(text)._.places]


def test_a_village_left_or_reached_by_a_convoy_is_a_place(places_nlp):
    assert ("Madaya", "gn:167558") in places(places_nlp, "A Syrian army convoy left Madaya at dawn on Tuesday.")


def test_the_same_verb_with_a_person_as_object_gives_no_place(places_nlp):
    got = places(places_nlp, "Syrian officials said Bashar left Ahmad at the gate on Tuesday.")
    assert all(text not in ("Ahmad", "Bashar") for text, _ in got), got
