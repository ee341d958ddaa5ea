"""Movements in a sentence: troops, weapons, displaced people and returning refugees.

A movement is a motion verb, or a movement noun in an eventive frame ("the deployment of 800
personnel in X", "caused the displacement of 3,000 families"), whose moving party is troops,
weapons or people. The words live in ``geomap/nlp/lexicon/``: ``move_verbs.tsv``,
``move_nouns.tsv``, ``movement_words.tsv`` and the party nouns of ``word_lists.tsv``. Its ends come from the clause's own roles: "from X", "out of X", a place
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
    LEXICON_DIR,
    MOVE_VERBS,
    REFUGEE_NOUNS,
    TROOP_NOUNS,
    WEAPON_NOUNS,
    normalise_actor,
    verb_lemma,
)
from geomap.schema import read_table

__all__ = ["MovementFrame", "find_movements", "join_legs"]

_LISTS = {r["list"]: frozenset(r["words"].split()) for r in read_table(LEXICON_DIR / "movement_words.tsv")}
#: noun lemma -> the movement kind it tells ("any": decided by the party)
_MOVE_NOUNS = {r["lemma"]: r["kind"] for r in read_table(LEXICON_DIR / "move_nouns.tsv")}
_STATION_VERBS = _LISTS["station_verbs"]
_ORIGIN_OBJECT_VERBS = _LISTS["origin_object_verbs"]
_DEST_OBJECT_VERBS = _LISTS["dest_object_verbs"]
_CARRIER_NOUNS = _LISTS["carrier_nouns"]
_MILITARY_MODIFIERS = _LISTS["military_modifiers"]
_CARRY = _LISTS["carry_verbs"]
_POSITIONED = _LISTS["positioned_participles"]
_NOT_YET = _LISTS["not_yet_preps"]
_IDIOM_PREPS = _LISTS["idiom_preps"]
_REFUGE_VERBS = _LISTS["refuge_verbs"]
_REFUGE_NOUNS = _LISTS["refuge_nouns"]
_CONTAINER_MODIFIERS = _LISTS["container_modifiers"]
_OPERATION_NOUNS = _LISTS["operation_nouns"]
#: sentences between two tellings of one journey ("... fled Manbij." ... "They sought refuge in Tokhar.")
JOIN_SENTENCES = 4

_ORIGIN_PREPS = frozenset({"from", "out"})
_DEST_PREPS = frozenset({"to", "toward", "towards", "into", "onto", "for", "across"})
#: where a station verb's movers went ("deployed in X", "patrolled along the border")
_STATION_PREPS = frozenset({"in", "at", "throughout", "across", "around", "near", "along", "inside", "on"})
_VERB = _POS_IDS["VERB"]
_NOUN = _POS_IDS["NOUN"]
_VAGUE_PARTY = frozenset({"another", "other", "others", "rest", "remainder", "some", "part", "portion", "them", "they"})
_PRONOUNS = frozenset({"they", "them", "he", "she", "we"})


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


def _is_date(tok: Token) -> bool:
    return tok.ent_type_ in ("DATE", "TIME")


def _subject(verb: Token) -> Token | None:
    subjects = [
        c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and not _is_date(c)
    ]  # "On 23 June ...": a misparse
    if subjects:
        # "Movement of forces: On 25 April, AQAP militants deployed": a label read as a second subject
        return min(subjects, key=lambda c: abs(c.i - verb.i))
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
    """The moving party's noun phrase including "of" complements ("hundreds of rebels"): where
    its count and actor are read."""
    skip: set[int] = set()
    for c in head.children:
        if c.dep_ in ("relcl", "acl", "appos"):
            skip.update(t.i for t in c.subtree)
    return [t for t in head.subtree if t.i not in skip and abs(t.i - head.i) < 12]


#: dependents that say what the party is ("armoured vehicles", "Houthi fighters", "army's tanks")
_CORE_DEPS = frozenset({"compound", "amod", "nmod", "poss", "conj"})


def _party_core(head: Token) -> list[Token]:
    """The words that say what the party is: its head noun, the head's compounds, modifiers and
    conjuncts, and "of" complements ("hundreds of rebels"), not the clauses and phrases that
    describe it ("sounds ... of gunships firing from X" are sounds, not troops)."""
    out: list[Token] = []
    stack = [head]
    while stack:
        tok = stack.pop()
        out.append(tok)
        for c in tok.children:
            if c.dep_ in _CORE_DEPS:
                stack.append(c)
            elif c.dep_ == "prep" and c.lower_ == "of":
                stack.extend(cc for cc in c.children if cc.dep_ == "pobj")
    return sorted(out, key=lambda t: t.i)


#: words that open a noun phrase summing up a list before it ("... - all those sounds have gone")
_SUMMING_WORDS = frozenset({"all", "these", "those", "such"})


def _summing_noun(head: Token) -> Token | None:
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


def _carried(head: Token) -> list[Token]:
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
    return out


def _armed_name(head: Token) -> bool:
    """A named armed group as the mover ("the SDF pushed into the city", "Hezbollah withdrew")."""
    if head.pos_ != "PROPN":
        return False
    actor = normalise_actor([head])
    return actor is not None and actor != "civilians"


def _classify(party: list[Token], verb: Token, head: Token | None = None) -> str | None:
    """The kind of movement ``party`` makes with ``verb`` (a verb or a movement noun)."""
    lemmas = _lemmas(party)
    if head is not None and head.lemma_.lower() in _CARRIER_NOUNS:
        lemmas |= _lemmas(_carried(head))
    if lemmas & _CARRIER_NOUNS and lemmas & _MILITARY_MODIFIERS:
        return "troop_movement"  # "armoured vehicles", "a vessel carrying military trucks"
    if lemmas & WEAPON_NOUNS:
        return "weapons_movement"
    if lemmas & TROOP_NOUNS or (head is not None and _armed_name(head)):
        return "troop_movement"
    if lemmas & (CIVILIAN_NOUNS | REFUGEE_NOUNS):
        lemma = verb_lemma(verb) if verb.pos_ in ("VERB", "AUX") else verb.lemma_.lower()
        noun_kind = _MOVE_NOUNS.get(lemma)
        if noun_kind is not None:
            return noun_kind if noun_kind in ("displacement", "refugee_return") else "displacement"
        back = lemma == "return" or (lemma in ("go", "come") and any(c.lower_ == "home" for c in verb.children))
        if back:
            return "refugee_return"
        if lemma in ("flee", "escape", "leave", "evacuate", "cross", "pour", "displace", "uproot", "bus") or _refuge(
            verb
        ):
            return "displacement"
    return None


def _refuge(verb: Token) -> bool:
    """ "sought refuge / took shelter in X": the subject went to X."""
    return (
        verb.pos_ == "VERB"
        and verb_lemma(verb) in _REFUGE_VERBS
        and any(c.dep_ == "dobj" and c.lemma_.lower() in _REFUGE_NOUNS for c in verb.children)
    )


def _previous_subject(tok: Token, sent: Span) -> Token | None:
    """ "Many civilians had fled their houses. They sought refuge in Tokhar": a sentence-initial
    pronoun subject stands for the previous sentence's subject."""
    if tok.lower_ not in _PRONOUNS or tok.i != sent.start or sent.start == 0:
        return None
    prev = sent.doc[sent.start - 1].sent
    subj = _subject(prev.root) if prev.root.pos_ in ("VERB", "AUX") else None
    return subj if subj is not None and subj.lower_ not in _PRONOUNS else None


def _pronoun_antecedent(tok: Token, verb: Token) -> Token | None:
    """The party "they" stands for in "civilians were killed as they fled": the subject of the
    clause the pronoun's clause depends on."""
    if tok.lower_ not in _PRONOUNS or verb.dep_ not in ("advcl", "conj", "ccomp", "xcomp"):
        return None
    gov = verb.head
    for c in gov.children:
        if c.dep_ in ("nsubjpass", "nsubj") and c.lower_ not in _PRONOUNS:
            return c
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


_COMPASS = frozenset("north south east west northeast northwest southeast southwest".split())


def _locative_direction(prep: Token) -> bool:
    """ "from towns to the southeast of the city": the direction says where the towns are, not
    where the movers went (under the verb, "withdrew to the east of Aleppo" is a destination)."""
    after_origin = False
    if prep.i > 0:
        # does the word before "to" end a "from ..." phrase?
        last = prep.doc[prep.i - 1]
        after_origin = any(
            a.dep_ == "prep" and a.lower_ in _ORIGIN_PREPS and a.right_edge.i == last.i for a in [last, *last.ancestors]
        )
    if prep.lower_ != "to" or not (
        after_origin or prep.head.lower_ in _ORIGIN_PREPS or prep.head.pos_ in ("NOUN", "PROPN")
    ):
        return False
    for c in prep.children:
        bare = not any(g.dep_ in ("amod", "compound") for g in c.children)
        if c.dep_ == "pobj" and c.lower_ in _COMPASS and bare and any(g.lower_ == "of" for g in c.children):
            return True
    return False


def _ends_on_party(party: Token, station: bool, origin: list[Token], dest: list[Token]) -> None:
    """Ends the parser hangs on the moved party ("deployed reinforcements in Al Ahtub", "sent
    troops to Homs", "the deployment of 300 personnel in Idlib"); fills what is still empty."""
    described = {t.i for k in party.children if k.dep_ in ("relcl", "acl") for t in k.subtree}
    for p in party.subtree:
        if p.dep_ != "prep" or p.i in described or not _has_place_object(p):
            continue
        if p.lower_ in _DEST_PREPS and not _locative_direction(p) and not dest:
            dest.extend(p.subtree)
        elif p.lower_ in _STATION_PREPS and station and not dest:
            dest.extend(p.subtree)
        elif p.lower_ in _ORIGIN_PREPS and not origin:
            origin.extend(p.subtree)
    if not origin:
        origin.extend(_where_party_was(party))


def _has_place_object(prep: Token) -> bool:
    """The preposition has an object that is not a date ("on Monday" is when, not where)."""
    objs = [t for t in prep.children if t.dep_ == "pobj"]
    return bool(objs) and not any(_is_date(t) for t in objs)


def _role_tokens(verb: Token) -> tuple[list[Token], list[Token]]:
    """The tokens of a motion verb's origin and destination phrases."""
    origin: list[Token] = []
    dest: list[Token] = []
    lemma = verb_lemma(verb)
    _preposition_ends(verb, origin, dest)
    if lemma in ("displace", "uproot") and not origin:
        origin.extend(_displaced_from(verb))
    if not dest and lemma in _STATION_VERBS:
        dest.extend(_stationed_at(verb))
    _object_ends(verb, lemma, origin, dest)
    if not dest and lemma in ("head", "go", "come", "move", "march", "advance", "send", "deploy", "dispatch"):
        dest.extend(_purpose_place(verb))
    return origin, dest


def _preposition_ends(verb: Token, origin: list[Token], dest: list[Token]) -> None:
    """Ends from prepositions: "from X", "out of X" an origin, "to X" a destination (not "north of X")."""
    for c in _own_preps(verb):
        low = c.lower_
        if low in _ORIGIN_PREPS or (low == "of" and c.head.lower_ in ("out",)):
            origin.extend(c.subtree)
        elif low in _DEST_PREPS and not _locative_direction(c):
            # "flew into Syrian air space from Iraq": the parser may hang "from Iraq" on the
            # destination's noun; it is the origin
            inner = [
                t for p in c.subtree if p.dep_ == "prep" and p.lower_ in _ORIGIN_PREPS and p.i != c.i for t in p.subtree
            ]
            dest.extend(t for t in c.subtree if t not in inner)
            origin.extend(inner)


def _displaced_from(verb: Token) -> list[Token]:
    """Where the displaced were: "displaced by the fighting in Idlib", "displaced in Homs"."""
    for c in verb.subtree:
        if c.dep_ == "prep" and c.lower_ in ("in", "from", "around", "near"):
            return list(c.subtree)
    return []


def _stationed_at(verb: Token) -> list[Token]:
    """Where a stationing verb's party went: "deployed reinforcements in Al Ahtub", "patrolled
    along the border", "deployed and set up checkpoints throughout Merkhah district"."""
    for c in _own_preps(verb):
        if c.lower_ in _STATION_PREPS and c.head.i == verb.i and _has_place_object(c):
            return list(c.subtree)
    found: list[Token] = []
    for v in verb.children:
        if v.dep_ != "conj" or v.pos_ != "VERB":
            continue
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ in _STATION_PREPS and _has_place_object(c):
                found.extend(c.subtree)
            elif c.dep_ == "dobj":
                _ends_on_party(c, True, [], found)
            if found:
                break
    return found


def _object_ends(verb: Token, lemma: str, origin: list[Token], dest: list[Token]) -> None:
    """Ends given by the verb's object: the place left ("left Homs"), the place reached
    ("reached Homs"), or the moved party's own phrases ("sent troops to Homs")."""
    for c in verb.children:
        if c.dep_ == "dobj" and lemma in _ORIGIN_OBJECT_VERBS:
            # "left Homs for Idlib": the parser hangs the destination on the place left
            onward = [t for p in c.children if p.dep_ == "prep" and p.lower_ in _DEST_PREPS for t in p.subtree]
            origin.extend(t for t in c.subtree if t not in onward)
            dest.extend(onward)
        elif c.dep_ == "dobj" and lemma in _DEST_OBJECT_VERBS:
            dest.extend(c.subtree)
        elif c.dep_ in ("dobj", "nsubjpass") and MOVE_VERBS.get(lemma) == "obj":
            _ends_on_party(c, lemma in _STATION_VERBS, origin, dest)


def _purpose_place(verb: Token) -> list[Token]:
    """Where they went to do something: "headed to fight in Aleppo" (the purpose clause's place)."""
    found: list[Token] = []
    for c in verb.children:
        if c.dep_ in ("xcomp", "advcl") and any(a.lower_ == "to" and a.dep_ == "aux" for a in c.children):
            for cc in c.children:
                if cc.dep_ == "prep" and cc.lower_ in ({"in", "at", "on"} | _DEST_PREPS) and _has_place_object(cc):
                    found.extend(cc.subtree)
    return found


def _where_party_was(party: Token) -> list[Token]:
    """Where a moved party was, from a clause describing it: "forces stationed in Shuqrah were
    moved to Shabwah", "forces which had advanced to within 7 km of Tabqa were driven back"."""
    for p in party.children:
        if p.dep_ not in ("acl", "relcl"):
            continue
        lemma = verb_lemma(p)
        if lemma in _POSITIONED:
            wanted = frozenset({"in", "at", "near", "around"})
        elif lemma in MOVE_VERBS:
            wanted = _DEST_PREPS | {"within", "near"}
        else:
            continue
        for q in _own_preps(p):
            if q.lower_ in wanted and any(t.dep_ == "pobj" for t in q.subtree):
                return list(q.subtree)
    return []


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
        refuge = _refuge(tok)
        if tok.i in consumed or tok.pos_ != "VERB" or (verb_lemma(tok) not in MOVE_VERBS and not refuge):
            continue
        mode = "subj" if refuge else MOVE_VERBS[verb_lemma(tok)]
        if _not_a_move(tok):
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
        vague = party_head is not None and (
            party_head.lower_ in _VAGUE_PARTY or party_head.lemma_.lower() in _VAGUE_PARTY
        )
        if inherited is None and vague and frames:
            # "One portion ... was transferred to the coast, and another was transferred to ..."
            inherited = frames[-1]
        if party_head is not None and inherited is None:
            # "civilians were killed as they fled": the pronoun's antecedent moved
            party_head = _pronoun_antecedent(party_head, tok) or _previous_subject(party_head, sent) or party_head
        party = _party_tokens(party_head) if party_head is not None else []
        named = (_summing_noun(party_head) or party_head) if party_head is not None else None
        kind = _classify(_party_core(named), tok, named) if named is not None else None
        if (
            kind is None
            and inherited is not None
            and (party_head is None or party_head.lower_ in _VAGUE_PARTY or party_head.lemma_.lower() in _VAGUE_PARTY)
        ):
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
        actor = _mover(kind, subj if mode == "obj" else None, party, party_head, inherited)
        origin, dest = _role_tokens(tok)
        if refuge:
            kind = "displacement" if kind in ("displacement", "refugee_return") else kind
            dest = dest or [
                t for c in tok.children if c.dep_ == "prep" and c.lower_ in ("in", "at", "inside") for t in c.subtree
            ]
        frame = MovementFrame(kind, tok, party, actor, origin, dest, [tok])
        frames.append(frame)
        by_verb[tok.i] = frame
        consumed.add(tok.i)
    frames.extend(_noun_frames(sent, consumed))
    return frames


def _not_a_move(tok: Token) -> bool:
    """A motion verb that moves nothing here: "pull" without "out"/"back", talk about a move,
    a position ("forces stationed in Hama"), a clause describing a party, an idiom."""
    if verb_lemma(tok) == "pull" and not any(c.lower_ in ("out", "back") for c in tok.children):
        return True
    if tok.tag_ == "VBG" and tok.dep_ in ("csubj", "csubjpass", "pcomp", "nsubj"):
        return True  # "moving the weapons to the border is a threat": talk about a move
    if tok.dep_ in ("acl", "amod") and verb_lemma(tok) in _POSITIONED:
        return True  # "forces stationed in Hama": where they are, not a move
    return _describes_party(tok) or _idiom(tok)


def _mover(
    kind: str, sender: Token | None, party: list[Token], party_head: Token | None, inherited: MovementFrame | None
) -> str | None:
    """The actor of a movement: troops and weapons are moved by (or are) an armed actor, the
    ``sender`` of an object-moving verb first; everyone else who moves is a civilian."""
    if kind not in ("troop_movement", "weapons_movement"):
        return "civilians"
    actor_toks = (list(sender.subtree) if sender is not None else []) + party
    if party_head is not None and party_head.lemma_.lower() in _CARRIER_NOUNS:
        actor_toks += _carried(party_head)
    actor = normalise_actor(actor_toks)
    if inherited is not None and actor is None:
        actor = inherited.actor
    return actor


def _noun_party(noun: Token) -> Token | None:
    """Who moves in a movement noun: "of X", a possessive, a compound ("troop withdrawal"),
    else the subject of the verb that governs it ("Russian forces conducted a patrol")."""
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for cc in c.children:
                if cc.dep_ == "pobj":
                    return cc
    for c in noun.children:
        if (
            c.dep_ in ("poss", "compound")
            and c.lower_ not in _PRONOUNS
            and c.pos_ in ("NOUN", "PROPN")
            and c.lemma_.lower() not in _MOVE_NOUNS
        ):
            return c
    gov = noun.head
    if noun.dep_ == "dobj" and gov.pos_ == "VERB":
        return _subject(gov)
    return None


def _cause_place(noun: Token) -> list[Token]:
    """Where people were displaced from when the cause names it: "the escalation in Aleppo caused
    the displacement of 3,000 families"."""
    gov = noun.head
    if noun.dep_ != "dobj" or gov.pos_ != "VERB":
        return []
    subj = _subject(gov)
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


def _told_as_happened(noun: Token) -> bool:
    """The movement noun is an argument of a clause, and not of a plan ("before", "pending"...)."""
    if noun.dep_ == "pobj":
        prep = noun.head
        return not (prep.lower_ in _NOT_YET or prep.head.lower_ in _NOT_YET)
    return noun.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "ROOT", "conj", "appos")


def _noun_mover(noun: Token, kind: str, party: list[Token]) -> str | None:
    """The actor of a movement told by a noun: the armed party, else the doer of the governing
    verb ("police launched an operation with the deployment of 887 personnel"); or civilians."""
    if kind not in ("troop_movement", "weapons_movement"):
        return "civilians"
    actor = normalise_actor(party)
    if actor is None and kind == "troop_movement":
        gov = next((a for a in noun.ancestors if a.pos_ == "VERB" and a.dep_ not in ("acl", "relcl", "amod")), None)
        subj = _subject(gov) if gov is not None else None
        actor = normalise_actor(list(subj.subtree)) if subj is not None else None
    return actor


def _noun_frames(sent: Span, consumed: set[int]) -> list[MovementFrame]:
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
        kind_word = _MOVE_NOUNS.get(noun.lemma_.lower())
        if kind_word is None:
            continue
        if noun.dep_ == "compound" and noun.head.lemma_.lower() in _OPERATION_NOUNS:
            noun = noun.head  # "conducted an airdrop operation in X": the operation is the movement
        if not _told_as_happened(noun):
            continue
        head = _noun_party(noun)
        party = _party_tokens(head) if head is not None else []
        kind = _classify(_party_core(head), noun, head) if head is not None else None
        if kind is None and kind_word == "troop_movement" and noun.lemma_.lower() == "patrol" and head is None:
            continue
        if kind is None or (
            kind_word not in ("any", kind) and not (kind_word == "refugee_return" and kind == "displacement")
        ):
            continue
        if kind_word == "refugee_return":
            kind = "refugee_return"
        origin, dest = _role_tokens(noun)
        if not dest and (kind in ("troop_movement", "weapons_movement")):
            # "a patrol in Tal Abyad", "an airdrop operation against hideouts in the desert of X"
            for c in noun.subtree:
                if c.dep_ == "prep" and c.lower_ in _STATION_PREPS and _has_place_object(c):
                    dest.extend(c.subtree)
                    break
        if head is not None and head.i > noun.i:
            _ends_on_party(head, kind in ("troop_movement", "weapons_movement"), origin, dest)
        actor = _noun_mover(noun, kind, party)
        if not origin and kind == "displacement":
            origin = _cause_place(noun) or _earlier_place_phrase(noun, sent)
        out.append(MovementFrame(kind, noun, party, actor, origin, dest, [noun]))
        consumed.add(i)
    return out


def join_legs(doc, records: list[dict]) -> list[dict]:
    """One journey told in two sentences becomes one movement record.

    "... civilians were killed as they fled from Manbij." ... "They sought refuge in the village of
    Tokhar." gives a displacement with an origin only and, a few sentences later, one of the same
    kind and actor with a destination only: they are the two ends of one movement (a coder records
    one). The later record's destination fills the earlier one; the later record is dropped.

    Parameters
    ----------
    doc : spacy.tokens.Doc
    records : list of dict
        Movement records of ``doc`` in text order (``origin``/``destination`` place Spans).

    Returns
    -------
    list of dict
    """
    starts = [s.start_char for s in doc.sents]

    def sent_no(char: int) -> int:
        return sum(1 for c in starts if c <= char)

    out: list[dict] = []
    for rec in records:
        joined = False
        if rec.get("origin") is None and rec.get("destination") is not None:
            for old in reversed(out):
                if (
                    old["kind"] == rec["kind"]
                    and old.get("actor") == rec.get("actor")
                    and old.get("destination") is None
                    and old.get("origin") is not None
                    and 0 < sent_no(rec["char_start"]) - sent_no(old["char_start"]) <= JOIN_SENTENCES
                ):
                    old["destination"] = rec["destination"]
                    joined = True
                    break
        if not joined:
            out.append(rec)
    return out
