"""Place mentions in a clause's scene, for ``geomap.nlp.event_scene.SceneReader``.

What a place mention is to the clause around it: the object of a locative preposition ("in
Aleppo", "the outskirts of Homs"), an argument of the verb ("captured Azaz"), a landmark that only
locates something else, a list opener's member, a town big enough to have named quarters; and the
place-noun vocabularies (vocab/place_nouns.tsv) the scene reader looks words up in.
"""

from __future__ import annotations

from spacy.parts_of_speech import IDS as _POS_IDS
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from geomap import settings
from geomap.nlp import place_nouns
from geomap.nlp.event_lexicon import word_list
from geomap.nlp.place_words import _trigger_word

#: nouns that make a name the gazetteer lacks a quarter of a city ("al-Warda neighborhood", "the
#: quarters of X", "the al-X district"): vocab/place_nouns.tsv, use city_part
_PART_NOUNS = place_nouns.words("city_part")
_PLACE_OBJECTS = frozenset(
    """town city village neighborhood neighbourhood district area base airport checkpoint
    crossing hill suburb quarter province region airbase road highway border territory
    positions position control hospital junction silo dam station prison academy factory
    field plant""".split()
)
#: place nouns that point back to a place named before ("the town"): vocab/place_nouns.tsv
_ANAPHORS = place_nouns.scene_levels()
_QUAL_NOUNS = place_nouns.words("part_of_scene")
#: "the villages of A B and C": what follows such a noun is a list of places (vocab/place_nouns.tsv)
_LIST_OPENERS = place_nouns.words("list_opens")


#: singular settlement nouns: "in Mentese town" names a town, whatever its name looks like
_SETTLEMENT_NOUNS = frozenset(
    w for w in _ANAPHORS if not w.endswith("s") and w not in ("country", "capital", "area", "region")
)

#: "the area", "the region": no settlement of their own; they point back to an event's scene
_AREA_ANAPHORS = frozenset(w for w in ("area", "region") if w in _ANAPHORS)


def _named_settlement(p: Span) -> bool:
    """A word shaped like a nationality ("-i", "-ese") that a locative preposition and a
    settlement noun frame ("in Tunceli town center", "in Mentese town") is the town's name: a
    nationality adjective never follows "in" without an article."""
    doc = p.doc
    return (
        len(p) == 1
        and p._.place_kind != "demonym"
        and p.start > 0
        and p.end < len(doc)
        and doc[p.start - 1].lower_ in ("in", "at", "near")
        and doc[p.end].lower_ in _SETTLEMENT_NOUNS
    )


def _name_parts(ent: Span) -> list[Span]:
    """An entity cut at brackets, commas and spaced dashes: "Becharre (Bsharri" or "Lod (Ramla,
    HaMerkaz" is a place and its area, as ACLED notes write them, not one organisation name."""
    doc, parts, start = ent.doc, [], ent.start
    for t in ent:
        if t.text in ("(", ")", ",") or (t.text == "-" and t.whitespace_ and t.i > 0 and doc[t.i - 1].whitespace_):
            if t.i > start:
                parts.append(doc[start : t.i])
            start = t.i + 1
    if start < ent.end:
        parts.append(doc[start : ent.end])
    return parts


def _landmark(p: Span) -> bool:
    """The place only locates something else: it is the object of a relative clause with no
    event word ("fields which skirt the edges of Tal Rifaat", "a hill that overlooks Morek"),
    so it is no place an account is at and "the region" cannot point back to it. (A relative
    clause's "in X", "a shop that was ordered shut in Qamishli", is where it is.)"""
    tok = _phrase_root(p)
    objects = False
    while tok.dep_ != "relcl" and tok.head.i != tok.i:
        objects = objects or tok.dep_ == "dobj"
        tok = tok.head
    return tok.dep_ == "relcl" and objects and not _trigger_word(tok)


def _opens_place_list(doc: Doc, start: int) -> bool:
    """The name at ``start`` follows "<villages/neighbourhoods...> of": a list of places, not
    an organisation, whatever the tagger calls it ("the neighborhoods of Jobar Qaboun")."""
    return start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in _LIST_OPENERS


_DIRECTIONS = frozenset(
    {
        "northern",
        "southern",
        "eastern",
        "western",
        "northeastern",
        "northwestern",
        "southeastern",
        "southwestern",
        "central",
        "north",
        "south",
        "east",
        "west",
    }
)
_VERB = _POS_IDS["VERB"]
_ACCORDING = get_string_id("according")


#: nouns whose "of" names where something is ("the outskirts of Homs", "off the coast of X")
_LOCATIVE_OF = word_list("locative_of_nouns")
_LOC_PREPS = frozenset(
    {
        "in",
        "at",
        "near",
        "around",
        "outside",
        "inside",
        "across",
        "throughout",
        "on",
        "into",
        "within",
        "over",
        "along",
        "toward",
        "towards",
        "from",
        "of",
    }
)


def _phrase_root(span: Span) -> Token:
    root = span.root
    while root.dep_ in ("compound", "appos", "conj", "nmod", "npadvmod", "amod") and root.head is not root:
        root = root.head
    return root


def _locative(span: Span) -> bool:
    """The place is the object of a locative preposition ("in Aleppo", "the outskirts of Homs")."""
    root = _phrase_root(span)
    if root.dep_ != "pobj":
        return False
    prep = root.head.lower_
    if prep == "of":
        # "the town of Rastan", "outskirts of Damascus" - but not "the leader of Syria"
        noun = root.head.head
        return noun.lemma_.lower() in _LOCATIVE_OF
    return prep in _LOC_PREPS


def _argument(span: Span) -> bool:
    """The place is an object of the clause's verb ("captured Azaz", "fled Aleppo")."""
    return _phrase_root(span).dep_ in ("dobj", "nsubjpass")


def _place_in(span_tokens: set[int], places: list[Span]) -> list[Span]:
    return [p for p in places if p.start in span_tokens or (p.end - 1) in span_tokens]


def _qualifier_near(place: Span | None, tokens: list[Token]) -> str | None:
    """A direction phrase around the place ("eastern portion of", "southern suburbs")."""
    for tok in tokens:
        if tok.lemma_.lower() in _QUAL_NOUNS or tok.lower_ in _QUAL_NOUNS:
            dirs = [c.lower_ for c in tok.children if c.lower_ in _DIRECTIONS]
            if dirs:
                noun = tok.lower_
                return dirs[0] if noun in ("portion", "part", "side", "section") else f"{dirs[0]} {noun}"
    return None


def _says_city(p: Span) -> bool:
    """The mention calls itself a city ("Damascus city"), whatever level the gazetteer gives it."""
    return p[-1].lower_ == "city"


def _is_city(place: Span) -> bool:
    """Whether a resolved mention is a town big enough for its neighbourhoods to be named."""
    entry = place._.place or {}
    population = int(entry.get("population") or 0)
    return entry.get("level") == "town" and population >= settings.neighbourhood_city_min_population


_DIRECTION_WORDS = frozenset(
    {
        "north",
        "south",
        "east",
        "west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "northern",
        "southern",
        "eastern",
        "western",
    }
)
_LIST_GLUE = frozenset({",", "and", "&", "as", "well", "the", "town", "towns", "village", "villages", "of"})


def _listed(place: Span, places: list[Span]) -> list[Span]:
    """Places written next to ``place`` as a list, with or without commas ("the towns of Hish
    Kafrouma and Maar Shurin"): the parse of such runs is unreliable, their words are not."""
    doc = place.doc
    ordered = sorted(places, key=lambda p: p.start)
    out = []
    for direction in (1, -1):
        cur = place
        while True:
            if direction == 1:
                nxt = next((p for p in ordered if p.start >= cur.end), None)
                gap = doc[cur.end : nxt.start] if nxt is not None else None
            else:
                nxt = next((p for p in reversed(ordered) if p.end <= cur.start), None)
                gap = doc[nxt.end : cur.start] if nxt is not None else None
            if nxt is None or gap is None or len(gap) > 4 or any(t.lower_ not in _LIST_GLUE for t in gap):
                break
            if gap.text.strip().lower() in ("of", "the", "of the"):
                break  # "the outskirts of Aleppo" names one place, not two
            if nxt[0].lower_ in _DIRECTION_WORDS or cur[0].lower_ in _DIRECTION_WORDS and direction == -1:
                break  # "al-Murayeh south of the Euphrates": where the village is, not a second place
            levels = {(nxt._.place or {}).get("level"), (place._.place or {}).get("level")}
            if "country" in levels or "governorate" in levels and len(levels) > 1:
                break  # "Idlib province, Syria": a container, not a list member
            if _part_and_container(*((cur, nxt) if direction == 1 else (nxt, cur)), gap.text.strip()):
                break  # "Bab Amr, Homs": the neighbourhood and the city it lies in, one place
            out.append(nxt)
            cur = nxt
    return out


_PART_RANK = {"neighbourhood": 0, "town": 1, "district": 2}


def _part_and_container(first: Span, second: Span, glue: str) -> bool:
    """``second`` follows ``first`` after a comma and is the coarser place of the same
    district ("Bab Amr, Homs": a neighbourhood, then its city)."""
    a, b = first._.place or {}, second._.place or {}
    ra, rb = _PART_RANK.get(a.get("level", "")), _PART_RANK.get(b.get("level", ""))
    if glue != "," or ra is None or rb is None or rb <= ra:
        return False
    key = "admin2" if a.get("admin2") and b.get("admin2") else "admin1"
    return bool(a.get(key)) and a.get(key) == b.get(key) and a.get("country_code") == b.get("country_code")
