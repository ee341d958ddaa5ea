"""Records and their tolls across sentences: days the account sets, running totals, tolls whose
event is named in a relative clause (H4, stop 18). Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

PUB = dt.date(2016, 6, 4)  # a Saturday


@pytest.fixture(scope="module")
def nlp():
    import geomap.nlp.linebreaks  # noqa: F401
    from geomap.nlp import load_pipeline

    nlp = load_pipeline()
    if "geomap_linebreaks" not in nlp.pipe_names:
        nlp.add_pipe("geomap_linebreaks", before="parser")
    return nlp


def incidents(nlp, text, pub=PUB):
    doc = nlp.make_doc(text)
    doc._.meta = {"doc_id": "t", "published": pub}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc._.incidents


def at(recs, name):
    return [r for r in recs if r["place"] is not None and r["place"].text == name]


def test_day_set_by_the_account_is_not_merged_into_another_day(nlp):
    recs = incidents(
        nlp,
        "Rebels fired rocket shells on Aleppo city on Saturday, killing 12 civilians. Five people were "
        "killed in attacks on al-Midan neighborhood. Shells hit al-Midan neighborhood on Friday.",
    )
    midan = at(recs, "al-Midan")
    assert sorted(r["date_start"] for r in midan) == [dt.date(2016, 6, 3), dt.date(2016, 6, 4)]
    saturday = next(r for r in midan if r["date_start"] == dt.date(2016, 6, 4))
    assert saturday["count_type"] == "killed" and saturday["count_best"] == 5


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
        "Rebels fired rocket shells on Aleppo city on Saturday, killing 12 civilians. "
        "The death toll in al-Qarqour neighborhood reached 3 in addition to 8 injured people.",
    )
    shelling = [r for r in recs if r["event_type"] == "bombardment"]
    assert len(shelling) == 1 and shelling[0]["place"].text == "Aleppo"
    assert shelling[0]["count_best"] == 12 and shelling[0].get("injured_best") is None
    # the neighbourhood's own toll, in the town the account tells (named as the text names it)
    own = [r for r in recs if r.get("place_named") == "al-Qarqour"]
    assert [(r["count_best"], r["injured_best"]) for r in own] in ([], [(3, 8)])


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
        "Fierce clashes erupted between rebels and ISIS fighters in Qalamoun on Friday. "
        "Security sources said the fighting reached the outskirts of the town of Qara. "
        "They added that the clashes started after rebels in the area refused to pledge allegiance to ISIS."
    )
    recs = [r for r in incidents(nlp, text) if r["event_type"] == "clash"]
    assert [r["place"].text for r in recs] == ["Qalamoun"]
    assert "the clashes started after" in recs[0]["other_evidence"]


def test_places_listed_inside_an_area_each_get_a_record(nlp):
    recs = incidents(
        nlp,
        "Army artillery shelled rebel positions in the surroundings of Kafranbel Saraqeb and Ariha "
        "in Idlib province on Friday.",
    )
    assert sorted(r["place"].text for r in recs) == ["Ariha", "Kafranbel", "Saraqeb"]


def test_a_place_outside_the_area_is_no_list_member(nlp):
    recs = incidents(nlp, "Fighting in Homs on Friday killed fighters from Hama.")
    assert [r["place"].text for r in recs] == ["Homs"]


def test_neighbourhood_the_gazetteer_lacks_lies_in_the_town_told(nlp):
    recs = incidents(
        nlp,
        "Government aircraft bombed Aleppo city on Thursday killing 9 people. "
        "On Friday rebels shelled Bab al-Qadish neighborhood with mortar shells killing 4 people.",
    )
    friday = [r for r in recs if r["date_start"] == dt.date(2016, 6, 3)]
    assert len(friday) == 1
    assert friday[0]["place"].text == "Aleppo" and friday[0]["count_best"] == 4


def test_toll_of_a_shell_told_in_its_relative_clause_is_its_own_record(nlp):
    recs = incidents(
        nlp,
        "Rebels shelled Douma on Saturday. Two people were killed in Douma. "
        "Another mortar shell that fell in Jobar left 3 people dead. Shells also hit Jobar on Friday.",
    )
    jobar = at(recs, "Jobar")
    saturday = [r for r in jobar if r["date_start"] == dt.date(2016, 6, 4)]
    assert len(saturday) == 1
    assert (saturday[0]["event_type"], saturday[0]["sub_type"]) == ("bombardment", "shelling")
    assert saturday[0]["count_best"] == 3
    assert any(r["date_start"] == dt.date(2016, 6, 3) for r in jobar)


@pytest.mark.parametrize(
    "text",
    [
        # the parser hangs the verb on its subject noun, and the day on that noun
        "The terrorist organizations on Friday targeted with mortar shells the city of Aleppo.",
        # the day sits in a participle describing the object
        "Syrian war planes bombed positions belonging to the Islamic State group in Raqa for a second day on Friday.",
    ],
)
def test_day_hung_on_an_argument_dates_the_clause(nlp, text):
    recs = incidents(nlp, text)
    assert recs and all(r["date_start"] == r["date_end"] == dt.date(2016, 6, 3) for r in recs)


def test_a_parenthesis_ends_the_clause_inside_it(nlp):
    from geomap.nlp.event_units import _local

    doc = nlp("Government forces conducted 2 air raids with armed planes (understood to be armed drones) in Saraqeb.")
    verb = next(t for t in doc if t.lower_ == "conducted")
    inside = next(t for t in doc if t.lower_ == "understood")
    place = next(t for t in doc if t.text == "Saraqeb")
    if not any(a.i == inside.i for a in place.ancestors):
        pytest.skip("the parser did not hang the place inside the parenthesis")
    scope = _local(verb)
    assert place.i in scope  # after the ")" the outer clause goes on
    assert inside.i not in scope


def test_off_the_coast_of_a_town_is_where(nlp):
    from geomap.nlp.event_scene import _locative

    doc = incidents_doc(nlp, "On 3 June 2016, 12 migrants were detained off the coast of Cesme.")
    cesme = [p for p in doc._.places if p.text == "Cesme"]
    assert cesme and _locative(cesme[0])


def incidents_doc(nlp, text, pub=PUB):
    doc = nlp.make_doc(text)
    doc._.meta = {"doc_id": "t", "published": pub}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def test_what_has_happened_time_and_again_is_no_event(nlp):
    assert incidents(nlp, "The outskirts of Jableh have previously come under rocket fire.") == []
    assert incidents(nlp, "Rebels regularly fire rockets into Jableh from the mountains.") == []
    recs = incidents(nlp, "The outskirts of Jableh came under rocket fire on Friday.")
    assert [r["event_type"] for r in recs] == ["bombardment"]


def test_unresolved_list_member_sits_on_the_town_its_phrase_names(nlp):
    recs = incidents(
        nlp, "Rebels shelled the areas of al-Midan and Tal Zarazir in Aleppo city with mortar shells on Friday."
    )
    assert sorted((r["place"].text, r.get("place_named")) for r in recs) == [
        ("Aleppo", "Tal Zarazir"),
        ("al-Midan", None),
    ]
