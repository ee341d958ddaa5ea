"""The pipeline's :class:`~geomap.gazetteer.index.PlaceIndex` cached on disk.

The cache file's name holds the gazetteer files' signatures, ``INDEX_VERSION`` and a digest of
the code that computes the keys, so an edited file or folding rule never meets an old index; a
missing, unreadable or foreign cache is rebuilt, never fatal; writes are atomic (temporary file,
then ``os.replace``) and old caches are pruned.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from geomap import settings
from geomap.gazetteer.index import INDEX_VERSION, PlaceIndex, _syria_choices, build_place_index
from geomap.gazetteer.pickle_cache import load_pickle, save_pickle

__all__ = ["cache_path", "cached_place_index", "file_signature"]


def cache_path(file_sigs: list[str], kind: str = "gazetteer-index") -> Path:
    """Where an index of gazetteer files with these signatures is cached.

    Parameters
    ----------
    file_sigs : list of str
        Paths and :func:`geomap.gazetteer.store.stat_sig` of the files the index is built from.
    kind : str
        File name prefix: ``"gazetteer-index"`` (:class:`NameIndex`) or ``"place-index"``
        (:class:`PlaceIndex`).

    The key also holds ``INDEX_VERSION`` and a digest of the code that computes the keys
    (``_code_digest``), so an edited folding rule never meets an index of the old one.
    """
    parts = [INDEX_VERSION, _code_digest(), *map(str, file_sigs)]
    digest = hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]
    return Path(settings.data_dir) / "cache" / f"{kind}-{digest}.pickle"


#: Modules whose code decides an index's keys and entries (relative to the ``geomap`` package).
_KEY_CODE = (
    "text.py",
    "transliteration.py",
    "gazetteer/index.py",
    "gazetteer/name_index.py",
    "gazetteer/index_cache.py",
    "gazetteer/store.py",
    "gazetteer/geocoder.py",
)


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """Digest of the sources in ``_KEY_CODE`` (the package version when they cannot be read)."""
    import geomap

    base = Path(geomap.__file__).resolve().parent
    h = hashlib.sha1()
    try:
        for rel in _KEY_CODE:
            h.update((base / rel).read_bytes())
    except OSError:
        return str(getattr(geomap, "__version__", "?"))
    return h.hexdigest()[:16]


#: Attributes of a built :class:`PlaceIndex` written to its disk cache (the gazetteer itself is
#: attached again on load; tables built lazily later are not kept).
_PLACE_INDEX_FIELDS = (
    "keys",
    "exact",
    "entries",
    "demonyms",
    "max_words",
    "governorates",
    "compact_keys",
    "spelling",
    "_aliases",
    "_countries",
    # the Syrian spellings for fuzzy look-ups: a third of a second to derive in every process
    "_sy_choices",
)
#: Caches of other gazetteer versions kept next to the current one (older ones are deleted).
_KEEP_CACHES = 3


def cached_place_index(gaz, folder: Path | None, file_sigs: list[str] | None) -> PlaceIndex:
    """``gaz``'s :class:`PlaceIndex`, loaded from the disk cache or built and cached.

    Parameters
    ----------
    gaz : Gazetteer
        The gazetteer, attached to the index.
    folder : Path or None
        Its folder (for ``demonyms.tsv``).
    file_sigs : list of str or None
        Signatures of the files it was read from (taken before reading them); None (a
        gazetteer built in memory): no cache.

    A cache that is missing, unreadable or of another layout is rebuilt, never fatal; it is
    written to a temporary file renamed into place, so concurrent processes never read half a
    file.
    """
    if file_sigs is None:
        return build_place_index(gaz, folder)
    from geomap.gazetteer.store import stat_sig

    demonyms = Path(folder) / "demonyms.tsv" if folder is not None else None
    path = cache_path([*file_sigs, str(demonyms), stat_sig(demonyms) if demonyms else "-"], kind="place-index")
    index = _load_place_index(path, gaz)
    if index is None:
        index = build_place_index(gaz, folder)
        _syria_choices(index)  # derived once here, kept in the cache
        _save_place_index(index, path)
    return index


def _load_place_index(path: Path, gaz) -> PlaceIndex | None:
    """The cached index at ``path`` with ``gaz`` attached, or None when absent or unusable."""
    state = load_pickle(path)
    if not isinstance(state, dict) or set(state) != set(_PLACE_INDEX_FIELDS):
        return None
    index = PlaceIndex()
    index.__dict__.update(state)
    index.gazetteer = gaz
    return index


def _save_place_index(index: PlaceIndex, path: Path) -> None:
    """Write the index atomically; errors only cost time."""
    state = {name: index.__dict__[name] for name in _PLACE_INDEX_FIELDS}
    if save_pickle(state, path):
        _prune_caches(path)


def _prune_caches(current: Path) -> None:
    """Delete all but the newest ``_KEEP_CACHES`` place-index caches besides ``current``.

    Temporary files more than an hour old (a writer killed mid-write) go too.
    """
    import time

    for p in current.parent.glob("place-index-*.tmp"):
        try:
            if p.stat().st_mtime < time.time() - 3600:
                p.unlink()
        except OSError:
            continue
    others = []
    for p in current.parent.glob("place-index-*.pickle"):
        if p != current:
            try:
                others.append((p.stat().st_mtime, p))
            except OSError:
                continue
    for _, p in sorted(others, reverse=True)[_KEEP_CACHES:]:
        try:
            p.unlink()
        except OSError:
            pass


def file_signature(folder: str | None) -> tuple:
    """Size and mtime of the gazetteer files, so an import or edit rebuilds the index."""
    base = Path(folder) if folder else Path(settings.gazetteer_dir)
    paths = [base / "places.tsv", base / "demonyms.tsv"]
    if folder is None:
        paths.append(Path(settings.data_dir) / "places-overlay.tsv")
    sig: list[tuple[str, int | None, int | None]] = []
    for p in paths:
        try:
            st = p.stat()
            sig.append((str(p), st.st_size, st.st_mtime_ns))
        except OSError:
            sig.append((str(p), None, None))
    return tuple(sig)
