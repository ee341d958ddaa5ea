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

from geomap.nlp.event_breadth import breadth_trigger, crowd_clash, fire_on_protest, unarmed_assault
from geomap.nlp.event_kinds import (
    _ARMED,
    _EXPEL_VERBS,
    AFTER_TABLE,
    BEFORE_TABLE,
    NO_EVENT,
    PHRASAL_LEMMAS,
    Clause,
    Kind,
    attack_kind,
    doer_kind,
    doer_words,
    instruments,
    refine,
    target_heads,
)
from geomap.nlp.event_lexicon import (
    AIR_DOERS,
    ARTILLERY_DOERS,
    CONTROL_VERBS,
    EVENTIVE_PREPS,
    EVENTIVE_VERBS,
    HYPOTHETICAL_AUX,
    IMPLICATIVE_HEADS,
    INTENT_HEADS,
    MILITARY_TARGETS,
    MISSILE_DOERS,
    NOUN_TRIGGERS,
    OCCASION_NOUNS,
    SPEECH_VERBS,
    VERB_TRIGGERS,
    VICTIMS,
    normalise_actor,
    verb_lemma,
)
from geomap.nlp.event_scene import _local
from geomap.nlp.strategic_acts import strategic_act

__all__ = ["_ARMED", "_EXPEL_VERBS"]  # read by events.py through this module

_PRIORITY = [
    "bombardment",
    "attack_on_civilians",
    "control_change",
    "clash",
    "defection",
    "protest",
    "strategic_development",
]
_WEAPON_TRIGGER_NOUNS = frozenset(
    {"artillery", "mortar", "rocket", "missile", "shellfire", "shell", "barrel", "bomb", "round"}
)
#: Parts of speech a trigger can have (extract_events reads no other token as one).
_TRIGGER_POS = frozenset({_POS_IDS["VERB"], _POS_IDS["NOUN"], _POS_IDS["PROPN"], _POS_IDS["ADJ"]})
#: people an attack is on that make it fighting ("launched an attack on a regime military base")
_ARMED_TARGETS = MILITARY_TARGETS | {"force", "troop", "army", "soldier", "fighter", "rebel", "militant"}
#: verbs that make a weapon noun an attack: fired ("fired mortar rounds") or landing ("a shell hit")
_FIRING_VERBS = frozenset({"fire", "launch", "lob", "rain", "drop"})
#: what a blaze does ("fire broke out") and words that make fire gunfire ("sniper fire", "machinegun fire")
_BLAZE_VERBS = frozenset(
    {"break", "engulf", "rage", "spread", "burn", "erupt", "hit", "destroy", "damage", "gut", "sweep"}
)
_GUN_WORDS = frozenset({"gun", "machinegun", "machine", "sniper", "rifle", "tank", "heavy", "small", "arm"})
_LANDING_VERBS = frozenset({"hit", "strike", "land", "slam", "rain", "pound", "kill", "target", "fall"})


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
    finite = False  # a past-tense verb on the way up: what it tells was done
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
            # "plotted to attack", "to retake": not (yet) done; but "nurses held a rally
            # in X to voice their grievances" parsed with "express" as the root: the
            # past-tense verb under the purpose infinitive was done
            done = _done(node) or finite or _past_implicative(node)
            if c.dep_ == "aux" and c.tag_ == "TO" and node.pos_ == "VERB" and not done:
                return True
        if node.dep_ == "conj" and not finite and any(c.dep_ == "aux" and c.tag_ == "TO" for c in node.head.children):
            return True
        finite = finite or (node.tag_ == "VBD" and node.pos_ == "VERB")
        if lemma in INTENT_HEADS and node is not tok and not _past_implicative(chain[i - 1]):
            return True
        if node.lower_ in ("unable", "failed") or lemma == "unable":
            return True
        if i >= 4:
            break
    return False


def _past_implicative(verb: Token) -> bool:
    """The infinitive happened: its head is an implicative word in the past.

    "managed to leave", "have managed to leave", "were able to retake", "began to shell"
    (``implicative_heads`` in lexicon/word_lists.tsv); not "is able to", "will manage to".
    """
    head = verb.head
    if verb.dep_ != "xcomp" or head is verb or head.lemma_.lower() not in IMPLICATIVE_HEADS:
        return False
    if head.pos_ == "ADJ":  # "were able": the tense is the copula's
        copula = head.head if head.dep_ == "acomp" else next((c for c in head.children if c.dep_ == "cop"), None)
        return copula is not None and copula.tag_ == "VBD"
    return head.tag_ == "VBD" or _done(head)


def _done(verb: Token) -> bool:
    """A perfect infinitive tells what was done: "claimed to have fired missiles"."""
    return verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ == "have" for c in verb.children)


def _verb_trigger(tok: Token, place_tokens: frozenset[int] = frozenset()) -> Kind | None:
    """``(event_type, sub_type)`` of a verb trigger, else None.

    The rules are read in order: protests, property and weapons (``event_breadth``), then the
    rules before the trigger table (phrasal verbs, captures, control phrases: ``event_kinds``),
    the trigger table (``lexicon/triggers.tsv``), and the rules that refine its answer (the
    weapon, the victims, the place taken).
    """
    lemma = verb_lemma(tok)
    found = (
        fire_on_protest(tok, lemma)
        or breadth_trigger(tok, lemma)
        or unarmed_assault(tok, lemma)
        or strategic_act(tok, lemma)
    )
    if found is not None:
        # protests by purpose or crowd, property destruction, defusals, mob violence, bases set up
        return found
    if lemma not in _VERB_TRIGGER_LEMMAS:
        return None  # every rule below needs one of these lemmas: skip the object walk
    clause = Clause(tok, lemma, place_tokens)
    for rule in BEFORE_TABLE:
        found = rule(clause)
        if found is not None:
            return None if found == NO_EVENT else found
    if clause.lemma not in VERB_TRIGGERS:
        return None
    kind = VERB_TRIGGERS[clause.lemma]
    for after in AFTER_TABLE:
        found = after(clause, kind)
        if found is not None:
            return None if found == NO_EVENT else found
    return refine(clause, kind)


#: Every lemma _verb_trigger can return a trigger for.
_VERB_TRIGGER_LEMMAS = PHRASAL_LEMMAS | set(CONTROL_VERBS) | set(VERB_TRIGGERS)


def _sentence_tells_more(tok: Token) -> bool:
    """Another word of the sentence is a verb trigger: an operation or a campaign is then the
    occasion of what happened, not an event of its own."""
    return any(t.i != tok.i and t.pos_ == "VERB" and _verb_trigger(t) is not None for t in tok.sent)


def _noun_lemma(tok: Token) -> str:
    """The noun reading of a token: "shelling" stays "shelling" even when tagged as a verb."""
    if tok.pos_ == "VERB":
        return tok.lower_
    return tok.lemma_.lower()


def _noun_trigger(tok: Token, headline: bool = False) -> Kind | None:
    """``(event_type, sub_type)`` of a trigger noun in an eventive frame, else None.

    "launched an assault", "killed during shelling", "there was heavy shelling", "mortar rounds
    hit", "a looting campaign"; in a text made only of headlines, a noun heading a line.
    """
    lemma = _noun_lemma(tok)
    if lemma not in NOUN_TRIGGERS:
        return None
    # "a looting campaign", "an arrest campaign": the trigger before an occasion noun is the event
    frame = tok.head if tok.dep_ == "compound" and tok.head.lemma_.lower() in OCCASION_NOUNS else tok
    if tok.dep_ == "compound" and frame is tok:
        return None
    if lemma in OCCASION_NOUNS and _sentence_tells_more(tok):
        return None  # "detained 85 migrants during an operation": the arrests are the event
    kind = _noun_kind(tok, lemma)
    if kind is None or _blaze(tok, lemma):
        return None
    if lemma in _WEAPON_TRIGGER_NOUNS:
        return kind if _weapon_used(frame) else None  # "backed by artillery" is no attack
    if not _eventive_frame(frame, headline):
        return None
    # "exchanged artillery shelling", "exchanged fire": two sides fighting
    return ("clash", None) if verb_lemma(_conj_top(frame).head) == "exchange" else kind


def _blaze(tok: Token, lemma: str) -> bool:
    """ "a large fire broke out", "fire engulfed the depot": a blaze, not gunfire."""
    if lemma != "fire" or tok.dep_ != "nsubj":
        return False
    mods = {c.lemma_.lower() for c in tok.children if c.dep_ in ("compound", "amod")}
    return verb_lemma(tok.head) in _BLAZE_VERBS and not mods & (
        AIR_DOERS | ARTILLERY_DOERS | MISSILE_DOERS | _GUN_WORDS
    )


def _noun_kind(tok: Token, lemma: str) -> Kind | None:
    """The kind a trigger noun tells, refined by its modifiers and doers (None: no event)."""
    etype, sub = NOUN_TRIGGERS[lemma]
    if etype == "clash" and (riot := crowd_clash(tok)) is not None:
        etype, sub = riot  # "clashes erupted between rioters" (event_breadth)
    mods = {c.lower_ for c in tok.children if c.dep_ in ("compound", "amod")}
    if lemma == "attack":
        found = _attack_noun(tok)
        if found is None:
            return None
        etype, sub = found
    if lemma in ("strike", "raid") and (mods | doer_words(tok) | _described_doers(tok)) & AIR_DOERS:
        mods = mods | {"air"}  # "coalition strikes", "the coalition carried out two strikes"
    if lemma in ("strike", "raid") and not mods & {"air", "drone", "missile", "aerial"}:
        if lemma == "strike":
            return doer_kind(mods)  # "artillery strikes" are shelling; a bare "strike" may be a walkout
        etype, sub = "clash", None  # a raid on the ground
    sub = _bomb_sub(lemma, etype, sub, mods)
    if lemma == "fire" or (
        etype == "bombardment" and lemma in ("bombardment", "shelling", "strike", "raid", "bombing")
    ):
        # "artillery fire hit", "machinegun fire by military aircraft", "came under the
        # bombardments of the army's aircraft"
        words = mods | {
            t.lemma_.lower() for c in tok.children if c.dep_ == "prep" and c.lower_ in ("by", "of") for t in c.subtree
        }
        etype, sub = doer_kind(words) or (etype, sub)
    return etype, sub


def _described_doers(noun: Token) -> set[str]:
    """Doers named in a clause describing the noun ("the raids that were carried out by
    warplanes")."""
    return {
        w.lemma_.lower()
        for c in noun.children
        if c.dep_ in ("relcl", "acl")
        for a in c.children
        if a.dep_ == "agent"
        for w in a.subtree
    }


def _attack_noun(tok: Token) -> Kind | None:
    """ "a mortar attack", "an arson attack", "an attack with heavy guns", "the attack on
    civilians", "an attack on a military base"; a bare "the attack" is mostly a back-reference
    (abroad often terrorism): only a typed attack is read as an event."""
    mods = [c for c in tok.children if c.dep_ in ("compound", "amod", "poss")]
    # "a car bomb attack", "the helicopters' attack on the city"
    kind = attack_kind(mods + instruments(tok)) or doer_kind({m.lemma_.lower() for m in mods})
    if kind is not None and kind[0] != "clash":
        return kind  # "a mortar attack", "an arson attack"; a shooting attack may be on civilians
    victims = {
        t.lemma_.lower() for c in tok.children if c.dep_ == "prep" and c.lower_ in ("on", "against") for t in c.subtree
    }
    if victims & VICTIMS:
        return "attack_on_civilians", None
    if kind is not None or target_heads(tok) & _ARMED_TARGETS:
        return "clash", None
    return None


def _bomb_sub(lemma: str, etype: str, sub: str | None, mods: set[str]) -> str | None:
    """Barrel bombs are dropped from helicopters; suicide and car bombs explode."""
    if lemma == "bomb" and "barrel" in mods:
        sub = "air strike"
    if etype == "bombardment" and "suicide" in mods:
        return "suicide bomb"
    if lemma in ("bombing", "bomb") and mods & {"car", "roadside", "truck"}:
        return "explosion"
    return sub


def _weapon_used(frame: Token) -> bool:
    """A weapon noun fired ("fired mortar rounds", "barrels were dropped on X") or landing ("a
    shell hit the market")."""
    anchor = _conj_top(frame)
    verb = anchor.head.lemma_.lower()
    fired = anchor.dep_ in ("dobj", "nsubjpass") and verb in _FIRING_VERBS
    return fired or (anchor.dep_ == "nsubj" and verb in _LANDING_VERBS)


def _eventive_frame(frame: Token, headline: bool) -> bool:
    """A trigger noun in a frame that reports it happening: object or subject of an eventive
    verb ("launched an assault", "clashes erupted"), under an eventive preposition ("killed
    during shelling"), or heading a headline."""
    anchor = _conj_top(frame)
    head, dep = anchor.head, anchor.dep_
    if headline and dep == "ROOT":
        return True  # "Violent clashes in Aleppo and shelling in Homs countryside"
    if dep == "ROOT" and any(c.dep_ == "nummod" for c in anchor.children):
        # "On 11 May, 2 Russian air raids targeted X district": the parser read "targeted"
        # as an adjective and left the counted strikes as a verbless root; they are reported
        return True
    if dep == "nsubj" and verb_lemma(head) == "come" and _frames_a_later_clause(head) and _told_before(anchor):
        return False  # "the raids come as ...", "the attack came amid ...": told before, now framed
    if dep in ("dobj", "nsubj", "nsubjpass", "attr") and verb_lemma(head) in EVENTIVE_VERBS:
        return True
    return dep in ("pobj", "pcomp") and head.lower_ in EVENTIVE_PREPS and head.head.pos_ == "VERB"


def _told_before(noun: Token) -> bool:
    """An event noun that retells: definite ("the raids"), with no place of its own ("the
    bombing of Ariha" tells a new one), after the document's first sentence."""
    definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "these", "those") for c in noun.children)
    if not definite or noun.sent.start == 0:
        return False
    lo, hi = noun.left_edge.i, noun.right_edge.i
    places = getattr(noun.doc._, "places", None) or []
    # a demonym says whose the raids were ("the Syrian raids"), not where they fell
    own = [p for p in places if lo <= p.start and p.end - 1 <= hi and p.root.dep_ not in ("amod", "compound")]
    return not own


def _frames_a_later_clause(come: Token) -> bool:
    """ "X come(s) as / amid / after Y": X, told before, set against Y; not X happening."""
    for c in come.children:
        if c.dep_ == "prep" and c.lower_ in ("amid", "after", "days", "weeks"):
            return True
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("as", "after", "while") for m in c.children):
            return True
    return False


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
    if "nsubj" in deps and tok.dep_ == "xcomp" and tok.head is not tok:
        # "jets began to bomb X", "rebels were able to retake X": the infinitive's doer is the
        # subject of the verb (or of the copula of the adjective) it completes
        head = tok.head.head if tok.head.dep_ == "acomp" else tok.head
        return _actor_of(head, deps) if head is not tok else None
    return None


#: Prepositions whose object is what a strike or an attack aims at ("air strikes against PKK
#: forces", "an attack on an army post", "fired at IS positions").
_TARGET_PREPS = frozenset({"against", "on", "upon", "at"})


def target_actor(head: Token, tok: Token) -> str | None:
    """The armed actor a violent clause aims at, when no object names one: the object of
    "against", "on" or "at" after the trigger or its verb ("carried out air strikes against
    PKK forces"), or what a "targeting" participle targets ("detonated a device targeting an
    army patrol"). Places and things name no actor (``normalise_actor``)."""
    objects = [c for n in (tok, head) for c in n.children if c.dep_ == "dobj"]  # "a bomb targeting X"
    for node in dict.fromkeys((tok, head, *objects)):
        for c in node.children:
            if c.dep_ == "prep" and c.lower_ in _TARGET_PREPS:
                for o in c.children:
                    if o.dep_ == "pobj" and (found := normalise_actor(list(o.subtree)[:12])):
                        return found
            if c.dep_ in ("acl", "advcl") and c.lemma_.lower() == "target":
                found = _actor_of(c, ("dobj",))
                if found:
                    return found
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


def _verbless_root(verb: Token) -> bool:
    """ "Monday government tank shelling hitting the eastern districts of Homs": the parser found no
    finite verb and hung the participle on a noun root; the participle is the sentence's verb."""
    root = verb.sent.root
    return verb.dep_ == "acl" and verb.head.i == root.i and root.pos_ not in ("VERB", "AUX")


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
    if verb.dep_ in ("relcl", "acl") and not own_dates and verb.i == trigger.i and not _verbless_root(verb):
        # a verb trigger describing a noun; "troops launching an assault on the city" (an
        # eventive noun under a participle) is a report of what they are doing and stays
        if verb.tag_ == "VBG" or perfect or verb.tag_ in ("VBZ", "VBP"):
            return True
    return False
