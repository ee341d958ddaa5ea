"""Syrian namesakes in texts about another country, and the possessive countryside
(``geomap.gazetteer.foreign_texts``, ``geomap.nlp.place_qualify``).

Every sentence here was written for these tests (the places are real, the events invented); none
is taken from any evaluation data.
"""

from __future__ import annotations

import pytest
from pipeline_docs import NEEDS_GAZETTEER

pytestmark = NEEDS_GAZETTEER


@pytest.fixture(scope="module")
def nlp(places_nlp):
    """The shared model with geomap_places only (tests/pipeline_docs.py)."""
    return places_nlp


def _read(nlp, index, text: str) -> dict[str, tuple[str | None, str | None]]:
    """Mention text -> (place id, its country code)."""
    out = {}
    for s in nlp(text)._.places:
        pid = s._.place_id
        out[s.text] = (pid, index.entry(pid).get("country_code") if pid else None)
    return out


def test_a_province_no_syrian_governorate_is_named_for_is_no_syrian_place(nlp, index):
    # "Salah Al Din" is also an Aleppo neighbourhood; "province" says it is none.
    got = _read(nlp, index, "Gunmen fired on a police patrol in Salah Al Din province, Iraqi officials said.")
    assert all(cc != "SY" for _, cc in got.values()), got
    got = _read(nlp, index, "Tribal fighters seized two hills in Abyan governorate, east of Aden, on Sunday.")
    assert all(cc != "SY" for _, cc in got.values()), got


def test_syrian_namesakes_in_a_text_about_another_country_stay_unresolved(nlp, index):
    got = _read(nlp, index, "Militants attacked an army checkpoint in Ar Rutba district, Anbar, Iraqi police said.")
    assert all(cc != "SY" for _, cc in got.values()), got


def test_a_firm_syrian_place_keeps_the_syrian_readings_of_a_text_naming_other_countries(nlp, index):
    got = _read(nlp, index, "Turkish artillery shelled villages near Tal Abyad and Ain Issa on Tuesday.")
    assert got["Tal Abyad"][1] == "SY"
    got = _read(nlp, index, "Shelling hit Raqqa province and Hasakeh province, Turkish media said.")
    assert got["Raqqa province"][0] == "adm1:SY-RA"


def test_a_possessive_countryside_is_the_governorate(nlp, index):
    got = _read(nlp, index, "The army drove militants out of three farms in Homs' eastern countryside.")
    assert got["Homs' eastern countryside"][0] == "adm1:SY-HI"
    got = _read(nlp, index, "Artillery hit several villages in Hama's northern countryside overnight.")
    assert got["Hama's northern countryside"][0] == "adm1:SY-HM"
    # A possessive before another noun is the city's: "Homs' old souk" is in the city.
    got = _read(nlp, index, "Shops reopened in Homs' old souk after repairs.")
    assert index.entry(got["Homs"][0]).get("level") == "town"


def test_one_town_abroad_by_its_own_name_outweighs_syrian_villages_only_village_lists_hold(nlp, index):
    # "Anbar" and "El Mina" are also Syrian villages that only the village lists hold.
    got = _read(nlp, index, "A roadside bomb struck a police car near the village of Anbar, west of Mosul, on Friday.")
    assert "IQ" in {cc for _, cc in got.values()} and all(cc != "SY" for _, cc in got.values()), got
    got = _read(nlp, index, "Fishermen protested at the port of El Mina in Tripoli against the fuel price.")
    assert all(cc != "SY" for _, cc in got.values()), got


def test_a_demonym_alone_is_no_evidence_against_a_syrian_village(nlp, index):
    # Arabic family names are demonyms ("al-Turk", "al-Iraqi"), so one demonym places no text
    # abroad; a demonym and a town abroad do. ("Tall Khallah": a Hama village.)
    got = _read(nlp, index, "A Lebanese trader was wounded by a sniper near Tall Khallah on Friday.")
    assert got["Tall Khallah"][1] == "SY", got
    got = _read(nlp, index, "A Lebanese trader was wounded by a sniper near Tall Khallah, Beirut media said.")
    assert got["Tall Khallah"][1] is None, got


def test_more_names_abroad_than_listed_syrian_towns_place_the_text_abroad(nlp, index):
    # "Jaba" is a Syrian town GeoNames lists: two names abroad outvote it, one does not.
    got = _read(nlp, index, "Soldiers detained two young men in Jaba at dawn, Palestinian and Israeli media said.")
    assert got["Jaba"][1] is None, got
    got = _read(nlp, index, "Soldiers detained two young men in Jaba at dawn, Palestinian media said.")
    assert got["Jaba"][1] == "SY", got


def test_actors_that_fight_in_one_country_name_it():
    from geomap.gazetteer.foreign_texts import countries_named_by_actors

    assert countries_named_by_actors("Anti-Houthi fighters shelled a hill east of the town.") == {"YE"}
    assert countries_named_by_actors("Peshmerga units searched two villages.") == {"IQ"}
    # Actors that also fight in Syria, and a person's name, tie a text to no country.
    assert countries_named_by_actors("Hezbollah fighters and Hadi al-Saleh met near the border.") == set()


def test_an_actor_abroad_counts_as_a_name_abroad(index):
    from geomap.gazetteer.foreign_texts import countries_named_by_actors, syrian_namesakes_of_a_foreign_text
    from geomap.gazetteer.ranking import Mention

    text = "Houthi fighters shelled farms in Anbar on Monday."
    # The Syrian village Anbar, a place only the village lists hold.
    village = next(p for p, _ in index.candidates("Anbar") if index.entry(p)["country_code"] == "SY")
    m = Mention(0, 1, "anbar", [(village, 1.0)], chosen=village, confidence=0.9)
    syrian_namesakes_of_a_foreign_text([m], index, 0.6, countries_named_by_actors(text))
    assert m.chosen is None
    m = Mention(0, 1, "anbar", [(village, 1.0)], chosen=village, confidence=0.9)
    syrian_namesakes_of_a_foreign_text([m], index, 0.6, countries_named_by_actors("Fighters shelled farms in Anbar."))
    assert m.chosen == village
