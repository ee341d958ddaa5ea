"""THE ranking of gazetteer readings: one scoring for the pipeline, ``geomap resolve`` and
``Gazetteer.search / resolve / geocode``.

A name's readings come from :meth:`geomap.gazetteer.index.PlaceIndex.readings` as ``(id, match
quality)``. :func:`check_spelling` drops readings met only through folding or fuzzily whose
spelling is far from every name of the entry (vowels kept). :func:`rank_mentions` then scores
every reading of every mention of a document:

``score = prior_score(entry, match) + 1.5 * spelling + level/container/anchor bonuses``

and turns the scores of one mention into confidences in [0, 1] (:func:`confidences`): the best
reading gets ``match * (0.45 + 0.5 * (1 - exp(-margin / 0.6)))`` (``0.95 * match`` when it is
the only one), the others ``match * 0.45 * exp(-(best - score) / 0.6)``. ``Gazetteer.search``
ranks a name as a document of one mention, so the CLI prints the score the pipeline uses.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from geomap import settings
from geomap.gazetteer.endings import endings_agree, initials_agree, skeleton_ends_agree
from geomap.gazetteer.foreign_texts import syrian_namesakes_of_a_foreign_text
from geomap.gazetteer.index import FOCUS, FOLDED_MATCH, LISTED_TOWN_SOURCE, PlaceIndex, compact, fold
from geomap.gazetteer.neighbourhoods import neighbourhood_support
from geomap.gazetteer.regions import coords, haversine_km, lies_against, num
from geomap.gazetteer.ties import coarsen_ties
from geomap.transliteration import translated_base

__all__ = [
    "Mention",
    "LEVEL_PRIOR",
    "prior_score",
    "check_spelling",
    "rank_mentions",
    "confidences",
    "neighbourhood_support",
    "FOCUS",
    "FOLDED_MATCH",
]

LEVEL_PRIOR = {
    "country": 1.0,
    "governorate": 0.8,
    "region": 0.7,
    "district": 0.45,
    "town": 0.35,
    "neighbourhood": 0.2,
}
#: Feature codes ranked below every other reading of a name: abandoned or destroyed places.
ABANDONED_CODES = frozenset({"PPLQ", "PPLW", "PPLH"})
#: The population GeoNames' cities500 listing (``index.LISTED_TOWN_SOURCE``) implies when it
#: gives no figure.
LISTED_TOWN_POPULATION = 500
#: Spelling closeness (vowels kept) short names and fuzzy readings need, on top of
#: ``settings.min_spelling_closeness``: one letter changes a short name a lot.
_SHORT_NAME_CLOSENESS = 0.75
_FUZZY_CLOSENESS = 0.82
#: ... and readings met only through the consonant skeleton (the transliteration key), with no
#: translated word to explain the distance: "Marbella" is no Ma'arr Baliyah (0.63 close).
_SKELETON_CLOSENESS = 0.7
#: A Syrian village below this many inhabitants (GeoNames gives most none) is a hamlet whose name
#: other countries' places share (``_villages_of_a_foreign_text``); as ``place_evidence.SMALL_PLACE``.
SMALL_VILLAGE = 1000
#: Confidence from which a reading is one the document is known to be about.
_ANCHOR_CONFIDENCE = 0.6
#: Bonus of a country read by its own name over namesake villages ("brokered by Qatar").
OWN_COUNTRY_NAME = 1.0
#: Anchors beyond this many distinct places add nothing but work (a huge document stays linear).
_MAX_ANCHORS = 200


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
    scored: list = field(default_factory=list)  # [(score, id)] of the last ranking, best first
    conflicts: set = field(default_factory=set)  # ids read outside the container the text names
    direction: str | None = None  # "northwest" in "X, northwest of Y" (Y the container)
    partner_points: list = field(default_factory=list)  # readings of a name listed with this one


def prior_score(e: dict, match: float) -> float:
    """Context-free score of an entry for a name: match, level, population, focus.

    Abandoned places (``PPLQ``) lose 1.0: they are kept so a report about one can be placed,
    but a living namesake always comes first.
    """
    lvl = LEVEL_PRIOR.get(str(e.get("level")), 0.3)
    pop = num(e.get("population"))
    if pop <= 0 and str(e.get("source", "")).startswith(LISTED_TOWN_SOURCE):
        # GeoNames' cities500 lists places of 500+ inhabitants (or administrative seats): one it
        # lists without a figure is still a town, not one of the hamlets only WOF carries.
        pop = LISTED_TOWN_POPULATION
    pop_s = min(1.0, math.log10(pop + 1) / 6.5) if pop > 0 else 0.0
    focus = FOCUS.get(str(e.get("country_code", "")).upper(), 0.0)
    s = 2.0 * match + 0.6 * lvl + 0.8 * pop_s + 0.9 * focus
    if str(e.get("feature_code", "")).upper() in ABANDONED_CODES:
        s -= 1.0
    return s


def check_spelling(
    index: PlaceIndex, text: str, candidates: list[tuple[str, float]]
) -> tuple[list[tuple[str, float]], dict[str, float]]:
    """Keep the readings whose spelling is close enough to one of the entry's names.

    A reading met only through folding or fuzzy matching whose spelling is far from every name
    of the entry ("Bweida" ~ "Badia", "Nowhere" ~ "Nahariyya") is dropped: the name is most
    likely a place the gazetteer does not hold (or no place at all), and unresolved beats wrong.

    Returns
    -------
    (kept, spell)
        The kept ``(id, quality)`` pairs and ``id -> closeness`` of the near-miss readings.
    """
    if all(q >= 1.0 for _, q in candidates):
        return list(candidates), {}
    # Readings met by the folded key or by the transliteration key (same consonants) need the
    # base closeness; near misses found by similarity alone need more.
    by_key = {p for p, _ in index.spelling_candidates(text)}
    folded = set(index.ids(fold(text)))
    exact_key = folded | by_key
    base = translated_base(text)
    kept, spell = [], {}
    for p, q in candidates:
        if q >= 1.0:
            kept.append((p, q))
            continue
        if not endings_agree(text, index.light_names(p)):
            continue  # "Hamza" is no Hamziyah, "al-Ja'abi" no Jaba: folding lost the ending
        if not initials_agree(base, [translated_base(n) for n in index.light_names(p)]):
            continue  # "Tel Osman" is no Tell es Seman: the skeleton lost the initial ayn
        c = index.spelling_closeness(text, p)
        if p in by_key and base != text:
            c = max(c, _base_closeness(index, base, p))
        need = (
            settings.min_spelling_closeness
            if len(text) > 5
            else max(settings.min_spelling_closeness, _SHORT_NAME_CLOSENESS)
        )
        if p in by_key and p not in folded and base == text:
            need = max(need, _SKELETON_CLOSENESS)
        if p not in exact_key:
            need = max(need, _FUZZY_CLOSENESS)
            if not skeleton_ends_agree(text, index.light_names(p)):
                continue  # a near miss on another final consonant is another name
        if c >= need:
            kept.append((p, q))
            spell[p] = c
    return kept, spell


def _base_closeness(index: PlaceIndex, base: str, pid: str) -> float:
    """Closeness of two spellings once translated qualifiers and head nouns are gone.

    "Big Orm" is far from "Urum al Kubra" letter by letter although the transliteration key
    says they are one name: "Orm" against "Urum" is the comparison that tells.
    """
    from rapidfuzz import fuzz

    mine = compact(base)
    if not mine:
        return 0.0
    theirs = {compact(translated_base(n)) for n in index.light_names(pid)}
    return max((fuzz.ratio(mine, t) / 100.0 for t in theirs if t), default=0.0)


# --------------------------------------------------------------------------- one mention


def _container_bonus(e: dict, ce: dict, match: float) -> tuple[float, bool]:
    """Bonus of a reading for lying in the chosen container, and whether it conflicts with it."""
    if ce.get("level") == "country" and e.get("country_code") == ce.get("country_code"):
        return 1.0, False
    if e.get("admin1") and e.get("admin1") == ce.get("admin1"):
        return 1.5, False
    c1, c2 = coords(e), coords(ce)
    if c1 and c2 and haversine_km(*c1, *c2) < 60:
        return 1.0, False
    # "Kefraya in Idlib province" is no Homs village.
    conflict = match < 1.0 and ce.get("level") != "country" and bool(e.get("admin1")) and bool(ce.get("admin1"))
    return 0.0, conflict


def _anchor_bonus(e: dict, anchors: list[tuple[float, float, str, str]], key: str) -> float:
    """Bonus of a reading near the document's other confident places (never the name itself)."""
    c = coords(e)
    others = [a for a in anchors if a[3] != key]
    if not others or not c or e.get("level") == "country":
        return 0.0
    d = min(haversine_km(c[0], c[1], a[0], a[1]) for a in others)
    bonus = 0.8 * math.exp(-d / 80.0)
    if e.get("admin1") and any(e.get("admin1") == a[2] for a in others):
        bonus += 0.3
    return bonus


#: Bonus of a reading within ``PARTNER_KM`` of a reading of a name listed with it.
PARTNER_BONUS = 1.0
PARTNER_KM = 10.0


def _well_known(e: dict) -> bool:
    """A governorate, region or country, or a town of ``_KNOWN_TOWN`` people."""
    return e.get("level") in ("governorate", "region", "country") or num(e.get("population")) >= _KNOWN_TOWN


def _next_to(e: dict, points: list[tuple[float, float]]) -> bool:
    c = coords(e)
    return c is not None and any(0 < haversine_km(*c, *p) < PARTNER_KM for p in points)


#: "X near Y": readings of X farther than this (km) from Y are namesakes, not the place meant.
NEAR_KM = 50.0
#: "X in Aleppo city", "X neighbourhood of Homs": readings of X farther than this (km) from the
#: city's point are outside it (the largest Syrian cities reach about 15 km from their centre).
CITY_KM = 20.0
#: Containers that are points, whose "near" bounds a distance (a governorate, a river or a
#: country is an area: "near the Euphrates" says nothing of how far from its point).
_POINT_LEVELS = frozenset({"town", "neighbourhood", "district"})


def _against_direction(m: Mention, e: dict, container: dict | None, match: float) -> bool:
    """A reading lying away from where the text puts it.

    "X, northwest of Aleppo": a loose reading on another side of Aleppo. "X near Azaz": any
    reading more than ``NEAR_KM`` from Azaz, verbatim or not: the namesake across the country
    is not the place the writer placed by Azaz. "X in Aleppo city": any reading more than
    ``CITY_KM`` from the city.
    """
    if not (m.direction and container):
        return False
    c1, c2 = coords(container), coords(e)
    if c1 is None or c2 is None:
        return False
    if m.direction == "near":
        return container.get("level") in _POINT_LEVELS and haversine_km(*c1, *c2) > NEAR_KM
    if m.direction == "in_city":
        return container.get("level") == "town" and haversine_km(*c1, *c2) > CITY_KM
    return match < 1.0 and lies_against(c1, c2, m.direction)


def score_readings(
    index: PlaceIndex, m: Mention, container: dict | None, anchors: list[tuple[float, float, str, str]]
) -> list[tuple[float, str]]:
    """Score every reading of a mention, best first; sets ``m.conflicts``."""
    out = []
    m.conflicts = set()
    # the partner bonus tells homonyms and near spellings of villages apart ("Kafrayya" /
    # Kafraya); it never lifts a looser reading over a well-known place the text spells
    # verbatim ("Deraa" listed beside Damascus is Daraa, not Darayya)
    best_match = max((q for _, q in m.candidates), default=0.0)
    loose_partners = not any(q >= 1.0 and _well_known(index.entry(p)) for p, q in m.candidates)
    for pid, match in m.candidates:
        e = index.entry(pid)
        if not e or _against_direction(m, e, container, match):
            continue
        s = prior_score(e, match) + 1.5 * m.spell.get(pid, 1.0)
        if e.get("level") == "country" and fold(str(e.get("name", ""))) == m.key:
            s += OWN_COUNTRY_NAME  # "Qatar" is the country, not the village Al Qatar
        if m.prefer_level and e.get("level") == m.prefer_level:
            s += 1.5
        if container:
            bonus, conflict = _container_bonus(e, container, match)
            s += bonus
            if conflict:
                m.conflicts.add(pid)
        s += _anchor_bonus(e, anchors, m.key)
        partner = match >= best_match or loose_partners
        if m.partner_points and partner and _next_to(e, m.partner_points):
            s += PARTNER_BONUS  # "Kafraya and al-Fou'aa": the reading beside the other name
        out.append((s, pid))
    out.sort(reverse=True)
    return out


def confidences(m: Mention) -> dict[str, float]:
    """Confidence in [0, 1] of every scored reading of a mention (see the module docstring)."""
    if not m.scored:
        return {}
    match = dict(m.candidates)
    best_s = m.scored[0][0]
    out = {}
    for rank, (s, pid) in enumerate(m.scored):
        q = match.get(pid, 0.0)
        if len(m.scored) == 1:
            conf = 0.95 * q
        elif rank == 0:
            margin = best_s - m.scored[1][0]
            conf = q * (0.45 + 0.5 * (1 - math.exp(-margin / 0.6)))
        else:
            conf = q * 0.45 * math.exp(-(best_s - s) / 0.6)
        if pid in m.conflicts:
            conf *= 0.4  # a near-miss spelling outside the container the text names
        out[pid] = round(min(1.0, conf), 3)
    return out


def _decide(m: Mention, scored: list[tuple[float, str]]) -> None:
    m.scored = scored
    if not scored:
        m.chosen, m.confidence = None, 0.0
        return
    m.chosen = scored[0][1]
    m.confidence = confidences(m)[m.chosen]


# --------------------------------------------------------------------------- the document


def _rank_pass(mentions: list[Mention], index: PlaceIndex, anchors: list) -> None:
    """Score and decide every mention; containers first (they are usually unambiguous).

    Mentions with the same reading problem (same candidates, level preference, container
    choice and name) are scored once: a long document repeats names.
    """
    order = sorted(range(len(mentions)), key=lambda i: mentions[i].container is not None)
    memo: dict = {}
    for i in order:
        m = mentions[i]
        cont = mentions[m.container].chosen if m.container is not None else None
        sig = (tuple(m.candidates), m.prefer_level, cont, m.key)
        if sig in memo:
            m.chosen, m.confidence, m.scored, m.conflicts = memo[sig]
            continue
        _decide(m, score_readings(index, m, index.entry(cont) if cont else None, anchors))
        memo[sig] = (m.chosen, m.confidence, m.scored, m.conflicts)


def _penalise_unnamed_countries(mentions: list[Mention], index: PlaceIndex) -> None:
    """Weaken folded-only readings abroad unless the document names their country itself.

    A spelling that only meets a foreign place through folding is most likely a Syrian place
    the gazetteer does not hold.
    """
    named = {
        str(index.entry(m.chosen).get("country_code", "")).upper()
        for m in mentions
        if m.chosen and m.confidence >= 0.6 and max((q for _, q in m.candidates), default=0) == 1.0
    }
    named.add("SY")
    for m in mentions:
        m.candidates = [
            (
                p,
                q * 0.4
                if q < 1.0 and m.kind != "demonym" and str(index.entry(p).get("country_code", "")).upper() not in named
                else q,
            )
            for p, q in m.candidates
        ]


def _anchors(mentions: list[Mention], index: PlaceIndex) -> list[tuple[float, float, str | None, str]]:
    """The confident, non-country readings ``(lat, lon, admin1, key)``, the most repeated first."""
    counts: dict[tuple[str, str], int] = {}
    for m in mentions:
        if m.chosen and m.confidence >= 0.6:
            counts[(m.chosen, m.key)] = counts.get((m.chosen, m.key), 0) + 1
    anchors = []
    for (pid, key), _ in sorted(counts.items(), key=lambda kv: -kv[1])[:_MAX_ANCHORS]:
        e = index.entry(pid)
        c = coords(e)
        if c and e.get("level") != "country":
            anchors.append((c[0], c[1], e.get("admin1"), key))
    return anchors


def _small_syrian_village(e: dict) -> bool:
    """A Syrian town or neighbourhood below ``SMALL_VILLAGE`` inhabitants that is no curated entry."""
    return (
        str(e.get("country_code", "")).upper() == "SY"
        and e.get("level") in ("town", "neighbourhood")
        and num(e.get("population")) < SMALL_VILLAGE
        and e.get("source") != "curated"
    )


def _villages_of_a_foreign_text(mentions: list[Mention], index: PlaceIndex) -> None:
    """Unresolve small Syrian villages in a text whose places all lie outside the region.

    A report on Cairo ("Giza's Haram district", "the Abbassiya district") meets Syrian hamlets
    that share those names. When the text confidently names places outside Syria and its
    neighbours and names nothing in the region but such hamlets (no country, governorate,
    town of ``SMALL_VILLAGE`` inhabitants or curated place), the hamlets are homonyms.
    """
    foreign = regional = False
    for m in mentions:
        if not m.chosen or m.confidence < _ANCHOR_CONFIDENCE:
            continue
        e = index.entry(m.chosen)
        if str(e.get("country_code", "")).upper() not in FOCUS:
            foreign = foreign or dict(m.candidates).get(m.chosen, 0.0) >= 1.0
        elif not _small_syrian_village(e):
            regional = True
    if not foreign or regional:
        return
    for m in mentions:
        if m.chosen and _small_syrian_village(index.entry(m.chosen)):
            m.chosen, m.confidence = None, 0.0


#: A loose reading farther than this (km) from every place the rest of the text names is a
#: namesake of a place the gazetteer does not hold, not the place meant.
LOOSE_FAR_KM = 100.0
#: The same for a loose reading in a governorate where none of those places lies ("Sheikh Ali"
#: read in Homs, 60 km from the Qalamoun towns the sentence names).
LOOSE_ELSEWHERE_KM = 50.0
#: Readings of places this populous (or of a governorate, region or country) are kept however far:
#: a well-known town written loosely ("Idleb") is still that town.
_KNOWN_TOWN = 10_000


def _loose_readings_far_from_the_text(mentions: list[Mention], index: PlaceIndex) -> None:
    """Unresolve a loosely spelled village lying far from everything else the text names.

    An article about Deir ez-Zor that names "al-Sinaah district" is not about As Si'in in
    Hama, which only shares its consonants: a reading met through folding or a near-miss
    spelling, of a small place, with no container named, is dropped when the text's other
    confident places all lie more than ``LOOSE_FAR_KM`` away, or more than ``LOOSE_ELSEWHERE_KM``
    when none of them is in the reading's governorate. A wrong point is worse than none.
    """
    loose = [m for m in mentions if _loose_village(m, index)]
    # Two loose villages do not vouch for each other: only firm readings anchor the text, and
    # only when it names them twice or more (a headline's one town may be another story).
    firm = [m for m in mentions if m not in loose]
    anchors = _anchors(firm, index)
    if sum(1 for m in firm if m.chosen and m.confidence >= _ANCHOR_CONFIDENCE and m.kind != "demonym") < 2:
        return
    for m in loose:
        if m.container is not None and index.entry(mentions[m.container].chosen or "").get("level") != "region":
            continue  # "X in Hama province" placed it; a river or a plain ("south of the Euphrates") does not
        e = index.entry(m.chosen or "")
        c = coords(e)
        others = [a for a in anchors if a[3] != m.key]
        if not (c and others):
            continue
        nearest = min(haversine_km(*c, a[0], a[1]) for a in others)
        elsewhere = all(a[2] != e.get("admin1") for a in others)  # no firm place in its governorate
        if nearest > LOOSE_FAR_KM or (elsewhere and nearest > LOOSE_ELSEWHERE_KM):
            m.chosen, m.confidence = None, 0.0


def _loose_village(m: Mention, index: PlaceIndex) -> bool:
    """Whether a mention's reading is a small place met only through folding or a near miss."""
    if not m.chosen or m.kind == "demonym" or m.prefer_level or dict(m.candidates).get(m.chosen, 0.0) >= 1.0:
        return False
    e = index.entry(m.chosen)
    return e.get("level") in ("town", "neighbourhood") and num(e.get("population")) < _KNOWN_TOWN


def _one_sense_per_name(mentions: list[Mention]) -> None:
    """The most confident reading of a folded name wins for every repeat of it."""
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
            if b.chosen in q and q[b.chosen] >= q.get(m.chosen or "", 0.0):
                m.chosen, m.confidence = b.chosen, b.confidence


def rank_mentions(
    mentions: list[Mention], index: PlaceIndex, anchors: list | None = None, abroad: Iterable[str] = ()
) -> None:
    """Choose an entry and a confidence for every mention, in place.

    Two passes: first each mention on its own (prior + container), which fixes the document's
    anchors (unambiguous or high-margin mentions); then every mention again with the distance
    to the anchors of other names and the shared governorate as extra evidence. Finally one
    sense per folded name across the document. The pipeline narrows the candidates with the
    words around each mention first (``geomap.nlp.place_context``).

    Parameters
    ----------
    mentions : list of Mention
        The document's mentions, sorted and non-overlapping; changed in place.
    index : PlaceIndex
        The gazetteer index.
    anchors : list, optional
        Extra ``(lat, lon, admin1, key)`` points the text is known to be about (``near=``).
    abroad : iterable of str, optional
        Countries other evidence ties the text to (ISO codes;
        :func:`geomap.gazetteer.foreign_texts.countries_named_by_actors`).
    """
    if not mentions:
        return
    best_before = [max((q for _, q in m.candidates), default=0.0) for m in mentions]
    neighbourhood_support(mentions, index)
    for m, best in zip(mentions, best_before):
        if m.candidates and max(q for _, q in m.candidates) < best:
            # the quarters the text spells lack their city: a looser reading ("Jobar" ~ an
            # abandoned Ja'bar) is not what it meant; unresolved beats wrong
            m.candidates = []
    extra = list(anchors or [])
    _rank_pass(mentions, index, extra)
    _penalise_unnamed_countries(mentions, index)
    _rank_pass(mentions, index, extra + _anchors(mentions, index))
    _villages_of_a_foreign_text(mentions, index)
    syrian_namesakes_of_a_foreign_text(mentions, index, _ANCHOR_CONFIDENCE, abroad)
    _loose_readings_far_from_the_text(mentions, index)
    coarsen_ties(mentions, index)
    _one_sense_per_name(mentions)
