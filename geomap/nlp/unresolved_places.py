"""Where an event happened when the gazetteer lacks the name: the name kept as text, no point.

"employees protested in front of the courthouse in Zzyzx city", "clashed in Tell Mazurah", "air
raids targeted Zzyzx City": the object of a locative preposition that is a proper name, or a
settlement noun with a proper name before it. Nothing is guessed: the record keeps the name as
``place_text`` and no coordinates. The words are data (``lexicon/breadth_words.tsv``:
``locative_preps``, ``settlement_nouns``, ``direction_words``; ``word_lists.tsv``: ``name_heads``,
``name_openers``).
"""

from __future__ import annotations

from spacy.tokens import Token

from geomap.nlp.attribution import OUTLETS
from geomap.nlp.event_lexicon import named_lists, normalise_actor, word_list

__all__ = ["unresolved_place"]

_LISTS = named_lists("breadth_words.tsv")
_LOCATIVE = _LISTS["locative_preps"]
_SETTLEMENTS = _LISTS["settlement_nouns"]
_DIRECTIONS = _LISTS["direction_words"]
_PARTICLES = _LISTS["name_particles"]
_PLACE_TAKING = _LISTS["place_taking_nouns"]
#: tokens read after a name for its parenthesis ("(Wadi Zibad, Qurbat)")
_PAREN_WINDOW = 16
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


def _placed_by_parenthesis(name: Token) -> bool:
    """ "Al Mazurah (Zibad, Qurbat)", "Tell Mazurah (the farms) (Qurbat)": a
    name followed by a parenthesis of names alone (its district, its province) is a place's
    name, whatever the entity recogniser called it (it tags unknown villages as people or
    organisations). A note in parentheses may come between. Abbreviations ("(AFP)"), news
    outlets ("(Reuters)"), descriptions ("(a commander)") and a dateline's capitals ("MOSCOW
    (Sputnik)") are no such parenthesis."""
    doc = name.doc
    if name.is_upper:
        return False
    j = name.i + 1
    for _ in range(2):
        if j >= len(doc) or doc[j].text != "(":
            return False
        k = j + 1
        words = [w for w in doc[k : min(len(doc), k + _PAREN_WINDOW)]]
        close = next((n for n, w in enumerate(words) if w.text in ("(", ")")), None)
        if close is None or words[close].text != ")":
            return False
        alpha = [w for w in words[:close] if w.is_alpha]
        if (
            alpha
            and alpha[0].is_title
            and all(w.is_title or w.lower_ in _PARTICLES for w in alpha)
            and " ".join(w.lower_ for w in alpha) not in OUTLETS
        ):
            return True
        j = k + close + 1
    return False


def _position(t: Token) -> str | None:
    """Where a candidate stands: "locative" ("in X", "east of X", "the fronts of X"), "object"
    (what a verb hit), "loose" (a name the parser left unattached: a root or an apposition);
    None for any other place in the sentence ("fled to X", "the governor of X")."""
    if t.dep_ == "pobj":
        head = t.head
        if _particle_as_preposition(head):
            head = head.doc[head.i - 1]  # "raids on As Mazurah": "As" read as a preposition after "on"
        if (
            head.lower_ in _LOCATIVE
            # "east of Zzyzx city", "the fronts of Tell Mazurah", "the town hall of Zzyzx city"
            or (head.lower_ == "of" and (head.head.lower_ in _DIRECTIONS or head.head.lemma_.lower() in _SETTLEMENTS))
            or (head.lower_ == "of" and t.lemma_.lower() in _SETTLEMENTS and t.is_lower)
            # "seized control of the Tell Mazurah camp", "the siege of Zuwayrab"
            or (head.lower_ == "of" and head.head.lemma_.lower() in _PLACE_TAKING)
        ):
            return "locative"
        return None
    if t.dep_ == "dobj" and t.head.pos_ == "VERB":
        return "object"
    if t.dep_ in ("ROOT", "appos", "npadvmod"):
        return "loose"
    return None


def unresolved_place(clause: set[int], unit, excluded: set[int], strict: bool = False):
    """The name of where a clause's event happened when the gazetteer lacks it, as text only.

    "employees protested in front of the courthouse in Zzyzx city", "clashed in Tell Mazurah":
    the object of a locative preposition that is a proper name (tagged a place by the
    entity recogniser, or followed by a parenthesis of place names: "shelled Al Mazurah
    (Zibad, Qurbat)"), or a settlement noun with a proper name before it ("Zzyzx city"). The
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
        For names outside the event's own clause: only a settlement noun with its name ("in
        Zanjan city", "Mazurah district" left unattached by the parser) or a name placed by a
        parenthesis.
    """
    doc = unit.doc
    dated = {i for d in (doc._.dates or []) for i in range(d.start, d.end)}
    # a name sharing a word with a place the gazetteer resolved elsewhere in the article is that
    # place misspelled here ("Syrias Eastern Ghouta region"): better no record than a second one
    # (an article such as "Al" is no such shared word)
    known = {t.lower_ for p in (doc._.places or []) if p._.place_id for t in p if t.is_alpha and t.is_title}
    known -= _PARTICLES
    for i in sorted(clause):
        t = doc[i]
        if not (unit.start <= i < unit.end) or i in excluded or i in dated:
            continue
        position = _position(t)
        if position is None or (position == "loose" and not strict):
            continue
        # "Bandar Abbas city"; the parser also hangs a name on its noun as a modifier ("Zzyzx city")
        names = [c for c in t.subtree if c.i < t.i and c.dep_ in ("compound", "amod", "nmod") and _name_word(c)]
        # "the Nusra Front" is a group, "Al Ahtub front" (lower case) a front line
        head_word = [] if (t.is_lower and t.lemma_.lower() in _SETTLEMENTS) else [t]
        if any(x.lower_ in _NOT_PLACE_NAMES or x.lower_ in known for x in head_word + names):
            continue
        settlement = t.lemma_.lower() in _SETTLEMENTS and bool(names) and not any(_demonym(n) for n in names)
        bracketed = t.pos_ == "PROPN" and _placed_by_parenthesis(t)
        if strict:
            found = settlement or bracketed
        else:
            # a bare name after "in", "near"...: the small model tags villages as people or nothing
            found = settlement or bracketed or _bare_place_name(t, position)
        if found:
            first = min([t] + names, key=lambda x: x.i)
            if t.dep_ == "pobj" and _particle_as_preposition(t.head) and first.i == t.head.i + 1:
                first = t.head  # "As Mazurah"
            return doc[first.i : t.i + 1]
    return None


def _bare_place_name(t: Token, position: str) -> bool:
    """A proper name the recogniser does not call an organisation, a date or a number, after a
    locative preposition ("clashed in Tell Mazurah"), or a place it recognised as what a verb
    hit ("targeted Zzyzx City")."""
    if t.pos_ != "PROPN":
        return False
    if t.ent_type_ == "ORG" and position == "locative":
        # "army posts in Al Mazurah": the recogniser calls "Al X" an organisation; it is one only
        # when the actor vocabulary knows it ("in Al Qaeda" is no place)
        name = [x for x in t.subtree if x.i <= t.i and x.dep_ in ("compound", "nmod") or x is t]
        return name[0].lower_ in _PARTICLES and normalise_actor(name) is None
    return t.ent_type_ not in _NOT_PLACE_ENTS and (t.ent_type_ in ("GPE", "LOC", "FAC") or position == "locative")


def _particle_as_preposition(tok: Token) -> bool:
    """ "raids on As Mazurah": an Arabic article the parser read as the preposition "as", right after a
    preposition."""
    return (
        tok.is_title
        and tok.lower_ in _PARTICLES
        and tok.dep_ == "prep"
        and tok.i > 0
        and tok.doc[tok.i - 1].pos_ == "ADP"
    )
