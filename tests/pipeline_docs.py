"""The geomap pipeline for tests that read sentences as of a publication date.

Two pipelines, each loaded once per test session (fixtures, offered to every test module by
tests/conftest.py): ``nlp``, the whole pipeline (``load_pipeline()``), and ``places_nlp``, the
English model with ``geomap_places`` only, for tests of place recognition and resolution. A test
module that needs another configuration defines its own fixture of the same name. No test may
change these pipelines (add or remove a component, reconfigure one): the next modules share them.

``index``: the embedded gazetteer's place index (session), and ``NEEDS_GAZETTEER``, the mark of
modules that read it (skipped before ``gazetteer/places.tsv`` is built).

``read``: the pipeline's components run on a text whose ``doc._.meta`` carries the publication
date, as ``geomap.extract`` sets it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from geomap import settings
from geomap.gazetteer import place_index
from geomap.nlp import load_english_model, load_pipeline

NEEDS_GAZETTEER = pytest.mark.skipif(
    not (Path(settings.gazetteer_dir) / "places.tsv").is_file(), reason="gazetteer/places.tsv not built yet"
)


@pytest.fixture(scope="session")
def index():
    return place_index()


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_pipeline()


@pytest.fixture(scope="session")
def places_nlp() -> Language:
    import geomap.nlp.places  # noqa: F401  (registers the geomap_places factory)

    model = load_english_model()
    model.add_pipe("geomap_places")
    return model


def read(nlp: Language, text: str, published: dt.date) -> Doc:
    """``text`` through every component, published on ``published``."""
    doc = nlp.make_doc(text)
    doc._.meta = {"doc_id": "t", "published": published}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc
