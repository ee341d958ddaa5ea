"""Where a movement went from and to: the origin and destination phrases of its clause.

"from X", "out of X", a place object of flee/leave/evacuate are origins; "to/toward/into X", the
place of a purpose clause ("headed to fight in Aleppo") or where a station verb put its party
("deployed reinforcements in X") are destinations. An end the clause does not give stays empty.
"""

from __future__ import annotations

from spacy.tokens import Token

from geomap.nlp.event_lexicon import MOVE_VERBS, verb_lemma
from geomap.nlp.movement_party import CARRIER_NOUNS, MOVEMENT_WORDS, is_date, reinforced

STATION_VERBS = MOVEMENT_WORDS["station_verbs"]


ORIGIN_OBJECT_VERBS = MOVEMENT_WORDS["origin_object_verbs"]
_PLACE_OBJECT_VERBS = MOVEMENT_WORDS["place_object_verbs"]
_PLACE_NOUNS = MOVEMENT_WORDS["place_nouns"]
_NOT_PLACE_OBJECTS = MOVEMENT_WORDS["not_place_objects"]
_HOME_NOUNS = MOVEMENT_WORDS["home_nouns"]
_CROSSED_NOUNS = MOVEMENT_WORDS["crossed_nouns"]
_DIRECTION_NOUNS = MOVEMENT_WORDS["direction_nouns"]
_FLIGHT_WORDS = MOVEMENT_WORDS["flight_words"]
_ATTRIBUTION_WORDS = MOVEMENT_WORDS["attribution_words"]


DEST_OBJECT_VERBS = MOVEMENT_WORDS["dest_object_verbs"]


POSITIONED = MOVEMENT_WORDS["positioned_participles"]


ORIGIN_PREPS = frozenset({"from", "out"})


DEST_PREPS = frozenset({"to", "toward", "towards", "into", "onto", "for", "across"})


#: where a station verb's movers went ("deployed in X", "patrolled along the border")
STATION_PREPS = frozenset({"in", "at", "throughout", "across", "around", "near", "along", "inside", "on"})


def own_preps(verb: Token) -> list[Token]:
    """Prepositions of the verb's clause, also when nested ("along with their tanks ... from Idlib")."""
    out = []
    stack = list(verb.children)
    while stack:
        c = stack.pop()
        if c.lower_ in _ATTRIBUTION_WORDS:
            continue  # "According to SANA, the convoy entered Iraq": a source, not an end
        if c.dep_ in ("prep", "dative"):
            out.append(c)
            stack.extend(cc for cc in c.children if cc.dep_ == "prep")
            # "left the town on buses towards Jarablus": the way of the vehicles ridden
            stack.extend(
                p
                for o in c.children
                if o.dep_ == "pobj" and o.lemma_.lower() in CARRIER_NOUNS
                for p in o.children
                if p.dep_ == "prep"
            )
        elif c.dep_ in ("advmod", "prt") or (c.dep_ == "dobj" and c.lower_ == "way"):
            # "made its way to X": the parser may hang the destination on "way"
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
            a.dep_ == "prep" and a.lower_ in ORIGIN_PREPS and a.right_edge.i == last.i for a in [last, *last.ancestors]
        )
    if prep.lower_ != "to" or not (
        after_origin or prep.head.lower_ in ORIGIN_PREPS or prep.head.pos_ in ("NOUN", "PROPN")
    ):
        return False
    for c in prep.children:
        bare = not any(g.dep_ in ("amod", "compound") for g in c.children)
        if c.dep_ == "pobj" and c.lower_ in _COMPASS and bare and any(g.lower_ == "of" for g in c.children):
            return True
    return False


def ends_on_party(party: Token, station: bool, origin: list[Token], dest: list[Token]) -> None:
    """Ends the parser hangs on the moved party ("deployed reinforcements in Al Ahtub", "sent
    troops to Homs", "the deployment of 300 personnel in Idlib"); fills what is still empty."""
    described = {t.i for k in party.children if k.dep_ in ("relcl", "acl") for t in k.subtree}
    for p in party.subtree:
        if p.dep_ != "prep" or p.i in described or not has_place_object(p):
            continue
        if p.lower_ in DEST_PREPS and not _locative_direction(p) and not dest:
            dest.extend(p.subtree)
        elif p.lower_ in STATION_PREPS and station and not dest:
            dest.extend(p.subtree)
        elif p.lower_ in ORIGIN_PREPS and not origin:
            origin.extend(p.subtree)
    if not dest:
        dest.extend(bound_for(party))
    if not origin:
        origin.extend(where_party_was(party))


def has_place_object(prep: Token) -> bool:
    """The preposition has an object that is not a date ("on Monday" is when, not where)."""
    objs = [t for t in prep.children if t.dep_ == "pobj"]
    return bool(objs) and not any(is_date(t) for t in objs)


def role_tokens(verb: Token) -> tuple[list[Token], list[Token]]:
    """The tokens of a motion verb's origin and destination phrases."""
    origin: list[Token] = []
    dest: list[Token] = []
    lemma = verb_lemma(verb)
    _preposition_ends(verb, origin, dest)
    if dest and lemma in STATION_VERBS and not any(t.pos_ == "PROPN" for t in dest):
        # "arrived in Tal Rifaat on Friday to man checkpoints": the named place, not the aim
        named = _stationed_at(verb)
        if any(t.pos_ == "PROPN" for t in named):
            dest[:] = named
    if lemma in ("displace", "uproot") and not origin:
        origin.extend(_displaced_from(verb))
    if not dest and lemma in STATION_VERBS:
        dest.extend(_stationed_at(verb))
    _object_ends(verb, lemma, origin, dest)
    if not dest:
        # "fled to escape the bombing in Homs": what they left; "left Arsal to cross into
        # Syria": where they went (the purpose is itself a move)
        dest.extend(_purpose_place(verb, moves_only=lemma in _LEFT_BEHIND))
    if not dest:
        dest.extend(bound_for(verb))
    if not dest:
        dest.extend(_onward(verb))
    if not dest:
        dest.extend(_reinforced_at(verb))
    if not origin:
        origin.extend(_fled_from(verb))
    _place_homes(verb, origin)
    _place_homes(verb, dest)
    if dest:
        dest[:] = _then_on(verb) or dest
        _origin_inside(dest, origin)
    return origin, dest


def _origin_inside(dest: list[Token], origin: list[Token]) -> None:
    """ "arrived at the Qalaat al-Madiq crossing from the southern sector of Daraa": the parser
    hangs "from X" on the destination's noun; it is the origin."""
    ids = {t.i for t in dest}
    inner = [
        p for p in dest if p.dep_ == "prep" and p.lower_ in ORIGIN_PREPS and p.head.i in ids and has_place_object(p)
    ]
    if not inner:
        return
    moved = {t.i for p in inner for t in p.subtree}
    if not origin:
        origin.extend(t for p in inner for t in p.subtree)
    dest[:] = [t for t in dest if t.i not in moved]


def _then_on(verb: Token) -> list[Token]:
    """The last leg of a journey: "went to Eshtabrak point and then to the point of Sher Maghar"
    ends at Sher Maghar (the parser may hang "then to X" anywhere in the sentence)."""
    sent = verb.sent
    for t in reversed(sent):
        if t.i <= verb.i + 1 or t.lower_ not in ("to", "towards", "toward"):
            continue
        if t.doc[t.i - 1].lower_ == "then" and any(c.dep_ == "pobj" for c in t.children) and has_place_object(t):
            return list(t.subtree)
    return []


def _place_homes(verb: Token, end: list[Token]) -> None:
    """ "fled their homes in Daraa", "returned to their homes in Palmyra": the parser hangs the
    homes' place on the verb."""
    if not any(t.lemma_.lower() in _HOME_NOUNS for t in end) or any(t.pos_ == "PROPN" for t in end):
        return
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "in" and has_place_object(c) and c not in end:
            end.extend(c.subtree)
            return


#: verbs whose purpose clause tells what the movers left, not where they went ("fled to escape
#: the bombing in Homs")
_LEFT_BEHIND = ORIGIN_OBJECT_VERBS | {"displace", "uproot"}


def _fled_from(verb: Token) -> list[Token]:
    """Where the movers came from when a participle says what they fled: "crossed into Turkey,
    fleeing fighting in Tal Abyad", "arrived in Idlib, escaping the siege of Madaya"."""
    for c in verb.children:
        if c.dep_ in ("advcl", "xcomp", "conj") and c.tag_ == "VBG" and verb_lemma(c) in _FLIGHT_WORDS:
            for cc in c.children:
                if cc.dep_ == "dobj" or (cc.dep_ == "prep" and cc.lower_ in ORIGIN_PREPS):
                    return list(cc.subtree)
    return []


def _preposition_ends(verb: Token, origin: list[Token], dest: list[Token]) -> None:
    """Ends from prepositions: "from X", "out of X" an origin, "to X" a destination (not "north of X")."""
    for c in own_preps(verb):
        low = c.lower_
        if low in ORIGIN_PREPS or (low == "of" and c.head.lower_ in ("out",)):
            # "withdrew from their positions in X towards Y": the parser may hang the
            # destination on the origin's noun
            onward = [
                t
                for p in c.subtree
                if p.dep_ == "prep" and p.lower_ in DEST_PREPS and p.i != c.i and not _locative_direction(p)
                for t in p.subtree
            ]
            origin.extend(t for t in c.subtree if t not in onward)
            dest.extend(onward)
        elif _direction_of(c):
            dest.extend(_direction_of(c))
        elif low in DEST_PREPS and not _locative_direction(c) and not _no_place_object(c):
            # "flew into Syrian air space from Iraq": the parser may hang "from Iraq" on the
            # destination's noun; it is the origin
            inner = [
                t for p in c.subtree if p.dep_ == "prep" and p.lower_ in ORIGIN_PREPS and p.i != c.i for t in p.subtree
            ]
            dest.extend(t for t in c.subtree if t not in inner)
            origin.extend(inner)


def _direction_of(prep: Token) -> list[Token]:
    """ "left Afrin in the direction of Nubl", "towards the direction of X": the place of "of"."""
    if prep.lower_ not in ("in", "towards", "toward"):
        return []
    for obj in prep.children:
        if obj.dep_ == "pobj" and obj.lemma_.lower() in _DIRECTION_NOUNS:
            for of in obj.children:
                if of.dep_ == "prep" and of.lower_ == "of" and has_place_object(of):
                    return list(of.subtree)
    return []


def _no_place_object(prep: Token) -> bool:
    """ "to the negotiating table in Geneva", "for a ceasefire in Aleppo": an aim, not a place."""
    return any(c.dep_ == "pobj" and c.lemma_.lower() in _NOT_PLACE_OBJECTS for c in prep.children)


def _displaced_from(verb: Token) -> list[Token]:
    """Where the displaced were: "displaced by the fighting in Idlib", "displaced in Homs"."""
    for c in verb.subtree:
        if c.dep_ == "prep" and c.lower_ in ("in", "from", "around", "near"):
            return list(c.subtree)
    return []


def _stationed_at(verb: Token) -> list[Token]:
    """Where a stationing verb's party went: "deployed reinforcements in Al Ahtub", "patrolled
    along the border", "deployed and set up checkpoints throughout Merkhah district"."""
    for c in own_preps(verb):
        if c.lower_ in STATION_PREPS and c.head.i == verb.i and has_place_object(c):
            return list(c.subtree)
    found: list[Token] = []
    for v in verb.children:
        if v.dep_ != "conj" or v.pos_ != "VERB":
            continue
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ in STATION_PREPS and has_place_object(c):
                found.extend(c.subtree)
            elif c.dep_ == "dobj":
                ends_on_party(c, True, [], found)
            if found:
                break
    return found


def _object_ends(verb: Token, lemma: str, origin: list[Token], dest: list[Token]) -> None:
    """Ends given by the verb's object: the place left ("left Homs"), the place reached
    ("reached Homs"), or the moved party's own phrases ("sent troops to Homs")."""
    for c in verb.children:
        # "left east Aleppo": the parser may read the place left as a predicate ("oprd")
        if c.dep_ in ("dobj", "oprd") and lemma in ORIGIN_OBJECT_VERBS and _names_a_place_left(c, lemma):
            # "left Homs for Idlib": the parser hangs the destination on the place left
            onward = [t for p in c.children if p.dep_ == "prep" and p.lower_ in DEST_PREPS for t in p.subtree]
            origin.extend(t for t in c.subtree if t not in onward)
            dest.extend(onward)
        elif c.dep_ == "dobj" and lemma in DEST_OBJECT_VERBS and _crossable(c, lemma):
            # "crossed the border from Lebanon into Qusayr": the parser hangs the origin on the
            # object, and with a destination phrase the object is the way, not the end
            back = [t for p in c.children if p.dep_ == "prep" and p.lower_ in ORIGIN_PREPS for t in p.subtree]
            if not origin:
                origin.extend(back)
            if not dest:
                dest.extend(t for t in c.subtree if t not in back)
        elif c.dep_ in ("dobj", "nsubjpass") and MOVE_VERBS.get(lemma) == "obj":
            ends_on_party(c, lemma in STATION_VERBS, origin, dest)


def _names_a_place_left(obj: Token, lemma: str) -> bool:
    """ "left Homs", "left the town": a place; "left a backpack at the market": not a movement end.
    What people flee or escape may be an event ("fled the fighting in Afrin")."""
    return lemma not in _PLACE_OBJECT_VERBS or names_a_place(obj)


def _crossable(obj: Token, lemma: str) -> bool:
    """What is crossed is a border, a river or a country, not a road ("women were crossing
    Browns Bridge Road when they were struck")."""
    if lemma != "cross":
        return True
    return obj.ent_type_ in ("GPE", "LOC", "NORP") or obj.lemma_.lower() in _CROSSED_NOUNS


def names_a_place(obj: Token) -> bool:
    """The noun names a place: a name, or a place noun ("the town", "their positions")."""
    return (
        obj.pos_ == "PROPN"
        or (obj.is_title and obj.i != obj.sent.start)  # "left Homs": a name the tagger reads as a noun
        or obj.ent_type_ in ("GPE", "LOC", "FAC")
        or obj.lemma_.lower() in _PLACE_NOUNS
        or obj.lower_ in _PLACE_NOUNS
    )


_BOUND_WORDS = MOVEMENT_WORDS["bound_words"]


def _reinforced_at(verb: Token) -> list[Token]:
    """Where reinforcements went: "reinforced its positions at X", "bolstered its troops in X"."""
    target = reinforced(verb)
    if target is None:
        return []
    for p in [*target.children, *verb.children]:
        named = any(t.pos_ == "PROPN" for t in p.subtree)  # "in the area" is no place
        if p.dep_ == "prep" and p.lower_ in STATION_PREPS and has_place_object(p) and named:
            return list(p.subtree)
    return []


def aims_at_no_place(verb: Token) -> bool:
    """ "reached a ceasefire agreement", "entered talks": the object is an aim, not a place."""
    return verb_lemma(verb) in DEST_OBJECT_VERBS and any(
        c.dep_ == "dobj" and c.lemma_.lower() in _NOT_PLACE_OBJECTS for c in verb.children
    )


def _onward(verb: Token) -> list[Token]:
    """Where the movers went on to, told by a participle: "fled Kafr Nabl, heading north towards
    Atmeh", "left the town, making their way to Idlib"."""
    for c in verb.children:
        if c.dep_ not in ("advcl", "xcomp") or c.tag_ != "VBG" or MOVE_VERBS.get(verb_lemma(c)) != "subj":
            continue
        preps = own_preps(c) + [
            p for o in c.children if o.dep_ in ("dobj", "advmod") for p in o.children if p.dep_ == "prep"
        ]
        for p in preps:
            if p.lower_ in DEST_PREPS and has_place_object(p) and not _no_place_object(p):
                return list(p.subtree)
    return []


def bound_for(head: Token) -> list[Token]:
    """Where the movers were bound: "left eastern Ghouta late Saturday, bound for Idlib" (on the
    verb) or "buses bound for Idlib left Douma" (on the party)."""
    for c in head.children:
        if c.dep_ in ("advcl", "acl", "amod", "conj", "xcomp") and c.lower_ in _BOUND_WORDS:
            for p in c.children:
                if p.dep_ == "prep" and p.lower_ in ("for", "to") and has_place_object(p):
                    return list(p.subtree)
    return []


def _purpose_place(verb: Token, moves_only: bool = False) -> list[Token]:
    """Where they went to do something: "headed to fight in Aleppo" (the purpose clause's place);
    with ``moves_only``, only a purpose that is itself a move ("left Arsal to cross into Syria")."""
    found: list[Token] = []
    for c in verb.children:
        if moves_only and MOVE_VERBS.get(verb_lemma(c)) != "subj":
            continue
        if c.dep_ in ("xcomp", "advcl") and any(a.lower_ == "to" and a.dep_ == "aux" for a in c.children):
            for cc in c.children:
                if cc.dep_ == "prep" and cc.lower_ in ({"in", "at", "on"} | DEST_PREPS) and has_place_object(cc):
                    found.extend(cc.subtree)
    return found


def where_party_was(party: Token) -> list[Token]:
    """Where a moved party was, from a clause describing it: "forces stationed in Shuqrah were
    moved to Shabwah", "forces which had advanced to within 7 km of Tabqa were driven back"."""
    for p in party.children:
        if p.dep_ not in ("acl", "relcl"):
            continue
        lemma = verb_lemma(p)
        if lemma in POSITIONED:
            wanted = frozenset({"in", "at", "near", "around"})
        elif lemma in MOVE_VERBS:
            wanted = DEST_PREPS | {"within", "near"}
        else:
            continue
        for q in own_preps(p):
            if q.lower_ in wanted and any(t.dep_ == "pobj" for t in q.subtree):
                return list(q.subtree)
        if lemma in DEST_OBJECT_VERBS:
            # "buses which entered Harasta started to leave": they left what they had entered
            for o in p.children:
                if o.dep_ == "dobj" and names_a_place(o):
                    return list(o.subtree)
    return []


#: prepositions of the way a movement took ("through the Masnaa crossing", "via Kafr Lusin")
ROUTE_PREPS = frozenset({"through", "via"})


def return_ends(verb: Token, party_head: Token | None, origin: list[Token], dest: list[Token]) -> None:
    """Ends of a return the clause leaves open: "Syrian refugees in Lebanon began returning home
    through the Masnaa crossing": they were in Lebanon (the party's "in X") and came back
    through the crossing (its only named end on this side)."""
    if not origin and party_head is not None:
        for c in party_head.children:
            if c.dep_ == "prep" and c.lower_ == "in" and has_place_object(c):
                origin.extend(c.subtree)
                break
    if not dest:
        for c in own_preps(verb):
            if c.lower_ in ROUTE_PREPS and has_place_object(c) and any(t.pos_ == "PROPN" for t in c.subtree):
                dest.extend(c.subtree)
                break
