"""The cross-article merge rule: when two reports tell of the same incident or movement.

Same type (and sub-type), dates within ``MERGE_MAX_DAYS`` of overlapping, places within
``MERGE_MAX_KM`` (or the same gazetteer entry) and tolls within a factor of two. Used by
:mod:`geomap.tables` within a run and by :mod:`geomap.store_merge` against a standing store.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import pandas as pd
from geopy.distance import great_circle

#: Cross-article merge rule: same type, dates within this many days, places within this many km.
MERGE_MAX_DAYS = 1
MERGE_MAX_KM = 10.0


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
        # Two unknown dates are no evidence of one event (undated bulletins often tell one kind
        # of event in one governorate); only the same sentence reprinted is the same report.
        both_undated = a0 is None and b0 is None
        return both_undated and bool(a.get("evidence")) and a.get("evidence") == b.get("evidence")
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
    if _missing(lead.get("count_best")):
        # a lead without a toll takes the first toll another report states, never loses it
        stated = next((r for r in rows if not _missing(r.get("count_best"))), None)
        if stated is not None:
            for key in ("count_type", "count_best", "count_qualifier"):
                lead[key] = stated.get(key)
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
