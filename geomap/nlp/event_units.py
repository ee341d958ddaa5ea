"""Sentence units and clause scopes, for ``geomap.nlp.events`` and its scene reader.

A unit is a sentence cut further at line breaks (headline lists stay apart), trimmed of
whitespace; a clause's scope is its head's subtree without nested clauses.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from typing import Any

from spacy.attrs import IS_SPACE
from spacy.tokens import Doc, Span, Token

from geomap.nlp import doccache, extensions, place_nouns  # noqa: F401
from geomap.nlp.event_lexicon import word_list

#: place nouns (vocab/place_nouns.tsv) that may stand in a list member's phrase ("the village of")
_PLACE_NOUNS = frozenset(place_nouns.levels()) | word_list("member_phrase_nouns")

_CLAUSE_DEPS = frozenset({"relcl", "advcl", "ccomp", "parataxis", "acl", "csubj", "conj"})
#: a wire dateline opening a line: "BEIRUT (Reuters) -", "DAMASCUS, Syria (AP) —", "AMMAN:",
#: or a capitalised city alone on its line; group 1 is the city (and its country)
_DATELINE = re.compile(
    r"(?m)^[ \t]*([A-Z][A-Z'.-]{2,}(?: [A-Z][A-Z'.-]+)*(?:, [A-Z][A-Za-z.' -]*?)?)[ \t]*"
    r"(?:\([A-Za-z .&-]+\)[ \t]*)?(?:[\u2014\u2013:-]|[ \t]*$)"
)


def dateline_span(doc: Doc) -> tuple[int, int] | None:
    """The characters of the article's dateline city, if it has one near its start.

    The dateline says where the reporter files from, not where the events are: a body event
    never takes it as its place.
    """
    match = _DATELINE.search(doccache.text(doc)[:600])
    return match.span(1) if match else None


def _published(doc: Doc) -> dt.date | None:
    meta = doc._.meta if isinstance(doc._.meta, dict) else {}
    pub = meta.get("published")
    if isinstance(pub, dt.datetime):
        return pub.date()
    if isinstance(pub, dt.date):
        return pub
    if isinstance(pub, str):
        try:
            return dt.date.fromisoformat(pub[:10])
        except ValueError:
            return None
    return None


def _units(doc: Doc) -> list[Span]:
    # Sentences cut at line-break whitespace and at a sentence's trailing whitespace. Only
    # whitespace tokens can cut, so they are found from the IS_SPACE column, not by walking
    # every token; a unit's text is a slice of the cached Doc text (== Span.text).
    spaces = [i for i, v in enumerate(doccache.column(doc, IS_SPACE)) if v]
    text = doccache.text(doc)
    out = []
    for sent in doc.sents:
        start, end = sent.start, sent.end
        for i in spaces[bisect.bisect_left(spaces, start) : bisect.bisect_left(spaces, end)]:
            if i == end - 1 or "\n" in doc[i].text:
                if i > start:
                    out.append(doc[start:i])
                start = i + 1
        if start < end:
            out.append(doc[start:end])
    return [u for u in out if text[u.start_char : u.end_char].strip()]


def _trim(span: Span) -> Span:
    start, end = span.start, span.end
    doc = span.doc
    space = doccache.column(doc, IS_SPACE)
    while start < end and space[start]:
        start += 1
    while end > start and space[end - 1]:
        end -= 1
    return doc[start:end]


def _is_headline(unit: Span) -> bool:
    text = doccache.text(unit.doc)[unit.start_char : unit.end_char].strip()  # == unit.text.strip()
    # a short sentence with a number ("3 fatalities.") reports, it is no headline
    return not re.search(r"[.!?\"”’')\]]$", text) or (len(unit) < 4 and not any(t.like_num for t in unit))


def _local(head: Token, keep: Token | None = None) -> set[int]:
    """Token ids of ``head``'s clause without nested clauses (but with ``keep``'s subtree)."""
    out = {t.i for t in head.subtree}
    for t in head.subtree:
        if t is head or t.dep_ not in _CLAUSE_DEPS or t.pos_ not in ("VERB", "AUX"):
            continue
        if keep is not None and t.left_edge.i <= keep.i <= t.right_edge.i and (t is keep or t in keep.ancestors):
            continue
        # a clause inside a parenthesis ends with it: "air raids (understood to be drones) in X"
        # - the parser may hang "in X" on the verb inside, but it is the outer clause's
        close = _paren_close(t)
        out -= {x.i for x in t.subtree if close is None or x.i <= close}
    out.add(head.i)
    if keep is not None:
        out |= {t.i for t in keep.subtree}
    return out


_PAREN_REACH = 30


def _paren_close(tok: Token) -> int | None:
    """The index of the ")" closing the parenthesis ``tok`` stands in, if it stands in one."""
    doc = tok.doc
    for i in range(tok.i - 1, max(-1, tok.i - _PAREN_REACH), -1):
        if doc[i].text == ")":
            return None
        if doc[i].text == "(":
            break
    else:
        return None
    for i in range(tok.i + 1, min(len(doc), tok.i + _PAREN_REACH)):
        if doc[i].text == ")":
            return i
        if doc[i].text == "(":
            return None
    return None


def unit_index(reader: Any, unit: Span) -> int:
    """Position of ``unit`` among the document's units (-1 if it is not one)."""
    index = reader._unit_index
    if index is None:
        index = {u.start: i for i, u in enumerate(reader.units)}
        reader._unit_index = index
    return index.get(unit.start, -1)


class ReadingUnit:
    """One sentence unit being read: its span, index, quotation, excluded tokens, neighbours."""

    __slots__ = ("idx", "span", "speaker", "excluded", "next", "used_counts", "groups")

    def __init__(self, r: Any, idx: int):
        self.idx = idx
        self.span = r.units[idx]
        _, self.speaker = r.quote_for(self.span)
        self.excluded = r.excluded_tokens(self.span) | aim_tokens(self.span)
        self.next = r.units[idx + 1] if idx + 1 < len(r.units) else None
        self.used_counts: set[int] = set()
        self.groups: dict[int, list[tuple[Token, str, str | None, bool]]] = {}


_AIM_VERBS = word_list("aim_verbs")
_AIM_ACTS = word_list("aim_acts")


def aim_tokens(span: Span) -> set[int]:
    """The tokens of an aim ("rockets which were preparing to attack Turkey", "planning to
    target X"): the act and what it would hit (its subtree and the proper-noun run after it,
    the parser often hanging that name elsewhere) tell no event and no event place."""
    out: set[int] = set()
    for tok in span:
        if tok.dep_ != "xcomp" or tok.lemma_.lower() not in _AIM_ACTS or tok.head.lemma_.lower() not in _AIM_VERBS:
            continue
        out |= {t.i for t in tok.subtree}
        i = tok.i + 1
        while i < span.end and span.doc[i].pos_ in ("PROPN", "DET"):
            out.add(i)
            i += 1
    return out


def joined_as_siblings(a: Span, b: Span) -> bool:
    """Whether two place mentions are joined by "and"/"or" ("A Tal B ... and in the village of
    C"): two members of one list, neither the place the other lies in. Only the words of the
    second's own phrase ("in the village of") may stand between the conjunction and it."""
    first, second = (a, b) if a.end <= b.start else (b, a)
    gap = list(a.doc[first.end : second.start])
    conj = [i for i, t in enumerate(gap) if t.lower_ in ("and", "or")]
    if first.end > second.start or not conj:
        return False
    return all(t.pos_ in ("ADP", "DET", "PUNCT") or t.lower_ in _PLACE_NOUNS for t in gap[conj[-1] + 1 :])
