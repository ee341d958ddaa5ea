"""Build hook: the map's JavaScript/CSS go into the package when a wheel is built.

Everything else about the package is in pyproject.toml. ``build_py`` first unpacks the pinned
npm packages into ``geomap/mapping/vendor/`` (see geomap/mapping/assets.py; skipped when they
are already there), so an installed geomap draws maps without npm or a network.
"""

import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithAssets(build_py):
    def run(self):
        root = Path(__file__).resolve().parent
        # A subprocess: the build environment has none of geomap's dependencies, and
        # geomap.mapping.assets needs only the standard library.
        proc = subprocess.run([sys.executable, "-m", "geomap.mapping.assets"], cwd=root)
        if proc.returncode != 0 and not getattr(self, "editable_mode", False):
            raise SystemExit("geomap: the map assets could not be built (npm needed); see the message above")
        # An editable install reads the source tree, where `make install` builds them after pip.
        super().run()


setup(cmdclass={"build_py": BuildPyWithAssets})
