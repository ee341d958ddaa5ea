"""Strategic developments told by a verb and its object (geomap/nlp/strategic_acts.py,
lexicon/strategic_acts.tsv), through the full pipeline. Hand-written Syrian sentences."""

from __future__ import annotations

import datetime as dt

import pytest

from geomap.schema import acled_types

PUB = dt.date(2013, 3, 18)


@pytest.fixture(scope="module")
def nlp():
    from geomap.nlp import load_pipeline

    return load_pipeline()


def kinds(nlp, text):
    doc = nlp.make_doc(text)
    doc._.meta = {"doc_id": "t", "published": PUB}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return [(r["event_type"], r["sub_type"]) for r in doc._.incidents]


@pytest.mark.parametrize(
    "text,sub,acled_sub",
    [
        (
            "On 2 March 2013, the army set up checkpoints in Homs.",
            "base established",
            "Headquarters or base established",
        ),
        (
            "On 2 March 2013, settlers established a new outpost near Quneitra.",
            "base established",
            "Headquarters or base established",
        ),
        ("On 2 March 2013, rebels and the army reached a deal in Homs.", "agreement", "Agreement"),
        (
            "On 2 March 2013, defectors announced the formation of a new council in Hama.",
            "change to group",
            "Change to group/activity",
        ),
        (
            "On 2 March 2013, police removed checkpoints and concrete barriers in Homs.",
            "change to group",
            "Change to group/activity",
        ),
    ],
)
def test_a_verb_with_its_object_is_a_strategic_development(nlp, text, sub, acled_sub):
    assert kinds(nlp, text) == [("strategic_development", sub)]
    assert acled_types("strategic_development", sub, None) == ("Strategic developments", acled_sub)


@pytest.mark.parametrize(
    "text",
    [
        "On 2 March 2013, the two men established contacts in Homs.",
        "On 2 March 2013, residents removed the rubble in Homs.",
        "On 2 March 2013, volunteers formed a human chain in Homs.",
    ],
)
def test_the_same_verbs_with_other_objects_are_no_event(nlp, text):
    assert kinds(nlp, text) == []
