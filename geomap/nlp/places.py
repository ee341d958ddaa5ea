"""The ``geomap_places`` spaCy component: find every place mention and resolve it.

Recognition merges three sources, left to right, longest first:

1. the gazetteer: every run of tokens that starts like a name (capitalised, an Arabic article
   such as "al-", a direction word such as "northern") is folded with ``geomap.text.fold`` and
   looked up among the gazetteer's folded aliases (one dict look-up; the index is built once
   per process, see ``geomap.gazetteer.index.place_index``);
2. demonyms and adjectives from ``gazetteer/demonyms.tsv`` ("Iraqi refugees" -> Iraq);
3. the statistical NER's GPE/LOC/FAC spans the gazetteer does not know (exact, then fuzzy
   look-up; kept as unresolved mentions when nothing fits).

Names inside people's or organisations' names and treaty names are dropped
(``place_rules``). A reading met only through the vowel-collapsing fold or fuzzily must also
be spelled close to one of the entry's names with vowels kept (``_spelling``): unresolved beats
wrong. Unknown names a place noun announces ("the villages of A, B and C") stay unresolved
mentions, and lists of governorate names are read as governorates. Context turns "Aleppo province" into the governorate, "eastern Aleppo" into
Aleppo with the qualifier "eastern", and "X, Idlib" into the X of Idlib governorate. The
ranking (``geomap.gazetteer.ranking.rank_mentions``, the one ``Gazetteer.search`` uses) gives every mention a confidence; below
``geomap.settings.min_place_confidence`` a mention stays unresolved rather than wrong.

In running text a one-word name met only through a GeoNames alternate name ("Man" ~ Amman)
counts only when something else anchors the text in the region (``_drop_unanchored_homonyms``);
regions spanning several countries ("Middle East") are recognised but never placed.

Work per document is linear in its length: a bounded number of cached look-ups per token.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from geomap import settings
from geomap.nlp import doccache
from geomap.nlp import extensions  # noqa: F401  (declares the Span._ attributes)
from geomap.nlp import place_rules as rules
from geomap.gazetteer.index import FOCUS, FOLDED_MATCH, PlaceIndex, fold, light, place_index
from geomap.gazetteer.ranking import Mention, check_spelling, rank_mentions
from geomap.gazetteer.regions import haversine_km
from geomap.nlp.place_context import apply_document_context, list_outliers
from geomap.nlp.place_evidence import LOCATIVE_PREPOSITIONS, drop_weak_names, small_place

__all__ = ["PlacesComponent", "make_places", "find_places"]

#: Documents up to this many tokens are read as place descriptions (see ``_gazetteer_matches``).
_SHORT_DOC = 16
#: Up to this many tokens, a text without a finite verb is a place description (a location
#: cell listing "villages and towns of A, B, C and D") rather than a sentence.
_DESCRIPTION_MAX = 30
_ARTICLES = frozenset("al el ar as ad ash at az an ed es er ez ag ul il".split())
try:  # the folding module's own list, so a span never ends on a word the key ignores
    from geomap.text import ARTICLES as _FOLD_ARTICLES

    _ARTICLES = _ARTICLES | frozenset(_FOLD_ARTICLES)
except ImportError:  # pragma: no cover
    pass
#: Tokens a multi-word name may contain besides words ("Deir ez-Zor", "Ras al-'Ain").
_JOINERS = frozenset({"-", "'", "’", "‐", "."})
#: Capitalised words that start sentences or headlines far more often than they name places.
_COMMON_CAPS = frozenset(
    """the a an but and or if as at in on of to by for from with we they he she it i you this that
    these those there here where when what who why how many more most some all any no not new
    said says story source word words share reports report related comments read more monday
    tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue wed thu fri sat sun""".split()
)


#: Words that begin many Arabic place names; alone they name nothing in particular.
_GENERIC_KEYS = frozenset(
    fold(w)
    for w in """deir dayr tal tall tell ain ayn kafr kfar jabal jebel khirbet khirbat ras wadi jisr
    abu umm beit bayt marj qasr hay harat maarat maarrat tallat suburbs countryside village town
    city district province governorate area road street camp dam castle mount mountain hill field
    bridge square desert plain valley river lake farm farms school mosque hospital airport base
    checkpoint crossing""".split()
) - {""}


#: Nouns that announce a place name: "the village of X", "X neighbourhood".
_PLACE_NOUNS = rules.PLACE_NOUNS


def _is_description(doc: Doc) -> bool:
    """Whether a text is a short place description ("Damascus Suburbs Deir Maker").

    Short texts with a finite verb are sentences ("Government forces shelled X"): their
    lower-case words are English, not transliterations.
    """
    if len(doc) > _DESCRIPTION_MAX:
        return False
    return not any(t.tag_ in _FINITE_TAGS and t.is_alpha and t.is_lower for t in doc)


_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _ents_by_token(doc: Doc) -> list:
    out = [None] * len(doc)
    for ent in doc.ents:
        for i in range(ent.start, ent.end):
            out[i] = ent
    return out


#: English words that are also transliterated articles: "As Syrian forces..." is not "as-Syrian".
_ENGLISH_ARTICLES = frozenset({"as", "at", "an", "ad", "ed", "en", "er", "es", "et", "el", "il"})
_SPEECH = frozenset(
    """said says told tells added adds recalls recalled noted notes warned warns stated states
    explained explains wrote writes asked asks insisted insists claimed claims""".split()
)


def _next_is_hyphen(tok) -> bool:
    doc = tok.doc
    return not tok.whitespace_ and tok.i + 1 < len(doc) and doc[tok.i + 1].text in {"-", "‐", "–"}


def _inside_word(doc: Doc, i: int, j: int) -> bool:
    """Whether tokens ``i:j`` are glued by a hyphen to a word before or after them."""
    hy = {"-", "‐"}
    if j < len(doc) - 1 and doc[j].text in hy and not doc[j - 1].whitespace_ and not doc[j].whitespace_ \
            and doc[j + 1].is_alpha:
        return True
    return i >= 2 and doc[i - 1].text in hy and not doc[i - 1].whitespace_ and not doc[i - 2].whitespace_ \
        and doc[i - 2].is_alpha and doc[i - 2].lower_ not in _ARTICLES


_PLURAL_PLACE_NOUNS = frozenset({"villages", "towns", "neighbourhoods", "neighborhoods", "districts", "areas",
                                 "cities", "camps", "suburbs"})


def _in_place_list(doc: Doc, i: int) -> bool:
    """Whether token ``i`` starts a later member of "the villages of A, B and C".

    Walks back over at most 20 tokens of capitalised names and list separators to the plural
    place noun and "of"; anything else ends the list.
    """
    k = i - 1
    if k < 0 or doc[k].lower_ not in {",", "and"}:
        return False
    lo = max(0, i - 20)
    while k >= lo:
        t = doc[k]
        if t.lower_ in {",", "and"} or t.text in _JOINERS or t.lower_ in _ARTICLES or (
                t.is_alpha and rules.is_capitalised(t)):
            k -= 1
            continue
        return t.lower_ == "of" and k >= 1 and doc[k - 1].lower_ in _PLURAL_PLACE_NOUNS
    return False


def _startable(tok) -> bool:
    low = tok.lower_
    if low in _ARTICLES:
        # "al-Rami", "Al Bab"; but not English "As Syrian troops..." or "at Aleppo".
        if _next_is_hyphen(tok):
            return True
        return rules.is_capitalised(tok) and low not in _ENGLISH_ARTICLES
    return rules.is_capitalised(tok) or low in rules.DIRECTIONS


def _breaks(tok) -> bool:
    """Tokens a place name never spans: line breaks, most punctuation, numbers, "'s"."""
    if tok.is_space or "\n" in tok.text_with_ws[:-1]:
        return True
    if tok.is_punct and tok.text not in _JOINERS:
        return True
    if tok.text not in _JOINERS and not any(ch.isalnum() for ch in tok.text):
        return True  # symbols ("+", "&", "/"): "Salt + Smoke" is no place "Salt +"
    if tok.tag_ == "POS" or tok.lower_ in {"'s", "’s", "s"} or tok.like_num:
        return True
    return False


#: Lower-case words a verbatim alias may contain ("Syrian coast", "northern Syria").
_GEO_LOWER = frozenset(rules.DIRECTIONS | set(rules.AREA_AFTER) | {
    "coast", "coastal", "of", "the", "and", "valley", "river", "mountains", "mount", "lake", "sea",
    "crossing", "dam", "airport", "airbase", "base", "camp", "heights", "plateau", "strip", "bank",
})


def _name_shaped(span, verbatim: bool) -> bool:
    """Whether a multi-token run looks like one name: every word capitalised, bar articles.

    Lower-case words only count when the run is an alias verbatim and they are geographic
    words ("Syrian coast", "northern Syria"), never in "Sheikh said".
    """
    for t in span:
        if t.text in _JOINERS or t.lower_ in _ARTICLES or not t.is_alpha:
            continue
        if not rules.is_capitalised(t) and not (verbatim and t.lower_ in _GEO_LOWER):
            return False
    return True


class PlacesComponent:
    """spaCy component setting ``doc._.places`` (see the module docstring).

    Parameters
    ----------
    nlp : Language
        The pipeline (its tokenizer is not needed: look-ups fold token text).
    gazetteer_dir : str, optional
        A gazetteer folder other than ``geomap.settings.gazetteer_dir``.
    min_confidence : float, optional
        Resolution threshold; defaults to ``geomap.settings.min_place_confidence``.
    fuzzy : bool
        Try fuzzy gazetteer matches for NER places and short place descriptions.
    """

    def __init__(self, nlp: Language | None = None, gazetteer_dir: str | None = None,
                 min_confidence: float | None = None, fuzzy: bool = True):
        self.gazetteer_dir = gazetteer_dir
        self.min_confidence = min_confidence
        self.fuzzy = fuzzy
        self._index: PlaceIndex | None = None
        self._desc = False
        self._owner: list = []

    @property
    def index(self) -> PlaceIndex:
        if self._index is None:
            self._index = place_index(self.gazetteer_dir)
        return self._index

    # ------------------------------------------------------------------ recognition
    def _gazetteer_matches(self, doc: Doc, ents: list) -> list[Mention]:
        index = self.index
        out: list[Mention] = []
        n = len(doc)
        # A short place description ("deir ez zor airport", a CSV location cell) is all names:
        # case says nothing there.
        short = self._desc
        doc_text = doccache.text(doc)  # Doc.text joins every token: build it once, not per look-up
        i = 0
        maxw = index.max_words
        first_words = self._first_words(index)
        toks = list(doc)  # one pass: ``doc[i]`` builds a new Token object on every call
        while i < n:
            tok = toks[i]
            if (not (short and tok.is_alpha) and not _startable(tok)) or _breaks(tok) or (
                tok.lower_ in _COMMON_CAPS and not (short and tok.lower_ in _ARTICLES)
            ):
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
            while j_lim < n and j_lim - i < maxw and not _breaks(toks[j_lim]):
                j_lim += 1
            for j in range(j_lim, i, -1):
                last = toks[j - 1]
                if last.text in _JOINERS or last.lower_ in _ARTICLES:
                    continue
                first = tok
                if j - i == 1 and (not rules.is_capitalised(first) or first.lower_ in _COMMON_CAPS):
                    continue
                if first.lower_ == "the" and j - i == 1:
                    continue
                text = doc_text[first.idx: last.idx + len(last.text)]
                key = fold(text)
                if not key:
                    continue
                cands = [
                    (p, q) for p, q in index.candidates(text, key)
                    if q > FOLDED_MATCH or str(index.entry(p).get("country_code", "")).upper() in FOCUS
                ]  # "Skype" meets "Skopie" only through folding: far places need the spelling
                if not cands:
                    continue
                verbatim = any(q == 1.0 for _, q in cands)
                if not verbatim and (_inside_word(doc, i, j)):
                    continue  # "Deir-e" in "Deir-e-Zour": a piece of a longer hyphenated name
                if not verbatim and not short and not self._fold_ok(doc, i, ents):
                    continue
                if not short:
                    if not verbatim and not (rules.is_capitalised(first) or (
                            _next_is_hyphen(first) and first.lower_ in _ARTICLES and rules.is_capitalised(last))):
                        continue  # "northern Syria" only as an alias; else "northern" qualifies
                    if j - i > 1 and not _name_shaped(doc[i:j], verbatim):
                        continue
                    if j - i == 1 and not self._single_ok(first, ents, cands, verbatim):
                        continue
                elif j - i == 1 and (len(first.text) < 3 or first.is_stop):
                    continue
                elif not verbatim and not (rules.is_capitalised(first) or (
                        first.lower_ in _ARTICLES and j - i > 1 and rules.is_capitalised(last))):
                    continue  # lower-case words meet village names through folding ("sermon")
                if key in _GENERIC_KEYS and not (j - i > 1 and first.lower_ in _ARTICLES and (verbatim or short)):
                    continue  # but "al-Tel", "At Tall" are whole names  # "Deir" alone is the start of a name we could not read
                found = Mention(i, j, key, cands, loose=not verbatim)
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

    def _homonym_suspect(self, doc: Doc, m: Mention, ents: list) -> bool:
        """Whether a one-word name is weak evidence of a place in the region by itself.

        The gazetteer is dense in Syria and its neighbours and carries GeoNames alternate names
        in many languages ("Man" for Amman, "Berea" for Aleppo, "Epiphaneia" for Hama), so a
        lone word met only through such a name often names something else. Suspect: one word
        whose every reading lies in the region, with no place noun or area word next to it,
        that is no entry's own name, and that is not one of the English spellings curated for
        reporting ("Idleb", "Deraa") unless the NER calls it a person or an organisation
        ("the State Duma"). An entry's own name ("Azaz", "Rastan") is never suspect: the small
        model calls Syrian towns ORG or PERSON too often for its label to count against them.
        """
        if m.kind != "toponym" or m.end - m.start != 1 or not m.candidates:
            return False
        entries = [self.index.entry(p) for p, _ in m.candidates]
        if any(str(e.get("country_code", "")).upper() not in FOCUS for e in entries):
            return False
        own = light(doc[m.start].text)
        # A village's own name is no anchor: with every village in the gazetteer, "Duma" (the
        # Russian parliament) is also a hamlet's name.
        if any(light(str(e.get("name", ""))) == own and not small_place(e) for e in entries):
            return False
        nxt = doc[m.end] if m.end < len(doc) else None
        if nxt is not None and (nxt.lower_ in rules.AREA_AFTER or nxt.lower_ in _PLACE_NOUNS):
            return False
        if m.start >= 2 and doc[m.start - 1].lower_ == "of" and doc[m.start - 2].lower_ in (
                _PLACE_NOUNS | _PLURAL_PLACE_NOUNS | rules.AREA_BEFORE_OF):
            return False
        if _in_place_list(doc, m.start):
            return False
        ent = ents[m.start]
        label = ent.label_ if ent is not None else ""
        return own not in self._reporting_spellings() or label in ("ORG", "PERSON")

    def _reporting_spellings(self) -> frozenset:
        """Light forms of the names in the gazetteer folder's ``curated.csv`` (empty without one)."""
        folder = Path(self.gazetteer_dir) if self.gazetteer_dir else Path(settings.gazetteer_dir)
        return _curated_spellings(str(folder / "curated.csv"))

    def _drop_unanchored_homonyms(self, doc: Doc, found: list[Mention], ents: list) -> list[Mention]:
        """Drop suspect one-word names (``_homonym_suspect``) in a text with nothing else in the region.

        Any other name in the region read verbatim (a demonym, "Syria", "Idlib province", a
        town the NER calls a place) anchors the text there, and then suspects are kept: in a
        report on Syria "Duma" is the town. Without an anchor ("Man booked for assault", "the
        State Duma", "a Berea man") they are not read as places at all.
        """
        suspects = [self._homonym_suspect(doc, m, ents) for m in found]
        if not any(suspects):
            return found
        anchors = set()
        for m, sus in zip(found, suspects):
            if sus or m.loose:
                continue
            for p, q in m.candidates:
                e = self.index.entry(p)
                if q == 1.0 and str(e.get("country_code", "")).upper() in FOCUS:
                    anchors.add(m.key)
                    break
        # Two suspects that read as places near each other ("Lattakia and Idleb", "Duma and
        # Harasta") vouch for each other: two accidental homonyms rarely land side by side.
        near = self._near_pairs([m for m, sus in zip(found, suspects) if sus])
        return [m for m, sus in zip(found, suspects) if not sus or anchors - {m.key} or m.key in near]

    def _near_pairs(self, ms: list[Mention], km: float = 150.0) -> set[str]:
        """Keys of mentions with a reading within ``km`` of a reading of another key.

        Readings are deduplicated and bucketed in 2-degree cells (more than ``km``), so a long
        text costs time linear in its distinct names, not quadratic in its mentions.
        """
        cells: dict[tuple[int, int], set] = {}
        for m in ms:
            for p, _ in m.candidates[:8]:
                e = self.index.entry(p)
                try:
                    lat, lon = float(e["lat"]), float(e["lon"])
                except (KeyError, TypeError, ValueError):
                    continue
                cells.setdefault((int(lat // 2), int(lon // 2)), set()).add((m.key, lat, lon))
        out = set()
        for (cy, cx), pts in cells.items():
            around = [q for dy in (-1, 0, 1) for dx in (-1, 0, 1) for q in cells.get((cy + dy, cx + dx), ())]
            for ka, la, oa in pts:
                if ka in out:
                    continue
                for kb, lb, ob in around:
                    if kb != ka and haversine_km(la, oa, lb, ob) <= km:
                        out.update((ka, kb))
                        break
        return out

    def _first_words(self, index: PlaceIndex) -> frozenset:
        """First words of every folded alias key (built once per index)."""
        cached = getattr(self, "_first_words_cache", None)
        if cached is None or cached[0] is not index:
            cached = (index, frozenset(k.split(" ", 1)[0] for k in index.keys))
            self._first_words_cache = cached
        return cached[1]

    def _about_syria(self, found: list[Mention]) -> bool:
        """Whether the text names Syria or a Syrian place verbatim."""
        for m in found:
            if m.loose:
                continue
            for p, q in m.candidates:
                if q == 1.0 and str(self.index.entry(p).get("country_code", "")).upper() == "SY":
                    return True
        return False

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
        if fold(doc[i].text) in _GENERIC_KEYS:
            return True
        k = i - 2 if i >= 2 and doc[i - 1].lower_ == "the" else i - 1
        if k >= 0 and doc[k].lower_ in LOCATIVE_PREPOSITIONS and doc[k].lower_ != "of":
            return True
        return i >= 2 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ in _PLACE_NOUNS

    def _single_ok(self, tok, ents: list, cands, verbatim: bool) -> bool:
        """Guards for one-word matches, where English words meet folded village names."""
        text = tok.text
        low = tok.lower_.rstrip(".")
        if low in _COMMON_CAPS:
            return False
        if len(text) < 3 or low in rules.PERSON_PREFIXES or low in _COMMON_CAPS:
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
        if tok.pos_ not in ("PROPN", "") and not (tok.pos_ in ("NOUN", "ADJ", "X") and verbatim and not tok.is_sent_start):
            return False
        return True

    def _demonym(self, tok) -> str | None:
        if not rules.is_capitalised(tok) or not self.index.demonyms:
            return None
        key = light(tok.text)  # verbatim: folding would make "Arike" an Iraqi
        pid = self.index.demonyms.get(key)
        if pid is None and key.endswith("s"):
            pid = self.index.demonyms.get(key[:-1])  # "Iraqis"
        return pid

    def _ner_mentions(self, doc: Doc, taken: list[bool], ents: list) -> list[Mention]:
        index = self.index
        out = []
        for ent in doc.ents:
            if ent.label_ not in rules.PLACE_LABELS:
                continue
            s, e = ent.start, ent.end
            while s < e and (doc[s].lower_ == "the" or doc[s].is_punct):
                s += 1
            while e > s and (doc[e - 1].is_punct or not any(ch.isalnum() for ch in doc[e - 1].text)):
                e -= 1  # "Salt +" (of "Salt + Smoke"): symbols are no part of a name
            if s >= e or any(taken[k] for k in range(s, e)):
                continue
            span = doc[s:e]
            if not any(t.is_alpha for t in span) or not rules.is_capitalised(span[0]):
                continue
            if e - s == 1 and (span[0].lower_ in rules.TITLE_WORDS or span[0].lower_ in rules.PERSON_PREFIXES):
                continue  # "Dr, Cecilia Ojabo": a title the small model took for a place
            key = fold(span.text)
            cands = index.candidates(span.text, key) if key else []
            acronym = span.text.replace(".", "").isupper() and len(span.text) <= 5
            cands = [
                (p, q) for p, q in cands
                if q > FOLDED_MATCH or (not acronym and str(index.entry(p).get("country_code", "")).upper() in FOCUS)
            ]
            if not cands:
                cands = [(p, 1.0) for p in index.exact.get(light(span.text), ())]  # "US", "UAE"
            loose = not any(q == 1.0 for _, q in cands)
            if not cands and self.fuzzy and len(key.replace(" ", "")) >= 4:
                cands = index.spelling_candidates(span.text) or [(p, sc) for p, sc in index.fuzzy(span.text) if sc >= 0.72] \
                    or index.fuzzy_syria(span.text)
            out.append(Mention(s, e, key, cands, ner_place=True, loose=loose))
        return out

    def _short_text_mentions(self, doc: Doc, taken: list[bool]) -> list[Mention]:
        """Fuzzy look-up of capitalised runs in a short place description ("Dar Kabeera")."""
        out = []
        i, n = 0, len(doc)
        while i < n:
            if taken[i] or not doc[i].is_alpha or doc[i].is_stop or doc[i].lower_ in _COMMON_CAPS \
                    or doc[i].lower_ in rules.AREA_AFTER or doc[i].lower_ in rules.DIRECTIONS:
                i += 1
                continue
            j = i
            while j < n and not taken[j] and not _breaks(doc[j]) and (
                (doc[j].is_alpha and not doc[j].is_stop and doc[j].lower_ not in rules.AREA_AFTER)
                or doc[j].text in _JOINERS or doc[j].lower_ in _ARTICLES
            ):
                j += 1
            while j > i + 1 and (doc[j - 1].text in _JOINERS or doc[j - 1].lower_ in _ARTICLES):
                j -= 1
            span = doc[i:j]
            cands = self.index.spelling_candidates(span.text) \
                or [(p, sc) for p, sc in self.index.fuzzy(span.text) if sc >= 0.7] or self.index.fuzzy_syria(span.text)
            if not cands and j - i > 1:
                # Try each word alone: "Deir Maker" may be known as "Dayr Makir" only.
                for k in range(i, j):
                    sub = [(p, sc * 0.95) for p, sc in self.index.fuzzy(doc[k].text) if sc >= 0.75] \
                        or [(p, sc * 0.95) for p, sc in self.index.fuzzy_syria(doc[k].text)]
                    if sub and len(doc[k].text) >= 4 and fold(doc[k].text) not in _GENERIC_KEYS:
                        out.append(Mention(k, k + 1, fold(doc[k].text), sub))
            elif cands:
                out.append(Mention(i, j, fold(span.text), cands))
            i = max(j, i + 1)
        return out

    def _place_shaped_mentions(self, doc: Doc, taken: list[bool], ents: list) -> list[Mention]:
        """Fuzzy look-up of unknown capitalised names that are shaped like places.

        "Deir Izzor", "Kafar Mose" (a generic first word: Deir, Kafr, Tal...) or a name right
        after "village of" / "town of" or before "village" / "neighbourhood": the shape makes
        a near-miss spelling safe to accept, where any capitalised word would not be.
        """
        out = []
        n = len(doc)
        toks = list(doc)
        i = 0
        while i < n:
            tok = toks[i]
            if taken[i] or not (tok.is_alpha and rules.is_capitalised(tok)) or tok.lower_ in _COMMON_CAPS:
                i += 1
                continue
            j = i
            while j < n and not taken[j] and not _breaks(toks[j]) and j - i < 4 and (
                (toks[j].is_alpha and rules.is_capitalised(toks[j])) or toks[j].text in _JOINERS
                or toks[j].lower_ in _ARTICLES
            ):
                j += 1
            while j > i + 1 and (toks[j - 1].text in _JOINERS or toks[j - 1].lower_ in _ARTICLES):
                j -= 1
            before = doc[i - 2:i] if i >= 2 else doc[0:0]
            after = toks[j] if j < n else None
            generic = fold(tok.text) in _GENERIC_KEYS and j - i > 1
            cue = (len(before) == 2 and before[1].lower_ == "of" and before[0].lower_ in _PLACE_NOUNS) or (
                after is not None and after.lower_ in _PLACE_NOUNS
            ) or _in_place_list(doc, i)
            label = ents[i].label_ if ents[i] is not None else ""
            ent = ents[i]
            near = doc[max(ent.start, i - rules.SCAN_WINDOW):min(ent.end, j + rules.SCAN_WINDOW)] if ent is not None else ()
            if label == "ORG" and cue and not any(t.lower_ in rules.ORG_HEADS for t in near):
                label = ""  # "the villages of Foua and Kefraya": the small model's ORG is a guess
            if (generic and label not in ("PERSON", "ORG")) or (cue and label not in ("PERSON", "ORG", "NORP")):
                span = doc[i:j]
                cands = self.index.spelling_candidates(span.text) \
                    or [(p, sc) for p, sc in self.index.fuzzy(span.text) if sc >= 0.72] \
                    or self.index.fuzzy_syria(span.text)
                if cands or (cue and label != "NORP"):
                    # A name the place noun announces stays a mention even when the gazetteer
                    # does not hold it ("the Stade neighbourhood"): unresolved, not dropped.
                    out.append(Mention(i, j, fold(span.text), cands, loose=True))
            i = max(j, i + 1)
        return out

    def _spelling(self, doc: Doc, m: Mention, keep_empty: bool = False) -> bool:
        """Weigh near-miss readings by how close the spelling is, vowels kept.

        A reading met only through folding or fuzzy matching whose spelling is far from every
        name of the entry ("Bweida" ~ "Badia", "jubaylah" ~ "Jableh") is dropped: the name is
        most likely a place the gazetteer does not hold, and unresolved beats wrong.
        """
        if m.kind == "demonym" or not m.candidates or all(q >= 1.0 for _, q in m.candidates):
            return True
        m.candidates, m.spell = check_spelling(self.index, doc[m.start:m.end].text, m.candidates)
        # Found only because folding met a name: with no reading left it was no name at all
        # ("Shiite" ~ "Shathah"); the NER's own places stay as unresolved mentions.
        return bool(m.candidates) or m.ner_place or keep_empty

    def _keep(self, doc: Doc, m: Mention, ents: list) -> bool:
        span = doc[m.start:m.end]
        if rules.org_context(span, ents):
            return False
        # In a short place description ("Reef Hama", "city of al-Tel") the NER's PERSON
        # labels are noise; in running text they are evidence.
        # "the towns of Saraqeb, Binnish and Taftanaz": the place noun outweighs the small
        # model's PERSON guess.
        nxt = doc[m.end] if m.end < len(doc) else None
        listed = _in_place_list(doc, m.start) or (
            m.start >= 2 and doc[m.start - 1].lower_ == "of"
            and doc[m.start - 2].lower_ in (_PLACE_NOUNS | _PLURAL_PLACE_NOUNS)) or (
            # "the Jenin camp", "the Salma village": a lower-case place noun after the name
            nxt is not None and nxt.is_lower and nxt.lower_ in _PLACE_NOUNS and m.kind != "demonym")
        if not self._desc and not listed and rules.person_context(span, ents):
            return False
        if m.key in _NOT_PLACES_FOLDED:
            return False
        ent = ents[m.start]
        label = ent.label_ if ent is not None else ""
        if m.kind != "demonym" and m.end - m.start == 1 and label not in rules.PLACE_LABELS:
            # A word used in this document as part of a person's name ("Ban Ki-moon" ... "Ban
            # said") or followed by a speech verb is a person here.
            if m.key in self._person_words and not self._big(m):
                return False
            if m.end < len(doc) and doc[m.end].lower_ in _SPEECH and label != "NORP":
                return False
            nxt = doc[m.end] if m.end < len(doc) else None
            if (nxt is not None and nxt.is_alpha and rules.is_capitalised(nxt) and not m.kind == "qualified"
                    and nxt.lower_ not in rules.AREA_AFTER and not self._big(m) and not nxt.is_sent_start
                    and not self._desc):
                return False  # "Leon Panetta", "Jordan Peterson": part of a longer name
        if m.kind != "demonym" and label == "PERSON" and not listed and ent.start == m.start and ent.end == m.end \
                and not self._desc and not self._big(m) and fold(doc[m.start].text) not in _GENERIC_KEYS:
            # The NER calls this exact name a person: believe it for small places, except for
            # names built like places ("Kafr Halab", "Deir Hafer").
            if m.end - m.start == 1 or doc[m.start].lower_ in rules.PERSON_PREFIXES:
                return False
        return True

    def _multi_country_region(self, pid: str) -> bool:
        """A region spanning several countries ("the Middle East", "the Levant").

        Such a name is kept as a mention but left unresolved: any single point for it would be
        a mark hundreds or thousands of km from whatever the sentence reports (the gazetteer's
        "Middle East" point lies in the Arabian desert), and a map reader cannot tell that mark
        from a located event. Continents ("Europe") are left unresolved for the same reason.
        """
        e = self.index.entry(pid)
        return e.get("level") == "region" and not str(e.get("country_code") or "").strip()

    def _big(self, m: Mention) -> bool:
        """A country, governorate, region or a city of 100,000+ in the region of focus."""
        return self._big_cands(m.candidates)

    def _big_cands(self, cands) -> bool:
        for p, _ in cands:
            e = self.index.entry(p)
            if e.get("level") in ("country", "governorate", "region"):
                return True
            try:
                if float(e.get("population") or 0) >= 100_000 and str(e.get("country_code")).upper() in FOCUS:
                    return True
            except (TypeError, ValueError):
                pass
        return False

    # ------------------------------------------------------------------ context
    def _qualify(self, doc: Doc, m: Mention) -> None:
        index = self.index
        # "Aleppo province", "Idlib countryside", "Damascus Suburbs".
        if m.end < len(doc) and m.kind != "demonym":
            nxt = doc[m.end]
            area = rules.AREA_AFTER.get(nxt.lower_)
            if area in rules.ADMIN_AREAS or area in rules.RURAL_AREAS:
                gov = self._governorate_for(m, rural=area in rules.RURAL_AREAS and (area == "countryside" or nxt.text[0].isupper()))
                if gov:
                    m.candidates = [(gov, 1.0)] + [(p, s) for p, s in m.candidates if p != gov]
                    m.prefer_level = "governorate"
                    m.end += 1
                    m.kind = "qualified"
                    if area in rules.RURAL_AREAS:
                        m.qualifier = area
            elif m.kind == "demonym" or area == "border":
                pass
        if m.kind == "demonym" and m.end < len(doc) and doc[m.end].lower_ in {"border", "frontier"}:
            m.qualifier = "border"
        if m.kind == "demonym":
            return
        # "southern suburbs of Damascus", "the outskirts of Homs".
        s = m.start
        if s >= 2 and self._owner and self._owner[s - 2] is not None and self._owner[s - 2] is not m:
            return  # "the Salaheddine district of Aleppo": the area word is the other name's
        if s >= 2 and doc[s - 1].lower_ == "of" and (doc[s - 2].lower_ in rules.AREA_BEFORE_OF or (
                doc[s - 2].lower_ in rules.PARTS_BEFORE_OF and self._big(m))):
            # "the opposition-held neighbourhoods of Aleppo": parts of the city, which contains them
            words = [doc[s - 2].lower_]
            k = s - 2
            if k >= 1 and doc[k - 1].lower_ in rules.DIRECTIONS:
                words.insert(0, doc[k - 1].lower_)
                k -= 1
            if words[-1] in {"city", "town", "village"}:
                return  # "the coastal town of Latakia": the town itself
            if words[-1] in {"province", "governorate"}:
                gov = self._governorate_for(m, rural=False)
                if gov:
                    m.candidates = [(gov, 1.0)] + [(p, q) for p, q in m.candidates if p != gov]
                    m.prefer_level = "governorate"
            elif words[-1] in {"countryside"}:
                gov = self._governorate_for(m, rural=True)
                if gov:
                    m.candidates = [(gov, 1.0)] + [(p, q) for p, q in m.candidates if p != gov]
                    m.prefer_level = "governorate"
                m.qualifier = " ".join(words)
            else:
                m.qualifier = " ".join(words)
            m.start = k
            m.kind = "qualified"
            return
        # "eastern Aleppo", "rural Damascus", "Reef Hama".
        if s >= 1 and doc[s - 1].lower_ in {"reef", "rif", "rural"}:
            gov = self._governorate_for(m, rural=True)
            if gov:
                m.candidates = [(gov, 1.0)] + [(p, q) for p, q in m.candidates if p != gov]
                m.prefer_level = "governorate"
                m.start = s - 1
                m.kind = "qualified"
                m.qualifier = "countryside"
                return
        if s >= 1 and doc[s - 1].lower_ in rules.DIRECTIONS:
            m.qualifier = doc[s - 1].lower_
            m.start = s - 1
            m.kind = "qualified"
            if m.qualifier == "rural":
                gov = self._governorate_for(m, rural=True)
                if gov:
                    m.candidates = [(gov, 1.0)] + [(p, q) for p, q in m.candidates if p != gov]
                    m.prefer_level = "governorate"

    def _governorate_for(self, m: Mention, rural: bool) -> str | None:
        """The governorate a name stands for in "X province" / "X countryside"."""
        index = self.index
        if rural and m.key in (fold("Damascus"), fold("Dimashq"), fold("Damascus city")):
            for k in ("rif dimashq", "rural damascus", "damascus countryside"):
                gid = index.governorates.get(fold(k))
                if gid:
                    return gid
        gid = index.governorates.get(m.key)
        if gid:
            return gid
        for pid, _ in m.candidates:
            e = index.entry(pid)
            if e.get("level") == "governorate":
                return pid
        for pid, _ in m.candidates:
            e = index.entry(pid)
            if e.get("country_code") == "SY" and e.get("admin1"):
                gid = index.governorates.get(fold(str(e["admin1"])))
                if gid:
                    return gid
        return None

    def _governorate_lists(self, doc: Doc, ms: list[Mention]) -> None:
        """Read the names of a list of governorates as governorates, not their capitals.

        "the provinces of Aleppo, Hama and Idlib", or a list of three or more names joined by
        commas and "and" in which one name can only be a governorate ("Homs, Idlib, Hama and
        Reef Dimashq"): every member that names a governorate is that governorate.
        """
        k = 0
        while k < len(ms):
            j = k
            while j + 1 < len(ms) and ms[j + 1].kind != "demonym" and all(
                t.lower_ in {",", "and", "&"} for t in doc[ms[j].end:ms[j + 1].start]
            ) and ms[j + 1].start > ms[j].end:
                j += 1
            run = ms[k:j + 1]
            s = run[0].start
            plural = s >= 2 and doc[s - 1].lower_ == "of" and doc[s - 2].lower_ in {"provinces", "governorates"}
            govs = [self._governorate_for(m, rural=False) if m.kind != "demonym" else None for m in run]
            only_gov = any(
                m.candidates and all(self.index.entry(p).get("level") == "governorate" for p, _ in m.candidates)
                for m in run
            )
            if plural or (len(run) >= 3 and only_gov and sum(g is not None for g in govs) >= 3):
                for m, g in zip(run, govs):
                    if g and m.prefer_level is None and m.kind != "demonym" \
                            and (any(p == g for p, _ in m.candidates) or self.index.governorates.get(m.key) == g):
                        m.candidates = [(g, 1.0)] + [(p, q) for p, q in m.candidates if p != g]
                        m.prefer_level = "governorate"
            k = j + 1

    def _level_span(self, m: Mention) -> tuple[int, int]:
        """Smallest and largest level of the best-matching readings (verbatim ones when any):
        "Syria" the country, not a village the spelling only meets through folding."""
        top = max((q for _, q in m.candidates), default=0.0)
        ranks = [_LEVEL_RANK.get(str(self.index.entry(p).get("level")), 1) for p, q in m.candidates if q >= top] or [1]
        return min(ranks), max(ranks)

    def _containers(self, doc: Doc, ms: list[Mention]) -> None:
        for k in range(len(ms) - 1):
            a, b = ms[k], ms[k + 1]
            gap = doc[a.end:b.start]
            if len(gap) > 3 or not b.candidates:
                continue
            if a.candidates and self._level_span(a)[0] > self._level_span(b)[1]:
                continue  # "in Syria, in Aleppo": a town does not contain a country
            words = {t.lower_ for t in gap}
            nouns = words & _PLACE_NOUNS
            if words and words - nouns <= rules.CONTAINER_LINKS and words & {",", "in", "province", "("}:
                a.container = k + 1  # "X, Idlib", "X in Hama province", "X town in Idlib countryside"
            elif words == {"of"} and doc[a.end - 1].lower_ in rules.AREA_AFTER:
                a.container = k + 1  # "Salaheddine district of Aleppo"
            elif len(gap) == 2 and nouns and gap[-1].lower_ == "of" and a.candidates \
                    and self._level_span(a)[1] > self._level_span(b)[0]:
                b.container = k  # "the Hama village of X": the name before the noun holds X
            elif len(gap) == 1 and gap[0].text == ":" and a.candidates:
                b.container = k  # "Aleppo: Sheikh Ali village"
        # "the villages of A, B and C in Hama countryside": the list shares its container.
        for k in range(len(ms) - 2, -1, -1):
            a, b = ms[k], ms[k + 1]
            if a.container is None and b.container is not None and b.container != k and a.kind != "demonym" \
                    and b.start > a.end and all(t.lower_ in {",", "and"} for t in doc[a.end:b.start]):
                a.container = b.container

    # ------------------------------------------------------------------ main
    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            doc._.places = []
            return doc
        # Re-check the gazetteer files once per document (a few stat calls): an import or
        # edit during a long session is picked up.
        self._index = place_index(self.gazetteer_dir)
        ents = _ents_by_token(doc)
        self._desc = _is_description(doc)
        self._person_words = {
            fold(t.text)
            for ent in doc.ents
            if ent.label_ == "PERSON" and len(ent) > 1 and fold(ent[0].text) not in _GENERIC_KEYS
            for t in ent
            if t.is_alpha and t.lower_ not in rules.PERSON_PREFIXES
        } - {""}
        found = [m for m in self._gazetteer_matches(doc, ents) if self._keep(doc, m, ents) and self._spelling(doc, m)]
        taken = [False] * len(doc)
        for m in found:
            for k in range(m.start, m.end):
                taken[k] = True
        for m in self._ner_mentions(doc, taken, ents):
            if self._keep(doc, m, ents) and self._spelling(doc, m):
                found.append(m)
                for k in range(m.start, m.end):
                    taken[k] = True
        if self.fuzzy:
            extra = (self._short_text_mentions(doc, taken) if self._desc
                     else self._place_shaped_mentions(doc, taken, ents))
            for m in extra:
                if self._keep(doc, m, ents) and self._spelling(doc, m, keep_empty=True):
                    found.append(m)
                    for k in range(m.start, m.end):
                        taken[k] = True
        if not self._desc:
            found = self._drop_unanchored_homonyms(doc, found, ents)
        if not self._desc and not self._about_syria(found):
            # Near-miss spellings are read as Syrian places only in a text about Syria; in
            # other news they are English words and foreign names ("Cairo" ~ "Qarah").
            kept = []
            for m in found:
                if m.loose:
                    if not m.ner_place:
                        continue
                    m.candidates = []
                kept.append(m)
            found = kept
        found.sort(key=lambda m: m.start)
        self._owner = [None] * len(doc)
        for m in found:
            for k in range(m.start, m.end):
                self._owner[k] = m
        for m in found:
            self._qualify(doc, m)
        self._owner = []
        # Qualifiers may have widened spans into a neighbour: keep spans non-overlapping.
        merged: list[Mention] = []
        for m in found:
            if merged and m.start < merged[-1].end:
                if (m.end - m.start) > (merged[-1].end - merged[-1].start):
                    merged[-1] = m
                continue
            merged.append(m)
        self._governorate_lists(doc, merged)
        self._containers(doc, merged)
        if not self._desc:
            merged = drop_weak_names(doc, merged, self.index)
        apply_document_context(doc, merged, self.index)
        rank_mentions(merged, self.index)
        list_outliers(doc, merged, self.index)
        threshold = settings.min_place_confidence if self.min_confidence is None else self.min_confidence
        spans = []
        for m in merged:
            span = Span(doc, m.start, m.end, label="LOC")
            ok = m.chosen is not None and m.confidence >= threshold
            if ok and self._multi_country_region(m.chosen):
                ok = False
            span._.place_id = m.chosen if ok else None
            span._.place = dict(self.index.entry(m.chosen)) if ok else None
            span._.place_confidence = float(m.confidence) if ok else 0.0
            span._.place_qualifier = m.qualifier
            span._.place_kind = m.kind
            spans.append(span)
        doc._.places = spans
        return doc


@lru_cache(maxsize=4)
def _curated_spellings(path: str) -> frozenset:
    """Names and aliases of ``curated.csv`` (the spellings English reporting uses), light-folded."""
    out = set()
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(line for line in fh if not line.startswith("#")):
                for name in [row.get("name") or ""] + (row.get("aliases") or "").split("|"):
                    if name and not name.startswith("-"):
                        out.add(light(name))
    except OSError:
        pass
    return frozenset(out - {""})


#: Levels from small to large: a container is never smaller than what it contains.
_LEVEL_RANK = {"neighbourhood": 0, "town": 1, "district": 2, "governorate": 3, "region": 4, "country": 5}

_NOT_PLACES_FOLDED = frozenset(fold(w) for w in rules.NOT_PLACES) - {""}


@Language.factory(
    "geomap_places",
    default_config={"gazetteer_dir": None, "min_confidence": None, "fuzzy": True},
)
def make_places(nlp: Language, name: str, gazetteer_dir: str | None, min_confidence: float | None,
                fuzzy: bool) -> PlacesComponent:
    """Factory for ``nlp.add_pipe("geomap_places")``."""
    return PlacesComponent(nlp, gazetteer_dir=gazetteer_dir, min_confidence=min_confidence, fuzzy=fuzzy)


def find_places(doc: Doc) -> list[Span]:
    """Run the places component on a parsed ``Doc`` outside a pipeline and return its places."""
    return PlacesComponent()(doc)._.places
