"""Source attribution on texts that lost their commas (wire copy pasted without punctuation).

The sentences are invented for these tests."""

import datetime as dt

import pytest

PUB = dt.date(2016, 6, 20)


# nlp: the shared pipeline fixture (tests/pipeline_docs.py, offered by tests/conftest.py)
def _sources(nlp, text):
    doc = nlp.make_doc(text)
    doc._.meta = {"doc_id": "t", "published": PUB}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return {r["source_attribution"] for r in doc._.incidents}


@pytest.mark.parametrize(
    ("text", "source"),
    [
        # the parser glued the clause's object to the source ("two tanks military sources")
        (
            "Insurgents stormed a checkpoint outside Palmyra and seized two tanks military sources said on Tuesday.",
            "military sources",
        ),
        # a speech verb the parser left without a subject: the source phrase just before it
        (
            "Seven smugglers died near Palmyra during a joint army and border guard raid police sources said.",
            "police sources",
        ),
    ],
)
def test_the_source_is_the_phrase_before_the_speech_verb(nlp, text, source):
    assert _sources(nlp, text) == {source}


def test_a_source_with_its_own_subject_is_kept(nlp):
    assert _sources(nlp, "Rebels shelled Hama on Tuesday, the Levant Rights Watch said.") == {"the Levant Rights Watch"}
    assert _sources(nlp, "Syrian military sources said rebels shelled Hama on Tuesday.") == {"Syrian military sources"}
    # "Opposition" is the informative word: a subject the parser gave the verb is kept whole
    assert _sources(nlp, "Opposition activists said troops shelled Saraqeb on Tuesday killing two farmers.") == {
        "Opposition activists"
    }
