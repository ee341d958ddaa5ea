"""Check tables a person edited before ``geomap render`` draws them.

A row the map cannot draw honestly (an ``event_type`` or ``kind`` outside the vocabulary in
``geomap/vocab/``, coordinates that are not numbers in range, a date that is not a date, a
count that is not a number) used to vanish silently, which could leave a blank map behind a
successful exit. ``check_tables`` names each such row by file, line and column; ``geomap
render`` reports them on stderr, draws the others and exits 1.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass

import pandas as pd

from geomap.schema import EVENT_TYPES, MOVEMENT_KINDS

__all__ = ["Problem", "check_tables", "check_frame"]

_INCIDENT_POINTS = (("lat", "lon"),)
_MOVEMENT_POINTS = (("origin_lat", "origin_lon"), ("destination_lat", "destination_lon"))
_DATES = ("date_start", "date_end")
_COUNTS = ("count_low", "count_best", "count_high")


@dataclass(frozen=True)
class Problem:
    """One unusable cell: ``file`` (``incidents.csv``), ``line`` (1 = header), ``column``, why."""

    file: str
    line: int
    column: str
    value: str
    problem: str

    def __str__(self) -> str:
        value = self.value if len(self.value) <= 40 else self.value[:39] + "…"
        return f"{self.file}, line {self.line}: {self.column} {value!r} {self.problem}"


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip())


def _number(v) -> float | None:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _date_ok(v) -> bool:
    if isinstance(v, (_dt.date, pd.Timestamp)):
        return True
    try:
        _dt.date.fromisoformat(str(v).strip()[:10])
    except ValueError:
        return False
    return True


def _row_problems(
    name: str, line: int, row: dict, vocab_col: str, vocab: list[str], points: tuple[tuple[str, str], ...]
) -> list[Problem]:
    out = []
    value = row.get(vocab_col)
    if _blank(value) or str(value).strip() not in vocab:
        out.append(
            Problem(name, line, vocab_col, "" if _blank(value) else str(value), f"is not one of {', '.join(vocab)}")
        )
    for lat_col, lon_col in points:
        lat, lon = row.get(lat_col), row.get(lon_col)
        if _blank(lat) and _blank(lon):
            continue  # an unresolved place: not drawn, and not an error
        for col, v, limit in ((lat_col, lat, 90), (lon_col, lon, 180)):
            x = _number(v)
            if x is None or abs(x) > limit:
                out.append(
                    Problem(
                        name,
                        line,
                        col,
                        "" if _blank(v) else str(v),
                        f"is not a coordinate (a number from -{limit} to {limit})",
                    )
                )
    for col in _DATES:
        v = row.get(col)
        if not _blank(v) and not _date_ok(v):
            out.append(Problem(name, line, col, str(v), "is not a date (YYYY-MM-DD)"))
    for col in _COUNTS:
        v = row.get(col)
        if not _blank(v) and ((n := _number(v)) is None or n < 0):
            out.append(Problem(name, line, col, str(v), "is not a count (a number, 0 or more)"))
    return out


def check_frame(df: pd.DataFrame | None, name: str) -> tuple[list[Problem], list]:
    """Problems in one table and the index labels of its unusable rows.

    Parameters
    ----------
    df : DataFrame or None
        ``incidents`` or ``movements`` as read from the CSV (row ``i`` is on line ``i + 2``).
    name : str
        ``incidents.csv`` or ``movements.csv``.
    """
    if df is None or len(df) == 0:
        return [], []
    is_incidents = name.startswith("incidents")
    vocab_col, vocab = ("event_type", EVENT_TYPES) if is_incidents else ("kind", MOVEMENT_KINDS)
    points = _INCIDENT_POINTS if is_incidents else _MOVEMENT_POINTS
    if vocab_col not in df.columns:
        return [Problem(name, 1, vocab_col, "", "column is missing")], list(df.index)
    problems, bad = [], []
    cols = [c for c in df.columns if c != getattr(df, "_geometry_column_name", None)]
    for pos, (label, rec) in enumerate(zip(df.index, df[cols].to_dict("records"))):
        found = _row_problems(name, pos + 2, rec, vocab_col, vocab, points)
        if found:
            problems += found
            bad.append(label)
    return problems, bad


def check_tables(tables) -> tuple[list[Problem], dict[str, list]]:
    """Problems in ``tables.incidents`` and ``tables.movements``.

    Returns
    -------
    (problems, bad_rows)
        ``bad_rows`` maps ``"incidents"``/``"movements"`` to the index labels to leave out.
    """
    problems, bad = [], {}
    for attr in ("incidents", "movements"):
        found, rows = check_frame(getattr(tables, attr, None), f"{attr}.csv")
        problems += found
        bad[attr] = rows
    return problems, bad
