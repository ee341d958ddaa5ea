"""The time window a map opens on: the dense period of the reporting, never set by history.

Articles recall old events ("a 2007 air strike"); one such record would stretch a timeline from
2007 to 2012 and squeeze every July 2012 event into its last pixels. The default window is
therefore computed from *current* records only (dated within :data:`HISTORY_DAYS` of their
article's publication, or whose article has no date), trimmed to the latest
:data:`KEEP_SHARE` of them when there are enough to speak of a dense period. Records outside the
window stay in the map: the window's note counts them, and the user can widen it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geomap.mapping.payload import day_numbers

#: A record dated more than this many days before its article's publication is history.
HISTORY_DAYS = 180
#: Share of current records the default window keeps: the earliest ones are trimmed (stragglers
#: before the reporting starts); the latest never are (the newest news is what users come for)...
KEEP_SHARE = 0.98
#: ...once there are at least this many dated current records (below that, all are kept).
MIN_FOR_TRIM = 50


def _published_span(frames) -> tuple[float, float] | None:
    """First and last publication day of the articles behind the records (None if none is dated)."""
    pubs = [day_numbers(df["published"]) for df in frames if df is not None and len(df) and "published" in df.columns]
    days = np.concatenate(pubs) if pubs else np.zeros(0)
    days = days[np.isfinite(days)]
    return (float(days.min()), float(days.max())) if len(days) else None


def _current_days(df: pd.DataFrame | None, span: tuple[float, float] | None) -> np.ndarray:
    """Start days of the records that are news, not history.

    A record is history when dated more than :data:`HISTORY_DAYS` before its article's
    publication. A record whose article has no date is judged against the other articles: it is
    history when dated more than that before the earliest of them (a 2007 strike recalled in an
    undated article must not stretch a July 2012 window back to 2007).
    """
    if df is None or len(df) == 0 or "date_start" not in df.columns:
        return np.zeros(0)
    d0 = day_numbers(df["date_start"])
    ok = np.isfinite(d0)
    pub = day_numbers(df["published"]) if "published" in df.columns else np.full(len(df), np.nan)
    known = np.isfinite(pub)
    ok &= ~(known & (d0 < pub - HISTORY_DAYS))
    if span is not None:
        ok &= known | (d0 >= span[0] - HISTORY_DAYS)
    return d0[ok]


def default_window(inc: pd.DataFrame | None, mov: pd.DataFrame | None) -> list[int] | None:
    """``[first_day, last_day]`` (days since 1970-01-01) the map opens on, or None if nothing is dated.

    Parameters
    ----------
    inc, mov : DataFrame or None
        Incidents and movements with ``date_start`` (and ``date_end``, ``published`` if known).

    Returns
    -------
    list of two int, or None
    """
    span = _published_span((inc, mov))
    days = np.concatenate([_current_days(inc, span), _current_days(mov, span)])
    if len(days) == 0:
        # Only history (or nothing dated from a known article): the full extent, whatever it is.
        days = np.concatenate(
            [
                day_numbers(df["date_start"])
                for df in (inc, mov)
                if df is not None and len(df) and "date_start" in df.columns
            ]
            or [np.zeros(0)]
        )
        days = days[np.isfinite(days)]
        if len(days) == 0:
            return None
    if len(days) >= MIN_FOR_TRIM:
        lo, hi = float(np.quantile(days, 1 - KEEP_SHARE, method="nearest")), days.max()
    else:
        lo, hi = days.min(), days.max()
    # The window ends with the latest end date of the records it holds.
    ends = []
    for df in (inc, mov):
        if df is not None and len(df) and "date_end" in df.columns and "date_start" in df.columns:
            d0, d1 = day_numbers(df["date_start"]), day_numbers(df["date_end"])
            inside = np.isfinite(d0) & np.isfinite(d1) & (d0 >= lo) & (d0 <= hi)
            ends.append(d1[inside])
    if ends and sum(len(e) for e in ends):
        hi = max(hi, float(np.concatenate(ends).max()))
    return [int(lo), int(hi)]
