"""A name found with a capitalised word glued before it: the whole name, or no reading.

"Masaken Hanano", "Qasr Harasta": when the word before a recognised name is capitalised and is
no place noun, qualifier, title or name of its own, the two make one name. The gazetteer then
reads the whole name, or, when it lacks it, the shorter piece keeps its text but no point: a
piece of a longer name never gets a place of its own (the town "Harasta" is not "Qasr Harasta").
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from geomap.gazetteer.index import PlaceIndex, fold
from geomap.gazetteer.ranking import Mention
from geomap.nlp import place_rules as rules
from geomap.nlp.place_spelling import whole_name_readings

#: Words before a name that leave it whole: announcing nouns, qualifiers, titles, articles.
_NOT_NAME_WORDS = frozenset(
    rules.PLACE_NOUNS
    | frozenset(rules.AREA_AFTER)
    | rules.AREA_BEFORE_OF
    | rules.DIRECTIONS
    | rules.PERSON_PREFIXES
    | rules.ARABIC_ARTICLES
    | rules.ORG_HEADS
    | rules.NOT_PLACES
)

#: NER labels of a word that is a name of another kind ("Monday Aleppo", "Kurdish Afrin").
_OTHER_LABELS = frozenset({"DATE", "TIME", "NORP", "ORDINAL", "CARDINAL", "PERCENT", "MONEY", "QUANTITY"})


def _glued_word(doc: Doc, m: Mention, taken: list[bool], ents: list) -> Token | None:
    """The capitalised word right before mention ``m`` that makes one name with it, if any."""
    if m.start == 0:
        return None
    w = doc[m.start - 1]
    if w.is_sent_start or taken[w.i] or not w.is_alpha or w.is_upper or not w.text[:1].isupper():
        return None
    if w.lower_ in _NOT_NAME_WORDS:
        return None
    ent, own = ents[w.i], ents[m.start]
    if ent is not None and (ent.label_ in _OTHER_LABELS or ent is not own):
        return None  # a word of another entity (a date, a people, a name of its own)
    return w


def glued_names(doc: Doc, found: list[Mention], ents: list, index: PlaceIndex) -> list[Mention]:
    """``found`` with each name that has a capitalised word glued before it made whole or unread.

    Parameters
    ----------
    doc : Doc
        The parsed document.
    found : list of Mention
        The recogniser's mentions, in text order.
    ents : list
        Token index -> the NER entity that holds it (or None).
    index : PlaceIndex
        The gazetteer's name index.

    Returns
    -------
    list of Mention
        The same mentions; a glued one replaced by the whole name the gazetteer holds, else kept
        with no candidates (its text stays, it gets no point).
    """
    taken = [False] * len(doc)
    for m in found:
        for k in range(m.start, m.end):
            taken[k] = True
    out = []
    for m in found:
        w = _glued_word(doc, m, taken, ents) if m.kind == "toponym" and m.candidates else None
        if w is None:
            out.append(m)
            continue
        text = doc[w.i : m.end].text
        cands, spell = whole_name_readings(index, text)
        if cands:
            whole = Mention(w.i, m.end, fold(text), cands, ner_place=True, loose=not any(q >= 1.0 for _, q in cands))
            whole.spell = spell
            out.append(whole)
        else:
            m.candidates = []
            out.append(m)
    return out
