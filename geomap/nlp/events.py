"""Incidents and movements, one clause at a time: the ``geomap_events`` component.

For every sentence (split further at line breaks, so headline lists stay apart) the component
finds event triggers among the clause predicates and their arguments - verbs such as "shelled",
"regained", "defected"; nouns only in eventive frames such as "launched an assault", "killed
during shelling", "there has been fierce shelling" - drops the hypothetical ones (modals,
"if", "plans to", "unable to", negation, questions) and gives each kept clause:

- a place: the nearest place mention inside the clause, else in the sentence outside source
  phrases ("said in Abu Dhabi"), else the antecedent of "the city"/"the capital"/"the village"
  a few sentences back; a toll with no place sits on the article's main country;
- a date: the clause's own date expression, else one of its governing clauses, else the date of
  the statement ("said Tuesday"), else (for a continuing account) the previous sentences',
  else the week up to publication with ``date_basis = "publication"``;
- counts from ``doc._.counts`` tied to the clause, actors from its subject and object, the source
  from the governing speech verb, "according to", or the quotation's speaker, and a claim status.

Records are plain dicts with the keys DEVELOPERS.md lists (plus ``date_basis`` and
``verification_note``); ``doc.text[char_start:char_end] == evidence`` always.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re

from spacy.attrs import IS_SPACE, LOWER, POS
from spacy.language import Language
from spacy.parts_of_speech import IDS as _POS_IDS
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from geomap.nlp import doccache, extensions  # noqa: F401
from geomap.nlp.attribution import claim_status, doc_verification_note, find_source, outlet_name, quote_regions, quote_speaker
from geomap.nlp.dates import resolve_date
from geomap.nlp.event_lexicon import (
    CIVILIAN_NOUNS,
    CONTROL_VERBS,
    DEFECTION_OBJECTS,
    EVENTIVE_PREPS,
    EVENTIVE_VERBS,
    HYPOTHETICAL_AUX,
    INTENT_HEADS,
    NOUN_TRIGGERS,
    SPEECH_VERBS,
    VERB_TRIGGERS,
    normalise_actor,
    verb_lemma,
)
from geomap.nlp.movements import find_movements

__all__ = ["EventAnnotator", "extract_events"]

_CLAUSE_DEPS = frozenset({"relcl", "advcl", "ccomp", "parataxis", "acl", "csubj", "conj"})
_PRIORITY = ["bombardment", "attack_on_civilians", "control_change", "clash", "defection", "protest", "strategic_development"]
_PLACE_OBJECTS = frozenset(
    """town city village neighborhood neighbourhood district area base airport checkpoint
    crossing hill suburb quarter province region airbase road highway border territory
    positions position control""".split()
)
_ANAPHORS = {"city": "town", "capital": "town", "town": "town", "village": "any", "area": "any",
             "neighborhood": "any", "neighbourhood": "any", "neighborhoods": "any", "suburbs": "any",
             "suburb": "any", "province": "any", "region": "any", "country": "country"}
_QUAL_NOUNS = frozenset({"portion", "part", "side", "suburb", "outskirts", "edge", "district",
                         "neighborhood", "neighbourhood", "countryside", "quarter", "section"})
_DIRECTIONS = frozenset({"northern", "southern", "eastern", "western", "northeastern", "northwestern",
                         "southeastern", "southwestern", "central", "north", "south", "east", "west"})
_ARMED = frozenset({"government forces", "pro-government militias", "rebels", "Islamist groups",
                    "Kurdish forces", "Israel", "Turkey", "Russia", "United States", "Iran", "US-led coalition"})
_FAMILY = {"troop_movement": "troops", "weapons_movement": "weapons", "displacement": "people",
           "refugee_return": "people", "casualties": "violence", "bombardment": "violence",
           "clash": "violence", "attack_on_civilians": "violence", "control_change": "violence"}
_NOT_PLACES = frozenset(
    """jan feb mar apr jun jul aug sep sept oct nov dec january february march april may june july
    august september october november december monday tuesday wednesday thursday friday saturday
    sunday""".split()
)
_WEAPON_TRIGGER_NOUNS = frozenset({"artillery", "mortar", "rocket", "missile", "shellfire", "shell", "barrel", "bomb"})
_EXPEL_VERBS = frozenset({"drive", "push", "force", "expel", "oust", "clear", "kick", "flush"})
_RANGE_RE = re.compile(r"\b(?:past|last)\s+(?:\w+\s+)?(?:days?|weeks?|months?)\b|\bago\b", re.I)
_VERB = _POS_IDS["VERB"]
#: Parts of speech a trigger can have (extract_events reads no other token as one).
_TRIGGER_POS = frozenset({_POS_IDS["VERB"], _POS_IDS["NOUN"], _POS_IDS["PROPN"], _POS_IDS["ADJ"]})
_ACCORDING = get_string_id("according")


def _demonym_shaped(span: Span) -> bool:
    """An adjective of nationality the place recogniser kept ("Syrian" in "the Syrian coast")."""
    if len(span) != 1:
        return False
    tok = span[0]
    return bool(re.search(r"(?:ians?|eans?|icans?|is?|ese|ish)$", tok.lower_)) and (tok.pos_ == "ADJ" or tok.ent_type_ == "NORP")


def _published(doc: Doc) -> dt.date | None:
    meta = doc._.meta if isinstance(doc._.meta, dict) else {}
    pub = meta.get("published")
    if isinstance(pub, dt.datetime):
        return pub.date()
    if isinstance(pub, dt.date):
        return pub
    if isinstance(pub, str):
        try:
            return dt.date.fromisoformat(pub[:10])
        except ValueError:
            return None
    return None


def _units(doc: Doc) -> list[Span]:
    # Sentences cut at line-break whitespace and at a sentence's trailing whitespace. Only
    # whitespace tokens can cut, so they are found from the IS_SPACE column, not by walking
    # every token; a unit's text is a slice of the cached Doc text (== Span.text).
    spaces = [i for i, v in enumerate(doccache.column(doc, IS_SPACE)) if v]
    text = doccache.text(doc)
    out = []
    for sent in doc.sents:
        start, end = sent.start, sent.end
        for i in spaces[bisect.bisect_left(spaces, start) : bisect.bisect_left(spaces, end)]:
            if i == end - 1 or "\n" in doc[i].text:
                if i > start:
                    out.append(doc[start:i])
                start = i + 1
        if start < end:
            out.append(doc[start:end])
    return [u for u in out if text[u.start_char : u.end_char].strip()]


def _trim(span: Span) -> Span:
    start, end = span.start, span.end
    doc = span.doc
    space = doccache.column(doc, IS_SPACE)
    while start < end and space[start]:
        start += 1
    while end > start and space[end - 1]:
        end -= 1
    return doc[start:end]


def _is_headline(unit: Span) -> bool:
    text = doccache.text(unit.doc)[unit.start_char : unit.end_char].strip()  # == unit.text.strip()
    return not re.search(r"[.!?\"”’')\]]$", text) or len(unit) < 4


_NOMINAL = frozenset({"pobj", "pcomp", "dobj", "nsubj", "nsubjpass", "attr", "conj", "appos"})


def _gov(tok: Token) -> Token:
    """The verb whose clause a trigger belongs to (a gerund used as a noun is not a verb)."""
    cur = tok
    if tok.dep_ in _NOMINAL and _noun_lemma(tok) in NOUN_TRIGGERS and tok.head is not tok:
        while cur.dep_ == "conj" and cur.head is not cur:
            cur = cur.head  # "shelling and clashes": one clause
        cur = cur.head
    for _ in range(6):
        if cur.pos_ in ("VERB", "AUX") and cur.dep_ != "amod":
            return cur
        if cur.head is cur:
            return cur
        cur = cur.head
    return tok


def _local(head: Token, keep: Token | None = None) -> set[int]:
    """Token ids of ``head``'s clause without nested clauses (but with ``keep``'s subtree)."""
    out = {t.i for t in head.subtree}
    for t in head.subtree:
        if t is head or t.dep_ not in _CLAUSE_DEPS or t.pos_ not in ("VERB", "AUX"):
            continue
        if keep is not None and t.left_edge.i <= keep.i <= t.right_edge.i and (t is keep or t in keep.ancestors):
            continue
        out -= {x.i for x in t.subtree}
    out.add(head.i)
    if keep is not None:
        out |= {t.i for t in keep.subtree}
    return out


def _hypothetical(tok: Token, sent: Span) -> bool:
    """True when the trigger's clause did not (yet) happen: modal, "if", infinitive, negation."""
    if sent.text.strip().rstrip("”\"’'").endswith("?"):
        return True
    chain = [tok] + [a for a in tok.ancestors if sent.start <= a.i < sent.end]
    for i, node in enumerate(chain):
        lemma = node.lemma_.lower()
        if lemma in SPEECH_VERBS and node is not tok:
            break
        for c in node.children:
            if c.dep_ == "neg" and node.pos_ in ("VERB", "AUX", "ADJ"):
                return True
            if c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_AUX:
                return True
            if c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether"):
                return True
            if c.dep_ == "aux" and c.tag_ == "TO" and node.pos_ == "VERB":
                return True  # "plotted to attack", "to retake": not (yet) done
        if node.dep_ == "conj" and any(c.dep_ == "aux" and c.tag_ == "TO" for c in node.head.children):
            return True
        if lemma in INTENT_HEADS and node is not tok:
            return True
        if node.lower_ in ("unable", "failed") or lemma == "unable":
            return True
        if i >= 4:
            break
    return False


def _verb_trigger(tok: Token, place_tokens: frozenset[int] = frozenset()) -> tuple[str, str | None] | None:
    lemma = verb_lemma(tok)
    if lemma not in _VERB_TRIGGER_LEMMAS:
        return None  # every rule below needs one of these lemmas: skip the object walk
    objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    obj_lemmas = {t.lemma_.lower() for o in objs for t in o.subtree}
    if lemma in ("leave", "quit", "abandon", "desert") and obj_lemmas & DEFECTION_OBJECTS:
        return "defection", None
    if lemma in CONTROL_VERBS and "control" in {o.lemma_.lower() for o in objs}:
        return "control_change", CONTROL_VERBS[lemma]
    if lemma in _EXPEL_VERBS and (
        any(c.dep_ == "prt" and c.lower_ == "out" for c in tok.children) or lemma in ("expel", "oust")
    ) and any(c.dep_ == "prep" and c.lower_ in ("of", "from", "out") for c in tok.subtree):
        # "rebels had been driven out of Salaheddine": the passive subject lost the place
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
        return "control_change", "lost" if passive else "gained"
    if lemma == "shoot" and any(c.dep_ == "prt" and c.lower_ == "down" for c in tok.children):
        return "clash", None  # "shot down a helicopter"
    if lemma == "blow" and any(c.dep_ == "prt" and c.lower_ == "up" for c in tok.children):
        return "bombardment", None  # "a suicide bomber blew himself up"
    if lemma == "open" and "fire" in {o.lemma_.lower() for o in objs}:
        # "opened fire on protesters": on civilians an attack, otherwise fighting
        targets = {t.lemma_.lower() for c in tok.subtree if c.dep_ == "prep" and c.lower_ in ("on", "at")
                   for t in c.subtree}
        return ("attack_on_civilians", None) if targets & CIVILIAN_NOUNS else ("clash", None)
    if lemma not in VERB_TRIGGERS:
        return None
    etype, sub = VERB_TRIGGERS[lemma]
    if lemma in ("kill", "execute", "massacre", "shoot"):
        if not (obj_lemmas & CIVILIAN_NOUNS) or any(c.dep_ == "nummod" for o in objs for c in o.children):
            return None  # tolls are read from counts; shooting soldiers is fighting
    if lemma == "attack" and obj_lemmas & CIVILIAN_NOUNS:
        return "attack_on_civilians", None
    if etype == "control_change":
        if lemma == "fall":
            if not any(c.dep_ == "prep" and c.lower_ in ("to", "into") for c in tok.children):
                return None
        elif not (obj_lemmas & _PLACE_OBJECTS) and not any(
            t.ent_type_ in ("GPE", "LOC", "FAC") or t.i in place_tokens for o in objs for t in o.subtree
        ):
            return None
    if etype == "bombardment" and lemma in ("bomb", "strike", "shell", "pound"):
        subj = {t.lemma_.lower() for c in tok.children if c.dep_ in ("nsubj", "agent") for t in c.subtree}
        if subj & {"jet", "plane", "warplane", "aircraft", "helicopter", "drone", "airstrike", "air"}:
            sub = "air strike"
        elif subj & {"missile", "rocket", "scud"}:
            sub = "missile"
        elif lemma == "strike":
            if not subj & {"artillery", "mortar", "tank", "shell", "shelling", "bomb", "explosion"}:
                # "strike" is only remote violence when something fired or dropped strikes;
                # "the terrorists struck", "struck a deal" are not
                return None
            sub = "shelling" if subj & {"artillery", "mortar", "tank", "shell", "shelling"} else None
    if lemma == "strike" and obj_lemmas & {"deal", "agreement", "note", "balance", "chord", "pose"}:
        return None
    return etype, sub


#: Every lemma _verb_trigger can return a trigger for.
_VERB_TRIGGER_LEMMAS = frozenset({"leave", "quit", "abandon", "desert", "shoot", "blow", "open"}
                                 | set(CONTROL_VERBS) | _EXPEL_VERBS | set(VERB_TRIGGERS))


def _noun_lemma(tok: Token) -> str:
    """The noun reading of a token: "shelling" stays "shelling" even when tagged as a verb."""
    if tok.pos_ == "VERB":
        return tok.lower_
    return tok.lemma_.lower()


def _noun_trigger(tok: Token, headline: bool = False) -> tuple[str, str | None] | None:
    lemma = _noun_lemma(tok)
    if lemma not in NOUN_TRIGGERS or tok.dep_ == "compound":
        return None
    etype, sub = NOUN_TRIGGERS[lemma]
    mods = {c.lower_ for c in tok.children if c.dep_ in ("compound", "amod")}
    if lemma == "attack":
        # "a mortar attack", "an air attack", "a suicide attack", "the attack on civilians"
        victims = {t.lemma_.lower() for c in tok.children if c.dep_ == "prep" and c.lower_ in ("on", "against")
                   for t in c.subtree}
        if mods & {"mortar", "rocket", "artillery", "shell"}:
            etype, sub = "bombardment", "shelling"
        elif mods & {"missile", "scud"}:
            etype, sub = "bombardment", "missile"
        elif mods & {"air", "aerial", "drone", "airstrike"}:
            etype, sub = "bombardment", "air strike"
        elif mods & {"suicide", "bomb", "car", "ied"}:
            etype, sub = "bombardment", None
        elif victims & CIVILIAN_NOUNS:
            etype, sub = "attack_on_civilians", None
        else:
            # a bare "the attack" is mostly a back-reference, and abroad often terrorism;
            # only a typed attack is read as an event
            return None
    if lemma in ("strike", "raid") and not mods & {"air", "drone", "missile", "aerial"}:
        if lemma == "raid":
            etype, sub = "clash", None
        else:
            return None
    if lemma == "bomb" and "barrel" in mods:
        sub = "air strike"  # barrel bombs are dropped from helicopters
    anchor = tok
    if lemma in _WEAPON_TRIGGER_NOUNS:
        # a weapon named is not an attack ("backed by artillery"); one fired or landing is
        while anchor.dep_ == "conj" and anchor.head is not anchor:
            anchor = anchor.head
        verb = anchor.head.lemma_.lower()
        if (anchor.dep_ == "dobj" and verb in ("fire", "launch", "lob", "rain", "drop")) or (
            anchor.dep_ == "nsubj" and verb in ("hit", "strike", "land", "slam", "rain", "pound", "kill", "target", "fall")
        ):
            return etype, sub
        return None
    while anchor.dep_ == "conj" and anchor.head is not anchor:
        anchor = anchor.head
    head = anchor.head
    dep = anchor.dep_
    if headline and dep == "ROOT":
        return etype, sub  # "Violent clashes in Aleppo and shelling in Homs countryside"
    if dep in ("dobj", "nsubj", "nsubjpass", "attr") and verb_lemma(head) in EVENTIVE_VERBS:
        return etype, sub
    if dep in ("pobj", "pcomp") and head.lower_ in EVENTIVE_PREPS and head.head.pos_ == "VERB":
        return etype, sub
    return None


_LOC_PREPS = frozenset({"in", "at", "near", "around", "outside", "inside", "across", "throughout", "on",
                        "into", "within", "over", "along", "toward", "towards", "from", "of"})


def _phrase_root(span: Span) -> Token:
    root = span.root
    while root.dep_ in ("compound", "appos", "conj", "nmod", "npadvmod", "amod") and root.head is not root:
        root = root.head
    return root


def _locative(span: Span) -> bool:
    """The place is the object of a locative preposition ("in Aleppo", "the outskirts of Homs")."""
    root = _phrase_root(span)
    if root.dep_ != "pobj":
        return False
    prep = root.head.lower_
    if prep == "of":
        # "the town of Rastan", "outskirts of Damascus" - but not "the leader of Syria"
        noun = root.head.head
        return noun.lemma_.lower() in ("town", "city", "village", "outskirt", "suburb", "countryside",
                                       "province", "district", "area", "neighborhood", "neighbourhood",
                                       "part", "portion", "side", "center", "centre", "east", "west",
                                       "north", "south", "vicinity", "edge", "entrance", "region", "east")
    return prep in _LOC_PREPS


def _argument(span: Span) -> bool:
    """The place is an object of the clause's verb ("captured Azaz", "fled Aleppo")."""
    return _phrase_root(span).dep_ in ("dobj", "nsubjpass")


def _place_in(span_tokens: set[int], places: list[Span]) -> list[Span]:
    return [p for p in places if p.start in span_tokens or (p.end - 1) in span_tokens]


def _qualifier_near(place: Span | None, tokens: list[Token]) -> str | None:
    """A direction phrase around the place ("eastern portion of", "southern suburbs")."""
    for tok in tokens:
        if tok.lemma_.lower() in _QUAL_NOUNS or tok.lower_ in _QUAL_NOUNS:
            dirs = [c.lower_ for c in tok.children if c.lower_ in _DIRECTIONS]
            if dirs:
                noun = tok.lower_
                return dirs[0] if noun in ("portion", "part", "side", "section") else f"{dirs[0]} {noun}"
    return None


class _Reader:
    """Per-document state: places, dates, units and the records found so far."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.published = _published(doc)
        self.units = [_trim(u) for u in _units(doc)]
        self.units = [u for u in self.units if len(u)]
        all_places = [p for p in (doc._.places or []) if p._.place_kind != "demonym" and not _demonym_shaped(p)]
        org_ents = [e for e in doc.ents if e.label_ in ("ORG", "WORK_OF_ART", "LAW")]
        self.places = [
            p for p in all_places
            # a place name has a capital letter; lower-case "civilians" or "killing" is not one
            if any(t.text[:1].isupper() for t in p)
            and p.text.rstrip(".").lower() not in _NOT_PLACES
            and not (len(p) == 1 and p._.place_kind != "demonym" and (
                p[0].pos_ in ("VERB", "ADV", "AUX")
                # a capitalised adjective opening a line ("Fierce clashes...") is not a name
                or (p[0].pos_ in ("ADJ", "NOUN") and (p[0].is_sent_start or p.start == 0 or "\n" in doc[p.start - 1].text))
                or p[0].lower_ in NOUN_TRIGGERS
            ))
            and not any(e.start <= p.start and p.end <= e.end and (e.end - e.start) > (p.end - p.start) for e in org_ents)
        ]
        self.place_tokens = frozenset(i for p in self.places for i in range(p.start, p.end))
        self.dates = list(doc._.dates or [])
        self.counts = list(doc._.counts or [])
        self.toll_groups = _coordinated_tolls(self.counts)
        text = doccache.text(doc)  # rebuilt by spaCy on each access: shared cache
        # Tokens excluded_tokens can act on (verbs, "according"), found once per Doc.
        pos, lower = doccache.column(doc, POS), doccache.column(doc, LOWER)
        self.source_cands = [i for i, (p, w) in enumerate(zip(pos, lower)) if p == _VERB or w == _ACCORDING]
        self.quotes = quote_regions(doc, text)
        self.speakers = {q: quote_speaker(doc, q) for q in self.quotes}
        self.note = doc_verification_note(doc, text)
        self.incidents: list[dict] = []
        self.movements: list[dict] = []
        self.recent: list[tuple[int, str, dict]] = []  # (unit index, family, date_value)
        self.last_source: str | None = None
        self.main_country = self._main_country()

    def _main_country(self) -> Span | None:
        counts: dict[str, int] = {}
        first: dict[str, Span] = {}
        for p in self.doc._.places or []:
            entry = p._.place or {}
            cc = entry.get("country_code")
            if not cc:
                continue
            counts[cc] = counts.get(cc, 0) + 1
            if entry.get("level") == "country" and p._.place_kind != "demonym" and cc not in first:
                first[cc] = p
        for cc, _ in sorted(counts.items(), key=lambda kv: -kv[1]):
            if cc in first:
                return first[cc]
        # "About 150 Syrians were killed": a nationality names the country when nothing else does
        for p in self.doc._.places or []:
            entry = p._.place or {}
            if entry.get("level") == "country" and (p._.place_kind == "demonym" or _demonym_shaped(p)):
                return p
        return None

    def unit_outlet(self, idx: int) -> str | None:
        """A news outlet given as a unit's source ("..., Reuters reports", "according to AFP")."""
        cache = self.__dict__.setdefault("_outlets", {})
        if idx not in cache:
            found = None
            for tok in self.units[idx]:
                if tok.lemma_.lower() in SPEECH_VERBS and tok.pos_ == "VERB":
                    for c in tok.children:
                        if c.dep_ == "nsubj":
                            found = found or outlet_name(c)
                if tok.lower_ == "to" and tok.head.lower_ == "according":
                    for c in tok.children:
                        if c.dep_ == "pobj":
                            found = found or outlet_name(c)
            cache[idx] = found
        return cache[idx]

    def via_outlet(self, source: str | None, speaker: str | None, idx: int) -> str | None:
        """The reporting chain: a quoted person right after an outlet's account ("Comments from
        residents ..., Reuters reports." then "..." said Ahmed) spoke to that outlet."""
        if not source or not speaker or source != speaker or " via " in source:
            return source
        for j in (idx, idx - 1, idx - 2):
            if j < 0:
                break
            outlet = self.unit_outlet(j)
            if outlet and outlet.lower() not in source.lower():
                return f"{source}, via {outlet}"
        return source

    # -- context -----------------------------------------------------------------------
    def quote_for(self, unit: Span) -> tuple[bool, str | None]:
        for q in self.quotes:
            if q[0] <= unit.start_char < q[1] or q[0] < unit.end_char <= q[1]:
                return True, self.speakers.get(q)
        return False, None

    def excluded_tokens(self, unit: Span) -> set[int]:
        """Source phrases and the places statements were made in ("said in Abu Dhabi")."""
        out: set[int] = set()
        cands = self.source_cands
        doc = self.doc
        for i in cands[bisect.bisect_left(cands, unit.start) : bisect.bisect_left(cands, unit.end)]:
            tok = doc[i]
            if tok.lemma_.lower() in SPEECH_VERBS and tok.pos_ == "VERB":
                # "Fighting was reported in Homs": a passive report's "in" is the event's place
                passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
                for c in tok.children:
                    if passive and c.dep_ == "prep":
                        continue
                    if c.dep_ in ("nsubj",) or (c.dep_ == "prep" and c.lower_ in ("in", "from", "at", "via", "during")):
                        phrase = {t.i for t in c.subtree}
                        # a relative clause inside ("from the suburbs where the army attacked")
                        # is an event of its own, not the place the statement was made in
                        for t in c.subtree:
                            if t.dep_ == "relcl":
                                phrase -= {x.i for x in t.subtree}
                        out |= phrase
            if tok.lower_ == "according" and tok.i + 1 < len(self.doc) and self.doc[tok.i + 1].lower_ == "to":
                out |= {t.i for t in self.doc[tok.i + 1].subtree}
        return out

    def antecedent(self, before: int, want: str) -> Span | None:
        for p in reversed(self.places):
            if p.start >= before or p._.place_id is None:
                continue
            level = (p._.place or {}).get("level")
            if want == "town" and level not in ("town", "neighbourhood", "district", "governorate", "city"):
                continue
            if want == "country" and level != "country":
                continue
            # Only a few sentences back: beyond that "the city" may be another one.
            gap = self.doc[p.start : before]
            if len(gap) > 150 or gap.text.count(".") > 4:
                return None
            return p
        return None

    # -- roles --------------------------------------------------------------------------
    def find_place(self, head: Token, trigger: Token, unit: Span, excluded: set[int], tokens: set[int] | None = None,
                   whole_sentence: bool = True):
        """(place span, qualifier, basis) for a clause; basis in clause/sentence/anaphor/country."""
        local = tokens if tokens is not None else _local(head, trigger)
        local = {i for i in local if unit.start <= i < unit.end} - excluded
        # "US drone strikes", "Israeli jets": a place modifying the trigger names the doer
        doers = {t.i for mod in trigger.children if mod.dep_ in ("compound", "amod", "poss", "nmod")
                 for t in mod.subtree}
        local -= doers
        excluded = excluded | doers
        anaphor_scope = set(local)
        if head.dep_ == "relcl":
            # "the southern suburbs where the army launched...": the event is at the head noun.
            noun = head.head
            near = {t.i for t in noun.subtree if t.i <= noun.i and t.i >= noun.left_edge.i}
            local |= near - excluded
            anaphor_scope |= near
        cands = _place_in(local, self.places)
        basis = "clause"
        if not cands and not whole_sentence:
            # a toll's place comes from its clause or the clauses governing it, not from a
            # neighbouring clause ("312 were killed yesterday, while 217 left besieged Homs")
            for anc in head.ancestors:
                if not (unit.start <= anc.i < unit.end):
                    break
                if anc.pos_ in ("VERB", "AUX"):
                    cands = _place_in(_local(anc) - excluded, self.places)
                    if cands:
                        break
        if not cands and whole_sentence:
            sent_toks = {t.i for t in unit} - excluded
            # places in other event clauses of the sentence belong to those events
            cands = [p for p in _place_in(sent_toks, self.places)]
            basis = "sentence"
        if cands and basis == "sentence":
            # outside its clause an event only takes a place said to be where something is
            # ("in Syria"), not a subject or a modifier ("Turkey backs rebels fighting...")
            cands = [p for p in cands if _locative(p)]
        if cands:
            place = min(cands, key=lambda p: (not _locative(p) and not _argument(p),
                                              min(abs(p.start - trigger.i), abs(p.end - 1 - trigger.i))))
            qual = place._.place_qualifier or _qualifier_near(place, [self.doc[i] for i in sorted(local)])
            return place, qual, basis
        for i in sorted(anaphor_scope | ({t.i for t in unit} - excluded)):
            tok = self.doc[i]
            want = _ANAPHORS.get(tok.lower_)
            if want and any(c.lower_ in ("the", "this", "its") for c in tok.children) or (want and tok.lower_ == "village" and any(c.lower_ == "the" for c in tok.children)):
                place = self.antecedent(unit.start, want)
                if place is not None:
                    return place, _qualifier_near(None, [self.doc[j] for j in sorted(anaphor_scope)]), "anaphor"
        return None, None, None

    def find_date(self, head: Token, unit: Span, family: str, place_basis: str | None, cumulative: bool = False):
        """(date_value, basis) for a clause."""
        in_unit = [d for d in self.dates if unit.start <= d.start and d.end <= unit.end]
        speech = [d for d in in_unit if d.root.head.lemma_.lower() in SPEECH_VERBS or d.root.lemma_.lower() in SPEECH_VERBS]
        other = [d for d in in_unit if d not in speech]
        anchor = speech[0]._.date_value["date_start"] if speech else self.published
        chain = [head] + [a for a in head.ancestors if a.pos_ in ("VERB", "AUX")]
        found = None
        for node in chain:
            if node.lemma_.lower() in SPEECH_VERBS and node is not head:
                break
            local = _local(node)
            hits = [d for d in other if d.root.i in local]
            if hits:
                found = min(hits, key=lambda d: abs(d.root.i - head.i))
                break
        if found is not None:
            value = dict(found._.date_value)
            if speech and _RANGE_RE.search(found.text):
                value = resolve_date(found.text, anchor) or value
            if cumulative and value.get("date_start"):
                value = {"date_start": value["date_start"], "date_end": anchor, "date_precision": value["date_precision"]}
            self.recent.append((unit_index(self, unit), family, value))
            return value, "stated"
        if cumulative:
            start = None
            # the conflict's start is usually stated just before the toll
            prev = [d for d in self.dates if d.end <= unit.start and unit.start - d.start < 80
                    and d._.date_value["date_precision"] in ("month", "year")]
            if prev:
                start = prev[-1]._.date_value
            if start and start["date_start"] and anchor and start["date_start"] < anchor:
                return {"date_start": start["date_start"], "date_end": anchor, "date_precision": start["date_precision"]}, "context"
            return {"date_start": None, "date_end": anchor, "date_precision": "unknown"}, "publication"
        if speech:
            # the day it was said bounds the event; it is not inherited by later sentences
            return dict(speech[0]._.date_value), "statement"
        idx = unit_index(self, unit)
        for j, fam, value in reversed(self.recent):
            if idx - j > 2:
                break
            if fam == family:
                return dict(value), "context"
        if self.published is None:
            return {"date_start": None, "date_end": None, "date_precision": "unknown"}, "unknown"
        return {"date_start": self.published - dt.timedelta(days=6), "date_end": self.published,
                "date_precision": "week"}, "publication"


def unit_index(reader: _Reader, unit: Span) -> int:
    """Position of ``unit`` among the document's units (-1 if it is not one)."""
    index = getattr(reader, "_unit_index", None)
    if index is None:
        index = {u.start: i for i, u in enumerate(reader.units)}
        reader._unit_index = index
    return index.get(unit.start, -1)


def _actor_of(tok: Token, deps: tuple[str, ...]) -> str | None:
    if "nsubj" in deps and tok.dep_ in ("acl",) and not any(c.dep_ == "nsubj" for c in tok.children):
        # "troops launching an assault": the modified noun is the doer
        return normalise_actor([t for t in tok.head.subtree if t.i <= tok.head.i][-8:])
    for c in tok.children:
        if c.dep_ in deps:
            return normalise_actor(list(c.subtree)[:12])
        if c.dep_ == "agent":
            for cc in c.children:
                if cc.dep_ == "pobj" and "nsubj" in deps:
                    return normalise_actor(list(cc.subtree)[:12])
    return None


def _confidence(place_basis, date_basis, source, verb_trigger, status, note) -> float:
    c = 0.45
    c += {"clause": 0.2, "sentence": 0.12, "anaphor": 0.08, "country": 0.05}.get(place_basis, 0)
    c += {"stated": 0.15, "statement": 0.1, "context": 0.07}.get(date_basis, 0)
    c += 0.1 if source else 0
    c += 0.05 if verb_trigger else 0
    if status in ("disputed", "denied"):
        c -= 0.15
    if note:
        c -= 0.05
    return round(max(0.05, min(0.95, c)), 2)


def _evidence(unit: Span) -> tuple[str, int, int]:
    return unit.text, unit.start_char, unit.end_char


_VIOLENT = frozenset({"bombardment", "clash", "attack_on_civilians"})


def _toll_anchor(count: Span) -> tuple | None:
    """Where a toll's counted noun sits in the clause, shared by coordinated tolls.

    "Five soldiers and three civilians were killed": both nouns hang, through ``conj``, from
    the subject of "killed"; the small model also parses the second member of a list as a
    second subject ("24 civilians, 24 fighters and 25 militiamen have been killed"), so the
    key is the grammatical role and its verb, not the noun itself.
    """
    root = count.root
    noun = root.head if root.dep_ in ("nummod", "quantmod", "compound", "amod") and root.head is not root else root
    if noun.pos_ not in ("NOUN", "PROPN"):
        return None
    while noun.dep_ == "conj" and noun.head is not noun:
        noun = noun.head
    if noun.dep_ in ("nsubj", "nsubjpass", "dobj"):
        return (noun.dep_, noun.head.i)
    return ("noun", noun.i)


def _coordinated_tolls(counts: list[Span]) -> dict[int, tuple[dict, tuple[int, ...]]]:
    """Tolls of one kind coordinated in one clause, summed: start of each member -> (sum, members).

    A report that lists its dead by group ("Five soldiers and three civilians were killed")
    gives one toll of 8, not a toll of 5 and a second event of 3. The sum's low and best add
    up; its high is known only if every member's is; a qualifier ("at least") carries over.
    """
    groups: dict[tuple, list[Span]] = {}
    for c in counts:
        cval = c._.count or {}
        if cval.get("count_type") not in ("killed", "injured") or cval.get("count_best") is None:
            continue
        anchor = _toll_anchor(c)
        if anchor is not None:
            groups.setdefault((cval["count_type"], anchor), []).append(c)
    out: dict[int, tuple[dict, tuple[int, ...]]] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        vals = [m._.count for m in members]
        lows = [v.get("count_low") for v in vals]
        highs = [v.get("count_high") for v in vals]
        quals = {v.get("count_qualifier") for v in vals} - {None}
        total = {
            "count_type": vals[0]["count_type"],
            "count_low": sum(lows) if None not in lows else None,
            "count_best": sum(v["count_best"] for v in vals),
            "count_high": sum(highs) if None not in highs else None,
            "count_qualifier": quals.pop() if len(quals) == 1 else None,
        }
        starts = tuple(m.start for m in members)
        for m in members:
            out[m.start] = (total, starts)
    return out


def _count_value(r: "_Reader", count: Span | None) -> dict:
    """A count's value, or the sum of the coordinated tolls it belongs to."""
    if count is None:
        return {}
    group = r.toll_groups.get(count.start)
    return dict(group[0]) if group else (count._.count or {})


def _use_count(r: "_Reader", used: set[int], count: Span) -> None:
    """Mark a count, and every toll coordinated with it, as taken."""
    group = r.toll_groups.get(count.start)
    used.update(group[1] if group else (count.start,))


def _fold_toll(r: "_Reader", unit: Span, place: Span, count: Span) -> bool:
    """Give a loose toll to the one violent event of its sentence at the same place.

    Headlines parse poorly ("Shelling kills 5 in Homs"), so the toll may not hang from the
    trigger; when the sentence already holds exactly one uncounted violent event at that place
    the toll is that event's, not a second record.
    """
    key = _key_value(place)
    same = [i for i, rec in enumerate(r.incidents)
            if rec["char_start"] == unit.start_char and rec["event_type"] in _VIOLENT
            and _key_value(rec["place"]) == key]
    if len(same) != 1 or r.incidents[same[0]].get("count_best") is not None:
        return False
    cval = _count_value(r, count)
    rec = r.incidents[same[0]]
    for k in ("count_type", "count_low", "count_best", "count_high", "count_qualifier"):
        rec[k] = cval.get(k)
    return True


def _coordinated(place: Span, places: list[Span]) -> list[Span]:
    """``place`` and the places coordinated with it ("in Homs and Hama and Idlib")."""
    root = place.root
    top = root
    while top.dep_ == "conj" and top.head is not top:
        top = top.head
    members = {top.i} | {t.i for t in top.subtree if t.dep_ == "conj" and _conj_top(t).i == top.i}
    out = [place]
    for p in places:
        if p.start == place.start:
            continue
        if p.root.i in members and p.root.dep_ in ("conj", top.dep_):
            out.append(p)
    out.sort(key=lambda p: p.start)
    return out


def _conj_top(tok: Token) -> Token:
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    return tok


_HABITUAL = frozenset({"often", "usually", "regularly", "repeatedly", "frequently", "routinely", "sometimes",
                       "typically", "generally", "always", "never", "increasingly", "long"})


def _generic(head: Token, trigger: Token, unit: Span, r: "_Reader", in_headline: bool = False) -> bool:
    """Background, not an event: a generic, habitual or long-running statement.

    - a relative or participial clause that describes a noun ("the coalition that has fought
      IS in Iraq and Syria since 2014", "French jihadists fighting in Iraq and Syria") with no
      date of its own and no past-tense report;
    - a present-perfect clause running "since YEAR" ("have shelled rebel areas since 2012");
    - a habitual clause ("Rebels often attack checkpoints at night") with no date of its own.
      (Plain present tense is not enough: headlines and "there is shelling" report events.)
    """
    verb = head if head.pos_ in ("VERB", "AUX") else trigger
    own = _local(verb)
    own_dates = [d for d in r.dates if d.root.i in own]
    perfect = any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("has", "have", "'ve") for c in verb.children)
    since_year = any(d.text.lower().startswith("since") or (d.start > 0 and r.doc[d.start - 1].lower_ == "since")
                     for d in own_dates) or any(
        t.lower_ == "since" and t.head.i == verb.i and any(c.like_num for c in t.subtree) for t in verb.children)
    if perfect and since_year:
        return True
    habitual = any(c.dep_ == "advmod" and c.lower_ in _HABITUAL for c in verb.children)
    if habitual and not own_dates:
        return True
    if verb.dep_ in ("relcl", "acl") and not own_dates and verb.i == trigger.i:
        # a verb trigger describing a noun; "troops launching an assault on the city" (an
        # eventive noun under a participle) is a report of what they are doing and stays
        if verb.tag_ == "VBG" or perfect or verb.tag_ in ("VBZ", "VBP"):
            return True
    return False


def _count_gov(span: Span) -> Token:
    heads = list(span)
    if span.root.dep_ in ("nummod", "quantmod") and span.root.head.pos_ in ("NOUN", "PROPN"):
        heads.append(span.root.head)  # "Two civilians killed in ...": the noun's participle
    for tok in heads:
        for c in tok.children:
            if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB":
                return c
    head = span.root
    # "133 people died": the counted noun's verb
    cur = head
    for _ in range(5):
        if cur.pos_ == "VERB":
            return cur
        if cur.head is cur:
            break
        cur = cur.head
    return head


def extract_events(doc: Doc) -> tuple[list[dict], list[dict]]:
    """Incident and movement records of a parsed, place-, date- and count-annotated Doc.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        Output of the pipeline up to ``geomap_counts`` (``doc._.places``, ``doc._.dates``,
        ``doc._.counts`` set; missing lists are read as empty).

    Returns
    -------
    (list of dict, list of dict)
        Incident records and movement records (keys in DEVELOPERS.md), deduplicated within the
        document.
    """
    r = _Reader(doc)
    # Headlines and highlights repeat the article body, so inside an article they are skipped;
    # a text made only of headline-like lines (a wire summary, a tweet) is read as it is.
    headline_only = all(_is_headline(u) for u in r.units)
    for idx, unit in enumerate(r.units):
        if _is_headline(unit) and not headline_only:
            continue
        in_quote, speaker = r.quote_for(unit)
        excluded = r.excluded_tokens(unit)
        next_unit = r.units[idx + 1] if idx + 1 < len(r.units) else None
        groups: dict[int, list[tuple[Token, str, str | None, bool]]] = {}
        pos = doccache.column(doc, POS)
        for i in range(unit.start, unit.end):
            if pos[i] not in _TRIGGER_POS:
                continue  # no trigger rule reads other parts of speech
            tok = doc[i]
            trig = None
            is_verb = False
            if tok.pos_ == "VERB" and (tok.dep_ == "amod" or (tok.dep_ == "acl" and tok.tag_ == "VBN")):
                continue  # "besieged Homs", "civilians besieged by" describe, they do not report
            if tok.pos_ == "VERB" and not (tok.dep_ in _NOMINAL and _noun_lemma(tok) in NOUN_TRIGGERS):
                trig = _verb_trigger(tok, r.place_tokens)
                is_verb = True
            elif tok.pos_ in ("NOUN", "PROPN", "VERB") or (tok.pos_ == "ADJ" and tok.dep_ in _NOMINAL):
                trig = _noun_trigger(tok, headline_only)
            if trig is None or tok.i in excluded:
                continue
            if _hypothetical(tok, unit):
                continue
            groups.setdefault(_gov(tok).i, []).append((tok, trig[0], trig[1], is_verb))
        used_counts: set[int] = set()
        source_cache = None
        for gov_i, trigs in groups.items():
            trigs.sort(key=lambda t: _PRIORITY.index(t[1]))
            tok, etype, sub, is_verb = trigs[0]
            head = doc[gov_i]
            place, qual, pbasis = r.find_place(head, tok, unit, excluded)
            source, sverb = find_source(tok, unit, speaker, r.last_source)
            source = r.via_outlet(source, speaker, idx)
            source_cache = source or source_cache
            status = claim_status(unit, next_unit, sverb, source, tok)
            if etype == "control_change" and status in ("disputed", "denied"):
                sub = "claimed"
            count = None
            for c in r.counts:
                if c.start in used_counts or not (unit.start <= c.start < unit.end):
                    continue
                ctype = (c._.count or {}).get("count_type")
                cg = _count_gov(c)
                # "shelled Rastan, killing at least 12": the toll belongs to the shelling
                tied = (cg.i == gov_i
                        # "Shelling kills 5": a gerund subject governed by the toll's verb
                        or (head.dep_ in ("csubj", "nsubj") and head.head.i == cg.i)
                        or (cg.dep_ in ("advcl", "conj") and cg.head.i == gov_i and cg.tag_ == "VBG")
                        # "15 people were killed when warplanes struck a market"
                        or (head.dep_ == "advcl" and head.head.i == cg.i))
                if ctype in ("killed", "injured") and tied:
                    count = c
                    used_counts.add(c.start)
                    break
            value, dbasis = r.find_date(head, unit, _FAMILY.get(etype, etype), pbasis)
            if place is None:
                continue
            if _generic(head, tok, unit, r, in_headline=headline_only):
                continue
            places = _coordinated(place, r.places)
            if len(places) > 1:
                # "Fighting in Homs and Hama and Idlib, killing 4": one record per place; a toll
                # over all of them cannot be split, so no place gets it (documented)
                count = None
            actor1 = _actor_of(head, ("nsubj",)) if is_verb or head.lemma_.lower() in EVENTIVE_VERBS else None
            if not is_verb:
                actor1 = actor1 or normalise_actor([c for c in tok.children if c.dep_ in ("poss", "compound", "amod")])
            actor2 = _actor_of(head, ("dobj",)) if is_verb else None
            if etype == "attack_on_civilians":
                actor2 = "civilians"
            if etype == "defection":
                objs = [c for c in head.children if c.dep_ == "dobj"]
                actor1 = normalise_actor(list(objs[0].subtree)) if objs else actor1
                actor2 = None
            if etype == "defection" and not source:
                subj = [c for c in head.children if c.dep_ == "nsubj"]
                if subj and subj[0].pos_ == "PROPN":
                    source = doc[subj[0].left_edge.i : subj[0].i + 1].text
            if count is not None:
                _use_count(r, used_counts, count)  # its coordinated tolls are in this record
            for k, pl in enumerate(places):
                _add_incident(r, unit, etype, sub, pl, qual if k == 0 else pl._.place_qualifier, pbasis, value,
                              dbasis, actor1, actor2, count, source, status, is_verb)
        # tolls not tied to a described attack
        for c in r.counts:
            if c.start in used_counts or not (unit.start <= c.start < unit.end) or c.start in excluded:
                continue
            cval = c._.count or {}
            if cval.get("count_type") == "protesters" and not _hypothetical(_count_gov(c), unit):
                # "Thousands of protesters took to the streets of Hama": a protest, with its size
                head = _count_gov(c)
                if not any(head.i == g for g in groups):
                    place, qual, pbasis = r.find_place(head, c.root, unit, excluded)
                    if place is not None:
                        used_counts.add(c.start)
                        value, dbasis = r.find_date(head, unit, "protest", pbasis)
                        source, sverb = find_source(c.root, unit, speaker, r.last_source)
                        status = claim_status(unit, next_unit, sverb, source, c.root)
                        _add_incident(r, unit, "protest", None, place, qual, pbasis, value, dbasis, "civilians",
                                      None, c, source, status, False)
                continue
            if cval.get("count_type") not in ("killed", "injured"):
                continue
            head = _count_gov(c)
            if _hypothetical(head, unit):
                continue
            used_counts.add(c.start)
            place, qual, pbasis = r.find_place(head, c.root, unit, excluded, tokens=_local(head, c.root),
                                               whole_sentence=False)
            if place is None and head.pos_ not in ("VERB", "AUX") and not any(t.pos_ in ("VERB", "AUX") for t in unit):
                # a verbless headline ("About 40 deaths in the raids at the Eastern Ghouta"):
                # the fragment is the toll's clause
                place, qual, pbasis = r.find_place(head, c.root, unit, excluded, tokens={t.i for t in unit},
                                                   whole_sentence=False)
            if place is None and r.main_country is not None:
                place, qual, pbasis = r.main_country, None, "country"
            if place is None:
                continue  # a later member of a coordinated toll may still find the place
            _use_count(r, used_counts, c)
            cumulative = any(a.lower_ in ("have", "has") and a.dep_ in ("aux", "auxpass") for a in head.children)
            value, dbasis = r.find_date(head, unit, "violence", pbasis, cumulative=cumulative)
            source, sverb = find_source(c.root, unit, speaker, r.last_source)
            status = claim_status(unit, next_unit, sverb, source, c.root)
            victims = {t.lemma_.lower() for t in c.root.subtree} | {t.lemma_.lower() for t in doc[c.end : c.end + 3]}
            etype = "casualties"
            actor1 = _actor_of(head, ("nsubj",)) if head.lemma_.lower() in ("kill", "massacre", "execute", "shoot") else None
            if actor1 in _ARMED and victims & CIVILIAN_NOUNS:
                etype = "attack_on_civilians"
            if _fold_toll(r, unit, place, c):
                continue
            _add_incident(r, unit, etype, None, place, qual, pbasis, value, dbasis, actor1,
                          "civilians" if etype == "attack_on_civilians" else None, c, source, status, False)
        for frame in find_movements(unit):
            if _hypothetical(frame.verb, unit):
                continue
            origin = _end_place(r, frame.origin_tokens, unit)
            dest = _end_place(r, frame.dest_tokens, unit)
            value, dbasis = r.find_date(frame.verb, unit, _FAMILY[frame.kind], None)
            if origin is None and frame.kind == "displacement":
                # "Residents of Qusayr fled to Lebanon": where the people are from
                for t in frame.party:
                    if t.dep_ == "prep" and t.lower_ in ("of", "from") and origin is None:
                        origin = _end_place(r, list(t.subtree), unit)
            if origin is None and frame.kind == "refugee_return" and dest is not None:
                origin = _host_country(r, unit, dest)
            if origin is None and frame.kind == "troop_movement" and dest is not None:
                origin = _scene_place(r, frame, unit, dest)
            if dest is None:
                # "transferred to airports along the southern border": no gazetteer place, but
                # the text is kept (destination_text), never a guessed point
                dest = _unresolved_end(frame.dest_tokens, unit)
            if origin is None and dest is None:
                continue
            if origin is not None and dest is not None and origin._.place_id and origin._.place_id == dest._.place_id:
                continue
            source, sverb = find_source(frame.verb, unit, speaker, r.last_source)
            status = claim_status(unit, next_unit, sverb, source, frame.verb)
            count = next((c for c in r.counts if any(c.start <= t.i < c.end for t in frame.party)), None)
            evidence, start, end = _evidence(unit)
            cval = (count._.count if count is not None else None) or {}
            rec = {
                "kind": frame.kind, "actor": frame.actor, "origin": origin, "destination": dest,
                "count_type": cval.get("count_type"), "count_low": cval.get("count_low"),
                "count_best": cval.get("count_best"), "count_high": cval.get("count_high"),
                "count_qualifier": cval.get("count_qualifier"),
                **value, "date_basis": dbasis,
                "source_attribution": source, "claim_status": status,
                "evidence": evidence, "char_start": start, "char_end": end,
                "confidence": _confidence("clause" if (origin is not None and dest is not None) else "sentence",
                                          dbasis, source, True, status, r.note),
                "verification_note": r.note,
            }
            _dedupe_add(r.movements, rec, ("kind", "origin", "destination", "date_start", "count_best"))
        srcs = [s for s in [source_cache] if s]
        if srcs:
            r.last_source = srcs[-1]
    return r.incidents, r.movements


def _end_place(r: _Reader, tokens: list[Token], unit: Span) -> Span | None:
    if not tokens:
        return None
    ids = {t.i for t in tokens}
    cands = _place_in(ids, r.places)
    if cands:
        return cands[0]
    for t in tokens:
        want = _ANAPHORS.get(t.lower_)
        if want and t.dep_ in ("pobj", "dobj") and any(c.lower_ in ("the", "this") for c in t.children):
            return r.antecedent(unit.start, want)
    return None


_PLACE_LIKE = _PLACE_OBJECTS | frozenset(
    """airport coast front frontline camp port harbour harbor base airfield depot warehouse
    countryside outskirts mountain mountains valley desert""".split()
)


def _unresolved_end(tokens: list[Token], unit: Span) -> Span | None:
    """The noun phrase of a movement end that names a place-like thing the gazetteer lacks."""
    for t in tokens:
        if t.dep_ in ("pobj", "dobj") and (t.lemma_.lower() in _PLACE_LIKE or t.lower_ in _PLACE_LIKE) \
                and unit.start <= t.left_edge.i and t.right_edge.i < unit.end:
            return unit.doc[t.left_edge.i : t.right_edge.i + 1]
    return None


def _scene_place(r: _Reader, frame, unit: Span, dest: Span) -> Span | None:
    """Where the movers set out from when the sentence places the scene ("said in the village
    he was in that hundreds of rebels ... headed to fight in Aleppo")."""
    heads = list(frame.verbs)
    for anc in frame.verb.ancestors:
        if not (unit.start <= anc.i < unit.end):
            break
        if anc.lemma_.lower() in SPEECH_VERBS:
            heads.append(anc)
            break
    for h in heads:
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "at"):
                place = _end_place(r, list(c.subtree), unit)
                if place is not None and _key_value(place) != _key_value(dest):
                    return place
    return None


def _host_country(r: _Reader, unit: Span, dest: Span) -> Span | None:
    """Where returning refugees come from when the clause omits it: a country named in the
    neighbouring sentences ("...given the security threats in Syria"), never the destination."""
    idx = unit_index(r, unit)
    lo = r.units[max(0, idx - 2)].start
    hi = r.units[min(len(r.units) - 1, idx + 2)].end
    dest_cc = (dest._.place or {}).get("country_code")
    for p in r.places:
        if lo <= p.start < hi and p._.place_id and (p._.place or {}).get("level") == "country":
            if (p._.place or {}).get("country_code") != dest_cc:
                return p
    return None


def _key_value(v):
    if isinstance(v, Span):
        return v._.place_id or v.text.lower()
    return v


_WEAK_DATES = ("publication", "unknown", "context")


def _same_event(old: dict, rec: dict, keys: tuple[str, ...]) -> bool:
    """One event told twice: same type and places; dates equal or one only inferred; counts
    equal or one missing."""
    for k in keys:
        a, b = _key_value(old[k]), _key_value(rec[k])
        if k == "date_start":
            if a != b and old.get("date_basis") not in _WEAK_DATES and rec.get("date_basis") not in _WEAK_DATES:
                return False
        elif k == "count_best":
            if a is not None and b is not None and a != b:
                return False
        elif a != b:
            return False
    # a part of a place is another event than the whole ("21 killed in Aleppo" vs "shelling
    # of the eastern part of the city"); two sources for one event are one record
    return old.get("place_qualifier") == rec.get("place_qualifier")


def _dedupe_add(records: list[dict], rec: dict, keys: tuple[str, ...]) -> None:
    for i, old in enumerate(records):
        if not _same_event(old, rec, keys):
            continue
        # keep the better-attested telling, fill its gaps from the other
        better, other = (rec, old) if (old.get("date_basis") in _WEAK_DATES and rec.get("date_basis") not in _WEAK_DATES) else (old, rec)
        merged = dict(better)
        for k, v in other.items():
            if merged.get(k) is None and v is not None and k not in ("evidence", "char_start", "char_end"):
                merged[k] = v
        if merged.get("count_best") is None or (better.get("count_best") is None and other.get("count_best") is not None):
            for k in ("count_type", "count_low", "count_best", "count_high", "count_qualifier"):
                merged[k] = other.get(k) if better.get("count_best") is None else better.get(k)
        sources = [x for x in (better.get("source_attribution"), other.get("source_attribution")) if x]
        merged["source_attribution"] = "; ".join(dict.fromkeys(sources)) or None
        merged["confidence"] = min(0.95, max(old["confidence"], rec["confidence"]) + (0.05 if len(set(sources)) > 1 else 0))
        records[i] = merged
        return
    records.append(rec)


def _add_incident(r: _Reader, unit: Span, etype, sub, place, qual, pbasis, value, dbasis, actor1, actor2,
                  count, source, status, is_verb) -> None:
    evidence, start, end = _evidence(unit)
    cval = _count_value(r, count)
    rec = {
        "event_type": etype, "sub_type": sub, **value, "date_basis": dbasis,
        "place": place, "place_qualifier": qual,
        "actor1": actor1, "actor2": actor2,
        "count_type": cval.get("count_type"), "count_low": cval.get("count_low"),
        "count_best": cval.get("count_best"), "count_high": cval.get("count_high"),
        "count_qualifier": cval.get("count_qualifier"),
        "source_attribution": source, "claim_status": status,
        "evidence": evidence, "char_start": start, "char_end": end,
        "confidence": _confidence(pbasis, dbasis, source, is_verb, status, r.note),
        "verification_note": r.note,
    }
    _dedupe_add(r.incidents, rec, ("event_type", "place", "date_start", "count_best"))


class EventAnnotator:
    """spaCy component: fills ``doc._.incidents`` and ``doc._.movements``."""

    def __init__(self, nlp: Language, name: str = "geomap_events"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        incidents, movements = extract_events(doc)
        doc._.incidents = incidents
        doc._.movements = movements
        return doc


@Language.factory("geomap_events")
def make_event_annotator(nlp: Language, name: str) -> EventAnnotator:
    """Factory for the ``geomap_events`` pipeline component."""
    return EventAnnotator(nlp, name)
