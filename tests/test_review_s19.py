"""Review of stop 19: the rules that landed, pinned on the reviewer's own sentences.

Every sentence here was written for these tests in ordinary wire-report style (none is taken or
adapted from the evaluation data). Each test states one rule of reading that holds for any report:
a toll told "elsewhere" or "nationwide" makes no record at the place told before it, the dead of
an attack's wounds are not another event, refugees of another country entering Syria do not
return home, a refused entry moves nobody, an infinitive under a negated "able to" did not
happen, "two days after" dates the earlier event, and a list of first names is no list of places.
"""

from __future__ import annotations

import datetime as dt

import pytest
from pipeline_docs import read

#: A Thursday: the weekdays below resolve to the days before it.
PUBLISHED = dt.date(2016, 5, 12)


def _incidents(nlp, text):
    return read(nlp, text, PUBLISHED)._.incidents


def _movements(nlp, text):
    return read(nlp, text, PUBLISHED)._.movements


def _at(recs, name):
    return [r for r in recs if r["place"] is not None and r["place"].text == name]


@pytest.mark.parametrize(
    "second",
    [
        "Elsewhere, five soldiers were killed on Tuesday.",
        "On Monday, 30 people were killed nationwide, according to the Observatory.",
        "On Monday, 30 people were killed across the country, a monitoring group said.",
    ],
)
def test_a_toll_placed_elsewhere_makes_no_record_at_the_place_told_before(nlp, second):
    first = "Rebels shelled the coastal city of Latakia on Wednesday, wounding nine people, state media said. "
    recs = _at(_incidents(nlp, first + second), "Latakia")
    assert [r["date_start"] for r in recs] == [dt.date(2016, 5, 11)]


def test_the_dead_of_an_attacks_wounds_are_no_event_of_their_own(nlp):
    text = (
        "A suicide car bomb struck a Kurdish checkpoint in Qamishli on Tuesday, killing five fighters. "
        "Two more fighters died of their wounds on Wednesday."
    )
    assert len(_at(_incidents(nlp, text), "Qamishli")) == 1


def test_two_days_after_dates_the_earlier_event_at_its_own_place(nlp):
    recs = _incidents(
        nlp, "Five people were killed in Azaz on Thursday, two days after a car bomb killed ten people in Marea."
    )
    got = sorted((r["place"].text, r["date_start"], r["count_best"]) for r in recs if r["place"] is not None)
    assert got == [("Azaz", dt.date(2016, 5, 12), 5), ("Marea", dt.date(2016, 5, 10), 10)]


@pytest.mark.parametrize(
    "text",
    [
        "Hundreds of Iraqi refugees crossed into Syria from Anbar province on Sunday, fleeing the fighting in Ramadi.",
        "About 500 Lebanese refugees fled into Syria from Nabatieh in the summer.",
    ],
)
def test_refugees_of_another_country_entering_syria_do_not_return(nlp, text):
    assert [m["kind"] for m in _movements(nlp, text)] == ["displacement"]


def test_a_refused_entry_moves_nobody_and_the_refuser_is_no_mover(nlp):
    moves = _movements(nlp, "Turkey denied entry to hundreds of Syrians fleeing Azaz at the Oncupinar border crossing.")
    assert all(m["kind"] != "troop_movement" for m in moves)


@pytest.mark.parametrize(
    "text",
    [
        "Rebels were not able to retake the hill near Kafr Zita on Sunday, a commander said.",
        "Government forces did not manage to regain control of Khan Tuman on Monday.",
        "Rebels were unable to break the siege of Kafr Zita on Tuesday.",
    ],
)
def test_a_negated_able_or_manage_to_tells_no_event(nlp, text):
    assert _incidents(nlp, text) == []


def test_an_able_to_in_the_past_tells_the_event(nlp):
    recs = _incidents(nlp, "Turkish jets began to bomb Afrin on Saturday, Kurdish officials said.")
    assert [(r["place"].text, r["date_start"]) for r in recs] == [("Afrin", dt.date(2016, 5, 7))]


def test_first_names_after_a_city_are_no_list_of_places(nlp):
    doc = read(nlp, "In Aleppo, Hassan, Omar and Ali were wounded by a shell on Monday.", PUBLISHED)
    assert [p.text for p in doc._.places] == ["Aleppo"]


def test_a_comma_list_after_in_gives_each_town_its_record(nlp):
    recs = _incidents(nlp, "Fighting raged on Sunday in Tadef, al-Bab, Qabbasin and Manbij, the Observatory said.")
    assert sorted(r["place"].text for r in recs) == ["Manbij", "Qabbasin", "Tadef", "al-Bab"]
