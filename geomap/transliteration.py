"""Spelling keys: where an Arabic place name and the ways English reporting writes it meet.

:func:`geomap.text.fold` makes English spellings of one name meet ("Maarat al-Numan" and
"Ma‘arrat an-Nu‘mān"), but it keeps the *presence* of vowels, and Arabic script does not write
short vowels: from "أورم الكبرى" nobody can tell whether a reporter writes "Urum" or "Orm", and
reporters drop unstressed short vowels all the time ("Hmeimim" for Ḩumaymīm, "Kfar" for Kafr,
"Sfireh" for as-Safirah). The *spelling key* is therefore the consonant skeleton, which both
scripts give:

* Arabic (:func:`spelling_keys`): every letter that is always a consonant becomes its Latin class;
  alef, ayn, hamza, waw, ya, alef maqsura and a final ta marbuta or ha (the vowels and glides a
  reporter writes or drops at will) disappear; a ta marbuta inside a name gives "t" or nothing
  ("Ma‘arrat" / "Maara"); the article ال goes.
* Latin (:func:`spelling_key`): the same classes from English conventions: vowels and y/w dropped
  (ou/oo/u, ee/i, ayn written as a vowel or an apostrophe), the article dropped whether written
  "al", assimilated "ash-", or solid "Ashshughur", "-ah"/"-eh" losing its h, and digraphs merged.

Letter classes (the conventions of English transliteration of Syrian names):

==========  =========================  =====================
class       Latin                      Arabic
==========  =========================  =====================
``k``       q, k, g, c, gh             ق ك غ
``h``       h, kh                      ح خ ه
``z``       z, dh                      ز ظ, and ذ ض (also ``t``/``d``)
``t``       t, th                      ت ط, and ث (also ``s``), ذ
``$``       sh, ch (French)            ش
``s``       s                          س ص, and ث
``j``       j, dj (French)             ج
==========  =========================  =====================

A doubled Latin letter is one Arabic letter (shadda is not written), so it collapses before the
vowels go: "Raqqa" = "Raqa" = "الرقة" (``rk``), and "Hmeimim" = "Ḩumaymīm" = "حميميم" (``hmmm``). Qualifiers that reporters translate (``geomap/vocab/place_qualifiers.tsv``:
Kabir/Kubra = Big/Great, Saghir/Sughra = Small, Sharqi/Gharbi = East(ern)/West(ern),
Shamali/Janubi = North/South, Fawqani/Tahtani = Upper/Lower) become a tag after ``+``, wherever
they stand: "Big Orm", "Orm al-Kubra" and "أورم الكبرى" all give ``rm+big``.

The key is deliberately loose (vowel quality *and* presence are gone): use it only for Syrian
places, after the fold key found nothing, and trust short keys (fewer than three consonants)
only with other evidence. This module imports no gazetteer code.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from itertools import product
from pathlib import Path

from unidecode import unidecode

from geomap.text import ARTICLES, fold, fold_arabic

__all__ = [
    "spelling_key",
    "spelling_keys",
    "qualifiers",
    "feature_words",
    "translated_base",
    "QUALIFIERS_PATH",
    "FEATURE_WORDS_PATH",
]

#: The editable table of name qualifiers and their translations.
QUALIFIERS_PATH = Path(__file__).resolve().parent / "vocab" / "place_qualifiers.tsv"
#: The editable table of English feature nouns and the Arabic head nouns they translate.
FEATURE_WORDS_PATH = Path(__file__).resolve().parent / "vocab" / "place_feature_words.tsv"

_ARABIC_RE = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_AR_DIACRITICS_RE = re.compile("[\u064b-\u065f\u0670\u0640\u06d6-\u06ed\u200c-\u200f]")
_SPLIT_RE = re.compile(r"[^\w'\u2019\u2018\u02bf\u02be\u02bc`]+", re.UNICODE)
_MARKS_RE = re.compile("['\u2019\u2018\u02bf\u02be\u02bc\u02bb`\u00b4\u2032]")

#: Arabic letter -> its Latin consonant classes ("" = written as a vowel or not at all).
_AR_LETTERS = {
    "ب": ("b",),
    "ت": ("t",),
    "ث": ("t", "s"),
    "ج": ("j",),
    "ح": ("h",),
    "خ": ("h",),
    "د": ("d",),
    "ذ": ("z", "t", "d"),
    "ر": ("r",),
    "ز": ("z",),
    "س": ("s",),
    "ش": ("$",),
    "ص": ("s",),
    "ض": ("d", "z"),
    "ط": ("t",),
    "ظ": ("z",),
    "ع": ("",),
    "غ": ("k",),
    "ف": ("f",),
    "ق": ("k",),
    "ك": ("k",),
    "ل": ("l",),
    "م": ("m",),
    "ن": ("n",),
    "ه": ("h",),
    "و": ("",),
    "ي": ("",),
    "ا": ("",),
    "أ": ("",),
    "إ": ("",),
    "آ": ("",),
    "ٱ": ("",),
    "ى": ("",),
    "ء": ("",),
    "ئ": ("",),
    "ؤ": ("",),
    "ة": ("t", ""),
    "پ": ("b",),
    "چ": ("j",),
    "ڤ": ("f",),
    "گ": ("k",),
    "ک": ("k",),
    "ی": ("",),
}
_MAX_VARIANTS = 8

# Latin digraphs first (their letters would otherwise be classed one by one), then letters.
_LATIN_DIGRAPHS = [
    ("sh", "$"),
    ("ch", "$"),
    ("kh", "h"),
    ("gh", "k"),
    ("dh", "z"),
    ("th", "t"),
    ("ph", "f"),
    ("dj", "j"),
    ("zh", "j"),
]
_LATIN_LETTERS = str.maketrans(
    {
        "q": "k",
        "c": "k",
        "g": "k",
        "x": "ks",
        "v": "f",
        "p": "b",
        "a": None,
        "e": None,
        "i": None,
        "o": None,
        "u": None,
        "y": None,
        "w": None,
    }
)
_SOLID_ARTICLE_RE = re.compile(r"^[ae](?:([tdrszn])\1|shsh|thth|dhdh)(?=[a-z]{2,})")
_RUNS_RE = re.compile(r"(.)\1+")


@lru_cache(maxsize=1)
def qualifiers() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The qualifier table: (English word -> tag, folded transliteration -> tag, Arabic -> tag).

    Arabic words are compared after :func:`geomap.text.fold_arabic` (article, ta marbuta and
    alef maqsura normalised), transliterations after :func:`geomap.text.fold`.
    """
    english, latin, arabic = {}, {}, {}
    with QUALIFIERS_PATH.open(encoding="utf-8", newline="") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t"):
        tag = row["meaning"].strip()
        for w in row["english"].split(","):
            if w.strip():
                english[w.strip().lower()] = tag
        for w in row["transliterated"].split(","):
            if w.strip():
                latin[fold(w.strip())] = tag
        for w in row["arabic"].split(","):
            if w.strip():
                arabic[fold_arabic(w.strip())] = tag
    return english, latin, arabic


@lru_cache(maxsize=1)
def feature_words() -> dict[str, str]:
    """English feature noun -> the romanised Arabic head noun it translates ("castle" -> "qalat")."""
    out = {}
    with FEATURE_WORDS_PATH.open(encoding="utf-8", newline="") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t"):
        for w in row["english"].split(","):
            if w.strip():
                out[w.strip().lower()] = row["arabic_head"].strip()
    return out


def translated_base(name: str) -> str:
    """A Latin name without its qualifiers, articles and head noun, for comparing spellings.

    "Big Orm" and "Urum al Kubra" give "Orm" and "Urum"; "Husn Castle" and "Qal'at al Husn" both
    give "Husn": what is left is the part that English spelling varies, so two spellings of
    one name can be compared letter by letter once their translated words are gone.
    """
    english, latin, _ = qualifiers()
    head_keys = {fold(h) for h in feature_words().values()}
    words = _words(name)
    if _ARABIC_RE.search(name):
        return " ".join(words)
    several = len(words) > 1
    _, words = _english_head(words)
    kept = []
    for i, w in enumerate(words):
        low = w.lower()
        if low in ARTICLES:
            continue
        if several and (low in english or (i > 0 and fold(w) in latin) or fold(w) in head_keys):
            continue
        kept.append(w)
    return " ".join(kept)


def _english_head(words: list[str]) -> tuple[str, list[str]]:
    """The Arabic head noun an English feature noun of a name translates, and the other words.

    "Husn Castle", "Castle of Marqab", "Mount Qasioun": ("qalat", ["Husn"]), ... One feature
    noun only, and never right after an article: "Jubb ad Dam" is Arabic ("blood"), not a dam.
    """
    heads = feature_words()
    found = [k for k, w in enumerate(words) if w.lower() in heads and not (k > 0 and words[k - 1].lower() in ARTICLES)]
    if len(found) != 1 or len(words) < 2:
        return "", words
    k = found[0]
    after = k + 1
    while after < len(words) - 1 and words[after].lower() in ("of", "the"):
        after += 1  # "Castle of Marqab" = Qal'at al-Marqab
    return heads[words[k].lower()], words[:k] + words[after:]


def _latin_word(word: str) -> str:
    w = unidecode(_MARKS_RE.sub("", word)).lower()
    w = re.sub(r"[^a-z0-9]", "", w)
    if not w or w in ARTICLES:
        return ""
    if w[0] in "ae" and len(w) > 4:
        m = _SOLID_ARTICLE_RE.match(w)
        if m:  # "Ashshughur", "Ezzor": the article written solid
            w = w[len(m.group(0)) // 2 :]
    if len(w) > 2 and w[-1] == "h" and w[-2] in "aeiouy":
        w = w[:-1]  # "-ah", "-eh", "-iyah": a ta marbuta, not a consonant
    for a, b in _LATIN_DIGRAPHS:
        if a in w:
            w = w.replace(a, b)
    # doubled letters are one Arabic letter (shadda is not written): collapse them while the
    # vowels still separate syllables, so "Raqqa" = "Raqa" but "Hmeimim" keeps its three m
    return _RUNS_RE.sub(_first_group, w).translate(_LATIN_LETTERS)


def _first_group(m: re.Match) -> str:
    return m.group(1)


def _arabic_word(word: str, last: bool) -> list[str]:
    w = _AR_DIACRITICS_RE.sub("", unicodedata.normalize("NFKC", word))
    if w.startswith("ال") and len(w) > 3:
        w = w[2:]
    if w.endswith("ه") or w.endswith("ة"):
        # a final ta marbuta (or the ha it is often typed as) is a vowel in English spelling;
        # inside a name (construct state) it is read "t": "Ma‘arrat an-Nu‘man"
        w = w[:-1] if last else w[:-1] + "ة"
    options = [_AR_LETTERS.get(ch, ("",)) for ch in w]
    out = []
    for combo in product(*options):
        key = "".join(combo)
        if key not in out:
            out.append(key)
        if len(out) >= _MAX_VARIANTS:
            break
    return out


def _words(name: str) -> list[str]:
    return [w for w in _SPLIT_RE.split(name) if w and not _MARKS_RE.fullmatch(w)]


def _with_tags(bases: list[str], tags: set[str]) -> str:
    base = "".join(bases)
    if not base:
        return ""
    return base + ("+" + ",".join(sorted(tags)) if tags else "")


@lru_cache(maxsize=200_000)
def spelling_keys(name: str) -> frozenset[str]:
    """Every spelling key of a name in Arabic or Latin script.

    Parameters
    ----------
    name : str
        A place name: "كفر نبل", "Ūrum al Kubrá", "Big Orm".

    Returns
    -------
    frozenset of str
        One key for a Latin name; for an Arabic name one per reading of its ambiguous letters
        (ث, ذ, ض and a ta marbuta inside the name), at most 8. Empty when nothing but articles
        and qualifiers is left.

    Examples
    --------
    >>> sorted(spelling_keys("أورم الكبرى"))
    ['rm+big']
    >>> spelling_key("Big Orm")
    'rm+big'
    """
    if not isinstance(name, str) or not name.strip():
        return frozenset()
    english, latin, arabic = qualifiers()
    words = _words(name)
    tags: set[str] = set()
    parts: list[list[str]] = []
    n = len(words)
    head = ""
    if n > 1 and not _ARABIC_RE.search(name):
        head, words = _english_head(words)
        n = len(words)
    if head:
        parts.append([_latin_word(head)])
    for i, w in enumerate(words):
        if _ARABIC_RE.search(w):
            tag = arabic.get(fold_arabic(w)) if i > 0 else None
            if tag:
                tags.add(tag)
                continue
            parts.append(_arabic_word(w, last=(i == n - 1)))
            continue
        low = w.lower()
        tag = english.get(low) if n > 1 else None
        if tag is None and i > 0:
            tag = latin.get(fold(w))
        if tag:
            tags.add(tag)
            continue
        parts.append([_latin_word(w)])
    keys = set()
    for combo in product(*parts):
        k = _with_tags(list(combo), tags)
        if k:
            keys.add(k)
        if len(keys) >= _MAX_VARIANTS:
            break
    return frozenset(keys)


def spelling_key(name: str) -> str:
    """The spelling key of a name as written in English text ("Hmeimim" -> ``"hmmm"``).

    For a Latin name this is its only key; for an Arabic name the first reading (sorted).
    """
    keys = spelling_keys(name)
    return min(keys) if keys else ""
