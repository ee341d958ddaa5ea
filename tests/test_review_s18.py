"""Review of stop 18: general behaviour of the rules that landed, pinned on the reviewer's own sentences.

Every sentence here was written for these tests in ordinary wire-report style (none is taken or
adapted from the evaluation data). Each test states one rule of reading that holds for any report:
a toll shared by a list of villages is not copied to each of them, a purpose clause does not place
the act, 'the previous day' counts back from the day told, a running total is one event's toll.
"""

from __future__ import annotations

import pandas as pd
import pytest

import geomap

#: A Tuesday: the weekdays below resolve to the week before it.
PUBLISHED = "2016-05-10"

TEXTS = {
    "list_toll": (
        "Warplanes struck the villages of Tal Rifaat Mare and Azaz in Aleppo province on Monday, "
        "killing 10 people, the Observatory said."
    ),
    "signed_in": "Turkey and Russia signed an agreement in Ankara on Monday to set up a buffer zone in Idlib.",
    "previous_day": "The army shelled Kafr Zita on Thursday. The previous day rebels had attacked a checkpoint in Latamneh.",
    "target": "Air strikes on Islamic State positions in Raqqa killed 14 militants, the US military said.",
    "region": "Clashes broke out in northern Aleppo on Friday between Kurdish fighters and Turkish-backed rebels.",
    "running_total": "The death toll from Sunday's car bomb in Azaz has risen to 23, the Observatory said on Tuesday.",
    "commaless_source": "Rebels shelled the town of Mhardeh the Syrian army said adding that two soldiers were killed.",
}


@pytest.fixture(scope="module")
def incidents():
    articles = pd.DataFrame([{"id": k, "text": t, "date": PUBLISHED} for k, t in TEXTS.items()])
    return geomap.extract(articles).incidents


def _of(incidents, doc_id):
    return incidents[incidents.doc_id == doc_id]


def test_a_toll_shared_by_listed_villages_is_not_copied_to_each(incidents):
    recs = _of(incidents, "list_toll")
    assert len(recs) >= 2  # the villages are read as places of the strike
    killed = recs.loc[recs.count_type == "killed", "count_best"].dropna()
    assert killed.sum() <= 10


def test_a_purpose_clause_does_not_place_the_act(incidents):
    recs = _of(incidents, "signed_in")
    assert "Ankara" in set(recs.location_name)
    assert "Idlib" not in set(recs.location_name)  # the zone to be set up is no place of the signing


def test_the_previous_day_counts_back_from_the_day_told(incidents):
    recs = _of(incidents, "previous_day")
    days = {r.location_name: str(r.date_start)[:10] for r in recs.itertuples()}
    assert days == {"Kafr Zita": "2016-05-05", "Latamneh": "2016-05-04"}


def test_the_target_of_air_strikes_is_not_their_actor(incidents):
    recs = _of(incidents, "target")
    assert list(recs.event_type) == ["bombardment"]
    assert recs.iloc[0].actor1 != "Islamist groups"


def test_a_direction_before_a_governorate_name_is_the_governorate(incidents):
    recs = _of(incidents, "region")
    assert list(recs.geo_precision) == ["governorate"]
    assert recs.iloc[0].admin1 == "Aleppo"


def test_a_running_total_is_one_records_toll(incidents):
    recs = _of(incidents, "running_total")
    assert len(recs) == 1
    rec = recs.iloc[0]
    assert rec.location_name == "Azaz" and rec.count_best == 23
    assert str(rec.date_start)[:10] == "2016-05-08"  # Sunday's bomb, not the day of the statement


def test_a_source_before_the_speech_verb_in_commaless_copy(incidents):
    recs = _of(incidents, "commaless_source")
    assert list(recs.source_attribution) == ["the Syrian army"]
