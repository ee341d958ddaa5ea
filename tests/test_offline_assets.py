"""The map's JS/CSS ship inside the package: `geomap map` never runs npm or the network (issue 13)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geomap.mapping import assets

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ARTICLE = "Government forces shelled Homs on 3 May 2013, killing 5 people, activists said.\n"


def _isolated_env(tmp_path: Path) -> dict:
    """A new user: empty home and data folders, no asset cache variable, an npm that only tattles."""
    home = tmp_path / "home"
    home.mkdir()
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    marker = tmp_path / "npm-was-run"
    npm = fake_bin / "npm"
    npm.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n")
    npm.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GEOMAP_")}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        PATH=f"{fake_bin}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}/usr/bin:/bin",
        # Any attempt to reach the network through a proxy-aware client fails at once.
        http_proxy="http://127.0.0.1:9",
        https_proxy="http://127.0.0.1:9",
    )
    return env


def _no_network_prefix() -> list[str]:
    """``unshare -n`` (a network namespace with no interface) when this machine allows it."""
    exe = shutil.which("unshare")
    if exe and subprocess.run([exe, "-n", "true"], capture_output=True).returncode == 0:
        return [exe, "-n"]
    return []


def test_assets_are_inside_the_package():
    assert assets.missing_assets(assets.VENDOR_DIR) == [], "run `make install` (python -m geomap.mapping.assets)"
    assert assets.VENDOR_DIR.parent == Path(assets.__file__).resolve().parent


def test_map_with_no_asset_cache_and_no_network(tmp_path):
    env = _isolated_env(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "homs.txt").write_text(ARTICLE, encoding="utf-8")
    # A hostile registry in the working directory's .npmrc must never be followed.
    (tmp_path / ".npmrc").write_text("registry=http://127.0.0.1:9/\n")
    cmd = _no_network_prefix() + [
        sys.executable,
        "-m",
        "geomap.cli",
        "map",
        "in",
        "-o",
        "out",
        "--date",
        "2013-05-06",
        "--quiet",
    ]
    proc = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "npm-was-run").exists()
    html = (tmp_path / "out" / "map.html").read_text(encoding="utf-8")
    assert "Leaflet" in html and "uPlot" in html
    assert not list((tmp_path / "home").rglob("*.js"))


def test_missing_assets_are_a_clear_error_never_a_download(tmp_path, monkeypatch):
    env = _isolated_env(tmp_path)
    monkeypatch.setenv("PATH", env["PATH"])
    monkeypatch.setenv("GEOMAP_ASSETS_DIR", str(tmp_path / "empty"))
    with pytest.raises(assets.GeomapError, match="built without them"):
        assets.ensure_assets()
    assert not (tmp_path / "npm-was-run").exists()
