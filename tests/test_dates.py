"""Date expressions resolved against the publication date (geomap_dates)."""

import datetime as dt

import pytest

from geomap.nlp.dates import resolve_date

PUB = dt.date(2012, 7, 25)  # a Wednesday


def d(s):
    return dt.date.fromisoformat(s)


@pytest.mark.parametrize(
    "text,start,end,precision",
    [
        ("Tuesday", "2012-07-24", "2012-07-24", "day"),
        ("Wednesday", "2012-07-25", "2012-07-25", "day"),  # the publication day itself
        ("Thursday", "2012-07-19", "2012-07-19", "day"),  # never a future day
        ("Monday night", "2012-07-23", "2012-07-23", "day"),
        ("yesterday", "2012-07-24", "2012-07-24", "day"),
        ("last week", "2012-07-16", "2012-07-22", "week"),
        ("this week", "2012-07-23", "2012-07-25", "week"),
        ("in the past two days", "2012-07-23", "2012-07-25", "day"),
        ("the past week", "2012-07-18", "2012-07-25", "week"),
        ("15 days ago", "2012-07-10", "2012-07-10", "day"),
        ("about 15 days ago", "2012-07-10", "2012-07-10", "week"),
        ("this month", "2012-07-01", "2012-07-25", "month"),
        ("since March 2011", "2011-03-01", "2012-07-25", "month"),
        ("July 30, 2012", "2012-07-30", "2012-07-30", "day"),
        ("30 July 2012", "2012-07-30", "2012-07-30", "day"),
        ("In September 2007", "2007-09-01", "2007-09-30", "month"),
        ("late July 2012", "2012-07-21", "2012-07-31", "month"),
        ("2011", "2011-01-01", "2011-12-31", "year"),
        ("in the past 24 hours", "2012-07-24", "2012-07-25", "day"),
    ],
)
def test_resolve(text, start, end, precision):
    v = resolve_date(text, PUB)
    assert v == {"date_start": d(start), "date_end": d(end), "date_precision": precision}


@pytest.mark.parametrize("text", ["16 months", "hours", "the past"])
def test_durations_are_not_dates(text):
    assert resolve_date(text, PUB) is None


def test_relative_without_publication_date_stays_unknown():
    v = resolve_date("Tuesday", None)
    assert v == {"date_start": None, "date_end": None, "date_precision": "unknown"}
    # an absolute date needs no anchor
    assert resolve_date("July 30, 2012", None)["date_start"] == d("2012-07-30")


def _annotate(nlp, text, pub=PUB):
    doc = nlp.make_doc(text)
    doc._.meta = {"published": pub}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


@pytest.fixture(scope="module")
def nlp():
    from geomap.nlp import load_pipeline

    return load_pipeline(exclude=("geomap_places", "geomap_counts", "geomap_events"))


def test_component_filters_names_durations_and_habits(nlp):
    doc = _annotate(
        nlp,
        "Russia said Syria has ratified 1925 Geneva protocols. It entered into force in 1928. "
        "After 16 months of war, rebels attacked on Monday night. They pray every Friday.",
    )
    texts = [s.text for s in doc._.dates]
    assert "1925" not in texts
    assert "16 months" not in texts
    assert "Friday" not in texts
    assert "Monday night" in texts
    assert "1928" in texts
    night = next(s for s in doc._.dates if s.text == "Monday night")
    assert night._.date_value["date_start"] == d("2012-07-23")


def test_component_reads_published_defensively(nlp):
    doc = nlp.make_doc("Rebels attacked yesterday.")
    doc._.meta = None  # orchestrator did not set meta
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    (span,) = doc._.dates
    assert span._.date_value["date_precision"] == "unknown"
    doc2 = _annotate(nlp, "Rebels attacked yesterday.", pub="2012-07-30")
    assert doc2._.dates[0]._.date_value["date_start"] == d("2012-07-29")
