"""Exports: a GeoPackage of the tables, ACLED's columns, and the tables in any one format.

``geomap export SOURCE --format acled|csv|geojson|parquet|gpkg -o FILE`` reads SOURCE (a store
``.gpkg`` or an output folder of ``geomap map``/``extract``) and writes one file.

The GeoPackage (``DIR/geomap.gpkg`` beside the other outputs, or a store) holds the layers
``incidents`` (Point), ``movements`` (LineString) and ``mentions`` (Point, empty for unresolved
mentions) in EPSG:4326, and the table ``sentences`` (each sentence holding a mention, once:
``mentions.sentence_id`` refers to it within its ``doc_id``, so a QGIS join on both finds it);
it is written with GDAL through pyogrio and opens in QGIS and ``ogrinfo``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geomap.errors import GeomapError

CRS = "EPSG:4326"
LAYERS = ("incidents", "movements", "mentions")
FORMATS = ("acled", "csv", "geojson", "parquet", "gpkg")

#: ACLED's column names, in the order geomap writes them (a subset of ACLED's export).
ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
]

#: ISO 3166 alpha-2 -> (alpha-3, English name) for the countries geomap's gazetteer covers.
_COUNTRIES = {
    "SY": ("SYR", "Syria"),
    "LB": ("LBN", "Lebanon"),
    "TR": ("TUR", "Turkey"),
    "IQ": ("IRQ", "Iraq"),
    "JO": ("JOR", "Jordan"),
    "IL": ("ISR", "Israel"),
    "PS": ("PSE", "Palestine"),
    "CY": ("CYP", "Cyprus"),
}

#: ACLED time_precision: 1 the day is known, 2 the week, 3 the month or longer.
_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
#: ACLED geo_precision: 1 the town itself, 2 a part of a region near it, 3 the region.
_GEO_PRECISION = {"neighbourhood": 1, "town": 1, "district": 2, "governorate": 3, "region": 3, "country": 3}

__all__ = ["write_gpkg", "read_source", "acled_table", "export", "LAYERS", "FORMATS", "ACLED_COLUMNS"]


# --------------------------------------------------------------------------- GeoPackage


def _gpkg_frame(df: pd.DataFrame, layer: str) -> gpd.GeoDataFrame:
    """A table as GDAL can store it: plain text for lists/dicts, a geometry for every layer."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object and col != getattr(out, "_geometry_column_name", None):
            out[col] = out[col].map(
                lambda v: json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, (dict, list)) else v
            )
            # Dates in object columns (datetime.date) are stored as ISO text.
            out[col] = out[col].map(
                lambda v: v.isoformat() if hasattr(v, "isoformat") and not isinstance(v, str) else v
            )
    if isinstance(out, gpd.GeoDataFrame) and out.geometry.name in out.columns:
        return out.set_crs(CRS, allow_override=True)
    # mentions: a point where the mention resolved, nothing otherwise.
    lat = pd.to_numeric(out.get("lat"), errors="coerce") if "lat" in out else pd.Series(float("nan"), index=out.index)
    lon = pd.to_numeric(out.get("lon"), errors="coerce") if "lon" in out else pd.Series(float("nan"), index=out.index)
    geom = [Point(x, y) if pd.notna(x) and pd.notna(y) else None for x, y in zip(lon, lat)]
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geom, index=out.index, crs=CRS), crs=CRS)


def _sentences_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The sentences table with its columns typed (numbers as integers, the rest as text)."""
    from geomap.tables import SENTENCE_COLUMNS

    out = pd.DataFrame({c: df[c] if c in df.columns else None for c in SENTENCE_COLUMNS}, index=df.index)
    out = out.reset_index(drop=True)
    for col in ("sentence_id", "char_start", "char_end"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("Int64")
    for col in ("doc_id", "text"):
        out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out


def _geometry_type(layer: str) -> str:
    return "LineString" if layer == "movements" else "Point"


def write_gpkg(tables, path: str | os.PathLike) -> Path:
    """Write ``incidents``, ``movements`` and ``mentions`` as layers of one GeoPackage, and
    ``sentences`` (when ``tables`` has it) as a table without geometry.

    Parameters
    ----------
    tables : ExtractResult or object with those attributes
    path : path
        The ``.gpkg`` file, replaced whole (written next to it, then renamed).

    Returns
    -------
    pathlib.Path
    """
    import pyogrio

    from geomap.write import atomic_path

    target = Path(path)
    # GDAL stamps each layer with the time of writing; the newest publication date instead keeps
    # the file byte-identical for the same input, like the other outputs.
    dates = pd.to_datetime(tables.incidents.get("published", pd.Series(dtype=object)), errors="coerce")
    stamp = (dates.max() if dates.notna().any() else pd.Timestamp("1970-01-01")).strftime("%Y-%m-%dT00:00:00.000Z")
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": stamp})
    with atomic_path(target) as tmp:
        gpkg_tmp = tmp.with_suffix(".gpkg")
        try:
            for layer in LAYERS:
                frame = _gpkg_frame(getattr(tables, layer), layer)
                # GeoPackage 1.2: what Debian's GDAL (3.6) and QGIS read without a warning.
                frame.to_file(
                    gpkg_tmp,
                    layer=layer,
                    driver="GPKG",
                    engine="pyogrio",
                    geometry_type=_geometry_type(layer),
                    dataset_options={"VERSION": "1.2"},
                )
            sentences = getattr(tables, "sentences", None)
            if sentences is not None:
                # An attributes table (no geometry): what mentions.sentence_id points into.
                pyogrio.write_dataframe(_sentences_frame(sentences), gpkg_tmp, layer="sentences", driver="GPKG")
            os.replace(gpkg_tmp, tmp)
        finally:
            pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})
            if gpkg_tmp.exists():
                gpkg_tmp.unlink()
    return target


# --------------------------------------------------------------------------- sources


class _Tables:
    def __init__(self, incidents, movements, mentions, sentences=None):
        self.incidents, self.movements, self.mentions = incidents, movements, mentions
        self.sentences = sentences


def read_source(source: str | os.PathLike):
    """The tables of a store (``.gpkg``) or of an output folder, as GeoDataFrames.

    Raises
    ------
    GeomapError
        When SOURCE is neither.
    """
    src = Path(source)
    if src.is_file() and src.suffix.lower() == ".gpkg":
        from geomap.store import Store

        store = Store(src, create=False)
        return _Tables(store.incidents, store.movements, store.mentions, store.sentences)
    if src.is_dir() and (src / "incidents.csv").is_file():
        from geomap.map import load_tables

        t = load_tables(src)
        mentions = getattr(t, "mentions", None)
        if mentions is None:
            mentions = pd.read_csv(src / "mentions.csv", dtype=str, keep_default_na=False)
        sentences = None
        if (src / "sentences.csv").is_file():
            sentences = pd.read_csv(src / "sentences.csv", dtype={"doc_id": str, "text": str}, keep_default_na=False)
        return _Tables(t.incidents, t.movements, mentions, sentences)
    raise GeomapError(f"{src}: not a geomap store (.gpkg) nor an output folder of `geomap map` (incidents.csv missing)")


# --------------------------------------------------------------------------- ACLED


def _text(v) -> str | None:
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA or v is pd.NaT:
        return None
    s = str(v).strip()
    return s or None


def _acled_type(row: pd.Series) -> tuple[str | None, str | None]:
    own = _text(row.get("acled_event_type")), _text(row.get("acled_sub_event_type"))
    if own[0]:
        return own
    # Tables written before the event stage filled these columns: the same vocabulary, looked up here.
    from geomap.schema import acled_types

    return acled_types(_text(row.get("event_type")), _text(row.get("sub_type")), _text(row.get("actor1")))


def _event_id(row: pd.Series) -> str | None:
    iso3 = _COUNTRIES.get(_text(row.get("country_code")) or "SY", ("SYR", None))[0]
    inc = _text(row.get("incident_id"))
    # ACLED's ids are ISO3 + a number; geomap's are a hash: "SYR" + "GM" + the hash's digits.
    return f"{iso3}GM{inc.split('-', 1)[-1]}" if inc else None


def _time_precision(row: pd.Series) -> int | None:
    start, end = (
        pd.to_datetime(row.get("date_start"), errors="coerce"),
        pd.to_datetime(row.get("date_end"), errors="coerce"),
    )
    if pd.isna(start):
        return None
    p = _TIME_PRECISION.get(_text(row.get("date_precision")) or "")
    if p is None:
        return None
    if not pd.isna(end):
        span = (end - start).days
        # A range reported at day precision ("in the past two days") is still not one day.
        p = max(p, 1 if span == 0 else 2 if span <= 7 else 3)
    return p


def _fatalities(row: pd.Series) -> int | None:
    if (_text(row.get("count_type")) or "") not in ("killed", "dead", "deaths", "fatalities"):
        return None
    for col in ("count_best", "count_low"):
        v = pd.to_numeric(row.get(col), errors="coerce")
        if pd.notna(v):
            return int(v)
    return None


def acled_table(incidents: pd.DataFrame) -> pd.DataFrame:
    """Incidents in ACLED's columns (see docs/columns.md for which are approximations).

    Unknown values stay empty: an incident without a date has no ``event_date``, one without a
    death toll no ``fatalities`` (ACLED would write 0; geomap does not know it is 0).
    """
    rows = []
    for _, r in incidents.iterrows():
        etype, sub = _acled_type(r)
        start = pd.to_datetime(r.get("date_start"), errors="coerce")
        cc = _text(r.get("country_code"))
        sources = _text(r.get("sources")) or _text(r.get("outlet"))
        rows.append(
            {
                "event_id_cnty": _event_id(r),
                "event_date": None if pd.isna(start) else start.date().isoformat(),
                "year": None if pd.isna(start) else int(start.year),
                "time_precision": _time_precision(r),
                "event_type": etype,
                "sub_event_type": sub,
                "actor1": _text(r.get("actor1")),
                "actor2": _text(r.get("actor2")),
                "country": _COUNTRIES.get(cc, (None, cc))[1] if cc else None,
                "admin1": _text(r.get("admin1")),
                "admin2": _text(r.get("admin2")),
                "location": _text(r.get("location_name")),
                "latitude": pd.to_numeric(r.get("lat"), errors="coerce"),
                "longitude": pd.to_numeric(r.get("lon"), errors="coerce"),
                "geo_precision": _GEO_PRECISION.get(_text(r.get("geo_precision")) or ""),
                "source": sources,
                "notes": _text(r.get("evidence")),
                "fatalities": _fatalities(r),
            }
        )
    out = pd.DataFrame(rows, columns=ACLED_COLUMNS)
    for col in ("year", "time_precision", "geo_precision", "fatalities"):
        out[col] = pd.array(out[col], dtype="Int64")
    return out


# --------------------------------------------------------------------------- export


def export(source: str | os.PathLike, fmt: str, out: str | os.PathLike, layer: str = "incidents") -> Path:
    """Write SOURCE's tables in one format.

    Parameters
    ----------
    source : path
        A store (``.gpkg``) or an output folder.
    fmt : {"acled", "csv", "geojson", "parquet", "gpkg"}
        ``acled``: incidents in ACLED's columns (CSV). ``gpkg``: every layer. The others: one
        layer (``layer``).
    out : path
        The file to write (replaced atomically).
    layer : {"incidents", "movements", "mentions", "sentences"}
        ``sentences`` (no geometry) as csv or parquet only.

    Returns
    -------
    pathlib.Path
    """
    from geomap.write import _geojson_text, _plain_frame, _write_text, atomic_path

    if fmt not in FORMATS:
        raise GeomapError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if layer not in (*LAYERS, "sentences"):
        raise GeomapError(f"unknown layer {layer!r}: use one of {', '.join(LAYERS)}, sentences")
    if layer == "sentences" and fmt not in ("csv", "parquet", "gpkg"):
        raise GeomapError(f"the sentences table has no geometry: export it as csv or parquet, not {fmt}")
    tables = read_source(source)
    target = Path(out)
    if target.is_dir():
        raise GeomapError(
            f"-o {target} is a folder: give a file name, e.g. {target / ('acled.csv' if fmt == 'acled' else layer + '.' + fmt)}"
        )
    if fmt == "gpkg":
        return write_gpkg(tables, target)
    if fmt == "acled":
        _write_text(target, acled_table(tables.incidents).to_csv(index=False, lineterminator="\n"))
        return target
    table = getattr(tables, layer)
    if layer == "sentences":
        if table is None:
            raise GeomapError(f"{source} holds no sentences table (written by geomap before sentences were stored)")
        table = _sentences_frame(table)
    if fmt == "csv":
        _write_text(target, _plain_frame(table).to_csv(index=False, lineterminator="\n"))
    elif layer == "sentences":
        with atomic_path(target) as tmp:
            table.to_parquet(tmp, index=False)
    else:
        frame = _gpkg_frame(table, layer)
        if fmt == "geojson":
            _write_text(target, _geojson_text(frame))
        else:
            with atomic_path(target) as tmp:
                frame.to_parquet(tmp, index=False)
    return target
