"""The compact-key name index of a gazetteer table, with fuzzy blocking and a disk cache.

:class:`NameIndex` maps the compact key (:func:`geomap.text.compact`: spaces removed) of every
name and alias to table rows, blocked by first letter and length for fuzzy search, and is
cached on disk so a second process loads it quickly (``Gazetteer.compact_ids``,
``Gazetteer.near_names``).
"""

from __future__ import annotations

import gc
import math
from pathlib import Path

from geomap.gazetteer.pickle_cache import load_pickle, save_pickle
from geomap.text import compact as _compact

__all__ = ["NameIndex"]


class NameIndex:
    """Compact keys (:func:`geomap.text.compact`) -> ``[(row, alias)]``, with fuzzy blocking.

    Parameters
    ----------
    names, aliases : list of str
        The table's ``name`` and ``aliases`` columns (aliases ``|``-separated).
    cache : Path or None
        Pickle file to load the index from, or to write it to after a build.
    """

    def __init__(self, names: list[str], aliases: list[str], cache: Path | None):
        self.keys: dict[str, list[tuple[int, str]]] = {}
        self._blocks: dict[str, tuple[list[str], dict[int, int]]] = {}
        if cache is not None and self._load(cache):
            return
        self._build(names, aliases)
        if cache is not None:
            self._save(cache)

    def _load(self, cache: Path) -> bool:
        state = load_pickle(cache)
        if not isinstance(state, tuple) or len(state) != 2:
            return False
        self.keys, self._blocks = state
        return True

    def _save(self, cache: Path) -> None:
        save_pickle((self.keys, self._blocks), cache)

    def _build(self, names: list[str], aliases: list[str]) -> None:
        from geomap.text import usable_name

        # key -> [(row, name)], name "" for the preferred name; every distinct spelling is
        # kept so a query can be checked for a verbatim match.
        index: dict[str, list[tuple[int, str]]] = {}
        gc_was_on = gc.isenabled()
        gc.disable()
        try:
            for i, (name, alias_text) in enumerate(zip(names, aliases)):
                seen: set[str] = set()
                for j, n in enumerate([name, *alias_text.split("|")] if alias_text else [name]):
                    n = n.strip()
                    if not n or n in seen or (j and not usable_name(n)):
                        continue
                    seen.add(n)
                    k = _compact(n)
                    if k:
                        index.setdefault(k, []).append((i, n if j else ""))
        finally:
            if gc_was_on:
                gc.enable()
        self.keys = index
        # Fuzzy blocking: keys grouped by first letter (after folding, initial vowels, q/k,
        # c/k already agree, so real variants share it) and sorted by length, with the offset
        # where each length starts. A scan reads only keys that can reach the cutoff.
        blocks: dict[str, list[str]] = {}
        for k in index:
            blocks.setdefault(k[0], []).append(k)
        for first, keys in blocks.items():
            keys.sort(key=len)
            starts: dict[int, int] = {}
            for pos, k in enumerate(keys):
                starts.setdefault(len(k), pos)
            self._blocks[first] = (keys, starts)

    def get(self, key: str) -> list[tuple[int, str]]:
        """``[(row, alias)]`` of a compact key (alias "" for the row's preferred name)."""
        return self.keys.get(key, [])

    def near_keys(self, key: str, cutoff: float, limit: int) -> list[tuple[str, float]]:
        """Other keys at least ``cutoff`` % similar (rapidfuzz ratio), best first."""
        from rapidfuzz import fuzz, process

        keys, starts = self._blocks.get(key[0], ([], {})) if key else ([], {})
        if not keys:
            return []
        n = len(key)
        lo = math.ceil(n * cutoff / (200.0 - cutoff))
        hi = math.floor(n * (200.0 - cutoff) / cutoff)
        start = next((starts[m] for m in range(lo, hi + 1) if m in starts), None)
        if start is None:
            return []
        end = next((starts[m] for m in range(hi + 1, max(starts) + 1) if m in starts), len(keys))
        hits = process.extract(key, keys[start:end], scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff)
        return [(k, sim) for k, sim, _ in hits if k != key]
