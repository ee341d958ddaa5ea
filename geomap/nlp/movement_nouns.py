"""Movements told by a noun: "the deployment of 887 personnel in Hatay", "caused the
displacement of more than 3,000 families", "a joint patrol in the countryside"."""

from __future__ import annotations

from spacy.attrs import POS
from spacy.parts_of_speech import IDS as _POS_IDS
from spacy.tokens import Span, Token

from geomap.nlp import doccache
from geomap.nlp.movement_ends import STATION_PREPS, ends_on_party, has_place_object, names_a_place, role_tokens
from geomap.nlp.movement_party import (
    MOVE_NOUNS,
    MOVEMENT_WORDS,
    PRONOUNS,
    MovementFrame,
    armed_actor,
    classify,
    party_core,
    party_tokens,
    subject,
)

_NOT_YET = MOVEMENT_WORDS["not_yet_preps"]


_OPERATION_NOUNS = MOVEMENT_WORDS["operation_nouns"]


_NOUN = _POS_IDS["NOUN"]


_BARE_PEOPLE_NOUNS = MOVEMENT_WORDS["bare_people_nouns"]


def _noun_party(noun: Token) -> Token | None:
    """Who moves in a movement noun: "of X", a possessive, a compound ("troop withdrawal"),
    else the subject of the verb that governs it ("Russian forces conducted a patrol")."""
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for cc in c.children:
                if cc.dep_ == "pobj":
                    return cc
    # the modifier nearest the noun is what moves: "Houthi weapons transfers" move weapons
    for c in reversed(list(noun.lefts)):
        if (
            c.dep_ in ("poss", "compound")
            and c.lower_ not in PRONOUNS
            and c.pos_ in ("NOUN", "PROPN")
            and c.lemma_.lower() not in MOVE_NOUNS
        ):
            return c
    gov = noun.head
    if noun.dep_ == "dobj" and gov.pos_ == "VERB":
        return subject(gov)
    return None


def _attacked(noun: Token) -> bool:
    """The troop noun is the target of an attack: "was attacked", "targeted a patrol", "the
    patrol came under fire"."""
    if noun.dep_ in ("dobj", "nsubjpass") and noun.head.lemma_.lower() in _VICTIM_VERBS:
        return True
    return noun.dep_ == "nsubj" and any(c.dep_ == "prep" and c.lower_ == "under" for c in noun.head.children)


def _noun_kind(noun: Token, head: Token | None, kind_word: str, left_a_place: bool) -> str | None:
    """The kind of the movement a noun tells, from its party, or with no party from the noun:
    people for "evacuations from X" / "the evacuation of X", troops for "a Turkish patrol"."""
    kind = classify(party_core(head), noun, head) if head is not None else None
    if head is None and noun.lemma_.lower() in _BARE_PEOPLE_NOUNS and (left_a_place or role_tokens(noun)[0]):
        kind = "displacement"  # "evacuations from Arbin began on Saturday": people left Arbin
    if kind is None and kind_word == "troop_movement" and head is None and _armed_modifier(noun):
        kind = "troop_movement"  # "a joint Russian-Turkish patrol was conducted on the M4"
    if kind is None or (
        kind_word not in ("any", kind) and not (kind_word == "refugee_return" and kind == "displacement")
    ):
        return None
    return "refugee_return" if kind_word == "refugee_return" else kind


def _evacuated_place(noun: Token, head: Token | None) -> list[Token]:
    """ "the evacuation of east Aleppo": the "of" names the place people left."""
    if head is None or noun.lemma_.lower() not in _BARE_PEOPLE_NOUNS or head.dep_ != "pobj":
        return []
    mentions = head.doc._.places or []
    phrase = {head.i}  # the noun and its "of" names: "east Aleppo", "the town of Zabadani"
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            phrase.update(t.i for t in c.subtree)
    phrase.update(t.i for t in head.lefts)
    named = any(p.start in phrase and p._.place_kind != "demonym" for p in mentions)
    if not named:
        return []  # "the evacuation of east Aleppo"; not "the displacement of Turkmen"
    if classify(party_core(head), noun, head) is not None:
        return []  # "the evacuation of civilians": people
    return list(head.head.subtree)


def _armed_modifier(noun: Token) -> bool:
    """A troop noun whose modifiers name an armed actor: "a joint Russian-Turkish patrol",
    "the Turkish deployment"."""
    mods = [t for c in noun.lefts if c.dep_ in ("amod", "compound", "poss") for t in c.subtree]
    return armed_actor(mods) is not None


def _cause_place(noun: Token) -> list[Token]:
    """Where people were displaced from when the cause names it: "the escalation in Aleppo caused
    the displacement of 3,000 families"."""
    gov = noun.head
    if noun.dep_ != "dobj" or gov.pos_ != "VERB":
        return []
    subj = subject(gov)
    if subj is None:
        return []
    for c in subj.children:
        if c.dep_ == "prep" and c.lower_ in ("in", "on", "around"):
            return list(c.subtree)
    return []


def _earlier_place_phrase(noun: Token, sent: Span) -> list[Token]:
    """A "displacement" with no stated end happened where the sentence's own scene is: the first
    "in <Name>" before the noun ("This escalation in Aleppo has killed 670 ... caused the
    displacement of 3,000 families")."""
    for t in sent:
        if t.i >= noun.i:
            break
        if t.dep_ == "prep" and t.lower_ == "in" and any(c.dep_ == "pobj" and c.pos_ == "PROPN" for c in t.children):
            return list(t.subtree)
    return []


_DENIAL_VERBS = MOVEMENT_WORDS["denial_verbs"]
_VICTIM_VERBS = MOVEMENT_WORDS["victim_verbs"]
_PLAN_WORDS = MOVEMENT_WORDS["plan_words"]


def _told_as_happened(noun: Token) -> bool:
    """The movement noun is an argument of a clause, and not of a plan ("before", "pending"...)
    nor of a refusal ("denied entry to hundreds of Syrians", "blocked the evacuation")."""
    if noun.dep_ in ("nsubj", "nsubjpass") and any(c.lower_ in _PLAN_WORDS for c in noun.head.children):
        return False  # "the evacuation had been due to start on April 4": a plan
    if noun.dep_ in ("dobj", "nsubjpass") and noun.head.lemma_.lower() in _DENIAL_VERBS:
        return False  # "denied entry to hundreds of Syrians"
    if MOVE_NOUNS.get(noun.lemma_.lower()) == "troop_movement" and _attacked(noun):
        return False  # "a Turkish patrol was attacked near Ariha": an attack, not troops sent
    if noun.dep_ == "pobj":
        prep = noun.head
        return not (prep.lower_ in _NOT_YET or prep.head.lower_ in _NOT_YET)
    return noun.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "ROOT", "conj", "appos")


def _noun_mover(noun: Token, kind: str, party: list[Token]) -> str | None:
    """The actor of a movement told by a noun: the armed party, else the doer of the governing
    verb ("police launched an operation with the deployment of 887 personnel"); or civilians."""
    if kind not in ("troop_movement", "weapons_movement"):
        return "civilians"
    # the noun's other modifiers name whose movement it is ("Houthi weapons transfers")
    others = [t for c in noun.lefts if c.dep_ in ("poss", "compound", "amod") for t in c.subtree if t not in party]
    actor = armed_actor(others + party)
    if actor is None and kind == "troop_movement":
        gov = next((a for a in noun.ancestors if a.pos_ == "VERB" and a.dep_ not in ("acl", "relcl", "amod")), None)
        subj = subject(gov) if gov is not None else None
        actor = armed_actor(list(subj.subtree)) if subj is not None else None
    return actor


def _station_place(noun: Token) -> list[Token]:
    """Where a troop movement told by a noun took place: "a patrol in Tal Abyad", "an airdrop
    operation against hideouts in the desert of X", or the governing light verb's place when the
    parser hangs it there ("began patrols in Manbij")."""
    for c in noun.subtree:
        if c.dep_ == "prep" and c.lower_ in STATION_PREPS and has_place_object(c):
            return list(c.subtree)
    if noun.dep_ in ("dobj", "nsubj", "nsubjpass") and noun.head.pos_ == "VERB":
        # "began patrols in Manbij", "a patrol was conducted on the M4 highway near Ariha",
        # "a patrol toured the countryside of Kobane"
        for c in noun.head.children:
            if c.dep_ == "prep" and c.lower_ in STATION_PREPS and has_place_object(c):
                return list(c.subtree)
            if c.dep_ == "dobj" and noun.dep_ == "nsubj" and names_a_place(c):
                return list(c.subtree)
    return []


def noun_frames(sent: Span, consumed: set[int]) -> list[MovementFrame]:
    """Movements told by a noun: "the deployment of 887 personnel in Hatay", "caused the
    displacement of more than 3,000 families", "a joint patrol in the countryside".

    The noun must be an argument of a clause (subject, object, or the object of "with",
    "after", "amid", "following"); one after "before", "ahead of", "pending", "until" or "for" is a
    plan, not a movement that happened.
    """
    out: list[MovementFrame] = []
    doc = sent.doc
    pos = doccache.column(doc, POS)
    for i in range(sent.start, sent.end):
        if pos[i] != _NOUN or i in consumed:
            continue
        noun = doc[i]
        kind_word = MOVE_NOUNS.get(noun.lemma_.lower())
        if kind_word is None:
            continue
        if noun.dep_ == "compound" and noun.head.lemma_.lower() in _OPERATION_NOUNS:
            noun = noun.head  # "conducted an airdrop operation in X": the operation is the movement
        if not _told_as_happened(noun):
            continue
        head = _noun_party(noun)
        party = party_tokens(head) if head is not None else []
        place_left = _evacuated_place(noun, head)
        if place_left:
            head = None  # "the evacuation of east Aleppo": the place emptied, not who moved
        kind = _noun_kind(noun, head, kind_word, bool(place_left))
        if kind is None:
            continue
        origin, dest = role_tokens(noun)
        origin = origin or place_left
        if not dest and (kind in ("troop_movement", "weapons_movement")):
            # "a patrol in Tal Abyad", "an airdrop operation against hideouts in the desert of X";
            # not "the entry of a column from X crossing in the countryside of Y" (where X is)
            left = {t.i for t in origin}
            dest.extend(t for t in _station_place(noun) if not left or t.i not in left)
            if left and any(t.i in left for t in _station_place(noun)):
                dest.clear()
        if head is not None and head.i > noun.i:
            ends_on_party(head, kind in ("troop_movement", "weapons_movement"), origin, dest)
        actor = _noun_mover(noun, kind, party)
        if not origin and kind == "displacement":
            origin = _cause_place(noun) or _earlier_place_phrase(noun, sent)
        out.append(MovementFrame(kind, noun, party, actor, origin, dest, [noun]))
        consumed.add(i)
    return out
