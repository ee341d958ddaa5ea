"""Synthetic tables with the contract's columns, for tests, benchmarks and demos of the map.

Coordinates are real (Aleppo, Damascus, Idlib...), the records are invented and say so in
their evidence ("Synthetic record ..."): never mix them with real output.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from geomap import schema as _schema

PLACES = [
    # name, lat, lon, precision, admin1, country
    ("Aleppo", 36.20, 37.16, "town", "Aleppo", "SY"),
    ("Damascus", 33.51, 36.29, "town", "Damascus", "SY"),
    ("Idlib", 35.93, 36.63, "town", "Idlib", "SY"),
    ("Latakia", 35.52, 35.78, "town", "Latakia", "SY"),
    ("Homs", 34.73, 36.72, "town", "Homs", "SY"),
    ("Hama", 35.13, 36.75, "town", "Hama", "SY"),
    ("Deir ez-Zor", 35.33, 40.14, "town", "Deir ez-Zor", "SY"),
    ("Daraa", 32.62, 36.10, "town", "Daraa", "SY"),
    ("Raqqa", 35.95, 39.01, "town", "Raqqa", "SY"),
    ("Syria", 35.0, 38.5, "country", "", "SY"),
    ("Iraq", 33.0, 44.0, "country", "", "IQ"),
]
EVENT_TYPES = list(_schema.EVENT_TYPES)
ACTORS = ["Syrian army", "Free Syrian Army", "Jabhat al-Nusra", "Kurdish YPG"]
KINDS = list(_schema.MOVEMENT_KINDS)


def synthetic_result(
    n_incidents: int = 40,
    n_movements: int = 8,
    seed: int = 0,
    start="2012-07-01",
    days: int = 30,
    undated_share: float = 0.1,
    jitter: float = 0.08,
):
    """A result-like object with ``incidents``, ``movements`` (GeoDataFrames) and ``mentions``.

    Parameters
    ----------
    n_incidents, n_movements : int
        Rows to generate.
    seed : int
        Random seed (same seed, same tables).
    start : str
        First date; dates spread over ``days`` days; ``undated_share`` of incidents get none.
    jitter : float
        Degrees of random offset around town points so markers do not all coincide.

    Returns
    -------
    types.SimpleNamespace
    """
    import geopandas as gpd
    from shapely.geometry import LineString, Point

    rng = np.random.default_rng(seed)
    p = rng.integers(0, len(PLACES), n_incidents)
    rows = []
    t0 = pd.Timestamp(start)
    for i in range(n_incidents):
        name, lat, lon, prec, adm1, cc = PLACES[p[i]]
        if prec != "country":
            lat += rng.normal(0, jitter)
            lon += rng.normal(0, jitter)
        et = EVENT_TYPES[i % len(EVENT_TYPES)]
        dated = rng.random() >= undated_share
        d = t0 + pd.Timedelta(days=int(rng.integers(0, days))) if dated else None
        killed = int(rng.integers(1, 300)) if et in ("casualties", "bombardment", "clash") else None
        ev = (
            f"Synthetic record {i}: at least {killed} people were killed in {name}."
            if killed
            else f"Synthetic record {i}: fighting was reported in {name}."
        )
        rows.append(
            {
                "incident_id": f"syn-i{i}",
                "doc_id": f"doc{i % 7}",
                "event_type": et,
                "sub_type": "shelling" if et == "bombardment" else "",
                "date_start": d.date().isoformat() if d is not None else None,
                "date_end": d.date().isoformat() if d is not None else None,
                "date_precision": "day" if dated else "unknown",
                "place_text": name,
                "location_name": name,
                "gazetteer_id": f"syn:{name}",
                "lat": lat,
                "lon": lon,
                "geo_precision": prec,
                "admin1": adm1,
                "country_code": cc,
                "actor1": ACTORS[i % len(ACTORS)],
                "actor2": ACTORS[(i + 1) % len(ACTORS)],
                "count_type": "killed" if killed else None,
                "count_low": killed,
                "count_best": killed,
                "count_high": killed,
                "count_qualifier": "at least" if killed else None,
                "source_attribution": "activists",
                "claim_status": "disputed" if i % 11 == 5 else "reported",
                "evidence": ev,
                "char_start": 0,
                "char_end": len(ev),
                "confidence": 0.8,
                "outlet": ["CNN", "Reuters", "CSM"][i % 3],
                "url": f"https://example.org/a/{i % 7}",
                "published": (d + pd.Timedelta(days=2)).date().isoformat() if d is not None else start,
                # Every ninth date is inferred (the article's week), as geomap marks it in date_basis.
                "date_basis": ("publication" if i % 9 == 2 else "stated") if dated else "",
            }
        )
    inc = pd.DataFrame(rows)
    inc_g = gpd.GeoDataFrame(inc, geometry=[Point(r["lon"], r["lat"]) for r in rows], crs="EPSG:4326")

    towns = [pl for pl in PLACES if pl[3] == "town"]
    mrows, geoms = [], []
    for j in range(n_movements):
        kind = KINDS[j % len(KINDS)]
        a = towns[int(rng.integers(0, len(towns)))]
        b = towns[int(rng.integers(0, len(towns)))]
        if b is a:
            b = towns[(towns.index(a) + 1) % len(towns)]
        if kind == "refugee_return" and j % 8 == 3:
            b = PLACES[-1]  # to Iraq, country level
        drop = j % 5 == 4  # every fifth: one end unknown
        o = None if (drop and kind == "weapons_movement") else a
        dst = None if (drop and kind != "weapons_movement") else b
        if o is None and dst is None:
            dst = b
        n = int(rng.integers(50, 20000))
        d = t0 + pd.Timedelta(days=int(rng.integers(0, days)))
        ev = f"Synthetic movement {j}: about {n:,} moved from {a[0]} to {b[0]}."
        mrows.append(
            {
                "movement_id": f"syn-m{j}",
                "doc_id": f"doc{j % 7}",
                "kind": kind,
                "actor": "government forces",
                "origin_name": o[0] if o else None,
                "origin_id": f"syn:{o[0]}" if o else None,
                "origin_lat": o[1] if o else None,
                "origin_lon": o[2] if o else None,
                "origin_precision": o[3] if o else None,
                "destination_name": dst[0] if dst else None,
                "destination_id": f"syn:{dst[0]}" if dst else None,
                "destination_lat": dst[1] if dst else None,
                "destination_lon": dst[2] if dst else None,
                "destination_precision": dst[3] if dst else None,
                "count_low": n,
                "count_best": n,
                "count_high": n,
                "count_qualifier": "about",
                "date_start": d.date().isoformat(),
                "date_end": d.date().isoformat(),
                "date_precision": "day",
                "source_attribution": "an FSA official",
                "claim_status": "reported",
                "evidence": ev,
                "char_start": 0,
                "char_end": len(ev),
                "confidence": 0.7,
                "outlet": "CNN",
                "url": "https://example.org/m",
            }
        )
        geoms.append(LineString([(o[2], o[1]), (dst[2], dst[1])]) if (o and dst) else None)
    mov_g = gpd.GeoDataFrame(pd.DataFrame(mrows), geometry=geoms, crs="EPSG:4326")
    men = pd.DataFrame(
        {
            "doc_id": inc["doc_id"],
            "char_start": 0,
            "char_end": 5,
            "text": inc["place_text"],
            "sentence": inc["evidence"],
            "gazetteer_id": inc["gazetteer_id"],
            "name": inc["location_name"],
            "lat": inc["lat"],
            "lon": inc["lon"],
            "level": inc["geo_precision"],
            "country_code": inc["country_code"],
            "admin1": inc["admin1"],
            "confidence": 0.9,
        }
    )
    return SimpleNamespace(incidents=inc_g, movements=mov_g, mentions=men)


def box_governorates() -> dict:
    """A rough stand-in ``governorates.geojson`` (boxes around a few governorate seats) for tests."""
    feats = []
    for name, lat, lon, prec, adm1, _cc in PLACES:
        if prec != "town":
            continue
        d = 0.35
        feats.append(
            {
                "type": "Feature",
                "properties": {"id": f"adm1:test-{name}", "name": adm1},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [lon - d, lat - d],
                            [lon + d, lat - d],
                            [lon + d, lat + d],
                            [lon - d, lat + d],
                            [lon - d, lat - d],
                        ]
                    ],
                },
            }
        )
    return {"type": "FeatureCollection", "features": feats}
