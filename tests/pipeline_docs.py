"""The geomap pipeline for tests that read sentences as of a publication date.

One loaded pipeline per test module (``nlp``, a fixture: import it by name), and ``read``: the
pipeline's components run on a text whose ``doc._.meta`` carries the publication date, as
``geomap.extract`` sets it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from geomap.nlp import load_pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def read(nlp: Language, text: str, published: dt.date) -> Doc:
    """``text`` through every component, published on ``published``."""
    doc = nlp.make_doc(text)
    doc._.meta = {"doc_id": "t", "published": published}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc
