"""Where a flow to or from another country meets Syria's border.

A refugee flow "to Iraq" is known only at country level: drawn to Iraq's centre it would be the
longest line on the map and cross the desert to a place nobody named. A flow to a foreign town
drawn straight would cross the border anywhere, often over the sea. The map therefore draws every
flow between Syria and another country through the border: through the gazetteer's border crossing
(``PSTB``) on that border that makes the way shortest, or, when the gazetteer has none on that
border, through the nearest border point. It goes on to the foreign end only when that end is a
place (not a whole country), in a neighbouring country the map outlines, and reachable over land;
otherwise the line ends at the border and the popup says why. A foreign end whose other end is
unknown is drawn the same way, its stub coming from the Syrian side of the border.
"""

from __future__ import annotations

from dataclasses import dataclass

from shapely.geometry import LineString, Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points, unary_union
from shapely.prepared import prep

HOME = "SY"

LatLon = tuple[float, float]


@dataclass(frozen=True)
class Crossing:
    """Where a flow passes Syria's border.

    Attributes
    ----------
    point : (lat, lon)
        The crossing (or nearest border point) the line passes through.
    onward : bool
        True when the line goes on to the foreign end; False when it ends at ``point``.
    why : str
        Why it ends at the border (``""`` when it goes on), for the popup.
    """

    point: LatLon
    onward: bool
    why: str


#: Why a line ends at the border (shown in the popup).
WHY_COUNTRY = "the other end is known only as a country"
WHY_SEA = "the way on to the other end would cross the sea"
WHY_FAR = "the other end lies beyond the neighbouring countries the map outlines"


class BorderAnchors:
    """Routes flows between Syria and other countries through the border.

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
    #: A point this close (degrees, ~5 km) outside Syria's simplified outline is still in Syria:
    #: coastal towns fall just outside a coastline simplified to ~1 km.
    HOME_SLACK = 0.05

    def __init__(self, countries: dict | None, crossings: list | None = None):
        self._crossings = [Point(lon, lat) for lat, lon in (crossings or [])]
        self._crossing_iso: dict[tuple, str] = {}
        self._shapes: dict[str, BaseGeometry] = {}
        self._borders: dict[str, object] = {}
        self._where: dict[LatLon, str] = {}
        for f in (countries or {}).get("features", []):
            iso = (f.get("properties") or {}).get("iso_a2", "")
            if iso and f.get("geometry"):
                self._shapes[iso] = shape(f["geometry"])
        self._prepared = {iso: prep(g) for iso, g in self._shapes.items()}
        home = self._shapes.get(HOME)
        self._home_near = prep(home.buffer(self.HOME_SLACK)) if home is not None else None
        self._home_centre = home.representative_point() if home is not None else None
        self._land = unary_union(list(self._shapes.values())).buffer(0.03) if self._shapes else None
        self._land_p = prep(self._land) if self._land is not None else None
        self._ways: dict[tuple, bool] = {}

    def country_at(self, lat: float, lon: float) -> str:
        """ISO code of the country whose outline holds the point (``""`` when none)."""
        key = (lat, lon)
        if key not in self._where:
            p = Point(lon, lat)
            self._where[key] = next((iso for iso, g in self._prepared.items() if g.contains(p)), "")
        return self._where[key]

    def at_home(self, end: LatLon) -> bool:
        """True when the point is in Syria (or just off its simplified coastline)."""
        iso = self.country_at(*end)
        if iso == HOME:
            return True
        return not iso and self._home_near is not None and self._home_near.contains(Point(end[1], end[0]))

    def abroad(self, end: LatLon) -> bool:
        """True when the point is outside Syria (False when no outline is known)."""
        return self._home_near is not None and not self.at_home(end)

    def _border(self, iso: str):
        if iso not in self._borders:
            home, other = self._shapes.get(HOME), self._shapes.get(iso)
            line = None
            if home is not None and other is not None and iso != HOME:
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
                border = self._border(other)
                if border is not None and border.distance(c) <= best:
                    best, iso = border.distance(c), other
            cache[key] = iso
        return cache[key]

    #: A way with more than this many degrees (~15 km) off the outlined land crosses the sea: a
    #: coastal town lies a little off a coastline simplified to ~1 km, and a coast road is not a sea.
    SEA_TOLERANCE = 0.15

    def over_land(self, a: LatLon, b: LatLon) -> bool:
        """True when the straight way from a to b stays on the land the outlines cover."""
        if self._land is None or self._land_p is None:
            return False
        key = (a, b)
        if key not in self._ways:
            line = LineString([(a[1], a[0]), (b[1], b[0])])
            self._ways[key] = self._land_p.covers(line) or line.difference(self._land).length <= self.SEA_TOLERANCE
        return self._ways[key]

    def stays_on_land(self, points: list[LatLon]) -> bool:
        """True when the path through the points keeps off the sea (within :data:`SEA_TOLERANCE`)."""
        if self._land is None or len(points) < 2:
            return False
        line = LineString([(p[1], p[0]) for p in points])
        return line.difference(self._land).length <= self.SEA_TOLERANCE

    def crossing(self, far: LatLon, far_precision: str, home: LatLon | None) -> Crossing | None:
        """Where a flow between Syria and the foreign end ``far`` passes the border.

        Parameters
        ----------
        far : (lat, lon)
            The end outside Syria.
        far_precision : str
            Its ``*_precision``; a ``country`` (or unknown) end says nothing about where it is.
        home : (lat, lon) or None
            The end inside Syria, or None when the other end is unknown.

        Returns
        -------
        Crossing or None
            None when ``far`` is in Syria, when ``home`` is abroad too, or without outlines.
        """
        if not self.abroad(far) or (home is not None and not self.at_home(home)):
            return None
        whole_country = far_precision in ("country", "")
        iso = self.country_at(*far)
        border = self._border(iso) if iso else None
        if border is None:
            # Beyond the neighbours the map outlines: the land crossing nearest the far end (the
            # way out towards it; the Syrian end matters little at that distance).
            cands = [c for c in self._crossings if self._crossing_border(c)]
            line = unary_union([b for b in (self._border(i) for i in self._shapes) if b is not None])
            point = self._best(cands, line, far, None, far)
            return None if point is None else Crossing(point, False, WHY_COUNTRY if whole_country else WHY_FAR)
        cands = [c for c in self._crossings if self._crossing_border(c) == iso]
        # A whole country's point (its centre) says nothing of the way: the crossing nearest the
        # Syrian end then, or the one nearest that country's centre when the Syrian end is unknown.
        point = self._best(cands, border, None if whole_country and home else far, home, far)
        if point is None:
            return None
        if whole_country:
            return Crossing(point, False, WHY_COUNTRY)
        if not self.over_land(point, far):
            return Crossing(point, False, WHY_SEA)
        return Crossing(point, True, "")

    def _best(self, cands, line, far: LatLon | None, home: LatLon | None, fallback: LatLon) -> LatLon | None:
        """The candidate crossing making home -> crossing -> far shortest; else the nearest border point."""
        pts = [Point(p[1], p[0]) for p in (home, far) if p is not None] or [Point(fallback[1], fallback[0])]
        if cands:
            c = min(cands, key=lambda c: sum(c.distance(p) for p in pts))
        elif line is not None and not line.is_empty:
            # No crossing known on this border: the border point nearest the way (its ends' midpoint).
            mid = Point(sum(p.x for p in pts) / len(pts), sum(p.y for p in pts) / len(pts))
            c = nearest_points(line, mid)[0]
        else:
            return None
        return (round(c.y, 4), round(c.x, 4))

    def inward(self, point: LatLon, length: float) -> LatLon:
        """The point ``length`` degrees from ``point`` towards Syria's interior (a stub's other end)."""
        if self._home_centre is None:
            return (point[0] - length * 0.6, point[1] - length)
        dx, dy = self._home_centre.x - point[1], self._home_centre.y - point[0]
        n = max((dx * dx + dy * dy) ** 0.5, 1e-9)
        return (round(point[0] + dy / n * length, 4), round(point[1] + dx / n * length, 4))
