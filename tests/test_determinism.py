"""The same inputs give byte-identical tables: across runs, ``--workers 1/2`` and ``--engine local/dask``."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from geomap.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
TABLES = ("incidents.csv", "incidents.geojson", "movements.csv", "movements.geojson", "mentions.csv")


def _corpus(root: Path) -> Path:
    """The two seed articles plus a jsonl of short reports: enough for several batches."""
    root.mkdir()
    for f in sorted(SEEDS.glob("*.txt")):
        shutil.copy(f, root / f.name)
    lines = [
        {
            "id": f"r{i}",
            "date": f"2013-0{1 + i % 9}-1{i % 10}",
            "text": f"Government forces shelled {town} on Tuesday, killing {i + 2} civilians, activists said. "
            f"Hundreds of families fled {town} towards Turkey.",
        }
        for i, town in enumerate(["Homs", "Hama", "Idlib", "Deir ez-Zor", "Raqqa", "Daraa", "Aleppo", "Douma"])
    ]
    (root / "reports.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return root


def _digests(out: Path) -> dict[str, str]:
    return {n: hashlib.sha256((out / n).read_bytes()).hexdigest() for n in TABLES}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    assert SEEDS.is_dir(), "seeds/ ships with geomap"
    return _corpus(tmp_path_factory.mktemp("det") / "in")


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("ref")
    assert main(["extract", str(corpus), "-o", str(out), "--quiet"]) == 0
    return _digests(out)


def test_tables_are_not_empty(reference, corpus, tmp_path_factory):
    # An empty table is trivially deterministic; make sure there is something to compare.
    out = tmp_path_factory.mktemp("again")
    main(["extract", str(corpus), "-o", str(out), "--quiet"])
    assert len((out / "incidents.csv").read_text().splitlines()) > 3
    assert len((out / "mentions.csv").read_text().splitlines()) > 10


def test_two_runs_are_byte_identical(reference, corpus, tmp_path):
    assert main(["extract", str(corpus), "-o", str(tmp_path), "--quiet"]) == 0
    assert _digests(tmp_path) == reference


def test_two_workers_give_the_same_bytes(reference, corpus, tmp_path):
    assert main(["extract", str(corpus), "-o", str(tmp_path), "--quiet", "--workers", "2"]) == 0
    assert _digests(tmp_path) == reference


def test_input_order_does_not_matter(reference, corpus, tmp_path):
    files = sorted(corpus.iterdir(), reverse=True)
    out = tmp_path / "out"
    # Files given one by one (reverse order) rather than as a folder: ids come from file names
    # either way, so the tables must be the same.
    assert main(["extract", *map(str, files), "-o", str(out), "--quiet"]) == 0
    assert _digests(out) == reference


@pytest.mark.slow
def test_dask_engine_gives_the_same_bytes(reference, corpus, tmp_path):
    pytest.importorskip("distributed")
    code = main(["extract", str(corpus), "-o", str(tmp_path), "--quiet", "--engine", "dask", "--workers", "1"])
    assert code == 0
    assert _digests(tmp_path) == reference
