"""Build hook: the map's JavaScript/CSS go into the package when a wheel is built.

Everything else about the package is in pyproject.toml. ``build_py`` first unpacks the pinned
npm packages into ``geomap/mapping/vendor/`` (see geomap/mapping/assets.py; skipped when they
are already there), so an installed geomap draws maps without npm or a network.

That folder is not in git. setuptools looks for packages (data folders included, as namespace
packages) when ``setup()`` starts, before ``build_py`` fills it: so it is created empty first, else
a fresh clone's build warns that "'geomap.mapping.vendor' is absent from the `packages`
configuration".
"""

import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithAssets(build_py):
    def run(self):
        # A subprocess: the build environment has none of geomap's dependencies, and
        # geomap.mapping.assets needs only the standard library.
        proc = subprocess.run([sys.executable, "-m", "geomap.mapping.assets"], cwd=ROOT)
        if proc.returncode != 0 and not getattr(self, "editable_mode", False):
            raise SystemExit("geomap: the map assets could not be built (npm needed); see the message above")
        # An editable install reads the source tree, where `make install` builds them after pip.
        super().run()


ROOT = Path(__file__).resolve().parent
(ROOT / "geomap" / "mapping" / "vendor").mkdir(exist_ok=True)
setup(cmdclass={"build_py": BuildPyWithAssets})
