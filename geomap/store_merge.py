"""Merging a day's incidents and movements into the standing store.

Candidates for "the same event" are looked up by an index on (type, date) and a lat/lon box,
never by comparing all pairs; the cross-article merge rule of :mod:`geomap.tables` then decides.
A stored record absorbing new reports widens its sources, doc_ids, evidence and count range.
"""

from __future__ import annotations

import datetime as _dt
import math
import sqlite3

import geopandas as gpd
import pandas as pd

from geomap import gpkg
from geomap.same_event import MERGE_MAX_DAYS, MERGE_MAX_KM, _missing, _same_incident, _same_movement, _to_date
from geomap.store_layout import _FEATURES, _RULE_COLUMNS, ensure_columns


def _plain(row: dict) -> dict:
    return {k: gpkg.sql_value(v) for k, v in row.items()}


def _clean(row: dict) -> dict:
    """Missing values (NaN, NA, NaT) as None, so the merge rule of geomap.tables can read them."""
    out = {}
    for k, v in row.items():
        try:
            out[k] = None if v is None or (not isinstance(v, (list, dict, str)) and pd.isna(v)) else v
        except (TypeError, ValueError):
            out[k] = v
    return out


def merge_layer(con, layer: str, frame: gpd.GeoDataFrame, done_ids: set, deleted: set, report: dict) -> None:
    """Add today's records of ``layer`` (those of ``done_ids``) to the store: each one the merge rule
    of :mod:`geomap.tables` finds stored already is folded into it, the others are inserted."""
    id_col = _FEATURES[layer][1]
    frame = frame[frame["doc_id"].isin(done_ids)]
    if not len(frame):
        return
    ensure_columns(con, layer, frame)
    geom_col = frame.geometry.name
    same = _same_incident if layer == "incidents" else _same_movement
    pending: dict[int, list[dict]] = {}
    con.row_factory = sqlite3.Row
    try:
        for rec, geom in zip(frame.drop(columns=[geom_col]).to_dict("records"), frame.geometry):
            rec = _clean(rec)
            if (layer, rec.get(id_col)) in deleted:
                continue  # deleted by hand earlier: a re-read of the same article must not restore it
            match = None
            for cand in _candidates(con, layer, rec):
                # A hand-edited record of a re-read (changed) article stands for its new version.
                if same(dict(cand), rec) or (cand["geomap_edited"] and cand["doc_id"] == rec.get("doc_id")):
                    match = cand
                    break
            if match is None:
                row = _plain(rec)
                row.update(geomap_rev=1, geomap_edited=0)
                gpkg.insert_rows(con, layer, [row], [geom])
                report[f"{layer}_added"] += 1
            elif match["geomap_edited"]:
                report["kept_edited"] += 1
            else:
                pending.setdefault(match["fid"], []).append(rec)
                report[f"{layer}_merged"] += 1
        # One write per stored record, however many of today's reports it absorbs.
        for fid, recs in pending.items():
            _merge_into(con, layer, fid, recs)
    finally:
        con.row_factory = None


def _point(lat, lon):
    from shapely.geometry import Point

    if lat is None or lon is None:
        return None
    return Point(float(lon), float(lat))


def _candidates(con, layer: str, rec: dict) -> list:
    """Stored rows that may be the same event: same type and dates within reach, near enough."""
    start = _to_date(rec.get("date_start"))
    end = _to_date(rec.get("date_end")) or start
    if layer == "incidents":
        where, params = (
            ["event_type IS ?", "COALESCE(sub_type, '') = ?"],
            [rec.get("event_type"), rec.get("sub_type") or ""],
        )
    else:
        where, params = ["kind IS ?"], [rec.get("kind")]
    index = ""
    if start is None or end is None:  # end is None only when start is (it defaults to start)
        where.append("date_start IS NULL")
    else:
        # By the end date: an index on date_start would scan all history before `end`.
        index = f"INDEXED BY {layer}_geomap_end"
        pad = _dt.timedelta(days=MERGE_MAX_DAYS)
        where.append("date_start <= ? AND COALESCE(date_end, date_start) >= ?")
        params += [(end + pad).isoformat(), (start - pad).isoformat()]
    ends = (
        [("", "gazetteer_id")]
        if layer == "incidents"
        else [("origin_", "origin_id"), ("destination_", "destination_id")]
    )
    for prefix, id_col in ends:
        near = _near(rec, prefix, id_col)
        if near is None:
            if layer == "incidents":
                return []  # an incident with no place never merges (same_event._places_close)
            where.append(f'"{id_col}" IS NULL')  # an unknown end matches only an unknown end
        else:
            where.append(near[0])
            params += near[1]
    # Only the columns the merge rule reads: merged records carry long doc_ids/other_evidence.
    cols = ", ".join(f'"{c}"' for c in _RULE_COLUMNS[layer])
    sql = f'SELECT {cols} FROM "{layer}" {index} WHERE {" AND ".join(where)} ORDER BY fid'
    return con.execute(sql, params).fetchall()


def _near(rec: dict, prefix: str, id_col: str) -> tuple[str, list] | None:
    """SQL for "the same gazetteer entry or within the merge distance" of one place of ``rec``."""
    gid, lat, lon = rec.get(id_col), rec.get(f"{prefix}lat"), rec.get(f"{prefix}lon")
    clauses, params = [], []
    if lat is None or lon is None or _missing(lat) or _missing(lon):
        # Without coordinates only the same gazetteer entry can match; with them, the box holds
        # the entry's own point, so an OR (which would keep an index from the latitude) is not needed.
        if gid:
            clauses.append(f'"{id_col}" = ?')
            params.append(gid)
    else:
        # A box a little larger than MERGE_MAX_KM; the rule itself then measures the distance.
        dlat = MERGE_MAX_KM / 111.0 * 1.05
        dlon = dlat / max(0.2, math.cos(math.radians(float(lat))))
        clauses.append(f'("{prefix}lat" BETWEEN ? AND ? AND "{prefix}lon" BETWEEN ? AND ?)')
        params += [float(lat) - dlat, float(lat) + dlat, float(lon) - dlon, float(lon) + dlon]
    if not clauses:
        return None
    return "(" + " OR ".join(clauses) + ")", params


def _merge_into(con, layer: str, fid: int, recs: list[dict]) -> None:
    """Fold new reports into a stored record: sources, doc_ids, evidence and the count range widen."""
    stored = con.execute(
        f'SELECT n_sources, sources, doc_ids, count_low, count_high, other_evidence FROM "{layer}" WHERE fid = ?',
        (fid,),
    ).fetchone()

    def num(v):
        return None if v is None or _missing(v) or v is pd.NA else v

    sources = {x for x in (stored["sources"] or "").split("; ") if x}
    lows = [v for v in [num(stored["count_low"])] + [num(r.get("count_low")) for r in recs] if v is not None]
    highs = [v for v in [num(stored["count_high"])] + [num(r.get("count_high")) for r in recs] if v is not None]
    doc_ids = [stored["doc_ids"]] if stored["doc_ids"] else []
    other = [stored["other_evidence"]] if stored["other_evidence"] else []
    n = stored["n_sources"] or 1
    for rec in recs:
        sources |= {x for x in str(rec.get("sources") or rec.get("outlet") or "").split("; ") if x and x != "None"}
        doc_ids.append(rec.get("doc_ids") or rec.get("doc_id"))
        other.append(f"[{rec.get('doc_id')}:{rec.get('char_start')}] {rec.get('evidence')}")
        if isinstance(rec.get("other_evidence"), str):
            other.append(rec["other_evidence"])
        n += int(rec["n_sources"]) if num(rec.get("n_sources")) is not None else 1
    con.execute(
        f'UPDATE "{layer}" SET n_sources = ?, sources = ?, doc_ids = ?, count_low = ?, count_high = ?, '
        f"other_evidence = ?, geomap_rev = geomap_rev + 1 WHERE fid = ?",
        (
            n,
            "; ".join(sorted(sources)),
            "; ".join(x for x in doc_ids if x),
            gpkg.sql_value(min(lows)) if lows else None,
            gpkg.sql_value(max(highs)) if highs else None,
            " || ".join(other) or None,
            fid,
        ),
    )
