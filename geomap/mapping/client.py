"""The map's own script and style, read from ``geomap/mapping/static/`` and inlined into map.html.

The client is plain JavaScript and CSS files in the package (linted with ESLint: ``make lint``,
``tests/test_map.py::test_client_lint``); this module only reads them and wraps the start call.
The script reads one JSON payload (see :mod:`geomap.mapping.payload`) and builds every layer in
the browser, which keeps a 50,000-incident map small and fast.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

#: Client scripts, in the order they are inlined: each defines one ``geomapXxx`` function;
#: ``geomap.js`` defines ``geomapStart``, which builds the map with the others.
JS_FILES = (
    "gm-popups.js",
    "gm-incidents.js",
    "gm-flows.js",
    "gm-choro.js",
    "gm-towns.js",
    "gm-legend.js",
    "gm-export.js",
    "gm-panels.js",
    "gm-charts.js",
    "gm-declutter.js",
    "geomap.js",
)
CSS_FILES = ("geomap.css",)


def _read(name: str) -> str:
    return resources.files("geomap.mapping").joinpath("static", name).read_text("utf-8")


@lru_cache(maxsize=1)
def client_css() -> str:
    """The client's CSS, safe inside ``<style>``."""
    return "\n".join(_read(n) for n in CSS_FILES).replace("</style", "<\\/style")


@lru_cache(maxsize=1)
def client_js() -> str:
    """The client's JavaScript (function definitions only), safe inside ``<script>``."""
    return "\n;\n".join(_read(n) for n in JS_FILES).replace("</script", "<\\/script")


def start_js(map_name: str, payload_json: str) -> str:
    """The script that parses the payload and starts the client on the folium map ``map_name``.

    Parameters
    ----------
    map_name : str
        The JavaScript variable folium gave the ``L.map`` (``map_<id>``).
    payload_json : str
        The payload from :func:`geomap.mapping.payload.script_json` (already script-safe).

    Returns
    -------
    str
    """
    import json

    # JSON.parse of a string literal parses much faster in V8 than a 10 MB object literal.
    # The payload already has "<", ">", "&", U+2028/9 escaped, so the literal cannot end the script.
    literal = json.dumps(payload_json, ensure_ascii=False)
    return client_js() + "\n;\ngeomapStart(" + map_name + ", JSON.parse(" + literal + "));\n"
