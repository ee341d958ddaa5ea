"""Where places lie: distances, the governorate and country polygons, containment.

The polygons are ``governorates.geojson`` and ``countries.geojson`` of the gazetteer folder
(loaded once per :class:`Regions`). :func:`compatible` is the one test of "X can lie inside Y"
that every reader of a container ("X, Idlib", "X in Hama countryside") uses.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from geomap.errors import GazetteerError

__all__ = [
    "haversine_km",
    "haversine_km_array",
    "coords",
    "num",
    "Regions",
    "compatible",
    "ENCLOSING",
    "BORDER_TOLERANCE_DEG",
]

_EARTH_RADIUS_KM = 6371.0088
#: Reporters and GeoNames disagree on towns right at a governorate border: a reading this close
#: to the stated governorate still counts as inside it (degrees, ~10 km).
BORDER_TOLERANCE_DEG = 0.1
#: Governorates that enclose one another: Damascus city lies inside Rif Dimashq, and reports
#: put its eastern districts in either.
ENCLOSING = {frozenset({"Damascus", "Rif Dimashq"})}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def haversine_km_array(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Great-circle distances in km from one point to arrays of points."""
    p1, p2 = math.radians(lat), np.radians(lats)
    dphi = p2 - p1
    dl = np.radians(lons) - math.radians(lon)
    a = np.sin(dphi / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def num(v: Any, default: Any = 0.0) -> Any:
    """``float(v)``, or ``default`` for None, NaN and text that is no number."""
    try:
        f = float(v)
        return default if math.isnan(f) else f
    except (TypeError, ValueError):
        return default


def coords(e: dict) -> tuple[float, float] | None:
    """``(lat, lon)`` of a gazetteer entry, or None when it has no usable point."""
    lat, lon = num(e.get("lat"), None), num(e.get("lon"), None)
    if lat is None or lon is None:
        return None
    return lat, lon


class Regions:
    """The polygons of a gazetteer folder, loaded on first use.

    Parameters
    ----------
    directory : path-like or None
        The gazetteer folder; None (a gazetteer built in memory) has no polygons.
    """

    def __init__(self, directory: Path | None):
        self.directory = None if directory is None else Path(directory)
        self._shapes: dict[str, Any] = {}

    def polygons(self, filename: str):
        """``(STRtree, geometries, properties)`` of a GeoJSON file, or None when absent.

        Raises
        ------
        GazetteerError
            The file exists but is not valid GeoJSON.
        """
        if filename in self._shapes:
            return self._shapes[filename]
        result = None
        path = None if self.directory is None else self.directory / filename
        if path is not None and path.is_file():
            from shapely.geometry import shape
            from shapely.strtree import STRtree

            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                feats = [f for f in data.get("features", []) if f.get("geometry")]
                geoms = [shape(f["geometry"]) for f in feats]
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise GazetteerError(
                    f"Gazetteer file {path} is not valid GeoJSON ({exc}). Restore it from the geomap distribution."
                ) from exc
            result = (STRtree(geoms), geoms, [dict(f.get("properties") or {}) for f in feats])
        self._shapes[filename] = result
        return result

    def polygon_at(self, filename: str, lat: float, lon: float, tolerance_deg: float = 0.05) -> dict | None:
        """Properties of the polygon of ``filename`` containing a point (or within the tolerance)."""
        polys = self.polygons(filename)
        if polys is None:
            return None
        try:
            lat, lon = float(lat), float(lon)
        except (TypeError, ValueError):
            return None
        if not (math.isfinite(lat) and math.isfinite(lon)):
            return None
        from shapely.geometry import Point as ShapelyPoint

        tree, geoms, props = polys
        pt = ShapelyPoint(lon, lat)
        hits = tree.query(pt, predicate="intersects")
        if len(hits) == 0:
            # Simplified borders cut off towns that sit right on them: accept a near miss.
            near = tree.query(pt.buffer(tolerance_deg))
            if len(near) == 0:
                return None
            hits = [min(near, key=lambda i: geoms[i].distance(pt))]
        return dict(props[int(hits[0])])

    def governorate_shapes(self, entry_of) -> dict:
        """admin1 name -> shapely polygon of that governorate (empty without the GeoJSON).

        ``entry_of`` maps a gazetteer id to its entry (the polygons carry the ``adm1:`` id).
        """
        got = self._shapes.get("_by_admin1")
        if got is None:
            got = {}
            try:
                polys = self.polygons("governorates.geojson")
            except GazetteerError:
                polys = None
            if polys is not None:
                _, geoms, props = polys
                for geom, prop in zip(geoms, props):
                    e = entry_of(str(prop.get("id", ""))) or {}
                    if e.get("admin1"):
                        got[e["admin1"]] = geom
            self._shapes["_by_admin1"] = got
        return got


def compatible(e: dict, ce: dict, shapes: dict | None = None, km: float = 60.0) -> bool:
    """Whether entry ``e`` can lie inside container entry ``ce``.

    Inside a country: the same country code. Inside a governorate (or a governorate's
    countryside): the same admin1, an enclosing pair, or a point within ~10 km of the
    governorate's polygon (``shapes``: admin1 -> polygon). Inside a region across governorates
    (no admin1, "northern Syria"): the same country. Inside a town or district: the same admin1
    or within ``km``. A country never lies inside anything smaller.
    """
    if not e or not ce:
        return True
    if ce.get("level") == "country":
        return str(e.get("country_code", "")).upper() == str(ce.get("country_code", "")).upper()
    if e.get("level") == "country":
        return False
    a1, ca1 = e.get("admin1"), ce.get("admin1")
    if ce.get("level") == "region" and not ca1:
        # "northern Syria", "the Euphrates valley": a region across governorates has no one point
        # to measure from; inside it is at least inside its country.
        return not ce.get("country_code") or str(e.get("country_code", "")).upper() == str(ce["country_code"]).upper()
    if a1 and ca1 and (a1 == ca1 or frozenset({a1, ca1}) in ENCLOSING):
        return True
    c1, c2 = coords(e), coords(ce)
    if ce.get("level") in ("governorate", "region") and ca1 and shapes is not None:
        poly = shapes.get(ca1)
        if poly is not None and c1:
            from shapely.geometry import Point

            return poly.distance(Point(c1[1], c1[0])) <= BORDER_TOLERANCE_DEG
        if ce.get("level") == "governorate":
            return not a1  # no polygon: names must agree
    return bool(c1 and c2 and haversine_km(*c1, *c2) <= km)


#: Compass words and the bearing they name, in degrees clockwise from north.
_BEARINGS = {"north": 0.0, "east": 90.0, "south": 180.0, "west": 270.0}


def direction_bearing(word: str) -> float | None:
    """The bearing a compass word names ("north-west", "southeastern" -> 315, 135), or None."""
    w = word.lower().replace("-", "")
    parts = [b for name, b in _BEARINGS.items() if name in w]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    a, b = sorted(parts)
    return 315.0 if (a, b) == (0.0, 270.0) else (a + b) / 2


def lies_against(origin: tuple[float, float], point: tuple[float, float], word: str, slack: float = 90.0) -> bool:
    """Whether ``point`` lies clearly away from the direction ``word`` of ``origin``.

    "X, northwest of Aleppo" cannot be a place 90 km east of Aleppo. A point within 10 km, or
    within ``slack`` degrees of the stated bearing, agrees.
    """
    want = direction_bearing(word)
    if want is None or haversine_km(*origin, *point) < 10:
        return False
    lat1, lon1, lat2, lon2 = map(math.radians, (*origin, *point))
    y = math.sin(lon2 - lon1) * math.cos(lat2)
    x = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(lon2 - lon1)
    got = math.degrees(math.atan2(y, x)) % 360
    return abs((got - want + 180) % 360 - 180) > slack
