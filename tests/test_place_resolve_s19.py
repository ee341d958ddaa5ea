"""Resolution rules of stop 19: the article written any way, lists that are no containers."""

from __future__ import annotations

import pytest

from geomap.gazetteer import Gazetteer
from tests.pipeline_docs import nlp  # noqa: F401  (pytest fixture)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer()


@pytest.mark.parametrize("spelling", ["al-Rami", "el Rami", "Al Rami", "ar-Rami"])
def test_the_article_written_any_way_is_the_name_with_its_article(gaz, spelling):
    # Ar Rami (Idlib) is the only place named with the article; Ar Ramah (Latakia) lists a bare
    # "Rami" among its names, which a spelling with the article does not write
    got = gaz.search(spelling, limit=1)
    assert got and got[0].entry["id"] == "gn:172962"


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
    # two cities have a quarter spelled so; an abandoned Raqqa site only folds to it
    assert gaz.search("Jobar") == []
    assert _places(nlp, "Heavy shelling on Jobar.")["Jobar"] is None
    got = _places(nlp, "Mortars struck Jobar and Qaboun in Damascus at dawn.")
    assert got["Jobar"] == "cur:damascus-jobar"


def test_a_place_noun_after_the_name_picks_its_level(gaz):
    got = gaz.search("Abbasiyyin neighborhood", limit=1)
    assert got and got[0].entry["level"] == "neighbourhood"


def test_a_consonant_skeleton_alone_needs_a_close_spelling(gaz):
    # "Marbella" shares its consonants with a Syrian hamlet, Ma'arr Baliyah, and nothing else
    assert gaz.search("Marbella") == []
    # a reporter's spelling of the same skeleton, close letter by letter, still finds it
    got = gaz.search("Maarr Baliya", limit=1)
    assert got and got[0].entry["id"] == "gn:167599"
