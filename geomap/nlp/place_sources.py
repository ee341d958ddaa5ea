"""Place mentions beyond the gazetteer's exact names: the NER's places and unknown names.

The mixin ``NameSources`` gives ``PlacesComponent`` (``geomap.nlp.places``) its second and third
sources of mentions, after the gazetteer's own matches:

- the statistical NER's GPE/LOC/FAC spans (exact, then fuzzy look-up; kept as unresolved
  mentions when nothing fits);
- in a short place description, a fuzzy look-up of every capitalised run ("Dar Kabeera");
- in running text, unknown capitalised names shaped like places ("Deir Izzor", "Kafar Mose") or
  announced by a place noun ("the village of X", "X neighbourhood").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc

from geomap.gazetteer.index import FOCUS, FOLDED_MATCH, PlaceIndex, fold, light
from geomap.gazetteer.ranking import Mention, check_spelling
from geomap.nlp import place_rules as rules
from geomap.nlp.place_lists import after_name, name_start
from geomap.nlp.place_match import ARTICLES, COMMON_CAPS, GENERIC_KEYS, JOINERS, spelled_word
from geomap.nlp.place_segments import place_shaped

__all__ = ["NameSources"]

_ARTICLES = ARTICLES
_JOINERS = JOINERS
_COMMON_CAPS = COMMON_CAPS
_GENERIC_KEYS = GENERIC_KEYS
_spelled_word = spelled_word
_PLACE_NOUNS = rules.PLACE_NOUNS
_breaks = rules.breaks
_in_place_list = rules.in_place_list


class NameSources:
    """The NER's places and unknown place-shaped names, as ``Mention`` objects.

    Used as a mixin: the host gives ``index`` (a ``PlaceIndex``) and ``fuzzy`` (bool).
    """

    if TYPE_CHECKING:  # provided by PlacesComponent, the class this mixin is part of
        fuzzy: bool

        @property
        def index(self) -> PlaceIndex: ...

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
                (p, q)
                for p, q in cands
                if q > FOLDED_MATCH or (not acronym and str(index.entry(p).get("country_code", "")).upper() in FOCUS)
            ]
            if not cands:
                cands = [(p, 1.0) for p in index.exact.get(light(span.text), ())]  # "US", "UAE"
            loose = not any(q == 1.0 for _, q in cands)
            if not cands and self.fuzzy and len(key.replace(" ", "")) >= 4:
                cands = (
                    index.spelling_candidates(span.text)
                    or [(p, sc) for p, sc in index.fuzzy(span.text) if sc >= 0.72]
                    or index.fuzzy_syria(span.text)
                )
            out.append(Mention(s, e, key, cands, ner_place=True, loose=loose))
        return out

    def _short_text_mentions(self, doc: Doc, taken: list[bool]) -> list[Mention]:
        """Fuzzy look-up of capitalised runs in a short place description ("Dar Kabeera")."""
        out = []
        i, n = 0, len(doc)
        while i < n:
            if (
                taken[i]
                or not doc[i].is_alpha
                or doc[i].is_stop
                or doc[i].lower_ in _COMMON_CAPS
                or doc[i].lower_ in rules.AREA_AFTER
                or doc[i].lower_ in rules.DIRECTIONS
            ):
                i += 1
                continue
            j = i
            while (
                j < n
                and not taken[j]
                and not _breaks(doc[j])
                and (
                    (_spelled_word(doc[j]) and not doc[j].is_stop and doc[j].lower_ not in rules.AREA_AFTER)
                    or doc[j].text in _JOINERS
                    or doc[j].lower_ in _ARTICLES
                )
            ):
                j += 1
            while j > i + 1 and (doc[j - 1].text in _JOINERS or doc[j - 1].lower_ in _ARTICLES):
                j -= 1
            span = doc[i:j]
            cands = (
                self.index.spelling_candidates(span.text)
                or [(p, sc) for p, sc in self.index.fuzzy(span.text) if sc >= 0.7]
                or self.index.fuzzy_syria(span.text)
            )
            if not cands and j - i > 1:
                # Try each word alone: "Deir Maker" may be known as "Dayr Makir" only.
                for k in range(i, j):
                    sub = [(p, sc * 0.95) for p, sc in self.index.fuzzy(doc[k].text) if sc >= 0.75] or [
                        (p, sc * 0.95) for p, sc in self.index.fuzzy_syria(doc[k].text)
                    ]
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
            if (
                taken[i]
                or not (name_start(toks, i) or _spelled_word(tok) and rules.is_capitalised(tok))
                or tok.lower_ in _COMMON_CAPS
            ):
                i += 1
                continue
            j = i
            while (
                j < n
                and not taken[j]
                and not _breaks(toks[j])
                and j - i < 4
                and (
                    (_spelled_word(toks[j]) and rules.is_capitalised(toks[j]))
                    or toks[j].text in _JOINERS
                    or toks[j].lower_ in _ARTICLES
                )
            ):
                j += 1
            while j > i + 1 and (toks[j - 1].text in _JOINERS or toks[j - 1].lower_ in _ARTICLES):
                j -= 1
            if j > i and toks[j - 1].lower_ in _ARTICLES:
                i = j  # "al" of "al-Nayrab" whose name another source took: an article alone names nothing
                continue
            before = doc[i - 2 : i] if i >= 2 else doc[0:0]
            after = toks[j] if j < n else None
            shaped = place_shaped(doc, i, j)  # "Khirbet Ghazal", "Rasm Tahtani": no person's name
            generic = (shaped or fold(tok.text) in _GENERIC_KEYS) and j - i > 1
            cue = (
                (len(before) == 2 and before[1].lower_ == "of" and before[0].lower_ in _PLACE_NOUNS)
                or (after is not None and after.lower_ in _PLACE_NOUNS)
                or _in_place_list(doc, i)
            )
            label = ents[i].label_ if ents[i] is not None else ""
            ent = ents[i]
            near = (
                doc[max(ent.start, i - rules.SCAN_WINDOW) : min(ent.end, j + rules.SCAN_WINDOW)]
                if ent is not None
                else ()
            )
            person_guess = label == "PERSON" and (shaped or cue)
            if (label == "ORG" and cue or person_guess) and not any(t.lower_ in rules.ORG_HEADS for t in near):
                # "the villages of Foua and Kefraya", "al-Qutaifiyeh neighbourhood", "the village
                # of Jelbana", "Khirbet Ghazal": next to a place noun, in a list of places, or shaped
                # like a place, the model's ORG or PERSON is a guess
                label = ""
            if (generic and label not in ("PERSON", "ORG")) or (cue and label not in ("PERSON", "ORG", "NORP")):
                span = doc[i:j]
                cands = (
                    self.index.spelling_candidates(span.text)
                    or [(p, sc) for p, sc in self.index.fuzzy(span.text) if sc >= 0.72]
                    or self.index.fuzzy_syria(span.text)
                )
                # Without a separator before it ("the villages of A B and C") an unknown name's
                # bounds are a guess: it counts only when the gazetteer knows it.
                follows_name = after_name(doc, i)
                if follows_name and cands:
                    # no separator before it: only a reading spelled close to the name counts
                    cands = check_spelling(self.index, span.text, cands)[0]
                if cands or (cue and label != "NORP" and not follows_name):
                    # A name the place noun announces stays a mention even when the gazetteer
                    # does not hold it ("the Stade neighbourhood"): unresolved, not dropped.
                    out.append(Mention(i, j, fold(span.text), cands, loose=True))
            i = max(j, i + 1)
        return out
