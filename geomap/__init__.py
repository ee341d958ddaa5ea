"""geomap: news reporting on the Syrian civil war, turned into dated, sourced, layered maps."""

__version__ = "0.1.0"

from geomap import settings  # noqa: E402,F401
from geomap.errors import GeomapError  # noqa: E402,F401


def __getattr__(name):
    # Lazy imports keep `import geomap` fast and let each stage be used alone.
    if name == "Gazetteer":
        from geomap.gazetteer import Gazetteer

        return Gazetteer
    if name == "read_articles":
        from geomap.read import read_articles

        return read_articles
    if name in ("extract", "ExtractResult"):
        from geomap import extraction as _extract

        return getattr(_extract, name)
    if name == "Store":
        from geomap.store import Store

        return Store
    if name == "make_map":
        from geomap.map import make_map

        return make_map
    raise AttributeError(f"module 'geomap' has no attribute {name!r}")


__all__ = ["Gazetteer", "read_articles", "extract", "ExtractResult", "make_map", "Store", "settings", "GeomapError"]
