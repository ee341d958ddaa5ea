"""Line breaks as sentence boundaries in headline lists: the ``geomap_linebreaks`` component.

The parser decides sentence boundaries itself and runs straight across a single line break,
so a list of headlines ("Shelling kills 5 in Homs\\nClashes in Aleppo") becomes one "sentence"
whose lines borrow each other's heads. This component must run BEFORE the parser: it marks
the first token after a line break as a sentence start (``Token.is_sent_start = True``), which
the parser then respects.

A single line break only counts inside a *list block* (lines separated by blank lines form
a block): a block whose lines start with a bullet ("-", "*", "•"), or whose lines all start with
a capital or digit and none ends in a comma or a function word. Hard-wrapped prose ("fighting
in\\nAleppo") is left to the parser. A blank line always ends a sentence.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from geomap.nlp import doccache

__all__ = ["LineBreakSentencizer", "list_block_breaks"]

_BULLET = re.compile(r"^\s*(?:[-*•·–—]|\d{1,2}[.)])\s+")
_FUNCTION_END = re.compile(
    r"(?:,|;|\b(?:the|a|an|of|in|on|at|to|for|from|by|with|and|or|but|that|which|who|as|near|into|"
    r"over|after|before|than|is|are|was|were|has|have|had|its|their|his|her))\s*$",
    re.I,
)


def _is_list_block(lines: list[str]) -> bool:
    lines = [ln for ln in lines if ln.strip()]
    if len(lines) < 2:
        return False
    if sum(bool(_BULLET.match(ln)) for ln in lines) >= len(lines) - 1:
        return True
    for ln in lines:
        s = ln.strip()
        if not (s[:1].isupper() or s[:1].isdigit() or s[:1] in "\"“'‘"):
            return False
    # a wrapped line ends mid-phrase; a headline ends on a content word
    return not any(_FUNCTION_END.search(ln) for ln in lines[:-1])


def list_block_breaks(text: str) -> set[int]:
    """Character offsets of line starts that begin a new sentence.

    Parameters
    ----------
    text : str
        The document text.

    Returns
    -------
    set of int
        Offsets of the first character of every line that starts a sentence: lines after a
        blank line, and every line of a headline/bullet list block.
    """
    out: set[int] = set()
    pos = 0
    for block in re.split(r"(\n[ \t]*\n\s*)", text):
        if block.startswith("\n"):
            pos += len(block)
            out.add(pos)
            continue
        lines = block.split("\n")
        if _is_list_block(lines):
            off = pos
            for ln in lines:
                out.add(off + len(ln) - len(ln.lstrip()))
                off += len(ln) + 1
        pos += len(block)
    return out


class LineBreakSentencizer:
    """spaCy component (before the parser): sentence starts after list line breaks."""

    def __init__(self, nlp: Language, name: str = "geomap_linebreaks"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = doccache.text(doc)  # Doc.text rebuilds the string from tokens on each access
        if "\n" not in text:
            return doc
        starts = list_block_breaks(text)
        if not starts:
            return doc
        for tok in doc[1:]:
            if tok.idx in starts and not tok.is_space:
                tok.is_sent_start = True
        return doc


@Language.factory("geomap_linebreaks")
def make_linebreaks(nlp: Language, name: str) -> LineBreakSentencizer:
    """Factory for ``geomap_linebreaks``; add it with ``nlp.add_pipe("geomap_linebreaks", before="parser")``."""
    return LineBreakSentencizer(nlp, name)
