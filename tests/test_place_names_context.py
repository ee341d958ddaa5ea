"""Names that are no event's place: outlets, armed groups and colon datelines (geomap.nlp.places).

Sentences written for these tests, in the style of Syrian war reporting.
"""

from __future__ import annotations

import pandas as pd
import pytest

import geomap


@pytest.fixture(scope="module")
def nlp(places_nlp):
    """The shared model with geomap_places only (tests/pipeline_docs.py)."""
    return places_nlp


def _places(nlp, text: str) -> list[str]:
    return [p.text for p in nlp(text)._.places]


def test_outlet_name_before_a_media_noun_is_no_place(nlp):
    got = _places(nlp, "Interviewed on Al Mayadeen television, a general said that Talbiseh had been shelled.")
    assert got == ["Talbiseh"]


def test_place_word_ending_a_group_name_is_no_place(nlp):
    got = _places(nlp, "In Syria, gunmen of the Ahrar al-Sham group raided a checkpoint outside Saraqib at dawn.")
    assert "al-Sham" not in got
    assert "Saraqib" in got


def test_front_after_a_bare_town_stays_a_place(nlp):
    assert _places(nlp, "Heavy fighting was reported on the Aleppo front late on Sunday.") == ["Aleppo"]


def test_colon_dateline_is_no_place(nlp):
    got = _places(nlp, "Beirut: Monitors report that army helicopters dropped barrel bombs on Talbiseh overnight.")
    assert got == ["Talbiseh"]
    got = _places(nlp, "A headline\nAmman: Monitors report that jets hit Talbiseh overnight.")
    assert got == ["Talbiseh"]


def test_governorate_first_list_keeps_both_places(nlp):
    got = _places(nlp, "Rif Dimashq: Douma, three men were killed by shelling.")
    assert got == ["Rif Dimashq", "Douma"]


def test_piece_of_a_longer_name_gets_no_point(nlp):
    # "Bustan Douma" is no name the gazetteer holds: "Douma" keeps its text but no point.
    places = {p.text: p._.place_id for p in nlp("Snipers fired on Bustan Douma near Damascus, in Syria.")._.places}
    assert "Douma" in places and places["Douma"] is None
    assert places["Damascus"] is not None


def test_date_word_before_a_name_leaves_it_whole(nlp):
    places = {p.text: p._.place_id for p in nlp("On Sunday Douma was shelled again, in Syria.")._.places}
    assert places.get("Douma") is not None


def test_parties_to_a_deal_are_mentions_but_no_event_places(nlp):
    # the countries are toponyms (mentions, as the geoparsing corpora annotate them) ...
    text = "In Syria, a truce agreed between Russia, Iran and Turkey collapsed on Monday as rebels fought troops."
    assert _places(nlp, text) == ["Syria", "Russia", "Iran", "Turkey"]
    # ... but the fighting is not placed in any of them
    inc = geomap.extract(pd.DataFrame([{"id": "a", "text": text, "date": "2017-01-03"}])).incidents
    assert not set(inc.location_name.dropna()) & {"Russia", "Iran", "Turkey"}
    assert len(inc) >= 1


def test_a_stretch_between_two_towns_keeps_both(nlp):
    assert _places(nlp, "Fighting raged between Homs and Hama, in Syria.") == ["Homs", "Hama", "Syria"]
