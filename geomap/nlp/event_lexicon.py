"""Trigger lexicons used by ``geomap.nlp.events``, loaded once (the actor vocabulary: ``geomap.nlp.actors``).

The words are data in ``geomap/nlp/lexicon/*.tsv`` (tab-separated, ``#`` comments, a header
row), so that a coder can add a verb, a noun or an actor without reading Python:
``triggers.tsv`` (word -> event type and sub-type), ``word_lists.tsv`` (named lists: eventive
verbs, speech verbs, civilian nouns...), ``control_verbs.tsv``, ``move_verbs.tsv``,
``actors.tsv``, ``irregular_verbs.tsv`` and ``attack_kinds.tsv`` (what a modifier or an
instrument makes an attack: "an arson attack", "via heavy guns"). docs/event-types.md explains
each file and the mapping to ACLED's event types (geomap/vocab/acled_types.tsv).
"""

from __future__ import annotations

from pathlib import Path

from spacy.tokens import Token

from geomap.nlp.actors import ACTOR_WORDS as _ACTOR_WORDS  # noqa: F401 (re-exported: place_words)
from geomap.nlp.actors import normalise_actor  # noqa: F401 (re-exported: events, movements)
from geomap.schema import read_table

LEXICON_DIR = Path(__file__).with_name("lexicon")


def _rows(name: str) -> list[dict[str, str]]:
    return read_table(LEXICON_DIR / name)


def _triggers(part: str) -> dict[str, tuple[str, str | None]]:
    return {r["word"]: (r["event_type"], r["sub_type"] or None) for r in _rows("triggers.tsv") if r["part"] == part}


def named_lists(name: str) -> dict[str, frozenset[str]]:
    """The named word lists of a lexicon file (columns ``list`` and ``words``, space-separated)."""
    return {r["list"]: frozenset(r["words"].split()) for r in _rows(name)}


_LISTS = named_lists("word_lists.tsv")


def word_list(name: str) -> frozenset[str]:
    """A named word list of ``lexicon/word_lists.tsv`` (empty if the file has no such list)."""
    return _LISTS.get(name, frozenset())


#: verb lemma -> (event_type, sub_type)
VERB_TRIGGERS: dict[str, tuple[str, str | None]] = _triggers("verb")
#: noun lemma -> (event_type, sub_type); nouns only count in eventive frames (see events.py)
NOUN_TRIGGERS: dict[str, tuple[str, str | None]] = _triggers("noun")
#: verbs that make a trigger noun an event happening ("launched an assault", "there is shelling")
EVENTIVE_VERBS = word_list("eventive_verbs")
#: prepositions that make a trigger noun the occasion of a clause ("killed during shelling")
EVENTIVE_PREPS = word_list("eventive_preps")
#: what a modifier or an instrument makes an attack ("a mortar attack", "attacked with grenades"):
#: word (a lemma, or "adjective noun") -> (event_type, sub_type), in the file's order
ATTACK_KINDS: dict[str, tuple[str, str | None]] = {
    r["word"]: (r["event_type"], r["sub_type"] or None) for r in _rows("attack_kinds.tsv")
}
#: "control" phrases: verb + "control" ("gained control", "took control", "lost control")
CONTROL_VERBS = {r["lemma"]: r["sub_type"] for r in _rows("control_verbs.tsv")}
#: objects that make "left X" a defection
DEFECTION_OBJECTS = word_list("defection_objects")
#: movement verbs: lemma -> how the moved party is found ("obj" = direct object moves,
#: "subj" = the subject moves)
MOVE_VERBS = {r["lemma"]: r["moves"] for r in _rows("move_verbs.tsv")}
TROOP_NOUNS = word_list("troop_nouns")
WEAPON_NOUNS = word_list("weapon_nouns")
CIVILIAN_NOUNS = word_list("civilian_nouns")
REFUGEE_NOUNS = word_list("refugee_nouns")
#: words that make a clause hypothetical or intended, not an event that happened
HYPOTHETICAL_AUX = word_list("hypothetical_aux")
INTENT_HEADS = word_list("intent_heads")
IMPLICATIVE_HEADS = word_list("implicative_heads")
STOP_VERBS = word_list("stop_verbs")
#: speech and report verbs whose subject is a source
SPEECH_VERBS = word_list("speech_verbs")
DENIAL_VERBS = word_list("denial_verbs")
#: words that say what kind of violence a clause tells (each list's meaning: word_lists.tsv)
AIR_DOERS = word_list("air_doers")
ARTILLERY_DOERS = word_list("artillery_doers")
MISSILE_DOERS = word_list("missile_doers")
MILITARY_TARGETS = word_list("military_targets")
CIVILIAN_TARGETS = word_list("civilian_targets")
COMBATANTS = word_list("combatant_nouns")
NATURAL_CAUSES = word_list("natural_causes")
PROTESTER_NOUNS = word_list("protester_nouns")
OCCASION_NOUNS = word_list("occasion_nouns")
SHOOTERS = word_list("shooter_nouns")
#: victims that make an attack, a killing or a shooting one on civilians
VICTIMS = CIVILIAN_NOUNS | word_list("civilian_roles")
#: people whose capture is an arrest (or, by non-state actors, an abduction)
DETAINEES = word_list("detainee_nouns") | VICTIMS

#: past forms the small model's lemmatiser misses
_IRREGULAR = {r["form"]: r["lemma"] for r in _rows("irregular_verbs.tsv")}


def verb_lemma(tok: Token) -> str:
    """A verb's lemma, also for irregular past forms the model leaves as they are."""
    low = tok.lower_
    return _IRREGULAR.get(low) or tok.lemma_.lower()
