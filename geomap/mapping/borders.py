"""Where a flow to or from another country meets Syria's border.

A refugee flow "to Iraq" is known only at country level: drawn to Iraq's centre it would be the
longest line on the map and cross the desert to a place nobody named. The map draws it to the
border instead: to the gazetteer's border crossing (``PSTB``) on the Syria-Iraq border nearest
its Syrian end, or, when the gazetteer has none on that border, to the nearest border point. Its
length then says nothing it does not know.
"""

from __future__ import annotations

from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

HOME = "SY"


class BorderAnchors:
    """Anchors country-level foreign ends of movements on the home country's border.

    Parameters
    ----------
    countries : dict or None
        The countries FeatureCollection of :func:`geomap.mapping.basemap.load_outlines`
        (properties ``iso_a2``, ``name``). Without it nothing is anchored.
    crossings : list of (lat, lon), optional
        Border crossings (:func:`geomap.mapping.basemap.load_crossings`).
    """

    #: A crossing belongs to the border nearest it, within this many degrees (~20 km): the outlines
    #: are simplified and a crossing's point is often its Syrian post, inside the line.
    CROSSING_TOLERANCE = 0.2

    def __init__(self, countries: dict | None, crossings: list | None = None):
        self._crossings = [Point(lon, lat) for lat, lon in (crossings or [])]
        self._crossing_iso: dict[tuple, str] = {}
        self._shapes: dict[str, BaseGeometry] = {}
        self._names: dict[str, str] = {}
        self._borders: dict[str, object] = {}
        for f in (countries or {}).get("features", []):
            iso = (f.get("properties") or {}).get("iso_a2", "")
            if iso and f.get("geometry"):
                self._shapes[iso] = shape(f["geometry"])
                self._names[iso] = f["properties"].get("name", iso)

    def country_at(self, lat: float, lon: float) -> str:
        """ISO code of the country whose outline holds the point (``""`` when none)."""
        p = Point(lon, lat)
        for iso, g in self._shapes.items():
            if g.contains(p):
                return iso
        return ""

    def _border(self, iso: str):
        if iso not in self._borders:
            home, other = self._shapes.get(HOME), self._shapes.get(iso)
            line = None
            if home is not None and other is not None:
                # Simplified outlines do not share vertices exactly: a small buffer finds the border.
                shared = home.boundary.intersection(other.buffer(0.03))
                line = None if shared.is_empty else shared
            self._borders[iso] = line
        return self._borders[iso]

    def _crossing_border(self, c) -> str:
        """The neighbour whose border with the home country is nearest the crossing ("" if none is near)."""
        key, cache = (c.x, c.y), self._crossing_iso
        if key not in cache:
            best, iso = self.CROSSING_TOLERANCE, ""
            for other in self._shapes:
                border = None if other == HOME else self._border(other)
                if border is not None and border.distance(c) <= best:
                    best, iso = border.distance(c), other
            cache[key] = iso
        return cache[key]

    def anchor(self, end: tuple[float, float], precision: str, other: tuple[float, float] | None):
        """The border point for a country-level foreign end, or None to keep the end as it is.

        Parameters
        ----------
        end : (lat, lon)
            The end known only at country level.
        precision : str
            Its ``*_precision``; only ``country`` ends are moved.
        other : (lat, lon) or None
            The movement's other end, if known and inside the home country.

        Returns
        -------
        tuple (lat, lon, iso) or None
        """
        if precision != "country" or other is None:
            return None
        iso = self.country_at(*end)
        if not iso or iso == HOME or self.country_at(*other) != HOME:
            return None
        border = self._border(iso)
        if border is None:
            return None
        home = Point(other[1], other[0])
        on_border = [c for c in self._crossings if self._crossing_border(c) == iso]
        p = min(on_border, key=home.distance) if on_border else nearest_points(border, home)[0]
        return (round(p.y, 4), round(p.x, 4), iso)
