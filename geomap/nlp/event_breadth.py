"""Protests, property destruction and disrupted weapons use that no single trigger word tells.

ACLED's coders record a protest when people gather, stand on a road or take to the streets *to
protest*, and they split protests by how the authorities answered: peaceful, met with intervention
("police dispersed the protesters"), or with excessive force ("security forces shot dead two
protesters"). They record property destruction (houses demolished, fields set on fire) and
disrupted weapons use (a bomb defused, a drone intercepted or shot down) as strategic
developments. The words are data (``geomap/nlp/lexicon/breadth_words.tsv``); the rules here read
the clause around them:

- ``breadth_trigger(tok, lemma)``: a verb that is a protest by its purpose ("gathered to
  protest", "stood on the road ..., in protest against", "gathered for a sit-in"), by its subject
  ("protesters gathered", "demonstrators blocked the road"), or by "took to the streets"; a verb
  of property destruction ("demolished a house", "set fire to shops"); a verb that stops a weapon
  ("defused an IED", "intercepted a drone", "shot down a drone").
- ``protest_sub_type(doc, record)``: how the authorities answered the protest, read from the
  protest's sentence and the next one.

Riots (protesters who clash, throw stones, burn) are read by ``event_kinds.riot``.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from geomap.nlp.event_lexicon import ATTACK_KINDS, VICTIMS, named_lists, verb_lemma, word_list
from geomap.nlp.unresolved_places import unresolved_place

__all__ = [
    "breadth_trigger",
    "crowd_clash",
    "peaceful_transfer",
    "remnant_of_war",
    "unarmed_assault",
    "finds_bodies",
    "of_complements",
    "protest_sub_type",
    "refine_protests",
    "unresolved_place",  # (unresolved_places; re-exported for events)
]

_LISTS = named_lists("breadth_words.tsv")
_CROWD = _LISTS["crowd_subjects"]
_ASSEMBLY = _LISTS["assembly_verbs"]
_AIMS = _LISTS["protest_aims"]
_FRAMES = _LISTS["protest_frames"]
_STREETS = _LISTS["street_words"]
_INTERVENTION = _LISTS["intervention_verbs"]
_GATHERINGS = _LISTS["protest_gatherings"]
_DOING = _LISTS["doing_verbs"]
_ARREST_NOUNS = _LISTS["arrest_nouns"]
#: sentences after a protest's own read for how the authorities answered it
_ANSWER_SENTENCES = 2
_MEANS = _LISTS["intervention_means"]
_LETHAL = _LISTS["lethal_verbs"]
_PROTEST_PEOPLE = _LISTS["protest_people"]
_PROPERTY_VERBS = _LISTS["property_verbs"]
_FIRE = _LISTS["fire_objects"]
_DISRUPT = _LISTS["disrupt_verbs"]
_DISRUPTED_WEAPONS = _LISTS["disrupted_weapons"]
_CLASH_WORDS = _LISTS["clash_words"]
_FIRE_VERBS = _LISTS["fire_verbs"]
_CIVILIAN_THINGS = _LISTS["civilian_things"]
_HEAVY = _LISTS["heavy_weapons"]
_FINDING = _LISTS["finding_verbs"]
_SEIZING = _LISTS["seizing_verbs"]
_SEIZED = _LISTS["seized_weapons"]
_BODIES = _LISTS["body_nouns"]
_MOB = _LISTS["mob_people"]
_UNARMED = _LISTS["unarmed_sides"]
_UNARMED_MARKS = _LISTS["unarmed_marks"]
_PROPERTY_DAMAGE = _LISTS["property_damage_verbs"]
_PROPERTY = _LISTS["property_objects"]
_LOOTED = _LISTS["looted_property"]
_LOOTING_VERBS = _LISTS["looting_verbs"]
#: doers whose destroying is a strike, not property destruction ("airstrikes destroyed a hideout")
_WEAPON_DOERS = word_list("air_doers") | word_list("artillery_doers") | word_list("missile_doers")
#: verbs of violence: a crowd doing them riots (event_kinds.riot decides), it does not protest
_VIOLENT = frozenset(
    {"attack", "beat", "burn", "clash", "hurl", "kill", "lynch", "set", "shoot", "stab", "storm", "throw", "torch"}
)
_RIOT_MARKS = _LISTS["riot_marks"]
_PAST_WARS = _LISTS["past_war_words"]

PROTEST = ("protest", None)
LOOTING = ("strategic_development", "looting")
DISRUPTED = ("strategic_development", "weapons seized")


def _lemmas(toks) -> set[str]:
    return {t.lemma_.lower() for t in toks} | {t.lower_ for t in toks}


def _clause(tok: Token) -> list[Token]:
    """The verb's own clause: its subtree without clauses that have a subject of their own."""
    skip: set[int] = set()
    for t in tok.subtree:
        if t is not tok and t.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
            skip |= {x.i for x in t.subtree}
    return [t for t in tok.subtree if t.i not in skip]


def _objects(tok: Token) -> list[Token]:
    return [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]


def _object_nouns(objs: list[Token]) -> set[str]:
    """Head nouns of the objects, their coordinated nouns, and the counted noun of "a number
    of weapons", "a cache of arms" (compounds too: "an arms cache")."""
    out: set[str] = set()
    for o in objs:
        for n in [o, *o.conjuncts]:
            out.add(n.lemma_.lower())
            out |= {c.lemma_.lower() for c in n.children if c.dep_ == "compound"}
            out |= of_complements(n)
    return out


def of_complements(noun: Token) -> set[str]:
    """Lemmas of the nouns an "of" phrase attaches to ``noun`` ("a cache of arms": arms)."""
    return {
        p.lemma_.lower()
        for c in noun.children
        if c.dep_ == "prep" and c.lower_ == "of"
        for p in c.children
        if p.dep_ == "pobj"
    }


def _sit_in(t: Token) -> bool:
    """ "a sit-in", which the tokenizer splits into "sit", "-", "in"."""
    return t.lower_ == "in" and any(c.lower_ == "sit" for c in t.children)


def _object_words(verb: Token) -> set[str]:
    """Lemmas of what a verb acts on (objects, passive subjects), "sit-in" whole ("stormed the
    sit-in tents": the tokenizer splits it)."""
    words = {x.lemma_.lower() for c in verb.children if c.dep_ in ("dobj", "nsubjpass") for x in c.subtree}
    if "sit" in words and "in" in words:
        words.add("sit-in")
    return words


def _protest_frame(tok: Token) -> bool:
    """ "in protest against", "in solidarity with", "gathered for a sit-in", "to protest",
    "to denounce" (an assembly verb only): the clause's purpose is a protest."""
    for t in _clause(tok):
        # the preposition hangs on the verb or a verb of its purpose ("responsibility for the
        # strike" is no frame; "arrested ... for participating in demonstrations" is an arrest)
        if (
            t.dep_ == "pobj"
            and t.head.lower_ in ("in", "for", "as")
            and t.head.head.pos_ == "VERB"
            and _own_verb(t.head.head, tok)
            and (t.lemma_.lower() in _FRAMES or t.lower_ in _FRAMES or _sit_in(t))
        ):
            return True
    if verb_is_assembly(tok):
        for c in tok.children:
            if c.dep_ in ("advcl", "xcomp") and c.lemma_.lower() in _AIMS and any(a.tag_ == "TO" for a in c.children):
                return True
    return False


def _own_verb(verb: Token, tok: Token) -> bool:
    """``verb`` is ``tok`` or a verb of its purpose or manner ("stood on the road to block it,
    in protest"), not a verb nested under a noun of another clause."""
    return verb.i == tok.i or (verb.head.i == tok.i and verb.dep_ in ("advcl", "xcomp", "conj"))


def crowd_clash(tok: Token) -> tuple[str, str] | None:
    """A clash with a crowd among its sides is a riot: "rioters clashed with the police",
    "settlers clashed with Palestinian rioters", "clashes erupted between rioters" (mob
    violence), or protesters' ("violent demonstration", also when the sentence names a
    demonstration the rioters were at)."""
    if tok.lemma_.lower() not in _CLASH_WORDS and tok.lower_ not in _CLASH_WORDS:
        return None
    sides: set[str] = set()
    # "clashes erupted between rioters": the sides may hang on the verb a clash noun is subject of
    kids = list(tok.children) + (list(tok.head.children) if tok.pos_ == "NOUN" and tok.dep_ == "nsubj" else [])
    for c in kids:
        if c is tok:
            continue
        if c.dep_ in ("nsubj", "dobj"):
            sides |= {t.lemma_.lower() for t in c.subtree}
        elif c.dep_ == "prep" and c.lower_ in ("with", "between", "among", "against"):
            sides |= {t.lemma_.lower() for t in c.subtree}
    if tok.dep_ == "acl":
        sides |= {t.lemma_.lower() for t in tok.head.subtree if t.i < tok.i}  # "rioters, including students, clashed"
    sent_words = {t.lemma_.lower() for t in tok.sent}
    protest_here = bool(sent_words & {"demonstration", "protest", "rally"})
    if sides & _CROWD or (sides & (_MOB | _UNARMED) and protest_here):
        return "protest", "violent demonstration"
    if sides & _MOB:
        return "protest", "mob violence"
    # a fight among people without arms, or one said to be physical ("physical clashes
    # erupted between activists and supporters"): mob violence
    if sides & _UNARMED or {c.lower_ for c in tok.children if c.dep_ in ("amod", "advmod")} & _UNARMED_MARKS:
        return "protest", "mob violence"
    return None


def remnant_of_war(tok: Token) -> bool:
    """ "a mine leftover from the Iran-Iraq war detonated", "a landmine from the Iraq-Iran war
    detonated": an old war's remnant going off, not an attack (ACLED's Strategic developments).
    Read from the sentence: the parser often hangs the verb on the war. Remnants of the war
    being fought ("remnants of a barrel bomb from last month's raids detonated") are an
    explosion like any other, as ACLED codes them."""
    return any(t.lower_ == "from" and any(p.lemma_.lower() in _PAST_WARS for p in t.children) for t in tok.sent)


def peaceful_transfer(tok: Token) -> bool:
    """A change of control without fighting: "took control peacefully", "after Saudi forces
    evacuated the area and handed over control" (no clash told in the sentence)."""
    words = _lemmas(tok.sent)
    return bool(words & _LISTS["transfer_marks"]) and not words & (_CLASH_WORDS | {"battle", "fighting", "attack"})


def unarmed_assault(tok: Token, lemma: str) -> tuple[str, str | None] | None:
    """Settlers, supporters or students who assault or beat someone: mob violence; anyone else
    who assaults or beats protesters: a protest met with intervention ("police assaulted
    protesters"), civilians: an attack on civilians ("forces beat a number of citizens")."""
    if lemma not in _LISTS["assault_verbs"]:
        return None
    subj = {t.lemma_.lower() for c in tok.children if c.dep_ == "nsubj" for t in c.subtree}
    if subj & (_UNARMED | _MOB):
        return "protest", "mob violence"
    objs = _objects(tok) or ([o for o in _objects(tok.head)] if tok.dep_ == "conj" else [])
    victims = _object_nouns(objs) | {o.lemma_.lower() for c in tok.conjuncts for o in _objects(c)}
    if victims & _PROTEST_PEOPLE:
        return "protest", "with intervention"
    if victims & VICTIMS and lemma != "attack":
        return "attack_on_civilians", None  # (an attack's weapon may make it a strike: event_kinds)
    return None


def fire_on_protest(tok: Token, lemma: str) -> tuple[str, str | None] | None:
    """Forces that fire or shoot at protesters or at their gathering ("opened fire on the
    sit-in", "shot at demonstrators") attack civilians (docs/event-types.md: "opened fire on
    protesters"), they fight nobody: no clash. The protest's own record, when the text tells
    it, takes the sub-type "excessive force" (:func:`protest_sub_type`)."""
    if lemma not in _LISTS["firing_verbs"]:
        return None
    fire = [c for c in tok.children if c.dep_ == "dobj" and c.lemma_.lower() == "fire"]
    if lemma == "open" and not fire:
        return None
    targets = {
        x.lemma_.lower()
        for head in (tok, *fire)
        for c in head.children
        if c.dep_ == "prep" and c.lower_ in ("on", "at", "upon")
        for o in c.children
        if o.dep_ == "pobj" and o.ent_type_ not in ("DATE", "TIME")  # "On 5 March", "at noon"
        for x in o.subtree
    }
    if lemma == "shoot":
        targets |= _object_words(tok)
    if "sit" in targets and "in" in targets:
        targets.add("sit-in")
    if targets & (_PROTEST_PEOPLE | _FRAMES | _GATHERINGS):
        return "attack_on_civilians", None
    return None


def finds_bodies(tok: Token) -> bool:
    """ "police found the body of a man": whoever found the body is no actor of the killing."""
    return tok.lemma_.lower() in _FINDING and bool({o.lemma_.lower() for o in _objects(tok)} & _BODIES)


def verb_is_assembly(tok: Token) -> bool:
    return verb_lemma(tok) in _ASSEMBLY  # "staged" (the model's lemma is "stag")


def breadth_trigger(tok: Token, lemma: str) -> tuple[str, str | None] | None:
    """``(event_type, sub_type)`` for a verb the trigger table alone does not read, else None.

    Parameters
    ----------
    tok : Token
        A verb.
    lemma : str
        Its lemma (irregular forms resolved).
    """
    objs = _objects(tok)
    found = _things_done(tok, lemma, objs)
    if found is not None:
        return found
    return _crowd_trigger(tok, lemma, objs)


def _things_done(tok: Token, lemma: str, objs: list[Token]) -> tuple[str, str | None] | None:
    """Weapons stopped or seized, property destroyed, a clash with a crowd, bodies found,
    shooting at civilians."""
    obj_words = _lemmas([t for o in objs for t in o.subtree])
    obj_heads = {o.lemma_.lower() for o in objs}
    prts = {c.lower_ for c in tok.children if c.dep_ in ("prt", "advmod")}
    # disrupted weapons use: "defused an IED", "intercepted a drone", "shot down a drone"
    if (lemma in _DISRUPT or (lemma == "shoot" and "down" in prts)) and obj_heads & _DISRUPTED_WEAPONS:
        return DISRUPTED
    if lemma in _SEIZING and _object_nouns(objs) & _SEIZED:
        return DISRUPTED  # "seized a large number of weapons", "found an arms cache"
    # property destruction: "demolished a house", "razed lands"
    if lemma in _PROPERTY_VERBS:
        return LOOTING
    if _property_taken_or_destroyed(tok, lemma, objs):
        return LOOTING
    riot = crowd_clash(tok)
    if riot is not None:
        return riot
    if finds_bodies(tok):
        return "attack_on_civilians", None  # "police found the body of a young man", "bodies were found"
    opened_fire = lemma == "open" and "fire" in obj_heads  # "opened fire towards shepherds"
    if (lemma in _FIRE_VERBS or opened_fire) and not obj_words & _HEAVY:
        # "police fired at a car", "gunboats fired live bullets at fishing boats"
        # (also on a verb coordinated with it: "opened fire and used water hoses against boats")
        targets = {
            x.lemma_.lower()
            for v in [tok, *tok.conjuncts]
            for c in v.children
            if c.dep_ == "prep" and c.lower_ in ("at", "on", "upon", "towards", "toward", "against")
            for p in c.children
            if p.dep_ == "pobj"
            for x in [p, *p.conjuncts]
        }
        if targets & _DISRUPTED_WEAPONS:
            return DISRUPTED  # "opened fire at 3 drones": an interception
        if targets & (_CIVILIAN_THINGS | VICTIMS) and not any(
            c.dep_ == "nsubj" and c.lemma_.lower() in _CROWD for c in tok.children
        ):
            return "attack_on_civilians", None
    return None


def _property_taken_or_destroyed(tok: Token, lemma: str, objs: list[Token]) -> bool:
    """ "discovered and destroyed an IS hideout", "burned farms", "stormed and seized the
    house": property destruction or looting, unless an aircraft, a gun or nature did it
    ("airstrikes destroyed a hideout" is a strike, "the earthquake destroyed houses" none)."""
    heads = _object_nouns(objs) if objs else _shared_object(tok)
    if not ((lemma in _PROPERTY_DAMAGE and heads & _PROPERTY) or (lemma in _LOOTING_VERBS and heads & _LOOTED)):
        return False
    doers = {t.lemma_.lower() for c in tok.children if c.dep_ in ("nsubj", "agent") for t in c.subtree}
    # an earthquake or a storm is no violence (event_triggers reads the rest of the verb)
    return not doers & (_WEAPON_DOERS | {"strike", "raid"} | _CROWD | word_list("natural_causes"))


def _shared_object(tok: Token) -> set[str]:
    """The object of the verb a verb is coordinated with ("stormed and seized the house": the
    house is the object of both)."""
    if tok.dep_ == "conj":
        return _object_nouns(_objects(tok.head))
    return _object_nouns([o for c in tok.conjuncts if c.i > tok.i for o in _objects(c)])


def _crowd_trigger(tok: Token, lemma: str, objs: list[Token]) -> tuple[str, str | None] | None:
    """Stones thrown, arson, and protests by crowd, purpose or frame."""
    obj_words = _lemmas([t for o in objs for t in o.subtree])
    obj_heads = {o.lemma_.lower() for o in objs}
    subj = [c for c in tok.children if c.dep_ == "nsubj"]
    subj_words = {t.lemma_.lower() for c in subj for t in c.subtree}  # "hundreds of protesters", "X and protesters"
    crowd = bool(subj_words & _CROWD) or any(
        c.dep_ == "amod" and c.lemma_.lower() == "protest" for s in subj for c in s.children
    )  # "protesting drivers"
    thrown = [ATTACK_KINDS[h] for h in obj_heads if h in ATTACK_KINDS and ATTACK_KINDS[h][0] == "bombardment"]
    if lemma in ("hurl", "throw", "lob") and thrown:
        return thrown[0]  # "threw a hand grenade into the building": the weapon decides
    if lemma in ("hurl", "throw", "pelt", "stone") and (obj_words & _RIOT_MARKS or lemma == "stone"):
        # stones thrown by protesters are a violent demonstration; by anyone else (a crowd,
        # settlers, youths), mob violence
        return ("protest", "violent demonstration") if crowd else ("protest", "mob violence")
    if lemma == "set" and (obj_heads & _FIRE or "fire" in {t.lower_ for t in tok.subtree}) and not crowd:
        return LOOTING  # "set fire to shops", "set a car on fire"
    if lemma in _VIOLENT:
        return None  # a crowd that clashes or burns riots: event_kinds.riot
    counted = {i for c in (tok.doc._.counts or []) for i in range(c.start, c.end)}
    if crowd and any(t.like_num or t.i in counted for c in subj for t in c.subtree):
        return None  # "Thousands of protesters took to the streets": loose_tolls._protest_size keeps the size
    if lemma == "take" and any(
        c.dep_ == "prep" and c.lower_ == "to" and any(p.lemma_.lower() in _STREETS for p in c.children)
        for c in tok.children
    ):
        return PROTEST  # "took to the streets"
    # "taxi drivers blocked streets", "graduates closed the governorate building"
    framed = (
        _blockade(tok, lemma, obj_heads, subj_words)
        or _protest_frame(tok)
        or (verb_is_assembly(tok) and (obj_heads & _FRAMES or any(_sit_in(o) for o in objs)))
    )
    # common nouns only: "Tire" the town and a "rock quarry" are no riot
    marks = {t.lemma_.lower() for t in _clause(tok) if t.pos_ == "NOUN" and t.is_lower and t.dep_ != "compound"}
    if (framed or crowd) and verb_is_assembly(tok) and marks & _RIOT_MARKS:
        return "protest", "violent demonstration"  # "blocked the road with burning tires"
    if framed or (crowd and verb_is_assembly(tok)):
        return PROTEST  # "teachers did a sit-in protest", "held a protest", "protesters gathered"
    return None


def _blockade(tok: Token, lemma: str, obj_heads: set[str], subj_words: set[str]) -> bool:
    """Civilians who block a road or close a building protest; soldiers closing a road do not."""
    return (
        lemma in _LISTS["blockade_verbs"]
        and bool(obj_heads & _LISTS["blockade_objects"])
        and bool(subj_words & (_LISTS["civilian_crowds"] | VICTIMS))
        and not subj_words & word_list("state_forces")
    )


def protest_sub_type(doc: Doc, start: int, end: int) -> str | None:
    """How the authorities answered a protest told in ``doc[start:end]`` (its sentence and the
    next two): "excessive force" (protesters killed, shot or wounded), "with intervention"
    (protesters dispersed, arrested; tear gas, water cannon), else None.
    """
    sents = list(doc.sents)
    window = [s for s in sents if s.start < end and s.end > start]
    if window:
        # a short report often tells the police's answer two sentences on ("... protested in X.
        # They said prices had doubled. Police dispersed the protesters.")
        nxt = [s for s in sents if s.start >= window[-1].end][:_ANSWER_SENTENCES]
        window += nxt
    answer = None
    for s in window:
        for t in s:
            if t.pos_ != "VERB":
                continue
            lemma = t.lemma_.lower()
            people = _object_words(t)
            if lemma in _LETHAL and people & _PROTEST_PEOPLE:
                return "excessive force"
            if lemma in _INTERVENTION and (people & (_PROTEST_PEOPLE | _FRAMES | _GATHERINGS) or lemma == "intervene"):
                answer = "with intervention"
            if lemma in _DOING and people & _ARREST_NOUNS:
                answer = "with intervention"  # "police made dozens of arrests"
        if _lemmas(s) & _MEANS and {"tear", "water", "baton"} & {t.lower_ for t in s}:
            answer = answer or "with intervention"
    return answer


def refine_protests(doc: Doc, incidents: list[dict]) -> None:
    """Give each peaceful-looking protest record the sub-type the authorities' answer makes it."""
    for rec in incidents:
        if rec.get("event_type") != "protest" or rec.get("sub_type"):
            continue
        span = doc.char_span(rec["char_start"], rec["char_end"], alignment_mode="expand")
        if span is None:
            continue
        sub = protest_sub_type(doc, span.start, span.end)
        if sub:
            rec["sub_type"] = sub
