"""A GeoPackage written with SQLite alone, so that a store update is one SQLite transaction.

GeoPackage (OGC 12-128r15) is an SQLite file with three metadata tables
(``gpkg_spatial_ref_sys``, ``gpkg_contents``, ``gpkg_geometry_columns``) and one table per
layer whose geometry column holds a small header followed by WKB. GDAL, QGIS and GeoPandas
open it as it is. Writing it here, rather than through GDAL, lets :mod:`geomap.store` insert,
update and delete rows of several layers inside a single transaction.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import sqlite3
import struct
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import shapely

#: ``PRAGMA application_id`` of a GeoPackage ("GPKG") and the version written (1.2.0).
APPLICATION_ID = 0x47504B47
USER_VERSION = 10200
SRS_ID = 4326

_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
    'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",'
    '0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],'
    'AUTHORITY["EPSG","4326"]]'
)

_BASE_DDL = [
    """CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
        organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
        description TEXT)""",
    """CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
        identifier TEXT UNIQUE, description TEXT DEFAULT '',
        last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
        CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))""",
    """CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
        geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
        CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
        CONSTRAINT uk_gc_table_name UNIQUE (table_name),
        CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
        CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))""",
]

_SRS_ROWS = [
    ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system"),
    ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system"),
    ("WGS 84 geodetic", SRS_ID, "EPSG", 4326, _WGS84_WKT, "longitude/latitude coordinates in decimal degrees"),
]

# Envelope sizes by the header's envelope indicator (bits 1-3 of the flags byte).
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def init_geopackage(con: sqlite3.Connection) -> None:
    """Create the GeoPackage metadata tables in an empty database (inside the caller's transaction)."""
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute(f"PRAGMA user_version = {USER_VERSION}")
    for ddl in _BASE_DDL:
        con.execute(ddl)
    con.executemany("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)", _SRS_ROWS)


def create_layer(
    con: sqlite3.Connection, name: str, columns: dict[str, str], geometry: str | None, extra_sql: str = ""
) -> None:
    """Create a feature table (``geometry`` "POINT", "LINESTRING") or an attribute table (None).

    Parameters
    ----------
    columns : dict
        Column name -> GeoPackage type (``TEXT``, ``INTEGER``, ``REAL``, ``DATE``).
    extra_sql : str
        Column definitions appended verbatim (geomap's bookkeeping columns).
    """
    cols = ["fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL"]
    if geometry:
        cols.append(f"geom {geometry}")
    cols += [f'"{c}" {t}' for c, t in columns.items()]
    if extra_sql:
        cols.append(extra_sql)
    con.execute(f'CREATE TABLE "{name}" ({", ".join(cols)})')
    kind = "features" if geometry else "attributes"
    con.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES (?, ?, ?, ?)",
        (name, kind, name, SRS_ID if geometry else None),
    )
    if geometry:
        con.execute("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)", (name, geometry, SRS_ID))


def table_columns(con: sqlite3.Connection, name: str) -> list[str]:
    return [r[1] for r in con.execute(f'PRAGMA table_info("{name}")')]


def add_columns(con: sqlite3.Connection, name: str, columns: dict[str, str]) -> None:
    """Add the columns the table lacks (new fields of a later geomap or of the user's input)."""
    have = set(table_columns(con, name))
    for col, typ in columns.items():
        if col not in have:
            con.execute(f'ALTER TABLE "{name}" ADD COLUMN "{col}" {typ}')


def touch_contents(con: sqlite3.Connection, name: str, new_bounds=None) -> None:
    """Widen a layer's extent in ``gpkg_contents`` by ``new_bounds`` and set its last_change.

    The extent only grows (rows removed do not shrink it): recomputing it would read every
    geometry of the layer at each update.
    """
    row = con.execute("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?", (name,)).fetchone()
    env: list[float | None] = list(row) if row else [None] * 4
    if new_bounds is not None and not any(b is None or b != b for b in new_bounds):
        nb = [float(b) for b in new_bounds]
        env = [nb[i] if (e := env[i]) is None else (min(e, nb[i]) if i < 2 else max(e, nb[i])) for i in range(4)]
    con.execute(
        "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now'), "
        "min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?",
        (*env, name),
    )


# --------------------------------------------------------------------------- geometry blobs


def encode_geometry(geom) -> bytes | None:
    """A shapely geometry as a GeoPackage geometry blob (little-endian, with its envelope)."""
    if geom is None or geom.is_empty:
        return None
    minx, miny, maxx, maxy = geom.bounds
    header = b"GP" + bytes([0, 0b00000011]) + struct.pack("<i", SRS_ID) + struct.pack("<4d", minx, maxx, miny, maxy)
    return header + shapely.to_wkb(geom, byte_order=1)


def decode_geometry(blob: bytes | None):
    """A GeoPackage geometry blob (as written by geomap, GDAL or QGIS) as a shapely geometry."""
    if blob is None or len(blob) < 8 or blob[:2] != b"GP":
        return None
    flags = blob[3]
    if flags & 0b00010000:  # the empty-geometry flag
        return None
    offset = 8 + _ENVELOPE_BYTES.get((flags >> 1) & 0b111, 0)
    return shapely.from_wkb(bytes(blob[offset:]))


def register_functions(con: sqlite3.Connection) -> None:
    """The SQL functions GDAL's spatial-index triggers call (``ST_IsEmpty``, ``ST_MinX``...).

    A user who builds a spatial index in QGIS adds triggers that call them; without them every
    insert into that layer would fail.
    """

    def bound(i):
        def f(blob):
            g = decode_geometry(blob)
            return None if g is None else float(g.bounds[i])

        return f

    con.create_function(
        "ST_IsEmpty", 1, lambda b: None if b is None else int(decode_geometry(b) is None), deterministic=True
    )
    for name, i in (("ST_MinX", 0), ("ST_MinY", 1), ("ST_MaxX", 2), ("ST_MaxY", 3)):
        con.create_function(name, 1, bound(i), deterministic=True)


# --------------------------------------------------------------------------- values


def sql_type(series: pd.Series, name: str) -> str:
    """The GeoPackage column type for a pandas column."""
    if name in ("date_start", "date_end", "published", "date"):
        return "DATE"
    if pd.api.types.is_bool_dtype(series) or pd.api.types.is_integer_dtype(series):
        return "INTEGER"
    if pd.api.types.is_float_dtype(series):
        return "REAL"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "DATE"
    return "TEXT"


def sql_value(v: Any) -> Any:
    """A table cell as an SQLite value: dates ISO text, missing values NULL, lists/dicts JSON."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.bool_, bool)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if math.isnan(v) or math.isinf(v) else float(v)
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if isinstance(v, (_dt.datetime, _dt.date)):
        return v.isoformat()[:10]
    if isinstance(v, (dict, list, tuple)):
        return json.dumps(v, ensure_ascii=False, default=str)
    if isinstance(v, (str, int)):
        return v
    return str(v)


def insert_rows(con: sqlite3.Connection, name: str, rows: Iterable[dict], geometries: Iterable | None = None) -> int:
    """Insert plain-value rows (``sql_value`` already applied, keys = existing columns)."""
    rows = list(rows)
    if not rows:
        return 0
    cols = list(rows[0])
    geoms = list(geometries) if geometries is not None else None
    names = ([("geom")] if geoms is not None else []) + cols
    sql = f'INSERT INTO "{name}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in names)}) VALUES ({", ".join("?" * len(names))})'
    data = [
        ([encode_geometry(g)] if geoms is not None else []) + [r.get(c) for c in cols]
        for r, g in zip(rows, geoms if geoms is not None else [None] * len(rows))
    ]
    con.executemany(sql, data)
    return len(rows)


def read_layer(con: sqlite3.Connection, name: str, where: str = "", params: tuple = ()) -> tuple[pd.DataFrame, list]:
    """All rows of a table (in ``fid`` order) and, for a feature table, their geometries."""
    cur = con.execute(f'SELECT * FROM "{name}" {where} ORDER BY fid', params)
    cols = [d[0] for d in cur.description]
    df = pd.DataFrame(cur.fetchall(), columns=cols)
    geoms = []
    if "geom" in df.columns:
        geoms = [decode_geometry(b) for b in df["geom"]]
        df = df.drop(columns=["geom"])
    return df, geoms
