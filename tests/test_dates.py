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


# --------------------------------------------------------------------------- issue 15 expressions


@pytest.mark.parametrize(
    "text,start,end,precision",
    [
        # a night spanning two weekdays: from the first to the second, before publication
        ("on the night of Monday to Tuesday", "2012-07-23", "2012-07-24", "day"),
        ("the night between Tuesday and Wednesday", "2012-07-24", "2012-07-25", "day"),
        ("overnight Saturday to Sunday", "2012-07-21", "2012-07-22", "day"),
        ("Earlier Wednesday", "2012-07-25", "2012-07-25", "day"),
        ("later on Monday", "2012-07-23", "2012-07-23", "day"),
        # Islamic holidays on the Umm al-Qura calendar (hijridate)
        ("during Eid al-Adha in 2011", "2011-11-06", "2011-11-09", "week"),
        ("Eid ul-Adha 2012", "2012-10-26", "2012-10-29", "week"),
        ("during Eid al-Fitr", "2011-08-30", "2011-09-01", "day"),  # the latest one before publication
        ("on the first day of Ramadan", "2012-07-20", "2012-07-20", "day"),
        ("during Ramadan", "2012-07-20", "2012-07-25", "week"),  # still running: ends on publication
        ("since Ramadan", "2012-07-20", "2012-07-25", "week"),
    ],
)
def test_resolve_nights_and_holidays(text, start, end, precision):
    v = resolve_date(text, PUB)
    assert v == {"date_start": d(start), "date_end": d(end), "date_precision": precision}


def test_holiday_without_anchor_or_year_stays_unknown():
    assert resolve_date("during Eid al-Adha", None)["date_precision"] == "unknown"
    assert resolve_date("during Eid al-Adha in 2011", None)["date_start"] == d("2011-11-06")


def test_component_finds_nights_holidays_and_earlier_weekdays(nlp):
    doc = _annotate(
        nlp,
        "Earlier Wednesday, jets struck a market. On the night of Monday to Tuesday, rebels "
        "attacked a checkpoint. Shelling continued during Eid al-Adha in 2011. "
        "Tariq Ramadan gave a lecture.",
    )
    got = {s.text: s._.date_value for s in doc._.dates}
    assert got["Earlier Wednesday"]["date_start"] == d("2012-07-25")
    assert got["On the night of Monday to Tuesday"]["date_end"] == d("2012-07-24")
    assert got["during Eid al-Adha in 2011"]["date_start"] == d("2011-11-06")
    assert not any("Ramadan" in t for t in got)  # a surname is no holiday


def test_opening_date_frames_the_whole_sentence(nlp):
    from geomap.nlp.dates import opening_date

    doc = _annotate(
        nlp,
        "On 3 May 2012, gunmen (described as army defectors) shot and killed a farmer. "
        "Troops said on Monday that rebels had attacked. "
        "Curfew: On 4 May 2012, police closed the roads.",
    )
    sent = {word: next(s for s in doc.sents if word in s.text) for word in ("gunmen", "Troops", "police")}
    first = opening_date(sent["gunmen"], doc._.dates)
    assert first is not None and first._.date_value["date_start"] == d("2012-05-03")
    assert opening_date(sent["Troops"], doc._.dates) is None  # the date belongs to the statement
    third = opening_date(sent["police"], doc._.dates)
    assert third is not None and third._.date_value["date_start"] == d("2012-05-04")


def test_a_date_in_a_name_is_no_date(nlp):
    doc = _annotate(nlp, "On 6 May 2012, protesters, including the February 14 Youth Coalition, marched in Homs.")
    texts = [s.text for s in doc._.dates]
    assert "6 May 2012" in texts and not any("February" in t for t in texts)


def test_scene_date_continues_the_paragraph(nlp):
    from geomap.nlp.dates import scene_date

    doc = _annotate(
        nlp,
        "On 3 May 2012, rebels attacked a checkpoint near Homs. Troops also shelled the area. "
        "Officials later said nothing.\n\nTroops shelled Hama.",
    )
    sents = list(doc.sents)
    second = next(s for s in sents if s.text.startswith("Troops also"))
    got = scene_date(second, doc._.dates)
    assert got is not None and got._.date_value["date_start"] == d("2012-05-03")
    new_paragraph = next(s for s in sents if s.text.startswith("Troops shelled Hama"))
    assert scene_date(new_paragraph, doc._.dates) is None


def test_around_a_date_as_reported_is_the_event_date():
    from geomap.nlp import load_pipeline

    full = load_pipeline()
    doc = _annotate(full, "Around 12 July 2012 (as reported), rebels shelled the town of Azaz.")
    (rec,) = doc._.incidents
    assert rec["date_start"] == d("2012-07-12") and rec["date_basis"] == "stated"


@pytest.mark.parametrize(
    "text,start,end,precision",
    [
        ("earlier this week", "2012-07-23", "2012-07-25", "week"),
        ("later this month", "2012-07-01", "2012-07-25", "month"),
        # Friday to Sunday: the region's weekend and the wire services' both fall inside it
        ("over the weekend", "2012-07-20", "2012-07-22", "day"),
    ],
)
def test_resolve_earlier_this_week_and_the_weekend(text, start, end, precision):
    assert resolve_date(text, PUB) == {"date_start": d(start), "date_end": d(end), "date_precision": precision}


def test_component_reads_earlier_this_week_and_the_weekend(nlp):
    doc = _annotate(nlp, "Jets struck the town earlier this week. Rebels shelled Homs over the weekend.")
    got = {s.text: s._.date_value["date_start"] for s in doc._.dates}
    assert d("2012-07-23") in got.values() and d("2012-07-20") in got.values(), got


@pytest.mark.parametrize(
    "text,anchor,want",
    [
        # day and month both <= 12: day-first, the order of the region's outlets...
        ("09-07-2014", None, "2014-07-09"),
        ("09-07-2014", "2014-07-09", "2014-07-09"),
        ("06.04.2017", "2017-04-06", "2017-04-06"),
        # ...unless only the month-first reading agrees with the article's date
        ("7/9/2014", "2014-07-09", "2014-07-09"),
        # a number over 12 is the day whatever the order
        ("17-12-2014", "2014-12-17", "2014-12-17"),
        ("12/25/2016", None, "2016-12-25"),
    ],
)
def test_numeric_dates_read_day_and_month_by_the_anchor(text, anchor, want):
    got = resolve_date(text, d(anchor) if anchor else None)
    assert got == {"date_start": d(want), "date_end": d(want), "date_precision": "day"}


def test_an_impossible_numeric_date_is_none():
    assert resolve_date("31-02-2016", PUB) is None


@pytest.mark.parametrize(
    "text,start,end,precision",
    [
        ("in recent days", "2012-07-19", "2012-07-25", "week"),
        ("over recent days", "2012-07-19", "2012-07-25", "week"),
        ("in recent weeks", "2012-06-26", "2012-07-25", "month"),
    ],
)
def test_recent_days_and_weeks_end_at_the_anchor(text, start, end, precision):
    assert resolve_date(text, PUB) == {"date_start": d(start), "date_end": d(end), "date_precision": precision}


def test_recent_months_and_recently_stay_undated():
    assert resolve_date("in recent months", PUB) is None
    assert resolve_date("recently", PUB) is None


def test_component_dates_an_event_of_recent_days(nlp):
    doc = _annotate(nlp, "The group has executed dozens of its own fighters in recent days in Raqqa.")
    got = [s._.date_value for s in doc._.dates]
    assert {"date_start": d("2012-07-19"), "date_end": d("2012-07-25"), "date_precision": "week"} in got, got


def test_a_weekday_hung_on_the_subject_is_a_date_but_friday_prayers_are_not(nlp):
    doc = _annotate(nlp, "Monday tanks shelled a northeastern district of Hama.")
    assert [s._.date_value["date_start"] for s in doc._.dates] == [d("2012-07-23")]
    doc = _annotate(nlp, "Security forces fired on worshippers leaving Friday prayers in Homs.")
    assert list(doc._.dates) == []


@pytest.mark.parametrize(
    "text,start,end,precision",
    [
        # a span of stated days, month first or day first
        ("July 15-16", "2012-07-15", "2012-07-16", "day"),
        ("between July 10 and 12", "2012-07-10", "2012-07-12", "day"),
        ("Between 10 and 12 July", "2012-07-10", "2012-07-12", "day"),
        ("10-12 July 2011", "2011-07-10", "2011-07-12", "day"),
        # parts of a month
        ("the first week of July", "2012-07-01", "2012-07-07", "week"),
        ("the last week of June 2011", "2011-06-24", "2011-06-30", "week"),
        ("the end of June", "2012-06-21", "2012-06-30", "month"),
        ("the beginning of March 2012", "2012-03-01", "2012-03-10", "month"),
        ("late last month", "2012-06-21", "2012-06-30", "month"),
        ("early this month", "2012-07-01", "2012-07-10", "month"),
        # a season with its year (winter straddles two years: left undated)
        ("the summer of 2011", "2011-06-01", "2011-08-31", "month"),
        ("earlier in the week", "2012-07-23", "2012-07-25", "week"),
    ],
)
def test_day_ranges_month_parts_and_seasons(text, start, end, precision):
    assert resolve_date(text, PUB) == {"date_start": d(start), "date_end": d(end), "date_precision": precision}


def test_a_winter_and_a_backwards_range_invent_no_span():
    assert resolve_date("the winter of 2014", PUB) is None
    assert resolve_date("July 16-15", PUB)["date_end"] == d("2012-07-16")


def test_a_date_entity_run_past_its_date_keeps_the_date(nlp):
    doc = _annotate(nlp, "Government forces stormed a town near Damascus on Tuesday after days of fierce fighting.")
    assert [(s.text, s._.date_value["date_start"]) for s in doc._.dates] == [("Tuesday", d("2012-07-24"))]


def test_today_inside_a_quotation_may_be_the_day_before_publication(nlp):
    # a wire report of a statement made the day before: the speaker's "today" is not surely
    # the publication day, so the day before stays possible (both days, precision day)
    doc = _annotate(nlp, '"Our gunners destroyed three rebel positions today near the dam" the ministry said.')
    [span] = doc._.dates
    assert (span._.date_value["date_start"], span._.date_value["date_end"]) == (d("2012-07-24"), d("2012-07-25"))
    # the reporter's own "today" is the publication day
    doc = _annotate(nlp, "Gunners destroyed three rebel positions today near the dam, the ministry said.")
    [span] = doc._.dates
    assert (span._.date_value["date_start"], span._.date_value["date_end"]) == (d("2012-07-25"), d("2012-07-25"))


@pytest.mark.parametrize(
    "text",
    [
        "Wed Jul 25 2012 12 Soldiers Die in Ambush near Hama. The army said it sealed the road.",
        "Gunmen ambush convoy near Hama AFP Wednesday 25 July 2012 Twelve soldiers have died near Hama.",
        "Posted July 25 2012 Two farmers were shot dead near Hama.",
        "DAMASCUS, July 25 (Xinhua) -- Syrian troops killed 20 militants in Aleppo, state media said.",
    ],
)
def test_the_articles_dateline_dates_no_event(nlp, text):
    # the day the report appeared: what it tells happened on or before it, not on it
    assert [s.text for s in _annotate(nlp, text)._.dates] == []


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("On 25 July 2012, rebels attacked a checkpoint in Aleppo.", "25 July 2012"),
        ("25 July 2012, rebels attacked a checkpoint in Aleppo.", "25 July 2012"),
        ("15 March 2011 protests began in Deraa, activists recalled.", "15 March 2011"),
        ("July 25 rebels shelled Aleppo, activists said.", "July 25"),  # no year, no wire dash
    ],
)
def test_a_date_at_the_top_that_is_no_dateline_stays(nlp, text, date):
    assert date in [s.text for s in _annotate(nlp, text)._.dates]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # counted from the last day told in the sentence, or the sentences just before
        ("Medics said on Monday that a shell hit the bakery the previous night.", "2012-07-22"),
        (
            "Two farmers died in Hama on Monday. Four had died there the previous day, medics said.",
            "2012-07-22",
        ),
        ("The army said on Monday it had regained the town a day earlier.", "2012-07-22"),
        # no day told: the day before publication
        ("Four had died there the previous day, medics said.", "2012-07-24"),
    ],
)
def test_the_previous_day_is_the_day_before_the_last_day_told(nlp, text, want):
    spans = [s for s in _annotate(nlp, text)._.dates if "previous" in s.text or "earlier" in s.text]
    assert [s._.date_value["date_start"] for s in spans] == [d(want)]


@pytest.mark.parametrize("text", ["earlier in June", "in earlier June", "later in June"])
def test_earlier_or_later_in_a_month_is_the_month(text):
    assert resolve_date(text, PUB) == {
        "date_start": d("2012-06-01"),
        "date_end": d("2012-06-30"),
        "date_precision": "month",
    }


def test_component_finds_earlier_in_a_month(nlp):
    doc = _annotate(nlp, "Some 400 families left the camp for Jordan in earlier June, aid workers said.")
    assert [s._.date_value["date_start"] for s in doc._.dates] == [d("2012-06-01")]
