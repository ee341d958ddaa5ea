"""The build's package list on a fresh clone, where the map assets' folder does not exist yet.

geomap/mapping/vendor is not in git: the build step (setup.py, geomap/mapping/assets.py) fills it
from pinned npm packages. setuptools lists the packages (data folders included, as namespace
packages) before that step runs; a folder missing then and holding package data later made every
fresh build warn "'geomap.mapping.vendor' is absent from the `packages` configuration".
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_fresh_clone_lists_the_asset_folder_among_the_packages(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(
        ROOT / "geomap",
        src / "geomap",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "vendor", "*.egg-info"),
    )
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    assert not (src / "geomap" / "mapping" / "vendor").exists()  # as in a fresh clone
    # stop_after="config": setuptools reads the configuration and finds the packages; nothing is
    # built, so no npm and no network.
    code = (
        "from distutils.core import run_setup\n"
        "dist = run_setup('setup.py', stop_after='config')\n"
        "print('\\n'.join(dist.packages))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=src, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    packages = set(proc.stdout.split())
    assert {"geomap", "geomap.mapping", "geomap.mapping.static", "geomap.mapping.vendor"} <= packages
    assert "is absent from the `packages` configuration" not in proc.stderr
