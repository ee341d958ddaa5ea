"""Tables -> the compact JSON the map's script draws from.

One payload per map instead of one folium object per mark: at 50,000 incidents per-marker
objects are too slow to build and too big to ship. Strings go through a shared string table
(outlets, actors and evidence sentences repeat a lot), records are arrays of numbers.
Everything a popup shows is escaped here or in the client script, never trusted.
"""

from __future__ import annotations

import html
import json
import math
from datetime import date
from functools import lru_cache
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from geomap import schema as _schema

#: Event types in legend order, with colour and the glyph drawn in the marker (geomap/vocab/).
EVENT_STYLES: dict[str, dict[str, str]] = {
    t: {k: v[k] for k in ("label", "color", "glyph")} for t, v in _schema.EVENT_STYLES.items()
}
OTHER_STYLE = {"label": "Other incidents", "color": "#444444", "glyph": "?"}

#: Movement kinds in legend order (geomap/vocab/movement_kinds.tsv).
MOVEMENT_STYLES: dict[str, dict[str, str]] = {
    kind: {k: v[k] for k in ("label", "color", "noun", "curved")} for kind, v in _schema.MOVEMENT_STYLES.items()
}

IMPRECISE = {"country", "governorate", "region", ""}
_QUAL = {
    "about": "~",
    "approximately": "~",
    "around": "~",
    "nearly": "~",
    "almost": "~",
    "at least": "\u2265",
    "more than": ">",
    "over": ">",
    "up to": "\u2264",
    "fewer than": "<",
    "less than": "<",
}
_HARM = ("kill", "dead", "death", "die", "wound", "injur", "casualt")
_EPOCH = date(1970, 1, 1).toordinal()


class StringTable:
    """Interns strings; index 0 is the empty string (also used for missing values)."""

    def __init__(self) -> None:
        self.items: list[str] = [""]
        self._index: dict[str, int] = {"": 0}

    def __call__(self, value) -> int:
        i = self._index.get(value) if type(value) is str else None
        if i is not None:
            return i
        s = clean_str(value)
        i = self._index.get(s)
        if i is None:
            i = self._index[s] = len(self.items)
            self.items.append(s)
        return i


def valid_point(lat: float, lon: float) -> bool:
    """A drawable WGS84 point: hand-edited tables may hold anything (lat 999 is not drawn)."""
    return math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180


def clean_str(value) -> str:
    """Text of a cell, ``""`` for None/NaN/NaT."""
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value).strip()


def num(value) -> float | None:
    """A finite number or None."""
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def safe_url(value) -> str:
    """The URL if it is http(s), else ``""`` (``javascript:`` and friends are dropped)."""
    s = clean_str(value)
    if not s or any(c in s for c in "\"'<>` \n\r\t"):
        return ""
    try:
        parts = urlsplit(s)
    except ValueError:
        return ""
    return s if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def day_numbers(series: pd.Series) -> np.ndarray:
    """Dates -> days since 1970-01-01 as float (NaN when unknown)."""
    d = pd.to_datetime(series, errors="coerce", utc=False)
    if getattr(d.dt, "tz", None) is not None:
        d = d.dt.tz_localize(None)
    out = (d - pd.Timestamp("1970-01-01")).dt.days.astype("float64")
    return out.to_numpy()


def day_iso(n: float | None) -> str:
    """Day number -> ISO date."""
    if n is None or not math.isfinite(n):
        return ""
    return date.fromordinal(int(n) + _EPOCH).isoformat()


def _fmt_day(n: float, precision: str) -> str:
    d = date.fromordinal(int(n) + _EPOCH)
    if precision == "year":
        return str(d.year)
    if precision == "month":
        return d.strftime("%b %Y")
    return f"{d.day} {d.strftime('%b %Y')}"


def date_label(d0: float, d1: float, precision: str) -> str:
    """Human date with its precision, e.g. ``"24 Jul 2012"``, ``"week of 24 Jul 2012"``."""
    return _date_label(float(d0), float(d1), precision)


@lru_cache(maxsize=65536)
def _date_label(d0: float, d1: float, precision: str) -> str:
    precision = precision or ("unknown" if not math.isfinite(d0) else "day")
    if not math.isfinite(d0):
        return "date unknown"
    a = _fmt_day(d0, precision)
    if math.isfinite(d1) and int(d1) != int(d0):
        b = _fmt_day(d1, precision)
        x, y = date.fromordinal(int(d0) + _EPOCH), date.fromordinal(int(d1) + _EPOCH)
        if precision in ("day", "week") and (x.year, x.month) == (y.year, y.month):
            return f"{x.day}\u2013{b}"  # "19-25 Jul 2012"
        if a != b:
            return f"{a} \u2013 {b}"
    if precision == "week":
        return f"week of {a}"
    return a


def count_text(low, best, high, qualifier: str, noun: str = "") -> str:
    """``"~2,000 troops"``, ``"hundreds"``, ``"10-20 killed"``; ``""`` when no count."""
    qualifier = clean_str(qualifier).lower()
    b, lo, hi = num(best), num(low), num(high)
    if b is None and lo is None and hi is None:
        return f"{qualifier} {noun}".strip() if qualifier else ""
    b = next(v for v in (b, lo, hi) if v is not None)  # the best, else the low, else the high figure
    core = f"{int(b):,}"
    if lo is not None and hi is not None and lo != hi:
        core = f"{int(lo):,}\u2013{int(hi):,}"
    if qualifier in _QUAL:
        core = _QUAL[qualifier] + core
    elif qualifier and not qualifier.isdigit():
        core = f"{qualifier} ({core})" if qualifier.isalpha() and qualifier.endswith("s") else f"{qualifier} {core}"
    return f"{core} {noun}".strip()


def highlight(evidence: str, needles: list[str]) -> str:
    """Escaped evidence with each needle (place text, count) wrapped in ``<mark>``."""
    return _highlight(clean_str(evidence), tuple(needles))


@lru_cache(maxsize=4096)
def _highlight(evidence: str, needles: tuple) -> str:
    # Several records often come from one sentence: the cache saves re-marking it.
    evidence = clean_str(evidence)
    spans: list[tuple[int, int]] = []
    low = evidence.lower()
    for n in needles:
        n = clean_str(n)
        if len(n) < 1:
            continue
        nl = n.lower()
        s = low.find(nl)
        while s >= 0:
            e = s + len(nl)
            nxt = low.find(nl, s + 1)
            # A number must not match inside a longer number ("21" in "2,100").
            if n[0].isdigit() and (
                (s > 0 and (low[s - 1].isdigit() or low[s - 1] == ",")) or (e < len(low) and low[e].isdigit())
            ):
                s = nxt
                continue
            if all(e <= a or s >= b for a, b in spans):
                spans.append((s, e))
            s = nxt
    spans.sort()
    out, pos = [], 0
    for s, e in spans:
        out.append(html.escape(evidence[pos:s]))
        out.append("<mark>" + html.escape(evidence[s:e]) + "</mark>")
        pos = e
    out.append(html.escape(evidence[pos:]))
    return "".join(out)


def number_needles(best) -> list[str]:
    b = num(best)
    if b is None:
        return []
    i = int(b)
    return [f"{i:,}", str(i)] if i >= 1000 else [str(i)]


def column(df: pd.DataFrame, name: str) -> pd.Series:
    if name in df.columns:
        return df[name]
    return pd.Series([None] * len(df), index=df.index, dtype="object")


def _strings(df: pd.DataFrame, name: str) -> list[str]:
    return [clean_str(v) for v in column(df, name).tolist()]


def number_columns(df: pd.DataFrame, *names: str) -> list[np.ndarray]:
    """Numeric columns as float arrays (NaN where missing or not a number), in the order asked."""
    return [pd.to_numeric(column(df, n), errors="coerce").to_numpy(dtype="float64", copy=True) for n in names]


def text_columns(df: pd.DataFrame, names: tuple[str, ...]) -> dict[str, list[str]]:
    """Text columns as lists of clean strings, by column name."""
    return {n: _strings(df, n) for n in names}


def rounded(x: float | None, nd: int = 4):
    return None if x is None else round(x, nd)


#: ``date_basis`` values for a date read from the clause itself; any other value (``publication``,
#: ``context``, ``statement``, ``inferred``...) means geomap inferred the date, and the map says so.
STATED_DATE_BASES = {"", "stated", "explicit", "text"}


def inferred_dates(df: pd.DataFrame) -> np.ndarray:
    """True where the table's ``date_basis`` says the date was inferred (False when the column is absent)."""
    if df is None or "date_basis" not in df.columns:
        return np.zeros(0 if df is None else len(df), dtype=bool)
    basis = [clean_str(v).lower() for v in df["date_basis"].tolist()]
    return np.array([b not in STATED_DATE_BASES for b in basis], dtype=bool)


#: Row fields every record has, in this order: where it came from and how sure it is.
SOURCE_COLS = ("attr", "claim", "ev", "outlet", "url", "conf", "id")
#: The table columns they are read from (``evidence`` is highlighted first; the id column differs).
SOURCE_TEXTS = ("source_attribution", "claim_status", "evidence", "outlet", "url")


def source_fields(st: StringTable, S: dict[str, list[str]], i: int, ev: str, conf: float, rid: str) -> list:
    """The :data:`SOURCE_COLS` of row ``i``: ``ev`` is the highlighted evidence, ``rid`` its id."""
    c = num(conf)
    return [
        st(S["source_attribution"][i]),
        st(S["claim_status"][i].lower()),
        st(ev),
        st(S["outlet"][i]),
        st(safe_url(S["url"][i])),
        None if c is None else round(c, 2),
        st(rid),
    ]


def _harm(count_type: str) -> bool:
    ct = count_type.lower()
    return any(h in ct for h in _HARM)


def incidents_payload(inc: pd.DataFrame, st: StringTable) -> dict:
    """Incidents -> ``{"cols": [...], "rows": [[...], ...]}`` (rows without coordinates skipped).

    The row layout is given in ``cols``; string fields are indexes into the string table.
    """
    cols = [
        *"lat lon type sub d0 d1 date place prec admin1 ctype low best high qual count a1 a2".split(),
        *SOURCE_COLS,
        *"imprecise harm dprec dinf acled nsrc".split(),
    ]
    rows: list[list] = []
    if inc is None or len(inc) == 0:
        return {"cols": cols, "rows": rows}
    lat, lon = number_columns(inc, "lat", "lon")
    if "geometry" in inc.columns:
        # The geometry wins when present: a user may have moved a point in a GIS tool.
        gx = np.array([g.x if g is not None and not g.is_empty else np.nan for g in inc.geometry], dtype=float)
        gy = np.array([g.y if g is not None and not g.is_empty else np.nan for g in inc.geometry], dtype=float)
        lon = np.where(np.isfinite(gx), gx, lon)
        lat = np.where(np.isfinite(gy), gy, lat)
    d0 = day_numbers(column(inc, "date_start"))
    d1 = day_numbers(column(inc, "date_end"))
    S = text_columns(
        inc,
        (
            *"event_type sub_type date_precision place_text location_name geo_precision admin1 country_code count_type count_qualifier actor1 actor2 incident_id acled_event_type".split(),
            *SOURCE_TEXTS,
        ),
    )
    nsrc, low, best, high, conf = number_columns(
        inc, "n_sources", "count_low", "count_best", "count_high", "confidence"
    )
    inferred = inferred_dates(inc)
    for i in range(len(inc)):
        if not valid_point(lat[i], lon[i]):
            continue
        prec = S["geo_precision"][i].lower()
        place = S["location_name"][i] or S["place_text"][i]
        ctype = S["count_type"][i]
        b = num(best[i])
        ev = highlight(S["evidence"][i], [S["place_text"][i], *number_needles(b)])
        rows.append(
            [
                rounded(float(lat[i])),
                rounded(float(lon[i])),
                st(S["event_type"][i].lower()),
                st(S["sub_type"][i]),
                None if not math.isfinite(d0[i]) else int(d0[i]),
                None if not math.isfinite(d1[i]) else int(d1[i]),
                st(date_label(d0[i], d1[i], S["date_precision"][i].lower())),
                st(place),
                st(prec),
                st(S["admin1"][i]),
                st(ctype),
                num(low[i]),
                b,
                num(high[i]),
                st(S["count_qualifier"][i]),
                st(count_text(low[i], best[i], high[i], S["count_qualifier"][i], ctype)),
                st(S["actor1"][i]),
                st(S["actor2"][i]),
                *source_fields(st, S, i, ev, conf[i], S["incident_id"][i]),
                1 if prec in IMPRECISE else 0,
                1 if (b is not None and b > 0 and _harm(ctype)) else 0,
                st(S["date_precision"][i].lower()),
                1 if inferred[i] else 0,
                st(S["acled_event_type"][i]),
                int(nsrc[i]) if math.isfinite(nsrc[i]) and nsrc[i] > 1 else None,
            ]
        )
    return {"cols": cols, "rows": rows}


def script_json(obj) -> str:
    """JSON that is safe inside ``<script>``: no ``</script>``, ``<!--`` or U+2028 can break out."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        s.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
