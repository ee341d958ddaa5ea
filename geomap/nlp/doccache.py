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

__all__ = ["text", "token_starts", "column", "casefold_like_re"]

_TEXT: weakref.WeakKeyDictionary[Doc, str] = weakref.WeakKeyDictionary()
_STARTS: weakref.WeakKeyDictionary[Doc, list[int]] = weakref.WeakKeyDictionary()
_COLUMNS: weakref.WeakKeyDictionary[Doc, dict[int, list[int]]] = weakref.WeakKeyDictionary()


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


def column(doc: Doc, attr: int) -> list[int]:
    """One token attribute for every token (``doc.to_array(attr)`` as a list), built once per Doc.

    For components that scan every token but act on few (verbs, speech verbs, "according"):
    comparing ints from this list skips the Python ``Token`` that ``for tok in span`` creates
    per token. Only for attributes that are final when it is first called: geomap's
    components run after the model, so POS, TAG, DEP, LEMMA, LOWER and IS_SPACE are. Rebuilt
    if the number of tokens changed since.

    Parameters
    ----------
    doc : spacy.tokens.Doc
    attr : int
        A ``spacy.attrs`` id (``POS``, ``LOWER``...).

    Returns
    -------
    list of int
        The attribute's value per token (symbol ids or string hashes, as ``to_array``). Do
        not modify.
    """
    cols = _COLUMNS.get(doc)
    if cols is None:
        cols = _COLUMNS[doc] = {}
    cached = cols.get(attr)
    if cached is None or len(cached) != len(doc):
        cached = doc.to_array(attr).tolist() if len(doc) else []
        cols[attr] = cached
    return cached


def casefold_like_re(text: str) -> str:
    """``text`` case-folded so that a letter ``re.IGNORECASE`` would match is that letter.

    A regex with ``re.I`` cannot match a text whose folded form lacks the words every match
    contains, so components test those words here before scanning with the regex.
    ``str.casefold`` maps "ſ" to "s", the Kelvin sign to "k" and ligatures to their letters;
    the dotless "ı", which ``re`` also equates with "i", is mapped by hand.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
    """
    return text.casefold().replace("ı", "i")
