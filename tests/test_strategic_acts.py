"""Strategic developments told by a verb and its object (geomap/nlp/strategic_acts.py,
lexicon/strategic_acts.tsv), through the full pipeline. Hand-written Syrian sentences."""

from __future__ import annotations

import datetime as dt

import pytest
from pipeline_docs import read

from geomap.schema import acled_types

PUB = dt.date(2013, 3, 18)


def kinds(nlp, text):
    return [(r["event_type"], r["sub_type"]) for r in read(nlp, text, PUB)._.incidents]


@pytest.mark.parametrize(
    "text,sub,acled_sub",
    [
        (
            "On 12 May 2014, the army set up a new base near Quneitra.",
            "base established",
            "Headquarters or base established",
        ),
        (
            "On 12 May 2014, the army established a new headquarters near Quneitra.",
            "base established",
            "Headquarters or base established",
        ),
        ("On 2 March 2013, rebels and the army reached a deal in Homs.", "agreement", "Agreement"),
        (
            "On 12 May 2014, rebel commanders announced the formation of a joint command in Idlib.",
            "change to group",
            "Change to group/activity",
        ),
        (
            "On 12 May 2014, the army dismantled its roadblocks in Hama.",
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


@pytest.mark.parametrize(
    "text",
    [
        # the only place is in a purpose, participle or speech clause beside the act
        "Rebels said they had established a new base in the mountains, preparing to attack Latakia.",
        "The group announced the formation of a new alliance on Tuesday, saying it would fight in Idlib.",
    ],
)
def test_an_act_takes_no_place_from_a_clause_beside_it(nlp, text):
    assert kinds(nlp, text) == []


def test_an_act_with_its_own_place_beside_a_purpose_clause(nlp):
    text = "Turkey and Russia signed an agreement in Ankara on Monday to set up a buffer zone in Idlib."
    assert kinds(nlp, text) == [("strategic_development", "agreement")]
