"""Write a run's outputs: tables (CSV, GeoJSON, GeoParquet), ``map.html`` and ``run.json``.

Every file is written to a temporary file in the output folder and moved into place with
``os.replace``, so a reader (or a crash) never sees half a file, and a failed run leaves the
previous outputs intact. Names are fixed or checked: nothing is written outside the folder.
Tables are byte-identical for the same input: stable row order, no timestamps inside.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import math
import os
import platform
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geomap.errors import GeomapError

#: Table formats written by default.
FORMATS = ("csv", "geojson", "parquet")

__all__ = [
    "FORMATS",
    "atomic_path",
    "safe_output_path",
    "write_table",
    "write_tables",
    "write_map",
    "write_run",
    "write_outputs",
    "versions",
    "jsonable",
    "neutralise_formula",
]


# --------------------------------------------------------------------------- safety


def safe_output_path(out_dir: str | os.PathLike, name: str) -> Path:
    """Path of ``name`` inside ``out_dir``, refusing anything that would land elsewhere.

    Raises
    ------
    GeomapError
        When ``name`` is absolute, has folder parts, ``..``, or resolves (through a symlink)
        outside ``out_dir``.
    """
    if not name or name in (".", "..") or os.sep in name or (os.altsep and os.altsep in name) or "\x00" in name:
        raise GeomapError(f"refusing output file name {name!r}: a plain file name is needed")
    root = Path(out_dir).resolve()
    target = (root / name).resolve()
    if target.parent != root:
        raise GeomapError(f"refusing to write {name!r}: it would land outside {root}")
    return target


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; move it over ``target`` when the block succeeds.

    The temporary file lives in the same folder so that ``os.replace`` is atomic; it is
    removed when the block raises.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp creates 0600 files; outputs are meant to be shared like any other file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_path, 0o666 & ~umask)
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


def _write_text(target: Path, text: str) -> None:
    with atomic_path(target) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())


# --------------------------------------------------------------------------- values


def jsonable(value: Any) -> Any:
    """Convert a table cell or run field to a plain JSON value (dates as ISO strings, NA as None)."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, (str, bool)):
        return value
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            return None
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        # A set's order follows the per-process string hash: sorted, the same file every run.
        return [jsonable(v) for v in sorted(value, key=str)]
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


#: A text cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise_formula(value: Any) -> Any:
    """Prefix ``'`` to a text cell a spreadsheet would run as a formula (``=HYPERLINK(...)``).

    Only text is touched: numbers (``-5`` in a count column, or written as text) stay as they are.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _plain_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The table as CSV-ready text columns: dates ISO, geometry dropped (lat/lon columns hold it),
    text cells that look like spreadsheet formulas neutralised."""
    out = pd.DataFrame(index=df.index)
    geom = getattr(df, "_geometry_column_name", None) if hasattr(df, "geometry") else None
    for col in df.columns:
        if col == geom:
            continue
        s = df[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            out[col] = s.map(jsonable)
        elif s.dtype == object or pd.api.types.is_string_dtype(s):
            out[col] = s.map(
                lambda v: neutralise_formula(
                    v
                    if isinstance(v, str)
                    else jsonable(v)
                    if not isinstance(v, (dict, list))
                    else json.dumps(jsonable(v), ensure_ascii=False, sort_keys=True)
                )
            )
        else:
            out[col] = s
    return out


# --------------------------------------------------------------------------- tables


def _geojson_text(gdf) -> str:
    from shapely.geometry import mapping

    geom_col = gdf.geometry.name
    props = [c for c in gdf.columns if c != geom_col]
    features = []
    for rec, geom in zip(gdf[props].to_dict("records"), gdf.geometry):
        features.append(
            {
                "type": "Feature",
                "properties": {k: jsonable(v) for k, v in rec.items()},
                "geometry": None if geom is None or geom.is_empty else mapping(geom),
            }
        )
    # RFC 7946: GeoJSON is WGS84 lon/lat by definition, so no "crs" member.
    doc = {"type": "FeatureCollection", "features": features}
    return json.dumps(jsonable(doc), ensure_ascii=False, separators=(",", ":")) + "\n"


def write_table(df: pd.DataFrame, out_dir: str | os.PathLike, name: str, fmt: str) -> Path:
    """Write one table atomically as ``DIR/<name>.<fmt>``.

    Parameters
    ----------
    df : DataFrame or GeoDataFrame
    out_dir : path
    name : str
        ``incidents``, ``movements`` or ``mentions`` (any plain name).
    fmt : {"csv", "geojson", "parquet"}
        ``geojson`` and ``parquet`` (GeoParquet) need a GeoDataFrame.
    """
    target = safe_output_path(out_dir, f"{name}.{fmt}")
    if fmt == "csv":
        text = _plain_frame(df).to_csv(index=False, lineterminator="\n")
        _write_text(target, text)
    elif fmt == "geojson":
        _write_text(target, _geojson_text(df))
    elif fmt == "parquet":
        with atomic_path(target) as tmp:
            # A GeoDataFrame writes GeoParquet (geo metadata, WKB geometry); a DataFrame plain Parquet.
            df.to_parquet(tmp, index=False)
    else:
        raise GeomapError(f"unknown table format {fmt!r}: use csv, geojson or parquet")
    return target


def write_tables(result, out_dir: str | os.PathLike, formats: tuple[str, ...] = FORMATS) -> dict[str, Path]:
    """Write ``incidents`` and ``movements`` in every format, ``mentions.csv`` and ``sentences.csv``.

    Returns
    -------
    dict
        ``{"incidents.csv": Path, ...}`` for every file written.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for name in ("incidents", "movements"):
        table = getattr(result, name)
        for fmt in formats:
            written[f"{name}.{fmt}"] = write_table(table, out_dir, name, fmt)
    written["mentions.csv"] = write_table(result.mentions, out_dir, "mentions", "csv")
    sentences = getattr(result, "sentences", None)
    if sentences is not None:
        # Each sentence holding a mention, once (mentions.sentence_id refers to it).
        written["sentences.csv"] = write_table(sentences, out_dir, "sentences", "csv")
    return written


def write_map(m, out_dir: str | os.PathLike, name: str = "map.html") -> Path:
    """Save a drawn map atomically as ``DIR/map.html``.

    Parameters
    ----------
    m : folium.Map
        Drawn by ``geomap.map.make_map`` (the map stage comes after this one, so this module
        never imports it: ``write_map(make_map(result), DIR)``).
    """
    if not hasattr(m, "save"):
        raise GeomapError("write_map needs a drawn map: write_map(geomap.make_map(result), DIR)")
    target = safe_output_path(out_dir, name)
    with atomic_path(target) as tmp:
        # folium picks the writer from the extension; the temp name ends in .tmp.
        html_tmp = tmp.with_suffix(".html")
        try:
            m.save(str(html_tmp))
            os.replace(html_tmp, tmp)
        finally:
            with contextlib.suppress(OSError):
                html_tmp.unlink()
    return target


# --------------------------------------------------------------------------- run.json


def versions(nlp=None) -> dict[str, Any]:
    """Versions of geomap, Python, spaCy, the English model and the gazetteer, for ``run.json``."""
    import geomap

    out: dict[str, Any] = {"geomap": geomap.__version__, "python": platform.python_version()}
    with contextlib.suppress(Exception):
        import spacy

        out["spacy"] = spacy.__version__
    if nlp is not None:
        with contextlib.suppress(Exception):
            out["model"] = f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')}-{nlp.meta.get('version', '')}"
            out["pipeline"] = list(nlp.pipe_names)
    if "model" not in out:
        # Without a loaded pipeline (worker runs), name the first installed model package.
        from importlib import metadata

        from geomap import settings

        for name in settings.spacy_models:
            with contextlib.suppress(Exception):
                out["model"] = f"{name}-{metadata.version(name)}"
                break
    with contextlib.suppress(Exception):
        from geomap.gazetteer import Gazetteer

        info = Gazetteer.default().info()
        # by_country lists hundreds of entries; run.json keeps what identifies the data.
        out["gazetteer"] = {
            k: v for k, v in info.items() if k != "by_country" and isinstance(v, (str, int, float, dict, list))
        }
    return out


def write_run(run: dict, out_dir: str | os.PathLike, name: str = "run.json") -> Path:
    """Write the run record atomically (pretty-printed JSON, keys in insertion order)."""
    target = safe_output_path(out_dir, name)
    _write_text(target, json.dumps(jsonable(run), ensure_ascii=False, indent=2) + "\n")
    return target


def write_outputs(
    result,
    out_dir: str | os.PathLike,
    drawn_map=None,
    formats: tuple[str, ...] = FORMATS,
    on_stage: Callable[[str, float], None] | None = None,
) -> dict[str, Path]:
    """Write tables, then the map if one is given; ``run.json`` is left to the caller.

    Parameters
    ----------
    drawn_map : folium.Map, optional
        ``geomap.map.make_map(result)``, saved as ``map.html``.
    on_stage : callable, optional
        Called as ``on_stage(stage_name, seconds)`` after each stage.
    """
    import time

    t0 = time.perf_counter()
    written = write_tables(result, out_dir, formats)
    if on_stage:
        on_stage("write_tables", time.perf_counter() - t0)
    if drawn_map is not None:
        t1 = time.perf_counter()
        written["map.html"] = write_map(drawn_map, out_dir)
        if on_stage:
            on_stage("map", time.perf_counter() - t1)
    return written
