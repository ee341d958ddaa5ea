"""Reading and writing the gazetteer's files: ``places.tsv``, the user overlay, ``demonyms.tsv``.

Everything here is plain file handling with clear errors; indexing and ranking live in
:mod:`geomap.gazetteer.index` and :mod:`geomap.gazetteer.ranking`.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import pandas as pd

from geomap.errors import GazetteerError

__all__ = [
    "COLUMNS",
    "LEVELS",
    "OVERLAY_FILENAME",
    "read_places_tsv",
    "write_places_tsv",
    "stat_sig",
    "read_demonyms",
    "frame_from_rows",
]

#: Columns of ``places.tsv`` and of the overlay, in file order.
COLUMNS = [
    "id",
    "name",
    "aliases",
    "lat",
    "lon",
    "level",
    "feature_code",
    "population",
    "country_code",
    "admin1",
    "source",
    "coord_note",
    # added by gazetteer/build.py after the original schema (kept last so older files and
    # overlays still read): the district, and geomap.transliteration's spelling keys
    "admin2",
    "spelling_keys",
]
#: Values of the ``level`` column, finest first.
LEVELS = ("neighbourhood", "town", "district", "governorate", "region", "country")
#: File name of the user overlay inside ``settings.data_dir``.
OVERLAY_FILENAME = "places-overlay.tsv"


def read_places_tsv(path: str | os.PathLike) -> pd.DataFrame:
    """Read a gazetteer TSV (``places.tsv`` or an overlay) and check it.

    Parameters
    ----------
    path : path-like
        The file.

    Returns
    -------
    pandas.DataFrame
        ``COLUMNS`` in order; ``lat``/``lon`` float64, ``population`` int64, text columns str.

    Raises
    ------
    GazetteerError
        The file is missing, not UTF-8, lacks the ``id``/``name``/``lat``/``lon`` columns, or
        has a row whose coordinates are not numbers in range (the message gives the line).
    """
    path = Path(path)
    if not path.is_file():
        raise GazetteerError(
            f"Gazetteer file {path} does not exist. Point GEOMAP_GAZETTEER_DIR (or "
            "geomap.settings.gazetteer_dir) at the folder holding places.tsv, or reinstall geomap."
        )
    try:
        df = pd.read_csv(
            path,
            sep="\t",
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            quoting=csv.QUOTE_NONE,
            encoding="utf-8",
        )
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, OSError) as exc:
        raise GazetteerError(
            f"Gazetteer file {path} cannot be read ({exc}). Restore it from the geomap "
            "distribution, or delete it if it is an overlay and re-run `geomap gazetteer import`."
        ) from exc
    missing = [c for c in ("id", "name", "lat", "lon") if c not in df.columns]
    if missing:
        raise GazetteerError(
            f"Gazetteer file {path} lacks the column(s) {', '.join(missing)} (line 1 is the "
            f"header; expected {', '.join(COLUMNS)}). Restore the file or re-run the import."
        )
    for col in COLUMNS:
        if col not in df.columns:
            df[col] = ""
    df = df[COLUMNS].copy()
    for col in ("lat", "lon"):
        values = pd.to_numeric(df[col], errors="coerce")
        limit = 90 if col == "lat" else 180
        bad = values.isna() | (values.abs() > limit)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise GazetteerError(
                f"Gazetteer file {path}, line {i + 2}: {col} {df[col].iat[i]!r} is not a "
                "coordinate. Fix or delete that row, or restore the file."
            )
        df[col] = values.astype("float64")
    df["population"] = pd.to_numeric(df["population"], errors="coerce").fillna(0).clip(lower=0).astype("int64")
    if (df["id"] == "").any():
        i = int(np.flatnonzero((df["id"] == "").to_numpy())[0])
        raise GazetteerError(f"Gazetteer file {path}, line {i + 2}: empty id. Fix or delete that row.")
    return df


def write_places_tsv(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write rows in the gazetteer schema atomically (temporary file, then ``os.replace``).

    Parameters
    ----------
    df : pandas.DataFrame
        Rows with (at least some of) ``COLUMNS``; missing columns are written empty.
    path : path-like
        Destination; its folder is created if needed.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = df.copy()
    for col in COLUMNS:
        if col not in out.columns:
            out[col] = ""
    out = out[COLUMNS]
    # Tabs and newlines inside a value would break the one-row-per-line format.
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype).startswith("str"):
            out[col] = out[col].astype(str).str.replace(r"[\t\r\n]+", " ", regex=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        out.to_csv(tmp, sep="\t", index=False, quoting=csv.QUOTE_NONE, escapechar=None, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def frame_from_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Rows in memory brought to the schema of :func:`read_places_tsv` (missing columns empty)."""
    frame = df.copy()
    for col in COLUMNS:
        if col not in frame.columns:
            frame[col] = 0 if col == "population" else ""
    frame = frame[COLUMNS].astype({"lat": "float64", "lon": "float64"})
    frame["population"] = pd.to_numeric(frame["population"], errors="coerce").fillna(0).astype("int64")
    for col in COLUMNS:
        if col not in ("lat", "lon", "population"):
            frame[col] = frame[col].fillna("").astype(str)
    return frame.drop_duplicates("id", keep="last").reset_index(drop=True)


def read_demonyms(folder: Path) -> list[tuple[str, str]]:
    """``(demonym, country code)`` pairs of ``demonyms.tsv`` in ``folder`` (empty without one)."""
    path = Path(folder) / "demonyms.tsv"
    out: list[tuple[str, str]] = []
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0] and parts[0].lower() != "demonym":
            out.append((parts[0].strip(), parts[1].strip().upper()))
    return out


def stat_sig(path: Path) -> str:
    """Size and modification time of a file ("-" when absent): a cache key that changes with it."""
    try:
        st = Path(path).stat()
    except OSError:
        return "-"
    return f"{st.st_size}:{st.st_mtime_ns}"
