"""The map's JavaScript/CSS, inlined so that ``map.html`` works with no network.

Nothing third-party is committed to the repository: Leaflet and its plugins come from pinned npm
packages (version and the registry's sha512 integrity, checked here), unpacked into the package
itself (``geomap/mapping/vendor/``) when geomap is installed or its wheel is built
(``make install`` / ``python -m geomap.mapping.assets``). At run time geomap only reads them:
drawing a map never runs npm and never touches the network.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from functools import lru_cache
from pathlib import Path

from geomap.errors import GeomapError

log = logging.getLogger(__name__)

#: Where the build step puts the assets: inside the installed package.
VENDOR_DIR = Path(__file__).resolve().parent / "vendor"

#: The registry's integrity hash of each pinned tarball: a tarball that differs is refused.
INTEGRITY: dict[str, str] = {
    "leaflet@1.9.4": "sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==",
    "leaflet.markercluster@1.5.3": "sha512-vPTw/Bndq7eQHjLBVlWpnGeLa3t+3zGiuM7fJwCkiMFq+nmRuG3RI3f7f4N4TDX7T4NpbAXpR2+NTRSEGfCSeA==",
    "leaflet.heat@0.2.0": "sha512-Cd5PbAA/rX3X3XKxfDoUGi9qp78FyhWYurFg3nsfhntcM/MCNK08pRkf4iEenO1KNqwVPKCmkyktjW3UD+h9bQ==",
    "uplot@1.6.32": "sha512-KIMVnG68zvu5XXUbC4LQEPnhwOxBuLyW1AHtpm6IKTXImkbLgkMy+jabjLgSLMasNuGGzQm/ep3tOkyTxpiQIw==",
}

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
    ("leaflet.heat@0.2.0", "dist/leaflet-heat.js"),
    ("uplot@1.6.32", "dist/uPlot.iife.min.js"),
]
CSS_FILES = [
    ("leaflet@1.9.4", "dist/leaflet.css"),
    ("uplot@1.6.32", "dist/uPlot.min.css"),
]


def assets_dir() -> Path:
    """Folder the map's assets are read from.

    Returns
    -------
    pathlib.Path
        ``$GEOMAP_ASSETS_DIR`` if set, else :data:`VENDOR_DIR` inside the package.
    """
    env = os.environ.get("GEOMAP_ASSETS_DIR")
    return Path(env) if env else VENDOR_DIR


def _pkg_dir(spec: str, root: Path | None = None) -> Path:
    return (root or assets_dir()) / spec.replace("/", "_")


def missing_assets(root: Path | None = None) -> list[str]:
    """The files of :data:`PACKAGES` that are not in the asset folder (empty when ready)."""
    out = []
    for spec, files in PACKAGES.items():
        for f in files:
            if not (_pkg_dir(spec, root) / f).is_file():
                out.append(f"{spec}/{f}")
    return out


def _integrity(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode("ascii")


def fetch_assets(root: Path | None = None, npm: str | None = None) -> Path:
    """Build step: unpack the files the map needs from the pinned npm packages.

    Run by ``make install`` and when a wheel is built, never when a map is drawn. ``npm pack``
    runs in an empty temporary folder, so no ``.npmrc`` of the caller's working directory can
    send it to another registry, and each tarball must match :data:`INTEGRITY`.

    Parameters
    ----------
    root : pathlib.Path, optional
        Destination (default :data:`VENDOR_DIR`, inside the package).
    npm : str, optional
        The npm executable (default: found on ``PATH``).

    Returns
    -------
    pathlib.Path
        The destination folder.

    Raises
    ------
    GeomapError
        When npm is absent, a package cannot be fetched or its tarball is not the pinned one.
    """
    root = root or VENDOR_DIR
    npm = npm or shutil.which("npm")
    if not npm:
        raise GeomapError(
            "building geomap's map assets needs npm (apt-get install npm): Leaflet and its plugins are "
            f"unpacked from pinned npm packages into {root} at install time"
        )
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for spec, files in PACKAGES.items():
            if all((_pkg_dir(spec, root) / f).is_file() for f in files):
                continue
            proc = subprocess.run(
                [npm, "pack", spec, "--silent", "--pack-destination", tmp],
                capture_output=True,
                text=True,
                timeout=300,
                cwd=tmp,
            )
            if proc.returncode != 0:
                raise GeomapError(f"could not fetch {spec} from npm: {proc.stderr.strip()[:500]}")
            tgz = Path(tmp) / proc.stdout.strip().splitlines()[-1]
            got = _integrity(tgz)
            if spec in INTEGRITY and got != INTEGRITY[spec]:
                raise GeomapError(
                    f"{spec} from npm is not the pinned package (integrity {got[:30]}... != "
                    f"{INTEGRITY[spec][:30]}...): check your npm registry settings"
                )
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
    """The asset folder; an error (never a download) when the installation lacks the assets."""
    root = assets_dir()
    missing = missing_assets(root)
    if missing:
        raise GeomapError(
            f"geomap's map assets are missing from {root} ({', '.join(missing[:2])}...): this installation was "
            "built without them. Reinstall geomap with npm available (`make install`, or `pip install .`), "
            "or run `python -m geomap.mapping.assets` once where npm can reach its registry"
        )
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


if __name__ == "__main__":  # pragma: no cover - install/build-time step
    logging.basicConfig(level=logging.INFO)
    print(fetch_assets())
