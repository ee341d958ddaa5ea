"""Governorate (``admin1``) and district (``admin2``) of places added by ``geomap gazetteer import``.

The embedded gazetteer's rules, applied to imported rows so that both agree:

* ``admin1`` of a Syrian place is the governorate whose polygon (``governorates.geojson``)
  holds its point, spelled as the embedded gazetteer spells it; a point just outside the
  simplified outlines (a town on the border line) takes the nearest polygon within 0.05°. Other
  places keep GeoNames' first-order division, spelled as the embedded gazetteer does when it
  knows it.
* ``admin2`` of a Syrian town or neighbourhood is the district of the nearest embedded locality
  in the same governorate (the point-in-Voronoi-cell rule of ``gazetteer/wof.py``: no district
  polygons ship with geomap); a district names itself. Elsewhere it is GeoNames' second-order
  division when the dump holds it, else empty: never guessed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from geomap.errors import GazetteerError
from geomap.gazetteer.regions import Regions
from geomap.gazetteer.store import read_places_tsv

__all__ = ["Placer"]

#: How far (degrees) outside every simplified governorate outline a Syrian point may lie.
BORDER_TOLERANCE_DEG = 0.05


class Placer:
    """Fills ``admin1``/``admin2`` of imported rows, chunk by chunk.

    Parameters
    ----------
    gazetteer_dir : Path
        The embedded gazetteer (``places.tsv``, ``governorates.geojson``); without them the
        rows keep GeoNames' divisions.
    admin1_spelling : dict
        Folded governorate name -> the embedded spelling (``gazetteer_import._governorate_names``).
    """

    def __init__(self, gazetteer_dir: Path, admin1_spelling: dict[str, str]):
        from geomap.text import compact

        self._compact = compact
        self.admin1_spelling = admin1_spelling
        try:
            self._polys = Regions(gazetteer_dir).polygons("governorates.geojson")
        except GazetteerError:
            self._polys = None
        self._districts = self._district_trees(gazetteer_dir / "places.tsv")

    @staticmethod
    def _district_trees(path: Path) -> dict:
        if not path.is_file():
            return {}
        from scipy.spatial import cKDTree

        try:
            df = read_places_tsv(path)
        except GazetteerError:
            return {}
        df = df[(df["country_code"] == "SY") & df["level"].isin(["town", "neighbourhood"]) & (df["admin2"] != "")]
        out = {}
        for admin1, group in df.groupby("admin1"):
            lat = group["lat"].to_numpy(float)
            x = group["lon"].to_numpy(float) * np.cos(np.radians(lat))
            out[admin1] = (cKDTree(np.column_stack([lat, x])), group["admin2"].tolist())
        return out

    def _governorates(self, lats: np.ndarray, lons: np.ndarray) -> list[str | None]:
        if self._polys is None or not len(lats):
            return [None] * len(lats)
        import shapely

        tree, _geoms, props = self._polys
        pts = shapely.points(lons, lats)
        found: list[str | None] = [None] * len(lats)
        pairs = tree.query(pts, predicate="intersects")
        for i, j in zip(*pairs):
            found[int(i)] = found[int(i)] or str(props[int(j)].get("name") or "")
        missing = [i for i, f in enumerate(found) if not f]
        if missing:
            idx, hits = tree.query_nearest(pts[missing], max_distance=BORDER_TOLERANCE_DEG)
            for i, j in zip(idx, hits):
                found[missing[int(i)]] = found[missing[int(i)]] or str(props[int(j)].get("name") or "")
        return [self.admin1_spelling.get(self._compact(f), f) if f else None for f in found]

    def place(self, rows: list[dict]) -> None:
        """Set ``admin1``/``admin2`` of Syrian ``rows`` in place (other rows are left as given)."""
        syrian = [r for r in rows if r["country_code"] == "SY"]
        lats = np.array([r["lat"] for r in syrian], dtype=float)
        lons = np.array([r["lon"] for r in syrian], dtype=float)
        for r, gov in zip(syrian, self._governorates(lats, lons)):
            if gov:
                r["admin1"] = gov
        by_admin1: dict[str, list[dict]] = {}
        for r in syrian:
            if r["level"] == "district":
                r["admin2"] = r["name"]
            elif r["level"] in ("town", "neighbourhood") and r["admin1"] in self._districts:
                by_admin1.setdefault(r["admin1"], []).append(r)
        for admin1, group in by_admin1.items():
            tree, names = self._districts[admin1]
            lat = np.array([r["lat"] for r in group], dtype=float)
            x = np.array([r["lon"] for r in group], dtype=float) * np.cos(np.radians(lat))
            _, nearest = tree.query(np.column_stack([lat, x]))
            for r, k in zip(group, np.atleast_1d(nearest)):
                r["admin2"] = names[int(k)]
