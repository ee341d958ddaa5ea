"""Place evidence: when a name that is also a word is read as a place.

With every Syrian village in the gazetteer, many names are also English words, first names or
kunyas ("Man", "Tal", "Ain", "Banan", "Abu Omar"). Such a *weak* name becomes a place only
when the text gives place evidence; otherwise it is not a place mention at all.

A name is weak (in running text, not in a short place description) when it is one word met
only through spelling folding (no reading spelled so), or when it is one word, or a kunya
("Abu X", "Umm X"), and

* every reading is a small place (a town or neighbourhood of fewer than ``SMALL_PLACE``
  inhabitants: the villages the gazetteer holds without a population) that is no curated entry
  (the places the news names, kept by hand in ``gazetteer/curated.csv``), or
* the word is common English (``wordfreq``'s Zipf frequency at least ``COMMON_WORD_ZIPF``, or a
  spaCy stop word) and it is not the own name of a country, a governorate or a city of
  ``PROMINENT_PLACE`` inhabitants ("Jordan", "Jerusalem").

Evidence: a locative preposition right before it ("in Tal"; not "from the Quran", and not for
common English words), a verb whose object is a place ("shelled Tal", ``event_governed``; not
for common English words) or a verb of motion ("a convoy left Tal"), a place noun next to it
("Tal village", "the village of Ain"), an area word after it ("Tal countryside"), a container
("Tal, Idlib", "Tal in Hama province", "the Hama village of Tal"), a qualifier ("northern
Tal"), or membership of a list with a name that is not weak ("Tal, Saraqeb and Binnish").
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from geomap.gazetteer.index import PlaceIndex, light
from geomap.gazetteer.ranking import Mention
from geomap.gazetteer.regions import num
from geomap.nlp import place_rules as rules
from geomap.nlp.event_lexicon import NOUN_TRIGGERS, VERB_TRIGGERS
from geomap.schema import read_table

__all__ = ["weak_name", "has_place_evidence", "drop_weak_names", "common_word", "event_governed"]

#: Towns with fewer inhabitants than this are small (GeoNames' villages without a census figure
#: have 0); a one-word name read only as such places needs place evidence.
SMALL_PLACE = 1000
#: A place this populous keeps its own name even when the name is a common word ("Jerusalem").
PROMINENT_PLACE = 100_000
#: Zipf frequency (log10 of occurrences per billion words, ``wordfreq``) from which a word is
#: common English. Syrian cities in the news stay below it (Aleppo 3.6, Damascus 3.6, Homs 2.9);
#: "man" (5.8), "hit" (5.4), "jam" (4.2), "ali" (4.3) are above it.
COMMON_WORD_ZIPF = 4.0
#: Prepositions that put a name in a place ("in X", "near X", "from X").
LOCATIVE_PREPOSITIONS = frozenset(
    """in near at from to into inside outside around towards toward through across between via
    within""".split()
)
_LIST_SEPARATORS = frozenset({",", "and", "&", "or"})
_EVENT_WORDS = {
    r["role"]: frozenset(r["words"].split())
    for r in read_table(Path(__file__).resolve().parents[1] / "vocab" / "place_event_words.tsv")
}
#: Verbs whose direct object is the place of the event ("shelled X"), from ``place_event_words.tsv``.
PLACE_OBJECT_VERBS = _EVENT_WORDS.get("object", frozenset())
#: Verbs of motion whose direct object is a place left or reached ("a convoy left X").
MOVE_OBJECT_VERBS = _EVENT_WORDS.get("move_object", frozenset())
#: Prepositions that put an event at a name ("clashes in X", "strikes on X").
EVENT_AT_PREPOSITIONS = _EVENT_WORDS.get("at", frozenset())
#: First words of kunyas and patronymics ("Abu Omar", "Umm Ali", "Ibn Khaldun").
KUNYA_WORDS = frozenset("abu abou abo umm um oum om ibn bin bint".split())


@lru_cache(maxsize=50_000)
def common_word(word: str) -> bool:
    """Whether a word is common English (see ``COMMON_WORD_ZIPF``)."""
    low = word.lower()
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - wordfreq is a dependency; stop words still count
        zipf = 0.0
    else:
        zipf = zipf_frequency(low, "en")
    if zipf >= COMMON_WORD_ZIPF:
        return True
    from spacy.lang.en.stop_words import STOP_WORDS

    return low in STOP_WORDS


def small_place(e: dict) -> bool:
    """A town or neighbourhood of fewer than ``SMALL_PLACE`` inhabitants (0: unknown)."""
    return _small(e)


def _small(e: dict) -> bool:
    return e.get("level") in ("town", "neighbourhood") and num(e.get("population")) < SMALL_PLACE


def weak_name(doc, m: Mention, index: PlaceIndex) -> bool:
    """Whether a mention's name needs place evidence (see the module docstring)."""
    if m.kind != "toponym" or not m.candidates:
        return False
    words = [t for t in doc[m.start : m.end] if t.is_alpha and t.lower_ not in rules.ARABIC_ARTICLES]
    kunya = len(words) >= 2 and words[0].lower_ in KUNYA_WORDS
    if len(words) != 1 and not kunya:
        return False
    # The best-matching readings speak for the name: "Salah" is the village spelled so, not
    # Seoul or South Korea that folding also meets.
    top = max(q for _, q in m.candidates)
    if top < 1.0 and not kunya:
        return True  # one word met only through folding: an unknown spelling or a word
    entries = [index.entry(p) for p, q in m.candidates if q >= top]
    # A curated entry is a place the news names (added by hand with its spellings), whatever
    # its census figure: "Zamalka" needs no evidence, a village GeoNames lists without one does.
    if all(_small(e) and e.get("source") != "curated" for e in entries):
        return True
    if kunya or not common_word(words[0].text):
        return False
    # "Jordan", "Turkey", "Jerusalem": a country, governorate or city of 100,000+ by its own name
    # is that place; "Man" (an alias of Amman and of the Isle of Man) is not.
    own = light(words[0].text)
    return not any(_prominent(e) and light(str(e.get("name", ""))) == own for e in entries)


def _prominent(e: dict) -> bool:
    return e.get("level") in ("country", "governorate") or num(e.get("population")) >= PROMINENT_PLACE


def has_place_evidence(doc, ms: list[Mention], k: int, weak: list[bool], word: bool = False) -> bool:
    """Whether the text marks mention ``ms[k]`` as a place (see the module docstring).

    A container or a contained name counts only when it is no weak name itself ("Sharia,
    Sheikh..." is no container). For a common English word (``word``) neither a preposition nor
    a container is evidence ("into the Navy", "Nursing Home in Lebanon"): only a place noun,
    an area word, a qualifier or a list of places.
    """
    m = ms[k]
    if m.kind == "qualified":
        return True
    if not word and m.container is not None and not weak[m.container]:
        return True
    if not word and any(o.container == k and not weak[j] for j, o in enumerate(ms)):
        return True
    i = m.start - 1
    # "from the Quran", "into the Navy": a village's name takes no article, a thing's does.
    if not word and i >= 0 and doc[i].lower_ in LOCATIVE_PREPOSITIONS:
        return True
    if not word and event_governed(doc, m):
        return True  # "shelled X", "stormed X"
    if not word and _moved_to_or_from(doc, m):
        return True  # "a convoy left X", "buses entered X"
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    if (
        i >= 1
        and doc[i].lower_ == "of"
        and (
            doc[i - 1].lower_ in rules.PLACE_NOUNS
            or doc[i - 1].lower_ in rules.PLURAL_PLACE_NOUNS
            or doc[i - 1].lower_ in rules.AREA_BEFORE_OF
        )
    ):
        return True  # "the village of X", "the outskirts of X"
    if rules.in_place_list(doc, m.start):
        return True  # "the villages of A, B and X"
    nxt = doc[m.end] if m.end < len(doc) else None
    if nxt is not None and nxt.is_lower and (nxt.lower_ in rules.AREA_AFTER or nxt.lower_ in rules.PLACE_NOUNS):
        return True
    for j in (k - 1, k + 1):  # a list with a name that is not weak
        if 0 <= j < len(ms) and not weak[j] and ms[j].candidates:
            a, b = (ms[j], m) if j < k else (m, ms[j])
            gap = doc[a.end : b.start]
            if 0 < len(gap) <= 2 and all(t.lower_ in _LIST_SEPARATORS for t in gap):
                return True
    return False


def event_governed(doc, m: Mention) -> bool:
    """Whether an event governs the name: "shelled X", "clashes in X", "air strikes on X".

    The name's head word must be the direct object of a verb of ``PLACE_OBJECT_VERBS``, or the
    object of a preposition of ``EVENT_AT_PREPOSITIONS`` attached to an event trigger
    (``lexicon/triggers.tsv``: the verb or noun it modifies, or that verb's subject). A name the
    NER calls a person never counts: "killed X" and "arrested X" name people.
    """
    span = doc[m.start : m.end]
    root = span.root
    if root.ent_type_ == "PERSON":
        return False
    if root.dep_ in ("dobj", "obj"):
        return root.head.pos_ == "VERB" and root.head.lemma_.lower() in PLACE_OBJECT_VERBS
    if root.dep_ != "pobj" or root.head.lower_ not in EVENT_AT_PREPOSITIONS:
        return False
    gov = root.head.head
    if gov.i == root.head.i:
        return False
    if _trigger(gov):
        return True
    return gov.pos_ in ("VERB", "AUX") and any(
        c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "NOUN" and c.lemma_.lower() in NOUN_TRIGGERS
        for c in gov.children
    )


def _moved_to_or_from(doc, m: Mention) -> bool:
    """The name is the direct object of a verb of motion ("left X", "reached X"), not a person."""
    root = doc[m.start : m.end].root
    return (
        root.ent_type_ != "PERSON"
        and root.dep_ in ("dobj", "obj")
        and root.head.pos_ == "VERB"
        and root.head.lemma_.lower() in MOVE_OBJECT_VERBS
    )


def _trigger(tok) -> bool:
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB":
        return lemma in VERB_TRIGGERS
    return tok.pos_ == "NOUN" and (lemma in NOUN_TRIGGERS or tok.lower_ in NOUN_TRIGGERS)


def _common_first_word(doc, m: Mention) -> bool:
    words = [t for t in doc[m.start : m.end] if t.is_alpha and t.lower_ not in rules.ARABIC_ARTICLES]
    return len(words) == 1 and common_word(words[0].text)


def drop_weak_names(doc, ms: list[Mention], index: PlaceIndex) -> list[Mention]:
    """The mentions without the weak names that lack place evidence; containers re-indexed."""
    weak = [weak_name(doc, m, index) for m in ms]
    if not any(weak):
        return ms
    keep = [
        not w or has_place_evidence(doc, ms, k, weak, word=_common_first_word(doc, ms[k])) for k, w in enumerate(weak)
    ]
    new_pos = {}
    out: list[Mention] = []
    for k, (m, ok) in enumerate(zip(ms, keep)):
        if ok:
            new_pos[k] = len(out)
            out.append(m)
    for m in out:
        if m.container is not None:
            m.container = new_pos.get(m.container)
    return out
