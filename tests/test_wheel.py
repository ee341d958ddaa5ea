"""The wheel ships the gazetteer: build it, install it apart from the repository, map the seeds.

``python -m build`` (pinned in the test extra) builds the wheel from a copy of the sources
(setuptools writes ``build/`` and ``*.egg-info`` next to them), ``pip install --no-deps --no-index
--target`` installs it into an empty folder, and the installed ``geomap`` command maps the seed
articles from another folder with no ``GEOMAP_*`` variable set. The dependencies (spaCy, pandas...)
come from the running environment; ``geomap`` itself, its gazetteer and vocabularies only from the
wheel. HTTP(S) proxies pointing at a closed port make any network access fail.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("build")

ROOT = Path(__file__).resolve().parent.parent
DATA_FILES = ["places.tsv", "governorates.geojson", "countries.geojson", "demonyms.tsv"]


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kw)
    assert proc.returncode == 0, f"{cmd[:4]} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    return proc


def test_wheel_ships_the_gazetteer_and_maps_the_seeds_offline(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(
        ROOT / "geomap", src / "geomap", ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    _run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--skip-dependency-check",
            "--outdir",
            str(tmp_path / "dist"),
            str(src),
        ]
    )
    wheel = next((tmp_path / "dist").glob("geomap-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for f in DATA_FILES:
        assert f"geomap/gazetteer/data/{f}" in names, f

    site = tmp_path / "site"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--target",
            str(site),
            str(wheel),
        ]
    )
    work = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "seeds", work / "seeds")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GEOMAP_")}
    env.update(
        PYTHONPATH=str(site),
        GEOMAP_DATA_DIR=str(tmp_path / "user-data"),
        HTTP_PROXY="http://127.0.0.1:9",
        HTTPS_PROXY="http://127.0.0.1:9",
        http_proxy="http://127.0.0.1:9",
        https_proxy="http://127.0.0.1:9",
    )

    where = _run(
        [sys.executable, "-c", "import geomap, geomap.settings as s; print(geomap.__file__); print(s.gazetteer_dir)"],
        cwd=work,
        env=env,
    ).stdout.split("\n")
    assert Path(where[0]).is_relative_to(site), where  # the wheel's geomap, not the repository's
    assert Path(where[1]).is_relative_to(site) and (Path(where[1]) / "places.tsv").is_file(), where

    _run([sys.executable, str(site / "bin" / "geomap"), "map", "seeds", "-o", "out"], cwd=work, env=env)
    assert (work / "out" / "map.html").stat().st_size > 10_000
    with (work / "out" / "mentions.csv").open(encoding="utf-8", newline="") as fh:
        ids = {r["gazetteer_id"] for r in csv.DictReader(fh)}
    assert {"gn:170063", "ctry:SY"} <= ids  # Aleppo and Syria, from the installed gazetteer
    with (work / "out" / "incidents.csv").open(encoding="utf-8", newline="") as fh:
        assert len(list(csv.DictReader(fh))) >= 5
