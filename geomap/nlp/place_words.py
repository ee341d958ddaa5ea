"""What is, and what is not, an event's place: names that place nothing, unknown village names.

Used by ``geomap.nlp.event_scene``. The words are data (``geomap/nlp/lexicon/word_lists.tsv``:
``doer_suffixes``, ``name_heads``, ``name_openers``, ``feature_heads``, ``aim_words``; the
non-state groups of ``actors.tsv``).
"""

from __future__ import annotations

import re

from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from geomap.nlp import place_nouns
from geomap.nlp.event_lexicon import _ACTOR_WORDS, NOUN_TRIGGERS, VERB_TRIGGERS, word_list
from geomap.nlp.place_rules import deal_party

_NOT_PLACES = frozenset(
    """jan feb mar apr jun jul aug sep sept oct nov dec january february march april may june july
    august september october november december monday tuesday wednesday thursday friday saturday
    sunday""".split()
)


def _demonym_shaped(span: Span) -> bool:
    """An adjective of nationality the place recogniser kept ("Syrian" in "the Syrian coast")."""
    if len(span) != 1:
        return False
    tok = span[0]
    return bool(re.search(r"(?:ians?|eans?|icans?|is?|ese|ish)$", tok.lower_)) and (
        tok.pos_ == "ADJ" or tok.ent_type_ == "NORP"
    )


_DOER_SUFFIXES = word_list("doer_suffixes")
#: words whose phrase says what was wanted, not what happened (lexicon/word_lists.tsv: aim_words)
_AIM_WORDS = word_list("aim_words")
#: their inflected forms' string ids, to find candidates in the LOWER column without a token loop
_AIM_IDS = frozenset(
    get_string_id(w + suffix) for w in _AIM_WORDS for suffix in ("", "s", "ed", "d", "ing", "ning", "ned")
)
_FEATURE_HEADS = word_list("feature_heads")
#: non-state armed groups of the actor vocabulary (lexicon/actors.tsv): their names are no places
_GROUP_NAME = re.compile(
    r"\b(?:"
    + "|".join(
        re.escape(w)
        for w, a in sorted(_ACTOR_WORDS.items())
        if a in ("Islamist groups", "rebels", "Kurdish forces", "Hezbollah") and len(w) > 3
    )
    + r")\b",
    re.I,
)
_NAME_HEADS = word_list("name_heads")
_NAME_OPENERS = word_list("name_openers")


def _names_no_place(span: Span, places: list[Span]) -> bool:
    """The mention is part of a name or a modifier that places nothing.

    - "US-led strikes", "a Britain-based monitor": X names who acts, not where;
    - "Damascus Police Command", "Baghdad Street", "the Syrian Observatory for Human Rights",
      "Operation Euphrates Shield": an organisation, a street or an operation;
    - "Syrias Idlib province" (a possessive that lost its apostrophe): the country's name with
      an "s", which the gazetteer may match to some village;
    - "northern Syrian village": an adjective of nationality.
    """
    doc = span.doc
    nxt = doc[span.end] if span.end < len(doc) else None
    if (
        nxt is not None
        and nxt.text in ("-", "–")
        and span.end + 1 < len(doc)
        and doc[span.end + 1].lower_ in _DOER_SUFFIXES
    ):
        return True
    if nxt is not None and (nxt.lower_.endswith(tuple("-" + s for s in _DOER_SUFFIXES))):
        return True
    words = [t.lower_ for t in span]
    if any(w in _NAME_HEADS for w in words[1:]) or (
        nxt is not None and nxt.text[:1].isupper() and nxt.lower_ in _NAME_HEADS
    ):
        return True
    if nxt is not None and nxt.lower_ in _FEATURE_HEADS:
        return True  # "the al-Sajour river", "al-Dalah square": not the town the gazetteer may match
    if _GROUP_NAME.search(span.text):
        return True  # "fighters from Al-Qaeda": an armed group, whatever village shares its name
    # "Observatory for Human Rights", "Council of ..."": a head noun after the name with "for"/"of"
    if span.start > 0 and doc[span.start - 1].lower_ in _NAME_OPENERS:
        return True
    if span.start > 1 and doc[span.start - 1].lower_ in ("for", "of") and doc[span.start - 2].lower_ in _NAME_HEADS:
        return True
    if len(span) == 1 and span.text.endswith("s") and len(span.text) > 4:
        stem = span.text[:-1].lower()
        if any(p.text.lower() == stem and (p._.place or {}).get("level") == "country" for p in places):
            return True
    if deal_party(span):
        return True  # "a truce agreed between Russia, Iran and Turkey": the deal's parties
    if span.start > 1 and doc[span.start - 1].lower_ == "near" and any(p.end == span.start - 1 for p in places):
        return True  # "the area of Eastern Ghouta near Damascus": Y tells where X is, not where things are
    last = span[-1]
    if len(span) > 1 and last.ent_type_ == "NORP" and re.search(r"(?:ian|ean|ese|ish|i)$", last.lower_):
        return True
    return False


def _trigger_word(tok: Token) -> bool:
    """An event word, also when a title-case headline capitalises it ("in Clashes with")."""
    low = tok.lower_
    return any(
        w in NOUN_TRIGGERS or w in VERB_TRIGGERS for w in (low, tok.lemma_.lower(), low[:-1], low[:-2], low[:-3])
    )


def _resolved(span: Span) -> bool:
    """The mention has a point of its own (not merely the country a village lies in)."""
    entry = span._.place or {}
    if entry.get("lat") in (None, ""):
        return False
    if entry.get("level") == "country":
        # a village the gazetteer lacks, placed by the resolver on its country only
        name = (entry.get("name") or "").lower()
        return name[:4] in span.text.lower() or len(span) == 1 and span.text[:1].isupper() and _demonym_shaped(span)
    return True


def _unknown_place_names(doc: Doc, tokens: set[int], known: frozenset[int]) -> list[str]:
    """Capitalised names the clause puts an event in ("in the surroundings of al-Mreiiyeh",
    "near Khatab", "in the neighborhoods of al-Hamidiyeh and al-Rushdiyeh") that no place
    mention covers, as written. The words before a name decide, not the parse (the small model
    often mislabels Arabic names); a list ("X, Y and Z") after such words gives every name."""
    names: list[str] = []
    listing = False  # inside a list that a locative phrase opened
    i_prev_end = -1
    for i in sorted(tokens):
        tok = doc[i]
        if tok.lower_ in (",", "and") and listing and i == i_prev_end + 1:
            i_prev_end = i
            continue
        if tok.lower_ in ("al", "el", "ad", "as", "ar", "ash", "-"):
            continue  # inside a name
        if i in known or not tok.text[:1].isupper() or tok.pos_ not in ("PROPN", "NOUN", "ADJ") or tok.is_sent_start:
            listing = False
            continue
        if i + 1 < len(doc) and (doc[i + 1].text[:1].isupper() or doc[i + 1].text == "-") and i + 1 in tokens:
            continue  # the name goes on; its last word will be tried
        start = i
        while start - 1 > i_prev_end and (
            doc[start - 1].lower_ in ("al", "el", "ad", "as", "ar", "ash", "-")
            or (doc[start - 1].text[:1].isupper() and doc[start - 1].pos_ == "PROPN")
        ):
            start -= 1
        if start == 0 or start - 1 in known:
            continue
        before = doc[start - 1].lower_
        opened = (before == "of" and start >= 2 and doc[start - 2].lemma_.lower() in _AREA_NOUNS) or before in (
            "in",
            "near",
            "at",
            "around",
            "outside",
            "inside",
            "on",
        )
        # "al-Hamidiyeh al-Aradi and al-Rushdiyeh": names side by side or joined by "and"
        continued = listing and start - 1 == i_prev_end
        if not (opened or continued):
            listing = False
            continue
        name = doc[start : i + 1]
        if any(t.lower_ in _NOT_PLACES or t.lower_ in _NAME_HEADS or _trigger_word(t) for t in name):
            continue
        # the small model tags many Arabic place names PERSON or ORG: after "the village of",
        # "the neighbourhoods of" the words are stronger than the tag
        strong = (before == "of") or continued
        if any(t.ent_type_ in ("DATE", "TIME") or (not strong and t.ent_type_ in ("PERSON", "ORG")) for t in name):
            continue
        names.append(name.text)
        listing, i_prev_end = True, i
    return names


#: "in the <noun> of <Name>" (vocab/place_nouns.tsv: opens_unknown)
_AREA_NOUNS = place_nouns.words("opens_unknown")
