"""Movements in a sentence: troops, weapons, displaced people and returning refugees.

A movement is a motion verb (``event_lexicon.MOVE_VERBS``) whose moving party is troops,
weapons or people. Its ends come from the clause's own roles: "from X", "out of X", a place
object of flee/leave/evacuate (origin); "to/toward/into X", or the place of a purpose clause
("headed to fight in Aleppo") (destination). Coordinated verbs ("withdrew ... from Idlib and
sent them to Aleppo") are one movement. An end the clause does not give stays ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.attrs import POS
from spacy.parts_of_speech import IDS as _POS_IDS
from spacy.tokens import Span, Token

from geomap.nlp import doccache
from geomap.nlp.event_lexicon import (
    CIVILIAN_NOUNS,
    MOVE_VERBS,
    REFUGEE_NOUNS,
    TROOP_NOUNS,
    WEAPON_NOUNS,
    normalise_actor,
    verb_lemma,
)

__all__ = ["MovementFrame", "find_movements"]

_ORIGIN_PREPS = frozenset({"from", "out"})
_DEST_PREPS = frozenset({"to", "toward", "towards", "into", "onto", "for", "across"})
_ORIGIN_OBJECT_VERBS = frozenset({"flee", "leave", "evacuate", "escape", "abandon", "quit"})
_DEST_OBJECT_VERBS = frozenset({"enter", "reach", "cross"})
_VERB = _POS_IDS["VERB"]
_VAGUE_PARTY = frozenset({"another", "other", "others", "rest", "remainder", "some", "part", "portion", "them", "they"})


@dataclass
class MovementFrame:
    """One movement found in a sentence, before places and dates are attached."""

    kind: str
    verb: Token
    party: list[Token]
    actor: str | None
    origin_tokens: list[Token] = field(default_factory=list)
    dest_tokens: list[Token] = field(default_factory=list)
    verbs: list[Token] = field(default_factory=list)


def _subject(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return c
    if verb.dep_ in ("conj", "xcomp") and verb.head.pos_ in ("VERB", "AUX"):
        return _subject(verb.head)
    if verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
        return verb.head
    return None


def _object(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("dobj", "nsubjpass"):
            return c
    # "moved around stockpiles": the parser reads the particle as a preposition
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in ("around", "about", "out", "back"):
            for cc in c.children:
                if cc.dep_ == "pobj":
                    return cc
    return None


def _party_tokens(head: Token) -> list[Token]:
    """The moving party's noun phrase including "of" complements ("hundreds of rebels")."""
    skip: set[int] = set()
    for c in head.children:
        if c.dep_ in ("relcl", "acl", "appos"):
            skip.update(t.i for t in c.subtree)
    return [t for t in head.subtree if t.i not in skip and abs(t.i - head.i) < 12]


def _classify(party: list[Token], verb: Token) -> str | None:
    lemmas = {t.lemma_.lower() for t in party} | {t.lower_ for t in party}
    lemmas |= {w[:-1] for w in lemmas if w.endswith("s")}
    if lemmas & WEAPON_NOUNS:
        return "weapons_movement"
    if lemmas & TROOP_NOUNS:
        return "troop_movement"
    if lemmas & (CIVILIAN_NOUNS | REFUGEE_NOUNS):
        lemma = verb_lemma(verb)
        back = lemma == "return" or (lemma in ("go", "come") and any(c.lower_ == "home" for c in verb.children))
        if back:
            return "refugee_return"
        if lemma in ("flee", "escape", "leave", "evacuate", "cross", "pour", "displace", "uproot"):
            return "displacement"
    return None


def _own_preps(verb: Token) -> list[Token]:
    """Prepositions of the verb's clause, also when nested ("along with their tanks ... from Idlib")."""
    out = []
    stack = list(verb.children)
    while stack:
        c = stack.pop()
        if c.dep_ in ("prep", "dative"):
            out.append(c)
            stack.extend(cc for cc in c.children if cc.dep_ == "prep")
        elif c.dep_ in ("advmod", "prt"):
            stack.extend(cc for cc in c.children if cc.dep_ == "prep")
    return out


def _role_tokens(verb: Token) -> tuple[list[Token], list[Token]]:
    origin: list[Token] = []
    dest: list[Token] = []
    lemma = verb_lemma(verb)
    for c in _own_preps(verb):
        low = c.lower_
        if low in _ORIGIN_PREPS or (low == "of" and c.head.lower_ in ("out",)):
            origin.extend(c.subtree)
        elif low in _DEST_PREPS:
            dest.extend(c.subtree)
    if lemma in ("displace", "uproot") and not origin:
        # "displaced by the fighting in Idlib", "displaced in Homs": where they were
        for c in verb.subtree:
            if c.dep_ == "prep" and c.lower_ in ("in", "from", "around", "near"):
                origin.extend(c.subtree)
                break
    for c in verb.children:
        if c.dep_ == "dobj" and lemma in _ORIGIN_OBJECT_VERBS:
            origin.extend(c.subtree)
        elif c.dep_ == "dobj" and lemma in _DEST_OBJECT_VERBS:
            dest.extend(c.subtree)
    if not dest and lemma in ("head", "go", "come", "move", "march", "advance", "send", "deploy", "dispatch"):
        # "headed to fight in Aleppo": the place of the purpose clause is where they went.
        for c in verb.children:
            if c.dep_ in ("xcomp", "advcl") and any(a.lower_ == "to" and a.dep_ == "aux" for a in c.children):
                for cc in c.children:
                    if cc.dep_ == "prep" and cc.lower_ in ({"in", "at", "on"} | _DEST_PREPS):
                        dest.extend(cc.subtree)
    return origin, dest


def find_movements(sent: Span) -> list[MovementFrame]:
    """Movement frames in one sentence (ends still as tokens, not places).

    Parameters
    ----------
    sent : Span
        A sentence of a parsed Doc.

    Returns
    -------
    list of MovementFrame
    """
    frames: list[MovementFrame] = []
    consumed: set[int] = set()
    by_verb: dict[int, MovementFrame] = {}
    doc = sent.doc
    pos = doccache.column(doc, POS)
    for i in range(sent.start, sent.end):
        if pos[i] != _VERB:
            continue  # only verbs move; skip building a Token for the rest
        tok = doc[i]
        if tok.i in consumed or tok.pos_ != "VERB" or verb_lemma(tok) not in MOVE_VERBS:
            continue
        mode = MOVE_VERBS[verb_lemma(tok)]
        if verb_lemma(tok) == "pull" and not any(c.lower_ in ("out", "back") for c in tok.children):
            continue
        subj = _subject(tok)
        party_head = _object(tok) if mode == "obj" else subj
        if party_head is None and mode == "obj":
            party_head = subj  # "rebels withdrew from Baba Amr", "troops pushed into": the subject moved
        inherited = None
        if tok.dep_ == "conj" and tok.head.i in by_verb:
            inherited = by_verb[tok.head.i]
        if party_head is None and inherited is None:
            continue
        if tok.tag_ == "VBG" and tok.dep_ in ("csubj", "csubjpass", "pcomp", "nsubj"):
            continue  # "moving the weapons to the border is a threat": talk about a move
        vague = party_head is not None and (party_head.lower_ in _VAGUE_PARTY or party_head.lemma_.lower() in _VAGUE_PARTY)
        if inherited is None and vague and frames:
            # "One portion ... was transferred to the coast, and another was transferred to ..."
            inherited = frames[-1]
        party = _party_tokens(party_head) if party_head is not None else []
        kind = _classify(party, tok) if party else None
        if kind is None and inherited is not None and (party_head is None or party_head.lower_ in _VAGUE_PARTY or party_head.lemma_.lower() in _VAGUE_PARTY):
            kind = inherited.kind
        if kind is None:
            continue
        if inherited is not None and (party_head is None or party_head.lower_ in ("them", "they", "it")):
            # "withdrew ... from Idlib and sent them to Aleppo": one movement, both ends.
            origin, dest = _role_tokens(tok)
            inherited.origin_tokens.extend(origin)
            inherited.dest_tokens.extend(dest)
            inherited.verbs.append(tok)
            consumed.add(tok.i)
            by_verb[tok.i] = inherited
            continue
        if kind == "troop_movement" or kind == "weapons_movement":
            actor_toks = (list(subj.subtree) if (mode == "obj" and subj is not None) else []) + party
            actor = normalise_actor(actor_toks)
            if inherited is not None and actor is None:
                actor = inherited.actor
        else:
            actor = "civilians"
        origin, dest = _role_tokens(tok)
        frame = MovementFrame(kind, tok, party, actor, origin, dest, [tok])
        frames.append(frame)
        by_verb[tok.i] = frame
        consumed.add(tok.i)
    return frames
