"""Lists of places: "the towns of A, B and C", "the A and B districts", "in A B and C".

Helpers of :mod:`geomap.nlp.places` for lists whose members are not separated by commas (a
writer's habit, or a copy that lost its punctuation): where a member starts, which members
share a container named after the list, and chains of gazetteer names after a locative
preposition ("in Saraqeb Binnish and Sarmin"). The list nouns are ``place_rules.LIST_OPENERS``
and ``place_rules.LIST_HEADS``.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc

from geomap.gazetteer.index import PlaceIndex
from geomap.gazetteer.ranking import Mention
from geomap.nlp import place_rules as rules
from geomap.nlp import place_scan
from geomap.nlp.place_evidence import LOCATIVE_PREPOSITIONS
from geomap.nlp.place_match import ARTICLES, COMMON_CAPS

__all__ = ["name_start", "after_name", "in_commaless_run", "share_list_containers", "name_chains"]

_SEPARATORS = frozenset({",", "and"})


def name_start(toks: list, i: int) -> bool:
    """A lower-case Arabic article hyphened to a capitalised word starts a name ("al-Hbeit")."""
    return (
        toks[i].lower_ in ARTICLES
        and i + 2 < len(toks)
        and rules.next_is_hyphen(toks[i])
        and toks[i + 2].is_alpha
        and rules.is_capitalised(toks[i + 2])
    )


def after_name(doc: Doc, i: int) -> bool:
    """Whether the name at ``i`` directly follows another capitalised word (a list without commas)."""
    if i >= 2 and doc[i - 1].text in {"-", "‐"} and doc[i - 2].lower_ in ARTICLES:
        i -= 2  # "al-Faid" starts at "al"
    return i > 0 and _name_word(doc[i - 1])


def _name_word(tok) -> bool:
    """A capitalised word that may end a name: no article, sentence opener or common word."""
    return (
        tok.is_alpha
        and rules.is_capitalised(tok)
        and not tok.is_sent_start
        and tok.lower_ not in ARTICLES
        and tok.lower_ not in COMMON_CAPS
    )


def in_commaless_run(doc: Doc, m: Mention) -> bool:
    """Whether a member of a list touches another name with no separator between them."""
    if not (_first_member(doc, m.start) or rules.in_place_list(doc, m.start)):
        return False
    if after_name(doc, m.start):
        return True
    if m.end >= len(doc):
        return False
    return _name_word(doc[m.end]) or name_start(list(doc[m.end : m.end + 3]), 0)


def _first_member(doc: Doc, i: int) -> bool:
    """Whether token ``i`` follows "<list noun> of" ("the villages of A ...")."""
    low = place_scan.lowers(doc)
    return i >= 2 and low[i - 1] == "of" and low[i - 2] in rules.LIST_OPENERS


def share_list_containers(doc: Doc, ms: list[Mention], level_span: Callable[[Mention], tuple]) -> None:
    """Members of a list share the container named after the list.

    "the neighbourhoods of A B and C in Aleppo city", "the A and B districts of Damascus": A,
    B and C are all in the city (a list with separators whose last member has a container
    shares it in ``QualifyRules._containers``). The container must be larger than the member.
    """
    starts = {m.start: k for k, m in enumerate(ms)}
    low = place_scan.lowers(doc)
    for k, m in enumerate(ms):
        first = _first_member(doc, m.start)
        if m.container is not None or m.kind == "demonym" or not (first or rules.in_place_list(doc, m.start)):
            continue
        stop = rules.list_end(doc, m.start)
        if stop < len(low) and low[stop] in rules.LIST_HEADS:
            stop += 1
        if stop >= len(low) or low[stop] not in {"in", ",", "of"}:
            continue
        nxt = stop + 2 if stop + 1 < len(low) and low[stop + 1] == "the" else stop + 1
        c = starts.get(nxt)
        if (
            c is not None
            and c != k
            and ms[c].candidates
            and (not m.candidates or level_span(ms[c])[1] > level_span(m)[0])
        ):
            m.container = c
    for k in range(len(ms) - 2, -1, -1):
        a, b = ms[k], ms[k + 1]
        if (
            a.container is None
            and b.container is not None
            and b.container != k
            and a.kind != "demonym"
            and b.start == a.end
            and rules.in_place_list(doc, b.start)
        ):
            a.container = b.container


def name_chains(doc: Doc, ms: list[Mention], index: PlaceIndex) -> set[int]:
    """Starts of the members of "in A B C and D" or "in A, B, C and D": a list of Syrian names.

    After a locative preposition, three or more gazetteer names, each spelled exactly as a
    Syrian place, joined by at least one separator (with or without commas), are a list of
    places, not a person's name ("in Saraqeb Binnish and Sarmin", "in Tadef, al-Bab, Qabbasin
    and Manbij", whatever the model calls one member); alone, a capitalised word after a name
    ("Leon Panetta") makes a longer name.
    """
    out: set[int] = set()
    group: list[Mention] = []
    for m in sorted((m for m in ms if m.kind != "demonym"), key=lambda m: m.start):
        if group:
            gap = [t.lower_ for t in doc[group[-1].end : m.start]]
            if len(gap) <= 2 and all(w in _SEPARATORS for w in gap):
                group.append(m)
                continue
        if _is_chain(doc, group, index):
            out.update(g.start for g in group)
        group = [m]
    if _is_chain(doc, group, index):
        out.update(g.start for g in group)
    return out


def _is_chain(doc: Doc, group: list[Mention], index: PlaceIndex) -> bool:
    if len(group) < 3:
        return False
    if all(group[k].end == group[k + 1].start for k in range(len(group) - 1)):
        return False  # no separator: one long name
    k = group[0].start - 1
    if k >= 0 and doc[k].lower_ == "the":
        k -= 1
    if k < 0 or doc[k].lower_ not in LOCATIVE_PREPOSITIONS:
        return False
    return all(
        any(q >= 1.0 and str(index.entry(p).get("country_code", "")).upper() == "SY" for p, q in m.candidates)
        for m in group
    )
