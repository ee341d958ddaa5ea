"""Docs → tables: the ``incidents``, ``movements`` and ``mentions`` of a run.

Two steps, so that the expensive one can run in worker processes:

``doc_records(doc)``
    flattens one processed ``Doc`` into plain, picklable dicts (no spaCy objects), one per
    incident, movement and mention, with the columns of the public contract.
``build_tables(records)``
    assembles those dicts from every document into GeoDataFrames (EPSG:4326), merges the same
    incident reported by several articles into one record, and fixes ids and order so that the
    same input always gives the same tables.
"""

from __future__ import annotations

import hashlib
import math
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import geopandas as gpd
import pandas as pd
from geopy.distance import great_circle
from shapely.geometry import LineString, Point

from geomap.schema import acled_types

CRS = "EPSG:4326"

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
    "count_type",
    "count_low",
    "count_best",
    "count_high",
    "count_qualifier",
    "injured_best",
    "source_attribution",
    "claim_status",
    "evidence",
    "other_evidence",
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
    "count_type",
    "count_low",
    "count_best",
    "count_high",
    "count_qualifier",
    "date_start",
    "date_end",
    "date_precision",
    "source_attribution",
    "claim_status",
    "evidence",
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

#: Cross-article merge rule: same type, dates within this many days, places within this many km.
MERGE_MAX_DAYS = 1
MERGE_MAX_KM = 10.0

#: Columns of the ``sentences`` table: each sentence holding a place mention, stored once.
SENTENCE_COLUMNS = ["doc_id", "sentence_id", "char_start", "char_end", "text"]

#: A mention's ``sentence`` column holds its whole sentence up to this many characters, else
#: this many characters around the mention (``…`` where cut): a sentence of 10,000 place
#: names must not be copied 10,000 times. The whole sentence is in ``sentences`` once.
MENTION_SENTENCE_CHARS = 400

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


# ----------------------------------------------------------------------------- per document


def _place_fields(span, prefix: str) -> dict[str, Any]:
    """Flatten a place ``Span`` (or None) into ``<prefix>name/id/lat/lon/precision`` columns."""
    entry = getattr(span._, "place", None) if span is not None else None
    if entry is None:
        return {
            f"{prefix}text": span.text if span is not None else None,
            f"{prefix}name": None,
            f"{prefix}id": None,
            f"{prefix}lat": None,
            f"{prefix}lon": None,
            f"{prefix}precision": None,
        }
    return {
        f"{prefix}text": span.text,
        f"{prefix}name": entry.get("name"),
        f"{prefix}id": entry.get("id"),
        f"{prefix}lat": entry.get("lat"),
        f"{prefix}lon": entry.get("lon"),
        f"{prefix}precision": entry.get("level"),
    }


def _incident_place(span) -> dict[str, Any]:
    entry = getattr(span._, "place", None) if span is not None else None
    out = {
        "place_text": span.text if span is not None else None,
        "location_name": None,
        "gazetteer_id": None,
        "lat": None,
        "lon": None,
        "geo_precision": None,
        "admin1": None,
        "country_code": None,
    }
    if entry is not None:
        out.update(
            location_name=entry.get("name"),
            gazetteer_id=entry.get("id"),
            lat=entry.get("lat"),
            lon=entry.get("lon"),
            geo_precision=entry.get("level"),
            admin1=entry.get("admin1") or None,
            country_code=entry.get("country_code"),
        )
    return out


def _meta_fields(meta: dict) -> dict[str, Any]:
    return {
        "doc_id": meta.get("doc_id"),
        "outlet": meta.get("outlet") or meta.get("source"),
        "url": meta.get("url"),
        "published": meta.get("published"),
        "title": meta.get("title"),
    }


def _sentence_bounds(doc) -> list[tuple[int, int]]:
    """``(start_char, end_char)`` of every sentence, in one pass (``span.sent`` per mention
    rescans the sentence each time: quadratic in a long sentence)."""
    if not doc.has_annotation("SENT_START") and not doc.has_annotation("DEP"):
        return []
    return [(s.start_char, s.end_char) for s in doc.sents]


def _excerpt(text: str, start: int, end: int, m_start: int, m_end: int) -> str:
    """The sentence ``text[start:end]``, or ``MENTION_SENTENCE_CHARS`` of it around the mention."""
    if end - start <= MENTION_SENTENCE_CHARS:
        return text[start:end]
    room = max(0, MENTION_SENTENCE_CHARS - (m_end - m_start)) // 2
    lo = max(start, m_start - room)
    hi = min(end, max(m_end + room, lo + MENTION_SENTENCE_CHARS))
    lo = max(start, min(lo, hi - MENTION_SENTENCE_CHARS))
    return ("…" if lo > start else "") + text[lo:hi] + ("…" if hi < end else "")


def _mention_rows(doc, doc_id) -> tuple[list[dict], list[dict]]:
    """Mention records and the sentences they sit in (each sentence once)."""
    bounds = _sentence_bounds(doc)
    starts = [b[0] for b in bounds]
    text = doc.text
    mentions, used = [], {}
    for span in doc._.places or []:
        ext = span._  # one Underscore object per span: each `span._` access builds a new one
        entry = ext.place
        i = bisect_right(starts, span.start_char) - 1
        sent = bounds[i] if bounds and i >= 0 else None
        if sent is not None:
            used[i] = sent
        mentions.append(
            {
                "doc_id": doc_id,
                "char_start": span.start_char,
                "char_end": span.end_char,
                "text": span.text,
                "sentence": _excerpt(text, sent[0], sent[1], span.start_char, span.end_char) if sent else None,
                # Shifted with char_start/char_end when a long text was cut into chunks.
                "sentence_start": sent[0] if sent else None,
                "sentence_end": sent[1] if sent else None,
                "gazetteer_id": entry.get("id") if entry else None,
                "name": entry.get("name") if entry else None,
                "lat": entry.get("lat") if entry else None,
                "lon": entry.get("lon") if entry else None,
                "level": entry.get("level") if entry else None,
                "country_code": entry.get("country_code") if entry else None,
                "admin1": (entry.get("admin1") or None) if entry else None,
                "confidence": float(ext.place_confidence or 0.0),
                "kind": ext.place_kind,
                "qualifier": ext.place_qualifier,
            }
        )
    sentences = [
        {"doc_id": doc_id, "char_start": s, "char_end": e, "text": text[s:e]} for _, (s, e) in sorted(used.items())
    ]
    return mentions, sentences


def doc_records(doc) -> dict[str, list[dict]]:
    """Flatten one processed ``Doc`` into plain records.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        A Doc that went through geomap's pipeline (``doc._.places``, ``doc._.incidents``,
        ``doc._.movements`` set; missing ones count as empty).

    Returns
    -------
    dict
        ``{"incidents": [...], "movements": [...], "mentions": [...], "sentences": [...]}``:
        lists of dicts with the contract's columns, holding no spaCy object (safe to pickle
        across processes).
    """
    meta = _meta_fields(doc._.meta or {})
    mentions, sentences = _mention_rows(doc, meta["doc_id"])
    incidents = []
    for rec in doc._.incidents or []:
        row = {k: v for k, v in rec.items() if k not in ("place", "place_named")}
        row.update(_incident_place(rec.get("place")))
        if rec.get("place_named"):
            # a place the gazetteer lacks, mapped on the area the text puts it in: the text
            # keeps its own name, the point and precision are the area's
            row["place_text"] = rec["place_named"]
        if rec.get("place_qualifier") is None and rec.get("place") is not None:
            row["place_qualifier"] = rec["place"]._.place_qualifier
        row["acled_event_type"], row["acled_sub_event_type"] = acled_types(
            row.get("event_type"), row.get("sub_type"), row.get("actor1")
        )
        row.update(meta)
        incidents.append(row)
    movements = []
    for rec in doc._.movements or []:
        row = {k: v for k, v in rec.items() if k not in ("origin", "destination")}
        row.update(_place_fields(rec.get("origin"), "origin_"))
        row.update(_place_fields(rec.get("destination"), "destination_"))
        row["acled_event_type"], row["acled_sub_event_type"] = acled_types(row.get("kind"))
        row.update(meta)
        movements.append(row)
    return {"incidents": incidents, "movements": movements, "mentions": mentions, "sentences": sentences}


# ----------------------------------------------------------------------------- across documents


def _stable_id(prefix: str, *parts: Any) -> str:
    digest = hashlib.sha1("|".join("" if p is None else str(p) for p in parts).encode("utf-8"))
    return f"{prefix}{digest.hexdigest()[:12]}"


def _to_date(value) -> date | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return _parse_date_text(value)
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        return None
    return None if pd.isna(ts) else ts.date()


@lru_cache(maxsize=1 << 16)
def _parse_date_text(value: str) -> date | None:
    # The merge compares every pair of candidate rows; parsing the same ISO string again for
    # each comparison was most of its cost.
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        return None
    return None if pd.isna(ts) else ts.date()


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _dates_close(a: dict, b: dict) -> bool:
    a0, b0 = _to_date(a.get("date_start")), _to_date(b.get("date_start"))
    # an end that is missing or does not parse is the start (a day's event)
    a1, b1 = _to_date(a.get("date_end")) or a0, _to_date(b.get("date_end")) or b0
    if a0 is None or b0 is None or a1 is None or b1 is None:
        return a0 is None and b0 is None
    # Ranges within MERGE_MAX_DAYS of overlapping.
    gap = max((b0 - a1).days, (a0 - b1).days, 0)
    return gap <= MERGE_MAX_DAYS


def _places_close(a: dict, b: dict, lat="lat", lon="lon", gid="gazetteer_id") -> bool:
    if a.get(gid) and a.get(gid) == b.get(gid):
        return True
    if any(_missing(r.get(k)) for r in (a, b) for k in (lat, lon)):
        return False
    return great_circle((a[lat], a[lon]), (b[lat], b[lon])).km <= MERGE_MAX_KM


def _counts_compatible(a: dict, b: dict) -> bool:
    if a.get("count_type") and b.get("count_type") and a["count_type"] != b["count_type"]:
        return False
    ba, bb = a.get("count_best"), b.get("count_best")
    if ba is None or bb is None or _missing(ba) or _missing(bb):
        return True
    lo, hi = sorted([float(ba), float(bb)])
    # Sources disagree on tolls; within a factor of two is read as the same event.
    return lo == hi or (lo > 0 and hi / lo <= 2.0)


def _same_incident(a: dict, b: dict) -> bool:
    return (
        a.get("doc_id") != b.get("doc_id")
        and a.get("event_type") == b.get("event_type")
        and (a.get("sub_type") or "") == (b.get("sub_type") or "")
        and _dates_close(a, b)
        and _places_close(a, b)
        and _counts_compatible(a, b)
    )


def _same_movement(a: dict, b: dict) -> bool:
    def ends_match(end: str) -> bool:
        ka, kb = a.get(f"{end}_id"), b.get(f"{end}_id")
        if not ka and not kb:
            return True
        return _places_close(a, b, f"{end}_lat", f"{end}_lon", f"{end}_id")

    return (
        a.get("doc_id") != b.get("doc_id")
        and a.get("kind") == b.get("kind")
        and _dates_close(a, b)
        and ends_match("origin")
        and ends_match("destination")
        and _counts_compatible(a, b)
    )


def _merge_group(rows: list[dict]) -> dict:
    """One record for a group of reports of the same event: first report leads, counts span all."""
    lead = dict(rows[0])
    outlets = [r.get("outlet") for r in rows]
    lead["n_sources"] = len(rows)
    lead["sources"] = "; ".join(sorted({o for o in outlets if o}))
    lead["doc_ids"] = "; ".join(r.get("doc_id") or "" for r in rows)
    lows: list[Any] = [r.get("count_low") for r in rows if not _missing(r.get("count_low"))]
    highs: list[Any] = [r.get("count_high") for r in rows if not _missing(r.get("count_high"))]
    if lows:
        lead["count_low"] = min(lows)
    if highs:
        lead["count_high"] = max(highs)
    if len(rows) > 1:
        # the lead's own other tellings (within its article) stay first
        tellings: list[str] = [lead["other_evidence"]] if lead.get("other_evidence") else []
        lead["other_evidence"] = " || ".join(
            tellings + [f"[{r.get('doc_id')}:{r.get('char_start')}] {r.get('evidence')}" for r in rows[1:]]
        )
    return lead


def _dedupe(rows: list[dict], same, block=None) -> list[dict]:
    """Greedy single-link grouping in a stable order (rows are already sorted).

    ``block(row)`` is a key that two rows must share to be ``same`` (the event type, the
    movement kind): a row is compared only with the groups of its block, in the order they
    were opened, so the result is the one a comparison with every group gives, without its
    quadratic cost over a whole corpus.
    """
    groups: list[list[dict]] = []
    by_block: dict = {}
    for row in rows:
        candidates = by_block.setdefault(block(row) if block else None, [])
        for group in candidates:
            if same(group[0], row):
                group.append(row)
                break
        else:
            group = [row]
            groups.append(group)
            candidates.append(group)
    return [_merge_group(g) for g in groups]


def _incident_block(row: dict) -> tuple:
    return (row.get("event_type"), row.get("sub_type") or "")


def _movement_block(row: dict) -> object:
    return row.get("kind")


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


def incidents_frame(rows: list[dict], dedupe: bool = True) -> gpd.GeoDataFrame:
    """Incident records → GeoDataFrame with stable ids, merged across articles."""
    rows = sorted(rows, key=_sort_key)
    rows = _dedupe(rows, _same_incident, _incident_block) if dedupe else [_merge_group([r]) for r in rows]
    for r in rows:
        r["incident_id"] = _stable_id(
            "inc-",
            r.get("doc_id"),
            r.get("char_start"),
            r.get("event_type"),
            r.get("sub_type"),
            r.get("gazetteer_id"),
            r.get("count_best"),
        )
    df = _frame(rows, INCIDENT_COLUMNS)
    geometry = [_point(la, lo) for la, lo in zip(df["lat"], df["lon"])]
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geometry, index=df.index, crs=CRS), crs=CRS)


def movements_frame(rows: list[dict], dedupe: bool = True) -> gpd.GeoDataFrame:
    """Movement records → GeoDataFrame of LineStrings origin→destination."""
    rows = sorted(rows, key=_sort_key)
    rows = _dedupe(rows, _same_movement, _movement_block) if dedupe else [_merge_group([r]) for r in rows]
    for r in rows:
        r["movement_id"] = _stable_id(
            "mov-",
            r.get("doc_id"),
            r.get("char_start"),
            r.get("kind"),
            r.get("origin_id"),
            r.get("destination_id"),
            r.get("count_best"),
        )
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
