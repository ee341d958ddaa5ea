"""Spelling folding: one matching key for the many English spellings of Arabic place names.

English reporting writes the same Syrian place in a dozen ways ("Deir ez-Zor", "Dayr az Zawr",
"Deir Ezzor", "Deir al-Zour"). :func:`fold` maps each spelling to a key so that the variants
meet, while distinct places ("Homs" / "Hama") stay apart.

Rules, in the order they apply
------------------------------
1. The string is split into words on white space, hyphens, dashes, slashes, dots, commas and
   brackets. Apostrophes and the ayn/hamza marks (``' ’ ‘ ʿ ʾ ʼ ` ´``) are *deleted*, not split
   on, so "Dar'a" is one word, "dara".
2. A word in Arabic script is folded in Arabic script (:func:`fold_arabic`): short vowels and
   tatweel removed, alef/hamza forms -> ا, ta marbuta -> ه, alef maqsura -> ي, the article ال
   dropped. Arabic keys therefore only meet Arabic keys; the gazetteer lists Arabic names as
   aliases.
3. A Latin word is lower-cased and stripped of diacritics (``unidecode``).
4. Arabic article words are dropped: al, el, il, ul, and the sun-letter forms ad, adh, an, ar,
   as, ash, at, ath, az, ed, en, er, es, esh, et, ez. A word starting with an assimilated article
   written solid ("Ezzor", "Arraqqa", "Assuwayda") loses it: a/e + doubled sun letter.
5. "abu"/"abou" becomes "bu", so "Abu Kamal" and "Al-Bukamal" share the compact key
   (:func:`compact`); written solid ("Abukamal") it loses its "a" the same way.
6. Consonant digraphs: dj -> j, ch -> sh (French transliteration), gh -> g, dh -> d, th -> t,
   ph -> f, ck/c/q -> k; "kh" and "sh" are kept (folding kh to h would merge "Khan" with "Han").
7. Doubled letters collapse ("Lattakia" -> "Latakia").
8. Vowel quality is not kept, vowel *presence* is: every run of vowels becomes one "a"
   ("Deir"/"Dayr"/"Dair" -> "dar", "Homs"/"Hims" -> "hams", "Hama" -> "hama").
   "y" and "w" (not word-initial) count as vowels before a consonant or the word end
   ("Dayr", "Zawr", "Qusayr", "Qamishly"), after a consonant ("Abyad" = "Abiad", "Sweida"),
   and as "iy"/"uw" + vowel ("Latakiyah", "Suwayda"). Between other vowels they are
   consonants, so "Mayadin" stays apart from "Ma'dan".
9. A final "h" after a vowel is dropped ("-ah", "-eh" -> "-a"), so "Hasakah" == "Hassakeh".
10. Head words of village names whose short vowel moves with the transliteration get one
    key: "Kafr" = "Kfar" = "Kafar", "Jisr" = "Jiser" (not "Qaser", which would meet "Qusayr").

Per-token property: for words ``a`` and ``b``, ``fold(a + " " + b) == join(fold(a), fold(b))``
where ``join`` puts one space between the non-empty parts; an article word folds to ``""``.
A spaCy component can therefore set a token attribute to ``fold(token.text)`` and match
multi-word names token by token, skipping tokens whose key is empty (articles, hyphens).
Note that English "an", "as", "at" also fold to ``""``: use the key in a custom attribute or
after the tagger has run, never as input to the statistical model.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode as _unidecode_str


class _AsciiTable(dict):
    """``str.translate`` table filled on first use with unidecode's ASCII form of each character.

    unidecode works character by character, so translating with this table gives the same
    string several times faster (one dict look-up per character instead of a Python call).
    """

    def __missing__(self, codepoint: int) -> str:
        value = _unidecode_str(chr(codepoint))
        self[codepoint] = value
        return value


_ASCII_TABLE = _AsciiTable()


def unidecode(s: str) -> str:
    """unidecode's ASCII transliteration of ``s`` (``"Ḩamāh"`` -> ``"Hamah"``), through a table."""
    return s if s.isascii() else s.translate(_ASCII_TABLE)


__all__ = ["fold", "fold_word", "fold_tokens", "fold_arabic", "compact", "light", "usable_name", "ARTICLES"]

#: Words that are the Arabic definite article in one transliteration or another.
ARTICLES = frozenset("al el il ul ad adh an ar as ash at ath az ed edh en er es esh et eth ez".split())

# Apostrophes and the marks that transliterate ayn and hamza: deleted inside words.
_MARKS = "'\u2019\u2018\u02bf\u02be\u02bc\u02bb`\u00b4\u2032\u02c8"
_MARKS_RE = re.compile("[" + re.escape(_MARKS) + "\u0300-\u036f\u064b-\u065f\u0670\u0640\u06d6-\u06ed]")
# Everything else that is not a letter or digit separates words.
_SPLIT_RE = re.compile(r"[^\w]+|_+", re.UNICODE)
_ARABIC_RE = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")

_SUN = "tdrszn"  # sun letters that show up doubled after an assimilated article
_SOLID_ARTICLE_RE = re.compile(r"^[ae](?:([tdrszn])\1|shsh|thth|dhdh)(?=[a-z]{2,})")
_DIGRAPHS = [
    ("dj", "j"),
    ("ch", "sh"),
    ("gh", "g"),
    ("dh", "d"),
    ("th", "t"),
    ("ph", "f"),
    ("ck", "k"),
    ("c", "k"),
    ("q", "k"),
]
_DOUBLE_RE = re.compile(r"(.)\1")
_RUNS_RE = re.compile(r"(.)\1+")
_CONSONANT_GLIDE_RE = re.compile(r"^[yw]|(?<=[aeou])y(?=[aeiou])|(?<=[aei])w(?=[aeiou]|y$)")
_VOWEL_RUN_RE = re.compile(r"[aeiouyw]+")
_NON_ALNUM_RE = re.compile(r"[\W_]+")

# Arabic: diacritics (harakat, tanwin, shadda, sukun, superscript alef) and tatweel.
_AR_DIACRITICS_RE = re.compile("[\u064b-\u065f\u0670\u0640\u06d6-\u06ed]")
_AR_MAP = str.maketrans(
    {
        "\u0623": "\u0627",  # أ
        "\u0625": "\u0627",  # إ
        "\u0622": "\u0627",  # آ
        "\u0671": "\u0627",  # ٱ
        "\u0629": "\u0647",  # ة -> ه
        "\u0649": "\u064a",  # ى -> ي
        "\u0626": "\u064a",  # ئ -> ي
        "\u0624": "\u0648",  # ؤ -> و
        "\u06cc": "\u064a",  # Persian ya
        "\u06a9": "\u0643",  # Persian kaf
    }
)


def fold_arabic(word: str) -> str:
    """Fold one word in Arabic script.

    Parameters
    ----------
    word : str
        A single word, Arabic script.

    Returns
    -------
    str
        The word without short vowels and tatweel, with alef/hamza, ta marbuta and alef maqsura
        variants unified and the article ال removed ("" if the word was only the article).
    """
    w = _AR_DIACRITICS_RE.sub("", unicodedata.normalize("NFKC", word)).translate(_AR_MAP)
    w = w.replace("\u0621", "")  # bare hamza is spelled inconsistently; drop it
    if w.startswith("\u0627\u0644") and len(w) > 3:
        w = w[2:]
    elif w == "\u0627\u0644":
        w = ""
    return w


def _fold_latin(word: str) -> str:
    w = (word if word.isascii() else _MARKS_RE.sub("", unidecode(word))).lower()
    if not w.isalnum():
        w = _NON_ALNUM_RE.sub("", w)
    if not w or w in ARTICLES:
        return ""
    if w.isdigit():
        return w
    if w[0] in "ae" and len(w) > 4:
        m = _SOLID_ARTICLE_RE.match(w)
        if m:
            w = w[m.end() - len(m.group(0)) // 2 :]
    if w in ("abu", "abou", "abo"):
        return "ba"
    if len(w) > 6 and w.startswith("abou") and w[4] not in "aeiouy":
        w = "bu" + w[4:]  # "Abouzaid" = "Abou Zaid"
    elif len(w) > 5 and w.startswith("abu") and w[3] not in "aeiouy":
        w = "bu" + w[3:]  # "Abukamal" = "Abu Kamal"
    for a, b in _DIGRAPHS:
        if a in w:
            w = w.replace(a, b)
    if _DOUBLE_RE.search(w):
        w = _RUNS_RE.sub(_first_group, w)
    # A glide is written as a vowel: closing a diphthong ("Dayr", "Zawr"), ending the word
    # ("Qamishly"), after a consonant ("Abyad" = "Abiad", "Sweida"), or as "iy"/"uw" before a
    # vowel ("Latakiyah", "Suwayda"). Word-initially or between other vowels it is a consonant,
    # which keeps "Mayadin" apart from "Ma'dan"; those are marked upper-case, then every run of
    # vowels (and vowel glides) becomes one "a".
    marked = ("y" in w or "w" in w) and _CONSONANT_GLIDE_RE.search(w) is not None
    if marked:
        w = _CONSONANT_GLIDE_RE.sub(_upper, w)
    key = _VOWEL_RUN_RE.sub("a", w)
    if marked:
        key = key.lower()
    if len(key) > 2 and key.endswith("ah"):
        key = key[:-1]
    return _HEAD_KEYS.get(key, key)


def _upper(m: re.Match) -> str:
    return m.group(0).upper()


def _first_group(m: re.Match) -> str:
    # a function, not the template r"\1": re would parse the template again on every call
    return m.group(1)


#: Head words of village names whose short vowel moves or drops out with the transliteration
#: ("Kafr" / "Kfar" / "Kafar", "Jisr" / "Jiser"), by key. Only keys no other name folds to:
#: "Qaser" would meet "Qusayr" and "Jbel" would meet "Jbeil" (Byblos), so those stay apart.
_HEAD_KEYS = {"kfar": "kafr", "kafar": "kafr", "kfr": "kafr", "jasar": "jasr"}


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    """Fold one word (no separators inside) to its matching key.

    Parameters
    ----------
    word : str
        One word as tokenised ("Deir", "ez", "Ma‘arrat", "حلب").

    Returns
    -------
    str
        The key; ``""`` for an article, punctuation or an empty string. If the word contains
        separators (hyphen, space) their parts are folded and joined by single spaces.
    """
    if not word:
        return ""
    return " ".join(_fold_tokens_cached(word))


@lru_cache(maxsize=200_000)
def _fold_part(part: str) -> str:
    # ``part`` has no separators and no marks left.
    if part.isascii():
        return _fold_latin(part)
    if _ARABIC_RE.search(part):
        return fold_arabic(part)
    return _fold_latin(part)


@lru_cache(maxsize=100_000)
def _fold_tokens_cached(s: str) -> tuple[str, ...]:
    if not s.isascii():
        s = _MARKS_RE.sub("", s)
    elif "'" in s or "`" in s:
        s = s.replace("'", "").replace("`", "")
    return tuple(k for k in map(_fold_part, _SPLIT_RE.split(s)) if k)


def fold_tokens(s: str) -> list[str]:
    """Fold a name or phrase to a list of word keys, articles removed.

    Parameters
    ----------
    s : str
        Any text ("Deir ez-Zor", "Ma‘arrat an Nu‘mān").

    Returns
    -------
    list of str
        Non-empty word keys, e.g. ``["dar", "zar"]``. Empty for non-text or empty input.
    """
    if not isinstance(s, str) or not s:
        return []
    return list(_fold_tokens_cached(s))


def fold(s: str) -> str:
    """Return the spelling-folding key of a name or a single token.

    Parameters
    ----------
    s : str
        A place name, a phrase or one token.

    Returns
    -------
    str
        Word keys joined by single spaces (see the module docstring for the rules), e.g.
        ``fold("Deir ez-Zor") == fold("Dayr az Zawr") == "dar zar"``. ``""`` for non-strings,
        empty strings, punctuation and lone articles.

    Examples
    --------
    >>> fold("Maarat al-Numan") == fold("Ma‘arrat an Nu‘mān")
    True
    >>> fold("Homs") == fold("Hama")
    False
    """
    if not isinstance(s, str) or not s:
        return ""
    return " ".join(_fold_tokens_cached(s))


def compact(s: str) -> str:
    """Return the folded key without spaces ("Abu Kamal" and "Al-Bukamal" -> "bakamal").

    The gazetteer indexes names by this key, so word boundaries written differently
    ("Tell Abiad" / "Tellabyad") do not matter.
    """
    return fold(s).replace(" ", "")


@lru_cache(maxsize=100_000)
def light(s: str) -> str:
    """Return a light normalisation: lower case, no diacritics or marks, single spaces.

    Used to reward a spelling that matches a gazetteer name verbatim over one that only
    meets it after folding ("Basra" the Iraqi city over "Busra" in Syria). The Arabic article
    is one word however it is written: before another word every form of it ("ar", "ash",
    "el", "ad"...) becomes "al", so "al-Rami", "el Rami" and "Ar Rami" are one spelling (the
    article assimilated or not), while "Rami" without it stays another.
    """
    if not isinstance(s, str):
        return ""
    s = _MARKS_RE.sub("", s)
    if not s.isascii() and not _ARABIC_RE.search(s):
        s = unidecode(s)
    words = [p for p in _SPLIT_RE.split(s.lower()) if p]
    last = len(words) - 1
    return " ".join("al" if i < last and w in ARTICLES else w for i, w in enumerate(words))


# Latin (with Latin-1/Extended/Additional letters and IPA-ish marks), Arabic, digits, punctuation.
_USABLE_RE = re.compile(
    "^[\\s\\d\\W"
    "A-Za-z\u00c0-\u024f\u1e00-\u1eff\u02b0-\u02ff"
    "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+$"
)


def usable_name(s: str) -> bool:
    """True when a name is written in Latin or Arabic script (the spellings English news uses).

    Names in other scripts (Cyrillic, Greek, Hebrew, CJK...) would only be transliterated into
    misleading keys, so the gazetteer does not index them.
    """
    if not isinstance(s, str) or not s:
        return False
    return s.isascii() or _USABLE_RE.fullmatch(s) is not None
