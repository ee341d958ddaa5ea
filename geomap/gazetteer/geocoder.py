"""The offline gazetteer as a geopy ``Geocoder``: ``Gazetteer().geocode("Deir ez-Zor")``.

``Gazetteer()`` reads ``places.tsv`` from :data:`geomap.settings.gazetteer_dir` and the user
overlay written by ``geomap gazetteer import`` (``places-overlay.tsv`` in
:data:`geomap.settings.data_dir`); overlay rows replace embedded rows with the same id.
:meth:`Gazetteer.search`, :meth:`Gazetteer.resolve` and :meth:`Gazetteer.geocode` rank with
:mod:`geomap.gazetteer.ranking`, the code the pipeline uses, so their scores are the
pipeline's confidences; a name nothing reads well enough
(:data:`geomap.settings.min_place_confidence`) gives no candidate, never a guess. Nothing here
ever touches the network.

>>> gaz = Gazetteer.default()
>>> gaz.geocode("Deir ez-Zor").raw["id"]        # doctest: +SKIP
'gn:170794'
"""

from __future__ import annotations

import os
import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geomap import settings
from geomap.errors import GazetteerError
from geomap.gazetteer import ranking
from geomap.gazetteer.index import (
    INDEX_VERSION,
    PlaceIndex,
    fold,
    generic_suffix,
    match_kind,
)
from geomap.gazetteer.index_cache import cache_path, cached_place_index, file_signature
from geomap.gazetteer.name_index import NameIndex
from geomap.gazetteer.regions import Regions
from geomap.gazetteer.reverse import PointLookup, as_latlon
from geomap.gazetteer.store import COLUMNS, OVERLAY_FILENAME, frame_from_rows, read_places_tsv, stat_sig
from geomap.text import compact, usable_name

__all__ = ["Gazetteer", "Candidate"]

# A place name is short; anything longer is not worth folding or fuzzy matching.
_MAX_QUERY_CHARS = 200
# Context read by ``resolve``: enough for a long article, bounded for a hostile one.
_MAX_CONTEXT_CHARS = 20_000
# What the last ranking of this thread decided (``geocode`` reads it after ``search``).
_LAST = threading.local()
_CONTEXT_WORD = re.compile(r"[^\W\d_][\w'’‘-]*")


@dataclass(frozen=True)
class Candidate:
    """One possible reading of a place name.

    Attributes
    ----------
    entry : dict
        The gazetteer row (``COLUMNS`` keys; ``lat``/``lon`` float, ``population`` int).
    score : float
        In [0, 1]: the confidence the pipeline gives this reading of the name
        (:func:`geomap.gazetteer.ranking.confidences`).
    match : str
        ``"exact"`` (the folded query equals the preferred name), ``"alias"`` (equals another
        listed name), ``"fuzzy"`` (close to a name after folding) or ``"shared"`` (the
        district, governorate or country shared by homonyms nothing tells apart).
    matched_name : str
        The name or alias that matched.
    """

    entry: dict
    score: float
    match: str
    matched_name: str = ""

    @property
    def id(self) -> str:
        return self.entry["id"]


class Gazetteer(PointLookup, Geocoder):
    """Offline gazetteer of Syrian places and neighbours, usable as a geopy geocoder.

    Parameters
    ----------
    directory : path-like, optional
        Folder with ``places.tsv`` (and optionally ``governorates.geojson``,
        ``countries.geojson``). Default :data:`geomap.settings.gazetteer_dir`.
    overlay : bool or path-like, default True
        Merge the user overlay: ``True`` reads ``places-overlay.tsv`` in
        :data:`geomap.settings.data_dir` when it exists; a path reads that file; ``False``
        skips it.

    Raises
    ------
    GazetteerError
        ``places.tsv`` is missing or corrupt, or the overlay is corrupt.
    """

    _default_cache: dict = {}
    _default_lock = threading.Lock()

    def __init__(self, directory: str | os.PathLike | None = None, overlay: bool | str | os.PathLike = True):
        # geopy's Geocoder.__init__ builds an HTTP adapter; this geocoder never uses the
        # network, so only the attributes geopy code may read are set.
        self.scheme = "https"
        self.timeout = None
        self.proxies = None
        self.headers: dict[str, str] = {}
        self.ssl_context = None
        self.adapter = None
        self.directory: Path | None = Path(directory) if directory is not None else Path(settings.gazetteer_dir)
        self.places_path: Path | None = self.directory / "places.tsv"
        if overlay is True:
            candidate = Path(settings.data_dir) / OVERLAY_FILENAME
            self.overlay_path = candidate if candidate.is_file() else None
        elif overlay:
            self.overlay_path = Path(overlay)
        else:
            self.overlay_path = None
        if not self.places_path.is_file():
            raise GazetteerError(
                f"No gazetteer in {self.directory}: places.tsv is missing. Point "
                "GEOMAP_GAZETTEER_DIR (or geomap.settings.gazetteer_dir) at the folder that "
                "holds places.tsv, or reinstall geomap."
            )
        # The index cache is keyed on the files as they were *before* reading them, so a file
        # rewritten while we read it can never be cached under its new signature.
        self._file_sigs = [str(self.places_path), stat_sig(self.places_path)]
        if self.overlay_path is not None:
            self._file_sigs += [str(self.overlay_path), stat_sig(self.overlay_path)]
        base = read_places_tsv(self.places_path)
        self.overlay_rows = 0
        if self.overlay_path is not None:
            extra = read_places_tsv(self.overlay_path)
            self.overlay_rows = len(extra)
            # A mask over the (small) embedded table from a set of the overlay's ids: pandas'
            # isin with a large set of Arrow strings costs seconds for a 400k-place overlay.
            replaced = set(extra["id"].tolist())
            kept = np.array([pid not in replaced for pid in base["id"].tolist()], dtype=bool)
            base = pd.concat([base[kept], extra], ignore_index=True)
        self._init_frame(base.drop_duplicates("id", keep="last").reset_index(drop=True))

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_dataframe(cls, df: pd.DataFrame) -> Gazetteer:
        """Build a gazetteer from rows in memory (tests, notebooks); no files are read.

        Parameters
        ----------
        df : pandas.DataFrame
            Rows with at least ``id``, ``name``, ``lat``, ``lon``.
        """
        self = cls.__new__(cls)
        self.scheme, self.timeout, self.proxies, self.headers = "https", None, None, {}
        self.ssl_context, self.adapter = None, None
        self.directory, self.places_path, self.overlay_path, self.overlay_rows = None, None, None, 0
        self._init_frame(frame_from_rows(df))
        return self

    @classmethod
    def default(cls) -> Gazetteer:
        """The shared gazetteer for the current settings, loaded once per process.

        Reloaded when ``settings.gazetteer_dir``/``settings.data_dir`` change or the files
        change on disk (e.g. after ``geomap gazetteer import``).
        """
        directory = Path(settings.gazetteer_dir)
        overlay = Path(settings.data_dir) / OVERLAY_FILENAME
        key = (str(directory), str(overlay), stat_sig(directory / "places.tsv"), stat_sig(overlay))
        with cls._default_lock:
            gaz = cls._default_cache.get(key)
            if gaz is None:
                gaz = cls(directory)
                cls._default_cache.clear()
                cls._default_cache[key] = gaz
            return gaz

    def _init_frame(self, frame: pd.DataFrame) -> None:
        self.entries: pd.DataFrame = frame
        self._records: dict[str, list] | None = None
        self._pos = {pid: i for i, pid in enumerate(frame["id"].tolist())}
        self._ids: list[str] = frame["id"].tolist()
        self._lats = frame["lat"].to_numpy(dtype="float64")
        self._lons = frame["lon"].to_numpy(dtype="float64")
        self._names_index: NameIndex | None = None
        self._place_index: PlaceIndex | None = None
        self._index_lock = threading.RLock()
        self.regions = Regions(self.directory)

    # ------------------------------------------------------------------ indexes
    def _name_index(self) -> NameIndex:
        if self._names_index is None:
            with self._index_lock:
                if self._names_index is None:
                    cache = cache_path(self._file_sigs) if self.places_path is not None else None
                    self._names_index = NameIndex(
                        self.entries["name"].tolist(), self.entries["aliases"].tolist(), cache
                    )
        return self._names_index

    def place_index(self) -> PlaceIndex:
        """The folded name index the pipeline and :meth:`search` read (built once)."""
        if self._place_index is None:
            with self._index_lock:
                if self._place_index is None:
                    sigs = self._file_sigs if self.places_path is not None else None
                    self._place_index = cached_place_index(self, self.directory, sigs)
        return self._place_index

    def compact_ids(self, name: str) -> list[str]:
        """Ids of the entries one of whose names has the compact key of ``name`` ("Abukamal")."""
        key = self._query_key(name)
        return list(dict.fromkeys(self._ids[i] for i, _ in self._name_index().get(key))) if key else []

    def near_names(self, name: str, limit: int = 5, cutoff: float = 85.0) -> list[tuple[str, str]]:
        """``(id, matched name)`` of the names whose compact key is close to ``name``'s, best first.

        Same-key names first, then keys at least ``cutoff`` % similar (90 % for keys of six
        letters or fewer: one edit in a short key is already a big change).
        """
        key = self._query_key(name)
        if not key or len(key) < 5:
            return []
        nidx = self._name_index()
        sims = [(key, 100.0)] + nidx.near_keys(key, max(cutoff, 90.0 if len(key) <= 6 else 0.0), max(limit * 3, 20))
        best: dict[int, tuple[float, str]] = {}
        for k, sim in sims:
            for i, alias in nidx.get(k):
                if i not in best or sim > best[i][0]:
                    best[i] = (sim, alias or self.entries["name"].iat[i])
        order = sorted(best, key=lambda i: -best[i][0])[:limit]
        return [(self._ids[i], best[i][1]) for i in order]

    def _record(self, i: int) -> dict:
        if self._records is None:
            # Column lists, not DataFrame.to_dict: much faster with pandas' Arrow strings.
            self._records = {c: self.entries[c].tolist() for c in COLUMNS}
        rec = {c: self._records[c][i] for c in COLUMNS}
        rec["lat"], rec["lon"] = float(rec["lat"]), float(rec["lon"])
        rec["population"] = int(rec["population"])
        return rec

    def records(self) -> list[dict]:
        """Every entry as a dict (``COLUMNS`` keys), in table order.

        Several times faster than ``entries.to_dict("records")`` with pandas' Arrow strings.
        """
        return [self._record(i) for i in range(len(self.entries))]

    # ------------------------------------------------------------------ lookups
    def __len__(self) -> int:
        return len(self.entries)

    def get(self, place_id: str) -> dict | None:
        """The entry with this id (``"gn:170063"``, ``"adm1:SY-02"``...), or None."""
        i = self._pos.get(place_id) if isinstance(place_id, str) else None
        return None if i is None else self._record(i)

    def aliases(self) -> Iterator[tuple[str, str]]:
        """Yield ``(surface_name, id)`` for every name and alias of every entry.

        For building a spaCy matcher; names repeat across entries ("Aleppo" the city and the
        governorate), each pair once. Aliases in scripts other than Latin and Arabic (Cyrillic,
        Chinese...) are left out: English reporting does not use them, and they are neither
        indexed nor matched.
        """
        for pid, name, aliases in zip(self.entries["id"], self.entries["name"], self.entries["aliases"]):
            seen = set()
            for j, n in enumerate([name, *str(aliases).split("|")]):
                n = n.strip()
                if n and n not in seen and (j == 0 or usable_name(n)):
                    seen.add(n)
                    yield n, pid

    @staticmethod
    def _query_key(name: Any) -> str:
        if not isinstance(name, str) or not name.strip() or len(name) > _MAX_QUERY_CHARS:
            return ""
        return compact(name)

    def lookup(self, name: str) -> list[dict]:
        """Entries whose name or an alias has the same folded key as ``name``, best first.

        Parameters
        ----------
        name : str
            A place name in any common spelling ("Deir ez-Zor", "Dayr az Zawr", "دير الزور").

        Returns
        -------
        list of dict
            Possibly empty; never raises on odd input.
        """
        return [c.entry for c in self.search(name, limit=50, fuzzy=False)]

    def search(
        self,
        name: str,
        limit: int = 10,
        country_code: str | Iterable[str] | None = None,
        level: str | Iterable[str] | None = None,
        near: Any = None,
        fuzzy: bool = True,
        min_similarity: float = 85.0,
    ) -> list[Candidate]:
        """Candidates for a place name, best first, scored as the pipeline scores them.

        Parameters
        ----------
        name : str
            The name as written.
        limit : int, default 10
            At most this many candidates.
        country_code : str or iterable of str, optional
            Keep only these ISO alpha-2 countries.
        level : str or iterable of str, optional
            Keep only these levels (``town``, ``governorate``...).
        near : (lat, lon) or geopy Point, optional
            Prefer places close to this point (context of the mention).
        fuzzy : bool, default True
            Add near-miss spellings of places in the region (rapidfuzz ratio on compact keys at
            least ``min_similarity`` (0-100) similar) when no name matches.

        Returns
        -------
        list of Candidate
            Empty for an unknown name, unusable input, or when no reading reaches
            :data:`geomap.settings.min_place_confidence`.

        Notes
        -----
        The readings are those the pipeline's matcher finds (:meth:`PlaceIndex.readings`),
        checked for spelling (:func:`ranking.check_spelling`) and ranked as a document of one
        mention (:func:`ranking.rank_mentions`); ``score`` is the confidence of each reading
        (:func:`ranking.confidences`).
        """
        m = self._mention(name, country_code, level, fuzzy, min_similarity)
        if m is None or limit <= 0:
            return []
        anchors = None
        if near is not None:
            lat, lon = as_latlon(near)
            anchors = [(lat, lon, None, "")]
        ranking.rank_mentions([m], self.place_index(), anchors=anchors)
        return self._candidates(name, m, limit)

    @property
    def _last_unresolved(self) -> bool:
        """Whether the last ranked name was left unresolved by the ranking (thread-local)."""
        return getattr(_LAST, "unresolved", False)

    def _mention(
        self,
        name: Any,
        country_code,
        level,
        fuzzy: bool,
        min_similarity: float = 85.0,
    ) -> ranking.Mention | None:
        """The readings of ``name`` as a pipeline mention (None when it has none)."""
        if not self._query_key(name):
            return None
        pindex = self.place_index()
        readings = pindex.readings(name, fuzzy=False)
        if not readings and level is None:
            generic = generic_suffix(name)
            if generic is not None:
                # "Aleppo province", "Idlib countryside": the place the generic word qualifies.
                head, levels = generic
                return self._mention(head, country_code, levels, fuzzy, min_similarity)
        if not readings and fuzzy:
            readings = pindex.readings(name, fuzzy=True, cutoff=min_similarity)
        if country_code:
            codes = {country_code} if isinstance(country_code, str) else set(country_code)
            readings = [(p, q) for p, q in readings if pindex.entry(p).get("country_code") in codes]
        if level:
            wanted_levels = {level} if isinstance(level, str) else set(level)
            readings = [(p, q) for p, q in readings if pindex.entry(p).get("level") in wanted_levels]
        kept, spell = ranking.check_spelling(pindex, name, readings)
        if not kept:
            return None
        return ranking.Mention(0, 1, fold(name), kept, spell=spell)

    def _candidates(self, name: str, m: ranking.Mention, limit: int) -> list[Candidate]:
        """Candidates of a ranked mention, best first; none when the best is below threshold."""
        conf = ranking.confidences(m)
        if m.chosen in conf:  # the document's decision ("one place written twice") is the score
            conf[m.chosen] = max(conf[m.chosen], m.confidence)
        _LAST.unresolved = m.chosen is None
        if not conf or max(conf.values()) < settings.min_place_confidence:
            return []
        pindex = self.place_index()
        order = sorted(range(len(m.scored)), key=lambda r: (-conf[m.scored[r][1]], r))[:limit]
        out = []
        if m.chosen and m.chosen not in conf:
            # Tied homonyms: the unit they share comes first, so ``geocode`` never picks one.
            out.append(Candidate(self.get(m.chosen) or pindex.entry(m.chosen), m.confidence, "shared", ""))
        for r in order:
            pid = m.scored[r][1]
            entry = self.get(pid) or pindex.entry(pid)
            kind, matched = match_kind(name, entry)
            out.append(Candidate(entry, conf[pid], kind, matched))
        return out[:limit]

    def resolve(self, name: str, context: str | None = None, limit: int = 10) -> list[Candidate]:
        """Candidates for ``name`` ranked with the other places named in ``context``.

        Parameters
        ----------
        name : str
            The mention.
        context : str, optional
            Surrounding text (the sentence or article). Every other gazetteer name in it
            (capitalised, up to three words) becomes a mention of the same document, and the
            document is ranked as the pipeline ranks one (:func:`ranking.rank_mentions`): a
            reading near the other places or in their governorate gains.

        Returns
        -------
        list of Candidate
            Best first; what ``geomap resolve NAME --context TEXT`` prints.
        """
        m = self._mention(name, None, None, True)
        if m is None:
            return []
        others = self._context_mentions(context, m.key) if isinstance(context, str) and context else []
        ranking.rank_mentions([m, *others], self.place_index())
        return self._candidates(name, m, limit)

    def _context_mentions(self, context: str, own_key: str) -> list[ranking.Mention]:
        """Gazetteer names in a text (verbatim or folded, capitalised, up to three words)."""
        pindex = self.place_index()
        words = [w for w in _CONTEXT_WORD.finditer(context[:_MAX_CONTEXT_CHARS])]
        out = []
        k = 0
        while k < len(words):
            found = None
            if words[k].group()[:1].isupper():
                for n in (3, 2, 1):
                    if k + n > len(words):
                        continue
                    text = context[words[k].start() : words[k + n - 1].end()]
                    key = fold(text)
                    cands = pindex.readings(text, fuzzy=False) if key and key != own_key else []
                    kept, spell = ranking.check_spelling(pindex, text, cands)
                    if kept:
                        found = (n, ranking.Mention(k, k + n, key, kept, spell=spell))
                        break
            if found:
                out.append(found[1])
                k += found[0]
            else:
                k += 1
        return out

    # ------------------------------------------------------------------ geopy interface
    @staticmethod
    def _location(entry: dict, extra: dict) -> Location:
        parts = [entry["name"]]
        if entry.get("admin1") and entry["admin1"] != entry["name"]:
            parts.append(entry["admin1"])
        if entry.get("country_code"):
            parts.append(entry["country_code"])
        raw = dict(entry)
        raw.update(extra)
        return Location(", ".join(parts), (entry["lat"], entry["lon"]), raw)

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        timeout: Any = None,
        limit: int | None = None,
        country_codes: str | Iterable[str] | None = None,
        level: str | Iterable[str] | None = None,
        near: Any = None,
        **kwargs: Any,
    ) -> Location | list[Location] | None:
        """Geocode a place name offline (geopy interface).

        Parameters
        ----------
        query : str
            Place name in any common spelling.
        exactly_one : bool, default True
            Return the best ``Location`` (or None) instead of a list.
        timeout : ignored
            Accepted for geopy compatibility; nothing goes over the network.
        limit : int, optional
            Maximum number of results when ``exactly_one`` is False (default 10).
        country_codes, level, near
            As ``country_code``, ``level``, ``near`` of :meth:`search`.

        Returns
        -------
        geopy.location.Location, list of Location, or None
            ``Location.raw`` is the gazetteer entry plus ``score`` and ``match``.
        """
        if isinstance(query, dict):
            query = " ".join(str(v) for v in query.values())
        cands = self.search(
            query, limit=1 if exactly_one else (limit or 10), country_code=country_codes, level=level, near=near
        )
        if cands and self._last_unresolved:
            # The ranking left the name unresolved (tied homonyms sharing no unit): no guess.
            cands = []
        locs = [self._location(c.entry, {"score": c.score, "match": c.match}) for c in cands]
        if exactly_one:
            return locs[0] if locs else None
        return locs or None

    # ------------------------------------------------------------------ info
    def info(self) -> dict:
        """What the gazetteer holds, for ``geomap gazetteer info``.

        Returns
        -------
        dict
            ``entries``, ``names`` (names + aliases), ``by_level``, ``by_source``,
            ``by_country``, ``files`` (path, bytes, modified), ``overlay_rows``, ``versions``.
        """
        import geomap

        files = {}
        paths = [self.places_path, self.overlay_path]
        if self.directory is not None:
            paths += [
                self.directory / "governorates.geojson",
                self.directory / "countries.geojson",
                self.directory / "demonyms.tsv",
            ]
        for p in paths:
            if p is not None and Path(p).is_file():
                st = Path(p).stat()
                files[str(p)] = {"bytes": st.st_size, "modified": pd.Timestamp(st.st_mtime, unit="s").isoformat()}
        n_names = int(sum(1 for _ in self.aliases()))
        return {
            "entries": int(len(self.entries)),
            "names": n_names,
            "by_level": dict(Counter(self.entries["level"].tolist()).most_common()),
            "by_source": dict(Counter(self.entries["source"].tolist()).most_common()),
            "by_country": dict(Counter(self.entries["country_code"].tolist()).most_common()),
            "files": files,
            "overlay_rows": int(self.overlay_rows),
            "versions": {"geomap": getattr(geomap, "__version__", ""), "index": INDEX_VERSION},
        }

    def __repr__(self) -> str:
        return f"<Gazetteer {len(self.entries)} places from {self.directory}>"


# The default gazetteer's index, built once per process and file version (here, beside the
# Gazetteer it is built from: index.py never imports this module).


@lru_cache(maxsize=4)
def _build_index(folder: str | None, signature: tuple) -> PlaceIndex:
    """The default gazetteer's (or ``folder``'s) :meth:`Gazetteer.place_index` (see ``place_index``)."""
    gaz = Gazetteer.default() if folder is None else Gazetteer(Path(folder))
    return gaz.place_index()


def place_index(folder: str | None = None) -> PlaceIndex:
    """The folded alias index of a gazetteer folder, built once per process and file version.

    Parameters
    ----------
    folder : str, optional
        Gazetteer folder; defaults to ``geomap.settings.gazetteer_dir`` (plus the user overlay).
    """
    return _build_index(folder, file_signature(folder))


place_index.cache_clear = _build_index.cache_clear  # type: ignore[attr-defined]
