"""The scene of an event: where and when a clause happens, for ``geomap.nlp.events``.

``SceneReader`` holds one document's places, dates, counts, quotations and sources, and answers
the two questions every event record asks: which place mention is the clause's (its own, the
sentence's locative one, or the antecedent of "the city"), and which date (its own, a governing
clause's, the statement's, the running account's, or the publication week: see
``geomap.nlp.scene_dates``). The sentence units (sentences cut at line breaks) and clause scopes
are in ``geomap.nlp.event_units``.
"""

from __future__ import annotations

import bisect
import datetime as dt

from spacy.attrs import LOWER, POS
from spacy.tokens import Doc, Span, Token

from geomap.nlp import doccache, extensions, place_nouns  # noqa: F401
from geomap.nlp.attribution import doc_verification_note, outlet_name, quote_regions, quote_speaker
from geomap.nlp.event_lexicon import SPEECH_VERBS
from geomap.nlp.event_units import (  # noqa: F401  (re-exported)
    _CLAUSE_DEPS,
    _is_headline,
    _local,
    _published,
    _trim,
    _units,
    dateline_span,
    joined_as_siblings,
    unit_index,
)
from geomap.nlp.place_words import (  # noqa: F401  (re-exported)
    _AIM_IDS,
    _AIM_WORDS,
    _AREA_NOUNS,
    _NAME_HEADS,
    _NOT_PLACES,
    _demonym_shaped,
    _names_no_place,
    _resolved,
    _trigger_word,
    _unknown_place_names,
)
from geomap.nlp.scene_dates import clause_date
from geomap.nlp.scene_mentions import (  # noqa: F401  (re-exported)
    _ACCORDING,
    _ANAPHORS,
    _AREA_ANAPHORS,
    _DIRECTIONS,
    _LIST_OPENERS,
    _LOC_PREPS,
    _LOCATIVE_OF,
    _PART_NOUNS,
    _PLACE_OBJECTS,
    _QUAL_NOUNS,
    _SETTLEMENT_NOUNS,
    _VERB,
    _argument,
    _is_city,
    _landmark,
    _listed,
    _locative,
    _name_parts,
    _named_settlement,
    _opens_place_list,
    _phrase_root,
    _place_in,
    _qualifier_near,
    _says_city,
)
from geomap.nlp.tolls import _coordinated_tolls

_DAY = dt.timedelta(days=1)


class SceneReader:
    """Per-document state: places, dates, units and the records found so far."""

    _unit_index: dict[int, int] | None = None  # unit start -> position, built by unit_index()

    def __init__(self, doc: Doc):
        self.doc = doc
        self.published = _published(doc)
        self.units = [_trim(u) for u in _units(doc)]
        self.units = [u for u in self.units if len(u)]
        all_places = [
            p
            for p in (doc._.places or [])
            if p._.place_kind != "demonym" and (not _demonym_shaped(p) or _named_settlement(p))
        ]
        dateline = dateline_span(doc)
        if dateline is not None:  # where the reporter files from, never an event's place
            all_places = [p for p in all_places if not dateline[0] <= p.start_char < dateline[1]]
        place_toks = {i for p in all_places for i in range(p.start, p.end)}
        org_ents = [
            e
            for ent in doc.ents
            for e in _name_parts(ent)
            if ent.label_ in ("ORG", "WORK_OF_ART", "LAW")
            # a run of listed place names the tagger took for one name ("the towns of Hish
            # Kafrouma and Maar Shurin"): every word of it is a place, so it names no organisation
            and not all(i in place_toks for i in range(e.start, e.end))
            and not _opens_place_list(doc, e.start)
        ]
        self.places = [
            p
            for p in all_places
            # a place name has a capital letter; lower-case "civilians" or "killing" is not one
            if any(t.text[:1].isupper() for t in p)
            and p.text.rstrip(".").lower() not in _NOT_PLACES
            and not (
                len(p) == 1
                and p._.place_kind != "demonym"
                and (
                    p[0].pos_ in ("VERB", "ADV", "AUX")
                    # a capitalised adjective opening a line ("Fierce clashes...") is not a name
                    or (
                        p[0].pos_ in ("ADJ", "NOUN")
                        and (p[0].is_sent_start or p.start == 0 or "\n" in doc[p.start - 1].text)
                    )
                    or _trigger_word(p[0])
                )
            )
            and not any(
                e.start <= p.start and p.end <= e.end and (e.end - e.start) > (p.end - p.start) for e in org_ents
            )
            and not _names_no_place(p, all_places)
            # "near the town of Azaz Killing 12": a capitalised event word is no part of a name
            and not (len(p) > 1 and _trigger_word(p[-1]))
        ]
        self.place_tokens = frozenset(i for p in self.places for i in range(p.start, p.end))
        self.dates = list(doc._.dates or [])
        self.counts = list(doc._.counts or [])
        self.toll_groups = _coordinated_tolls(self.counts, self.place_tokens)
        text = doccache.text(doc)  # rebuilt by spaCy on each access: shared cache
        # Tokens excluded_tokens can act on (verbs, "according"), found once per Doc.
        pos, lower = doccache.column(doc, POS), doccache.column(doc, LOWER)
        self.source_cands = [i for i, (p, w) in enumerate(zip(pos, lower)) if p == _VERB or w == _ACCORDING]
        # words of aims ("aimed at", "in a bid to"), found once per Doc from the lower-case column
        self.aim_cands = [i for i, w in enumerate(lower) if w in _AIM_IDS and doc[i].lemma_.lower() in _AIM_WORDS]
        self.quotes = quote_regions(doc, text)
        self.speakers = {q: quote_speaker(doc, q) for q in self.quotes}
        self.note = doc_verification_note(doc, text)
        self.incidents: list[dict] = []
        #: (start of the unit that told it, index in ``incidents``), in reading order: the
        #: events on the scene, to which a later sentence's toll may belong
        self.scene: list[tuple[int, int]] = []
        #: (start of the unit, place it told an event at), in reading order
        self.scene_places: list[tuple[int, Span]] = []
        #: (area mention start, unit start) -> the unresolved place the unit named in that area
        self.named_places: dict[tuple[int, int], list[str]] = {}
        #: where the headline and lead end: events told there are retold in the body
        self.lead_end = self.units[min(1, len(self.units) - 1)].end_char if self.units else 0
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
        # "Some 60 Iraqis were killed": a nationality names the country when nothing else does
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
        """Source phrases, the places statements were made in ("said in Abu Dhabi"), and aims
        ("an offensive aimed at liberating Raqqa", "in a bid to stop the shelling of Hama")."""
        out: set[int] = set()
        aims = self.aim_cands
        for i in aims[bisect.bisect_left(aims, unit.start) : bisect.bisect_left(aims, unit.end)]:
            tok = self.doc[i]
            if tok.dep_ in ("acl", "advcl", "xcomp", "pobj", "relcl", "dobj"):
                out |= {t.i for t in tok.subtree if t.i != tok.i}
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

    def container(self, place: Span, unit: Span, excluded: set[int]) -> Span | None:
        """A resolved area the sentence puts an unresolved place in: the nearest locative
        district, governorate or region mention after it in the unit (never the country), or a
        town the same phrase puts it in ("al-X and al-Y areas in Aleppo city")."""
        best = None
        for p in self.places:
            if not (place.end <= p.start < unit.end) or p.start in excluded or not _resolved(p):
                continue
            level = (p._.place or {}).get("level")
            in_town = level in ("town", "city") and p.start - place.end <= 3 and self.doc[p.start - 1].lower_ == "in"
            if level not in ("district", "governorate", "region") and not in_town:
                continue
            if best is None or p.start < best.start:
                best = p
        return best

    def antecedent(self, before: int, want: str) -> Span | None:
        for p in reversed(self.places):
            if p.start >= before or p._.place_id is None or _landmark(p):
                continue
            level = (p._.place or {}).get("level")
            # "the city", "the town", "the capital" are towns, never a governorate
            # a mention the text calls a city ("Damascus city") is one, whatever its level
            if want == "town" and level not in ("town", "neighbourhood", "district", "city") and not _says_city(p):
                continue
            if want == "country" and level != "country":
                continue
            # Only a few sentences back: beyond that "the city" may be another one.
            gap = self.doc[p.start : before]
            if len(gap) > 150 or gap.text.count(".") > 4:
                return None
            return p
        return None

    def find_date(self, head: Token, unit: Span, family: str, place_basis: str | None, cumulative: bool = False):
        """(date_value, basis) for a clause (``geomap.nlp.scene_dates``); ``place_basis`` is unused."""
        return clause_date(self, head, unit, family, cumulative=cumulative)

    # -- roles --------------------------------------------------------------------------
    def find_place(
        self,
        head: Token,
        trigger: Token,
        unit: Span,
        excluded: set[int],
        tokens: set[int] | None = None,
        whole_sentence: bool = True,
    ):
        """(place span, qualifier, basis) for a clause; basis in clause/sentence/anaphor/country."""
        local = tokens if tokens is not None else _local(head, trigger)
        local = {i for i in local if unit.start <= i < unit.end} - excluded
        # "US drone strikes", "Israeli jets": a place modifying the trigger names the doer
        doers = {
            t.i for mod in trigger.children if mod.dep_ in ("compound", "amod", "poss", "nmod") for t in mod.subtree
        }
        local -= doers
        excluded = excluded | doers
        anaphor_scope = set(local)
        if head.dep_ == "relcl":
            # "the southern suburbs where the army launched...": the event is at the head noun.
            noun = head.head
            near = {t.i for t in noun.subtree if t.i <= noun.i and t.i >= noun.left_edge.i}
            local |= near - excluded
            anaphor_scope |= near
        cands, basis = self._candidates(head, unit, local, excluded, whole_sentence)
        if cands:
            place = self._nearest(head, trigger, unit, excluded, cands)
            qual = place._.place_qualifier or _qualifier_near(place, [self.doc[i] for i in sorted(local)])
            return place, qual, basis
        earlier = self._anaphor_place(unit, anaphor_scope | ({t.i for t in unit} - excluded))
        if earlier is None and whole_sentence:  # (a toll's "there" is the scene's: loose_tolls)
            earlier = self._there_place(unit, local)
        if earlier is not None:
            return earlier, _qualifier_near(None, [self.doc[j] for j in sorted(anaphor_scope)]), "anaphor"
        named = _unknown_place_names(self.doc, local, self.place_tokens)
        if named:
            # "fought ISIS in the surroundings of al-Warda": a place the gazetteer lacks,
            # in the province the account is about -> the event sits on that province
            area = self.area_before(unit)
            if area is not None:
                self.named_places[(area.start, unit.start)] = named
                return area, None, "area"
        return None, None, None

    def _candidates(
        self, head: Token, unit: Span, local: set[int], excluded: set[int], whole_sentence: bool
    ) -> tuple[list[Span], str]:
        """The place mentions a clause may sit at, and whether they are the clause's own."""
        cands = _place_in(local, self.places)
        basis = "clause"
        if not cands and not whole_sentence:
            # a toll's place comes from its clause or the clauses governing it, not from a
            # neighbouring clause ("40 were killed on Monday, while 90 fled besieged Daraya")
            for anc in head.ancestors:
                if not (unit.start <= anc.i < unit.end):
                    break
                if anc.pos_ in ("VERB", "AUX"):
                    cands = _place_in(_local(anc) - excluded, self.places)
                    if cands:
                        break
        if not cands and whole_sentence:
            # outside its clause an event only takes a place said to be where something is
            # ("in Syria"), not a subject or a modifier ("Turkey backs rebels fighting...")
            cands = [p for p in _place_in({t.i for t in unit} - excluded, self.places) if _locative(p)]
            basis = "sentence"
        # "a ceasefire brokered by Ankara and Tehran", "hit by Israel": the agent is the doer
        cands = [p for p in cands if not (_phrase_root(p).dep_ == "pobj" and _phrase_root(p).head.lower_ == "by")]
        # "the town of Sarmin east of Idlib city": the direction names where the town
        # is, the event is in the town
        cands = [
            p
            for p in cands
            if not (p[0].lower_ in _DIRECTIONS and any(q.end <= p.start <= q.end + 1 for q in cands if q is not p))
        ] or cands
        return cands, basis

    def _nearest(self, head: Token, trigger: Token, unit: Span, excluded: set[int], cands: list[Span]) -> Span:
        """The candidate the clause is at: what "came under" fire, else the nearest locative or
        argument place; a village the gazetteer lacks gives way to its resolved area."""
        # "Handarat district ... came under fire": the subject is what was hit
        under = head.lemma_.lower() == "come" and any(c.dep_ == "prep" and c.lower_ == "under" for c in head.children)
        hit = [p for p in cands if under and _phrase_root(p).dep_ == "nsubj" and _phrase_root(p).head.i == head.i]
        place = min(
            hit or cands,
            key=lambda p: (
                not _locative(p) and not _argument(p),
                min(abs(p.start - trigger.i), abs(p.end - 1 - trigger.i)),
            ),
        )
        if not _resolved(place):
            # a village the gazetteer lacks: the event sits at the level the text supports
            # ("in Khatab ... in Hama countryside" -> the governorate), else without a point
            outer = self.container(place, unit, excluded) or self.town_of_part(place, unit, excluded)
            if outer is None and not self.names_part(place, unit):
                # a neighbourhood lies in a town: the province named sentences before is a guess
                outer = self.area_before(unit)
            if outer is not None:
                # "the neighborhoods of al-A al-B and al-C": each listed name it lacks is named there
                listed = [p for p in _listed(place, self.places) if not _resolved(p)]
                self.named_places[(outer.start, unit.start)] = [
                    p.text for p in sorted([place, *listed], key=lambda p: p.start)
                ]
                place = outer
        return place

    def names_part(self, place: Span, unit: Span) -> bool:
        """Whether a part noun ("neighborhood", "quarter") stands next to ``place``."""
        near = self.doc[max(unit.start, place.start - 3) : min(unit.end, place.end + 2)]
        return any(t.lemma_.lower() in _PART_NOUNS for t in near)

    def town_of_part(self, place: Span, unit: Span, excluded: set[int]) -> Span | None:
        """The town a neighbourhood the gazetteer lacks lies in ("In Hama, militants shelled
        the al-Warda neighborhood"): the town its own sentence names, else the city the account
        is set in when it is a city (``settings.neighbourhood_city_min_population``); after a
        small town the reporter may have moved on, so the neighbourhood stays unresolved."""
        if not self.names_part(place, unit):
            return None
        towns = [
            p
            for p in self.places
            if unit.start <= p.start < unit.end
            and p.start not in excluded
            and _resolved(p)
            and (p._.place or {}).get("level") == "town"
            and not joined_as_siblings(p, place)  # "X neighborhood and the town of Y": a sibling
        ]
        if towns:
            return min(towns, key=lambda p: abs(p.start - place.start))
        if any(_ANAPHORS.get(t.lower_) == "town" for t in unit):
            return None  # "parts of the capital, hitting the X neighborhood": a town of its own
        if self.new_account(unit):
            return None  # another day's account may be set in another city
        town = self.scene_place(unit) or self.antecedent(unit.start, "town")
        while town is not None and (not _resolved(town) or (town._.place or {}).get("level") == "neighbourhood"):
            town = self.antecedent(town.start, "town")  # the account's earlier quarters lie in its city
        return town if town is not None and _is_city(town) else None

    def _anaphor_place(self, unit: Span, scope: set[int]) -> Span | None:
        """The place "the city", "this village" refers to, a few sentences back."""
        for i in sorted(scope):
            tok = self.doc[i]
            want = _ANAPHORS.get(tok.lower_)
            if not want or any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
                continue  # "the town of Manbij" names its town; it refers to none before
            if any(c.lower_ in ("the", "this", "its") for c in tok.children):
                earlier = self.antecedent(unit.start, want)
                if tok.lower_ in _AREA_ANAPHORS and earlier is not None and not _locative(earlier):
                    # "clashes in the area" after "it lies south of the stronghold of X": a place
                    # named to describe another is not where things are; the last event's is
                    earlier = self.scene_place(unit)
                if earlier is not None:
                    return earlier
        return None

    def new_account(self, unit: Span) -> bool:
        """The unit states a date that the last event told before it does not share ("...on
        Monday. On 15 March 2013, rebels fought in X"): it starts another account."""
        told = [self.incidents[i] for start, i in self.scene if start < unit.start_char]
        stated = [d._.date_value for d in self.dates if unit.start <= d.start and d.end <= unit.end]
        if not told or not stated or told[-1].get("date_start") is None:
            return False
        last = told[-1]
        lo, hi = last["date_start"] - _DAY, (last.get("date_end") or last["date_start"]) + _DAY
        return all(v.get("date_start") is None or not (v["date_start"] <= hi and lo <= v["date_end"]) for v in stated)

    def _there_place(self, unit: Span, local: set[int]) -> Span | None:
        """ "a day after troops killed 40 there": the place of the last event told before the
        word, in its sentence or a few before."""
        there = [i for i in sorted(local) if self.doc[i].lower_ == "there" and self.doc[i].dep_ == "advmod"]
        if not there:
            return None
        idx = unit_index(self, unit)
        lo = self.units[max(0, idx - 4)].start_char if idx >= 0 else unit.start_char
        for start, place in reversed(self.scene_places):
            if lo <= start <= unit.start_char and place.start < there[0]:
                return place
        return None

    def scene_place(self, unit: Span, units_back: int = 4) -> Span | None:
        """The place of the last event told before ``unit``, a few sentences back at most."""
        idx = unit_index(self, unit)
        lo = self.units[max(0, idx - units_back)].start_char if idx >= 0 else unit.start_char
        for start, place in reversed(self.scene_places):
            if lo <= start < unit.start_char and place.start < unit.start:
                return place
        return None

    def area_before(self, unit: Span, units_back: int = 6) -> Span | None:
        """The district, governorate or region mention the account last named, a few
        sentences back at most (the province a report on its villages is about)."""
        idx = unit_index(self, unit)
        lo = self.units[max(0, idx - units_back)].start if idx >= 0 else unit.start
        for p in reversed(self.places):
            if p.start >= unit.end or p.start < lo or not _resolved(p):
                continue
            if (p._.place or {}).get("level") in ("district", "governorate", "region"):
                return p
        return None
