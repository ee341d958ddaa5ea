"""Quarters of a city the gazetteer lacks: "district" names one as "neighborhood" does, and each
member of a list of such quarters gets its own record on the city.

The rule of tests/test_neighbourhood_city.py (the town its sentence names, else the city the
account is set in, >= settings.neighbourhood_city_min_population; unresolved otherwise), read for
every noun vocab/place_nouns.tsv marks ``city_part``. Sentences are our own; the quarter names
are invented, so that no gazetteer entry can answer for them.
"""

import pandas as pd
import pytest

import geomap

TEXTS = {
    "district": (
        "Government forces shelled rebel-held parts of Homs on Monday, killing three people, activists "
        "said. Militants later stormed army posts in the al-Vorpleq district, killing seven soldiers."
    ),
    "district_small": (
        "Air strikes hit the town of Kafranbel in Idlib province on Monday, killing three people, activists "
        "said. Militants later stormed army posts in the al-Vorpleq district, killing seven soldiers."
    ),
    "list": (
        "Rebel mortar fire hit Aleppo on Sunday, wounding 14 people, state media said. The army vowed a "
        "response. On Monday army artillery pounded the neighborhoods of al-Pluxenna al-Vorpleq and al-Quvvendo."
    ),
}


@pytest.fixture(scope="module")
def incidents():
    arts = pd.DataFrame([{"id": k, "text": v, "date": "2016-05-10"} for k, v in TEXTS.items()])
    return geomap.extract(arts).incidents


def _rows(incidents, doc_id, text):
    return incidents[(incidents.doc_id == doc_id) & (incidents.place_text == text)]


def test_a_district_the_gazetteer_lacks_in_an_account_of_a_city_lies_in_that_city(incidents):
    rows = _rows(incidents, "district", "al-Vorpleq")
    assert list(rows.location_name) == ["Homs"], incidents[["doc_id", "place_text", "location_name"]]
    assert list(rows.count_best) == [7]


def test_a_district_after_a_small_town_stays_unresolved(incidents):
    rows = _rows(incidents, "district_small", "al-Vorpleq")
    assert len(rows) == 1, incidents[["doc_id", "place_text", "location_name"]]
    assert pd.isna(rows.iloc[0].lat) and pd.isna(rows.iloc[0].location_name)


def test_each_listed_quarter_the_gazetteer_lacks_gets_a_record_on_the_city(incidents):
    monday = incidents[incidents.doc_id == "list"]
    named = sorted(t for t in monday.place_text if t.startswith("al-"))
    assert named == ["al-Pluxenna", "al-Quvvendo", "al-Vorpleq"], monday[["place_text", "location_name"]]
    assert set(monday[monday.place_text.isin(named)].location_name) == {"Aleppo"}
