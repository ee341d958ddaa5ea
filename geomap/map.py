"""Tables -> one self-contained, layered Folium map (no network request unless asked).

``make_map(result)`` builds the data payload (:mod:`geomap.mapping.payload`) and inlines it with
the client (``geomap/mapping/static/``, :mod:`geomap.mapping.client`) and the pinned libraries
(:mod:`geomap.mapping.assets`). The client draws incidents clustered across types, casualty
rings, movements aggregated per route, governorate choropleths, an optional heat map, town
names, a time window with charts, filters, search and download (docs/map.md).
``render_dir(DIR)`` redraws the map from the tables a run wrote (and a user may have edited).
"""

from __future__ import annotations

import hashlib
import html
import json
import math
from dataclasses import dataclass
from pathlib import Path

import folium
import pandas as pd
from branca.element import Element, Figure, MacroElement

from geomap import schema as _schema
from geomap.mapping import assets, client
from geomap.mapping.basemap import (
    admin1_feature_ids,
    governorate_tallies,
    load_crossings,
    load_outlines,
    load_towns,
)
from geomap.mapping.borders import BorderAnchors
from geomap.mapping.payload import (
    EVENT_STYLES,
    MOVEMENT_STYLES,
    OTHER_STYLE,
    StringTable,
    clean_str,
    day_iso,
    day_numbers,
    incidents_payload,
    script_json,
)
from geomap.mapping.routes import movements_payload
from geomap.mapping.window import default_window

__all__ = ["make_map", "render_dir", "load_tables", "SYRIA_BOUNDS"]

#: South-west and north-east corners the map opens on: Syria, framed.
SYRIA_BOUNDS = [[32.25, 35.55], [37.40, 42.45]]

#: One marker's name per type and kind, from the one vocabulary (geomap/vocab/*.tsv).
_SINGLE = {t: v["single"] for t, v in _schema.EVENT_STYLES.items()}
_MOVE_SINGLE = {k: v["single"] for k, v in _schema.MOVEMENT_STYLES.items()}
#: Casualty circle radius in px = CIRCLE_K * sqrt(count): the area is proportional to the count.
CIRCLE_K = 1.4


class _Raw(Element):
    """A header/body fragment emitted verbatim (no Jinja parsing: library code contains ``{{``)."""

    def __init__(self, text: str):
        super().__init__()
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


class _GeomapLayers(MacroElement):
    """Puts the payload and the client script into the map's script block."""

    def __init__(self, payload_json: str):
        super().__init__()
        self._name = "GeomapLayers"
        self._payload_json = payload_json

    def render(self, **kwargs):
        figure = self.get_root()
        map_name = self._parent.get_name()
        js = client.start_js(map_name, self._payload_json)
        figure.script.add_child(_Raw(js), name=self.get_name())


class GeomapMap(folium.Map):
    """A :class:`folium.Map` whose Leaflet assets are inlined instead of linked from a CDN."""

    default_js: list = []
    default_css: list = []


def _frame(obj, name: str) -> pd.DataFrame | None:
    v = getattr(obj, name, None)
    if v is None and isinstance(obj, dict):
        v = obj.get(name)
    return v if isinstance(v, pd.DataFrame) else None


def _sources(inc: pd.DataFrame | None, mov: pd.DataFrame | None, limit: int = 12) -> tuple[list[str], int]:
    counts: dict[str, int] = {}
    for df in (inc, mov):
        if df is not None and "outlet" in df.columns:
            for v in df["outlet"].tolist():
                s = clean_str(v)
                if s:
                    counts[s] = counts.get(s, 0) + 1
    names = sorted(counts, key=lambda k: (-counts[k], k))
    return names[:limit], max(0, len(names) - limit)


def _as_of(inc: pd.DataFrame | None, mov: pd.DataFrame | None) -> str:
    best = -math.inf
    for df in (inc, mov):
        if df is None or len(df) == 0:
            continue
        for c in ("date_end", "date_start"):
            if c in df.columns:
                d = day_numbers(df[c])
                d = d[~pd.isna(d)]
                if len(d):
                    best = max(best, float(d.max()))
    return day_iso(best) if math.isfinite(best) else ""


def build_payload(result, title: str | None = None, online_tiles: bool = False, gazetteer_dir=None) -> dict:
    """Everything the map's script draws, as one JSON-ready dict (see :mod:`geomap.mapping.payload`).

    Parameters
    ----------
    result : object
        Anything with ``.incidents``, ``.movements`` (and optionally ``.mentions``) DataFrames.
    title, online_tiles, gazetteer_dir
        As in :func:`make_map`.

    Returns
    -------
    dict
    """
    inc = _frame(result, "incidents")
    mov = _frame(result, "movements")
    if not clean_str(title):
        own = getattr(result, "title", None)
        title = own if isinstance(own, str) else None
    st = StringTable()
    countries, govs = load_outlines(gazetteer_dir)
    incp = incidents_payload(inc, st)
    movp = movements_payload(mov, st, anchors=BorderAnchors(countries, load_crossings(gazetteer_dir)))
    sources, more = _sources(inc, mov)
    n_inc = 0 if inc is None else len(inc)
    styles = {k: {**v, "single": _SINGLE[k]} for k, v in EVENT_STYLES.items()}
    return {
        "strings": st.items,
        "incidents": incp,
        "movements": movp,
        "styles": styles,
        "other_style": {**OTHER_STYLE, "single": "Incident"},
        "movement_styles": {k: {**v, "single": _MOVE_SINGLE[k]} for k, v in MOVEMENT_STYLES.items()},
        "countries": countries,
        "governorates": govs,
        "towns": load_towns(gazetteer_dir),
        "tallies": governorate_tallies(inc, govs),
        "admin1_ids": admin1_feature_ids(inc, govs),
        "circle_k": CIRCLE_K,
        "bounds": SYRIA_BOUNDS,
        "online_tiles": bool(online_tiles),
        "collapse_layers": False,
        "collapse_legend": False,
        "meta": {
            "title": clean_str(title) or "Syria: incidents and movements reported in the news",
            "as_of": _as_of(inc, mov),
            "n_incidents": n_inc,
            "n_movements": 0 if mov is None else len(mov),
            "n_unplaced": n_inc - len(incp["rows"]),
            "not_drawn": movp.pop("not_drawn"),
            "window": default_window(inc, mov),
            "sources": sources,
            "more_sources": more,
        },
    }


def make_map(result, title: str | None = None, online_tiles: bool = False, gazetteer_dir=None) -> folium.Map:
    """Draw the tables of a run as a layered, self-contained Folium map.

    Parameters
    ----------
    result : object
        An :class:`geomap.ExtractResult` or anything with ``.incidents`` (GeoDataFrame, Point),
        ``.movements`` (GeoDataFrame, LineString origin->destination, None when an end is
        unknown) and ``.mentions`` with the contract's columns; plain DataFrames with ``lat``/
        ``lon`` and ``origin_*``/``destination_*`` columns work too.
    title : str, optional
        Shown at the top left and as the page title (escaped); default ``result.title`` when it
        is a string (``load_tables`` sets it from ``run.json``), else a generic title.
    online_tiles : bool, default False
        Add an OpenStreetMap tile layer (the only thing that then touches the network).
    gazetteer_dir : path, optional
        Folder holding ``countries.geojson`` and ``governorates.geojson`` (default: settings).

    Returns
    -------
    folium.Map
        ``m.save("map.html")`` writes one file with every script and style inlined; in a
        notebook the map shows inline.

    Examples
    --------
    >>> m = make_map(geomap.extract(geomap.read_articles("seeds/")))  # doctest: +SKIP
    >>> m.save("map.html")  # doctest: +SKIP
    """
    payload = build_payload(result, title=title, online_tiles=online_tiles, gazetteer_dir=gazetteer_dir)
    lib_js, lib_css = assets.bundle()
    m = GeomapMap(
        location=[35.0, 38.5],
        zoom_start=7,
        tiles=None,
        zoom_control=False,
        control_scale=False,
        min_zoom=4,
        max_zoom=18,
    )
    root = m.get_root()
    assert isinstance(root, Figure)  # a folium Map always sits in a Figure (it has the header)
    page_title = html.escape(payload["meta"]["title"])
    root.header.add_child(_Raw(f"<title>{page_title}</title>"), name="geomap_title")
    root.header.add_child(_Raw("<style>" + lib_css + "</style>"), name="geomap_lib_css")
    root.header.add_child(_Raw("<style>" + client.client_css() + "</style>"), name="geomap_css")
    root.header.add_child(_Raw("<script>" + lib_js + "</script>"), name="geomap_lib_js")
    payload_json = script_json(payload)
    m.add_child(_GeomapLayers(payload_json))
    _stable_ids(m.get_root(), hashlib.sha1(payload_json.encode("utf-8")).hexdigest()[:16])
    return m


def _stable_ids(root: Element, seed: str) -> None:
    # branca gives every element a uuid4 id that ends up in the HTML (``map_<id>``), so two
    # runs over the same input would differ byte for byte. Ids derived from the payload's hash
    # and the element's place in the tree are the same on every run, and differ between maps
    # of different data (two maps in one page do not collide).
    counter = 0
    stack = [root]
    while stack:
        el = stack.pop(0)
        el._id = f"{seed}{counter:04x}"
        counter += 1
        stack.extend(el._children.values())


# --- tables on disk ---------------------------------------------------------------------------


@dataclass
class Tables:
    """A result-like bundle of the three tables read back from disk."""

    incidents: pd.DataFrame
    movements: pd.DataFrame
    mentions: pd.DataFrame
    #: The title of the run that wrote the folder (``run.json`` options.title), if recorded.
    title: str | None = None


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        return pd.DataFrame()
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def load_tables(directory) -> Tables:
    """Read ``incidents.csv``, ``movements.csv``, ``mentions.csv`` from a run's folder.

    Geometry is rebuilt from ``lat``/``lon`` (incidents) and ``origin_*``/``destination_*``
    (movements, None when an end is empty), so edits made to the CSVs are what gets drawn.

    Parameters
    ----------
    directory : path

    Returns
    -------
    Tables
        ``.incidents`` and ``.movements`` are GeoDataFrames in EPSG:4326.
    """
    import geopandas as gpd
    from shapely.geometry import LineString, Point

    d = Path(directory)
    inc = _read_csv(d / "incidents.csv")
    mov = _read_csv(d / "movements.csv")
    men = _read_csv(d / "mentions.csv")

    def pts(df):
        lat = pd.to_numeric(df.get("lat", pd.Series(index=df.index, dtype=float)), errors="coerce")
        lon = pd.to_numeric(df.get("lon", pd.Series(index=df.index, dtype=float)), errors="coerce")
        return [Point(x, y) if pd.notna(x) and pd.notna(y) else None for x, y in zip(lon, lat)]

    def lines(df):
        def c(n):
            return pd.to_numeric(df[n], errors="coerce") if n in df.columns else pd.Series(float("nan"), index=df.index)

        ola, olo, dla, dlo = c("origin_lat"), c("origin_lon"), c("destination_lat"), c("destination_lon")
        out = []
        for a, b, e, f in zip(ola, olo, dla, dlo):
            ok = all(pd.notna(v) for v in (a, b, e, f))
            out.append(LineString([(b, a), (f, e)]) if ok else None)
        return out

    inc_g = gpd.GeoDataFrame(inc, geometry=pts(inc) if len(inc) else [], crs="EPSG:4326")
    mov_g = gpd.GeoDataFrame(mov, geometry=lines(mov) if len(mov) else [], crs="EPSG:4326")
    return Tables(incidents=inc_g, movements=mov_g, mentions=men, title=_run_title(d))


def _run_title(d: Path) -> str | None:
    # `geomap render` redraws with the title the original run used, when run.json recorded one.
    try:
        opts = json.loads((d / "run.json").read_text("utf-8")).get("options") or {}
    except (OSError, ValueError, AttributeError):
        return None
    t = opts.get("title") if isinstance(opts, dict) else None
    return t if isinstance(t, str) and t.strip() else None


def render_dir(directory, out_file=None, **kw) -> Path:
    """Redraw ``map.html`` from the tables in ``directory`` (``geomap render DIR``).

    Parameters
    ----------
    directory : path
        A folder written by ``geomap map``/``extract`` (CSV tables).
    out_file : path, optional
        Where to write; default ``directory/map.html``.
    **kw
        Passed to :func:`make_map` (``title``, ``online_tiles``, ``gazetteer_dir``).

    Returns
    -------
    pathlib.Path
        The written file.
    """
    d = Path(directory)
    if not d.is_dir():
        from geomap.errors import GeomapError

        raise GeomapError(f"{d} is not a folder: give the output folder of `geomap map` or `geomap extract`")
    tables = load_tables(d)
    out = Path(out_file) if out_file else d / "map.html"
    m = make_map(tables, **kw)
    out.parent.mkdir(parents=True, exist_ok=True)
    from geomap.write import write_map

    # Temp file in the same folder + os.replace: a reader never sees half a map.
    return write_map(m, out.parent, name=out.name)
