"""``--engine dask --scheduler ADDRESS`` against a real, separately started Dask cluster.

A ``dask scheduler`` and two ``dask worker`` processes run as subprocesses on 127.0.0.1 (a free
port, no dashboard); geomap connects to them as a user's cluster would, through the CLI and
the Python API, and must give exactly the tables of the local engine.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
BIN = Path(sys.executable).parent
TABLES = ("incidents.csv", "movements.csv", "mentions.csv", "incidents.geojson", "movements.geojson")

pytest.importorskip("distributed")
if not (BIN / "dask").exists() and shutil.which("dask") is None:
    pytest.skip("the `dask` command is not installed", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dask_cmd() -> str:
    return str(BIN / "dask") if (BIN / "dask").exists() else shutil.which("dask")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two single-threaded workers (no nanny), torn down after the module."""
    from distributed import Client

    logs = tmp_path_factory.mktemp("dask")
    address = f"tcp://127.0.0.1:{_free_port()}"
    procs = []
    try:
        procs.append(
            subprocess.Popen(
                [
                    _dask_cmd(),
                    "scheduler",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    address.rsplit(":", 1)[1],
                    "--no-dashboard",
                ],
                stdout=subprocess.DEVNULL,
                stderr=open(logs / "scheduler.log", "w"),
            )
        )
        for i in range(2):
            procs.append(
                subprocess.Popen(
                    [
                        _dask_cmd(),
                        "worker",
                        address,
                        "--nworkers",
                        "1",
                        "--nthreads",
                        "1",
                        "--no-nanny",
                        "--no-dashboard",
                        "--name",
                        f"geomap-test-{i}",
                        "--local-directory",
                        str(logs / f"w{i}"),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=open(logs / f"worker{i}.log", "w"),
                    cwd=str(logs),
                )
            )
        deadline = time.monotonic() + 45
        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=max(1, deadline - time.monotonic()))
        yield address
    finally:
        for proc in reversed(procs):
            _stop(proc)


def _geomap(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "geomap"), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_cli_on_an_external_scheduler_writes_the_local_engine_tables(cluster, tmp_path):
    from distributed import Client

    local = _geomap("extract", str(SEEDS), "-o", str(tmp_path / "local"), "--quiet", cwd=tmp_path)
    assert local.returncode == 0, local.stderr
    # --scheduler alone implies the dask engine; say it anyway, as the contract writes it.
    remote = _geomap(
        "extract",
        str(SEEDS),
        "-o",
        str(tmp_path / "dask"),
        "--quiet",
        "--engine",
        "dask",
        "--scheduler",
        cluster,
        cwd=tmp_path,
    )
    assert remote.returncode == 0, remote.stderr
    for name in TABLES:
        a, b = (tmp_path / "local" / name).read_bytes(), (tmp_path / "dask" / name).read_bytes()
        assert a == b, f"{name} differs between the local engine and the external scheduler"
    for name in ("incidents.parquet", "movements.parquet"):
        pdt.assert_frame_equal(pd.read_parquet(tmp_path / "local" / name), pd.read_parquet(tmp_path / "dask" / name))
    assert len(pd.read_csv(tmp_path / "dask" / "mentions.csv")) > 20
    run = json.loads((tmp_path / "dask" / "run.json").read_text())
    assert run["options"]["engine"] == "dask" and run["options"]["scheduler"] == cluster
    assert run["counts"]["articles_done"] == 2
    # The work really ran in the external worker processes: one of them built the pipeline.
    with Client(cluster, timeout=30) as client:
        built = client.run(
            lambda: __import__("geomap.nlp.pipeline", fromlist=["x"]).cached_pipeline.cache_info().currsize
        )
    assert len(built) == 2 and sum(built.values()) >= 1


def test_settings_changed_at_run_time_reach_the_external_workers(cluster, monkeypatch):
    """A threshold set in the caller must apply on workers that were started without it."""
    from geomap import settings
    from geomap.extraction import extract
    from geomap.read import read_articles

    articles = read_articles(SEEDS)
    default = extract(articles, scheduler=cluster, engine="dask")
    monkeypatch.setattr(settings, "min_place_confidence", 1.01)  # nothing can resolve
    strict_local = extract(articles)
    strict_dask = extract(articles, scheduler=cluster, engine="dask")
    assert default.mentions["lat"].notna().sum() > 10
    assert strict_local.mentions["lat"].notna().sum() == 0
    cols = ["doc_id", "char_start", "char_end", "text", "gazetteer_id", "lat", "lon"]
    pdt.assert_frame_equal(
        pd.DataFrame(strict_dask.mentions)[cols].reset_index(drop=True),
        pd.DataFrame(strict_local.mentions)[cols].reset_index(drop=True),
    )


def test_unreachable_scheduler_is_a_clear_error(tmp_path, monkeypatch):
    import geomap.extraction as ex
    from geomap.errors import GeomapError

    monkeypatch.setattr(ex, "DASK_CONNECT_TIMEOUT", 2)
    with pytest.raises(GeomapError, match="cannot reach the Dask scheduler"):
        ex.extract(["Shelling in Homs."], engine="dask", scheduler=f"tcp://127.0.0.1:{_free_port()}")


def test_scheduler_without_workers_is_a_clear_error(monkeypatch, tmp_path):
    import geomap.extraction as ex
    from geomap.errors import GeomapError

    address = f"tcp://127.0.0.1:{_free_port()}"
    proc = subprocess.Popen(
        [_dask_cmd(), "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    try:
        monkeypatch.setattr(ex, "DASK_WORKER_TIMEOUT", 2)
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", int(address.rsplit(":", 1)[1])), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("the scheduler did not start")
                time.sleep(0.2)
        with pytest.raises(GeomapError, match="has no workers"):
            ex.extract(["Shelling in Homs."], engine="dask", scheduler=address)
    finally:
        _stop(proc)
