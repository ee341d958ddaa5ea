"""A neighbourhood the gazetteer lacks, named without a town in its own sentence.

It lies in the city the account is set in, when that is a city: reporters name the
neighbourhoods of cities. After a small town the report may have moved on, so it stays
unresolved (its text kept, no point), never guessed into the last town named.
"""

import pandas as pd
import pytest

import geomap

TEXTS = {
    "city": (
        "Rebels fired mortar rounds at government-held parts of Homs on Tuesday, killing four people, "
        "state media said. Shells also hit the al-Wurud neighborhood, killing two civilians."
    ),
    "capital": (
        "Government jets bombed rebel-held districts of Aleppo on Monday, killing 12 people, activists "
        "said. Rebels in turn shelled government-held parts of the capital, hitting the al-Tijara neighborhood."
    ),
    "quarters": (
        "Mortar rounds fired by rebels hit Aleppo on Saturday, killing 9 civilians, state media said. "
        "Four of the dead were killed in the al-Midan neighborhood. The death toll in the Zzyzx neighborhood reached 3."
    ),
    "small": (
        "Air strikes hit the town of Saraqeb in Idlib province on Tuesday, killing four people, "
        "activists said. Rebels also shelled the al-Zahraa neighborhood, killing two people."
    ),
}


@pytest.fixture(scope="module")
def incidents():
    arts = pd.DataFrame([{"id": k, "text": v, "date": "2016-05-10"} for k, v in TEXTS.items()])
    return geomap.extract(arts).incidents


def _neighbourhood(incidents, doc_id, text):
    rows = incidents[(incidents.doc_id == doc_id) & (incidents.place_text == text)]
    assert len(rows) == 1, incidents[["doc_id", "place_text", "location_name"]]
    return rows.iloc[0]


def test_a_neighbourhood_after_an_account_of_a_city_lies_in_that_city(incidents):
    row = _neighbourhood(incidents, "city", "al-Wurud")
    assert row.location_name == "Homs"
    assert row.count_best == 2


def test_a_neighbourhood_after_a_small_town_stays_unresolved(incidents):
    row = _neighbourhood(incidents, "small", "al-Zahraa")
    assert pd.isna(row.lat) and pd.isna(row.location_name)
    assert row.count_best == 2


def test_a_sentence_that_names_its_own_town_blocks_the_city_of_the_account(incidents):
    # "the capital" is not Aleppo: the neighbourhood is not guessed into the city told before
    row = _neighbourhood(incidents, "capital", "al-Tijara")
    assert pd.isna(row.lat) and pd.isna(row.location_name)
    aleppo = incidents[(incidents.doc_id == "capital") & (incidents.location_name == "Aleppo")]
    assert list(aleppo.count_best) == [12]


def test_an_account_of_a_citys_quarters_keeps_its_city_for_a_quarter_the_gazetteer_lacks(incidents):
    # the last place told is a known quarter of Aleppo (al-Midan): the account is still in Aleppo
    row = _neighbourhood(incidents, "quarters", "Zzyzx")
    assert row.location_name == "Aleppo"
    assert row.count_best == 3
