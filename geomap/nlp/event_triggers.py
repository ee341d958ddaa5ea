"""Event triggers: which words in a clause make an event, of which type, and which do not.

Verbs ("shelled", "regained", "defected") and nouns in eventive frames ("launched an assault",
"killed during shelling") give ``(event_type, sub_type)``; hypothetical, intended, negated and
generic (habitual, long-running) clauses are recognised so that they make no record. The words
themselves are data (``geomap/nlp/lexicon/``, loaded by ``geomap.nlp.event_lexicon``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.parts_of_speech import IDS as _POS_IDS
from spacy.tokens import Span, Token

from geomap.nlp.event_breadth import (
    breadth_trigger,
    crowd_clash,
    peaceful_transfer,
    remnant_of_war,
    unarmed_assault,
)
from geomap.nlp.event_lexicon import (
    ATTACK_KINDS,
    CIVILIAN_NOUNS,
    CONTROL_VERBS,
    DEFECTION_OBJECTS,
    EVENTIVE_PREPS,
    EVENTIVE_VERBS,
    HYPOTHETICAL_AUX,
    INTENT_HEADS,
    NOUN_TRIGGERS,
    SPEECH_VERBS,
    TROOP_NOUNS,
    VERB_TRIGGERS,
    normalise_actor,
    verb_lemma,
    word_list,
)
from geomap.nlp.event_scene import _PLACE_OBJECTS, _local

_PRIORITY = [
    "bombardment",
    "attack_on_civilians",
    "control_change",
    "clash",
    "defection",
    "protest",
    "strategic_development",
]
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
_WEAPON_TRIGGER_NOUNS = frozenset(
    {"artillery", "mortar", "rocket", "missile", "shellfire", "shell", "barrel", "bomb", "round"}
)
_EXPEL_VERBS = frozenset({"drive", "push", "force", "expel", "oust", "clear", "kick", "flush"})
#: Parts of speech a trigger can have (extract_events reads no other token as one).
_TRIGGER_POS = frozenset({_POS_IDS["VERB"], _POS_IDS["NOUN"], _POS_IDS["PROPN"], _POS_IDS["ADJ"]})

_AIR_DOERS = word_list("air_doers")
_ARTILLERY_DOERS = word_list("artillery_doers")
_MISSILE_DOERS = word_list("missile_doers")
_MILITARY_TARGETS = word_list("military_targets")
_CIVILIAN_TARGETS = word_list("civilian_targets")
_COMBATANTS = word_list("combatant_nouns")
_NATURAL = word_list("natural_causes")
#: verbs of force whose doer or instrument can say which kind of violence it was
_FORCE_VERBS = frozenset(
    {"attack", "target", "hit", "kill", "destroy", "eliminate", "strike", "bomb", "shell", "pound"}
)
#: verbs that need a target to be an event ("hit a record" is not)
_TARGETING_VERBS = frozenset({"target", "hit", "destroy", "eliminate"})


_PROTESTERS = word_list("protester_nouns")
#: victims that make an attack, a killing or a shooting one on civilians
_VICTIMS = CIVILIAN_NOUNS | word_list("civilian_roles")
_OCCASIONS = word_list("occasion_nouns")
_DETAINEES = word_list("detainee_nouns") | _VICTIMS
_SHOOTERS = word_list("shooter_nouns")
#: people: losing them is a toll, not a loss of ground
_PEOPLE = _VICTIMS | _COMBATANTS | TROOP_NOUNS | {"life", "member", "man", "men"}
_CAPTURE_VERBS = frozenset({"capture", "seize", "apprehend", "catch"})
_RIOT_VERBS = frozenset({"clash", "throw", "burn", "torch", "attack", "beat", "storm", "block", "hurl", "set"})


def _riot(tok: Token, lemma: str, objs: list[Token]) -> tuple[str, str | None] | None:
    """Protesters who clash, throw stones, burn or attack riot; a mob that attacks or beats is
    mob violence; protesters dispersed or fired on is a protest met with force."""
    subj = {w for c in tok.children if c.dep_ in ("nsubj",) for w in _noun_words(c)}
    if "mob" in subj and lemma in _RIOT_VERBS | {"kill", "lynch"}:
        return "protest", "mob violence"
    if subj & _PROTESTERS and lemma in _RIOT_VERBS:
        return "protest", "violent demonstration"
    if lemma == "disperse" and not (
        _object_heads(objs) & (_PROTESTERS | {"protest", "demonstration", "rally", "sit-in"})
    ):
        return "none", None  # "dispersed the convoy": no protest
    return None


def _object_heads(objs: list[Token]) -> set[str]:
    """Lemmas of the objects' head nouns and of nouns coordinated with them (not modifiers:
    "the Syrian Democratic Forces" is no civilian)."""
    out = set()
    for o in objs:
        out.add(o.lemma_.lower())
        out |= {c.lemma_.lower() for c in o.subtree if c.dep_ == "conj" and c.head.i == o.i}
        # "a number of terrorists", "gatherings of ISIS": the counted noun
        if o.lemma_.lower() in ("number", "group", "dozen", "score", "hundred", "thousand"):
            out |= {
                t.lemma_.lower()
                for c in o.children
                if c.dep_ == "prep" and c.lower_ == "of"
                for t in c.children
                if t.dep_ == "pobj"
            }
    return out


def _subject_tokens(tok: Token) -> list[Token]:
    for c in tok.children:
        if c.dep_ in ("nsubj", "csubj"):
            return list(c.subtree)[:12]
        if c.dep_ == "agent":
            return [t for cc in c.children for t in cc.subtree][:12]
    return []


def _noun_words(noun: Token) -> set[str]:
    """Lemmas of a noun phrase without its relative and participial clauses ("army units
    supported by the air force" names units, not aircraft)."""
    skip: set[int] = set()
    for t in noun.subtree:
        if t.dep_ in ("acl", "relcl") and t is not noun:
            skip |= {x.i for x in t.subtree}
    return {t.lemma_.lower() for t in noun.subtree if t.i not in skip}


def _target_heads(noun: Token) -> set[str]:
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


def _attack_kind(words: list[Token]) -> tuple[str, str | None] | None:
    """The kind of attack the first word with a row in ``lexicon/attack_kinds.tsv`` says
    ("mortar", "arson", "heavy guns", "hand grenades")."""
    for t in words:
        pairs = [f"{c.lower_} {t.lemma_.lower()}" for c in t.children if c.dep_ == "amod"]
        for key in (*pairs, t.lemma_.lower(), t.lower_):
            if key in ATTACK_KINDS:
                return ATTACK_KINDS[key]
    return None


def _instruments(tok: Token) -> list[Token]:
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


def _doer_words(noun: Token) -> set[str]:
    """Words of the subject of the verb a trigger noun is the object of ("jets carried out
    strikes")."""
    anchor = noun
    while anchor.dep_ == "conj" and anchor.head is not anchor:
        anchor = anchor.head
    if anchor.dep_ not in ("dobj", "attr"):
        return set()
    return {w for c in anchor.head.children if c.dep_ == "nsubj" for w in _noun_words(c)}


def _weapon(tok: Token) -> tuple[str, str | None] | None:
    """Remote violence named by the doer or the instrument of a verb of force.

    "jets struck", "the air force attacked", "tanks shelled", "targeted with artillery",
    "a missile fired by the army hit", "IS suicide bombers attacked".
    """
    words: set[str] = set()
    for c in tok.children:
        # (a passive subject is the target, not the weapon)
        if c.dep_ in ("nsubj", "csubj"):
            words |= _noun_words(c)
        elif c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ in ("with", "by", "via")):
            for pobj in c.children:
                if pobj.dep_ == "pobj":
                    words |= _noun_words(pobj)
    if "suicide" in words:
        return "bombardment", "suicide bomb"
    # "strikes hit sites inside Raqa": strikes and raids are from the air unless a missile or
    # a gun is named
    if words & _AIR_DOERS or (words & {"strike", "raid"} and not words & (_MISSILE_DOERS | _ARTILLERY_DOERS)):
        return "bombardment", "air strike"
    if words & _MISSILE_DOERS:
        return "bombardment", "missile"
    if words & _ARTILLERY_DOERS:
        return "bombardment", "shelling"
    kind = _attack_kind(_instruments(tok))  # "attacked ... via heavy guns", "with hand grenades"
    if kind is not None and kind[0] == "bombardment":
        return kind
    return None


if TYPE_CHECKING:  # the reader is only an argument here
    from geomap.nlp.event_scene import SceneReader


_NOMINAL = frozenset({"pobj", "pcomp", "dobj", "nsubj", "nsubjpass", "attr", "conj", "appos"})


def _gov(tok: Token) -> Token:
    """The verb whose clause a trigger belongs to (a gerund used as a noun is not a verb)."""
    cur = tok
    if tok.dep_ in _NOMINAL and _noun_lemma(tok) in NOUN_TRIGGERS and tok.head is not tok:
        while cur.dep_ == "conj" and cur.head is not cur:
            cur = cur.head  # "shelling and clashes": one clause
        cur = cur.head
    for _ in range(6):
        if cur.pos_ in ("VERB", "AUX") and cur.dep_ != "amod":
            return cur
        if cur.head is cur:
            return cur
        cur = cur.head
    return tok


def _hypothetical(tok: Token, sent: Span) -> bool:
    """True when the trigger's clause did not (yet) happen: modal, "if", infinitive, negation."""
    if sent.text.strip().rstrip("”\"’'").endswith("?"):
        return True
    chain = [tok] + [a for a in tok.ancestors if sent.start <= a.i < sent.end]
    for i, node in enumerate(chain):
        lemma = node.lemma_.lower()
        if lemma in SPEECH_VERBS and node is not tok:
            break
        for c in node.children:
            if c.dep_ == "neg" and node.pos_ in ("VERB", "AUX", "ADJ"):
                return True
            if c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_AUX:
                return True
            if c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether"):
                return True
            if c.dep_ == "aux" and c.tag_ == "TO" and node.pos_ == "VERB":
                return True  # "plotted to attack", "to retake": not (yet) done
        if node.dep_ == "conj" and any(c.dep_ == "aux" and c.tag_ == "TO" for c in node.head.children):
            return True
        if lemma in INTENT_HEADS and node is not tok:
            return True
        if node.lower_ in ("unable", "failed") or lemma == "unable":
            return True
        if i >= 4:
            break
    return False


def _verb_trigger(tok: Token, place_tokens: frozenset[int] = frozenset()) -> tuple[str, str | None] | None:  # noqa: C901 (too complex: to split, issue 12)
    lemma = verb_lemma(tok)
    breadth = breadth_trigger(tok, lemma)  # protests by purpose or crowd, property destruction, defusals
    if breadth is not None:
        return breadth
    mob = unarmed_assault(tok, lemma)  # "settlers assaulted a Palestinian" (event_breadth)
    if mob is not None:
        return mob
    if lemma not in _VERB_TRIGGER_LEMMAS:
        return None  # every rule below needs one of these lemmas: skip the object walk
    if lemma == "engage" and any(c.dep_ == "prep" and c.lower_ == "in" for c in tok.children):
        return None  # "engaged in a looting campaign": the noun tells the event
    objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    caught = _capture_of_people(tok, lemma, objs)
    if caught is not None:
        return caught
    obj_lemmas = {t.lemma_.lower() for o in objs for t in o.subtree}
    if lemma in ("leave", "quit", "abandon", "desert") and obj_lemmas & DEFECTION_OBJECTS:
        return "defection", None
    if lemma in CONTROL_VERBS and "control" in {o.lemma_.lower() for o in objs}:
        # "took control peacefully", "after Saudi forces handed over control" (event_breadth)
        return "control_change", "transferred" if peaceful_transfer(tok) else CONTROL_VERBS[lemma]
    if (
        lemma in _EXPEL_VERBS
        and (any(c.dep_ == "prt" and c.lower_ == "out" for c in tok.children) or lemma in ("expel", "oust"))
        and any(c.dep_ == "prep" and c.lower_ in ("of", "from", "out") for c in tok.subtree)
    ):
        # "rebels had been driven out of Salaheddine": the passive subject lost the place
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
        return "control_change", "lost" if passive else "gained"
    if lemma == "shoot" and any(c.dep_ == "prt" and c.lower_ == "down" for c in tok.children):
        return "clash", None  # "shot down a helicopter"
    if lemma == "blow" and any(c.dep_ == "prt" and c.lower_ == "up" for c in tok.children):
        return "bombardment", None  # "a suicide bomber blew himself up"
    if lemma == "open" and "fire" in {o.lemma_.lower() for o in objs}:
        # "opened fire on protesters": on civilians an attack, otherwise fighting
        targets = {
            t.lemma_.lower() for c in tok.subtree if c.dep_ == "prep" and c.lower_ in ("on", "at") for t in c.subtree
        }
        return ("attack_on_civilians", None) if targets & CIVILIAN_NOUNS else ("clash", None)
    if lemma == "win" and any(c.dep_ in ("prt", "advmod") and c.lower_ == "back" for c in tok.children):
        lemma = "regain"  # "won back the hospital"
    riot = _riot(tok, lemma, objs)
    if riot is not None:
        return None if riot[0] == "none" else riot
    if lemma not in VERB_TRIGGERS:
        return None
    etype, sub = VERB_TRIGGERS[lemma]
    victims = _object_heads(objs) & CIVILIAN_NOUNS
    if lemma in _FORCE_VERBS:
        weapon = _weapon(tok)
        if weapon is not None:
            return weapon  # "the air force attacked", "jets killed 10", "tanks shelled"
        if lemma in _TARGETING_VERBS:
            if {w for c in tok.children if c.dep_ in ("nsubj", "agent") for w in _noun_words(c)} & _NATURAL:
                return None  # "the earthquake destroyed houses": no violence
            targets = _object_heads(objs)
            if targets & _VICTIMS:
                return "attack_on_civilians", None  # "sniper fire targeted a civilian woman"
            if targets & _CIVILIAN_TARGETS:
                return "bombardment", None  # "terrorists targeted al-Salyhiah neighbourhood"
            if not targets & _MILITARY_TARGETS:
                return None  # "hit a record", "targeted by sanctions"
            return "clash", None  # "an army unit targeted ISIS positions"
    if lemma in ("kill", "execute", "massacre", "shoot"):
        if lemma == "kill" and _object_heads(objs) & _COMBATANTS and normalise_actor(_subject_tokens(tok)) in _ARMED:
            return "clash", None  # "army units killed a number of terrorists": fighting
        shot = _shooting(tok, lemma, objs)
        if shot is not None:
            return shot
        if not victims or any(c.dep_ == "nummod" for o in objs for c in o.children):
            return None  # tolls are read from counts; shooting soldiers is fighting
    if lemma in ("attack", "assault") and (victims or _object_heads(objs) & _VICTIMS):
        return "attack_on_civilians", None
    if etype == "control_change":
        if _object_heads(objs) & _PEOPLE:
            return None  # "lost over one hundred militants in the battle": a toll, not ground
        if lemma == "fall":
            if not any(c.dep_ == "prep" and c.lower_ in ("to", "into") for c in tok.children):
                return None
        elif not (obj_lemmas & _PLACE_OBJECTS) and not any(
            t.ent_type_ in ("GPE", "LOC", "FAC") or t.i in place_tokens for o in objs for t in o.subtree
        ):
            return None
        if peaceful_transfer(tok):
            return "control_change", "transferred"  # "took control peacefully" (event_breadth)
    if etype == "bombardment" and lemma in ("bomb", "strike", "shell", "pound"):
        subj = {t.lemma_.lower() for c in tok.children if c.dep_ in ("nsubj", "agent") for t in c.subtree}
        if subj & {"jet", "plane", "warplane", "aircraft", "helicopter", "drone", "airstrike", "air"}:
            sub = "air strike"
        elif subj & {"missile", "rocket", "scud"}:
            sub = "missile"
        elif lemma == "strike":
            if not subj & {"artillery", "mortar", "tank", "shell", "shelling", "bomb", "explosion"}:
                # "strike" is only remote violence when something fired or dropped strikes;
                # "the terrorists struck", "struck a deal" are not
                return None
            sub = "shelling" if subj & {"artillery", "mortar", "tank", "shell", "shelling"} else None
    if lemma == "strike" and obj_lemmas & {"deal", "agreement", "note", "balance", "chord", "pose"}:
        return None
    if sub == "explosion" and remnant_of_war(tok):
        return "strategic_development", None  # "a mine leftover from the Iran-Iraq war detonated"
    return etype, sub


def _objects_or_shared(tok: Token, objs: list[Token]) -> list[Token]:
    """The verb's objects, else those of the verb it is coordinated with ("shot and killed a
    civilian", "captured and detained 85 migrants")."""
    if objs:
        return objs
    verbs = [tok.head] if tok.dep_ == "conj" else [c for c in tok.conjuncts if c.i > tok.i]
    return [c for v in verbs for c in v.children if c.dep_ in ("dobj", "nsubjpass")]


def _capture_of_people(tok: Token, lemma: str, objs: list[Token]) -> tuple[str, str | None] | None:
    """People captured: by the state (police, the army, or no doer named) an arrest, by anyone
    else an abduction ("police captured and detained 85 migrants", "39 migrants were captured
    off the coast")."""
    if lemma not in _CAPTURE_VERBS or not _object_heads(_objects_or_shared(tok, objs)) & _DETAINEES:
        return None
    doer = normalise_actor(_subject_tokens(tok))
    if doer in (None, "government forces"):
        return "strategic_development", "arrests"
    return "attack_on_civilians", "abduction"


def _shooting(tok: Token, lemma: str, objs: list[Token]) -> tuple[str, str | None] | None:
    """Armed men who shoot or kill someone: civilians an attack on civilians, fighters a clash
    ("unidentified armed men shot and killed 1 civilian", "a Houthi fighter shot and injured 2
    civilians"). Only with a doer: "5 civilians were killed" is a toll of some other event."""
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if subj is None and tok.dep_ == "conj":
        subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
    if subj is None or not (_noun_words(subj) & _SHOOTERS or normalise_actor(list(subj.subtree)) in _ARMED):
        return None
    victims = _object_heads(_objects_or_shared(tok, objs))
    if victims & _COMBATANTS:
        return "clash", None
    if victims & _VICTIMS:
        return "attack_on_civilians", None
    return None


#: Every lemma _verb_trigger can return a trigger for.
_VERB_TRIGGER_LEMMAS = frozenset(
    {"leave", "quit", "abandon", "desert", "shoot", "blow", "open", "win"}
    | set(CONTROL_VERBS)
    | _EXPEL_VERBS
    | set(VERB_TRIGGERS)
    | _RIOT_VERBS
    | _CAPTURE_VERBS
    | {"lynch"}
)


def _sentence_tells_more(tok: Token) -> bool:
    """Another word of the sentence is a verb trigger: an operation or a campaign is then the
    occasion of what happened, not an event of its own."""
    return any(t.i != tok.i and t.pos_ == "VERB" and _verb_trigger(t) is not None for t in tok.sent)


def _noun_lemma(tok: Token) -> str:
    """The noun reading of a token: "shelling" stays "shelling" even when tagged as a verb."""
    if tok.pos_ == "VERB":
        return tok.lower_
    return tok.lemma_.lower()


def _noun_trigger(tok: Token, headline: bool = False) -> tuple[str, str | None] | None:  # noqa: C901 (too complex: to split, issue 12)
    lemma = _noun_lemma(tok)
    if lemma not in NOUN_TRIGGERS:
        return None
    # "a looting campaign", "an arrest campaign": the trigger before an occasion noun is the event
    frame = tok.head if tok.dep_ == "compound" and tok.head.lemma_.lower() in _OCCASIONS else tok
    if tok.dep_ == "compound" and frame is tok:
        return None
    if lemma in _OCCASIONS and _sentence_tells_more(tok):
        return None  # "detained 85 migrants during an operation": the arrests are the event
    etype, sub = NOUN_TRIGGERS[lemma]
    if etype == "clash" and (riot := crowd_clash(tok)) is not None:
        etype, sub = riot  # "clashes erupted between rioters" (event_breadth)
    mods = {c.lower_ for c in tok.children if c.dep_ in ("compound", "amod")}
    if lemma == "attack":
        # "a mortar attack", "an air attack", "a suicide attack", "the attack on civilians"
        victims = {
            t.lemma_.lower()
            for c in tok.children
            if c.dep_ == "prep" and c.lower_ in ("on", "against")
            for t in c.subtree
        }
        kind = _attack_kind([c for c in tok.children if c.dep_ in ("compound", "amod")] + _instruments(tok))
        if kind is not None:
            etype, sub = kind  # "a mortar attack", "an arson attack", "an attack with heavy guns"
        elif victims & _VICTIMS:
            etype, sub = "attack_on_civilians", None
        elif _target_heads(tok) & (
            _MILITARY_TARGETS | {"force", "troop", "army", "soldier", "fighter", "rebel", "militant"}
        ):
            etype, sub = "clash", None  # "launched an attack on a regime military base"
        else:
            # a bare "the attack" is mostly a back-reference, and abroad often terrorism;
            # only a typed attack is read as an event
            return None
    if lemma in ("strike", "raid") and (mods | _doer_words(tok)) & _AIR_DOERS:
        mods = mods | {"air"}  # "coalition strikes", "the coalition carried out two strikes"
    if lemma in ("strike", "raid") and not mods & {"air", "drone", "missile", "aerial"}:
        if lemma == "raid":
            etype, sub = "clash", None
        else:
            return None
    if lemma == "bomb" and "barrel" in mods:
        sub = "air strike"  # barrel bombs are dropped from helicopters
    if etype == "bombardment" and "suicide" in mods:
        sub = "suicide bomb"
    elif lemma in ("bombing", "bomb") and mods & {"car", "roadside", "truck"}:
        sub = "explosion"
    if lemma == "fire" or (
        etype == "bombardment" and lemma in ("bombardment", "shelling", "strike", "raid", "bombing")
    ):
        # "artillery fire hit", "came under fire", "machinegun fire by military aircraft",
        # "came under the bombardments of the army's aircraft"
        words = mods | {
            t.lemma_.lower() for c in tok.children if c.dep_ == "prep" and c.lower_ in ("by", "of") for t in c.subtree
        }
        if words & _AIR_DOERS:
            etype, sub = "bombardment", "air strike"
        elif words & _MISSILE_DOERS:
            etype, sub = "bombardment", "missile"
        elif words & _ARTILLERY_DOERS:
            etype, sub = "bombardment", "shelling"
    anchor = frame
    if lemma == "round" and not mods & _ARTILLERY_DOERS | _MISSILE_DOERS:
        return None  # "mortar rounds", "tank rounds" are fired; "a round of talks" is not
    if lemma in _WEAPON_TRIGGER_NOUNS:
        # a weapon named is not an attack ("backed by artillery"); one fired or landing is
        while anchor.dep_ == "conj" and anchor.head is not anchor:
            anchor = anchor.head
        verb = anchor.head.lemma_.lower()
        if (anchor.dep_ == "dobj" and verb in ("fire", "launch", "lob", "rain", "drop")) or (
            anchor.dep_ == "nsubj"
            and verb in ("hit", "strike", "land", "slam", "rain", "pound", "kill", "target", "fall")
        ):
            return etype, sub
        return None
    while anchor.dep_ == "conj" and anchor.head is not anchor:
        anchor = anchor.head
    head = anchor.head
    dep = anchor.dep_
    if headline and dep == "ROOT":
        return etype, sub  # "Violent clashes in Aleppo and shelling in Homs countryside"
    if dep in ("dobj", "nsubj", "nsubjpass", "attr") and verb_lemma(head) in EVENTIVE_VERBS:
        return etype, sub
    if dep in ("pobj", "pcomp") and head.lower_ in EVENTIVE_PREPS and head.head.pos_ == "VERB":
        return etype, sub
    return None


def _actor_of(tok: Token, deps: tuple[str, ...]) -> str | None:
    if "nsubj" in deps and tok.dep_ in ("acl",) and not any(c.dep_ == "nsubj" for c in tok.children):
        # "troops launching an assault": the modified noun is the doer
        return normalise_actor([t for t in tok.head.subtree if t.i <= tok.head.i][-8:])
    for c in tok.children:
        if c.dep_ in deps:
            return normalise_actor(list(c.subtree)[:12])
        if c.dep_ == "agent":
            for cc in c.children:
                if cc.dep_ == "pobj" and "nsubj" in deps:
                    return normalise_actor(list(cc.subtree)[:12])
    return None


def _conj_top(tok: Token) -> Token:
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    return tok


_HABITUAL = frozenset(
    {
        "often",
        "usually",
        "regularly",
        "repeatedly",
        "frequently",
        "routinely",
        "sometimes",
        "typically",
        "generally",
        "always",
        "never",
        "increasingly",
        "long",
    }
)


def _generic(head: Token, trigger: Token, unit: Span, r: SceneReader, in_headline: bool = False) -> bool:
    """Background, not an event: a generic, habitual or long-running statement.

    - a relative or participial clause that describes a noun ("the coalition that has fought
      IS in Iraq and Syria since 2014", "French jihadists fighting in Iraq and Syria") with no
      date of its own and no past-tense report;
    - a present-perfect clause running "since YEAR" ("have shelled rebel areas since 2012");
    - a habitual clause ("Rebels often attack checkpoints at night") with no date of its own.
      (Plain present tense is not enough: headlines and "there is shelling" report events.)
    """
    verb = head if head.pos_ in ("VERB", "AUX") else trigger
    own = _local(verb)
    own_dates = [d for d in r.dates if d.root.i in own]
    perfect = any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("has", "have", "'ve") for c in verb.children)
    since_year = any(
        d.text.lower().startswith("since") or (d.start > 0 and r.doc[d.start - 1].lower_ == "since") for d in own_dates
    ) or any(t.lower_ == "since" and t.head.i == verb.i and any(c.like_num for c in t.subtree) for t in verb.children)
    if perfect and since_year:
        return True
    if trigger.pos_ != "VERB" and any(
        t.lower_ == "since" and any(c.like_num for c in t.subtree) for t in trigger.subtree
    ):
        return True  # "the fighting raging in much of Syria since March 2011": the war, not an event
    habitual = any(c.dep_ == "advmod" and c.lower_ in _HABITUAL for c in verb.children)
    if habitual and not own_dates:
        return True
    if verb.dep_ in ("relcl", "acl") and not own_dates and verb.i == trigger.i:
        # a verb trigger describing a noun; "troops launching an assault on the city" (an
        # eventive noun under a participle) is a report of what they are doing and stays
        if verb.tag_ == "VBG" or perfect or verb.tag_ in ("VBZ", "VBP"):
            return True
    return False
