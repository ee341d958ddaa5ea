"""How a transliterated Arabic name ends: the sound the fold key and the spelling key throw away.

Folding turns every final vowel into "a" and swallows the nisba ending ("-iyah", "-iyeh",
"-ia"), so "Hamza" meets the village Al Hamziyah, "Mahmoud" meets Mahmudiyah and "al-Ja'abi"
meets Jaba. Arabic writes these endings with letters, not short vowels, so English reporting
keeps them apart: a name ending in a nisba, in "-i", in "-a"/"-ah"/"-eh" or in a consonant
is not another name ending otherwise. :func:`endings_agree` tells whether a spelling met only
through folding or fuzzily can be the name the writer meant.

A bare final "e" ("Kobanê", "Lattaquié", "Meskene") and "o"/"u" say nothing (French and
Kurdish spellings write several endings so), nor do names outside the Latin alphabet.
"""

from __future__ import annotations

import re
from functools import lru_cache

from geomap.text import light
from geomap.transliteration import spelling_key

__all__ = ["ending", "endings_agree", "skeleton_ends_agree"]

_MARKS = re.compile(r"['\u2019\u2018\u02bf\u02be\u02bc`]+$")
_NISBA = re.compile(r"(?:iy+|ey+|iy*e|i)(?:a|ah|e|eh)$|e[iy]h$")
_FINAL_I = re.compile(r"(?:[^aeiouy]i|ee|[^aeiouy]y)$")
_FINAL_A = re.compile(r"(?:a|[ae]h|aa)$")
_CONSONANT = re.compile(r"[b-df-hj-np-tv-xz]$")


@lru_cache(maxsize=50_000)
def ending(name: str) -> str:
    """The ending class of a name's last word.

    Returns
    -------
    str
        ``"nisba"`` ("Salamiyeh", "Latakia"), ``"i"`` ("Qamishli", "al-Ja'abi"), ``"a"``
        ("Hama", "Raqqah", "Sfireh"), ``"consonant"`` ("Homs", "Mahmoud") or ``""`` when the
        spelling does not tell (a final "e", "o", "u" or "-ih", digits, another script).
    """
    words = light(name).replace("-", " ").split()
    if not words:
        return ""
    w = _MARKS.sub("", words[-1])
    if len(w) < 3 or not w.isascii() or not w.isalpha():
        return ""
    if _NISBA.search(w):
        return "nisba"
    if _FINAL_I.search(w):
        return "i"
    if _FINAL_A.search(w):
        return "a"
    if w.endswith("ih"):
        return ""  # "-ih" is written for the nisba and for "-ah" alike
    if _CONSONANT.search(w):
        return "consonant"
    return ""


def endings_agree(text: str, names) -> bool:
    """Whether ``text`` can be one of ``names`` as far as the endings tell.

    True when the text's ending says nothing, when no name's ending says anything, or when
    one name ends the same way. A final "-a" and a final consonant agree ("Izra'" / "Izraa",
    the colloquial "Jisr" / "Jisra"); a nisba or a final "-i" agrees only with itself.
    """
    mine = ending(text)
    if not mine:
        return True
    theirs = {ending(n) for n in names} - {""}
    if not theirs or mine in theirs:
        return True
    return mine in ("a", "consonant") and bool(theirs & {"a", "consonant"})


def _skeleton_ends(name: str) -> tuple[str, str] | None:
    key = spelling_key(name).split("+")[0]
    return (key[0], key[-1]) if len(key) >= 2 else None


def skeleton_ends_agree(text: str, names) -> bool:
    """Whether ``text`` keeps the first and the last consonant of one of ``names``.

    A near miss by letter similarity alone may change a vowel or a middle consonant
    ("Bsonqul" / "Basnaqul"), but a name that ends on another consonant is another name
    ("Rashidin" is no Ar Rushdi, "Tel Osman" no Tall Samn Missak). True when the text's
    skeleton is too short to tell.
    """
    mine = _skeleton_ends(text)
    if mine is None:
        return True
    return any(_skeleton_ends(n) == mine for n in names)


_ARTICLE_WORDS = frozenset(
    {"al", "el", "ar", "as", "ad", "ash", "at", "az", "an", "ed", "es", "er", "ez", "ul", "il", "e"}
)


#: An article written solid with its noun ("Ezzor", "Assafira", "Ashshughur").
_SOLID_ARTICLE = re.compile(r"^[ae](?:([tdrszn])\1|shsh|thth|dhdh)(?=[a-z]{2,})")


def _noun_start(m: re.Match) -> str:
    return m.group(0)[len(m.group(0)) // 2 :]  # "ezz" -> "z": the noun's first letter


def _initials(name: str, solid_article: bool) -> tuple[bool, ...] | None:
    words = [w for w in light(name).replace("-", " ").split() if w not in _ARTICLE_WORDS]
    if solid_article:
        words = [_SOLID_ARTICLE.sub(_noun_start, w) for w in words]
    if not words or not all(w.isascii() and w[:1].isalpha() for w in words):
        return None
    return tuple(w[0] in "aeiou" for w in words)


def _initial_readings(name: str) -> set[tuple[bool, ...]]:
    # "Ezzor" is "ez-Zor" but "Ezzedine" is 'Izz ad-Din: both readings of a solid "Ezz" count
    return {t for t in (_initials(name, False), _initials(name, True)) if t is not None}


def initials_agree(text: str, names) -> bool:
    """Whether each word of ``text`` starts with a vowel where the name's word does.

    The consonant skeleton drops a word's first vowel, and with it an initial ayn or alef:
    "Tel Osman" (عثمان) and "Tell es Seman" share ``tlsmn`` but not their second word. Only
    names with as many words as the text are compared; True when none has.
    """
    mine = _initial_readings(text)
    if not mine:
        return True
    sizes = {len(t) for t in mine}
    theirs = {t for n in names for t in _initial_readings(n) if len(t) in sizes}
    return not theirs or bool(mine & theirs)
