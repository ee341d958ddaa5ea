"""The ``geomap_places`` spaCy component: find every place mention and resolve it.

Recognition merges three sources, left to right, longest first:

1. the gazetteer (``place_match``): every run of tokens that starts like a name (capitalised,
   an Arabic article such as "al-", a direction word such as "northern") is folded with
   ``geomap.text.fold`` and looked up among the gazetteer's folded aliases (one dict look-up;
   the index is built once per process, see ``geomap.gazetteer.place_index``);
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

from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc, Span

from geomap import settings
from geomap.gazetteer import place_index
from geomap.gazetteer.foreign_texts import countries_named_by_actors
from geomap.gazetteer.index import FOCUS, PlaceIndex, fold
from geomap.gazetteer.ranking import Mention, check_spelling, rank_mentions
from geomap.nlp import (
    extensions,  # noqa: F401  (declares the Span._ attributes)
    place_nouns,
)
from geomap.nlp import place_rules as rules
from geomap.nlp.place_context import apply_document_context, list_outliers
from geomap.nlp.place_evidence import LOCATIVE_PREPOSITIONS, PLACE_OBJECT_VERBS, drop_weak_names, small_place
from geomap.nlp.place_homonyms import HomonymRules
from geomap.nlp.place_lists import after_name, in_commaless_run, name_chains, share_list_containers
from geomap.nlp.place_match import ARTICLES, COMMON_CAPS, GENERIC_KEYS, JOINERS, GazetteerMatching, spelled_word
from geomap.nlp.place_pieces import glued_names
from geomap.nlp.place_qualify import _LEVEL_RANK, QualifyRules  # noqa: F401  (_LEVEL_RANK: old import path)
from geomap.nlp.place_segments import add_list_members, trim_to_names_used
from geomap.nlp.place_sources import NameSources
from geomap.nlp.place_spelling import airports, article_tails, whole_names
from geomap.schema import read_table

__all__ = ["PlacesComponent", "make_places", "find_places"]

#: Documents up to this many tokens are read as place descriptions (see ``_gazetteer_matches``).
_SHORT_DOC = 16
#: Up to this many tokens, a text without a finite verb is a place description (a location
#: cell listing "villages and towns of A, B, C and D") rather than a sentence.
_DESCRIPTION_MAX = 30
_ARTICLES = ARTICLES
_JOINERS = JOINERS
_COMMON_CAPS = COMMON_CAPS
_GENERIC_KEYS = GENERIC_KEYS
_spelled_word = spelled_word  # old import path (tests/test_place_spelling.py)


#: Nouns that announce a place name: "the village of X", "X neighbourhood".
_PLACE_NOUNS = rules.PLACE_NOUNS


def _is_description(doc: Doc) -> bool:
    """Whether a text is a short place description ("Damascus Suburbs Deir Maker").

    Short texts with a finite verb are sentences ("Government forces shelled X"): their
    lower-case words are English, not transliterations.
    """
    if len(doc) > _DESCRIPTION_MAX:
        return False
    # "killed" tagged as a participle but with a direct object ("The X missile strike killed 80
    # people") tells an event all the same; "villages held by rebels" describes places
    return not any((t.tag_ in _FINITE_TAGS or _verb_with_object(t)) and t.is_alpha and t.is_lower for t in doc)


def _verb_with_object(tok) -> bool:
    """A participle with a direct object on its own line ("killed 80 people"); a parse that hangs
    the next paragraph's name on it ("spent yesterday" / "Qalat Al-Hosn") tells nothing."""
    doc = tok.doc
    return tok.tag_ in ("VBN", "VBG") and any(
        c.dep_ in ("dobj", "obj") and "\n" not in doc[min(tok.i, c.i) : max(tok.i, c.i)].text for c in tok.children
    )


_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _ents_by_token(doc: Doc) -> list:
    out: list[Span | None] = [None] * len(doc)
    for ent in doc.ents:
        for i in range(ent.start, ent.end):
            out[i] = ent
    return out


# Token shapes shared with the rule modules (``place_rules``).
_ENGLISH_ARTICLES = rules.ENGLISH_ARTICLES
_SPEECH = rules.SPEECH_VERBS
_next_is_hyphen = rules.next_is_hyphen
_inside_word = rules.inside_word
_PLURAL_PLACE_NOUNS = rules.PLURAL_PLACE_NOUNS
_in_place_list = rules.in_place_list
_startable = rules.startable
_breaks = rules.breaks
_GEO_LOWER = rules.GEO_LOWER
_name_shaped = rules.name_shaped


class PlacesComponent(NameSources, GazetteerMatching, QualifyRules, HomonymRules):
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

    def __init__(
        self,
        nlp: Language | None = None,
        gazetteer_dir: str | None = None,
        min_confidence: float | None = None,
        fuzzy: bool = True,
    ):
        self.gazetteer_dir = gazetteer_dir
        self.min_confidence = min_confidence
        self.fuzzy = fuzzy
        self._index: PlaceIndex | None = None
        self._desc = False
        self._owner: list = []
        self._chained: set[int] = set()
        self._ents: list = []

    @property
    def index(self) -> PlaceIndex:
        if self._index is None:
            self._index = place_index(self.gazetteer_dir)
        return self._index

    def _spelling(self, doc: Doc, m: Mention, keep_empty: bool = False) -> bool:
        """Weigh near-miss readings by how close the spelling is, vowels kept.

        A reading met only through folding or fuzzy matching whose spelling is far from every
        name of the entry ("Bweida" ~ "Badia", "jubaylah" ~ "Jableh") is dropped: the name is
        most likely a place the gazetteer does not hold, and unresolved beats wrong.
        """
        if m.kind == "demonym" or not m.candidates or all(q >= 1.0 for _, q in m.candidates):
            return True
        m.candidates, m.spell = check_spelling(self.index, doc[m.start : m.end].text, m.candidates)
        # Found only because folding met a name: with no reading left it was no name at all
        # ("Shiite" ~ "Shathah"); the NER's own places stay as unresolved mentions.
        return bool(m.candidates) or m.ner_place or keep_empty

    def _keep(self, doc: Doc, m: Mention, ents: list) -> bool:
        span = doc[m.start : m.end]
        if rules.org_context(span, ents):
            return False
        if rules.weapon_name(span) and not any(q >= 1.0 for _, q in m.candidates):
            return False  # "fired Katyusha rockets": a weapon, whatever village it folds to
        if len(span) > 1 and span[-1].lower_ in rules.STREET_WORDS and not any(q >= 1.0 for _, q in m.candidates):
            return False  # "Tully Road" is a street, whatever village its spelling folds to
        # In a short place description ("Reef Hama", "city of al-Tel") the NER's PERSON
        # labels are noise; in running text they are evidence.
        # "the towns of Saraqeb, Binnish and Taftanaz": the place noun outweighs the small
        # model's PERSON guess.
        nxt = doc[m.end] if m.end < len(doc) else None
        announced = (
            m.start >= 2
            and doc[m.start - 1].lower_ == "of"
            and doc[m.start - 2].lower_ in (_PLACE_NOUNS | _PLURAL_PLACE_NOUNS)
        )
        listed = (
            (_in_place_list(doc, m.start) and (bool(m.candidates) or not after_name(doc, m.start)))
            or m.start in self._chained
            or announced
            or rules.described_as_place(doc, m.end)  # "Sheikh Maqsoud, a Kurdish district of Aleppo"
            or (
                # "the Jenin camp", "the Salma village": a lower-case place noun after the name
                nxt is not None and nxt.is_lower and nxt.lower_ in _PLACE_NOUNS and m.kind != "demonym"
            )
        )
        if not listed and rules.person_context(span, ents) and (not self._desc or self._only_small(m)):
            return False  # in a description, a hamlet's name inside a person's name is the person's
        if m.key in _NOT_PLACES_FOLDED:
            return False
        ent = ents[m.start]
        label = ent.label_ if ent is not None else ""
        if m.kind != "demonym" and m.end - m.start == 1 and label not in rules.PLACE_LABELS:
            # A word used in this document as part of a person's name ("Ban Ki-moon" ... "Ban
            # said") or followed by a speech verb is a person here.
            if m.key in self._person_words and not self._big(m) and not listed:
                return False
            if m.end < len(doc) and doc[m.end].lower_ in _SPEECH and label != "NORP":
                return False
            nxt = doc[m.end] if m.end < len(doc) else None
            if (
                nxt is not None
                and nxt.is_alpha
                and rules.is_capitalised(nxt)
                and not m.kind == "qualified"
                and nxt.lower_ not in rules.AREA_AFTER
                and not self._big(m)
                and not nxt.is_sent_start
                and not self._desc
                and not rules.in_place_list(doc, m.end)  # "the towns of Douma Harasta and Arbin"
                and m.end not in self._chained
                # "the village of Binnish Human Rights Watch said": a name spelled exactly after
                # a place noun ends there; the capitalised words after it start another name.
                and not (announced and any(q >= 1.0 for _, q in m.candidates))
            ):
                return False  # "Leon Panetta", "Jordan Peterson": part of a longer name
        if (
            m.kind != "demonym"
            and label == "PERSON"
            and not listed
            and ent.start == m.start
            and ent.end == m.end
            and not self._desc
            and not self._big(m)
            and fold(doc[m.start].text) not in _GENERIC_KEYS
            and not self._motion_end(doc, m)
        ):
            # The NER calls this exact name a person: believe it for small places, except for
            # names built like places ("Kafr Halab", "Deir Hafer").
            if m.end - m.start == 1 or doc[m.start].lower_ in rules.PERSON_PREFIXES:
                return False
        return True

    def _motion_end(self, doc: Doc, m: Mention) -> bool:
        """ "from Palmyra", "towards Tadmur": a Syrian town spelled exactly so, not a hamlet, after
        a preposition of motion is where a movement starts or ends, whatever the NER's label;
        after a locative one ("clashes in Nawa") where something happens. So is the direct object of a verb whose object is a place ("shelled Taftanaz", "stormed
        Harasta"; ``vocab/place_event_words.tsv``): people are killed or arrested, not shelled."""
        if m.start == 0:
            return False
        root = doc[m.start : m.end].root
        attacked = (
            root.dep_ in ("dobj", "obj")
            and root.head.pos_ == "VERB"
            and root.head.lemma_.lower() in PLACE_OBJECT_VERBS | _MOVE_OBJECT_VERBS
        )
        if not attacked and doc[m.start - 1].lower_ not in _WHERE_PREPOSITIONS:
            return False
        if m.end < len(doc) and doc[m.end].lower_ in ("'s", "’s"):
            return False  # "in Hassan's view": a person's
        return any(
            q >= 1.0
            and str(self.index.entry(p).get("country_code", "")).upper() == "SY"
            and not small_place(self.index.entry(p))
            for p, q in m.candidates
        )

    def _only_small(self, m: Mention) -> bool:
        """Every reading a small place, or met only through folding (``place_evidence``)."""
        return bool(m.candidates) and (
            max(q for _, q in m.candidates) < 1.0 or all(small_place(self.index.entry(p)) for p, _ in m.candidates)
        )

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
    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            doc._.places = []
            return doc
        # Re-check the gazetteer files once per document (a few stat calls): an import or
        # edit during a long session is picked up.
        self._index = place_index(self.gazetteer_dir)
        ents = _ents_by_token(doc)
        self._ents = ents
        self._desc = _is_description(doc)
        self._person_words = self._names_of_people(doc)
        found = self._recognise(doc, ents)
        mentions = self._in_context(doc, found)
        apply_document_context(doc, mentions, self.index)
        # "Houthi forces" fight in Yemen: a text naming them is about Yemen (foreign_texts)
        rank_mentions(mentions, self.index, abroad=countries_named_by_actors(doc.text))
        list_outliers(doc, mentions, self.index)
        doc._.places = self._spans(doc, mentions)
        return doc

    @staticmethod
    def _names_of_people(doc: Doc) -> set[str]:
        """Folded words of the document's multi-word PERSON names ("Ban" of "Ban Ki-moon")."""
        return {
            fold(t.text)
            for ent in doc.ents
            if ent.label_ == "PERSON" and len(ent) > 1 and fold(ent[0].text) not in _GENERIC_KEYS
            for t in ent
            if t.is_alpha and t.lower_ not in rules.PERSON_PREFIXES
        } - {""}

    def _recognise(self, doc: Doc, ents: list) -> list[Mention]:
        """Gazetteer matches, then the NER's places, then place-shaped unknown names."""
        matches = self._gazetteer_matches(doc, ents)
        self._chained = name_chains(doc, matches, self.index)  # "in A B and C": a list, not a name
        found = [m for m in matches if self._keep(doc, m, ents) and self._spelling(doc, m)]
        if self.fuzzy:  # "Deir Sleiman" is one name, not "Deir" + "Sleiman"
            found = whole_names(doc, found, self.index, self._desc, keep=lambda m: self._keep(doc, m, ents))
        taken = [False] * len(doc)
        for m in found:
            for k in range(m.start, m.end):
                taken[k] = True
        extra: Callable[[Doc, list[bool]], list[Mention]] | None = None
        if self.fuzzy:
            extra = self._short_text_mentions if self._desc else (lambda d, t: self._place_shaped_mentions(d, t, ents))
        for source, keep_empty in ((lambda d, t: self._ner_mentions(d, t, ents), False), (extra, True)):
            if not source:
                continue
            for m in source(doc, taken):
                if self._keep(doc, m, ents) and self._spelling(doc, m, keep_empty=keep_empty):
                    found.append(m)
                    for k in range(m.start, m.end):
                        taken[k] = True
        if self.fuzzy:
            found = self._list_pieces(doc, found, taken)
            trim_to_names_used(doc, found)  # "the village of Jelbana the Local Council said"
        found = airports(doc, found, self.index)  # "Deir Ezzor airbase" is its airport
        if not self._desc:
            found = self._drop_unanchored_homonyms(doc, found, ents)
        if not self._desc and not self._about_syria(found):
            # Near-miss spellings are read as Syrian places only in a text about Syria; in
            # other news they are English words and foreign names ("Cairo" ~ "Qarah").
            found = [m for m in found if not m.loose or m.ner_place]
            for m in found:
                if m.loose:
                    m.candidates = []
        starts = {m.start for m in found}
        found = [m for m in found if m.kind == "qualified" or not rules.colon_dateline(doc, m.start, m.end, starts)]
        return sorted(found, key=lambda m: m.start)

    def _list_pieces(self, doc: Doc, found: list[Mention], taken: list[bool]) -> list[Mention]:
        """The members of comma-less lists added; pieces of names whose bounds are a guess dropped."""
        listed = (
            add_list_members(doc, found, taken, self.index) if not self._desc and self._about_syria(found) else set()
        )
        found = article_tails(doc, found, self.index)  # "Hatta al-Jarash" is no village "Hatta"
        if not self._desc:  # "Qasr Harasta" is no town "Harasta"
            found = glued_names(doc, found, self._ents, self.index)
        # A piece of a list without commas that no reading is left for: its bounds are a
        # guess, unless the list's segmentation (``place_segments``) cut it there.
        return [m for m in found if m.candidates or m.start in listed or not in_commaless_run(doc, m)]

    def _in_context(self, doc: Doc, found: list[Mention]) -> list[Mention]:
        """Qualifiers, governorate lists, containers and place evidence; spans non-overlapping."""
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
        share_list_containers(doc, merged, self._level_span)
        return merged if self._desc else drop_weak_names(doc, merged, self.index)

    def _spans(self, doc: Doc, mentions: list[Mention]) -> list[Span]:
        """One ``LOC`` span per mention; resolved only at or above the confidence threshold."""
        threshold = settings.min_place_confidence if self.min_confidence is None else self.min_confidence
        spans = []
        for m in mentions:
            span = Span(doc, m.start, m.end, label="LOC")
            ok = m.chosen is not None and m.confidence >= threshold and not self._multi_country_region(m.chosen)
            span._.place_id = m.chosen if ok else None
            span._.place = dict(self.index.entry(m.chosen)) if ok and m.chosen is not None else None
            span._.place_confidence = float(m.confidence) if ok else 0.0
            span._.place_qualifier = m.qualifier
            span._.place_kind = m.kind
            spans.append(span)
        return spans


#: Prepositions after which a Syrian town spelled exactly is a place whatever the model says
#: ("from Palmyra", "clashes in Nawa"; not "of": "the son of Hassan").
_WHERE_PREPOSITIONS = rules.MOTION_PREPOSITIONS | (LOCATIVE_PREPOSITIONS - {"of", "at", "between", "via"})

_NOT_PLACES_FOLDED = frozenset(fold(w) for w in rules.NOT_PLACES) - {""}

#: Verbs of motion whose direct object is where a move starts or ends ("left Zabadani";
#: vocab/place_event_words.tsv, role move_object).
_MOVE_OBJECT_VERBS = frozenset(
    w
    for r in read_table(place_nouns.PATH.with_name("place_event_words.tsv"))
    if r["role"] == "move_object"
    for w in r["words"].split()
)


@Language.factory(
    "geomap_places",
    default_config={"gazetteer_dir": None, "min_confidence": None, "fuzzy": True},
)
def make_places(
    nlp: Language, name: str, gazetteer_dir: str | None, min_confidence: float | None, fuzzy: bool
) -> PlacesComponent:
    """Factory for ``nlp.add_pipe("geomap_places")``."""
    return PlacesComponent(nlp, gazetteer_dir=gazetteer_dir, min_confidence=min_confidence, fuzzy=fuzzy)


def find_places(doc: Doc) -> list[Span]:
    """Run the places component on a parsed ``Doc`` outside a pipeline and return its places."""
    return PlacesComponent()(doc)._.places
