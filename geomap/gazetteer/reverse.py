"""Where a point is: the nearest gazetteer places and the governorate or country around it.

A mixin of :class:`geomap.gazetteer.geocoder.Gazetteer` (geopy's ``reverse`` and the polygon
look-ups ``governorate_at`` / ``country_at``); it reads the gazetteer's table, coordinate arrays
and :class:`geomap.gazetteer.regions.Regions`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
from geopy.location import Location
from geopy.point import Point

from geomap.gazetteer import ranking
from geomap.gazetteer.regions import Regions, haversine_km_array

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PointLookup", "as_latlon"]


def as_latlon(query: Any) -> tuple[float, float]:
    """``(lat, lon)`` of a pair, a ``"lat, lon"`` string or a geopy ``Point``."""
    if isinstance(query, (tuple, list)) and len(query) == 2:
        return float(query[0]), float(query[1])
    p = Point(query)
    return float(p.latitude), float(p.longitude)


class PointLookup:
    """``reverse``, ``governorate_at`` and ``country_at`` of a gazetteer (mixin)."""

    if TYPE_CHECKING:  # provided by Gazetteer, the class this mixin is part of
        entries: pd.DataFrame
        regions: Regions
        _lats: np.ndarray
        _lons: np.ndarray

        def _record(self, i: int) -> dict: ...

        @staticmethod
        def _location(entry: dict, extra: dict) -> Location: ...

        def get(self, place_id: str) -> dict | None: ...

    def reverse(
        self,
        query: Any,
        *,
        exactly_one: bool = True,
        timeout: Any = None,
        limit: int | None = None,
        level: str | Iterable[str] | None = None,
        max_distance_km: float | None = None,
        **kwargs: Any,
    ) -> Location | list[Location] | None:
        """Nearest gazetteer place(s) to a point (geopy interface).

        Parameters
        ----------
        query : (lat, lon), "lat, lon" or geopy Point
            The point.
        exactly_one : bool, default True
            Return the nearest ``Location`` instead of a list.
        limit : int, optional
            Number of places when ``exactly_one`` is False (default 5).
        level : str or iterable of str, optional
            Only places of these levels (e.g. ``"town"``).
        max_distance_km : float, optional
            Ignore places farther than this.

        Returns
        -------
        Location, list of Location, or None
            ``raw`` carries the entry plus ``distance_km``.
        """
        try:
            lat, lon = as_latlon(query)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"reverse() needs a point (lat, lon); got {query!r}") from exc
        if len(self.entries) == 0:
            return None if exactly_one else []
        d = haversine_km_array(lat, lon, self._lats, self._lons)
        mask = np.ones(len(d), dtype=bool)
        if level:
            levels = [level] if isinstance(level, str) else list(level)
            mask &= self.entries["level"].isin(levels).to_numpy()
        if max_distance_km is not None:
            mask &= d <= max_distance_km
        cand = np.flatnonzero(mask)
        if len(cand) == 0:
            return None if exactly_one else []
        n = 1 if exactly_one else (limit or 5)
        dc = np.round(d[cand], 3)
        part = np.argpartition(dc, n - 1)[:n] if n < len(dc) else np.arange(len(dc))
        # Equal distances (a town and the district named after it share a point): the more
        # prominent place first.
        prior = np.array([ranking.prior_score(self._record(int(i)), 1.0) for i in cand[part]])
        order = cand[part[np.lexsort((-prior, dc[part]))]]
        locs = [self._location(self._record(int(i)), {"distance_km": round(float(d[i]), 3)}) for i in order]
        return locs[0] if exactly_one else locs

    # ------------------------------------------------------------------ polygons
    def _polygons(self, filename: str):
        """``(STRtree, geometries, properties)`` of a GeoJSON file of the folder (see ``Regions``)."""
        return self.regions.polygons(filename)

    def _polygon_at(self, filename: str, lat: float, lon: float, tolerance_deg: float = 0.05) -> dict | None:
        return self.regions.polygon_at(filename, lat, lon, tolerance_deg)

    def governorate_at(self, lat: float, lon: float) -> dict | None:
        """The Syrian governorate containing a point, or None.

        Returns
        -------
        dict or None
            The gazetteer entry of the governorate when its id is in the gazetteer, otherwise
            the GeoJSON properties (``id``, ``name``). None outside Syria or without
            ``governorates.geojson``.
        """
        props = self._polygon_at("governorates.geojson", lat, lon)
        if props is None:
            return None
        pid = props.get("id")
        entry = self.get(pid) if pid else None
        return entry if entry is not None else props

    def country_at(self, lat: float, lon: float) -> dict | None:
        """The country (Syria or a neighbour) containing a point: GeoJSON properties
        (``iso_a2``, ``name``), or None outside them or without ``countries.geojson``."""
        return self._polygon_at("countries.geojson", lat, lon)
