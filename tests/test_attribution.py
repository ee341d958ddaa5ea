"""Source attribution on texts that lost their commas (wire copy pasted without punctuation)."""

import datetime as dt

import pytest

PUB = dt.date(2016, 6, 20)


@pytest.fixture(scope="module")
def nlp():
    import geomap.nlp.linebreaks  # noqa: F401
    from geomap.nlp import load_pipeline

    nlp = load_pipeline()
    if "geomap_linebreaks" not in nlp.pipe_names:
        nlp.add_pipe("geomap_linebreaks", before="parser")
    return nlp


def _sources(nlp, text):
    doc = nlp.make_doc(text)
    doc._.meta = {"doc_id": "t", "published": PUB}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return {r["source_attribution"] for r in doc._.incidents}


@pytest.mark.parametrize(
    ("text", "source"),
    [
        # the doer of the clause before is not who said it
        (
            "Turkish artillery and coalition jets hit 33 weapons emplacements including Katyusha rockets "
            "which were reportedly preparing to attack Turkey security sources said on Monday.",
            "security sources",
        ),
        # the parser ran the subject back over the clause before
        (
            "At least 23 militants were killed Sunday in northern Syria in a Turkish Armed Forces and "
            "U.S.-led coalition operation security sources said.",
            "security sources",
        ),
    ],
)
def test_the_source_is_the_phrase_before_the_speech_verb(nlp, text, source):
    assert _sources(nlp, text) == {source}


def test_the_victims_are_not_the_source(nlp):
    text = (
        "An explosion at a mosque in Idlib province on Friday killed at least 25 members of the Nusra "
        "Front the Syrian Observatory for Human Rights monitoring group said."
    )
    sources = _sources(nlp, text)
    assert sources and all(s.endswith("monitoring group") and "Nusra" not in s for s in sources)


def test_a_source_with_its_own_subject_and_comma_is_kept(nlp):
    assert _sources(nlp, "Rebels shelled Aleppo on Monday, the Syrian Observatory for Human Rights said.") == {
        "the Syrian Observatory for Human Rights"
    }
    assert _sources(nlp, "Syrian military sources said rebels shelled Aleppo on Monday.") == {"Syrian military sources"}
