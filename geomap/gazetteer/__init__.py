"""The offline gazetteer: Syrian places (and neighbours), their names, ranking and regions.

One package, one ranking:

=================  ===========================================================================
``store``          reading/writing ``places.tsv`` and the user overlay (``COLUMNS``...)
``index``          the folded-key name index (``PlaceIndex``) the pipeline and ``search`` read
``name_index``     compact keys with fuzzy blocking (``NameIndex``), cached on disk
``pickle_cache``   the indexes' disk caches (atomic writes, rebuilt when unreadable)
``index_cache``    the ``PlaceIndex`` cached on disk (``cached_place_index``)
``ranking``        THE scoring of readings, used by the pipeline and by ``Gazetteer.search``
``regions``        distances, governorate/country polygons, "X can lie in Y"
``geocoder``       ``Gazetteer``, the geopy ``Geocoder`` facade
=================  ===========================================================================

>>> from geomap.gazetteer import Gazetteer
>>> Gazetteer.default().geocode("Deir ez-Zor").raw["id"]        # doctest: +SKIP
'gn:170794'
"""

from geomap.gazetteer.geocoder import Candidate, Gazetteer, place_index
from geomap.gazetteer.index import PlaceIndex
from geomap.gazetteer.ranking import Mention, rank_mentions
from geomap.gazetteer.store import COLUMNS, LEVELS, OVERLAY_FILENAME, read_places_tsv, write_places_tsv

__all__ = [
    "Gazetteer",
    "Candidate",
    "COLUMNS",
    "LEVELS",
    "OVERLAY_FILENAME",
    "read_places_tsv",
    "write_places_tsv",
    "PlaceIndex",
    "place_index",
    "Mention",
    "rank_mentions",
]
