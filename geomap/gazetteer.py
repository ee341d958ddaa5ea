"""The offline gazetteer: Syrian places (and neighbours) as a geopy ``Geocoder``.

``Gazetteer()`` reads ``places.tsv`` from :data:`geomap.settings.gazetteer_dir` and the user
overlay written by ``geomap gazetteer import`` (``places-overlay.tsv`` in
:data:`geomap.settings.data_dir`); overlay rows replace embedded rows with the same id. Names
and aliases are indexed by the folded key of :func:`geomap.text.compact`, so the spellings of
one Arabic name meet. Nothing here ever touches the network.

>>> gaz = Gazetteer.default()
>>> gaz.geocode("Deir ez-Zor").raw["id"]        # doctest: +SKIP
'gn:170794'
"""

from __future__ import annotations

import csv
import gc
import hashlib
import json
import math
import os
import pickle
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import numpy as np
import pandas as pd
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from geomap import settings
from geomap.errors import GazetteerError
from geomap.text import compact, fold_tokens, light, usable_name

__all__ = [
    "Gazetteer",
    "Candidate",
    "COLUMNS",
    "LEVELS",
    "OVERLAY_FILENAME",
    "read_places_tsv",
    "write_places_tsv",
]

#: Columns of ``places.tsv`` and of the overlay, in file order.
COLUMNS = [
    "id",
    "name",
    "aliases",
    "lat",
    "lon",
    "level",
    "feature_code",
    "population",
    "country_code",
    "admin1",
    "source",
    "coord_note",
]
#: Values of the ``level`` column, finest first.
LEVELS = ("neighbourhood", "town", "district", "governorate", "region", "country")
#: File name of the user overlay inside ``settings.data_dir``.
OVERLAY_FILENAME = "places-overlay.tsv"
# Bump when text.fold or the index layout changes, so cached indexes are rebuilt.
_INDEX_VERSION = "4"
# A place name is short; anything longer is not worth folding or fuzzy matching.
_MAX_QUERY_CHARS = 200
_EARTH_RADIUS_KM = 6371.0088

# How likely a bare mention refers to a place of this kind (capitals and big admin units first).
_FEATURE_PRIOR = {
    "PCLI": 1.0,
    "PCLD": 0.9,
    "PPLC": 1.0,
    "ADM1": 0.75,
    "PPLA": 0.8,
    "PPLA2": 0.6,
    "ADM2": 0.55,
    "PPLA3": 0.5,
    "PPLA4": 0.45,
    "ADM3": 0.4,
    "RGN": 0.5,
    "AIRP": 0.45,
    "AIRB": 0.45,
    "MILB": 0.4,
    "CMP": 0.35,
    "CMPRF": 0.35,
    "PSTB": 0.35,
    "PPL": 0.3,
    "PPLX": 0.25,
}
# Syria's neighbours (and Palestine, Cyprus): reporting on the war names them often.
_NEIGHBOURS = frozenset({"TR", "IQ", "LB", "JO", "IL", "PS", "CY"})
_LEVEL_PRIOR = {
    "country": 0.9,
    "governorate": 0.7,
    "region": 0.5,
    "district": 0.5,
    "town": 0.3,
    "neighbourhood": 0.2,
}


@dataclass(frozen=True)
class Candidate:
    """One possible reading of a place name.

    Attributes
    ----------
    entry : dict
        The gazetteer row (``COLUMNS`` keys; ``lat``/``lon`` float, ``population`` int).
    score : float
        In [0, 1]; higher is better. Comparable across one ``search`` call.
    match : str
        ``"exact"`` (the folded query equals the preferred name), ``"alias"`` (equals another
        listed name) or ``"fuzzy"`` (close to a name after folding).
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


def read_places_tsv(path: str | os.PathLike) -> pd.DataFrame:
    """Read a gazetteer TSV (``places.tsv`` or an overlay) and check it.

    Parameters
    ----------
    path : path-like
        The file.

    Returns
    -------
    pandas.DataFrame
        ``COLUMNS`` in order; ``lat``/``lon`` float64, ``population`` int64, text columns str.

    Raises
    ------
    GazetteerError
        The file is missing, not UTF-8, lacks the ``id``/``name``/``lat``/``lon`` columns, or
        has a row whose coordinates are not numbers in range (the message gives the line).
    """
    path = Path(path)
    if not path.is_file():
        raise GazetteerError(
            f"Gazetteer file {path} does not exist. Point GEOMAP_GAZETTEER_DIR (or "
            "geomap.settings.gazetteer_dir) at the folder holding places.tsv, or reinstall geomap."
        )
    try:
        df = pd.read_csv(
            path,
            sep="\t",
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            quoting=csv.QUOTE_NONE,
            encoding="utf-8",
        )
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, OSError) as exc:
        raise GazetteerError(
            f"Gazetteer file {path} cannot be read ({exc}). Restore it from the geomap "
            "distribution, or delete it if it is an overlay and re-run `geomap gazetteer import`."
        ) from exc
    missing = [c for c in ("id", "name", "lat", "lon") if c not in df.columns]
    if missing:
        raise GazetteerError(
            f"Gazetteer file {path} lacks the column(s) {', '.join(missing)} (line 1 is the "
            f"header; expected {', '.join(COLUMNS)}). Restore the file or re-run the import."
        )
    for col in COLUMNS:
        if col not in df.columns:
            df[col] = ""
    df = df[COLUMNS].copy()
    for col in ("lat", "lon"):
        values = pd.to_numeric(df[col], errors="coerce")
        limit = 90 if col == "lat" else 180
        bad = values.isna() | (values.abs() > limit)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise GazetteerError(
                f"Gazetteer file {path}, line {i + 2}: {col} {df[col].iat[i]!r} is not a "
                "coordinate. Fix or delete that row, or restore the file."
            )
        df[col] = values.astype("float64")
    df["population"] = (
        pd.to_numeric(df["population"], errors="coerce").fillna(0).clip(lower=0).astype("int64")
    )
    if (df["id"] == "").any():
        i = int(np.flatnonzero((df["id"] == "").to_numpy())[0])
        raise GazetteerError(f"Gazetteer file {path}, line {i + 2}: empty id. Fix or delete that row.")
    return df


def write_places_tsv(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write rows in the gazetteer schema atomically (temporary file, then ``os.replace``).

    Parameters
    ----------
    df : pandas.DataFrame
        Rows with (at least some of) ``COLUMNS``; missing columns are written empty.
    path : path-like
        Destination; its folder is created if needed.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = df.copy()
    for col in COLUMNS:
        if col not in out.columns:
            out[col] = ""
    out = out[COLUMNS]
    # Tabs and newlines inside a value would break the one-row-per-line format.
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype).startswith("str"):
            out[col] = out[col].astype(str).str.replace(r"[\t\r\n]+", " ", regex=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        out.to_csv(tmp, sep="\t", index=False, quoting=csv.QUOTE_NONE, escapechar=None, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _haversine_km(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    p1, p2 = math.radians(lat), np.radians(lats)
    dphi = p2 - p1
    dl = np.radians(lons) - math.radians(lon)
    a = np.sin(dphi / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def _as_latlon(query: Any) -> tuple[float, float]:
    if isinstance(query, (tuple, list)) and len(query) == 2:
        return float(query[0]), float(query[1])
    p = Point(query)
    return float(p.latitude), float(p.longitude)


class Gazetteer(Geocoder):
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
        self.headers = {}
        self.ssl_context = None
        self.adapter = None
        self.directory = Path(directory) if directory is not None else Path(settings.gazetteer_dir)
        self.places_path = self.directory / "places.tsv"
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
        self._file_sigs = [str(self.places_path), _stat_sig(self.places_path)]
        if self.overlay_path is not None:
            self._file_sigs += [str(self.overlay_path), _stat_sig(self.overlay_path)]
        base = read_places_tsv(self.places_path)
        self.overlay_rows = 0
        if self.overlay_path is not None:
            extra = read_places_tsv(self.overlay_path)
            self.overlay_rows = len(extra)
            base = pd.concat([base[~base["id"].isin(set(extra["id"]))], extra], ignore_index=True)
        self._init_frame(base.drop_duplicates("id", keep="last").reset_index(drop=True))

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_dataframe(cls, df: pd.DataFrame) -> "Gazetteer":
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
        frame = df.copy()
        for col in COLUMNS:
            if col not in frame.columns:
                frame[col] = 0 if col == "population" else ""
        frame = frame[COLUMNS].astype({"lat": "float64", "lon": "float64"})
        frame["population"] = pd.to_numeric(frame["population"], errors="coerce").fillna(0).astype("int64")
        for col in COLUMNS:
            if col not in ("lat", "lon", "population"):
                frame[col] = frame[col].fillna("").astype(str)
        self._init_frame(frame.drop_duplicates("id", keep="last").reset_index(drop=True))
        return self

    @classmethod
    def default(cls) -> "Gazetteer":
        """The shared gazetteer for the current settings, loaded once per process.

        Reloaded when ``settings.gazetteer_dir``/``settings.data_dir`` change or the files
        change on disk (e.g. after ``geomap gazetteer import``).
        """
        directory = Path(settings.gazetteer_dir)
        overlay = Path(settings.data_dir) / OVERLAY_FILENAME
        key = (str(directory), str(overlay), _stat_sig(directory / "places.tsv"), _stat_sig(overlay))
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
        self._lats = frame["lat"].to_numpy(dtype="float64")
        self._lons = frame["lon"].to_numpy(dtype="float64")
        pop = frame["population"].to_numpy(dtype="float64")
        pop_term = np.clip(np.log10(pop + 1.0) / 7.0, 0, 1)
        feat = frame["feature_code"].map(_FEATURE_PRIOR)
        feat = feat.fillna(frame["level"].map(_LEVEL_PRIOR)).fillna(0.3).to_numpy(dtype="float64")
        cc = frame["country_code"]
        focus = np.where(cc == "SY", 1.0, np.where(cc.isin(_NEIGHBOURS), 0.5, 0.0))
        self._prior = 0.35 * pop_term + 0.25 * feat + 0.4 * focus
        self._index: dict[str, list[tuple[int, str]]] | None = None
        self._names: list[str] = frame["name"].tolist()
        self._keys: list[str] | None = None
        self._index_lock = threading.Lock()
        self._shapes: dict[str, Any] = {}

    # ------------------------------------------------------------------ index
    def _set_keys(self, index: dict) -> None:
        # Fuzzy blocking: keys grouped by first letter (after folding, initial vowels, q/k,
        # c/k already agree, so real variants share it) and sorted by length, with the offset
        # where each length starts. A scan reads only keys that can reach the cutoff.
        self._keys = list(index)
        blocks: dict[str, list[str]] = {}
        for k in self._keys:
            blocks.setdefault(k[0], []).append(k)
        self._blocks = {}
        for first, keys in blocks.items():
            keys.sort(key=len)
            starts: dict[int, int] = {}
            for pos, k in enumerate(keys):
                starts.setdefault(len(k), pos)
            self._blocks[first] = (keys, starts)

    def _fuzzy_choices(self, key: str, cutoff: float) -> list[str]:
        keys, starts = self._blocks.get(key[0], ([], {}))
        if not keys:
            return []
        n = len(key)
        lo = math.ceil(n * cutoff / (200.0 - cutoff))
        hi = math.floor(n * (200.0 - cutoff) / cutoff)
        start = next((starts[m] for m in range(lo, hi + 1) if m in starts), None)
        if start is None:
            return []
        end = next((starts[m] for m in range(hi + 1, max(starts) + 1) if m in starts), len(keys))
        return keys[start:end]

    def _cache_path(self) -> Path | None:
        if self.places_path is None:
            return None
        parts = [_INDEX_VERSION, *getattr(self, "_file_sigs", [str(self.places_path)])]
        digest = hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16]
        return Path(settings.data_dir) / "cache" / f"gazetteer-index-{digest}.pickle"

    def _ensure_index(self) -> None:
        if self._index is not None:
            return
        with self._index_lock:
            if self._index is not None:
                return
            cache = self._cache_path()
            if cache is not None and cache.is_file():
                # Many small objects: the cyclic GC would scan them repeatedly while they load.
                gc_was_on = gc.isenabled()
                gc.disable()
                try:
                    with open(cache, "rb") as fh:
                        index, self._keys, self._blocks = pickle.load(fh)
                    self._index = index
                    return
                except Exception:  # a stale or partial cache is rebuilt, never trusted
                    pass
                finally:
                    if gc_was_on:
                        gc.enable()
            # key -> [(row, name)], name "" for the preferred name; every distinct spelling
            # is kept so a query can be checked for a verbatim match.
            index: dict[str, list[tuple[int, str]]] = {}
            gc_was_on = gc.isenabled()
            gc.disable()
            names_col = self._names
            aliases_col = self.entries["aliases"].tolist()
            for i, (name, aliases) in enumerate(zip(names_col, aliases_col)):
                seen: set[str] = set()
                for j, n in enumerate([name, *aliases.split("|")] if aliases else [name]):
                    n = n.strip()
                    if not n or n in seen or (j and not usable_name(n)):
                        continue
                    seen.add(n)
                    k = compact(n)
                    if k:
                        index.setdefault(k, []).append((i, n if j else ""))
            if gc_was_on:
                gc.enable()
            self._set_keys(index)
            self._index = index
            if cache is not None:
                try:
                    cache.parent.mkdir(parents=True, exist_ok=True)
                    tmp = cache.with_name(cache.name + f".{os.getpid()}.tmp")
                    with open(tmp, "wb") as fh:
                        pickle.dump((index, self._keys, self._blocks), fh, protocol=pickle.HIGHEST_PROTOCOL)
                    os.replace(tmp, cache)
                except OSError:
                    pass  # a read-only data dir only costs the rebuild next time

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

    def _query_key(self, name: Any) -> str:
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
        """Candidates for a place name, best first.

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
            Add near-miss spellings (rapidfuzz ratio on folded keys) when they are at least
            ``min_similarity`` (0-100) similar.

        Returns
        -------
        list of Candidate
            Empty for an unknown name or unusable input.

        Notes
        -----
        ``score = quality * (0.7 + 0.3 * prior)``. Quality is 1 for the preferred name, 0.97
        for an alias, minus 0.15 when only the folded key (not the spelling) agrees, and 0.3 to
        0.6 for fuzzy matches (85-100 % similar folded keys). The prior mixes population (0.35),
        feature code (0.25: capitals, governorates first) and focus (0.4: Syria 1, its
        neighbours 0.5); with ``near`` half of it is proximity (e-folding distance 100 km).
        """
        key = self._query_key(name)
        if not key or limit <= 0:
            return []
        self._ensure_index()
        if key not in self._index and level is None:
            generic = _generic_suffix(name)
            if generic is not None:
                # "Aleppo province", "Idlib countryside": the place the generic word qualifies.
                head, levels = generic
                return [
                    Candidate(c.entry, round(c.score * 0.95, 4), c.match, c.matched_name)
                    for c in self.search(head, limit, country_code, levels, near, fuzzy, min_similarity)
                ]
        qlight = light(name)
        found: dict[int, tuple[float, str, str]] = {}
        for i, alias in self._index.get(key, ()):
            matched = alias or self._names[i]
            q = 0.97 if alias else 1.0
            if light(matched) != qlight:
                q -= 0.15
            if i not in found or q > found[i][0]:
                found[i] = (q, "alias" if alias else "exact", matched)
        if fuzzy and len(key) >= 5:
            from rapidfuzz import fuzz, process

            # One edit in a short key is already a big change: ask more of short names.
            cutoff = max(min_similarity, 90.0 if len(key) <= 6 else 0.0)
            hits = process.extract(
                key, self._fuzzy_choices(key, cutoff), scorer=fuzz.ratio, limit=max(limit * 3, 20), score_cutoff=cutoff
            )
            for k, sim, _ in hits:
                if k == key:
                    continue
                # 0.3 at 85 % similarity up to 0.6 near 100 %: a near miss stays below the
                # pipeline's confidence threshold unless it is very close.
                q = 0.6 * max(0.0, sim - 70.0) / 30.0
                for i, alias in self._index[k]:
                    if i not in found or q > found[i][0]:
                        found[i] = (q, "fuzzy", alias or self._names[i])
        if not found:
            return []
        idx = np.fromiter(found.keys(), dtype=np.int64, count=len(found))
        keep = np.ones(len(idx), dtype=bool)
        if country_code:
            codes = {country_code} if isinstance(country_code, str) else set(country_code)
            keep &= np.isin(self.entries["country_code"].to_numpy()[idx], list(codes))
        if level:
            levels = {level} if isinstance(level, str) else set(level)
            keep &= np.isin(self.entries["level"].to_numpy()[idx], list(levels))
        idx = idx[keep]
        if len(idx) == 0:
            return []
        prior = self._prior[idx]
        if near is not None:
            lat, lon = _as_latlon(near)
            d = _haversine_km(lat, lon, self._lats[idx], self._lons[idx])
            prior = 0.5 * prior + 0.5 * np.exp(-d / 100.0)
        quality = np.array([found[int(i)][0] for i in idx])
        scores = np.clip(quality * (0.7 + 0.3 * prior), 0.0, 1.0)
        order = np.lexsort((-prior, -scores))[:limit]
        out = []
        for o in order:
            i = int(idx[o])
            q, match, matched = found[i]
            out.append(Candidate(self._record(i), round(float(scores[o]), 4), match, matched))
        return out

    def resolve(self, name: str, context: str | None = None, limit: int = 10) -> list[Candidate]:
        """Candidates for ``name`` re-ranked by other place names found in ``context``.

        Parameters
        ----------
        name : str
            The mention.
        context : str, optional
            Surrounding text (the sentence or article). A candidate gains up to 0.1 when its
            governorate or country is named there, or when it lies within 50 km of another
            place named there.

        Returns
        -------
        list of Candidate
            Best first; what ``geomap resolve NAME --context TEXT`` prints.
        """
        cands = self.search(name, limit=max(limit, 10))
        if not cands or not context or not isinstance(context, str):
            return cands[:limit]
        ctx_tokens = fold_tokens(context[:20000])
        ctx_text = " " + " ".join(ctx_tokens) + " "
        own = {c.entry["id"] for c in cands}
        # Places named in the context: n-grams of up to three words that are exact names.
        others: list[int] = []
        self._ensure_index()
        for n in (1, 2, 3):
            for s in range(len(ctx_tokens) - n + 1):
                k = "".join(ctx_tokens[s : s + n])
                for i, _ in self._index.get(k, ())[:3]:
                    if self.entries["id"].iat[i] not in own:
                        others.append(i)
        rescored = []
        for c in cands:
            bonus = 0.0
            admin = " ".join(fold_tokens(c.entry.get("admin1", "")))
            if admin and f" {admin} " in ctx_text:
                bonus += 0.05
            if others:
                o = np.array(sorted(set(others)))
                d = _haversine_km(c.entry["lat"], c.entry["lon"], self._lats[o], self._lons[o])
                if (d < 50).any():
                    bonus += 0.05
            rescored.append(Candidate(c.entry, round(min(1.0, c.score + bonus), 4), c.match, c.matched_name))
        rescored.sort(key=lambda c: -c.score)
        return rescored[:limit]

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
        cands = self.search(query, limit=1 if exactly_one else (limit or 10), country_code=country_codes, level=level, near=near)
        locs = [self._location(c.entry, {"score": c.score, "match": c.match}) for c in cands]
        if exactly_one:
            return locs[0] if locs else None
        return locs or None

    def reverse(
        self,
        query: Any,
        *,
        exactly_one: bool = True,
        timeout: Any = None,
        limit: int | None = None,
        level: str | Iterable[str] | None = None,
        max_distance_km: float | None = None,
        **kwargs: Any,
    ) -> Location | list[Location] | None:
        """Nearest gazetteer place(s) to a point (geopy interface).

        Parameters
        ----------
        query : (lat, lon), "lat, lon" or geopy Point
            The point.
        exactly_one : bool, default True
            Return the nearest ``Location`` instead of a list.
        limit : int, optional
            Number of places when ``exactly_one`` is False (default 5).
        level : str or iterable of str, optional
            Only places of these levels (e.g. ``"town"``).
        max_distance_km : float, optional
            Ignore places farther than this.

        Returns
        -------
        Location, list of Location, or None
            ``raw`` carries the entry plus ``distance_km``.
        """
        try:
            lat, lon = _as_latlon(query)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"reverse() needs a point (lat, lon); got {query!r}") from exc
        if len(self.entries) == 0:
            return None if exactly_one else []
        d = _haversine_km(lat, lon, self._lats, self._lons)
        mask = np.ones(len(d), dtype=bool)
        if level:
            levels = [level] if isinstance(level, str) else list(level)
            mask &= self.entries["level"].isin(levels).to_numpy()
        if max_distance_km is not None:
            mask &= d <= max_distance_km
        cand = np.flatnonzero(mask)
        if len(cand) == 0:
            return None if exactly_one else []
        n = 1 if exactly_one else (limit or 5)
        dc = np.round(d[cand], 3)
        part = np.argpartition(dc, n - 1)[:n] if n < len(dc) else np.arange(len(dc))
        # Equal distances (a town and the district named after it share a point): the more
        # prominent place first.
        order = cand[part[np.lexsort((-self._prior[cand[part]], dc[part]))]]
        locs = [self._location(self._record(int(i)), {"distance_km": round(float(d[i]), 3)}) for i in order]
        return locs[0] if exactly_one else locs

    # ------------------------------------------------------------------ polygons
    def _polygons(self, filename: str):
        if filename in self._shapes:
            return self._shapes[filename]
        result = None
        path = None if self.directory is None else self.directory / filename
        if path is not None and path.is_file():
            from shapely.geometry import shape
            from shapely.strtree import STRtree

            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                feats = [f for f in data.get("features", []) if f.get("geometry")]
                geoms = [shape(f["geometry"]) for f in feats]
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise GazetteerError(
                    f"Gazetteer file {path} is not valid GeoJSON ({exc}). Restore it from the "
                    "geomap distribution."
                ) from exc
            result = (STRtree(geoms), geoms, [dict(f.get("properties") or {}) for f in feats])
        self._shapes[filename] = result
        return result

    def _polygon_at(self, filename: str, lat: float, lon: float, tolerance_deg: float = 0.05) -> dict | None:
        polys = self._polygons(filename)
        if polys is None:
            return None
        try:
            lat, lon = float(lat), float(lon)
        except (TypeError, ValueError):
            return None
        if not (math.isfinite(lat) and math.isfinite(lon)):
            return None
        from shapely.geometry import Point as ShapelyPoint

        tree, geoms, props = polys
        pt = ShapelyPoint(lon, lat)
        hits = tree.query(pt, predicate="intersects")
        if len(hits) == 0:
            # Simplified borders cut off towns that sit right on them: accept a near miss.
            near = tree.query(pt.buffer(tolerance_deg))
            if len(near) == 0:
                return None
            hits = [min(near, key=lambda i: geoms[i].distance(pt))]
        return dict(props[int(hits[0])])

    def governorate_at(self, lat: float, lon: float) -> dict | None:
        """The Syrian governorate containing a point, or None.

        Returns
        -------
        dict or None
            The gazetteer entry of the governorate when its id is in the gazetteer, otherwise
            the GeoJSON properties (``id``, ``name``). None outside Syria or without
            ``governorates.geojson``.
        """
        props = self._polygon_at("governorates.geojson", lat, lon)
        if props is None:
            return None
        entry = self.get(props.get("id")) if props.get("id") else None
        return entry if entry is not None else props

    def country_at(self, lat: float, lon: float) -> dict | None:
        """The country (Syria or a neighbour) containing a point: GeoJSON properties
        (``iso_a2``, ``name``), or None outside them or without ``countries.geojson``."""
        return self._polygon_at("countries.geojson", lat, lon)

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
            paths += [self.directory / "governorates.geojson", self.directory / "countries.geojson",
                      self.directory / "demonyms.tsv"]
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
            "versions": {"geomap": getattr(geomap, "__version__", ""), "index": _INDEX_VERSION},
        }

    def __repr__(self) -> str:
        return f"<Gazetteer {len(self.entries)} places from {self.directory}>"


# Trailing generic words and the levels of the place they qualify.
_GENERIC_WORDS = {
    "province": ("governorate",),
    "governorate": ("governorate",),
    "muhafazat": ("governorate",),
    "countryside": ("governorate", "region", "town"),
    "suburbs": ("town",),
    "city": ("town",),
    "town": ("town",),
    "village": ("town",),
    "district": ("district", "town"),
    "region": ("region", "governorate"),
    "area": ("region", "town", "district"),
}


def _generic_suffix(name: str) -> tuple[str, tuple[str, ...]] | None:
    words = name.strip().split()
    if len(words) < 2:
        return None
    levels = _GENERIC_WORDS.get(words[-1].lower().strip(".,;:"))
    if levels is None:
        return None
    return " ".join(words[:-1]), levels


def _stat_sig(path: Path) -> str:
    try:
        st = Path(path).stat()
    except OSError:
        return "-"
    return f"{st.st_size}:{st.st_mtime_ns}"
