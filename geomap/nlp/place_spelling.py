"""Whole names the NER sees where the gazetteer matcher saw only parts of them.

The gazetteer matcher walks the text token by token and takes the longest alias it knows. A
reporter's spelling that no alias holds ("Deir Sleiman" for Dayr Salman, "Hran al-A'wamid" for
Harran al-'Awamid) is then cut into pieces that ARE aliases of other places ("Deir", "Sleiman",
"Hran" ~ Harran): each piece is wrong, or dropped by the name-head rule, and the place is lost.

:func:`whole_names` reads the statistical NER's place span as one name: when the whole span
meets a gazetteer entry through its folded key or its transliteration key
(:mod:`geomap.transliteration`) and passes the spelling check of the one ranking
(:func:`geomap.gazetteer.ranking.check_spelling`), the whole span replaces the pieces. The
readings are ranked later with every other mention, by the same code ``geomap resolve`` uses.

Guards (a person's or an organisation's name must not become a village):

* only NER place labels (GPE, LOC, FAC), or a PERSON span that a place noun announces ("the
  village of X", "X town") or that stands in a short place description;
* the span has two or more words and holds the pieces whole (no piece runs over its edges);
* the whole span's readings need a spelling close to the entry's names; a span no entry meets
  leaves the pieces as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from geomap.gazetteer.index import PlaceIndex, fold
from geomap.gazetteer.ranking import Mention, check_spelling
from geomap.nlp import place_nouns
from geomap.nlp.place_evidence import small_place
from geomap.nlp.place_rules import PLACE_LABELS

__all__ = ["whole_names", "whole_name_readings", "article_tails", "airports", "AIRPORT_WORDS_PATH"]

#: The editable list of phrases that name a town's airport ("airbase", "military airport").
AIRPORT_WORDS_PATH = Path(__file__).resolve().parents[1] / "vocab" / "place_airport_words.tsv"

#: Arabic articles that begin the next word of a name ("Hatta al-Jarash"); not "an", "as", "at",
#: which are English words too.
_TAIL_ARTICLES = frozenset("al el ar ash az ad ed er es ez ul il".split())
#: Lower-case place nouns that announce a PERSON-labelled span as a place ("Jadid Bakara town").
_ANNOUNCING_NOUNS = place_nouns.words("names_spelled")  # vocab/place_nouns.tsv


def whole_name_readings(index: PlaceIndex, text: str) -> tuple[list[tuple[str, float]], dict[str, float]]:
    """Readings of a multi-word name as one name: folded key, else transliteration key, checked.

    Returns
    -------
    (candidates, spell)
        The ``(id, quality)`` pairs that pass :func:`check_spelling` and their closeness.
    """
    cands = index.readings(text, fuzzy=False) or index.spelling_candidates(text)
    if not cands:
        return [], {}
    return check_spelling(index, text, cands)


def _announced(doc: Doc, start: int, end: int) -> bool:
    """A place noun right after the span or "<noun> of" right before it."""
    after = doc[end].lower_ if end < len(doc) else ""
    before = doc[start - 2 : start] if start >= 2 else None
    return after in _ANNOUNCING_NOUNS or (
        before is not None and before[1].lower_ == "of" and before[0].lower_.rstrip("s") in _ANNOUNCING_NOUNS
    )


def _name_bounds(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The span without a leading article or punctuation and without trailing punctuation."""
    while start < end and (doc[start].lower_ == "the" or doc[start].is_punct):
        start += 1
    while end > start and doc[end - 1].is_punct:
        end -= 1
    return start, end


def whole_names(
    doc: Doc,
    found: list[Mention],
    index: PlaceIndex,
    description: bool,
    keep: Callable[[Mention], bool] | None = None,
) -> list[Mention]:
    """Replace pieces of an NER place name by the whole name when the gazetteer knows it.

    Parameters
    ----------
    doc : Doc
        The parsed document (its ``ents``).
    found : list of Mention
        The gazetteer matcher's mentions.
    index : PlaceIndex
        The gazetteer's name index.
    description : bool
        The text is a short place description (the NER's PERSON labels are noise there).
    keep : callable, optional
        The recogniser's own filter (organisation and person context): a whole name it
        rejects leaves the pieces as they were.

    Returns
    -------
    list of Mention
        ``found`` with the pieces of each whole name replaced by one mention (``ner_place``).
    """
    removed: set[int] = set()
    added: list[Mention] = []
    owner: list[Mention | None] = [None] * len(doc)  # token -> its mention: linear, not quadratic
    for m in found:
        for k in range(m.start, m.end):
            owner[k] = m
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS and ent.label_ != "PERSON":
            continue
        s, e = _name_bounds(doc, ent.start, ent.end)
        if e - s < 2 or not doc[s].text[:1].isupper():
            continue
        if ent.label_ == "PERSON" and not (description or _announced(doc, s, e)):
            continue
        inside = _distinct(owner[k] for k in range(s, e))
        if not inside or any(m.start <= s and m.end >= e for m in inside):
            continue  # no piece (the NER path reads it) or a match already as long
        if any(m.start < s or m.end > e for m in inside):
            continue  # a match runs over the span's edge: the NER cut the name elsewhere
        text = doc[s:e].text
        cands, spell = whole_name_readings(index, text)
        if not cands:
            continue
        m = Mention(s, e, fold(text), cands, ner_place=True, loose=not any(q >= 1.0 for _, q in cands))
        m.spell = spell
        if keep is not None and not keep(m):
            continue
        removed.update(id(y) for y in inside)
        added.append(m)
        for k in range(s, e):
            owner[k] = m
    return sorted([x for x in found if id(x) not in removed] + added, key=lambda m: m.start)


def _distinct(ms) -> list[Mention]:
    """The mentions of an iterable, each once, without None (by identity)."""
    out: list[Mention] = []
    for m in ms:
        if m is not None and not any(m is o for o in out):
            out.append(m)
    return out


def _article_tail_end(doc: Doc, end: int) -> int | None:
    """End of an "al-Y" / "al Y" right after a match ("Hatta" + "al-Jarash"), or None."""
    k = end
    if k < len(doc) and doc[k].lower_ in _TAIL_ARTICLES:
        k += 1
        if k < len(doc) and doc[k].text in ("-", "\u2010"):
            k += 1
        if k < len(doc) and doc[k].text[:1].isupper() and any(ch.isalpha() for ch in doc[k].text):
            return k + 1
    return None


def article_tails(doc: Doc, found: list[Mention], index: PlaceIndex) -> list[Mention]:
    """A village's name followed by "al-Y" is the head of a longer name, not the village.

    "Hatta al-Jarash": "Hatta" is another village's spelling; the name goes on. The whole name
    is read when the gazetteer knows it (folded or transliteration key, spelling checked);
    otherwise the match keeps only readings spelled exactly so that are bigger than a village
    (the mention stays, perhaps unresolved): "Aleppo al-X" still lies in Aleppo.
    """
    out = []
    taken = {k for m in found for k in range(m.start, m.end)}
    for m in found:
        end = _article_tail_end(doc, m.end) if m.kind == "toponym" else None
        if end is None or any(k in taken for k in range(m.end, end)):
            out.append(m)
            continue
        text = doc[m.start : end].text
        cands, spell = whole_name_readings(index, text)
        if cands:
            whole = Mention(m.start, end, fold(text), cands, loose=not any(q >= 1.0 for _, q in cands))
            whole.spell = spell
            out.append(whole)
            continue
        # Only a place spelled so and bigger than a village stays ("Aleppo al-X" lies in Aleppo);
        # a village's or a near spelling's reading goes with the unknown longer name.
        m.candidates = [(p, q) for p, q in m.candidates if q >= 1.0 and not small_place(index.entry(p))]
        out.append(m)
    return out


@lru_cache(maxsize=1)
def _airport_phrases() -> tuple[tuple[str, ...], ...]:
    """The airport phrases as lower-case word tuples, longest first."""
    lines = [ln.strip() for ln in AIRPORT_WORDS_PATH.read_text(encoding="utf-8").splitlines()]
    words = [ln for ln in lines if ln and not ln.startswith("#") and ln != "phrase"]
    return tuple(sorted((tuple(w.lower().split()) for w in words), key=len, reverse=True))


def _phrase_after(doc: Doc, end: int) -> int | None:
    """End of an airport phrase starting at token ``end``, or None."""
    for phrase in _airport_phrases():
        stop = end + len(phrase)
        if stop <= len(doc) and tuple(t.lower_ for t in doc[end:stop]) == phrase:
            return stop
    return None


def airports(doc: Doc, found: list[Mention], index: PlaceIndex) -> list[Mention]:
    """ "X airbase", "X military airport": the airport of X when the gazetteer holds it.

    The gazetteer's airport entries carry some of the phrases reporters use ("Deir ez-Zor air
    base", "Deir Ezzor airport"); the name as written is tried with every phrase of
    ``vocab/place_airport_words.tsv``, and a reading that is an airport (feature code AIRB or
    AIRP) takes the whole span. Otherwise the mention stays as it was (the town).
    """
    out = []
    absorbed: list[Mention] = []
    owner: list[Mention | None] = [None] * len(doc)
    for m in found:
        for k in range(m.start, m.end):
            owner[k] = m
    for m in found:
        end = _phrase_after(doc, m.end) if m.kind == "toponym" else None
        if end is None:
            out.append(m)
            continue
        # the phrase may be a mention of its own ("airbase" in a description, met by some
        # village's spelling key): the phrase is no name, the airport takes it
        inside = [o for o in _distinct(owner[k] for k in range(m.end, end)) if o is not m]
        if any(o.start < m.end or o.end > end for o in inside):
            out.append(m)
            continue
        name = doc[m.start : m.end].text
        hits: list[tuple[str, float]] = []
        for phrase in _airport_phrases():
            text = f"{name} {' '.join(phrase)}"
            hits = [
                (p, q)
                for p, q in index.readings(text, fuzzy=False)
                if str(index.entry(p).get("feature_code", "")).upper() in ("AIRB", "AIRP")
            ]
            if hits:
                break
        if hits:
            out.append(Mention(m.start, end, fold(doc[m.start : end].text), [(p, 1.0) for p, _ in hits]))
            absorbed += inside
        else:
            out.append(m)
    gone = {id(a) for a in absorbed}
    return [m for m in out if id(m) not in gone]
