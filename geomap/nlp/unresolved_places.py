"""Where an event happened when the gazetteer lacks the name: the name kept as text, no point.

"employees protested in front of the courthouse in Kerman city", "clashed in Dula al Amas", "air
raids targeted Al Bayda City": the object of a locative preposition that is a proper name, or a
settlement noun with a proper name before it. Nothing is guessed: the record keeps the name as
``place_text`` and no coordinates. The words are data (``lexicon/breadth_words.tsv``:
``locative_preps``, ``settlement_nouns``, ``direction_words``; ``word_lists.tsv``: ``name_heads``,
``name_openers``).
"""

from __future__ import annotations

from spacy.tokens import Token

from geomap.nlp.event_lexicon import named_lists, word_list

__all__ = ["unresolved_place"]

_LISTS = named_lists("breadth_words.tsv")
_LOCATIVE = _LISTS["locative_preps"]
_SETTLEMENTS = _LISTS["settlement_nouns"]
_DIRECTIONS = _LISTS["direction_words"]
#: words that make a name an organisation's, a street's or an operation's ("Tabqa Operation")
_NOT_PLACE_NAMES = word_list("name_heads") | word_list("name_openers")
_NOT_PLACE_ENTS = frozenset(
    {
        "NORP",
        "ORG",
        "DATE",
        "TIME",
        "EVENT",
        "LAW",
        "WORK_OF_ART",
        "PRODUCT",
        "LANGUAGE",
        "MONEY",
        "CARDINAL",
        "ORDINAL",
        "PERCENT",
        "QUANTITY",
    }
)


def _name_word(tok: Token) -> bool:
    """A word of a place's name before its noun: a proper noun, or a capitalised word the small
    model tags as an adjective ("Braytal junction"), not a demonym or a direction ("Eastern")."""
    if tok.pos_ == "PROPN":
        return True
    return (
        tok.is_title
        and tok.pos_ in ("ADJ", "NOUN")
        and tok.ent_type_ != "NORP"
        and not tok.is_sent_start
        and tok.lower_ not in _DIRECTIONS
    )


def _demonym(tok: Token) -> bool:
    """ "Syrian", "Kurdish", "Lebanese", "Iraqi": a people's word, no place's name (the
    recogniser also calls place names nationalities, so the word's ending decides)."""
    return tok.ent_type_ == "NORP" and tok.lower_.endswith(("an", "ish", "ese", "i"))


def unresolved_place(clause: set[int], unit, excluded: set[int], strict: bool = False):
    """The name of where a clause's event happened when the gazetteer lacks it, as text only.

    "employees protested in front of the courthouse in Kerman city", "clashed in Dula al Amas":
    the object of a locative preposition that is a proper name (tagged a place by the
    entity recogniser), or a settlement noun with a proper name before it ("Kerman city"). The
    record keeps the name as ``place_text`` with no point: nothing is guessed. None when the
    clause names no such place.

    Parameters
    ----------
    clause : set of int
        Token ids of the event's clause.
    unit : Span
        The sentence unit.
    excluded : set of int
        Tokens that are not the event's (source phrases, quotations' frames).
    strict : bool
        Only "in <name> city/town/village..." (for names outside the event's own clause).
    """
    doc = unit.doc
    dated = {i for d in (doc._.dates or []) for i in range(d.start, d.end)}
    # a name sharing a word with a place the gazetteer resolved elsewhere in the article is that
    # place misspelled here ("Syrias Eastern Ghouta region"): better no record than a second one
    known = {t.lower_ for p in (doc._.places or []) if p._.place_id for t in p if t.is_alpha and t.is_title}
    for i in sorted(clause):
        t = doc[i]
        if not (unit.start <= i < unit.end) or i in excluded or i in dated:
            continue
        # "in Kerman city", or what a strike or a shelling hit ("air raids targeted Al Bayda City")
        # "east of Hays city", "the fronts of Al Fulayhah", "the municipality building of Nassriya city"
        locative = t.dep_ == "pobj" and (
            t.head.lower_ in _LOCATIVE
            or (
                t.head.lower_ == "of"
                and (t.head.head.lower_ in _DIRECTIONS or t.head.head.lemma_.lower() in _SETTLEMENTS)
            )
            or (t.head.lower_ == "of" and t.lemma_.lower() in _SETTLEMENTS and t.is_lower)
        )
        if not (locative or (t.dep_ == "dobj" and t.head.pos_ == "VERB")):
            continue
        if strict and not (t.dep_ == "pobj" and t.head.lower_ == "in" and t.lemma_.lower() in _SETTLEMENTS):
            continue
        # "Bandar Abbas city"; the parser also hangs a name on its noun as a modifier ("Kerman city")
        names = [c for c in t.subtree if c.i < t.i and c.dep_ in ("compound", "amod", "nmod") and _name_word(c)]
        # "the Nusra Front" is a group, "Al Ahtub front" (lower case) a front line
        head_word = [] if (t.is_lower and t.lemma_.lower() in _SETTLEMENTS) else [t]
        if any(x.lower_ in _NOT_PLACE_NAMES or x.lower_ in known for x in head_word + names):
            continue
        # a bare name after "in", "near"...: the small model tags villages as people or nothing
        if (
            t.pos_ == "PROPN"
            and t.ent_type_ not in _NOT_PLACE_ENTS
            and (t.ent_type_ in ("GPE", "LOC", "FAC") or t.dep_ == "pobj")
        ):
            first = min([t] + names, key=lambda x: x.i)
            return doc[first.i : t.i + 1]
        if t.lemma_.lower() in _SETTLEMENTS and names and not any(_demonym(n) for n in names):
            return doc[min(n.i for n in names) : t.i + 1]
    return None
