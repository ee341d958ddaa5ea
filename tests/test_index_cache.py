"""The pipeline's place index cached on disk: same answers as a fresh build, never trusted blindly."""

from pathlib import Path

import pytest

import geomap
from geomap import settings
from geomap.gazetteer import COLUMNS, OVERLAY_FILENAME, Gazetteer
from geomap.gazetteer import index_cache as gindex

#: Names read exactly, through folding, a compact key, the spelling key and near misses.
NAMES = [
    "Aleppo",
    "Halab",
    "Deir ez-Zor",
    "Dayr az Zawr",
    "Deir Izzor",
    "Abukamal",
    "Maarat al-Numan",
    "Kafr Nabl",
    "Jisr al-Shughour",
    "Ras al-Ain",
    "Hmeimim",
    "Damscus",
    "Saraqeb",
    "Idlib province",
    "Atlantis",
    "Homs",
    "Manbij",
    "Tal Abyad",
]


def _answers(gaz: Gazetteer) -> list:
    out = []
    for name in NAMES:
        out.append([(c.entry["id"], round(c.score, 6)) for c in gaz.search(name)])
        out.append([(c.entry["id"], round(c.score, 6)) for c in gaz.resolve(name, context="Idlib, Aleppo and Hama")])
    return out


def _cache_files() -> list[Path]:
    return sorted((Path(settings.data_dir) / "cache").glob("place-index-*.pickle"))


@pytest.fixture()
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "data_dir", tmp_path / "data")
    return tmp_path / "data"


def test_cached_index_resolves_like_a_fresh_build(data_dir):
    built = Gazetteer()  # no cache yet: built, then written
    fresh = _answers(built)
    assert len(_cache_files()) == 1
    package = Path(geomap.__file__).resolve().parent
    assert package not in _cache_files()[0].resolve().parents  # the user's folder, never the package
    loaded = Gazetteer()
    index = loaded.place_index()
    assert index.gazetteer is loaded
    for name in gindex._PLACE_INDEX_FIELDS:
        assert getattr(index, name) == getattr(built.place_index(), name), name
    assert _answers(loaded) == fresh
    assert any(fresh)  # the names are read at all


@pytest.fixture()
def small_dir(tmp_path, data_dir):
    """Every 8th row of the embedded gazetteer (and its demonyms): quick to build."""
    src = Path(settings.gazetteer_dir)
    lines = (src / "places.tsv").read_text(encoding="utf-8").splitlines()
    d = tmp_path / "gaz"
    d.mkdir()
    (d / "places.tsv").write_text("\n".join(lines[:1] + lines[1::8]) + "\n", encoding="utf-8")
    (d / "demonyms.tsv").write_bytes((src / "demonyms.tsv").read_bytes())
    return d


def test_corrupt_cache_is_rebuilt(small_dir):
    import pickle

    expected = _answers(Gazetteer(small_dir))
    (path,) = _cache_files()
    for garbage in [b"", b"not a pickle", pickle.dumps({"keys": {}})[:-3], pickle.dumps(["not", "an", "index"])]:
        path.write_bytes(garbage)
        assert _answers(Gazetteer(small_dir)) == expected
        (rewritten,) = _cache_files()
        assert rewritten == path
        with open(path, "rb") as fh:  # the rebuilt index replaced the garbage
            assert set(pickle.load(fh)) == set(gindex._PLACE_INDEX_FIELDS)


def test_overlay_has_its_own_cache(small_dir, data_dir):
    Gazetteer(small_dir).place_index()
    overlay = data_dir / OVERLAY_FILENAME
    overlay.write_text(
        "\t".join(COLUMNS) + "\n" + "ov:1\tQaryat Zuzzuwa\t\t35.5\t37.0\ttown\tPPL\t100\tSY\tIdlib\toverlay\t\t\t\n",
        encoding="utf-8",
    )
    with_overlay = Gazetteer(small_dir)
    assert "ov:1" in {c.entry["id"] for c in with_overlay.search("Qaryat Zuzzuwa")}
    assert len(_cache_files()) == 2
    assert "ov:1" not in {c.entry["id"] for c in Gazetteer(small_dir, overlay=False).search("Qaryat Zuzzuwa")}


def test_cache_key_follows_the_files_and_the_code(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "data_dir", tmp_path)
    a = gindex.cache_path(["places.tsv", "100:1"], kind="place-index")
    assert a == gindex.cache_path(["places.tsv", "100:1"], kind="place-index")
    assert a != gindex.cache_path(["places.tsv", "100:2"], kind="place-index")
    monkeypatch.setattr(gindex, "_code_digest", lambda: "edited")
    assert a != gindex.cache_path(["places.tsv", "100:1"], kind="place-index")


def test_old_caches_and_abandoned_temporary_files_are_pruned(tmp_path):
    import os
    import time

    current = tmp_path / "place-index-current.pickle"
    current.write_bytes(b"x")
    abandoned = tmp_path / "place-index-current.pickle.abc.tmp"  # a writer killed mid-write
    abandoned.write_bytes(b"x")
    os.utime(abandoned, (time.time() - 7200,) * 2)
    writing = tmp_path / "place-index-other.pickle.def.tmp"  # another process writing now
    writing.write_bytes(b"x")
    for age in range(5):
        old = tmp_path / f"place-index-old{age}.pickle"
        old.write_bytes(b"x")
        os.utime(old, (time.time() - 60 * (age + 1),) * 2)
    gindex._prune_caches(current)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([current.name, writing.name] + [f"place-index-old{a}.pickle" for a in range(3)])
