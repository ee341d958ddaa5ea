"""Backward scans of the place rules answered from per-document tables.

Several place rules walk back from a mention over a run of tokens of one kind ("the villages
of A, B and C": names, commas and "and" back to "of"). In a run of place names ("Aleppo,
Aleppo, ...") every mention walks the whole window again, creating a Python ``Token`` per step.
Here the walk is done once per document: for every token position, the nearest token before
it that would stop the walk, and how many tokens of a kind come before each position. A rule
then answers in O(1) what its loop answered in O(window), with the same result.

Tables are cached per Doc (``WeakKeyDictionary``, like :mod:`geomap.nlp.doccache`) and per
rule name, and rebuilt when the number of tokens changed (a retokenizer merge or split).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

from spacy.attrs import LOWER
from spacy.tokens import Doc, Token

__all__ = ["lowers", "stops_before", "stops_after", "counts_before"]

_TABLES: weakref.WeakKeyDictionary[Doc, dict[str, tuple[int, list]]] = weakref.WeakKeyDictionary()


def _table(doc: Doc, name: str, build: Callable[[Doc], list]) -> list:
    tables = _TABLES.get(doc)
    if tables is None:
        tables = _TABLES[doc] = {}
    got = tables.get(name)
    if got is None or got[0] != len(doc):
        got = (len(doc), build(doc))
        tables[name] = got
    return got[1]


def lowers(doc: Doc) -> list[str]:
    """``token.lower_`` of every token, read once per Doc. Do not modify."""
    # From the token array: no Python Token per token.
    return _table(doc, "lower_", lambda d: [d.vocab.strings[h] for h in d.to_array(LOWER).tolist()] if len(d) else [])


def stops_before(doc: Doc, name: str, passes: Callable[[Token], bool]) -> list[int]:
    """For every position ``i``, the largest ``k < i`` whose token does not pass (-1 if none).

    Parameters
    ----------
    doc : spacy.tokens.Doc
    name : str
        The rule's name: one table per name and Doc (``passes`` must not change for a name).
    passes : callable
        Whether a backward walk goes on over a token.

    Returns
    -------
    list of int
        ``len(doc) + 1`` positions. A walk from ``i - 1`` down to ``lo`` stops at
        ``stops[i]`` when ``stops[i] >= lo``, and runs out otherwise.
    """

    def build(d: Doc) -> list[int]:
        out = [-1]
        last = -1
        for t in d:
            if not passes(t):
                last = t.i
            out.append(last)
        return out

    return _table(doc, "stop:" + name, build)


def stops_after(doc: Doc, name: str, passes: Callable[[Token], bool]) -> list[int]:
    """For every position ``i``, the smallest ``k >= i`` whose token does not pass (``len(doc)`` if none).

    The forward twin of :func:`stops_before`: a walk from ``i`` up to ``hi`` stops at
    ``stops[i]`` when ``stops[i] < hi``. ``len(doc) + 1`` positions.
    """

    def build(d: Doc) -> list[int]:
        n = len(d)
        out = [n] * (n + 1)
        nxt = n
        for t in reversed(list(d)):
            if not passes(t):
                nxt = t.i
            out[t.i] = nxt
        return out

    return _table(doc, "after:" + name, build)


def counts_before(doc: Doc, name: str, counted: Callable[[Token], bool]) -> list[int]:
    """Prefix counts: ``counts[i]`` is how many tokens before position ``i`` are ``counted``.

    Tokens ``j..i-1`` hold ``counts[i] - counts[j]`` of them. ``len(doc) + 1`` entries.
    """

    def build(d: Doc) -> list[int]:
        out = [0]
        n = 0
        for t in d:
            n += bool(counted(t))
            out.append(n)
        return out

    return _table(doc, "count:" + name, build)
