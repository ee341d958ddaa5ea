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


def rank_mentions(mentions: list[Mention], index: PlaceIndex) -> None:
    """Choose an entry and a confidence for every mention, in place.

    Two passes: first each mention on its own (prior + container), which fixes the document's
    anchors (unambiguous or high-margin mentions); then every ambiguous mention again with the
    distance to the anchors and the shared governorate as extra evidence. Finally one sense per
    folded name across the document.
    """
    if not mentions:
        return

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
