"""Resolution rules of stop 19: the article written any way, lists that are no containers."""

from __future__ import annotations

import pytest

from geomap.gazetteer import Gazetteer
from tests.pipeline_docs import nlp  # noqa: F401  (pytest fixture)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer()


@pytest.mark.parametrize("spelling", ["al-Tuwayhinah", "el Tuwayhinah", "Al Tuwayhinah"])
def test_the_article_written_any_way_is_the_name_with_its_article(gaz, spelling):
    # At Tuwayhinah (Raqqa) is named with the article; Tuwayhinah (Idlib) without it
    got = gaz.search(spelling, limit=1)
    assert got and got[0].entry["id"] == "gn:6914"
    assert gaz.search("Tuwayhinah", limit=1)[0].entry["id"] == "gn:163078"


def _places(nlp, text):  # noqa: F811
    return {s.text: s._.place_id for s in nlp(text)._.places}


def test_a_city_in_a_list_is_not_inside_the_next_name(nlp):  # noqa: F811
    # "Deraa, Idlib" inside a list: Daraa the city, not a hamlet near Idlib
    got = _places(nlp, "Aid convoys reached Tartus, Damascus, Deraa, Idlib and Latakia overnight.")
    assert got["Deraa"] == "gn:170905"


def test_a_list_partner_does_not_lift_a_spelling_the_text_does_not_write(nlp):  # noqa: F811
    # Darayya lies next to Damascus, but "Deraa" spells Daraa
    got = _places(nlp, "Aid convoys reached Tartus, Deraa, Damascus and Latakia overnight.")
    assert got["Deraa"] == "gn:170905"


def test_a_town_before_its_governorate_is_still_inside_it(nlp):  # noqa: F811
    got = _places(nlp, "Rockets fell on Atarib, Aleppo, at dawn.")
    assert got["Atarib"] == "gn:174030"


def test_quarters_without_their_city_fall_back_to_no_looser_reading(gaz, nlp):  # noqa: F811
    # Aleppo and Damascus both have a Marjeh quarter; a Hasakah village only folds to it
    assert gaz.search("Marjeh") == []
    assert _places(nlp, "Heavy shelling on Marjeh.")["Marjeh"] is None
    got = _places(nlp, "Heavy shelling on Marjeh and Bab Touma in Damascus.")
    assert got["Marjeh"] == "cur:damascus-marjeh"


def test_a_place_noun_after_the_name_picks_its_level(gaz):
    # bare "Nuzha" is a village elsewhere; "Nuzha neighbourhood" the Homs quarter
    got = gaz.search("Nuzha neighbourhood", limit=1)
    assert got and got[0].entry["level"] == "neighbourhood" and got[0].entry["admin1"] == "Homs"


def test_a_consonant_skeleton_alone_needs_a_close_spelling(gaz):
    # "Marbella" shares its consonants with a Syrian hamlet, Ma'arr Baliyah, and nothing else
    assert gaz.search("Marbella") == []
    # a reporter's spelling of the same skeleton, close letter by letter, still finds it
    got = gaz.search("Maarr Baliya", limit=1)
    assert got and got[0].entry["id"] == "gn:167599"


def test_two_rows_of_one_village_are_no_homonyms(gaz, nlp):  # noqa: F811
    # GeoNames lists Dubayqah (Latakia) twice, 6.5 km apart, under the same names: one place,
    # not namesakes to resolve at their governorate
    got = gaz.search("Dbaiqa", limit=1)
    assert got and got[0].entry["name"] == "Dubayqah" and got[0].score > 0.9
    assert _places(nlp, "Shelling hit the village of Dbaiqa.")["Dbaiqa"] in ("gn:174236", "gn:170632")


def test_a_quarter_in_a_list_contains_none_of_the_others(nlp):  # noqa: F811
    # "al-Zahra, al-Khalidiya": two quarters listed, not al-Zahra inside al-Khalidiya (whose Homs
    # reading pulled al-Zahra to Homs); the list's city is Aleppo, whose al-Zahra the gazetteer lacks
    got = _places(nlp, "Shells fell on the quarters of al-Zahra, al-Khalidiya and Salaheddine in Aleppo.")
    assert got["al-Zahra"] is None
    assert got["al-Khalidiya"] == "cur:aleppo-khalidiya"
