"""Trigger lexicons and the actor vocabulary used by ``geomap.nlp.events``.

Everything here is data plus two small look-ups, so the event rules stay readable and a user
can see (and extend) what words make which event. docs/event-types.md explains the mapping to
ACLED's event types.
"""

from __future__ import annotations

from spacy.tokens import Token

#: verb lemma -> (event_type, sub_type)
VERB_TRIGGERS: dict[str, tuple[str, str | None]] = {
    "fight": ("clash", None), "clash": ("clash", None), "battle": ("clash", None),
    "attack": ("clash", None), "storm": ("clash", None), "assault": ("clash", None),
    "ambush": ("clash", None), "besiege": ("clash", None),
    "engage": ("clash", None),
    "shell": ("bombardment", "shelling"), "bombard": ("bombardment", "shelling"),
    "pound": ("bombardment", "shelling"),
    "bomb": ("bombardment", "air strike"), "airstrike": ("bombardment", "air strike"),
    "strafe": ("bombardment", "air strike"), "strike": ("bombardment", None),
    "explode": ("bombardment", None), "detonate": ("bombardment", None),
    "kill": ("attack_on_civilians", None), "massacre": ("attack_on_civilians", None),
    "execute": ("attack_on_civilians", None), "shoot": ("attack_on_civilians", None),
    "capture": ("control_change", "gained"), "seize": ("control_change", "gained"),
    "overrun": ("control_change", "gained"), "retake": ("control_change", "gained"),
    "regain": ("control_change", "gained"), "recapture": ("control_change", "gained"),
    "liberate": ("control_change", "gained"), "reassert": ("control_change", "gained"),
    "conquer": ("control_change", "gained"),
    "lose": ("control_change", "lost"), "fall": ("control_change", "lost"),
    "protest": ("protest", None), "demonstrate": ("protest", None), "rally": ("protest", None),
    "defect": ("defection", None), "desert": ("defection", None),
}
#: noun lemma -> (event_type, sub_type); nouns only count in eventive frames (see events.py)
NOUN_TRIGGERS: dict[str, tuple[str, str | None]] = {
    "fighting": ("clash", None), "clash": ("clash", None), "battle": ("clash", None),
    "assault": ("clash", None), "offensive": ("clash", None),
    "counteroffensive": ("clash", None), "counter-offensive": ("clash", None),
    "ambush": ("clash", None), "firefight": ("clash", None), "skirmish": ("clash", None),
    "combat": ("clash", None), "gunfight": ("clash", None), "siege": ("clash", None),
    "shelling": ("bombardment", "shelling"), "bombardment": ("bombardment", "shelling"),
    "shellfire": ("bombardment", "shelling"), "mortar": ("bombardment", "shelling"),
    "artillery": ("bombardment", "shelling"),
    "airstrike": ("bombardment", "air strike"), "bombing": ("bombardment", "air strike"),
    "raid": ("bombardment", "air strike"), "strike": ("bombardment", "air strike"),
    "missile": ("bombardment", "missile"), "rocket": ("bombardment", "missile"),
    "shell": ("bombardment", "shelling"), "barrel": ("bombardment", "air strike"),
    "explosion": ("bombardment", None), "blast": ("bombardment", None), "bomb": ("bombardment", None),
    "massacre": ("attack_on_civilians", None), "execution": ("attack_on_civilians", None),
    "attack": ("clash", None), "bombardment": ("bombardment", "shelling"),
    "victory": ("control_change", "claimed"), "takeover": ("control_change", "gained"),
    "capture": ("control_change", "gained"),
    "protest": ("protest", None), "demonstration": ("protest", None), "rally": ("protest", None),
    "defection": ("defection", None),
    "ceasefire": ("strategic_development", None), "truce": ("strategic_development", None),
}
#: verbs that make a trigger noun an event happening ("launched an assault", "there is shelling")
EVENTIVE_VERBS = frozenset(
    """launch begin start continue intensify rage erupt escalate break resume be mount wage
    carry conduct report see hear face repel come witness kill take occur target hit renew
    leave cause rock drop fire unleash flare spread engulf shake persist erupt rain rip tear""".split()
)
#: prepositions that make a trigger noun the occasion of a clause ("killed during shelling")
EVENTIVE_PREPS = frozenset({"during", "in", "amid", "after", "by", "following"})

#: "control" phrases: verb + "control" ("gained control", "took control", "lost control")
CONTROL_VERBS = {"gain": "gained", "take": "gained", "regain": "gained", "seize": "gained",
                 "wrest": "gained", "assume": "gained", "reassert": "gained", "establish": "gained",
                 "lose": "lost", "cede": "lost", "relinquish": "lost"}
#: objects that make "left X" a defection
DEFECTION_OBJECTS = frozenset(
    """army unit police force forces regiment brigade battalion division military post ranks
    service guard""".split()
)

#: movement verbs: lemma -> how the moved party is found ("obj" = direct object moves,
#: "subj" = the subject moves)
MOVE_VERBS = {
    "send": "obj", "deploy": "obj", "dispatch": "obj", "move": "obj", "withdraw": "obj",
    "transfer": "obj", "redeploy": "obj", "pull": "obj", "ship": "obj", "smuggle": "obj",
    "bring": "obj", "relocate": "obj", "evacuate": "obj", "push": "obj", "displace": "obj",
    "head": "subj", "advance": "subj", "march": "subj", "arrive": "subj", "retreat": "subj",
    "flee": "subj", "return": "subj", "cross": "subj", "mass": "subj", "converge": "subj",
    "go": "subj", "come": "subj", "leave": "subj", "escape": "subj", "pour": "subj",
}
TROOP_NOUNS = frozenset(
    """troop soldier force fighter rebel reinforcement unit army militant insurgent convoy tank
    column brigade battalion militiaman gunman jihadist regiment division""".split()
)
WEAPON_NOUNS = frozenset(
    """weapon stockpile stock arm arsenal missile munition ammunition warhead agent rocket
    launcher""".split()
)
CIVILIAN_NOUNS = frozenset(
    """people civilian resident family villager refugee returnee child woman man inhabitant
    person displaced iraqi syrian palestinian kurd protester demonstrator worshipper mourner
    student girl boy""".split()
)
REFUGEE_NOUNS = frozenset({"refugee", "returnee", "iraqis", "displaced"})

#: words that make a clause hypothetical or intended, not an event that happened
HYPOTHETICAL_AUX = frozenset({"would", "could", "should", "might", "may", "will", "shall", "ll", "must"})
INTENT_HEADS = frozenset(
    """plan want try attempt seek aim threaten prepare intend hope order urge call allow
    help able unable fail refuse vow pledge promise need able ask demand request work
    going expect plot conspire verge brink bid attempt threat risk intention effort readiness
    capable capability""".split()
)
STOP_VERBS = frozenset({"stop", "end", "cease", "halt", "go", "die", "subside"})

#: speech and report verbs whose subject is a source
SPEECH_VERBS = frozenset(
    """say tell report announce add state claim confirm deny note explain indicate write
    recall insist allege warn estimate quote cite accord post tweet show document describe
    testify""".split()
)
DENIAL_VERBS = frozenset({"deny", "dispute", "reject", "refute", "contradict"})

#: actor vocabulary: keyword (lower-case, token text or lemma) -> normalised actor
_ACTOR_WORDS = {
    "regime": "government forces", "government": "government forces", "army": "government forces",
    "military": "government forces", "security": "government forces", "soldier": "government forces",
    "police": "government forces", "assad": "government forces", "loyalist": "government forces",
    "state": "government forces", "sana": "government forces",
    "shabiha": "pro-government militias", "militia": "pro-government militias",
    "ndf": "pro-government militias", "hezbollah": "Hezbollah",
    "rebel": "rebels", "fsa": "rebels", "opposition": "rebels", "insurgent": "rebels",
    "fighter": "rebels", "defector": "rebels", "revolutionary": "rebels",
    "nusra": "Islamist groups", "isis": "Islamist groups", "isil": "Islamist groups",
    "daesh": "Islamist groups", "jihadist": "Islamist groups", "islamist": "Islamist groups",
    "ypg": "Kurdish forces", "sdf": "Kurdish forces", "pkk": "Kurdish forces", "kurdish": "Kurdish forces",
    "civilian": "civilians", "people": "civilians", "resident": "civilians", "protester": "civilians",
    "demonstrator": "civilians", "worshipper": "civilians", "child": "civilians", "woman": "civilians",
    "family": "civilians", "home": "civilians", "villager": "civilians", "refugee": "civilians",
    "returnee": "civilians", "girl": "civilians", "boy": "civilians",
    "israeli": "Israel", "israel": "Israel", "turkish": "Turkey", "turkey": "Turkey",
    "russian": "Russia", "russia": "Russia", "american": "United States", "u.s.": "United States",
    "us": "United States", "iranian": "Iran", "iran": "Iran", "iraqi": "Iraq", "jordanian": "Jordan",
    "lebanese": "Lebanon", "coalition": "US-led coalition", "french": "France", "british": "United Kingdom",
}
#: multi-word names checked first
_ACTOR_PHRASES = {
    "free syrian army": "rebels", "syrian army": "government forces", "syrian forces": "government forces",
    "government forces": "government forces", "security forces": "government forces",
    "islamic state": "Islamist groups", "al-nusra": "Islamist groups", "syrian national council": "rebels",
}


#: past forms the small model's lemmatiser misses
_IRREGULAR = {
    "retook": "retake", "retaken": "retake", "overran": "overrun", "shot": "shoot", "fled": "flee",
    "fought": "fight", "struck": "strike", "stricken": "strike", "sent": "send", "took": "take",
    "taken": "take", "withdrew": "withdraw", "withdrawn": "withdraw", "lost": "lose", "fell": "fall",
    "fallen": "fall", "recaptured": "recapture", "regained": "regain", "bombed": "bomb",
    "shelled": "shell", "went": "go", "gone": "go", "came": "come", "drove": "drive",
    "driven": "drive", "left": "leave", "raged": "rage", "rages": "rage", "brought": "bring", "overrun": "overrun",
}


def verb_lemma(tok: Token) -> str:
    """A verb's lemma, also for irregular past forms the model leaves as they are."""
    low = tok.lower_
    return _IRREGULAR.get(low) or tok.lemma_.lower()


def normalise_actor(tokens: list[Token]) -> str | None:
    """Map the words of an actor phrase to geomap's actor set.

    Parameters
    ----------
    tokens : list of Token
        The phrase ("the Syrian regime", "hundreds of rebels", "Israeli jets").

    Returns
    -------
    str or None
        One of the documented actors (government forces, pro-government militias, rebels,
        Islamist groups, Kurdish forces, civilians, a named foreign state...), else ``None``.
    """
    text = " ".join(t.lower_ for t in tokens)
    for phrase, actor in _ACTOR_PHRASES.items():
        if phrase in text:
            return actor
    found = None
    for t in tokens:
        for key in (t.lower_, t.lemma_.lower()):
            if key in _ACTOR_WORDS:
                actor = _ACTOR_WORDS[key]
                # "troops" alone says nothing; a state word next to them decides.
                if found is None or (found == "civilians" and actor != "civilians"):
                    found = actor
                break
    if found is None and any(t.lemma_.lower() in ("troop", "force", "jet", "warplane", "helicopter", "tank") for t in tokens):
        # Unqualified troops and aircraft in this conflict's reporting are the state's unless
        # a foreign word said otherwise (checked above).
        found = "government forces"
    return found
