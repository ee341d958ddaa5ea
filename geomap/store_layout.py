"""The standing store's GeoPackage layout: its layers, their columns and SQL types, and the
triggers that tell geomap's own writes from a user's edits (QGIS).

:class:`geomap.store.Store` creates a store with :func:`create_schema`; a store records its
``SCHEMA_VERSION`` and is refused by an older geomap.
"""

from __future__ import annotations

import datetime as _dt
import sqlite3

import pandas as pd

from geomap import gpkg
from geomap.tables import INCIDENT_COLUMNS, MENTION_COLUMNS, MOVEMENT_COLUMNS, SENTENCE_COLUMNS

#: Version of the store's layout; a store written by a newer geomap is refused, not altered.
SCHEMA_VERSION = 1
APPLICATION = "geomap"

_FEATURES = {
    "incidents": ("POINT", "incident_id", ["source_id"] + INCIDENT_COLUMNS + ["other_evidence"]),
    "movements": ("LINESTRING", "movement_id", ["source_id"] + MOVEMENT_COLUMNS + ["other_evidence"]),
    "mentions": ("POINT", None, ["source_id"] + MENTION_COLUMNS),
}
_ARTICLE_COLUMNS = {
    "doc_id": "TEXT UNIQUE",
    "source_id": "TEXT",
    "article_key": "TEXT",
    "content_hash": "TEXT",
    "date": "DATE",
    "date_source": "TEXT",
    "source": "TEXT",
    "title": "TEXT",
    "url": "TEXT",
    "path": "TEXT",
    "added": "DATETIME",
    "incidents": "INTEGER",
    "movements": "INTEGER",
    "mentions": "INTEGER",
}
_RULE_COLUMNS = {
    "incidents": [
        "fid",
        "doc_id",
        "event_type",
        "sub_type",
        "date_start",
        "date_end",
        "gazetteer_id",
        "lat",
        "lon",
        "count_type",
        "count_best",
        "geomap_edited",
    ],
    "movements": [
        "fid",
        "doc_id",
        "kind",
        "date_start",
        "date_end",
        "origin_id",
        "origin_lat",
        "origin_lon",
        "destination_id",
        "destination_lat",
        "destination_lon",
        "count_type",
        "count_best",
        "geomap_edited",
    ],
}
_INT_COLUMNS = {"count_low", "count_best", "count_high", "char_start", "char_end", "n_sources", "sentence_id"}
_REAL_COLUMNS = {"lat", "lon", "confidence", "origin_lat", "origin_lon", "destination_lat", "destination_lon"}
_DATE_COLUMNS = {"date_start", "date_end", "published"}


def _column_type(name: str) -> str:
    if name in _DATE_COLUMNS:
        return "DATE"
    if name in _INT_COLUMNS:
        return "INTEGER"
    if name in _REAL_COLUMNS:
        return "REAL"
    return "TEXT"


def _bookkeeping(layer: str, id_col: str) -> list[str]:
    """Triggers that tell geomap's own writes (which bump geomap_rev) from anyone else's.

    GDAL turns ``recursive_triggers`` on, so each trigger's condition must be false for the
    update it makes itself.
    """
    return [
        f'''CREATE TRIGGER "{layer}_geomap_edited" AFTER UPDATE ON "{layer}"
            WHEN NEW.geomap_rev IS OLD.geomap_rev AND NEW.geomap_edited IS NOT 1
            BEGIN UPDATE "{layer}" SET geomap_edited = 1 WHERE fid = NEW.fid; END''',
        f'''CREATE TRIGGER "{layer}_geomap_added" AFTER INSERT ON "{layer}"
            WHEN NEW.geomap_rev IS NULL
            BEGIN UPDATE "{layer}" SET geomap_edited = 1, geomap_rev = 0 WHERE fid = NEW.fid; END''',
        f'''CREATE TRIGGER "{layer}_geomap_deleted" AFTER DELETE ON "{layer}"
            WHEN OLD.geomap_rev >= 0 AND OLD."{id_col}" IS NOT NULL
            BEGIN INSERT OR IGNORE INTO geomap_deleted VALUES ('{layer}', OLD."{id_col}"); END''',
        f'CREATE INDEX "{layer}_geomap_doc" ON "{layer}" (doc_id)',
    ]


def create_schema(con: sqlite3.Connection) -> None:
    gpkg.init_geopackage(con)
    for layer, (geom, id_col, cols) in _FEATURES.items():
        extra = "geomap_rev INTEGER, geomap_edited INTEGER NOT NULL DEFAULT 0" if id_col else ""
        gpkg.create_layer(con, layer, {c: _column_type(c) for c in cols}, geom, extra)
        if id_col:
            for sql in _bookkeeping(layer, id_col):
                con.execute(sql)
        else:
            con.execute(f'CREATE INDEX "{layer}_geomap_doc" ON "{layer}" (doc_id)')
    # The merge looks candidates up by type and the end of their dates (a daily update reads
    # only the last few days, however long the history), then by a lat/lon box.
    for layer, type_col, lat in (("incidents", "event_type", "lat"), ("movements", "kind", "origin_lat")):
        # Undated records are looked up by latitude band within their type.
        con.execute(f"CREATE INDEX {layer}_geomap_merge ON {layer} ({type_col}, date_start, {lat})")
        con.execute(f"CREATE INDEX {layer}_geomap_end ON {layer} ({type_col}, COALESCE(date_end, date_start))")
    gpkg.create_layer(con, "articles", _ARTICLE_COLUMNS, None)
    # Each sentence holding a mention, once (mentions.sentence_id points into it).
    gpkg.create_layer(
        con, "sentences", {c: _column_type(c) if c != "sentence_id" else "INTEGER" for c in SENTENCE_COLUMNS}, None
    )
    con.execute("CREATE INDEX sentences_geomap_doc ON sentences (doc_id)")
    con.execute("CREATE INDEX articles_geomap_key ON articles (article_key)")
    con.execute("CREATE INDEX articles_geomap_hash ON articles (content_hash)")
    con.execute("CREATE TABLE geomap_meta (key TEXT PRIMARY KEY, value TEXT)")
    con.execute(
        "CREATE TABLE geomap_deleted (layer TEXT NOT NULL, record_id TEXT NOT NULL, PRIMARY KEY (layer, record_id))"
    )
    from geomap import __version__

    con.executemany(
        "INSERT INTO geomap_meta VALUES (?, ?)",
        [
            ("application", APPLICATION),
            ("schema_version", str(SCHEMA_VERSION)),
            ("created_by", f"geomap {__version__}"),
            ("created", _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")),
        ],
    )


def ensure_columns(con: sqlite3.Connection, layer: str, frame: pd.DataFrame) -> None:
    """Add to ``layer`` the columns of ``frame`` it does not have yet (extra input fields)."""
    geom = getattr(frame, "_geometry_column_name", None)
    gpkg.add_columns(
        con,
        layer,
        {
            c: (_column_type(c) if c in _INT_COLUMNS | _REAL_COLUMNS | _DATE_COLUMNS else gpkg.sql_type(frame[c], c))
            for c in frame.columns
            if c != geom
        },
    )
