"""What kind of violence a trigger's clause tells, read from the words around it.

``geomap.nlp.event_triggers`` finds the trigger word; the rules here refine its kind from the
clause: who did it ("jets struck": an air strike), with what ("attacked via heavy guns": shelling,
"an arson attack": property destruction), to whom ("gunmen shot and killed a civilian": an attack
on civilians, "captured and detained 85 migrants": arrests), and phrasal verbs ("shot down a
helicopter", "opened fire on protesters", "driven out of Salaheddine"). Each rule returns
``(event_type, sub_type)``, ``NO_EVENT`` (the clause tells no event) or ``None`` (the rule has
nothing to say). The words are data (``geomap/nlp/lexicon/word_lists.tsv``, ``attack_kinds.tsv``,
``control_verbs.tsv``; see docs/event-types.md).
"""

from __future__ import annotations

from spacy.tokens import Token

from geomap.nlp.event_breadth import of_complements, peaceful_transfer, remnant_of_war
from geomap.nlp.event_lexicon import (
    AIR_DOERS,
    ARTILLERY_DOERS,
    ATTACK_KINDS,
    CIVILIAN_NOUNS,
    CIVILIAN_TARGETS,
    COMBATANTS,
    CONTROL_VERBS,
    DEFECTION_OBJECTS,
    DETAINEES,
    EVENTIVE_PREPS,
    MILITARY_TARGETS,
    MISSILE_DOERS,
    NATURAL_CAUSES,
    NOUN_TRIGGERS,
    PROTESTER_NOUNS,
    SHOOTERS,
    TROOP_NOUNS,
    VICTIMS,
    normalise_actor,
    word_list,
)
from geomap.nlp.event_scene import _PLACE_OBJECTS

Kind = tuple[str, "str | None"]
#: a rule's answer that the clause tells no event ("struck a deal", "hit a record")
NO_EVENT: Kind = ("none", None)

_ARMED = frozenset(
    {
        "government forces",
        "pro-government militias",
        "rebels",
        "Islamist groups",
        "Kurdish forces",
        "Israel",
        "Turkey",
        "Russia",
        "United States",
        "Iran",
        "US-led coalition",
    }
)
_EXPEL_VERBS = frozenset({"drive", "push", "force", "expel", "oust", "clear", "kick", "flush"})
#: verbs of force whose doer or instrument can say which kind of violence it was
_FORCE_VERBS = frozenset(
    {"attack", "target", "hit", "kill", "destroy", "eliminate", "strike", "bomb", "shell", "pound"}
)
#: verbs that need a target to be an event ("hit a record" is not)
_TARGETING_VERBS = frozenset({"target", "hit", "destroy", "eliminate"})
_RIOT_VERBS = frozenset({"clash", "throw", "burn", "torch", "attack", "beat", "storm", "block", "hurl", "set"})
_STATE_FORCES = word_list("state_forces")
_NOT_VIOLENCE_OBJECTS = word_list("not_violence_objects")
_AIRCRAFT = word_list("aircraft_nouns")
_NOT_TERRITORY = word_list("not_territory")
_EXPELLED_PEOPLE = word_list("expelled_people")
#: verbs that only tell what was hit: under a strike or a shelling they are its result (struck_during)
_RESULT_VERBS = word_list("result_verbs")
#: nouns of a doer left unnamed ("an unidentified group"): killing a fighter, it fights
_UNNAMED_GROUPS = word_list("unnamed_groups")
#: words of the government's side: a place that fell to them was regained
_STATE_SIDE = frozenset({"regime", "army", "government", "loyalist"})
#: attackers whose attack on anyone unarmed is one on civilians
_GUNMEN = frozenset({"gunman", "assailant", "attacker"})
#: shooters whose shooting anyone not armed is an attack on civilians ("armed men", "a sniper")
_SHOOTING_MEN = _GUNMEN | {"man", "men", "sniper"}
#: targets that make an attack fighting
_ARMED_THINGS = COMBATANTS | TROOP_NOUNS | MILITARY_TARGETS | _STATE_FORCES | {"position", "army"}
#: nouns of protests (arrests at one are the authorities' answer to it)
_PROTEST_NOUNS = frozenset({"protest", "demonstration", "rally", "march", "sit-in", "vigil"})
_CAPTURE_VERBS = frozenset({"capture", "seize", "apprehend", "catch"})
_DEFECTION_VERBS = frozenset({"leave", "quit", "abandon", "desert"})
#: people: losing them is a toll, not a loss of ground
_PEOPLE = VICTIMS | COMBATANTS | TROOP_NOUNS | {"life", "member", "man", "men"}
#: objects that make "struck X" no violence
_STRUCK_NOT_VIOLENCE = frozenset({"deal", "agreement", "note", "balance", "chord", "pose"})
#: every lemma a rule of this module (or the trigger table) may make a trigger of
PHRASAL_LEMMAS = frozenset(
    {"shoot", "blow", "open", "win", "engage", "lynch", "injure", "wound"}
    | _DEFECTION_VERBS
    | _EXPEL_VERBS
    | _RIOT_VERBS
    | _CAPTURE_VERBS
)


class Clause:
    """A verb trigger's clause: the verb, its lemma (phrasal "won back" read as "regain") and
    its objects (direct objects and passive subjects)."""

    def __init__(self, tok: Token, lemma: str, place_tokens: frozenset[int] = frozenset()):
        self.tok = tok
        if lemma == "win" and any(c.dep_ in ("prt", "advmod") and c.lower_ == "back" for c in tok.children):
            lemma = "regain"  # "won back the hospital"
        self.lemma = lemma
        self.objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        self.obj_lemmas = {t.lemma_.lower() for o in self.objs for t in o.subtree}
        self.place_tokens = place_tokens

    def particle(self, word: str) -> bool:
        """The verb has this particle ("shot down", "blew up", "driven out")."""
        return any(c.dep_ == "prt" and c.lower_ == word for c in self.tok.children)

    def doer_words(self) -> set[str]:
        """Words of the subject or the "by" agent."""
        return {t.lemma_.lower() for c in self.tok.children if c.dep_ in ("nsubj", "agent") for t in c.subtree}


# ----------------------------------------------------------------------------- noun phrases


def object_heads(objs: list[Token]) -> set[str]:
    """Lemmas of the objects' head nouns and of nouns coordinated with them (not modifiers:
    "the Syrian Democratic Forces" is no civilian)."""
    out = set()
    for o in objs:
        out.add(o.lemma_.lower())
        out |= {c.lemma_.lower() for c in o.subtree if c.dep_ == "conj" and c.head.i == o.i}
        # "a number of terrorists", "gatherings of ISIS": the counted noun
        if o.lemma_.lower() in ("number", "group", "dozen", "score", "hundred", "thousand"):
            out |= of_complements(o)
    return out


def subject_tokens(tok: Token) -> list[Token]:
    for c in tok.children:
        if c.dep_ in ("nsubj", "csubj"):
            return list(c.subtree)[:12]
        if c.dep_ == "agent":
            return [t for cc in c.children for t in cc.subtree][:12]
    return []


def noun_words(noun: Token) -> set[str]:
    """Lemmas of a noun phrase without its relative and participial clauses ("army units
    supported by the air force" names units, not aircraft)."""
    skip: set[int] = set()
    for t in noun.subtree:
        if t.dep_ in ("acl", "relcl") and t is not noun:
            skip |= {x.i for x in t.subtree}
    return {t.lemma_.lower() for t in noun.subtree if t.i not in skip}


def target_heads(noun: Token) -> set[str]:
    """Head nouns of what an attack is "on", "against" or "targeting" ("an attack on a military
    base", "an attack via firearms targeting Turkish army units")."""
    heads = {
        t.lemma_.lower()
        for c in noun.children
        if c.dep_ == "prep" and c.lower_ in ("on", "against")
        for t in c.children
        if t.dep_ == "pobj"
    }
    return heads | {
        t.lemma_.lower()
        for c in noun.children
        if c.dep_ == "acl" and c.lemma_.lower() == "target"
        for t in c.children
        if t.dep_ == "dobj"
    }


def doer_words(noun: Token) -> set[str]:
    """Words of the subject of the verb a trigger noun is the object of ("jets carried out
    strikes")."""
    anchor = noun
    while anchor.dep_ == "conj" and anchor.head is not anchor:
        anchor = anchor.head
    if anchor.dep_ not in ("dobj", "attr"):
        return set()
    return {w for c in anchor.head.children if c.dep_ == "nsubj" for w in noun_words(c)}


def attack_kind(words: list[Token]) -> Kind | None:
    """The kind of attack the first word with a row in ``lexicon/attack_kinds.tsv`` says
    ("mortar", "arson", "heavy guns", "hand grenades")."""
    for t in words:
        pairs = [f"{c.lower_} {t.lemma_.lower()}" for c in t.children if c.dep_ == "amod"]
        for key in (*pairs, t.lemma_.lower(), t.lower_):
            if key in ATTACK_KINDS:
                return ATTACK_KINDS[key]
    return None


def instruments(tok: Token) -> list[Token]:
    """What an attack was carried out with, in text order ("with heavy guns", "via firearms,
    hand grenades and remote explosives"), also when the preposition hangs on the verb the
    attack noun is the object of ("carried out an attack with drones")."""
    holders = [tok]
    if tok.pos_ != "VERB" and tok.dep_ == "dobj":
        holders.append(tok.head)
    if tok.pos_ == "VERB":  # "attacked a patrol with grenades": the parser hangs "with" on the patrol
        holders += [c for c in tok.children if c.dep_ == "dobj"]
    out = [
        n
        for h in holders
        for c in h.children
        if c.dep_ == "prep" and c.lower_ in ("with", "via", "using", "by")
        for p in c.children
        if p.dep_ == "pobj"
        for n in [p, *p.conjuncts]
    ]
    return sorted(out, key=lambda t: t.i)


def doer_kind(words: set[str]) -> Kind | None:
    """Remote violence named by its doer: aircraft, missiles, guns."""
    if words & AIR_DOERS:
        return "bombardment", "air strike"
    if words & MISSILE_DOERS:
        return "bombardment", "missile"
    if words & ARTILLERY_DOERS:
        return "bombardment", "shelling"
    return None


def weapon(tok: Token) -> Kind | None:
    """Remote violence named by the doer or the instrument of a verb of force.

    "jets struck", "the air force attacked", "tanks shelled", "targeted with artillery",
    "a missile fired by the army hit", "IS suicide bombers attacked".
    """
    words: set[str] = set()
    for c in tok.children:
        # (a passive subject is the target, not the weapon)
        if c.dep_ in ("nsubj", "csubj"):
            words |= noun_words(c)
        elif c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ in ("with", "by", "via")):
            for pobj in c.children:
                if pobj.dep_ == "pobj":
                    words |= noun_words(pobj)
    if "suicide" in words:
        return "bombardment", "suicide bomb"
    # "strikes hit sites inside Raqa": strikes and raids are from the air unless a missile or
    # a gun is named
    if words & {"strike", "raid"} and not words & (MISSILE_DOERS | ARTILLERY_DOERS):
        return "bombardment", "air strike"
    found = doer_kind(words)
    if found is not None:
        return found
    kind = attack_kind(instruments(tok))  # "attacked ... via heavy guns", "with hand grenades"
    if kind is not None and kind[0] == "bombardment":
        return kind
    return None


# ----------------------------------------------------------------------------- verb rules


def _objects_or_shared(c: Clause) -> list[Token]:
    """The verb's objects, else those of the verb it is coordinated with ("shot and killed a
    civilian", "captured and detained 85 migrants")."""
    if c.objs:
        return c.objs
    tok = c.tok
    verbs = [tok.head] if tok.dep_ == "conj" else [x for x in tok.conjuncts if x.i > tok.i]
    return [o for v in verbs for o in v.children if o.dep_ in ("dobj", "nsubjpass")]


def engaged_in(c: Clause) -> Kind | None:
    """ "engaged in a looting campaign": the noun tells the event; "firefighters battled the
    blaze", "demonstrated a recipe" tell none."""
    if c.lemma == "engage" and any(x.dep_ == "prep" and x.lower_ == "in" for x in c.tok.children):
        return NO_EVENT
    if c.lemma in ("fight", "battle", "combat", "tackle") and object_heads(c.objs) & _NOT_VIOLENCE_OBJECTS:
        return NO_EVENT
    if c.lemma == "demonstrate" and any(o.dep_ == "dobj" for o in c.objs):
        return NO_EVENT  # "demonstrated Passover recipes"; a protest is intransitive ("demonstrated in Homs")
    return None


def capture_of_people(c: Clause) -> Kind | None:
    """People captured: by the state (police, the army, or no doer named) an arrest, by anyone
    else an abduction ("police captured and detained 85 migrants", "39 migrants were captured
    off the coast")."""
    if c.lemma not in _CAPTURE_VERBS or not object_heads(_objects_or_shared(c)) & DETAINEES:
        return None
    doers = {t.lemma_.lower() for t in subject_tokens(c.tok)}
    if not doers or doers & _STATE_FORCES:
        return "strategic_development", "arrests"
    return "attack_on_civilians", "abduction"


def defection(c: Clause) -> Kind | None:
    """ "left the army", "deserted his unit"."""
    if c.lemma in _DEFECTION_VERBS and c.obj_lemmas & DEFECTION_OBJECTS:
        return "defection", None
    return None


def control_phrase(c: Clause) -> Kind | None:
    """ "gained control", "took control peacefully" (a non-violent transfer: event_breadth);
    "lost control of his car" is no ground lost."""
    controls = [o for o in c.objs if o.lemma_.lower() == "control"]
    if c.lemma not in CONTROL_VERBS or not controls:
        return None
    of = {t.lemma_.lower() for o in controls for p in o.children if p.lower_ == "of" for t in p.children}
    if of & _NOT_TERRITORY:
        return NO_EVENT
    return "control_change", "transferred" if peaceful_transfer(c.tok) else CONTROL_VERBS[c.lemma]


def expulsion(c: Clause) -> Kind | None:
    """ "drove IS out of the town"; "rebels had been driven out of Salaheddine": the passive
    subject lost the place."""
    if not (c.lemma in _EXPEL_VERBS and (c.particle("out") or c.lemma in ("expel", "oust"))):
        return None
    if not any(x.dep_ == "prep" and x.lower_ in ("of", "from", "out") for x in c.tok.subtree):
        return None
    if object_heads(c.objs) & (VICTIMS | _EXPELLED_PEOPLE):
        return NO_EVENT  # "expelled diplomats from the country"
    passive = any(x.dep_ in ("nsubjpass", "auxpass") for x in c.tok.children)
    return "control_change", "lost" if passive else "gained"


def phrasal(c: Clause) -> Kind | None:
    """ "shot down a helicopter" (fighting), "a suicide bomber blew himself up", "opened fire on
    protesters" (on civilians an attack, otherwise fighting)."""
    if c.lemma == "shoot" and c.particle("down"):
        # "shot down a helicopter"; "shot down rumours" is none
        return ("clash", None) if object_heads(c.objs) & _AIRCRAFT or not c.objs else NO_EVENT
    if c.lemma == "blow" and c.particle("up"):
        return "bombardment", None
    if c.lemma == "open" and "fire" in {o.lemma_.lower() for o in c.objs}:
        targets = {
            t.lemma_.lower() for x in c.tok.subtree if x.dep_ == "prep" and x.lower_ in ("on", "at") for t in x.subtree
        }
        return ("attack_on_civilians", None) if targets & CIVILIAN_NOUNS else ("clash", None)
    return None


def riot(c: Clause) -> Kind | None:
    """Protesters who clash, throw stones, burn or attack riot; a mob that attacks or beats is
    mob violence; "dispersed the convoy" is no protest."""
    subj = {w for x in c.tok.children if x.dep_ in ("nsubj",) for w in noun_words(x)}
    if "mob" in subj and c.lemma in _RIOT_VERBS | {"kill", "lynch"}:
        return "protest", "mob violence"
    if subj & PROTESTER_NOUNS and c.lemma in _RIOT_VERBS:
        return "protest", "violent demonstration"
    if c.lemma == "disperse" and not (
        object_heads(c.objs) & (PROTESTER_NOUNS | {"protest", "demonstration", "rally", "sit-in"})
    ):
        return NO_EVENT
    return None


def _natural_doer(tok: Token) -> bool:
    """ "the earthquake destroyed houses", "fire hit the market": a disaster, unless a weapon
    or a gunman is named with it ("sniper fire targeted a woman")."""
    for x in tok.children:
        if x.dep_ not in ("nsubj", "agent"):
            continue
        words = noun_words(x)
        if words & NATURAL_CAUSES and not words & (SHOOTERS | AIR_DOERS | ARTILLERY_DOERS | MISSILE_DOERS):
            return True
    return False


def force(c: Clause, kind: Kind) -> Kind | None:
    """Verbs of force: the weapon says the kind ("jets killed 10", "tanks shelled"); "target",
    "hit", "destroy" need a target ("hit a record" is none, "the earthquake destroyed houses" no
    violence)."""
    if c.lemma not in _FORCE_VERBS:
        return None
    found = weapon(c.tok)
    if found is not None or c.lemma not in _TARGETING_VERBS:
        return found
    if _natural_doer(c.tok):
        return NO_EVENT
    targets = object_heads(c.objs)
    if targets & VICTIMS:
        return "attack_on_civilians", None  # "sniper fire targeted a civilian woman"
    if targets & CIVILIAN_TARGETS:
        return "bombardment", None  # "terrorists targeted al-Salyhiah neighbourhood"
    if not targets & MILITARY_TARGETS:
        return NO_EVENT  # "hit a record", "targeted by sanctions"
    return "clash", None  # "an army unit targeted ISIS positions"


def shooting(c: Clause) -> Kind | None:
    """Armed men who shoot or kill someone: civilians an attack on civilians, fighters a clash
    ("unidentified armed men shot and killed 1 civilian", "a Houthi fighter shot and injured 2
    civilians"). Only with a doer: "5 civilians were killed" is a toll of some other event."""
    tok = c.tok
    subj = next((x for x in tok.children if x.dep_ == "nsubj"), None)
    if subj is None and tok.dep_ == "conj":
        subj = next((x for x in tok.head.children if x.dep_ == "nsubj"), None)
    if subj is not None:
        doers = [t for t in subj.subtree if t.lemma_.lower() in noun_words(subj)]
    elif tok.dep_ == "conj" and tok.head.pos_ == "NOUN":
        # "a Houthi fighter shot and killed 1 civilian" tagged as the noun "shot": its modifiers
        doers = [x for x in tok.head.children if x.dep_ in ("compound", "amod", "nmod")]
    else:
        return None
    if not _armed(doers):
        return None
    victims = object_heads(_objects_or_shared(c))
    if victims & (COMBATANTS | TROOP_NOUNS | _STATE_FORCES):
        return "clash", None  # (an armed policeman or soldier shot: fighting)
    if victims & VICTIMS or (
        victims and not victims & _ARMED_THINGS and {t.lemma_.lower() for t in doers} & _SHOOTING_MEN
    ):
        return "attack_on_civilians", None  # "armed men shot and killed an explosives expert"
    return None


def wounding(c: Clause) -> Kind | None:
    """ "a sniper wounded 2 civilians", "a Houthi sniper shot and injured 1 civilian" (with
    "shot" misread as a noun): the wounding verb, when armed men did it. A wounding coordinated
    with another verb ("shelling killed two and injured 27") is that verb's event."""
    if c.lemma not in ("injure", "wound") or (c.tok.dep_ == "conj" and c.tok.head.pos_ == "VERB"):
        return None
    return weapon(c.tok) or shooting(c)


def _armed(tokens: list[Token]) -> bool:
    """The words name armed men ("gunmen", "a Houthi fighter", "the army", "ISIS")."""
    if {t.lemma_.lower() for t in tokens} & (SHOOTERS | COMBATANTS | TROOP_NOUNS | _STATE_FORCES):
        return True
    return normalise_actor(tokens) in _ARMED


def _killer_at_war(subject: list[Token]) -> bool:
    """Who kills a fighter or a commander fights: armed men, or an unnamed group ("unknown
    assailants killed rebel commander X"); not civilians or protesters."""
    words = {t.lemma_.lower() for t in subject}
    return _armed(subject) or bool(words & _UNNAMED_GROUPS and not words & (CIVILIAN_NOUNS | PROTESTER_NOUNS))


def killing(c: Clause, kind: Kind) -> Kind | None:
    """ "army units killed a number of terrorists" (fighting), shootings by armed men; a bare
    killing of a counted number is a toll, read from the count."""
    if c.lemma not in ("kill", "execute", "massacre", "shoot"):
        return None
    # "killed rebel commander Abu X": the title before the name says who he was
    titles = {t.lemma_.lower() for o in c.objs for t in o.children if t.dep_ == "compound"}
    if c.lemma == "kill" and (object_heads(c.objs) | titles) & COMBATANTS and _killer_at_war(subject_tokens(c.tok)):
        return "clash", None
    shot = shooting(c)
    if shot is not None:
        return shot
    victims = object_heads(c.objs) & CIVILIAN_NOUNS
    if not victims or any(x.dep_ == "nummod" for o in c.objs for x in o.children):
        return NO_EVENT  # tolls are read from counts; shooting soldiers is fighting
    return None


def assault(c: Clause, kind: Kind) -> Kind | None:
    """An attack or assault on civilians."""
    targets = object_heads(_objects_or_shared(c))
    if c.lemma in ("attack", "assault") and targets & VICTIMS:
        return "attack_on_civilians", None
    if c.lemma == "attack" and _lone_gunmen(c.tok) and targets and not targets & _ARMED_THINGS:
        return "attack_on_civilians", None  # "unidentified gunman attacked the prayer leader"
    return None


def _lone_gunmen(tok: Token) -> bool:
    """The subject is gunmen or assailants, not an army or a group at war."""
    subj = next((x for x in tok.children if x.dep_ == "nsubj"), None)
    return subj is not None and subj.lemma_.lower() in _GUNMEN


def arrests_at_protest(c: Clause, kind: Kind) -> Kind | None:
    """ "police arrested at least 373 at a Pride March": a protest met with intervention."""
    if kind[1] != "arrests":
        return None
    at = {
        t.lemma_.lower()
        for x in c.tok.children
        if x.dep_ == "prep" and x.lower_ in ("at", "during")
        for t in x.children
        if t.dep_ == "pobj"
    }
    return ("protest", "with intervention") if at & _PROTEST_NOUNS else None


def control(c: Clause, kind: Kind) -> Kind | None:
    """A place captured or lost needs a place as object ("fell to", "captured the town"); people
    lost are a toll ("lost over one hundred militants"); without fighting, a transfer."""
    if kind[0] != "control_change":
        return None
    if object_heads(c.objs) & _PEOPLE:
        return NO_EVENT
    if c.lemma == "fall":
        if not any(x.dep_ == "prep" and x.lower_ in ("to", "into") for x in c.tok.children) or not _place_subject(c):
            return NO_EVENT  # "Aleppo fell to the rebels"; "snow fell into the valley" is none
        return _fell_to(c)
    elif not (c.obj_lemmas & _PLACE_OBJECTS) and not any(
        t.ent_type_ in ("GPE", "LOC", "FAC") or t.i in c.place_tokens for o in c.objs for t in o.subtree
    ):
        return NO_EVENT
    if peaceful_transfer(c.tok):
        return "control_change", "transferred"  # "took control peacefully" (event_breadth)
    return None


def siege_state(c: Clause, kind: Kind) -> Kind | None:
    """ "besieged since the end of March 2015": a long siege, not an event of the day."""
    if c.lemma == "besiege" and any(x.lower_ == "since" for x in c.tok.children):
        return NO_EVENT
    return None


def struck_during(c: Clause, kind: Kind) -> Kind | None:
    """ "During Russian air raids, a bakery and a school were hit": a verb that only
    tells what was hit (``result_verbs``), in a clause (or the clause it is coordinated with)
    whose occasion is remote violence, tells that strike's result, not a clash."""
    if kind[0] != "clash" or c.lemma not in _RESULT_VERBS:
        return None
    heads = [c.tok] + ([c.tok.head] if c.tok.dep_ == "conj" else [])
    for prep in (x for h in heads for x in h.children if x.dep_ == "prep" and x.lower_ in EVENTIVE_PREPS):
        for noun in prep.children:
            found = NOUN_TRIGGERS.get(noun.lemma_.lower()) if noun.dep_ == "pobj" else None
            if found is not None and found[0] == "bombardment":
                return found
    return None


def _place_subject(c: Clause) -> bool:
    """The subject is a place ("Aleppo", "the town", "the base"), or stands for one ("soon after
    it fell to regime forces", "Idlib, which fell to the opposition")."""
    for x in c.tok.children:
        if x.dep_ in ("nsubj", "nsubjpass"):
            return (
                x.ent_type_ in ("GPE", "LOC", "FAC")
                or x.i in c.place_tokens
                or x.lemma_.lower() in _PLACE_OBJECTS
                or x.pos_ == "PROPN"
                or x.lower_ in ("it", "which", "that")
            )
    return False


def _fell_to(c: Clause) -> Kind | None:
    """ "X fell to regime forces": the government regains X; "fell to the opposition", "to
    ISIS": a non-state actor overtakes it (the sub-type is read from the side X fell to, since
    the clause's subject is the place; acled_types.tsv maps it)."""
    gainer = [t for x in c.tok.children if x.dep_ == "prep" and x.lower_ in ("to", "into") for t in x.subtree]
    if not gainer:
        return None
    words = {t.lemma_.lower() for t in gainer}
    state = normalise_actor(gainer) in ("government forces", "pro-government militias") or words & _STATE_SIDE
    return "control_change", "lost" if state else "gained"


#: rules read after the trigger table, in order; the first with an answer decides
AFTER_TABLE = (struck_during, force, killing, assault, control, arrests_at_protest, siege_state)
#: rules read before the trigger table, in order; the first with an answer decides
BEFORE_TABLE = (engaged_in, capture_of_people, defection, control_phrase, expulsion, phrasal, riot, wounding)


def refine(c: Clause, kind: Kind) -> Kind | None:
    """The last touches: who struck ("warplanes bombed": an air strike; "the terrorists struck",
    "struck a deal": none), and a war's remnant going off (no attack)."""
    etype, sub = kind
    if etype == "bombardment" and c.lemma in ("bomb", "strike", "shell", "pound"):
        subj = c.doer_words()
        if subj & {"jet", "plane", "warplane", "aircraft", "helicopter", "drone", "airstrike", "air"}:
            sub = "air strike"
        elif subj & {"missile", "rocket", "scud"}:
            sub = "missile"
        elif c.lemma == "strike":
            if not subj & {"artillery", "mortar", "tank", "shell", "shelling", "bomb", "explosion"}:
                # "strike" is only remote violence when something fired or dropped strikes
                return None
            sub = "shelling" if subj & {"artillery", "mortar", "tank", "shell", "shelling"} else None
    if c.lemma == "strike" and c.obj_lemmas & _STRUCK_NOT_VIOLENCE:
        return None
    if sub == "explosion" and remnant_of_war(c.tok):
        return "strategic_development", None  # "a mine leftover from the Iran-Iraq war detonated"
    return etype, sub
