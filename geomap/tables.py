"""Docs → tables: the ``incidents``, ``movements`` and ``mentions`` of a run.

Two steps, so that the expensive one can run in worker processes:

``doc_records(doc)``
    flattens one processed ``Doc`` into plain, picklable dicts (no spaCy objects), one per
    incident, movement and mention, with the columns of the public contract
    (:mod:`geomap.doc_records`).
``build_tables(records)``
    assembles those dicts from every document into GeoDataFrames (EPSG:4326), merges the same
    incident reported by several articles into one record, and fixes ids and order so that the
    same input always gives the same tables (the merge rule: :mod:`geomap.same_event`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point

# The first step and the merge rule live in their own modules; their names stay importable
# from here (geomap.store_merge, benchmarks and tests use them).
from geomap.doc_records import MENTION_SENTENCE_CHARS, doc_records
from geomap.same_event import (
    MERGE_MAX_DAYS,
    MERGE_MAX_KM,
    _dedupe,
    _incident_block,
    _merge_group,
    _missing,
    _movement_block,
    _same_incident,
    _same_movement,
    _to_date,
)

__all__ = [
    "CRS",
    "INCIDENT_COLUMNS",
    "MOVEMENT_COLUMNS",
    "MENTION_COLUMNS",
    "SENTENCE_COLUMNS",
    "MENTION_SENTENCE_CHARS",
    "MERGE_MAX_DAYS",
    "MERGE_MAX_KM",
    "ExtractResult",
    "doc_records",
    "build_tables",
    "incidents_frame",
    "movements_frame",
    "mentions_frame",
    "sentences_frame",
    "add_source_ids",
]


CRS = "EPSG:4326"

#: A report's toll (``count_type``: killed, injured, displaced...) and its range.
_COUNT_FIELDS = [
    "count_type",
    "count_low",
    "count_best",
    "count_high",
    "count_qualifier",
]
#: Where a record was read (offsets, outlet) and which reports a merged record stands for.
_REPORT_FIELDS = [
    "char_start",
    "char_end",
    "confidence",
    "outlet",
    "url",
    "published",
    "title",
    "n_sources",
    "sources",
    "doc_ids",
]

INCIDENT_COLUMNS = [
    "incident_id",
    "doc_id",
    "event_type",
    "sub_type",
    "acled_event_type",
    "acled_sub_event_type",
    "date_start",
    "date_end",
    "date_precision",
    "place_text",
    "place_qualifier",
    "location_name",
    "gazetteer_id",
    "lat",
    "lon",
    "geo_precision",
    "admin1",
    "country_code",
    "actor1",
    "actor2",
    *_COUNT_FIELDS,
    "injured_best",
    "source_attribution",
    "claim_status",
    "evidence",
    "other_evidence",
    *_REPORT_FIELDS,
]

MOVEMENT_COLUMNS = [
    "movement_id",
    "doc_id",
    "kind",
    "acled_event_type",
    "acled_sub_event_type",
    "actor",
    "origin_text",
    "origin_name",
    "origin_id",
    "origin_lat",
    "origin_lon",
    "origin_precision",
    "destination_text",
    "destination_name",
    "destination_id",
    "destination_lat",
    "destination_lon",
    "destination_precision",
    # How it travelled when the report says so ("sea": by boat, across the Mediterranean), else
    # empty; the map draws a sea route across the water instead of stopping it at the border.
    "route",
    *_COUNT_FIELDS,
    "date_start",
    "date_end",
    "date_precision",
    "source_attribution",
    "claim_status",
    "evidence",
    *_REPORT_FIELDS,
]

MENTION_COLUMNS = [
    "doc_id",
    "char_start",
    "char_end",
    "text",
    "sentence_id",
    "sentence",
    "gazetteer_id",
    "name",
    "lat",
    "lon",
    "level",
    "country_code",
    "admin1",
    "confidence",
    "kind",
    "qualifier",
]

_COUNT_COLUMNS = ["count_low", "count_best", "count_high"]
_DATE_COLUMNS = ["date_start", "date_end", "published"]


#: Columns of the ``sentences`` table: each sentence holding a place mention, stored once.
SENTENCE_COLUMNS = ["doc_id", "sentence_id", "char_start", "char_end", "text"]


#: Counts at or above this are read as noise, not as numbers of people.
MAX_COUNT = 10**12


@dataclass
class ExtractResult:
    """What ``geomap.extract`` returns.

    Attributes
    ----------
    incidents : geopandas.GeoDataFrame
        One row per incident, Point geometry (None where the place is unknown), EPSG:4326.
    movements : geopandas.GeoDataFrame
        One row per movement, LineString origin→destination (None where an end is unknown;
        the known end's coordinates stay in its columns).
    mentions : pandas.DataFrame
        One row per place mention, resolved or not.
    articles : pandas.DataFrame, optional
        The articles the tables were extracted from (without their text).
    run : dict
        Per-input outcomes, counts and timings (written as ``run.json``).
    sentences : pandas.DataFrame, optional
        One row per sentence holding a mention (``SENTENCE_COLUMNS``); ``mentions.sentence_id``
        refers to it within its ``doc_id``.
    """

    incidents: gpd.GeoDataFrame
    movements: gpd.GeoDataFrame
    mentions: pd.DataFrame
    articles: pd.DataFrame | None = None
    run: dict = field(default_factory=dict)
    sentences: pd.DataFrame | None = None

    def __repr__(self) -> str:
        return (
            f"ExtractResult({len(self.incidents)} incidents, {len(self.movements)} movements, "
            f"{len(self.mentions)} mentions)"
        )


# ----------------------------------------------------------------------------- across documents


def _stable_id(prefix: str, *parts: Any) -> str:
    digest = hashlib.sha1("|".join("" if p is None else str(p) for p in parts).encode("utf-8"))
    return f"{prefix}{digest.hexdigest()[:12]}"


def _sort_key(row: dict):
    d = _to_date(row.get("date_start"))
    return (
        row.get("doc_id") or "",
        row.get("char_start") or 0,
        row.get("event_type") or row.get("kind") or "",
        d or date.min,
    )


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    for col in columns:
        if col not in df.columns:
            df[col] = None
    extra = sorted(c for c in df.columns if c not in columns)
    df = df[columns + extra]
    for col in _COUNT_COLUMNS + ["char_start", "char_end", "n_sources"]:
        if col in df.columns:
            values = pd.to_numeric(df[col], errors="coerce")
            # A number no table can hold ("99999999999999999999 killed") is not a count we can
            # report: it becomes empty rather than sinking the whole run.
            values = values.where(values.abs() < MAX_COUNT)
            df[col] = values.round().astype("Int64")
    for col in _DATE_COLUMNS:
        if col in df.columns:
            df[col] = pd.to_datetime(df[col].map(_to_date), errors="coerce")
    for col in ("lat", "lon", "origin_lat", "origin_lon", "destination_lat", "destination_lon", "confidence"):
        if col in df.columns:
            df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
    return df


def _point(lat, lon):
    if _missing(lat) or _missing(lon):
        return None
    return Point(float(lon), float(lat))


#: What a record's stable id is made of, besides its doc_id, offset and toll.
_ID_FIELDS = {
    "incident_id": ("event_type", "sub_type", "gazetteer_id"),
    "movement_id": ("kind", "origin_id", "destination_id"),
}


def _merged_with_ids(rows: list[dict], dedupe: bool, same, block, id_col: str, prefix: str) -> list[dict]:
    """Records in a stable order, merged across articles (``dedupe``), each with its stable id."""
    rows = sorted(rows, key=_sort_key)
    rows = _dedupe(rows, same, block) if dedupe else [_merge_group([r]) for r in rows]
    for r in rows:
        parts = (r.get(f) for f in _ID_FIELDS[id_col])
        r[id_col] = _stable_id(prefix, r.get("doc_id"), r.get("char_start"), *parts, r.get("count_best"))
    return rows


def incidents_frame(rows: list[dict], dedupe: bool = True) -> gpd.GeoDataFrame:
    """Incident records → GeoDataFrame with stable ids, merged across articles."""
    rows = _merged_with_ids(rows, dedupe, _same_incident, _incident_block, "incident_id", "inc-")
    df = _frame(rows, INCIDENT_COLUMNS)
    geometry = [_point(la, lo) for la, lo in zip(df["lat"], df["lon"])]
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geometry, index=df.index, crs=CRS), crs=CRS)


def movements_frame(rows: list[dict], dedupe: bool = True) -> gpd.GeoDataFrame:
    """Movement records → GeoDataFrame of LineStrings origin→destination."""
    rows = _merged_with_ids(rows, dedupe, _same_movement, _movement_block, "movement_id", "mov-")
    df = _frame(rows, MOVEMENT_COLUMNS)
    geometry = []
    for r in df.itertuples(index=False):
        a = _point(r.origin_lat, r.origin_lon)
        b = _point(r.destination_lat, r.destination_lon)
        geometry.append(LineString([a, b]) if a is not None and b is not None else None)
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geometry, index=df.index, crs=CRS), crs=CRS)


def sentences_frame(rows: list[dict]) -> pd.DataFrame:
    """Sentence records → one row per (doc_id, char_start), numbered from 1 within each doc."""
    unique = {(r.get("doc_id") or "", r["char_start"]): r for r in rows}
    ordered = [unique[k] for k in sorted(unique)]
    numbers: dict[str, int] = {}
    out = []
    for r in ordered:
        n = numbers[r.get("doc_id") or ""] = numbers.get(r.get("doc_id") or "", 0) + 1
        out.append(
            {
                "doc_id": r.get("doc_id"),
                "sentence_id": n,
                "char_start": r["char_start"],
                "char_end": r["char_end"],
                "text": r["text"],
            }
        )
    df = pd.DataFrame(out, columns=SENTENCE_COLUMNS)
    for col in ("sentence_id", "char_start", "char_end"):
        df[col] = pd.to_numeric(df[col]).astype("Int64")
    return df


def mentions_frame(rows: list[dict], sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """Mention records → DataFrame in document order, ``sentence_id`` from ``sentences``."""
    rows = sorted(rows, key=lambda r: (r.get("doc_id") or "", r.get("char_start") or 0))
    ids = {}
    if sentences is not None and len(sentences):
        ids = {
            (d, int(s)): int(n)
            for d, s, n in zip(sentences["doc_id"], sentences["char_start"], sentences["sentence_id"])
        }
    for r in rows:
        start = r.pop("sentence_start", None)
        r.pop("sentence_end", None)
        r["sentence_id"] = ids.get((r.get("doc_id"), start)) if start is not None else r.get("sentence_id")
    df = _frame(rows, MENTION_COLUMNS)
    df["sentence_id"] = pd.to_numeric(df["sentence_id"], errors="coerce").astype("Int64")
    return df


def build_tables(
    records: Iterable[dict[str, list[dict]]],
    articles: pd.DataFrame | None = None,
    run: dict | None = None,
    dedupe: bool = True,
) -> ExtractResult:
    """Assemble per-document records into the run's tables.

    Parameters
    ----------
    records : iterable of dict
        ``doc_records`` outputs, one per document, in any order.
    articles : pandas.DataFrame, optional
        The articles table, kept on the result without its ``text`` column.
    run : dict, optional
        Run metadata to carry on the result.
    dedupe : bool
        Merge the same incident or movement reported by several articles (default True).

    Returns
    -------
    ExtractResult
    """
    incidents, movements, mentions, sentence_rows = [], [], [], []
    for rec in records:
        incidents.extend(rec.get("incidents", []))
        movements.extend(rec.get("movements", []))
        mentions.extend(rec.get("mentions", []))
        sentence_rows.extend(rec.get("sentences", []))
    sentences = sentences_frame(sentence_rows)
    kept = None
    if articles is not None:
        kept = articles.drop(columns=[c for c in ("text",) if c in articles.columns])
    result = ExtractResult(
        incidents=incidents_frame(incidents, dedupe),
        movements=movements_frame(movements, dedupe),
        mentions=mentions_frame(mentions, sentences),
        articles=kept,
        run=run or {},
        sentences=sentences,
    )
    add_source_ids(result, articles)
    return result


def add_source_ids(result: ExtractResult, articles: pd.DataFrame | None) -> None:
    """Put each row's article ``source_id`` (the user's own id, verbatim) after ``doc_id``.

    A merged row carries the ``source_id`` of its leading report (its ``doc_id``).
    """
    ids: dict = {}
    if articles is not None and "source_id" in articles.columns and "doc_id" in articles.columns:
        ids = {str(d): s for d, s in zip(articles["doc_id"], articles["source_id"]) if isinstance(s, str) and s}
    for name in ("incidents", "movements", "mentions"):
        table = getattr(result, name)
        values = table["doc_id"].map(lambda d: ids.get(str(d))) if len(table) else pd.Series([], dtype=object)
        if "source_id" in table.columns:
            table = table.drop(columns=["source_id"])
        table.insert(list(table.columns).index("doc_id") + 1, "source_id", values.astype(object))
        setattr(result, name, table)
