"""Names of weapons, aircraft and groups are no places (vocab/place_not_names.tsv), and a name
right before a munition noun is a weapon's (vocab/place_name_heads.tsv, kind weapon).

Sentences are our own. Each weapon name here has a loose gazetteer reading (a fold that meets
a town's name), which is why the stop list and the head noun are needed.
"""

from geomap.nlp import place_nouns
from geomap.nlp import place_rules as rules
from geomap.nlp.places import find_places
from geomap.schema import read_table


def _names(nlp, text):
    return [p.text for p in find_places(nlp(text))]


def test_weapon_names_before_a_munition_noun_are_no_places(nlp):
    names = _names(nlp, "Army units shot down two drones and seized Katyusha rockets near Saraqeb on Monday.")
    assert names == ["Saraqeb"]


def test_a_weapon_name_alone_is_no_place(nlp):
    assert _names(nlp, "Militants fired a Katyusha at Nubl on Monday.") == ["Nubl"]


def test_a_town_spelled_exactly_keeps_its_place_before_a_munition_noun(nlp):
    assert "Aleppo" in _names(nlp, "The Aleppo rockets fell on a school, state media said.")


def test_the_stop_list_is_read_from_its_data_file():
    rows = read_table(place_nouns.PATH.with_name("place_not_names.tsv"))
    assert {r["word"] for r in rows} == set(rules.NOT_PLACES)
    assert {"katyusha", "grad", "kornet", "houthi", "assad"} <= rules.NOT_PLACES
    assert {r["kind"] for r in rows} <= {"person", "group", "religion", "weapon", "aircraft", "vehicle"}


def test_places_inside_a_groups_name_are_no_places(nlp):
    assert _names(nlp, "Gunmen of the Islamic State of Iraq and the Levant stormed Nubl at dawn.") == ["Nubl"]
    assert _names(nlp, "Gunmen of the Islamic State in Iraq and al-Sham stormed Nubl at dawn.") == ["Nubl"]


def test_in_with_one_place_after_a_groups_name_says_where_it_is(nlp):
    assert _names(nlp, "The Islamic State in Syria lost Nubl at dawn.") == ["Syria", "Nubl"]
