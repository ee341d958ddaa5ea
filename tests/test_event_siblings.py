"""Nothing invented (H10, stop 18): a list member the gazetteer lacks never takes a sibling's
point; "the city" after two cities stays unresolved; running totals and aims are no event's
toll or place. Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

from pipeline_docs import read

PUB = dt.date(2016, 6, 4)  # a Saturday


def incidents(nlp, text, pub=PUB):
    return read(nlp, text, pub)._.incidents


def at(recs, name):
    return [r for r in recs if r["place"] is not None and r["place"].text == name]


def _named(recs, name):
    return [r for r in recs if r.get("place_named") == name]


def test_unresolved_hills_do_not_take_the_point_of_a_sibling_village(nlp):
    recs = incidents(
        nlp,
        "Army units shelled the hideouts of gunmen in the surroundings of Tal Ghurab Tal Zaytoun "
        "to the west of Nawa and in the village of Jasim on Tuesday.",
    )
    assert at(recs, "Jasim")
    assert not _named(recs, "Tal Ghurab") and not _named(recs, "Tal Zaytoun")


def test_unresolved_neighbourhood_does_not_take_the_point_of_a_sibling_town(nlp):
    recs = incidents(nlp, "Army units shelled Tal Zarazir neighborhood and the town of Anadan on Friday.")
    assert not _named(recs, "Tal Zarazir")
    assert not [r for r in at(recs, "Tal Zarazir") if r["place"]._.place_id]


def test_the_city_is_the_city_the_text_calls_one_not_the_headlines_last(nlp):
    recs = incidents(
        nlp,
        "Deadly Rebel Attacks in Damascus Aleppo. Rebels fired mortar rounds on homes in Damascus city on "
        "Tuesday. A police source said that the gunmen hiding in the orchards launched more rounds on homes "
        "in the city and left five people dead.",
    )
    assert not at(recs, "Aleppo")
    assert [r["count_best"] for r in at(recs, "Damascus city")] == [5]


def test_a_running_total_is_not_the_toll_of_one_days_event(nlp):
    lead = incidents(
        nlp,
        "Shelling by government forces on the town of Saqba on Friday killed civilians a monitor said. "
        "The monitor added that a total of 41 people were killed in Saqba in the process.",
    )
    assert [r["count_best"] for r in at(lead, "Saqba")] == [None]
    week = incidents(
        nlp,
        "Government air strikes on the besieged town of Saqba killed 6 people on Friday. "
        "A total of 41 people were killed in Saqba this week.",
    )
    assert [r["count_best"] for r in at(week, "Saqba")] == [6]


def test_an_aim_is_no_event_place(nlp):
    recs = incidents(
        nlp, "Turkish jets hit Islamic State rocket launchers which were preparing to attack Turkey on Sunday."
    )
    assert not at(recs, "Turkey")
    recs = incidents(nlp, "Turkish jets hit Islamic State rocket launchers near Jarablus on Sunday.")
    assert at(recs, "Jarablus")
