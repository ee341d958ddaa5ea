"""Who moves in a movement and what kind of movement it is.

The moving party is the subject or object of a motion verb, or the "of" complement of a movement
noun; its head noun, compounds and "of" complements say what it is: troops, weapons, displaced
people or returning refugees. The words live in ``geomap/nlp/lexicon/``: ``movement_words.tsv``,
``move_nouns.tsv`` and the party nouns of ``word_lists.tsv``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from geomap.nlp.event_lexicon import (
    CIVILIAN_NOUNS,
    LEXICON_DIR,
    REFUGEE_NOUNS,
    SPEECH_VERBS,
    TROOP_NOUNS,
    WEAPON_NOUNS,
    normalise_actor,
    verb_lemma,
)
from geomap.schema import read_table

MOVEMENT_WORDS = {r["list"]: frozenset(r["words"].split()) for r in read_table(LEXICON_DIR / "movement_words.tsv")}


#: noun lemma -> the movement kind it tells ("any": decided by the party)
MOVE_NOUNS = {r["lemma"]: r["kind"] for r in read_table(LEXICON_DIR / "move_nouns.tsv")}


CARRIER_NOUNS = MOVEMENT_WORDS["carrier_nouns"]


_MILITARY_MODIFIERS = MOVEMENT_WORDS["military_modifiers"]


_CARRY = MOVEMENT_WORDS["carry_verbs"]


_REFUGE_VERBS = MOVEMENT_WORDS["refuge_verbs"]


_REFUGE_NOUNS = MOVEMENT_WORDS["refuge_nouns"]


_CONTAINER_MODIFIERS = MOVEMENT_WORDS["container_modifiers"]
_AID_WORDS = MOVEMENT_WORDS["aid_words"]
_FLIGHT_VERBS = MOVEMENT_WORDS["people_flight_verbs"]
_GATHERING_NOUNS = MOVEMENT_WORDS["gathering_nouns"]
_BARE_WEAPON_WORDS = MOVEMENT_WORDS["bare_weapon_words"]
_WEAPON_MODIFIERS = MOVEMENT_WORDS["weapon_modifiers"]
_PEOPLE_CARRIERS = MOVEMENT_WORDS["people_carriers"]
_EVACUEE_NOUNS = MOVEMENT_WORDS["evacuee_nouns"]
_PEOPLE_MOVERS = MOVEMENT_WORDS["people_movers"]
_BOARD_VERBS = MOVEMENT_WORDS["board_verbs"]


VAGUE_PARTY = frozenset(
    {"another", "other", "others", "rest", "remainder", "some", "part", "portion", "them", "they", "it"}
)


PRONOUNS = frozenset({"they", "them", "he", "she", "we"})


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


def is_date(tok: Token) -> bool:
    return tok.ent_type_ in ("DATE", "TIME")


def subject(verb: Token) -> Token | None:
    subjects = [
        c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and not is_date(c)
    ]  # "On 23 June ...": a misparse
    if subjects:
        # "Movement of forces: On 25 April, AQAP militants deployed": a label read as a second subject
        return min(subjects, key=lambda c: abs(c.i - verb.i))
    if verb.dep_ in ("conj", "xcomp") and verb.head.pos_ in ("VERB", "AUX"):
        return subject(verb.head)
    if verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
        return verb.head
    return None


def moved_object(verb: Token) -> Token | None:
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


def party_tokens(head: Token) -> list[Token]:
    """The moving party's noun phrase including "of" complements ("hundreds of rebels"): where
    its count and actor are read."""
    skip: set[int] = set()
    for c in head.children:
        # "80 buses" counts vehicles, not the people they carry
        people_carrier = c.dep_ == "nummod" and head.lemma_.lower() in _PEOPLE_CARRIERS
        if c.dep_ in ("relcl", "acl", "appos") or people_carrier:
            skip.update(t.i for t in c.subtree)
    return [t for t in head.subtree if t.i not in skip and abs(t.i - head.i) < 12]


#: dependents that say what the party is ("armoured vehicles", "Houthi fighters", "army's tanks")
_CORE_DEPS = frozenset({"compound", "amod", "nmod", "poss", "conj"})


def party_core(head: Token) -> list[Token]:
    """The words that say what the party is: its head noun, the head's compounds, modifiers and
    conjuncts, and "of" complements ("hundreds of rebels"), not the clauses and phrases that
    describe it ("sounds ... of gunships firing from X" are sounds, not troops)."""
    out: list[Token] = []
    stack = [head]
    while stack:
        tok = stack.pop()
        out.append(tok)
        for c in tok.children:
            if c.dep_ in _CORE_DEPS or (c.dep_ == "appos" and tok.pos_ == "ADJ"):
                # "its elite Tiger Forces": the parser may make the adjective the head
                stack.append(c)
            elif c.dep_ == "prep" and c.lower_ == "of":
                stack.extend(cc for cc in c.children if cc.dep_ == "pobj")
    return sorted(out, key=lambda t: t.i)


#: words that open a noun phrase summing up a list before it ("... - all those sounds have gone")
_SUMMING_WORDS = frozenset({"all", "these", "those", "such"})


def summing_noun(head: Token) -> Token | None:
    """The noun that sums up a list subject: in "the crackling ..., the helicopter gunships ... -
    all those sounds have gone", the parser makes "sounds" a conjunct (with no "and") of the
    last listed item (or its apposition); what moved (or not) is what the summing noun names."""
    if any(c.dep_ == "cc" for c in head.children):
        return None
    for c in head.children:
        if c.dep_ in ("conj", "appos") and c.i > head.i and any(d.lower_ in _SUMMING_WORDS for d in c.children):
            return c
    return None


def _container(tok: Token) -> bool:
    """ "water tanks", "fuel tanks": containers, not armour."""
    return tok.lemma_.lower() == "tank" and any(c.lower_ in _CONTAINER_MODIFIERS for c in tok.children)


def _lemmas(tokens: list[Token]) -> set[str]:
    tokens = [t for t in tokens if not _container(t)]
    words = {t.lemma_.lower() for t in tokens} | {t.lower_ for t in tokens}
    return words | {w[:-1] for w in words if w.endswith("s")}


def carried(head: Token) -> list[Token]:
    """What a carrier noun carries: "buses carrying fighters", "a vessel loaded with tanks"."""
    out: list[Token] = []
    for c in head.children:
        if c.dep_ in ("acl", "relcl") and verb_lemma(c) in _CARRY:
            for cc in c.children:
                if cc.dep_ == "dobj":
                    out.extend(cc.subtree)
                elif cc.dep_ == "prep" and cc.lower_ == "with":
                    out.extend(cc.subtree)
        elif c.dep_ == "prep" and c.lower_ in ("with", "of"):
            out.extend(c.subtree)
    if head.dep_ == "dobj" and verb_lemma(head.head) in _BOARD_VERBS:
        # "fighters and residents boarded buses leaving X": who boarded is the load
        rider = subject(head.head)
        if rider is not None:
            out.extend(party_tokens(rider))
    anchor = head
    while anchor.dep_ == "pobj" and anchor.head.dep_ == "prep" and anchor.head.lower_ == "of":
        anchor = anchor.head.head  # "a number of buses ... started to leave X carrying fighters"
    if anchor.dep_ in ("nsubj", "nsubjpass"):
        # "buses left east Aleppo carrying fighters": the load hangs on the verb (or its xcomp)
        verbs = [anchor.head, *(c for c in anchor.head.children if c.dep_ == "xcomp")]
        for c in (c for v in verbs for c in v.children):
            if c.dep_ in ("advcl", "xcomp") and c.tag_ == "VBG" and verb_lemma(c) in _CARRY:
                out.extend(t for cc in c.children if cc.dep_ in ("dobj", "prep") for t in cc.subtree)
    return out


def load_origin(head: Token) -> list[Token]:
    """Where a carrier's load came from: "buses carrying evacuees from Madaya arrived in Idlib"."""
    if head.lemma_.lower() not in CARRIER_NOUNS:
        return []
    for t in carried(head):
        if t.dep_ == "prep" and t.lower_ == "from":
            return list(t.subtree)
    return []


def vehicle_count(tokens: list[Token]) -> set[int]:
    """Token indices of counted people carriers ("a convoy of 30 buses"): vehicles, not the people
    moved, never the movement's count."""
    out: set[int] = set()
    for t in tokens:
        if t.lemma_.lower() in _PEOPLE_CARRIERS:
            out.update(c.i for c in t.children if c.dep_ == "nummod")
    return out


def _armed_name(head: Token) -> bool:
    """A named armed group as the mover ("the SDF pushed into the city", "Hezbollah withdrew")."""
    if head.pos_ != "PROPN":
        return False
    actor = normalise_actor([head])
    return actor is not None and actor != "civilians"


def classify(party: list[Token], verb: Token, head: Token | None = None) -> str | None:
    """The kind of movement ``party`` makes with ``verb`` (a verb or a movement noun)."""
    lemmas = _lemmas(party)
    if head is not None and head.lemma_.lower() in CARRIER_NOUNS:
        load = _without_escort(carried(head))
        if not load and _evacuation_buses(head):
            return _people_kind(lemmas | {"displaced"}, verb)
        loaded = _lemmas(load)
        lemmas |= loaded
        if lemmas & _AID_WORDS and not lemmas & _MILITARY_MODIFIERS:
            return None  # "an aid convoy", "trucks carrying food": not troops
        if loaded & (CIVILIAN_NOUNS | _EVACUEE_NOUNS) and not loaded & (
            TROOP_NOUNS | WEAPON_NOUNS | _MILITARY_MODIFIERS
        ):
            # "a convoy of buses carrying 1,500 people from Daraa": people moved out, not troops
            return _people_kind(loaded | {"displaced"}, verb)
    if lemmas & CARRIER_NOUNS and lemmas & _MILITARY_MODIFIERS:
        return "troop_movement"  # "armoured vehicles", "a vessel carrying military trucks"
    weapons = lemmas & WEAPON_NOUNS
    if weapons and not (weapons <= _BARE_WEAPON_WORDS and not lemmas & _WEAPON_MODIFIERS):
        return "weapons_movement"
    if lemmas & TROOP_NOUNS or (head is not None and _armed_name(head)):
        return "troop_movement"
    people = lemmas & (CIVILIAN_NOUNS | REFUGEE_NOUNS | _EVACUEE_NOUNS | _PEOPLE_MOVERS)
    if not people and head is not None and _bare_number(head):
        people = {"people"}  # "Thousands fled towards the Turkish border"
    # protesters, mourners, a crowd: people who gather ("poured into the streets"), not who flee
    if people and not people <= _GATHERING_NOUNS:
        if head is not None and head.tag_ == "NN" and verb.pos_ == "VERB" and verb_lemma(verb) == "leave":
            return None  # "the man had left his home to become a migrant worker": one person, no flight
        return _people_kind(lemmas, verb)
    return None


def _without_escort(load: list[Token]) -> list[Token]:
    """A load of people with one soldier or guard beside them ("holding only civilians ... in
    addition to a driver and a Russian soldier who served as an escort"): the people moved, the
    escort does not make it a troop movement."""
    people = any(t.lemma_.lower() in CIVILIAN_NOUNS | _PEOPLE_MOVERS and t.tag_ == "NNS" for t in load)
    if not people:
        return load
    escorts = {
        t.i
        for t in load
        if t.lemma_.lower() in TROOP_NOUNS
        and t.tag_ == "NN"
        and any(c.lower_ in ("a", "an", "one") for c in t.children)
    }
    if not escorts:
        return load
    drop = {d.i for t in load if t.i in escorts for d in t.subtree}
    return [t for t in load if t.i not in drop]


_BARE_NUMBER_PEOPLE = MOVEMENT_WORDS["bare_number_people"]


def _bare_number(head: Token) -> bool:
    """ "Thousands", "Hundreds" alone (no "of ..."): people."""
    return head.lemma_.lower() in _BARE_NUMBER_PEOPLE and not any(c.dep_ == "prep" for c in head.children)


def _evacuation_buses(head: Token) -> bool:
    """ "At least 80 buses", "dozens of buses": counted people carriers with no load named."""
    counted = any(c.dep_ == "nummod" for c in head.children) or (head.dep_ == "pobj" and head.head.lower_ == "of")
    return head.lemma_.lower() in _PEOPLE_CARRIERS and head.tag_ == "NNS" and counted


def _people_kind(lemmas: set[str], verb: Token) -> str | None:
    """How unarmed people move: back home (a return), in flight (displacement), or not at all in
    a movement sense ("civilians arrived" is no displacement, "refugees arrived" is)."""
    lemma = verb_lemma(verb) if verb.pos_ in ("VERB", "AUX") else verb.lemma_.lower()
    noun_kind = MOVE_NOUNS.get(lemma)
    if noun_kind is not None:
        return noun_kind if noun_kind in ("displacement", "refugee_return") else "displacement"
    refugees = bool(lemmas & (REFUGEE_NOUNS | _EVACUEE_NOUNS))
    home = any(c.lower_ in ("home", "back") for c in verb.children)
    if lemma == "return" or home:
        return "refugee_return"
    if lemma in _FLIGHT_VERBS or refuge(verb) or refugees:
        return "displacement"
    return None


def armed_actor(tokens: list[Token]) -> str | None:
    """The actor of troops or weapons named in ``tokens``, never civilians ("the evacuation of
    civilians and rebels" is the rebels' movement)."""
    actor = normalise_actor(tokens)
    if actor == "civilians":
        actor = normalise_actor([t for t in tokens if t.lemma_.lower() not in CIVILIAN_NOUNS])
    return None if actor == "civilians" else actor


_WAY_VERBS = MOVEMENT_WORDS["way_verbs"]


def makes_way(verb: Token) -> bool:
    """ "the convoy made its way to X", "rebels fought their way into the town": the subject went."""
    return (
        verb.pos_ == "VERB"
        and verb_lemma(verb) in _WAY_VERBS
        and any(c.dep_ == "dobj" and c.lower_ == "way" for c in verb.children)
    )


_REINFORCE_VERBS = MOVEMENT_WORDS["reinforce_verbs"]
_REINFORCED_NOUNS = MOVEMENT_WORDS["reinforced_nouns"]


def reinforced(verb: Token) -> Token | None:
    """What "the army reinforced its positions at X" reinforced (its subject sent forces there):
    positions, posts, troops; not "reinforced the ceasefire"."""
    if verb.pos_ != "VERB" or verb_lemma(verb) not in _REINFORCE_VERBS:
        return None
    for c in verb.children:
        if c.dep_ == "dobj" and _lemmas(party_core(c)) & _REINFORCED_NOUNS:
            return c
    return None


def refuge(verb: Token) -> bool:
    """ "sought refuge / took shelter in X": the subject went to X."""
    return (
        verb.pos_ == "VERB"
        and verb_lemma(verb) in _REFUGE_VERBS
        and any(c.dep_ == "dobj" and c.lemma_.lower() in _REFUGE_NOUNS for c in verb.children)
    )


def previous_subject(tok: Token, sent: Span) -> Token | None:
    """ "Many civilians had fled their houses. They sought refuge in Tokhar": a sentence-initial
    pronoun subject stands for the previous sentence's subject."""
    if tok.lower_ not in PRONOUNS or tok.i != sent.start or sent.start == 0:
        return None
    prev = sent.doc[sent.start - 1].sent
    root = prev.root
    if verb_lemma(root) in SPEECH_VERBS:
        # "At least 80 buses left Fuaa, a correspondent said. They arrived at ...": what was said
        root = next((c for c in root.children if c.dep_ == "ccomp" and c.pos_ == "VERB"), root)
    subj = subject(root) if root.pos_ in ("VERB", "AUX") else None
    return subj if subj is not None and subj.lower_ not in PRONOUNS else None


def pronoun_antecedent(tok: Token, verb: Token) -> Token | None:
    """The party "they" stands for in "civilians were killed as they fled": the subject of the
    clause the pronoun's clause depends on; "it" in "monitored the entry of a column ..., and it
    headed towards X" is the last vehicle or force named before it in the sentence."""
    if tok.lower_ == "it":
        # the sentence so far, else (for a sentence-initial "It") the sentence before
        start = tok.sent.start if tok.i > tok.sent.start or tok.i == 0 else tok.doc[tok.i - 1].sent.start
        return next(
            (
                t
                for t in reversed(tok.doc[start : tok.i])
                if t.tag_ == "NN" and t.lemma_.lower() in CARRIER_NOUNS | TROOP_NOUNS
            ),
            None,
        )
    if tok.lower_ not in PRONOUNS or verb.dep_ not in ("advcl", "conj", "ccomp", "xcomp"):
        return None
    gov = verb.head
    for c in gov.children:
        if c.dep_ in ("nsubjpass", "nsubj") and c.lower_ not in PRONOUNS:
            return c
    return None
