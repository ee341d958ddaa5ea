"""Events of another day told beside the scene's event (H3, stop 19): the dead of "the previous
day" at the scene's place are a record of their own. Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

from pipeline_docs import read

PUB = dt.date(2019, 3, 9)  # a Saturday


def incidents(nlp, text, pub=PUB):
    return read(nlp, text, pub)._.incidents


def test_dead_of_the_previous_day_are_another_record_at_the_scene_place(nlp):
    recs = incidents(
        nlp,
        "Militants fired rockets on Jableh on Friday, killing two fishermen, the agency said. "
        "Five had been killed the previous day, among them a baker who was hit near his shop.",
    )
    days = sorted((r["date_start"], r["count_best"]) for r in recs if r["place"] is not None)
    assert days == [(dt.date(2019, 3, 7), 5), (dt.date(2019, 3, 8), 2)]
    assert {r["place"].text for r in recs} == {"Jableh"}


def test_more_dead_on_the_same_day_make_no_second_record(nlp):
    recs = incidents(
        nlp, "Militants fired rockets on Jableh on Friday, killing two fishermen. Three more people were killed there."
    )
    assert len(recs) == 1 and recs[0]["count_best"] == 2


def test_history_sets_no_scene_for_a_toll_of_another_day(nlp):
    recs = incidents(nlp, "Government troops stormed Jableh in early March, killing dozens. Two were killed on Tuesday.")
    assert [r["date_precision"] for r in recs] == ["month"]
