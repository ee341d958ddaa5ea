"""Document context for place resolution: the words around each mention narrow its readings.

The recogniser (:mod:`geomap.nlp.places`) hands over mentions with token offsets; the rules
below read the words around them (place nouns, containers, "and its countryside", lists) and
narrow the candidates before and after the ranking of :mod:`geomap.gazetteer.ranking`. Wrong is
worse than unresolved: each rule only removes readings or picks among them, it never adds a
place the text does not name.
"""

from __future__ import annotations

import re
import statistics

from geomap.gazetteer.index import PlaceIndex, fold, light
from geomap.gazetteer.ranking import Mention
from geomap.gazetteer.regions import compatible, coords, haversine_km, num
from geomap.nlp import place_nouns, place_scan

__all__ = ["apply_document_context", "list_outliers", "LEVEL_NOUNS", "GENERIC_WORDS", "NAME_HEADS"]

#: Place nouns and the gazetteer levels a name they announce can have ("X neighbourhood",
#: "the village of X"). "town" admits neighbourhoods: villages swallowed by a city are still
#: called towns ("the town of Jobar").
LEVEL_NOUNS: dict[str, frozenset] = place_nouns.levels()  # vocab/place_nouns.tsv, column levels
#: Plural nouns: "the towns of Hama" are Hama's towns, unless a list of names follows.
_PLURAL_NOUNS = place_nouns.words("plural")
#: Plural nouns that end the list of the places they name ("the Jobar and Qaboun districts").
_LIST_END_NOUNS = place_nouns.words("list_ends") & _PLURAL_NOUNS
_ARTICLE_WORDS = frozenset({"al", "el", "ar", "as", "ad", "ash", "at", "az", "an", "ed", "es", "er", "ez"})

#: English words that make up generic facility phrases ("the military airport", "the main
#: hospital"): a phrase made only of these names no particular place.
#: (The place nouns among them: vocab/place_nouns.tsv, use generic_phrase.)
GENERIC_WORDS = place_nouns.words("generic_phrase") | frozenset(
    """the a an military civil civilian international main old new central local national nearby air
    airport airbase airfield base bases barracks checkpoint checkpoints hospital school mosque
    church prison bridge road highway street square roundabout market dam field fields oil gas
    station power plant factory factories silos mill mills plant refinery company brigade battalion
    regiment division academy college university stadium hill hills mount mountain mountains river
    lake valley crossing zone entrance centre center front frontline frontlines industrial zone
    housing complex building buildings headquarters hq compound""".split()
)

#: Arabic head words that begin a longer name: a match right after one of them ("Deir" +
#: "Harasta" in "Tell Harasta") is only the tail of a name the gazetteer does not hold.
NAME_HEADS = frozenset(
    """deir dayr dair tal tall tell til ain ayn ein kafr kfar kafar kefr jabal jebel jabel khirbet
    khirbat kherbet ras wadi jisr beit bayt beyt umm um om marj qasr hay hayy harat maarat
    maaret maarrat mazraat mazraa qalat qalaat qalaa khan hosh housh bir tallat arab""".split()
)

#: Words after "X and its ..." that widen X to its governorate.
#: ("countryside." : the tokenizer may leave a sentence's period on the word.)
_ITS_AREA = place_nouns.words("and_its") | {"countryside."}

_ARTICLE_TOKENS = frozenset("al el il ul ad adh an ar as ash at ath az ed en er es esh et ez - ‐ ' ’".split())


def _tok(doc, i: int):
    return doc[i] if 0 <= i < len(doc) else None


def _level_noun(doc, m: Mention, ends: set[int]) -> frozenset | None:
    """The levels a place noun next to the mention allows, or None when no noun says.

    Only the readings that make the name the place the noun introduces: "the X
    neighbourhood", "the village of X", "the villages of A, B and C". Where English uses the
    noun for a part of X ("two Aleppo neighbourhoods", "a neighbourhood of Damascus", "the
    towns of Hama"), X is the container and nothing is constrained.
    """
    low = place_scan.lowers(doc)  # lower-case words without a Token object per look
    n = len(low)
    nxt = low[m.end] if m.end < n else None
    if nxt is not None and nxt in LEVEL_NOUNS and nxt not in _PLURAL_NOUNS:
        # "the Damascus neighbourhood of Jobar": the noun belongs to the name after "of".
        if m.end + 1 >= n or low[m.end + 1] != "of":
            return LEVEL_NOUNS[nxt]
    if m.start >= 2 and low[m.start - 1] == "of" and low[m.start - 2] in LEVEL_NOUNS:
        noun = low[m.start - 2]
        if m.start - 2 in ends:
            return None  # "the Jobar neighbourhood of Homs" / "the Homs neighbourhood of Jobar"
        if m.start >= 3 and low[m.start - 3] in {"a", "an", "one", "every", "each", "some", "several", "many"}:
            return None  # "a neighbourhood of Damascus": a part of Damascus
        if noun not in _PLURAL_NOUNS:
            return LEVEL_NOUNS[noun]
        # "the villages of A, B and C" names villages; "the towns of Hama" means Hama's towns.
        if nxt in {",", "and", "&"} and m.end + 1 in _starts_after(doc, m):
            return LEVEL_NOUNS[noun]
        return None
    ended = _list_end_noun(doc, m)
    if ended is not None:
        return LEVEL_NOUNS.get(ended)  # "the al-Waer and al-Hamra quarters": each a quarter
    # Later members of "the villages of A, B and C": the walk back over at most 40 tokens of
    # names and separators, answered from per-document tables (place_scan).
    k = place_scan.stops_before(doc, "level_list", _in_level_list)[m.start]
    if k < max(0, m.start - 40):
        return None
    seps = place_scan.counts_before(doc, "list_sep", _list_sep)
    if seps[m.start] > seps[k + 1] and low[k] == "of" and k >= 1 and low[k - 1] in _PLURAL_NOUNS:
        return LEVEL_NOUNS.get(low[k - 1], LEVEL_NOUNS["towns"])
    return None


def _list_end_noun(doc, m: Mention) -> str | None:
    """The plural noun that ends a list ``m`` is a member of ("the A and B quarters"), or None.

    A list only: a separator between the mention and the noun, or before the mention (it is
    the last member); "two Aleppo neighbourhoods" names Aleppo's parts, not Aleppo.
    """
    low = place_scan.lowers(doc)
    listed = m.start >= 1 and low[m.start - 1] in {",", "and", "&"}
    for j in range(m.end, min(len(low), m.end + 12)):
        if low[j] in _LIST_END_NOUNS:
            return low[j] if listed else None
        if low[j] in {",", "and", "&"}:
            listed = True
        elif not (doc[j].text == "-" or doc[j].is_alpha and (doc[j].text[:1].isupper() or low[j] in _ARTICLE_WORDS)):
            return None
    return None


def _list_sep(t) -> bool:
    return t.lower_ in {",", "and", "&"}


def _in_level_list(t) -> bool:
    """Tokens "the villages of A, B and C" runs over: separators, articles, capitalised words."""
    low = t.lower_
    return (
        low in {",", "and", "&"} or low in _ARTICLE_TOKENS or (t.is_alpha and t.text[:1].isupper()) or low in {"(", ")"}
    )


def _starts_after(doc, m: Mention) -> set[int]:
    """Token positions right after a list separator following ``m`` ("A, B" / "A and B")."""
    out = set()
    k = m.end
    while k < len(doc) and doc[k].lower_ in {",", "and", "&"}:
        k += 1
        out.add(k)
    if k < len(doc) and doc[k].is_alpha and doc[k].text[:1].isupper():
        out.add(m.end + 1)
    return out


def _big(index: PlaceIndex, m: Mention) -> bool:
    """A reading as a governorate or a city of 100,000+, spelled (nearly) as listed: a container.

    A near-miss spelling of a city's name is no evidence that the writer meant the city.
    """
    for p, q in m.candidates:
        if q < 1.0 and m.spell.get(p, 0.0) < 0.9:
            continue
        e = index.entry(p)
        if e.get("level") == "governorate" or (e.get("level") == "town" and num(e.get("population")) >= 100_000):
            return True
    return False


_LAST_WORD = re.compile(r"([^\W\d_]+)$")


def _ends_in_name(tok) -> bool:
    """Whether a token ends in a capitalised word on the same line ("Ahmad", "brigades;Ahmad")."""
    if "\n" in tok.whitespace_ or not tok.whitespace_:
        return False
    m = _LAST_WORD.search(tok.text)
    return m is not None and m.group(1)[:1].isupper()


def _foreign_by_alias(e: dict, text: str) -> bool:
    """A place outside Syria named by one of its secondary aliases ("Samir", "Qasim").

    In a report about Syria such a word after a given name is far more often a person's name
    (aliases that are also given names: "Samir", "Qasim"...). Countries and the entry's
    own name are kept.
    """
    if not e or e.get("level") == "country" or str(e.get("country_code", "")).upper() in ("SY", ""):
        return False
    return light(str(e.get("name", ""))) != text


def _is_generic(doc, m: Mention) -> bool:
    words = [t.lower_ for t in doc[m.start : m.end] if t.is_alpha]
    return bool(words) and all(w in GENERIC_WORDS for w in words)


def _after_name_head(doc, m: Mention) -> bool:
    """Whether the mention directly follows a capitalised name head ("Tell Harasta")."""
    k = m.start - 1
    while k >= 0 and doc[k].lower_ in _ARTICLE_TOKENS and k >= m.start - 3:
        k -= 1
    if k < 0 or k == m.start - 1 and not doc[m.start - 1].whitespace_ and doc[m.start - 1].is_alpha:
        return False
    t = doc[k]
    return t.is_alpha and t.text[:1].isupper() and t.lower_ in NAME_HEADS and "\n" not in t.whitespace_


def _explicit_container(doc, m: Mention, cont: Mention) -> bool:
    """Whether ``cont`` is stated as the container of ``m`` ("X in Y", "X, Y province")."""
    gap = {t.lower_ for t in doc[m.end : cont.start]}
    if "in" in gap:
        return True
    if cont.end <= m.start:  # "the Hama village of X": a place noun and "of" between them
        before = [t.lower_ for t in doc[cont.end : m.start]]
        return len(before) == 2 and before[0] in LEVEL_NOUNS and before[1] == "of"
    # "X, Idlib province", "X, Idlib countryside": a qualified container is no list member.
    return cont.prefer_level == "governorate" and cont.kind == "qualified"


def _only_governorates(doc, index: PlaceIndex, m: Mention, cont: Mention) -> bool:
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


def _compatible(e: dict, ce: dict, index: PlaceIndex | None = None, km: float = 60.0) -> bool:
    """Whether entry ``e`` can lie inside container entry ``ce`` (:func:`regions.compatible`)."""
    shapes = None
    if index is not None and index.gazetteer is not None:
        shapes = index.gazetteer.regions.governorate_shapes(index.entry)
    return compatible(e, ce, shapes, km)


def _has_rural_governorate(index: PlaceIndex, gid: str) -> bool:
    """Whether a governorate's countryside is a governorate of its own ("Rif Dimashq")."""
    e = index.entry(gid)
    names = [e.get("name", "")] + str(e.get("aliases") or "").split("|")
    return any(
        index.governorates.get(fold(f"{w} {n}")) not in (None, gid)
        for n in names
        if n and n.isascii()
        for w in ("rif", "rural")
    )


def apply_document_context(doc, mentions: list[Mention], index: PlaceIndex) -> None:
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
    _generic_phrases(doc, mentions)
    if _about_syria(mentions, index):
        _aliases_of_people(doc, mentions, index)
    ends = {m.end for m in mentions}
    for m in mentions:
        if m.kind == "demonym" or not m.candidates:
            continue
        if m.kind != "qualified" and _after_name_head(doc, m):
            m.candidates = []
            continue
        _place_noun_level(doc, m, ends, index)
        _and_its_countryside(doc, m, index)
        _town_countryside(index, m)
    for k in range(len(mentions)):
        _check_container(doc, mentions, k, index)


def _generic_phrases(doc, mentions: list[Mention]) -> None:
    """ "the military airport" keeps only readings another mention of the document names."""
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


def _about_syria(mentions: list[Mention], index: PlaceIndex) -> bool:
    """Whether some mention reads (nearly) verbatim as a Syrian place."""
    return any(
        q >= 0.85 and str(index.entry(p).get("country_code", "")).upper() == "SY"
        for m in mentions
        if m.kind != "demonym"
        for p, q in m.candidates
    )


def _aliases_of_people(doc, mentions: list[Mention], index: PlaceIndex) -> None:
    """Drop foreign readings by a secondary alias of names that are people here ("Ahmad Samir")."""
    in_mention = {k for m in mentions for k in range(m.start, m.end)}
    for m in mentions:
        if m.kind == "demonym" or not m.candidates or doc[m.start].ent_type_ in ("GPE", "LOC", "FAC"):
            continue
        prev = _tok(doc, m.start - 1)
        person = doc[m.start].ent_type_ == "PERSON" or (
            prev is not None and prev.i not in in_mention and _ends_in_name(prev)
        )
        if not person:
            continue  # "near Antakya and Urfa": an alias in a list of places is a place
        text = light(doc[m.start : m.end].text)
        m.candidates = [(p, q) for p, q in m.candidates if not _foreign_by_alias(index.entry(p), text)]


def _place_noun_level(doc, m: Mention, ends: set[int], index: PlaceIndex) -> None:
    """Keep the readings at the levels a place noun next to the mention allows."""
    levels = _level_noun(doc, m, ends)
    if levels is None or m.prefer_level is not None or _big(index, m):
        return
    nxt = _tok(doc, m.end)
    # "a U.S. city": a country before the noun is where the city is, not its name.
    if (
        nxt is not None
        and nxt.lower_ in LEVEL_NOUNS
        and any(q >= 1.0 and index.entry(p).get("level") == "country" for p, q in m.candidates)
    ):
        return
    m.candidates = [(p, q) for p, q in m.candidates if index.entry(p).get("level") in levels]


def _and_its_countryside(doc, m: Mention, index: PlaceIndex) -> None:
    """ "Damascus and its countryside": the mention widens over the phrase, qualified."""
    t1, t2, t3 = _tok(doc, m.end), _tok(doc, m.end + 1), _tok(doc, m.end + 2)
    if t1 is None or t2 is None or t3 is None:
        return
    if t1.lower_ != "and" or t2.lower_ not in {"its", "their"} or t3.lower_ not in _ITS_AREA:
        return
    gid = index.governorates.get(m.key)
    m.kind = "qualified"
    m.qualifier = m.qualifier or "countryside"
    m.end += 3
    if gid and not _has_rural_governorate(index, gid):
        # "Aleppo and its countryside" is Aleppo governorate. Damascus's countryside is
        # another governorate: the named area then centres on the city, kept as read.
        m.candidates = [(gid, 1.0)] + [(p, q) for p, q in m.candidates if p != gid]
        m.prefer_level = "governorate"


def _check_container(doc, mentions: list[Mention], k: int, index: PlaceIndex) -> None:
    """Keep the readings of mention ``k`` that lie inside its stated Syrian container."""
    m = mentions[k]
    # "Rif Dimashq: X", the governorate-first notation of casualty lists and datelines.
    if (
        m.container is None
        and k > 0
        and m.start >= 1
        and doc[m.start - 1].text == ":"
        and mentions[k - 1].end == m.start - 1
    ):
        m.container = k - 1
    if m.container is None or not m.candidates or m.kind == "demonym":
        return
    cont = mentions[m.container]
    if not cont.candidates or not (_explicit_container(doc, m, cont) or _only_governorates(doc, index, m, cont)):
        return
    ces = [index.entry(p) for p, _ in cont.candidates[:3]]
    if cont.prefer_level:
        ces = [e for e in ces if e.get("level") == cont.prefer_level] or ces
    if not any(e.get("level") != "country" and str(e.get("country_code", "")).upper() == "SY" for e in ces):
        return  # only Syrian containers below country level are checked
    m.candidates = [(p, q) for p, q in m.candidates if any(_compatible(index.entry(p), ce, index) for ce in ces)]


def _town_countryside(index: PlaceIndex, m: Mention) -> None:
    """ "Afrin countryside": the town with the qualifier, when the name is no governorate's."""
    if m.kind != "qualified" or m.prefer_level != "governorate" or not m.qualifier:
        return
    if "countryside" not in m.qualifier and "outskirts" not in m.qualifier and "suburbs" not in m.qualifier:
        return
    if index.governorates.get(m.key):
        return
    own = set(index.ids(m.key))
    if any(index.entry(p).get("level") == "governorate" for p in own):
        return  # the name itself is a governorate's ("Reef Dimashq" aliases)
    towns = [
        (p, q)
        for p, q in m.candidates
        if p in own
        and index.entry(p).get("level") in ("town", "region", "district")
        and str(index.entry(p).get("country_code", "")).upper() == "SY"
    ]
    if towns:
        m.candidates = towns
        m.prefer_level = None


#: A list member this far from a tight cluster of the other members is a homonym elsewhere.
_OUTLIER_KM = 150.0
_CLUSTER_KM = 50.0
_MAX_LIST = 40
_LIST_SEPARATORS = frozenset({",", "and", "&", "or", "، "})


def list_outliers(doc, mentions: list[Mention], index: PlaceIndex) -> None:
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
            gap = doc[cur[-1].end : m.start]
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
            c = coords(e) if e else None
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
