"""geomap's spaCy components: places, dates, counts and events on each ``Doc``."""

from geomap.nlp import extensions  # noqa: F401
from geomap.nlp.pipeline import cached_pipeline, load_english_model, load_pipeline

__all__ = ["load_pipeline", "cached_pipeline", "load_english_model"]
