"""The offline basemap: the gazetteer's own country and governorate outlines, with labels.

Also the per-governorate tallies the choropleth overlays colour in.
"""

from __future__ import annotations

import json
import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from shapely.geometry import shape

from geomap.mapping.payload import clean_str

log = logging.getLogger(__name__)


@lru_cache(maxsize=4096)
def _name_key(name: str) -> str:
    return name_key(name)


def name_key(name: str) -> str:
    """Folding key for governorate names ("Deir ez-Zor", "Deir Ezzor Governorate" -> same)."""
    s = clean_str(name).lower()
    s = re.sub(r"\b(governorate|province|muhafazat)\b", "", s)
    s = re.sub(r"[^a-z0-9]+", "", s)
    # Common English variants of the same Arabic article / letters.
    return s.replace("ezzor", "ezzor").replace("azzor", "ezzor").replace("alzor", "ezzor").replace("dimashq", "dimashq")


def _read_geojson(path: Path, simplify: float) -> dict | None:
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("cannot read %s: %s", path, exc)
        return None
    feats = []
    for f in data.get("features", []):
        geom = f.get("geometry")
        if not geom:
            continue
        g = shape(geom)
        if simplify:
            g = g.simplify(simplify, preserve_topology=True)
        pt = g.representative_point()
        props: dict[str, Any] = {
            k: clean_str(v) for k, v in (f.get("properties") or {}).items() if k in ("id", "name", "iso_a2")
        }
        props["label"] = [round(pt.y, 4), round(pt.x, 4)]
        feats.append({"type": "Feature", "properties": props, "geometry": _rounded(g.__geo_interface__)})
    return {"type": "FeatureCollection", "features": feats}


def _rounded(geo: dict) -> dict:
    def r(c):
        if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
            return [round(c[0], 4), round(c[1], 4)]
        return [r(x) for x in c]

    return {"type": geo["type"], "coordinates": r(geo["coordinates"])}


def load_outlines(gazetteer_dir: Path | None) -> tuple[dict | None, dict | None]:
    """``(countries, governorates)`` GeoJSON dicts (None when the file is absent).

    Shapes are simplified (~1 km) and rounded so the outlines stay a small part of the page.
    """
    if gazetteer_dir is None:
        from geomap import settings

        gazetteer_dir = settings.gazetteer_dir
    gazetteer_dir = Path(gazetteer_dir)
    countries = _read_geojson(gazetteer_dir / "countries.geojson", 0.01)
    govs = _read_geojson(gazetteer_dir / "governorates.geojson", 0.005)
    return countries, govs


def governorate_tallies(inc: pd.DataFrame | None, govs: dict | None) -> dict[str, dict[str, float]]:
    """Incidents and deaths per governorate feature id.

    Only records located at governorate level or finer count: a country-level toll does not
    belong to any one governorate. Deaths sum ``count_best`` of killed-type counts.
    """
    out: dict[str, dict[str, float]] = {}
    if govs is None or inc is None or len(inc) == 0 or "admin1" not in inc.columns:
        return out
    by_key = {
        name_key(f["properties"].get("name", "")): f["properties"].get("id") or f["properties"].get("name")
        for f in govs["features"]
    }
    df = pd.DataFrame({"key": [_name_key(clean_str(a)) for a in inc["admin1"].tolist()]}, index=inc.index)
    df["fid"] = df["key"].map(by_key)
    if "geo_precision" in inc.columns:
        # A country- or region-level toll belongs to no one governorate.
        df = df[~inc["geo_precision"].astype("string").str.lower().isin(["country", "region"]).fillna(False).to_numpy()]
    df = df[df["fid"].notna()]
    if "count_best" in inc.columns and "count_type" in inc.columns:
        ct = inc.loc[df.index, "count_type"].astype("string").str.lower().fillna("")
        dead = ct.str.contains("kill|dead|death|die", regex=True).fillna(False)
        best = pd.to_numeric(inc.loc[df.index, "count_best"], errors="coerce").fillna(0.0)
        df["deaths"] = best.where(dead, 0.0).astype(float)
    else:
        df["deaths"] = 0.0
    g = df.groupby("fid").agg(incidents=("key", "size"), deaths=("deaths", "sum"))
    for fid, row in g.iterrows():
        out[fid] = {"incidents": int(row["incidents"]), "deaths": float(row["deaths"])}
    return out


#: Town names on the basemap: (least population, first zoom it shows at), biggest first.
TOWN_ZOOMS = ((200_000, 7), (50_000, 8), (15_000, 9), (1, 10))


def load_towns(gazetteer_dir: Path | None, country: str = "SY") -> list[list]:
    """Towns of the gazetteer to name on the basemap: ``[[name, lat, lon, min_zoom], ...]``.

    More show as one zooms in (:data:`TOWN_ZOOMS`): the cities at country zoom, towns of 15,000 at
    zoom 9; places without a population (villages, most of the gazetteer) are not named, except
    district seats (``PPLA2``) from zoom 10. Columns are read defensively: a ``places.tsv``
    without them names no town.
    """
    if gazetteer_dir is None:
        from geomap import settings

        gazetteer_dir = settings.gazetteer_dir
    path = Path(gazetteer_dir) / "places.tsv"
    want = {"name", "lat", "lon", "level", "population", "country_code", "feature_code"}
    try:
        df = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, usecols=lambda c: c in want)
    except (OSError, ValueError) as exc:
        log.info("no town names on the basemap (%s)", exc)
        return []
    if not {"name", "lat", "lon", "level", "country_code"} <= set(df.columns):
        return []
    df = df[(df["country_code"] == country) & (df["level"] == "town")]
    pop = pd.to_numeric(df.get("population", pd.Series("", index=df.index)), errors="coerce").fillna(0)
    seat = df.get("feature_code", pd.Series("", index=df.index)).isin(["PPLA", "PPLC", "PPLA2"])
    df = df.assign(pop=pop)[(pop > 0) | seat].sort_values("pop", ascending=False)
    out = []
    for name, lat, lon, p in zip(df["name"], df["lat"], df["lon"], df["pop"]):
        try:
            la, lo = round(float(lat), 4), round(float(lon), 4)
        except ValueError:
            continue
        zoom = next((z for least, z in TOWN_ZOOMS if p >= least), 10)
        out.append([clean_str(name), la, lo, zoom])
    return out


def admin1_feature_ids(inc: pd.DataFrame | None, govs: dict | None) -> dict[str, str]:
    """Each ``admin1`` spelling in the incidents -> its governorate feature's id.

    The map's client sums the records that pass its window and filters per governorate with this
    (the same matching as :func:`governorate_tallies`, done once here).
    """
    if govs is None or inc is None or len(inc) == 0 or "admin1" not in inc.columns:
        return {}
    by_key = {
        name_key(f["properties"].get("name", "")): f["properties"].get("id") or f["properties"].get("name")
        for f in govs["features"]
    }
    out = {}
    for a in sorted({clean_str(v) for v in inc["admin1"].tolist()}):  # sorted: the same map in every process
        fid = by_key.get(_name_key(a)) if a else None
        if fid:
            out[a] = fid
    return out


def load_crossings(gazetteer_dir: Path | None) -> list[tuple[float, float]]:
    """Border crossings of the gazetteer (feature code ``PSTB``) as ``(lat, lon)``; ``[]`` without them."""
    if gazetteer_dir is None:
        from geomap import settings

        gazetteer_dir = settings.gazetteer_dir
    try:
        df = pd.read_csv(
            Path(gazetteer_dir) / "places.tsv",
            sep="\t",
            dtype=str,
            keep_default_na=False,
            usecols=lambda c: c in {"lat", "lon", "feature_code"},
        )
    except (OSError, ValueError):
        return []
    if not {"lat", "lon", "feature_code"} <= set(df.columns):
        return []
    df = df[df["feature_code"] == "PSTB"]
    lat = pd.to_numeric(df["lat"], errors="coerce")
    lon = pd.to_numeric(df["lon"], errors="coerce")
    return [(float(a), float(b)) for a, b in zip(lat, lon) if pd.notna(a) and pd.notna(b)]
