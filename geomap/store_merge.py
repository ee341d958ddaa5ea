"""Merging a day's incidents and movements into the standing store.

Candidates for "the same event" are looked up by an index on (type, date) and a lat/lon box,
never by comparing all pairs; the cross-article merge rule of :mod:`geomap.tables` then decides.
A stored record absorbing new reports widens its sources, doc_ids, evidence and count range.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import sqlite3
from typing import Any

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
            other += _tagged(rec["other_evidence"], rec.get("doc_id"))
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


# A telling of another article folded into a record: "[doc_id:char_start] evidence".
_TELLING = re.compile(r"\[([A-Za-z0-9._-]+):(\d*)\] (.*)", re.S)


def _tagged(other_evidence: str, doc_id: str | None) -> list[str]:
    """An absorbed report's own tellings ("[char] ...") tagged with its article ("[doc:char] ..."),
    so that they can be taken out again when that article changes."""
    out = []
    for telling in other_evidence.split(" || "):
        m = re.match(r"\[(\d*)\] ", telling)
        out.append(f"[{doc_id}:{m[1]}] {telling[m.end() :]}" if m and doc_id else telling)
    return out


def withdraw_docs(con: sqlite3.Connection, layer: str, doc_ids: set[str]) -> None:
    """Take changed articles' reports out of ``layer`` before their new versions go in.

    - A record of other articles that absorbed one of their reports loses its doc_id, its
      evidence, its source count and (when the articles table knows every remaining report's
      outlet) its outlet.
    - A changed article's own record goes, unless it absorbed other articles' reports: then the
      first of those leads the record (doc_id, evidence, offsets, outlet, url, date of
      publication), which the merge rule already found to tell of the same event.
    - Records edited by hand are left as they are.

    A count range once widened by a toll stays wide: the other reports' own ranges are not kept.
    One scan of the merged records per update, however many articles changed.
    """
    if not doc_ids:
        return
    columns = {r[1] for r in con.execute(f'PRAGMA table_info("{layer}")')}
    # The merged records that absorbed one of them (their doc_ids only, then the rows), and their own.
    merged = f"SELECT fid, doc_ids FROM \"{layer}\" WHERE geomap_edited = 0 AND instr(doc_ids, '; ') > 0"
    fids = {fid for fid, ids in con.execute(merged) if set(ids.split("; ")) & doc_ids}
    ids = sorted(doc_ids)
    for i in range(0, len(ids), 500):
        part = ids[i : i + 500]
        own = f'SELECT fid FROM "{layer}" WHERE geomap_edited = 0 AND doc_id IN ({", ".join("?" * len(part))})'
        fids.update(r[0] for r in con.execute(own, part))
    select = f'SELECT doc_id, doc_ids, n_sources, sources, other_evidence FROM "{layer}" WHERE fid = ?'
    for fid in sorted(fids):
        change = _withdrawn(con, con.execute(select, (fid,)).fetchone(), doc_ids)
        if change is None:
            # geomap_rev = -1 first: the delete trigger then knows geomap, not a user, deleted it.
            con.execute(f'UPDATE "{layer}" SET geomap_rev = -1 WHERE fid = ?', (fid,))
            con.execute(f'DELETE FROM "{layer}" WHERE fid = ?', (fid,))
            continue
        change = {k: v for k, v in change.items() if k in columns}
        sets = ", ".join(f'"{k}" = ?' for k in change)
        con.execute(f'UPDATE "{layer}" SET {sets}, geomap_rev = geomap_rev + 1 WHERE fid = ?', [*change.values(), fid])


def _withdrawn(con: sqlite3.Connection, row: tuple, gone: set[str]) -> dict[str, Any] | None:
    """The new values of a stored record without the reports of the articles ``gone``; None: delete it."""
    lead, doc_ids, n_sources, sources, other_evidence = row
    ids = [x for x in (doc_ids or lead or "").split("; ") if x]
    rest = [x for x in ids if x not in gone]

    def kept(telling: str) -> bool:
        m = _TELLING.match(telling)
        return m is None or m[1] not in gone

    tellings = [t for t in (other_evidence or "").split(" || ") if t and kept(t)]
    change: dict[str, Any] = {
        "doc_ids": "; ".join(rest),
        "n_sources": max(1, (n_sources or len(ids)) - (len(ids) - len(rest))),
        "sources": _outlets(con, rest) or sources,
    }
    if lead in gone:
        # Its in-article tellings ("[char] ...", no doc id) went with it.
        tellings = [t for t in tellings if _TELLING.match(t)]
        new_lead = _lead_fields(con, rest, tellings)
        if new_lead is None:
            return None
        change.update(new_lead)
        tellings = [t for t in tellings if not t.startswith(f"[{new_lead['doc_id']}:")]
    change["other_evidence"] = " || ".join(tellings) or None
    return change


def _outlets(con: sqlite3.Connection, doc_ids: list[str]) -> str | None:
    """The outlets of these articles, as ``sources`` holds them; None when one is not in the store."""
    if not doc_ids:
        return None
    marks = ", ".join("?" * len(doc_ids))
    found = dict(con.execute(f"SELECT doc_id, source FROM articles WHERE doc_id IN ({marks})", doc_ids).fetchall())
    if set(found) != set(doc_ids):
        return None
    return "; ".join(sorted({s for s in found.values() if s})) or None


def _lead_fields(con: sqlite3.Connection, doc_ids: list[str], tellings: list[str]) -> dict | None:
    """The fields of the first remaining report that can lead the record, or None."""
    for candidate in doc_ids:
        for telling in tellings:
            m = _TELLING.match(telling)
            if m is None or m[1] != candidate:
                continue
            article = con.execute(
                "SELECT source_id, source, url, date, title FROM articles WHERE doc_id = ?", (candidate,)
            ).fetchone()
            start = int(m[2]) if m[2] else None
            fields = {
                "doc_id": candidate,
                "evidence": m[3],
                "char_start": start,
                "char_end": start + len(m[3]) if start is not None else None,
            }
            if article is not None:
                fields.update(
                    source_id=article[0], outlet=article[1], url=article[2], published=article[3], title=article[4]
                )
            return fields
    return None
