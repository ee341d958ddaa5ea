"""Gazetteer look-up of the names in running text: the first source of place mentions.

A mixin of :class:`geomap.nlp.places.PlacesComponent` (it reads ``self.index``, ``self._desc``
and ``self._big_cands``). Every run of tokens that starts like a name (capitalised, an Arabic
article such as "al-", a direction word such as "northern") is folded with
``geomap.gazetteer.index.fold`` and looked up among the gazetteer's folded aliases, longest
first; the guards below keep English words that folding makes meet village names ("House" ~
"Hisya'") out, and read demonyms ("Iraqi refugees" -> Iraq).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from geomap.gazetteer.index import FOCUS, FOLDED_MATCH, PlaceIndex, fold, light
from geomap.gazetteer.ranking import Mention
from geomap.nlp import doccache, place_nouns
from geomap.nlp import place_rules as rules
from geomap.nlp.place_evidence import LOCATIVE_PREPOSITIONS

__all__ = ["GazetteerMatching", "ARTICLES", "COMMON_CAPS", "GENERIC_KEYS", "JOINERS", "spelled_word"]

ARTICLES = frozenset("al el ar as ad ash at az an ed es er ez ag ul il".split())
try:  # the folding module's own list, so a span never ends on a word the key ignores
    from geomap.text import ARTICLES as _FOLD_ARTICLES

    ARTICLES = ARTICLES | frozenset(_FOLD_ARTICLES)
except ImportError:  # pragma: no cover
    pass
#: A word with an ayn or hamza written as an apostrophe inside it ("A'wamid", "Jaza’a").
_APOSTROPHE_WORD = re.compile(r"[^\W\d_]+(?:['\u2019\u2018`][^\W\d_]+)+")


def spelled_word(tok) -> bool:
    """A word of a name: letters only, or letters around an apostrophe for an ayn or hamza."""
    return tok.is_alpha or _APOSTROPHE_WORD.fullmatch(tok.text) is not None


#: Tokens a multi-word name may contain besides words ("Deir ez-Zor", "Ras al-'Ain").
JOINERS = frozenset({"-", "'", "’", "‐", "."})
#: Capitalised words that start sentences or headlines far more often than they name places.
COMMON_CAPS = frozenset(
    """the a an but and or if as at in on of to by for from with we they he she it i you this that
    these those there here where when what who why how many more most some all any no not new
    said says story source word words share reports report related comments read more monday
    tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue wed thu fri sat sun""".split()
)

#: Words that begin many Arabic place names; alone they name nothing in particular.
#: (The English place nouns among them: vocab/place_nouns.tsv, use generic_key.)
GENERIC_KEYS = frozenset(
    fold(w)
    for w in """deir dayr tal tall tell ain ayn kafr kfar jabal jebel khirbet khirbat ras wadi jisr abu umm beit
    bayt marj qasr hay harat maarat maarrat tallat road street dam castle mount mountain hill field
    bridge square valley river lake school mosque hospital airport base checkpoint crossing tariq
    tarik""".split()  # tariq: "road", the head of neighbourhood names
    + sorted(place_nouns.words("generic_key"))
) - {""}


class GazetteerMatching:
    """Longest gazetteer aliases in running text, with the guards of folded matches (mixin)."""

    if TYPE_CHECKING:  # provided by PlacesComponent, the class this mixin is part of
        _desc: bool

        @property
        def index(self) -> PlaceIndex: ...

        def _big_cands(self, cands) -> bool: ...

    def _gazetteer_matches(self, doc: Doc, ents: list) -> list[Mention]:
        """Gazetteer aliases and demonyms, left to right, the longest run at each start."""
        index = self.index
        out: list[Mention] = []
        n = len(doc)
        # A short place description ("deir ez zor airport", a CSV location cell) is all names:
        # case says nothing there.
        short = self._desc
        doc_text = doccache.text(doc)  # Doc.text joins every token: build it once, not per look-up
        first_words = self._first_words(index)
        toks = list(doc)  # one pass: ``doc[i]`` builds a new Token object on every call
        i = 0
        while i < n:
            tok = toks[i]
            if not self._may_start(tok, short):
                i += 1
                continue
            found = None
            if tok.whitespace_:
                # ``fold`` works word by word and whitespace always separates words, so every
                # run starting here has a key whose first word is this token's first word: when
                # no alias key starts with it, no run can match (the common case: most
                # capitalised words are people, organisations or sentence starts).
                head = fold(tok.text).split(" ", 1)[0]
                if head and head not in first_words:
                    dem = self._demonym(tok)
                    if dem:
                        out.append(Mention(i, i + 1, fold(tok.text), [(dem, 1.0)], kind="demonym"))
                    i += 1
                    continue
            # Extend to the longest run that is a gazetteer alias.
            j_lim = i
            while j_lim < n and j_lim - i < index.max_words and not rules.breaks(toks[j_lim]):
                j_lim += 1
            for j in range(j_lim, i, -1):
                found = self._alias_at(doc, toks, doc_text, i, j, ents)
                if found is not None:
                    break
            dem = self._demonym(tok) if (found is None or found.end - found.start == 1) else None
            if dem:
                found = Mention(i, i + 1, fold(tok.text), [(dem, 1.0)], kind="demonym")
            if found is not None:
                out.append(found)
                i = found.end
            else:
                i += 1
        return out

    @staticmethod
    def _may_start(tok: Token, short: bool) -> bool:
        """Whether a name may start at ``tok`` (capitalised, an article, a direction word)."""
        if not (short and tok.is_alpha) and not rules.startable(tok):
            return False
        if rules.breaks(tok):
            return False
        return not (tok.lower_ in COMMON_CAPS and not (short and tok.lower_ in ARTICLES))

    def _alias_at(self, doc: Doc, toks: list, doc_text: str, i: int, j: int, ents: list) -> Mention | None:
        """The mention for tokens ``i:j`` when they are an alias the guards let through."""
        first, last = toks[i], toks[j - 1]
        if last.text in JOINERS or last.lower_ in ARTICLES:
            return None
        if j - i == 1 and (not rules.is_capitalised(first) or first.lower_ in COMMON_CAPS or first.lower_ == "the"):
            return None
        text = doc_text[first.idx : last.idx + len(last.text)]
        key = fold(text)
        if not key:
            return None
        index = self.index
        cands = [
            (p, q)
            for p, q in index.candidates(text, key)
            if q > FOLDED_MATCH or str(index.entry(p).get("country_code", "")).upper() in FOCUS
        ]  # "Skype" meets "Skopie" only through folding: far places need the spelling
        if not cands:
            return None
        verbatim = any(q == 1.0 for _, q in cands)
        if not verbatim and rules.inside_word(doc, i, j):
            return None  # "Deir-e" in "Deir-e-Zour": a piece of a longer hyphenated name
        if not self._run_ok(doc, i, j, cands, verbatim, ents):
            return None
        if key in GENERIC_KEYS and not (j - i > 1 and first.lower_ in ARTICLES and (verbatim or self._desc)):
            return None  # but "al-Tel", "At Tall" are whole names; "Deir" alone starts a name we could not read
        return Mention(i, j, key, cands, loose=not verbatim)

    def _run_ok(self, doc: Doc, i: int, j: int, cands, verbatim: bool, ents: list) -> bool:
        """The case and shape guards of a run: in running text, and in a short description."""
        first, last = doc[i], doc[j - 1]
        if not self._desc:
            if not verbatim and not self._fold_ok(doc, i, ents):
                return False
            if not verbatim and not (
                rules.is_capitalised(first)
                or (rules.next_is_hyphen(first) and first.lower_ in ARTICLES and rules.is_capitalised(last))
            ):
                return False  # "northern Syria" only as an alias; else "northern" qualifies
            if j - i > 1 and not rules.name_shaped(doc[i:j], verbatim):
                return False
            return j - i > 1 or self._single_ok(first, ents, cands, verbatim)
        if j - i == 1 and (len(first.text) < 3 or first.is_stop):
            return False
        # lower-case words meet village names through folding ("sermon")
        return (
            verbatim
            or rules.is_capitalised(first)
            or (first.lower_ in ARTICLES and j - i > 1 and rules.is_capitalised(last))
        )

    def _first_words(self, index: PlaceIndex) -> frozenset:
        """First words of every folded alias key (built once per index)."""
        cached = getattr(self, "_first_words_cache", None)
        if cached is None or cached[0] is not index:
            cached = (index, frozenset(k.split(" ", 1)[0] for k in index.keys))
            self._first_words_cache = cached
        return cached[1]

    def _fold_ok(self, doc: Doc, i: int, ents: list) -> bool:
        """Whether a name met only through folding may count in running text.

        Folding makes English words meet village names ("House" ~ "Hisya'", "Day" ~ "Ed
        Dahi"), so a spelling that is no listed alias needs the NER to call it a place, a
        place-shaped first word ("Deir", "Kafr"), a place noun before it ("village of") or a
        locative preposition ("road to Athariya", "near the Nayrab"); the spelling must still be
        close to the entry's name (``check_spelling``).
        """
        ent = ents[i]
        if ent is not None and ent.label_ in rules.PLACE_LABELS:
            return True
        if fold(doc[i].text) in GENERIC_KEYS:
            return True
        k = i - 2 if i >= 2 and doc[i - 1].lower_ == "the" else i - 1
        if k >= 0 and doc[k].lower_ in LOCATIVE_PREPOSITIONS and doc[k].lower_ != "of":
            return True
        return i >= 2 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ in rules.PLACE_NOUNS

    def _single_ok(self, tok, ents: list, cands, verbatim: bool) -> bool:
        """Guards for one-word matches, where English words meet folded village names."""
        text = tok.text
        low = tok.lower_.rstrip(".")
        if len(text) < 3 or low in rules.PERSON_PREFIXES or low in COMMON_CAPS:
            return False
        ent = ents[tok.i]
        label = ent.label_ if ent is not None else ""
        if text.isupper() and len(text) <= 4:
            # Acronyms: only countries spelled so ("US", "UAE").
            return verbatim and any(self.index.entry(p).get("level") == "country" for p, q in cands if q == 1.0)
        if text.isupper() and verbatim and self._big_cands([(p, q) for p, q in cands if q == 1.0]):
            return True  # datelines ("BEIRUT —", "DAMASCUS:"): the tagger reads capitals as anything
        if label in rules.PLACE_LABELS or (label == "NORP" and verbatim):
            return True  # a NORP word met only through folding is a people or faith ("Shiite")
        return tok.pos_ in ("PROPN", "") or (tok.pos_ in ("NOUN", "ADJ", "X") and verbatim and not tok.is_sent_start)

    def _demonym(self, tok) -> str | None:
        """The country a demonym or adjective names ("Iraqi", "Iraqis"), verbatim only."""
        if not rules.is_capitalised(tok) or not self.index.demonyms:
            return None
        key = light(tok.text)  # verbatim: folding would make "Arike" an Iraqi
        pid = self.index.demonyms.get(key)
        if pid is None and key.endswith("s"):
            pid = self.index.demonyms.get(key[:-1])  # "Iraqis"
        return pid
