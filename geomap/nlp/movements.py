"""Movements in a sentence: troops, weapons, displaced people and returning refugees.

A movement is a motion verb, or a movement noun in an eventive frame ("the deployment of 800
personnel in X", "caused the displacement of 3,000 families"), whose moving party is troops,
weapons or people. Who moves and what kind of movement it is: ``movement_party``; its origin and
destination: ``movement_ends``; movements told by a noun: ``movement_nouns``. The words live in
``geomap/nlp/lexicon/``: ``move_verbs.tsv``, ``move_nouns.tsv``, ``movement_words.tsv`` and the
party nouns of ``word_lists.tsv``. Coordinated verbs ("withdrew ... from Idlib and sent them to
Aleppo") are one movement. An end the clause does not give stays ``None``. One journey told
twice in an article becomes one record: ``movement_join`` (``join_legs``, re-exported here)."""

from __future__ import annotations

from spacy.attrs import POS
from spacy.parts_of_speech import IDS as _POS_IDS
from spacy.tokens import Span, Token

from geomap.nlp import doccache
from geomap.nlp.event_lexicon import MOVE_VERBS, REFUGEE_NOUNS, TROOP_NOUNS, verb_lemma
from geomap.nlp.movement_ends import (
    DEST_OBJECT_VERBS,
    ORIGIN_OBJECT_VERBS,
    POSITIONED,
    STATION_VERBS,
    aims_at_no_place,
    names_a_place,
    return_ends,
    role_tokens,
    where_party_was,
)
from geomap.nlp.movement_join import join_legs
from geomap.nlp.movement_nouns import noun_frames
from geomap.nlp.movement_party import (
    CARRIER_NOUNS,
    MOVEMENT_WORDS,
    VAGUE_PARTY,
    MovementFrame,
    armed_actor,
    carried,
    classify,
    load_origin,
    makes_way,
    moved_object,
    party_core,
    party_tokens,
    previous_subject,
    pronoun_antecedent,
    refuge,
    reinforced,
    subject,
    summing_noun,
    vehicle_count,
)

__all__ = ["MovementFrame", "find_movements", "join_legs"]

_IDIOM_PREPS = MOVEMENT_WORDS["idiom_preps"]
_SHELTER_AUX = MOVEMENT_WORDS["shelter_aux"]
_HOME_COUNTRY = MOVEMENT_WORDS["home_country_words"]
_HOME_DEMONYMS = MOVEMENT_WORDS["home_demonyms"]
_FLIGHT_WORDS = MOVEMENT_WORDS["flight_words"]
_QUANTITY_NOUNS = MOVEMENT_WORDS["quantity_nouns"]


_VERB = _POS_IDS["VERB"]


def _describes_party(tok: Token) -> bool:
    """A motion verb in a clause that describes another movement's party ("forces which had
    advanced to X were driven back"): its place is where that party was, not a movement."""
    if tok.dep_ not in ("acl", "relcl"):
        return False
    noun = tok.head
    gov = noun.head
    return noun.dep_ in ("nsubj", "nsubjpass", "dobj") and gov.pos_ == "VERB" and verb_lemma(gov) in MOVE_VERBS


def _idiom(tok: Token) -> bool:
    """Motion words that move nobody: "came under fire", "went into effect"."""
    return any(c.dep_ == "prep" and c.lower_ in _IDIOM_PREPS for c in tok.children) and verb_lemma(tok) in (
        "come",
        "go",
    )


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
        seeks_refuge = refuge(tok) or makes_way(tok) or reinforced(tok) is not None
        if tok.i in consumed or tok.pos_ != "VERB" or (verb_lemma(tok) not in MOVE_VERBS and not seeks_refuge):
            continue
        mode = "subj" if seeks_refuge else MOVE_VERBS[verb_lemma(tok)]
        if _not_a_move(tok):
            continue
        subj = subject(tok)
        party_head = _best_subject(tok, _whole_party(_party_head(tok, mode, subj), tok))
        parent = _continues(tok, mode, by_verb)
        if parent is not None:
            consumed.add(tok.i)
            by_verb[tok.i] = parent
            continue
        inherited = by_verb.get(tok.head.i) if tok.dep_ == "conj" else None
        if party_head is None and inherited is None:
            continue
        vague = party_head is not None and (
            party_head.lower_ in VAGUE_PARTY or party_head.lemma_.lower() in VAGUE_PARTY
        )
        if inherited is None and vague and frames:
            # "One portion ... was transferred to the coast, and another was transferred to ..."
            inherited = frames[-1]
        if party_head is not None and inherited is None:
            # "civilians were killed as they fled": the pronoun's antecedent moved
            party_head = pronoun_antecedent(party_head, tok) or previous_subject(party_head, sent) or party_head
        party = _party_with_load(party_head) if party_head is not None else []
        named = (summing_noun(party_head) or party_head) if party_head is not None else None
        kind = _kind(named, tok)
        if (
            kind is None
            and inherited is not None
            and (party_head is None or party_head.lower_ in VAGUE_PARTY or party_head.lemma_.lower() in VAGUE_PARTY)
        ):
            kind = inherited.kind
        if kind is None:
            continue
        if inherited is not None and (party_head is None or party_head.lower_ in ("them", "they", "it")):
            # "withdrew ... from Idlib and sent them to Aleppo": one movement, both ends.
            origin, dest = role_tokens(tok)
            inherited.origin_tokens.extend(origin)
            inherited.dest_tokens.extend(dest)
            inherited.verbs.append(tok)
            consumed.add(tok.i)
            by_verb[tok.i] = inherited
            continue
        actor = _mover(kind, subj if mode == "obj" else None, party, party_head, inherited)
        origin, dest = role_tokens(tok)
        if not origin and party_head is not None:
            origin = load_origin(party_head) or where_party_was(party_head)
        kind = _people_ends(kind, tok, party, party_head, origin, dest)
        frame = MovementFrame(kind, tok, party, actor, origin, dest, [tok])
        frames.append(frame)
        by_verb[tok.i] = frame
        consumed.add(tok.i)
    return _one_journey(frames, noun_frames(sent, consumed))


def _one_journey(verb_frames: list[MovementFrame], nouns: list[MovementFrame]) -> list[MovementFrame]:
    """ "SOHR monitored the entry of a column from X, and it headed towards Y": the verb's party
    is the noun's ("it" = the column), one journey: the verb's ends fill the noun's."""
    out = list(nouns)
    for frame in verb_frames:
        same = next((n for n in nouns if frame.party and set(frame.party) <= set(n.party)), None)
        if same is None or same.kind != frame.kind:
            out.append(frame)
            continue
        _fill_ends(same, frame.origin_tokens, frame.dest_tokens)
        same.verbs.append(frame.verb)
    return sorted(out, key=lambda f: f.verb.i)


def _people_ends(
    kind: str, tok: Token, party: list[Token], party_head: Token | None, origin: list[Token], dest: list[Token]
) -> str:
    """The kind of a people's movement once its ends are known (a flight into the home country is a
    return; "sought refuge in X" a flight to X), with the ends a return or a refuge leaves open
    (filled in place)."""
    if kind == "displacement" and _going_home(tok, party, dest):
        kind = "refugee_return"
    if kind == "refugee_return":
        return_ends(tok, party_head, origin, dest)
    if refuge(tok):
        kind = "displacement" if kind in ("displacement", "refugee_return") else kind
        if not dest:
            dest.extend(
                t for c in tok.children if c.dep_ == "prep" and c.lower_ in ("in", "at", "inside") for t in c.subtree
            )
    return kind


def _going_home(verb: Token, party: list[Token], dest: list[Token]) -> bool:
    """Refugees who go into their home country return ("refugees began leaving Arsal to cross
    into Syria"); so do movers the clause calls a return ("..., a rare case of returns")."""
    if any(t.ent_type_ == "NORP" and t.lower_ not in _HOME_DEMONYMS for t in party) or _in_flight(verb):
        return False  # "Iraqi refugees crossed into Syria ..., fleeing the fighting in Ramadi"
    if any(t.lower_ in _HOME_COUNTRY for t in dest) and _lemmas_of(party) & REFUGEE_NOUNS:
        return True
    return any(t.pos_ == "NOUN" and t.lemma_.lower() == "return" for t in verb.subtree)


def _in_flight(verb: Token) -> bool:
    """The clause says the movers were fleeing: a flight, not a return."""
    return any(verb_lemma(t) in _FLIGHT_WORDS for t in verb.subtree if t.pos_ == "VERB")


def _lemmas_of(tokens: list[Token]) -> set[str]:
    return {t.lemma_.lower() for t in tokens} | {t.lower_ for t in tokens}


def _best_subject(verb: Token, head: Token | None) -> Token | None:
    """ "Around 400 fighters from Jaish al-Islam arrived in X": the parser may give the verb two
    subjects (here "fighters" and "Islam"); the one that names movers is the party. "A number of
    buses ... started to leave": the buses."""
    if head is not None and head.lemma_.lower() in _QUANTITY_NOUNS:
        counted = next((t for c in head.children if c.lower_ == "of" for t in c.children if t.dep_ == "pobj"), None)
        if counted is not None and counted.lemma_.lower() in CARRIER_NOUNS:
            return counted
    if head is None or head.dep_ != "nsubj" or _kind(head, verb) is not None:
        return head
    other = (c for c in verb.children if c.dep_ == "nsubj" and c is not head)
    return next((c for c in other if _kind(c, verb) is not None), head)


def _whole_party(head: Token | None, verb: Token) -> Token | None:
    """The whole coordinated party: in "buses carrying rebel fighters and their families leaving
    X" the parser hangs "leaving" on the last conjunct, and in "Hundreds of IS militants and their
    families left X" it may make each conjunct a subject of its own; the party is all of them."""
    while head is not None and head.dep_ == "conj" and head.head.pos_ in ("NOUN", "PROPN"):
        head = head.head
    if head is None or head.dep_ != "nsubj":
        return head
    for other in verb.children:
        joined = any(c.dep_ == "cc" for c in other.children) and other.right_edge.i + 1 >= head.left_edge.i
        if other.dep_ == "nsubj" and other.i < head.i and joined:
            return other
    return head


def _party_with_load(head: Token) -> list[Token]:
    """The party's words, with what a carrier carries ("buses carrying 1,500 people"), but not
    the count of the vehicles ("a convoy of 30 buses")."""
    tokens = party_tokens(head)
    if head.lemma_.lower() in CARRIER_NOUNS:
        seen = {t.i for t in tokens}
        tokens += [t for t in carried(head) if t.i not in seen]
    vehicles = vehicle_count(tokens)
    return sorted((t for t in tokens if t.i not in vehicles), key=lambda t: t.i)


def _shares_subject(verb: Token, frame: MovementFrame) -> bool:
    """A coordinated verb with no subject of its own moves its head verb's party."""
    own = any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
    return not own and MOVE_VERBS.get(verb_lemma(frame.verb), "subj") == "subj"


def _continue_journey(frame: MovementFrame, origin: list[Token], dest: list[Token]) -> None:
    """The next leg of a journey told by a coordinated verb: its destination is the journey's
    (the last one reached), its origin fills one not yet given."""
    if not frame.origin_tokens:
        frame.origin_tokens.extend(origin)
    if dest:
        frame.dest_tokens[:] = dest


def _continues(tok: Token, mode: str, by_verb: dict[int, MovementFrame]) -> MovementFrame | None:
    """The journey the verb continues, its ends added to it: a participle ("reinforced its positions
    around Palmyra, sending tanks from Homs"), a coordinated verb sharing its subject ("the convoy
    entered from X and went to Y"), or the way of the vehicles ridden ("left Talbiseh on 40 buses
    heading to Jarablus")."""
    parent = by_verb.get(tok.head.i)
    if parent is None:
        parent = _ridden_by(tok, by_verb)
        if parent is not None:
            _fill_ends(parent, *role_tokens(tok))
        return parent
    if tok.dep_ == "advcl" and tok.tag_ == "VBG":
        _fill_ends(parent, *role_tokens(tok))
        return parent
    if tok.dep_ == "conj" and mode == "subj" and _shares_subject(tok, parent):
        _continue_journey(parent, *role_tokens(tok))
        return parent
    return None


def _ridden_by(tok: Token, by_verb: dict[int, MovementFrame]) -> MovementFrame | None:
    """The journey of the movers who ride the vehicle ``tok`` describes: "left X on buses heading
    to Y" ("heading" hangs on the buses, the buses on "on", "on" on the journey's verb)."""
    vehicle = tok.head
    if tok.dep_ != "acl" or vehicle.lemma_.lower() not in CARRIER_NOUNS or vehicle.dep_ != "pobj":
        return None
    prep = vehicle.head
    if prep.lower_ not in ("on", "aboard", "in", "by"):
        return None
    return by_verb.get(prep.head.i)


def _kind(named: Token | None, verb: Token) -> str | None:
    """The kind of movement of the party ``named``; "the convoy" named before is that convoy
    ("a convoy of buses carrying 2,000 people ... The convoy reached Hama": people, not troops)."""
    if named is None:
        return None
    earlier = _earlier_mention(named) or _of_them(named)
    if earlier is not None:
        kind = classify(party_core(earlier), verb, earlier)
        if kind is not None:
            return kind
    return classify(party_core(named), verb, named)


def _of_them(named: Token) -> Token | None:
    """ "Rebels and civilians were trapped in the town. A number of them fled to X": "them" in the
    party's "of" is the subject of the sentence before (or of this one's main clause)."""
    them = next((t for t in party_core(named) if t.lower_ in ("them", "they") and t is not named), None)
    if them is None:
        return None
    sent = them.sent
    if sent.start == 0:
        return None
    prev = them.doc[sent.start - 1].sent.root
    subj = next((c for c in prev.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subj if subj is not None and subj.lower_ not in ("they", "them") else None


def _fill_ends(frame: MovementFrame, origin: list[Token], dest: list[Token]) -> None:
    """Ends a participle adds to its head verb's journey, where the journey has none."""
    if not frame.origin_tokens:
        frame.origin_tokens.extend(origin)
    if not frame.dest_tokens:
        frame.dest_tokens.extend(dest)


def _party_head(verb: Token, mode: str, subj: Token | None) -> Token | None:
    """Who moved: the object of an object-moving verb ("sent troops"), else its subject ("rebels
    withdrew from Baba Amr", "rebels evacuated the town": a place left is no party)."""
    if mode != "obj":
        return _subject_mover(verb, subj)
    obj = moved_object(verb)
    if obj is None or (verb_lemma(verb) in ORIGIN_OBJECT_VERBS and names_a_place(obj)):
        return subj
    return obj


def _subject_mover(verb: Token, subj: Token | None) -> Token | None:
    """The subject of a subject-moving verb, unless the verb is used transitively in another sense
    ("Israel flooded farmlands", "returned fire", "headed the delegation"); an object that names
    movers moved ("Turkey massed troops at the border")."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if (
        obj is None
        or verb_lemma(verb) in ORIGIN_OBJECT_VERBS | DEST_OBJECT_VERBS
        or refuge(verb)
        or makes_way(verb)
        or reinforced(verb) is not None
    ):
        return subj
    return obj if classify(party_core(obj), verb, obj) is not None else None


def _not_a_move(tok: Token) -> bool:
    """A motion verb that moves nothing here: "pull" without "out"/"back", talk about a move,
    a position ("forces stationed in Hama"), a clause describing a party, an idiom."""
    if verb_lemma(tok) == "pull" and not any(c.lower_ in ("out", "back") for c in tok.children):
        return True
    if verb_lemma(tok) == "carry" and (any(c.dep_ == "prt" for c in tok.children) or tok.tag_ == "VBG"):
        # "carried out 20 strikes": done, not moved; "buses (left X) carrying fighters": the load
        return True
    if tok.tag_ == "VBG" and tok.dep_ in ("csubj", "csubjpass", "pcomp", "nsubj"):
        return True  # "moving the weapons to the border is a threat": talk about a move
    if tok.dep_ in ("acl", "amod") and verb_lemma(tok) in POSITIONED:
        return True  # "forces stationed in Hama": where they are, not a move
    if refuge(tok) and tok.tag_ == "VBG" and any(c.dep_ == "aux" and c.lower_ in _SHELTER_AUX for c in tok.children):
        return True  # "had been taking shelter in a building": where they were, not a move
    return _a_state(tok) or _describes_party(tok) or _idiom(tok) or aims_at_no_place(tok)


def _a_state(tok: Token) -> bool:
    """ "1,500 troops are (currently) stationed / deployed in Darfur", "forces were based in Hama":
    where a party is, not a move (a present passive, or any passive of a position participle)."""
    aux = [c for c in tok.children if c.dep_ == "auxpass"]
    if not aux or verb_lemma(tok) not in STATION_VERBS:
        return False
    return verb_lemma(tok) in POSITIONED or aux[0].tag_ in ("VBP", "VBZ")


def _mover(
    kind: str, sender: Token | None, party: list[Token], party_head: Token | None, inherited: MovementFrame | None
) -> str | None:
    """The actor of a movement: troops and weapons are moved by (or are) an armed actor, the
    ``sender`` of an object-moving verb first; everyone else who moves is a civilian."""
    if kind not in ("troop_movement", "weapons_movement"):
        return "civilians"
    phrases = [list(sender.subtree) if sender is not None else [], party]
    if party_head is not None and party_head.lemma_.lower() in CARRIER_NOUNS:
        phrases.append(carried(party_head))  # "a convoy carrying Turkish troops"
    actor = next((a for a in map(armed_actor, phrases) if a is not None), None)
    if inherited is not None and actor is None:
        actor = inherited.actor
    if actor is None and party_head is not None:
        actor = _earlier_mention_actor(party_head)
    return actor


#: sentences back in which "the convoy" finds the convoy it names again
MENTION_SENTENCES = 3


def _earlier_mention(head: Token) -> Token | None:
    """The same noun in the sentences before, when ``head`` is definite ("the convoy")."""
    if head.lemma_.lower() not in CARRIER_NOUNS | TROOP_NOUNS:
        return None
    if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children):
        return None
    doc = head.doc
    first = head.sent.start
    for _ in range(MENTION_SENTENCES):
        if first == 0:
            break
        first = doc[first - 1].sent.start
    lemma = head.lemma_.lower()
    return next(
        (t for t in reversed(doc[first : head.sent.start]) if t.lemma_.lower() == lemma and t.pos_ == "NOUN"), None
    )


def _earlier_mention_actor(head: Token) -> str | None:
    """The actor of a definite party named before: "a convoy of the Turkish army entered Syria
    ... the convoy entered from X" is the Turkish army's convoy."""
    tok = _earlier_mention(head)
    if tok is None:
        return None
    phrase = [t for t in tok.subtree if abs(t.i - tok.i) < 12]
    sender = subject(tok.head) if tok.dep_ == "dobj" else None
    if sender is not None:
        phrase.extend(sender.subtree)  # "the Turkish military sent a convoy"
    if tok.lemma_.lower() in CARRIER_NOUNS:
        phrase.extend(carried(tok))
    return armed_actor(phrase)
