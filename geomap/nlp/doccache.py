"""Per-document derived data, computed once and shared by the pipeline components.

spaCy rebuilds some Doc properties on every access: ``Doc.text`` joins every token (creating a
Python ``Token`` object for each), and a list of token offsets needs the same walk. Several
geomap components read them, some repeatedly, so they are cached here per Doc.

The caches are ``WeakKeyDictionary`` objects keyed by the Doc: an entry lives exactly as long as
its Doc and nothing is added to ``doc.user_data`` (which would travel with ``Doc.to_bytes``).
"""

from __future__ import annotations

import weakref

from spacy.attrs import IDX
from spacy.tokens import Doc

__all__ = ["text", "token_starts"]

_TEXT: "weakref.WeakKeyDictionary[Doc, str]" = weakref.WeakKeyDictionary()
_STARTS: "weakref.WeakKeyDictionary[Doc, list[int]]" = weakref.WeakKeyDictionary()


def text(doc: Doc) -> str:
    """``doc.text``, built once per Doc.

    Safe to cache for the Doc's whole life: a Doc's text never changes (the retokenizer merges
    and splits tokens but keeps the characters).

    Parameters
    ----------
    doc : spacy.tokens.Doc

    Returns
    -------
    str
        Exactly ``doc.text``.
    """
    cached = _TEXT.get(doc)
    if cached is None:
        cached = doc.text
        _TEXT[doc] = cached
    return cached


def token_starts(doc: Doc) -> list[int]:
    """Character offset of every token (``[t.idx for t in doc]``), built once per Doc.

    Read from the Doc's token array without creating ``Token`` objects. Rebuilt if the number of
    tokens changed since (a retokenizer merge or split moves the offsets).

    Parameters
    ----------
    doc : spacy.tokens.Doc

    Returns
    -------
    list of int
        Ascending token start offsets, one per token. Do not modify.
    """
    cached = _STARTS.get(doc)
    if cached is None or len(cached) != len(doc):
        cached = doc.to_array(IDX).tolist() if len(doc) else []
        _STARTS[doc] = cached
    return cached
