"""Records and their tolls across sentences: days the account sets, running totals, tolls whose
event is named in a relative clause (H4, stop 18). Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest
from pipeline_docs import read

PUB = dt.date(2016, 6, 4)  # a Saturday


def incidents(nlp, text, pub=PUB):
    return read(nlp, text, pub)._.incidents


def at(recs, name):
    return [r for r in recs if r["place"] is not None and r["place"].text == name]


def test_day_set_by_the_account_is_not_merged_into_another_day(nlp):
    recs = incidents(
        nlp,
        "Rebels fired rocket shells on Hama city on Saturday, killing 7 civilians. Four people were "
        "killed in attacks on al-Hader neighborhood. Shells hit al-Hader neighborhood on Friday.",
    )
    hader = at(recs, "al-Hader")
    assert sorted(r["date_start"] for r in hader) == [dt.date(2016, 6, 3), dt.date(2016, 6, 4)]
    saturday = next(r for r in hader if r["date_start"] == dt.date(2016, 6, 4))
    assert saturday["count_type"] == "killed" and saturday["count_best"] == 4


def test_running_total_is_the_event_toll_not_a_new_record(nlp):
    recs = incidents(nlp, "Rebels fired rocket shells on Douma on Saturday. The death toll has risen to 23.")
    assert len(recs) == 1
    assert recs[0]["place"].text == "Douma"
    assert (recs[0]["count_type"], recs[0]["count_best"]) == ("killed", 23)


def test_toll_reached_replaces_the_first_figure(nlp):
    recs = incidents(nlp, "Rebels fired rocket shells on Douma on Saturday, killing 5. The toll reached 9 by evening.")
    assert [(r["place"].text, r["count_best"]) for r in recs] == [("Douma", 9)]


def test_toll_of_a_place_the_gazetteer_lacks_is_not_the_scene_event(nlp):
    recs = incidents(
        nlp,
        "Government jets pounded Idlib city on Saturday, killing 6 civilians. "
        "Later, the death toll in al-Warda neighborhood climbed to 2 besides 5 wounded people.",
    )
    strikes = [r for r in recs if r["event_type"] == "bombardment"]
    assert len(strikes) == 1 and strikes[0]["place"].text == "Idlib city"
    assert strikes[0]["count_best"] == 6 and strikes[0].get("injured_best") is None
    # the neighbourhood's own record: no town in its sentence, so it lies in the city the
    # account is set in (Idlib is a city; after a small town it would stay unresolved:
    # tests/test_neighbourhood_city.py)
    own = [r for r in recs if r.get("injured_best") == 5]
    assert [(r["count_best"], r["place"].text) for r in own] == [(2, "Idlib city")]


@pytest.mark.parametrize(
    ("text", "start"),
    [
        # a situation going on up to the statement holds on its day
        ("Activists said on Friday that there has been fierce shelling in Douma.", dt.date(2016, 6, 3)),
        ("Fighting has raged in Douma, activists said on Friday.", dt.date(2016, 6, 3)),
        ("Activists said on Friday that government forces have been shelling Douma.", dt.date(2016, 6, 3)),
        # a deed done by then: the week up to it
        ("Rebels have seized the town of Douma, the Pentagon said on Friday.", dt.date(2016, 5, 28)),
    ],
)
def test_perfect_told_on_a_statement_day(nlp, text, start):
    recs = incidents(nlp, text)
    assert len(recs) == 1
    assert recs[0]["date_start"] == start and recs[0]["date_end"] == dt.date(2016, 6, 3)


def test_definite_retelling_is_the_event_already_told(nlp):
    text = (
        "Heavy clashes broke out between the army and Nusra fighters in Qusayr on Friday. "
        "Local sources said the battles reached the edges of the village of Rableh. "
        "The sources added the clashes began once soldiers in the area refused to hand over prisoners."
    )
    recs = [r for r in incidents(nlp, text) if r["event_type"] == "clash"]
    assert [r["place"].text for r in recs] == ["Qusayr"]
    assert "the clashes began once" in recs[0]["other_evidence"]


def test_places_listed_inside_an_area_each_get_a_record(nlp):
    recs = incidents(
        nlp,
        "Regime tanks pounded rebel sites in the surroundings of Binnish Taftanaz and Sarmin in Idlib province on Friday.",
    )
    assert sorted(r["place"].text for r in recs) == ["Binnish", "Sarmin", "Taftanaz"]


def test_a_place_outside_the_area_is_no_list_member(nlp):
    recs = incidents(nlp, "Fighting in Homs on Friday killed fighters from Hama.")
    assert [r["place"].text for r in recs] == ["Homs"]


def test_neighbourhood_the_gazetteer_lacks_lies_in_the_town_its_sentence_names(nlp):
    recs = incidents(
        nlp, "In Hama, on Friday militants shelled the al-Warda neighborhood with rockets killing 4 people."
    )
    assert [(r["place"].text, r.get("place_named"), r["count_best"]) for r in recs] == [("Hama", "al-Warda", 4)]


def test_neighbourhood_the_gazetteer_lacks_is_not_put_in_the_small_town_of_an_earlier_sentence(nlp):
    # after a city it would lie in that city (tests/test_neighbourhood_city.py)
    recs = incidents(
        nlp,
        "Government aircraft bombed Kafr Nubl on Thursday killing 9 people. "
        "On Friday militants shelled al-Warda neighborhood with mortars killing 4 people.",
    )
    friday = [r for r in recs if r["date_start"] == dt.date(2016, 6, 3)]
    assert len(friday) == 1
    assert friday[0]["place"].text == "al-Warda" and friday[0]["place"]._.place_id is None
    assert friday[0]["count_best"] == 4


def test_toll_of_a_shell_told_in_its_relative_clause_is_its_own_record(nlp):
    recs = incidents(
        nlp,
        "Militants shelled Deir Ezzor on Saturday. Three people died in Deir Ezzor. "
        "A second missile that landed in Mayadin left 4 people dead. Shells also hit Mayadin on Friday.",
    )
    mayadin = at(recs, "Mayadin")
    saturday = [r for r in mayadin if r["date_start"] == dt.date(2016, 6, 4)]
    assert len(saturday) == 1
    assert (saturday[0]["event_type"], saturday[0]["sub_type"]) == ("bombardment", "missile")
    assert saturday[0]["count_best"] == 4
    assert any(r["date_start"] == dt.date(2016, 6, 3) for r in mayadin)


@pytest.mark.parametrize(
    "text",
    [
        # the parser hangs the verb on its subject noun, and the day on that noun
        "The armed gangs on Friday pounded with rockets the city of Homs.",
        # the day sits in a stative participle describing the object
        "Russian jets struck depots belonging to the Nusra Front near Jisr al-Shughur for a third day on Friday.",
    ],
)
def test_day_hung_on_an_argument_dates_the_clause(nlp, text):
    recs = incidents(nlp, text)
    assert recs and all(r["date_start"] == r["date_end"] == dt.date(2016, 6, 3) for r in recs)


def test_a_parenthesis_ends_the_clause_inside_it(nlp):
    # after the ")" the outer clause goes on: the raids' place and day are told after it
    text = "Government forces launched 3 air raids using heavy bombs (believed to be barrel bombs) in Ariha on Friday."
    recs = incidents(nlp, text)
    assert [(r["event_type"], r["place"].text, r["date_start"]) for r in recs] == [
        ("bombardment", "Ariha", dt.date(2016, 6, 3))
    ]


def test_off_the_coast_of_a_town_is_where(nlp):
    from geomap.nlp.event_scene import _locative

    text = "Coast guards arrested 6 smugglers off the coast of Tartus on Monday."
    doc = incidents_doc(nlp, text)
    tartus = [p for p in doc._.places if p.text == "Tartus"]
    assert tartus and _locative(tartus[0])
    assert [r["place"].text for r in doc._.incidents] == ["Tartus"]


def incidents_doc(nlp, text, pub=PUB):
    doc = nlp.make_doc(text)
    doc._.meta = {"doc_id": "t", "published": pub}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def test_what_has_happened_time_and_again_is_no_event(nlp):
    assert incidents(nlp, "The eastern suburbs of Saraqeb have repeatedly come under mortar fire.") == []
    assert incidents(nlp, "Militants routinely fire mortars into Tartus from the hills.") == []
    recs = incidents(nlp, "The eastern suburbs of Saraqeb came under mortar fire on Friday.")
    assert [r["event_type"] for r in recs] == ["bombardment"]


def test_unresolved_list_member_sits_on_the_town_its_phrase_names(nlp):
    recs = incidents(
        nlp, "Militants shelled the districts of Bab Qibli and Tal Abu Hanak in Hama city with rockets on Friday."
    )
    assert sorted((r["place"].text, r.get("place_named")) for r in recs) == [
        ("Bab Qibli", None),
        ("Hama city", "Tal Abu Hanak"),
    ]


def test_a_stretch_of_time_in_the_clause_wins_over_the_statement_day(nlp):
    recs = incidents(nlp, "Activists said on Saturday that warplanes had been bombing Jisr al-Shughour all week.")
    assert [(r["date_start"], r["date_end"]) for r in recs] == [(dt.date(2016, 5, 29), dt.date(2016, 6, 4))]
    recs = incidents(nlp, "Jets bombed Binnish all week, activists said on Saturday.")
    assert [(r["date_start"], r["date_end"]) for r in recs] == [(dt.date(2016, 5, 29), dt.date(2016, 6, 4))]


def test_an_eventive_participle_day_dates_its_own_deed_not_the_clause(nlp):
    # 'on Monday' tells when the rebels captured the positions, not when the jets bombed them
    text = "Government jets bombed positions captured by rebels on Monday in the Hama countryside, activists said."
    recs = incidents(nlp, text)
    assert len(recs) == 1 and recs[0]["date_start"] != dt.date(2016, 5, 30)
    # a stative one ('held by') says what the target is: its day is the clause's
    recs = incidents(nlp, "Jets bombed bases held by rebels in Binnish on Thursday.")
    assert [(r["place"].text, r["date_start"]) for r in recs] == [("Binnish", dt.date(2016, 6, 2))]
