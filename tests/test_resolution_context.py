"""What a text says around a name picks its reading: "X near Y", "X neighbourhood of Y",
"northern Aleppo", and the other places of the document (``geomap.nlp.place_qualify``,
``geomap.gazetteer.ranking``).

Every sentence here was written for these tests; the names are gazetteer places picked for the
rule they exercise (namesakes in two governorates, villages far from a named city), not taken
from any evaluation data.
"""

from __future__ import annotations

import pytest
from pipeline_docs import NEEDS_GAZETTEER

from geomap.gazetteer.index import fold

pytestmark = NEEDS_GAZETTEER


@pytest.fixture(scope="module")
def nlp(places_nlp):
    """The shared model with geomap_places only (tests/pipeline_docs.py)."""
    return places_nlp


def _read(nlp, index, text: str) -> dict[str, tuple[str | None, str | None]]:
    """Name as written -> (id, governorate) of its reading."""
    out = {}
    for s in nlp(text)._.places:
        e = index.entry(s._.place_id) if s._.place_id else {}
        out[s.text] = (s._.place_id, e.get("admin1") or None)
    return out


# ------------------------------------------------------------------ "X near Y"


@pytest.mark.parametrize("town, governorate", [("Saraqib", "Idlib"), ("Hama", "Hama")])
def test_x_near_y_takes_the_namesake_beside_y(nlp, index, town, governorate):
    # Two villages called Qumhanah, one by Saraqib (Idlib), one by Hama city.
    got = _read(nlp, index, f"Clashes erupted in the village of Qumhanah near {town}.")
    assert got["Qumhanah"][1] == governorate


def test_without_near_the_namesakes_stay_tied(nlp, index):
    got = _read(nlp, index, "Clashes erupted in the village of Qumhanah.")
    pid = got["Qumhanah"][0]
    assert pid is None or index.entry(pid).get("level") == "country"  # never a random pick


def test_x_near_y_drops_namesakes_far_from_y(nlp, index):
    # Every Mallah in the gazetteer lies 80 km or more from Homs: the place meant is none of them.
    got = _read(nlp, index, "Shelling hit the Mallah area near Homs on Sunday.")
    assert got["Mallah"][0] is None
    assert got["Homs"][1] == "Homs"


def test_x_neighbourhood_of_a_city_drops_namesakes_far_from_it(nlp, index):
    got = _read(nlp, index, "Mortar shells fell on the Mallah neighbourhood of Homs.")
    assert got["Mallah"][0] is None
    got = _read(nlp, index, "Mortar shells fell on the Mallah area.")
    assert got["Mallah"][0] is not None  # the rule needs the city, not the noun alone


def test_a_place_near_a_river_keeps_its_reading(nlp, index):
    # A river is an area, not a point: "near the Orontes" bounds no distance.
    got = _read(nlp, index, "Two civilians died in Hama, near the Orontes.")
    assert got["Hama"][1] == "Hama"


# ------------------------------------------------------------------ "northern Aleppo"


@pytest.mark.parametrize("direction", ["northern", "southern", "northeastern"])
def test_north_or_south_of_a_divided_city_is_its_governorate(nlp, index, direction):
    got = _read(nlp, index, f"Turkish drones struck villages in {direction} Aleppo on Friday.")
    pid = got[f"{direction} Aleppo"][0]
    assert index.entry(pid).get("level") == "governorate"


def test_east_or_west_of_a_divided_city_is_the_city(nlp, index):
    got = _read(nlp, index, "Barrel bombs fell on eastern Aleppo again.")
    assert index.entry(got["eastern Aleppo"][0]).get("level") == "town"


# ------------------------------------------------------------------ the document's other places


def test_a_loosely_spelled_village_far_from_the_article_is_left_unresolved(nlp, index):
    text = (
        "Government forces repelled an attack on Deir ez-Zor on Monday. The army said its "
        "positions in Deir ez-Zor city held, and that fighting in the Qamhaneh district killed ten militants."
    )
    got = _read(nlp, index, text)
    assert got["Qamhaneh"][0] is None  # a Hama village's spelling, in an article on Deir ez-Zor


def test_the_same_spelling_in_an_article_about_its_area_is_read(nlp, index):
    text = (
        "Government forces repelled an attack near Hama on Monday. The army said its "
        "positions in Hama city held, and that fighting in the Qamhaneh district killed ten militants."
    )
    got = _read(nlp, index, text)
    assert got["Qamhaneh"][1] == "Hama"


# ------------------------------------------------------------------ a hamlet's alias hides no known place


def test_a_hamlet_alias_does_not_hide_a_known_place_with_its_consonants(nlp, index):
    # "Qalmoun" is verbatim an alias of a Latakia hamlet; next to Eastern Ghouta it is the
    # Qalamoun mountains (same consonants), which the gazetteer's editors list.
    got = _read(nlp, index, "Government troops advanced in Eastern Ghouta and Qalmoun.")
    assert got["Qalmoun"][0] is not None and index.entry(got["Qalmoun"][0]).get("admin1") == "Rif Dimashq"


def test_the_hamlet_keeps_its_reading_where_the_text_puts_it(nlp, index):
    got = _read(nlp, index, "Rebels shelled Qalmoun in the Latakia countryside.")
    assert got["Qalmoun"][1] == "Latakia"


def test_a_known_place_joins_only_the_readings_of_hamlets(index):
    # "Hama" reads the city (a well-known place): no skeleton namesake is added to it.
    assert {p for p, _ in index.candidates("Hama")} == set(index.ids(fold("Hama")))


# ------------------------------------------------------------------ a direction against a region's point


def test_a_direction_away_from_a_regions_point_reads_the_governorate(nlp, index):
    # The editors' "Homs countryside" point lies west of the governorate, by the city; the
    # eastern countryside is the desert: the governorate, not a point on the wrong side.
    got = _read(nlp, index, "Two soldiers were killed in eastern Homs countryside on Monday.")
    assert index.entry(got["eastern Homs countryside"][0]).get("level") == "governorate"
    got = _read(nlp, index, "Two soldiers were killed in western Homs countryside on Monday.")
    assert index.entry(got["western Homs countryside"][0]).get("level") == "region"


# ------------------------------------------------------------------ "X in Aleppo city"


def test_x_in_a_named_city_drops_readings_outside_the_city(nlp, index):
    # The only Mahfazah in the gazetteer is a village 110 km from Aleppo: not "in Aleppo city".
    got = _read(nlp, index, "Militants shelled al-Mahfazah in Aleppo city with mortars.")
    assert got["Mahfazah"][0] is None
    got = _read(nlp, index, "Militants shelled al-Mahfazah in Aleppo province with mortars.")
    assert got["Mahfazah"][1] == "Aleppo"  # the province holds the village


def test_a_loose_village_in_another_governorate_than_the_sentences_towns_is_left_unresolved(nlp, index):
    # "Sheikh Ali" only folds to villages called Ash Shaykh 'Ali, the nearest in Homs, 60 km and
    # more from the Qalamoun town this sentence is about.
    text = (
        "Fighters were seen near the town of Yabroud in Qalamoun, gathering at the Sheikh Ali "
        "crossing close to the Lebanese border."
    )
    got = _read(nlp, index, text)
    assert got["Sheikh Ali"][0] is None
    assert got["Yabroud"][1] == "Rif Dimashq"


def test_namesakes_tied_across_governorates_get_no_country_point(nlp, index):
    # Two villages called An Nayrab, in Aleppo and in Idlib: no point, not Syria's centre.
    got = _read(nlp, index, "the surroundings of the Nairab")
    assert got["Nairab"][0] is None


def test_a_region_across_governorates_contains_its_governorates(nlp, index):
    # "northern Syria" has one editor's point, 130 km from Idlib's: inside it is inside Syria.
    got = _read(nlp, index, "Air strikes hit the rebel-held Idlib province in northern Syria.")
    assert got["Idlib province"][0] == "adm1:SY-ID"
