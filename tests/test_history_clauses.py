"""History an article recalls keeps its own date or none (H8, stop 19): an event told in a clause
"weeks after ..." or "after ..." under a present-tense statement, even through an implicative
verb ("managed to", "were able to"), is earlier than the clause it hangs on and has no known day:
it is only known to be before publication, never the publication week. Sentences written for
these tests."""

from __future__ import annotations

import datetime as dt

import pytest
from pipeline_docs import read

PUB = dt.date(2021, 6, 10)  # a Thursday


def taken(nlp, text):
    return [r for r in read(nlp, text, PUB)._.incidents if r["event_type"] == "control_change"]


@pytest.mark.parametrize(
    "text",
    [
        # an implicative verb between the "after" and the event
        "Hundreds of families went home to Maarat al-Numan. This comes just weeks after government "
        "forces managed to recapture several villages near Saraqib.",
        "Hundreds of families went home to Maarat al-Numan. The return came months after rebels were "
        "able to seize the town of Kafranbel.",
        # a measure before "after" under a past-tense event
        "Rebels shelled Tal Rifaat, days after the army managed to retake Menagh.",
        "Rebels shelled Tal Rifaat, two years after the army captured Menagh.",
    ],
)
def test_an_event_recalled_after_a_measure_or_through_managed_to_has_no_day(nlp, text):
    recs = taken(nlp, text)
    assert recs and all(r["date_start"] is None and r["date_end"] == PUB for r in recs), recs


def test_an_implicative_event_with_its_own_day_keeps_it(nlp):
    recs = taken(nlp, "Government forces managed to regain control of Talbiseh on Sunday.")
    assert [r["date_start"] for r in recs] == [dt.date(2021, 6, 6)]


def test_an_undated_current_event_still_falls_in_the_publication_week(nlp):
    recs = taken(nlp, "Government forces managed to recapture Kafr Nabudah, the monitor said.")
    assert [(r["date_start"], r["date_end"]) for r in recs] == [(dt.date(2021, 6, 4), PUB)]


def _clashes(nlp, text):
    return [r for r in read(nlp, text, PUB)._.incidents if r["event_type"] == "clash"]


def test_the_account_after_a_sentence_told_before_another_event_stays_history(nlp):
    frame = "Before the army recaptured Palmyra, the brigade said militants had seized the two villages. "
    told = "Backed by Russian jets, the army managed to break the siege of Deir ez-Zor."
    recs = _clashes(nlp, "Families fled Ras al-Ain for Hasakah. " + frame + told)
    assert recs and all(r["date_start"] is None and r["date_end"] == PUB for r in recs), recs
    # without the frame the same sentence is news of the publication week
    recs = _clashes(nlp, "Families fled Ras al-Ain for Hasakah. " + told)
    assert [(r["date_start"], r["date_end"]) for r in recs] == [(dt.date(2021, 6, 4), PUB)]


def test_what_runs_since_an_earlier_event_is_not_history(nlp):
    recs = read(nlp, "Since the army recaptured Palmyra, militants have shelled the town daily.", PUB)._.incidents
    shelled = [r for r in recs if r["event_type"] == "bombardment"]
    assert [(r["date_start"], r["date_end"]) for r in shelled] == [(dt.date(2021, 6, 4), PUB)]


def test_a_day_the_model_runs_into_the_measure_after_it_keeps_its_day(nlp):
    # the tagger reads "Monday, days" as one date; the comma ends the day
    recs = read(nlp, "Rebels shelled Tal Rifaat on Monday, days after the army retook Menagh.", PUB)._.incidents
    shelled = [r for r in recs if r["event_type"] == "bombardment"]
    assert [r["date_start"] for r in shelled] == [dt.date(2021, 6, 7)]


def test_the_governing_clauses_day_is_not_the_day_of_history_measured_after_it(nlp):
    # "on Tuesday" dates the shelling only; the capture "weeks after" which it came has no day
    recs = taken(
        nlp,
        "Rebels shelled Salhab on Tuesday, weeks after the army managed to retake two villages near Qalaat al-Madiq.",
    )
    assert recs and all(r["date_start"] is None and r["date_end"] == PUB for r in recs), recs
