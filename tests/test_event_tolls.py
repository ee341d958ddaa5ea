"""Records and their tolls across sentences: days the account sets, running totals, tolls whose
event is named in a relative clause (H4, stop 18). Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

PUB = dt.date(2016, 6, 4)  # a Saturday


@pytest.fixture(scope="module")
def nlp():
    import geomap.nlp.linebreaks  # noqa: F401
    from geomap.nlp import load_pipeline

    nlp = load_pipeline()
    if "geomap_linebreaks" not in nlp.pipe_names:
        nlp.add_pipe("geomap_linebreaks", before="parser")
    return nlp


def incidents(nlp, text, pub=PUB):
    doc = nlp.make_doc(text)
    doc._.meta = {"doc_id": "t", "published": pub}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc._.incidents


def at(recs, name):
    return [r for r in recs if r["place"] is not None and r["place"].text == name]


def test_day_set_by_the_account_is_not_merged_into_another_day(nlp):
    recs = incidents(
        nlp,
        "Rebels fired rocket shells on Aleppo city on Saturday, killing 12 civilians. Five people were "
        "killed in attacks on al-Midan neighborhood. Shells hit al-Midan neighborhood on Friday.",
    )
    midan = at(recs, "al-Midan")
    assert sorted(r["date_start"] for r in midan) == [dt.date(2016, 6, 3), dt.date(2016, 6, 4)]
    saturday = next(r for r in midan if r["date_start"] == dt.date(2016, 6, 4))
    assert saturday["count_type"] == "killed" and saturday["count_best"] == 5
