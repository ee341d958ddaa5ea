"""The gazetteer index the place matcher uses, and the ranking of candidate entries.

``PlaceIndex`` folds every alias of the gazetteer once per process (``place_index()`` caches it)
into a dict ``folded name -> gazetteer ids``, so recognising a name is one dict look-up.
``rank_mentions`` then picks one entry per mention with every signal the document offers:
match quality, level and population, the article's focus (Syria), explicit containers
("X, Idlib"), distance to the other places of the document and one sense per name.
"""

from __future__ import annotations

import csv
import math
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from geomap import settings

try:  # the gazetteer module is built by another engineer; fall back to reading the TSV.
    from geomap.text import fold as _fold
    from geomap.text import light as _light
except ImportError:  # pragma: no cover - only before geomap.text exists
    _fold = None
    _light = None

_ARTICLES = re.compile(r"^(?:al|el|ar|as|ad|ash|at|az|an|ed|es|er|ez|ag)[- ]", re.I)


def _fallback_fold(s: str) -> str:
    from unidecode import unidecode

    s = unidecode(s).lower().replace("'", "").replace("`", "")
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    return re.sub(r"\b(?:al|el|ar|as|ad|ash|at|az|an|ed|es|er|ez)\b ", "", s)


@lru_cache(maxsize=200_000)
def fold(s: str) -> str:
    """The spelling-folding key (``geomap.text.fold`` when present), cached."""
    if _fold is not None:
        try:
            return _fold(s)
        except Exception:  # noqa: BLE001 - a bad string must not stop a document
            return _fallback_fold(s)
    return _fallback_fold(s)


@lru_cache(maxsize=200_000)
def light(s: str) -> str:
    """Light normalisation (case, diacritics, marks): a verbatim spelling match."""
    if _light is not None:
        return _light(s)
    from unidecode import unidecode

    return " ".join(re.findall(r"[a-z0-9]+", unidecode(s).lower()))


#: Match quality of a spelling that only meets the alias after folding (vowels, digraphs).
FOLDED_MATCH = 0.75


LEVEL_PRIOR = {
    "country": 1.0,
    "governorate": 0.8,
    "region": 0.7,
    "district": 0.45,
    "town": 0.35,
    "neighbourhood": 0.2,
}

#: Countries the news about Syria is about; their places win ties against the rest of the world.
FOCUS = {"SY": 1.0, "TR": 0.45, "IQ": 0.45, "LB": 0.45, "JO": 0.45, "IL": 0.35, "PS": 0.35}


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


def _num(v, default=0.0) -> float:
    try:
        f = float(v)
        return default if math.isnan(f) else f
    except (TypeError, ValueError):
        return default


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
    gazetteer: object = None

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
        return [(pid, 1.0 if pid in verbatim else FOLDED_MATCH) for pid in ids]

    def entry(self, pid: str) -> dict:
        e = self.entries.get(pid)
        if e is None and self.gazetteer is not None:
            try:
                e = _as_dict(self.gazetteer.get(pid))
            except Exception:  # noqa: BLE001
                e = {}
            self.entries[pid] = e
        return e or {}

    def fuzzy(self, name: str, limit: int = 5) -> list[tuple[str, float]]:
        """Fuzzy candidates ``(id, score in [0, 1])`` for a name not found exactly."""
        return _fuzzy_cached(self, name, limit)

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

    def country_id(self, code: str) -> str | None:
        return self._countries.get(code) if hasattr(self, "_countries") else None


@lru_cache(maxsize=20_000)
def _fuzzy_cached(index: PlaceIndex, name: str, limit: int) -> list[tuple[str, float]]:
    """Near-miss spellings: ``(id, 0.85 * similarity of the folded keys)``, best first."""
    from rapidfuzz import fuzz, process

    key = fold(name)
    out: list[tuple[str, float]] = []
    if len(key.replace(" ", "")) < 4:
        return out
    gaz = index.gazetteer
    if gaz is not None and hasattr(gaz, "search"):
        try:
            cands = gaz.search(name, limit=limit, fuzzy=True)
        except Exception:  # noqa: BLE001 - a gazetteer error must not stop a document
            cands = []
        for c in cands:
            entry = _as_dict(getattr(c, "entry", None))
            pid = entry.get("id")
            if not pid:
                continue
            if entry.get("level") == "country" or str(entry.get("country_code", "")).upper() not in FOCUS:
                continue  # a near-miss spelling of a far-away place is noise, not a reading
            index.entries.setdefault(pid, entry)
            matched = getattr(c, "matched_name", "") or entry.get("name", "")
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
    """``article_free`` without spaces: "Dera'a" and "Deraa" meet, "Deir ez-Zor" ~ "Deirezzor"."""
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


PlaceIndex.__hash__ = lambda self: id(self)  # type: ignore[assignment]


def _load_tsv(folder: Path) -> tuple[list[dict], list[tuple[str, str]]]:
    rows: list[dict] = []
    aliases: list[tuple[str, str]] = []
    path = folder / "places.tsv"
    if not path.exists():
        return rows, aliases
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            rows.append(row)
            aliases.append((row["name"], row["id"]))
            for a in (row.get("aliases") or "").split("|"):
                if a.strip():
                    aliases.append((a.strip(), row["id"]))
    return rows, aliases


def _load_demonyms(folder: Path) -> list[tuple[str, str]]:
    path = folder / "demonyms.tsv"
    out: list[tuple[str, str]] = []
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0] and parts[0].lower() != "demonym":
            out.append((parts[0].strip(), parts[1].strip().upper()))
    return out


def _signature(folder: str | None) -> tuple:
    """Size and mtime of the gazetteer files, so an import or edit rebuilds the index."""
    base = Path(folder) if folder else Path(settings.gazetteer_dir)
    paths = [base / "places.tsv", base / "demonyms.tsv"]
    if folder is None:
        paths.append(Path(settings.data_dir) / "places-overlay.tsv")
    sig = []
    for p in paths:
        try:
            st = p.stat()
            sig.append((str(p), st.st_size, st.st_mtime_ns))
        except OSError:
            sig.append((str(p), None, None))
    return tuple(sig)


def place_index(folder: str | None = None) -> PlaceIndex:
    """The folded alias index of a gazetteer folder, built once per process and file version.

    Parameters
    ----------
    folder : str, optional
        Gazetteer folder; defaults to ``geomap.settings.gazetteer_dir`` (plus the user overlay).
    """
    return _build_index(folder, _signature(folder))


place_index.cache_clear = lambda: _build_index.cache_clear()  # type: ignore[attr-defined]


@lru_cache(maxsize=4)
def _build_index(folder: str | None, signature: tuple) -> PlaceIndex:
    """Build the folded alias index (see ``place_index``).

    Parameters
    ----------
    folder : str, optional
        Gazetteer folder; defaults to ``geomap.settings.gazetteer_dir``.

    Returns
    -------
    PlaceIndex
        Empty (no keys) when no gazetteer can be found, so the component still finds the
        NER's places as unresolved mentions.
    """
    folder_path = Path(folder) if folder else Path(settings.gazetteer_dir)
    index = PlaceIndex()
    aliases: list[tuple[str, str]] = []
    try:
        from geomap.gazetteer import Gazetteer

        gaz = Gazetteer.default() if hasattr(Gazetteer, "default") and folder is None else Gazetteer(folder_path)
        index.gazetteer = gaz
        aliases = [(str(a), str(i)) for a, i in gaz.aliases()]
        table = getattr(gaz, "entries", None)
        if table is not None and hasattr(table, "to_dict"):
            for rec in table.to_dict("records"):
                if rec.get("id"):
                    index.entries[str(rec["id"])] = rec
    except Exception:  # noqa: BLE001 - gazetteer module missing or not loadable: read the TSV
        index.gazetteer = None
        rows, aliases = _load_tsv(folder_path)
        for r in rows:
            index.entries[r["id"]] = r
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
    # Countries and governorates by code / name, for demonyms and "X province".
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
    for dem, cc in _load_demonyms(folder_path):
        if cc in countries:
            index.demonyms[light(dem)] = countries[cc]
    return index


# --------------------------------------------------------------------------- ranking


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


@dataclass
class Mention:
    """One recognised name and what is known about it before ranking."""

    start: int  # token offsets
    end: int
    key: str  # folded name
    candidates: list[tuple[str, float]]  # (id, match quality in [0, 1])
    kind: str = "toponym"
    qualifier: str | None = None
    container: int | None = None  # index of the mention that contains this one
    prefer_level: str | None = None  # "governorate" for "Aleppo province"
    ner_place: bool = False
    loose: bool = False  # met only through folding or fuzzy matching
    spell: dict = field(default_factory=dict)  # id -> spelling closeness for near-miss readings
    chosen: str | None = None
    confidence: float = 0.0


def prior_score(e: dict, match: float) -> float:
    """Context-free score of an entry for a name: match, level, population, focus."""
    lvl = LEVEL_PRIOR.get(str(e.get("level")), 0.3)
    pop = _num(e.get("population"))
    pop_s = min(1.0, math.log10(pop + 1) / 6.5) if pop > 0 else 0.0
    focus = FOCUS.get(str(e.get("country_code", "")).upper(), 0.0)
    return 2.0 * match + 0.6 * lvl + 0.8 * pop_s + 0.9 * focus


def _coords(e: dict) -> tuple[float, float] | None:
    lat, lon = _num(e.get("lat"), None), _num(e.get("lon"), None)
    if lat is None or lon is None:
        return None
    return lat, lon


# --------------------------------------------------------------------------- document context
#
# The recogniser hands over mentions with token offsets; the rules below read the words around
# them (place nouns, containers, "and its countryside") and narrow the candidates before
# ranking. Wrong is worse than unresolved: each rule only removes readings or picks among
# them, it never adds a place the text does not name.

#: Place nouns and the gazetteer levels a name they announce can have ("X neighbourhood",
#: "the village of X"). "town" admits neighbourhoods: villages swallowed by a city are still
#: called towns ("the town of Jobar").
LEVEL_NOUNS: dict[str, frozenset] = {
    **dict.fromkeys(("neighbourhood", "neighborhood", "neighbourhoods", "neighborhoods", "quarter",
                     "quarters"), frozenset({"neighbourhood"})),
    **dict.fromkeys(("village", "villages", "hamlet", "hamlets", "farm", "farms"), frozenset({"town"})),
    **dict.fromkeys(("town", "towns", "suburb", "suburbs"), frozenset({"town", "neighbourhood"})),
    **dict.fromkeys(("city", "cities"), frozenset({"town"})),
}
_PLURAL_NOUNS = frozenset(w for w in LEVEL_NOUNS if w.endswith("s")) | {"areas", "localities"}

#: English words that make up generic facility phrases ("the military airport", "the main
#: hospital"): a phrase made only of these names no particular place.
GENERIC_WORDS = frozenset(
    """the a an military civil civilian international main old new central local national nearby
    air airport airbase airfield base bases barracks camp camps checkpoint checkpoints hospital
    school mosque church prison bridge road highway street square roundabout market dam field
    fields oil gas station power plant factory factories silos mill mills plant refinery
    company brigade battalion regiment division academy college university stadium hill hills
    mount mountain mountains river lake desert plain valley border crossing city town village
    area zone district province countryside neighbourhood neighborhood quarter suburb suburbs
    outskirts entrance centre center front frontline frontlines industrial zone housing
    complex building buildings headquarters hq compound""".split()
)

#: Arabic head words that begin a longer name: a match right after one of them ("Deir" +
#: "Harasta" in "Tell Harasta") is only the tail of a name the gazetteer does not hold.
NAME_HEADS = frozenset(
    """deir dayr dair tal tall tell til ain ayn ein kafr kfar kafar kefr jabal jebel jabel khirbet
    khirbat kherbet ras wadi jisr beit bayt beyt umm um om marj qasr hay hayy harat maarat
    maaret maarrat mazraat mazraa qalat qalaat qalaa khan hosh housh bir tallat arab""".split()
)

#: Words after "X and its ..." that widen X to its governorate.
_ITS_AREA = frozenset({"countryside", "countrysides", "suburbs", "environs", "surroundings", "outskirts",
                       "province", "governorate", "rural", "countryside."})

_ARTICLE_TOKENS = frozenset("al el il ul ad adh an ar as ash at ath az ed en er es esh et ez - ‐ ' ’".split())


def _tok(doc, i: int):
    return doc[i] if 0 <= i < len(doc) else None


def _level_noun(doc, m: "Mention", ends: set[int]) -> frozenset | None:
    """The levels a place noun next to the mention allows, or None when no noun says.

    Only the readings that make the name the place the noun introduces: "the X
    neighbourhood", "the village of X", "the villages of A, B and C". Where English uses the
    noun for a part of X ("two Aleppo neighbourhoods", "a neighbourhood of Damascus", "the
    towns of Hama"), X is the container and nothing is constrained.
    """
    nxt = _tok(doc, m.end)
    if nxt is not None and nxt.lower_ in LEVEL_NOUNS and nxt.lower_ not in _PLURAL_NOUNS:
        after = _tok(doc, m.end + 1)
        # "the Damascus neighbourhood of Jobar": the noun belongs to the name after "of".
        if after is None or after.lower_ != "of":
            return LEVEL_NOUNS[nxt.lower_]
    prev, prev2 = _tok(doc, m.start - 1), _tok(doc, m.start - 2)
    if prev is not None and prev2 is not None and prev.lower_ == "of" and prev2.lower_ in LEVEL_NOUNS:
        if m.start - 2 in ends:
            return None  # "the Jobar neighbourhood of Homs" / "the Homs neighbourhood of Jobar"
        det = _tok(doc, m.start - 3)
        if det is not None and det.lower_ in {"a", "an", "one", "every", "each", "some", "several", "many"}:
            return None  # "a neighbourhood of Damascus": a part of Damascus
        if prev2.lower_ not in _PLURAL_NOUNS:
            return LEVEL_NOUNS[prev2.lower_]
        # "the villages of A, B and C" names villages; "the towns of Hama" means Hama's towns.
        nx = _tok(doc, m.end)
        if nx is not None and nx.lower_ in {",", "and", "&"} and m.end + 1 in _starts_after(doc, m):
            return LEVEL_NOUNS[prev2.lower_]
        return None
    # Later members of "the villages of A, B and C".
    k = m.start - 1
    lo = max(0, m.start - 40)
    seen_sep = False
    while k >= lo:
        t = doc[k]
        low = t.lower_
        if low in {",", "and", "&"}:
            seen_sep = True
            k -= 1
            continue
        if low in _ARTICLE_TOKENS or (t.is_alpha and t.text[:1].isupper()) or low in {"(", ")"}:
            k -= 1
            continue
        if seen_sep and low == "of" and k >= 1 and doc[k - 1].lower_ in _PLURAL_NOUNS:
            return LEVEL_NOUNS.get(doc[k - 1].lower_, LEVEL_NOUNS["towns"])
        return None
    return None


def _starts_after(doc, m: "Mention") -> set[int]:
    """Token positions right after a list separator following ``m`` ("A, B" / "A and B")."""
    out = set()
    k = m.end
    while k < len(doc) and doc[k].lower_ in {",", "and", "&"}:
        k += 1
        out.add(k)
    if k < len(doc) and doc[k].is_alpha and doc[k].text[:1].isupper():
        out.add(m.end + 1)
    return out


def _big(index: "PlaceIndex", m: "Mention") -> bool:
    """A reading as a governorate or a city of 100,000+, spelled (nearly) as listed: a container.

    A near-miss spelling of a city's name is no evidence that the writer meant the city.
    """
    for p, q in m.candidates:
        if q < 1.0 and m.spell.get(p, 0.0) < 0.9:
            continue
        e = index.entry(p)
        if e.get("level") == "governorate" or (e.get("level") == "town" and _num(e.get("population")) >= 100_000):
            return True
    return False


_LAST_WORD = re.compile(r"([^\W\d_]+)$")


def _ends_in_name(tok) -> bool:
    """Whether a token ends in a capitalised word on the same line ("Ahmad", "brigades;Ahmad")."""
    if "\n" in tok.whitespace_ or not tok.whitespace_:
        return False
    m = _LAST_WORD.search(tok.text)
    return bool(m) and m.group(1)[:1].isupper()


def _foreign_by_alias(e: dict, text: str) -> bool:
    """A place outside Syria named by one of its secondary aliases ("Samir", "Qasim").

    In a report about Syria such a word after a given name is far more often a person's name
    (aliases that are also given names: "Samir", "Qasim"...). Countries and the entry's
    own name are kept.
    """
    if not e or e.get("level") == "country" or str(e.get("country_code", "")).upper() in ("SY", ""):
        return False
    return light(str(e.get("name", ""))) != text


def _is_generic(doc, m: "Mention") -> bool:
    words = [t.lower_ for t in doc[m.start:m.end] if t.is_alpha]
    return bool(words) and all(w in GENERIC_WORDS for w in words)


def _after_name_head(doc, m: "Mention") -> bool:
    """Whether the mention directly follows a capitalised name head ("Tell Harasta")."""
    k = m.start - 1
    while k >= 0 and doc[k].lower_ in _ARTICLE_TOKENS and k >= m.start - 3:
        k -= 1
    if k < 0 or k == m.start - 1 and not doc[m.start - 1].whitespace_ and doc[m.start - 1].is_alpha:
        return False
    t = doc[k]
    return t.is_alpha and t.text[:1].isupper() and t.lower_ in NAME_HEADS and "\n" not in t.whitespace_


def _explicit_container(doc, m: "Mention", cont: "Mention") -> bool:
    """Whether ``cont`` is stated as the container of ``m`` ("X in Y", "X, Y province")."""
    gap = {t.lower_ for t in doc[m.end:cont.start]}
    if "in" in gap:
        return True
    # "X, Idlib province", "X, Idlib countryside": a qualified container is no list member.
    return cont.prefer_level == "governorate" and cont.kind == "qualified"


def _only_governorates(doc, index: "PlaceIndex", m: "Mention", cont: "Mention") -> bool:
    """A container whose every reading is a governorate ("Rif Dimashq: X", "X, Reef Dimashq").

    Not inside a list ("Homs, Rif Dimashq and Daraa"): there the comma separates siblings.
    """
    if not cont.candidates or not all(index.entry(p).get("level") == "governorate" for p, _ in cont.candidates):
        return False
    seps = {",", "and", "&", "or"}
    first, last = (m, cont) if m.start < cont.start else (cont, m)
    before, after = _tok(doc, first.start - 1), _tok(doc, last.end)
    if before is not None and before.lower_ in seps:
        return False
    return not (after is not None and after.lower_ in seps)


#: Reporters and GeoNames disagree on towns right at a governorate border: a reading this close
#: to the stated governorate still counts as inside it (degrees, ~10 km).
_BORDER_TOLERANCE_DEG = 0.1
#: Governorates that enclose one another: Damascus city lies inside Rif Dimashq, and reports
#: put its eastern districts in either.
_ENCLOSING = {frozenset({"Damascus", "Rif Dimashq"})}


def _governorate_shapes(index: "PlaceIndex") -> dict:
    """admin1 name -> shapely polygon of the governorate (empty without the GeoJSON file).

    The polygons are the gazetteer's own (``Gazetteer._polygons``, loaded once per gazetteer);
    this only keys them by the governorate's admin1 name.
    """
    got = index.__dict__.get("_gov_shapes")
    if got is None:
        got = {}
        try:
            polys = index.gazetteer._polygons("governorates.geojson")
        except Exception:  # noqa: BLE001 - no polygons: fall back to governorate names
            polys = None
        if polys is not None:
            _, geoms, props = polys
            for geom, prop in zip(geoms, props):
                e = index.entry(str(prop.get("id", "")))
                if e.get("admin1"):
                    got[e["admin1"]] = geom
        index.__dict__["_gov_shapes"] = got
    return got


def _compatible(e: dict, ce: dict, index: "PlaceIndex | None" = None, km: float = 60.0) -> bool:
    """Whether entry ``e`` can lie inside container entry ``ce``.

    Inside a country: the same country code. Inside a governorate (or a governorate's
    countryside): the same admin1, an enclosing pair, or a point within ~10 km of the
    governorate's polygon. Inside a town or district: the same admin1 or within ``km``.
    A country never lies inside anything smaller.
    """
    if not e or not ce:
        return True
    if ce.get("level") == "country":
        return str(e.get("country_code", "")).upper() == str(ce.get("country_code", "")).upper()
    if e.get("level") == "country":
        return False
    a1, ca1 = e.get("admin1"), ce.get("admin1")
    if a1 and ca1 and (a1 == ca1 or frozenset({a1, ca1}) in _ENCLOSING):
        return True
    c1, c2 = _coords(e), _coords(ce)
    if ce.get("level") in ("governorate", "region") and ca1 and index is not None:
        poly = _governorate_shapes(index).get(ca1)
        if poly is not None and c1:
            from shapely.geometry import Point

            return poly.distance(Point(c1[1], c1[0])) <= _BORDER_TOLERANCE_DEG
        if ce.get("level") == "governorate":
            return not a1  # no polygon: names must agree
    return bool(c1 and c2 and haversine_km(*c1, *c2) <= km)


def _has_rural_governorate(index: "PlaceIndex", gid: str) -> bool:
    """Whether a governorate's countryside is a governorate of its own ("Rif Dimashq")."""
    e = index.entry(gid)
    names = [e.get("name", "")] + str(e.get("aliases") or "").split("|")
    return any(
        index.governorates.get(fold(f"{w} {n}")) not in (None, gid)
        for n in names if n and n.isascii() for w in ("rif", "rural")
    )


def apply_document_context(doc, mentions: list["Mention"], index: "PlaceIndex") -> None:
    """Narrow each mention's candidates with the words around it, in place.

    Rules (general, in this order):

    * a phrase made only of generic words ("the military airport") names nothing by itself;
      it keeps only readings another mention of the document names;
    * in a report about Syria, a place abroad named by a secondary alias ("Samir" for
      Shamir in Israel, "Qasim" for Al-Qasim in Iraq) that the NER calls a person, or that
      follows another capitalised word ("Ahmad Samir"), is a person's name: no reading;
    * a match right after an Arabic name head it does not include ("Tell" + "Harasta") is the
      tail of an unknown longer name: no reading;
    * a place noun sets the level: "X neighbourhood" / "neighbourhood of X" only a
      neighbourhood, "X village" / "the villages of A, B and C" only a town, "the town of X"
      a town or a neighbourhood;
    * "X and its countryside" is X's governorate when X is its capital; when the countryside
      is a governorate of its own (Damascus, Rif Dimashq) X keeps its reading, qualified;
    * an explicit container ("X in Y", "X, Y province", "Y: X", or a governorate-only name
      outside a list): X's readings must lie in Y (same governorate, or within ~10 km of its
      polygon; within 60 km of a town; a country is never inside a governorate);
    * "the countryside of X" where X names a town, not a governorate, is read at the town,
      with the qualifier kept: a district town's countryside lies around it, not at the
      governorate's centre.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        The document the mentions' token offsets refer to.
    mentions : list of Mention
        Sorted, non-overlapping mentions from the recogniser.
    index : PlaceIndex
        The gazetteer index.
    """
    if doc is None or not mentions:
        return
    ends = {m.end for m in mentions}
    named: set[str] = set()
    generic: list[Mention] = []
    for m in mentions:
        if m.kind == "demonym" or not m.candidates:
            continue
        if _is_generic(doc, m):
            generic.append(m)
            continue
        named.update(p for p, _ in m.candidates)
    for m in generic:
        m.candidates = [(p, q) for p, q in m.candidates if p in named]
    about_syria = any(
        q >= 0.85 and str(index.entry(p).get("country_code", "")).upper() == "SY"
        for m in mentions if m.kind != "demonym" for p, q in m.candidates
    )
    if about_syria:
        in_mention = {k for m in mentions for k in range(m.start, m.end)}
        for m in mentions:
            if m.kind == "demonym" or not m.candidates or doc[m.start].ent_type_ in ("GPE", "LOC", "FAC"):
                continue
            prev = _tok(doc, m.start - 1)
            person = doc[m.start].ent_type_ == "PERSON" or (
                prev is not None and prev.i not in in_mention and _ends_in_name(prev))
            if not person:
                continue  # "near Antakya and Urfa": an alias in a list of places is a place
            text = light(doc[m.start:m.end].text)
            m.candidates = [(p, q) for p, q in m.candidates if not _foreign_by_alias(index.entry(p), text)]
    for m in mentions:
        if m.kind == "demonym" or not m.candidates:
            continue
        if m.kind != "qualified" and _after_name_head(doc, m):
            m.candidates = []
            continue
        levels = _level_noun(doc, m, ends)
        nxt = _tok(doc, m.end)
        # "a U.S. city": a country before the noun is where the city is, not its name.
        country_first = nxt is not None and nxt.lower_ in LEVEL_NOUNS and any(
            q >= 1.0 and index.entry(p).get("level") == "country" for p, q in m.candidates)
        if levels is not None and m.prefer_level is None and not _big(index, m) and not country_first:
            m.candidates = [(p, q) for p, q in m.candidates if index.entry(p).get("level") in levels]
        # "Damascus and its countryside"
        t1, t2, t3 = _tok(doc, m.end), _tok(doc, m.end + 1), _tok(doc, m.end + 2)
        if t1 is not None and t2 is not None and t3 is not None and t1.lower_ == "and" \
                and t2.lower_ in {"its", "their"} and t3.lower_ in _ITS_AREA:
            gid = index.governorates.get(m.key)
            m.kind = "qualified"
            m.qualifier = m.qualifier or "countryside"
            m.end += 3
            if gid and not _has_rural_governorate(index, gid):
                # "Aleppo and its countryside" is Aleppo governorate. Damascus's countryside is
                # another governorate: the named area then centres on the city, kept as read.
                m.candidates = [(gid, 1.0)] + [(p, q) for p, q in m.candidates if p != gid]
                m.prefer_level = "governorate"
        _town_countryside(index, m)
    for k, m in enumerate(mentions):
        # "Rif Dimashq: X", the governorate-first notation of casualty lists and datelines.
        if m.container is None and k > 0 and m.start >= 1 and doc[m.start - 1].text == ":" \
                and mentions[k - 1].end == m.start - 1:
            m.container = k - 1
        if m.container is None or not m.candidates or m.kind == "demonym":
            continue
        cont = mentions[m.container]
        if not cont.candidates or not (_explicit_container(doc, m, cont) or _only_governorates(doc, index, m, cont)):
            continue
        ces = [index.entry(p) for p, _ in cont.candidates[:3]]
        if cont.prefer_level:
            ces = [e for e in ces if e.get("level") == cont.prefer_level] or ces
        if not any(e.get("level") != "country" and str(e.get("country_code", "")).upper() == "SY" for e in ces):
            continue  # only Syrian containers below country level are checked
        m.candidates = [(p, q) for p, q in m.candidates if any(_compatible(index.entry(p), ce, index) for ce in ces)]


def _town_countryside(index: "PlaceIndex", m: "Mention") -> None:
    """"Afrin countryside": the town with the qualifier, when the name is no governorate's."""
    if m.kind != "qualified" or m.prefer_level != "governorate" or not m.qualifier:
        return
    if "countryside" not in m.qualifier and "outskirts" not in m.qualifier and "suburbs" not in m.qualifier:
        return
    if index.governorates.get(m.key):
        return
    own = set(index.ids(m.key))
    if any(index.entry(p).get("level") == "governorate" for p in own):
        return  # the name itself is a governorate's ("Reef Dimashq" aliases)
    towns = [(p, q) for p, q in m.candidates if p in own and index.entry(p).get("level") in ("town", "region", "district")
             and str(index.entry(p).get("country_code", "")).upper() == "SY"]
    if towns:
        m.candidates = towns
        m.prefer_level = None


def _neighbourhood_support(mentions: list["Mention"], index: "PlaceIndex") -> None:
    """Drop neighbourhood readings whose city the document does not name.

    A neighbourhood name is short and repeated across cities (two Jobars, a Khalidiya in
    Homs and in Aleppo). When a mention has two or more equally good readings in different
    places, its neighbourhood readings are kept only if another mention of the document can
    be their city: the governorate, a town or region within 15 km, or another neighbourhood
    of the same city that has no other reading. A name only one city has ("Baba Amr"), or one
    spelling that matches one city's entry verbatim, keeps its reading: the UCDP benchmark
    showed that requiring the city everywhere loses more right readings than wrong ones.
    """
    # Supporting entries, once each, with the names that vouch for them: a name never
    # supports itself (ten "Jobar"s do not name Damascus), and the work stays linear in the
    # document's length (bounded by the distinct entries, not the mentions).
    support: dict[str, tuple[dict, set[str]]] = {}
    for m in mentions:
        if m.kind == "demonym":
            continue
        # Only readings the text spells verbatim (or the only reading) vouch for a city.
        cands = [p for p, q in m.candidates if q >= 1.0 or len(m.candidates) == 1]
        ents = [(p, index.entry(p)) for p in cands]
        if not ents:
            continue
        if all(e.get("level") == "neighbourhood" for _, e in ents):
            if len({e.get("admin1") for _, e in ents}) > 1:
                continue
        else:
            ents = [(p, e) for p, e in ents if e.get("level") in ("governorate", "town", "region", "district")]
        for p, e in ents:
            support.setdefault(p, (e, set()))[1].add(m.key)
    memo: dict[tuple, list] = {}
    for m in mentions:
        if m.kind == "demonym" or not m.candidates:
            continue
        sig = (m.key, tuple(m.candidates))
        if sig in memo:
            m.candidates = memo[sig]
            continue
        memo[sig] = m.candidates
        if not any(index.entry(p).get("level") == "neighbourhood" for p, _ in m.candidates):
            continue
        # Ambiguous: two or more readings as good as the best, in different places.
        top = max(q for _, q in m.candidates)
        best = [index.entry(p) for p, q in m.candidates if q >= top]
        pts = {(e.get("admin1"), round(_num(e.get("lat")), 1), round(_num(e.get("lon")), 1)) for e in best}
        if len(best) < 2 or len(pts) < 2:
            continue
        others = [e for e, keys in support.values() if keys - {m.key}]
        m.candidates = memo[sig] = [
            (p, q) for p, q in m.candidates
            if index.entry(p).get("level") != "neighbourhood" or _has_city(index.entry(p), others)
        ]


def _has_city(e: dict, support: list[dict]) -> bool:
    c = _coords(e)
    for s in support:
        lvl = s.get("level")
        if lvl == "governorate":
            if s.get("admin1") and s.get("admin1") == e.get("admin1"):
                return True
            continue
        sc = _coords(s)
        if c and sc and haversine_km(*c, *sc) <= 15.0 and (lvl != "neighbourhood" or s.get("admin1") == e.get("admin1")):
            return True
    return False


def rank_mentions(mentions: list[Mention], index: PlaceIndex, doc=None) -> None:
    """Choose an entry and a confidence for every mention, in place.

    Two passes: first each mention on its own (prior + container), which fixes the document's
    anchors (unambiguous or high-margin mentions); then every ambiguous mention again with the
    distance to the anchors and the shared governorate as extra evidence. Finally one sense per
    folded name across the document.

    Parameters
    ----------
    mentions : list of Mention
        The document's mentions, sorted and non-overlapping; changed in place.
    index : PlaceIndex
        The gazetteer index.
    doc : spacy.tokens.Doc, optional
        The document, for the context rules of :func:`apply_document_context` and the list
        check; without it those rules are skipped.
    """
    if not mentions:
        return
    apply_document_context(doc, mentions, index)
    _neighbourhood_support(mentions, index)

    conflicts: set[str] = set()

    def score_all(m: Mention, anchors: list[tuple[float, float, str]]) -> list[tuple[float, str]]:
        out = []
        conflicts.clear()
        cont = mentions[m.container] if m.container is not None else None
        ce = index.entry(cont.chosen) if cont is not None and cont.chosen else None
        for pid, match in m.candidates:
            e = index.entry(pid)
            if not e:
                continue
            s = prior_score(e, match) + 1.5 * m.spell.get(pid, 1.0)
            if m.prefer_level and e.get("level") == m.prefer_level:
                s += 1.5
            if ce:
                if ce.get("level") == "country" and e.get("country_code") == ce.get("country_code"):
                    s += 1.0
                elif e.get("admin1") and e.get("admin1") == ce.get("admin1"):
                    s += 1.5
                else:
                    c1, c2 = _coords(e), _coords(ce)
                    if c1 and c2 and haversine_km(*c1, *c2) < 60:
                        s += 1.0
                    elif match < 1.0 and ce.get("level") != "country" and e.get("admin1") and ce.get("admin1"):
                        conflicts.add(pid)  # "Kefraya in Idlib province" is no Homs village
            c = _coords(e)
            if anchors and c and e.get("level") not in ("country",):
                d = min(haversine_km(c[0], c[1], a[0], a[1]) for a in anchors)
                s += 0.8 * math.exp(-d / 80.0)
                if e.get("admin1") and any(e.get("admin1") == a[2] for a in anchors):
                    s += 0.3
            out.append((s, pid))
        out.sort(reverse=True)
        return out

    def decide(m: Mention, scored: list[tuple[float, str]]) -> None:
        if not scored:
            m.chosen, m.confidence = None, 0.0
            return
        best_s, best = scored[0]
        match = dict(m.candidates).get(best, 0.0)
        if len(scored) == 1:
            conf = 0.95 * match
        else:
            margin = best_s - scored[1][0]
            conf = match * (0.45 + 0.5 * (1 - math.exp(-margin / 0.6)))
        if best in conflicts:
            conf *= 0.4  # a near-miss spelling outside the container the text names
        m.chosen, m.confidence = best, round(min(1.0, conf), 3)

    # Pass 1: containers first (they come after their contents in text but are usually
    # unambiguous), then the rest. Mentions with the same reading problem (same candidates,
    # level preference and container choice) are scored once: a long document repeats names.
    order = sorted(range(len(mentions)), key=lambda i: mentions[i].container is not None)

    def run(anchors):
        memo: dict = {}
        for i in order:
            m = mentions[i]
            cont = mentions[m.container].chosen if m.container is not None else None
            sig = (tuple(m.candidates), m.prefer_level, cont)
            if sig not in memo:
                decide(m, score_all(m, anchors))
                memo[sig] = (m.chosen, m.confidence)
            else:
                m.chosen, m.confidence = memo[sig]

    run([])
    # A spelling that only meets a foreign place through folding is kept for countries the
    # document names itself; otherwise it is most likely a Syrian place we do not know.
    named = {str(index.entry(m.chosen).get("country_code", "")).upper()
             for m in mentions if m.chosen and m.confidence >= 0.6 and max((q for _, q in m.candidates), default=0) == 1.0}
    named.add("SY")
    for m in mentions:
        m.candidates = [
            (p, q * 0.4 if q < 1.0 and m.kind != "demonym"
             and str(index.entry(p).get("country_code", "")).upper() not in named else q)
            for p, q in m.candidates
        ]
    # Anchors: the confident, non-country readings, once per place, the most repeated first
    # (bounded, so a huge document stays linear).
    counts: dict[str, int] = {}
    for m in mentions:
        if m.chosen and m.confidence >= 0.6:
            counts[m.chosen] = counts.get(m.chosen, 0) + 1
    anchors = []
    for pid, _ in sorted(counts.items(), key=lambda kv: -kv[1])[:200]:
        e = index.entry(pid)
        c = _coords(e)
        if c and e.get("level") != "country":
            anchors.append((c[0], c[1], e.get("admin1")))
    run(anchors)
    # One sense per folded name: the most confident reading wins for every repeat.
    best_by_key: dict[str, Mention] = {}
    for m in mentions:
        if m.chosen and m.kind != "demonym" and m.prefer_level is None:
            b = best_by_key.get(m.key)
            if b is None or m.confidence > b.confidence:
                best_by_key[m.key] = m
    for m in mentions:
        b = best_by_key.get(m.key)
        if b is not None and m.prefer_level is None and m.kind != "demonym" and m.chosen != b.chosen:
            q = dict(m.candidates)
            # Never trade a verbatim reading for a folded one: "northwestern Syria" and
            # "northeastern Syria" share a folded key, not a place.
            if b.chosen in q and q[b.chosen] >= q.get(m.chosen, 0.0):
                m.chosen, m.confidence = b.chosen, b.confidence
    if doc is not None:
        _list_outliers(doc, mentions, index)


#: A list member this far from a tight cluster of the other members is a homonym elsewhere.
_OUTLIER_KM = 150.0
_CLUSTER_KM = 50.0
_MAX_LIST = 40
_LIST_SEPARATORS = frozenset({",", "and", "&", "or", "، "})


def _list_outliers(doc, mentions: list[Mention], index: PlaceIndex) -> None:
    """Unresolve the one far member of a list of nearby villages, in place.

    "the towns of A, B, C, D and E": when at least three other members are resolved within
    50 km of their median point and one member's reading (a town or neighbourhood) lies more
    than 150 km away, that reading is most likely a same-named place elsewhere while the
    village meant is one the gazetteer lacks. Governorates, regions and countries are exempt
    ("Homs, Hama and Idlib" spans provinces on purpose).
    """
    runs: list[list[Mention]] = []
    cur: list[Mention] = []
    for m in mentions:
        if cur:
            gap = doc[cur[-1].end:m.start]
            if len(gap) and all(t.lower_ in _LIST_SEPARATORS for t in gap):
                cur.append(m)
                continue
            runs.append(cur)
        cur = [m]
    if cur:
        runs.append(cur)
    for run in runs:
        if len(run) > _MAX_LIST:
            continue  # a list this long is a table, not a sentence: no cluster to check
        pts = []
        for m in run:
            e = index.entry(m.chosen) if m.chosen else {}
            c = _coords(e) if e else None
            if c and e.get("level") in ("town", "neighbourhood"):
                pts.append((m, c))
        if len(pts) < 4:
            continue
        for m, c in pts:
            rest = [p for x, p in pts if x is not m]
            lat = statistics.median(p[0] for p in rest)
            lon = statistics.median(p[1] for p in rest)
            if max(haversine_km(lat, lon, *p) for p in rest) > _CLUSTER_KM:
                continue
            if haversine_km(lat, lon, *c) > _OUTLIER_KM:
                m.chosen, m.confidence = None, 0.0
