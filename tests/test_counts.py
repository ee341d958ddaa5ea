"""Counted quantities with qualifiers and types (geomap_counts)."""

import datetime as dt

import pytest

from geomap.nlp.counts import parse_count


@pytest.mark.parametrize(
    "text,low,best,high,qual",
    [
        ("at least 133", 133, 133, None, "at least"),
        ("about 2,000", 2000, 2000, 2000, "about"),
        ("more than 10,000", 10000, 10000, None, "more than"),
        ("nearly 50", None, 50, 50, "nearly"),
        ("200,000", 200000, 200000, 200000, None),
        ("hundreds", 200, 200, 999, "hundreds"),
        ("dozens", 24, 24, 99, "dozens"),
        ("tens of thousands", 20000, 20000, 99999, "tens of thousands"),
        ("between 20 and 30", 20, 25, 30, "between"),
        ("two", 2, 2, 2, None),
        ("a dozen", 12, 12, 12, None),
    ],
)
def test_parse_count(text, low, best, high, qual):
    v = parse_count(text)
    assert (v["count_low"], v["count_best"], v["count_high"], v["count_qualifier"]) == (low, best, high, qual)


def test_parse_count_rejects_words():
    assert parse_count("many") is None


@pytest.fixture(scope="module")
def nlp():
    from geomap.nlp import load_pipeline

    return load_pipeline(exclude=("geomap_places", "geomap_events"))


def counts(nlp, text):
    doc = nlp.make_doc(text)
    doc._.meta = {"published": dt.date(2012, 7, 25)}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return {s.text: s._.count for s in doc._.counts}


@pytest.mark.parametrize(
    "sentence,span,ctype",
    [
        ("At least 133 people died Tuesday in Syria's violence.", "At least 133", "killed"),
        ("They said 21 were killed during shelling.", "21", "killed"),
        ("The regime withdrew about 2,000 fully equipped troops from Idlib.", "about 2,000", "troops"),
        ("More than 10,000 Iraqi refugees have returned to Iraq.", "More than 10,000", "refugees"),
        ("Some 200,000 people have fled Aleppo.", "Some 200,000", "displaced"),
        ("Hundreds of rebels headed to Aleppo.", "Hundreds", "fighters"),
        ("Security forces detained 45 people in Homs.", "45", "detained"),
        ("Five protesters were wounded.", "Five", "injured"),
        ("Between 20 and 30 soldiers were killed.", "Between 20 and 30", "killed"),
    ],
)
def test_count_types(nlp, sentence, span, ctype):
    found = counts(nlp, sentence)
    assert span in found, found
    assert found[span]["count_type"] == ctype


def test_not_counts(nlp):
    found = counts(
        nlp,
        "After 16 months of civil war, a 12-year-old boy was hit by a 120mm shell at 10:30 in 2012. "
        "Prices rose 5 percent and he paid $200.",
    )
    assert found == {}, found


@pytest.mark.parametrize(
    "sentence,span,ctype,best",
    [
        # a lone "one" counted by a verb of killing, even through the "claimed ... was killed" misparse
        ("Militants claimed one Iraqi soldier and one fighter were killed during the clashes.", "one", "killed", 1),
        ("Afterwards, an individual was killed and three others were wounded.", "an", "killed", 1),
        ("The fighting resulted in the death of 1 farmer.", "1", "killed", 1),
        ("The death toll rose to 8.", "8", "killed", 8),
        ("Fatalities coded as 8.", "8", "killed", 8),
        ("Fatalities were coded as 7 (half of 14).", "7", "killed", 7),
        # a toll the text splits between events: one event's share, rounded half up
        ("Fatalities coded as 20 and split between 4 locations.", "20", "killed", 5),
        ("Fatalities coded as 9 and split over 2 days.", "9", "killed", 5),
        ("The militia lost two hundred fighters in the offensive.", "two hundred", "killed", 200),
    ],
)
def test_toll_readings(nlp, sentence, span, ctype, best):
    found = counts(nlp, sentence)
    assert span in found, found
    assert found[span]["count_type"] == ctype and found[span]["count_best"] == best


@pytest.mark.parametrize(
    "sentence",
    [
        "No one was killed in the shelling of Hama.",
        "One of the commanders said the town was quiet.",
        "Hundreds rallied in Homs against the killing of 3 students in Daraa.",
        "The rebels lost 5 villages near Hama.",
        "Turkey has so far lost 30 soldiers in the war.",
    ],
)
def test_no_toll_read(nlp, sentence):
    found = counts(nlp, sentence)
    assert not any(v["count_type"] == "killed" for v in found.values()), found


def test_left_dead_and_wounded(nlp):
    found = counts(nlp, "Fierce clashes in Daraa have left two dead and as many as 45 wounded.")
    assert found["two"]["count_type"] == "killed" and found["as many as 45"]["count_type"] == "injured"
    assert counts(nlp, "Thousands of residents left Aleppo.")["Thousands"]["count_type"] == "displaced"


def test_count_after_a_numeric_date(nlp):
    """A headline opening with a numeric date: the date's digits are no count, the number after
    it is the toll even when the headline's capitals make the tagger read "Civilians" as a name."""
    found = counts(nlp, "11-02-2015 25 Civilians Killed 60 Injured in Rocket Attacks on Homs")
    assert found["25"]["count_type"] == "killed" and found["25"]["count_best"] == 25, found
    assert not {"11", "02", "2015"} & set(found), found
