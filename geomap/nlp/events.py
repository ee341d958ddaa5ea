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

from spacy.attrs import POS
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from geomap.nlp import doccache, extensions  # noqa: F401
from geomap.nlp.actors import clause_roles
from geomap.nlp.attribution import claim_status, find_source
from geomap.nlp.event_breadth import finds_bodies, unresolved_place
from geomap.nlp.event_lexicon import (  # noqa: F401  (re-exported for tests and callers)
    CIVILIAN_NOUNS,
    CONTROL_VERBS,
    EVENTIVE_VERBS,
    NOUN_TRIGGERS,
    SPEECH_VERBS,
    VERB_TRIGGERS,
    normalise_actor,
    verb_lemma,
    word_list,
)
from geomap.nlp.event_movements import movement_records
from geomap.nlp.event_records import (
    _FAMILY,
    _add_incident,
    _coordinated,
    add_telling,
    listed_within,
    merge_retold,
    sibling_of_list,
)
from geomap.nlp.event_scene import (  # noqa: F401  (re-exported for tests)
    _ANAPHORS,
    _PLACE_OBJECTS,
    SceneReader,
    _is_headline,
    _local,
    _place_in,
    _trim,
    _units,
    unit_index,
)
from geomap.nlp.event_triggers import (  # noqa: F401  (re-exported for tests)
    _ARMED,
    _EXPEL_VERBS,
    _NOMINAL,
    _PRIORITY,
    _TRIGGER_POS,
    _VERB_TRIGGER_LEMMAS,
    _actor_of,
    _generic,
    _gov,
    _hypothetical,
    _noun_lemma,
    _noun_trigger,
    _verb_trigger,
    target_actor,
)
from geomap.nlp.event_units import ReadingUnit
from geomap.nlp.loose_tolls import _RIOT_SUBS, _TOLL_TYPES, _attach_toll, _named_kind, _scene_event, _toll_incidents
from geomap.nlp.movements import join_legs
from geomap.nlp.scene_dates import told_at_another_time
from geomap.nlp.tolls import _count_gov, _use_count

__all__ = ["EventAnnotator", "extract_events"]

#: Kept for callers of the old name.
_Reader = SceneReader


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
    r = SceneReader(doc)
    # Headlines and highlights repeat the article body, so inside an article they are skipped;
    # a text made only of headline-like lines (a wire summary, a tweet) is read as it is.
    headline_only = all(_is_headline(u) for u in r.units)
    for idx, span in enumerate(r.units):
        if _is_headline(span) and not headline_only:
            continue
        u = ReadingUnit(r, idx)
        u.groups = _trigger_groups(r, u, headline_only)
        source = _trigger_incidents(r, u, headline_only)
        _toll_incidents(r, u)
        movement_records(r, u.span, u.speaker, u.next)
        if source:
            r.last_source = source
    return merge_retold(r.incidents, r.lead_end), join_legs(doc, r.movements)


def _trigger_groups(r: SceneReader, u: ReadingUnit, headline_only: bool) -> dict[int, list]:
    """The unit's event triggers, grouped by the clause (governing verb) they belong to."""
    doc = r.doc
    groups: dict[int, list[tuple[Token, str, str | None, bool]]] = {}
    pos = doccache.column(doc, POS)
    for i in range(u.span.start, u.span.end):
        if pos[i] not in _TRIGGER_POS:
            continue  # no trigger rule reads other parts of speech
        tok = doc[i]
        trig = None
        is_verb = False
        if tok.pos_ == "VERB" and (
            tok.dep_ == "amod"
            or (
                tok.dep_ == "acl"
                and tok.tag_ == "VBN"
                and not (tok.sent.root.pos_ not in ("VERB", "AUX") and not any(c.dep_ == "agent" for c in tok.children))
            )
        ):
            # ("On 18 June, vendors protested in Homs" parsed with "On" or "vendors" as the root:
            # a participle with no "by" agent is the sentence's verb)
            continue  # "besieged Homs", "civilians besieged by" describe, they do not report
        if tok.pos_ == "VERB" and not (tok.dep_ in _NOMINAL and _noun_lemma(tok) in NOUN_TRIGGERS):
            trig = _verb_trigger(tok, r.place_tokens)
            is_verb = True
        elif tok.pos_ in ("NOUN", "PROPN", "VERB") or (tok.pos_ == "ADJ" and tok.dep_ in _NOMINAL):
            trig = _noun_trigger(tok, headline_only)
        if trig is None or tok.i in u.excluded:
            continue
        gov = _gov(tok)
        if _hypothetical(tok, u.span) or _habitual(gov):
            continue
        groups.setdefault(gov.i, []).append((tok, trig[0], trig[1], is_verb))
    return _fold_killings(doc, groups)


_KILLING_VERBS = frozenset({"kill", "massacre", "execute"})


def _fold_killings(doc: Doc, groups: dict[int, list]) -> dict[int, list]:
    """A killing coordinated with or subordinate to a violent clause is that event's outcome,
    not a second event ("shelled a civilian area and killed people", "bombed the town,
    killing civilians"): its triggers join the governing clause's group."""
    for gov_i in list(groups):
        trigs = groups[gov_i]
        if not all(t[3] and verb_lemma(t[0]) in _KILLING_VERBS for t in trigs):
            continue
        head = doc[gov_i]
        parent = head.head.i
        if (
            head.dep_ in ("conj", "advcl", "xcomp")
            and parent in groups
            and parent != gov_i
            and any(t[1] in _TOLL_TYPES for t in groups[parent])
            and not told_at_another_time(head)  # "shelled X a day after troops killed 40 there"
        ):
            groups[parent].extend(trigs)
            del groups[gov_i]
            continue
        # "A man was killed when a shell hit Douma": the violent clause under the killing
        for child_i in list(groups):
            child = doc[child_i]
            if (
                child_i != gov_i
                and child.dep_ in ("advcl", "conj")
                and child.head.i == gov_i
                and any(t[1] in _TOLL_TYPES for t in groups[child_i])
                and not told_at_another_time(child, measured=True)
            ):
                groups[child_i].extend(trigs)
                del groups[gov_i]
                break
    return groups


def _tied_toll(r: SceneReader, u: ReadingUnit, head: Token) -> Span | None:
    """The death or injury count of the unit that belongs to the clause headed by ``head``."""
    gov_i = head.i
    for c in r.counts:
        if c.start in u.used_counts or not (u.span.start <= c.start < u.span.end):
            continue
        ctype = (c._.count or {}).get("count_type")
        cg = _count_gov(c)
        # "shelled Rastan, killing at least 12": the toll belongs to the shelling
        tied = (
            cg.i == gov_i
            # "Shelling kills 5": a gerund subject governed by the toll's verb
            or (head.dep_ in ("csubj", "nsubj") and head.head.i == cg.i)
            or (
                cg.dep_ in ("advcl", "conj")
                and cg.head.i == gov_i
                and (cg.tag_ == "VBG" or verb_lemma(cg) in _KILLING_VERBS)
                and not told_at_another_time(cg)  # "a day after troops killed 40 there": theirs
            )
            # "15 people were killed when warplanes struck a market", "six people were
            # reported killed in shelling"
            or (
                head.dep_ in ("advcl", "xcomp", "oprd")
                and head.head.i == cg.i
                and not told_at_another_time(head, measured=True)
            )
        )
        if ctype in ("killed", "injured") and tied:
            u.used_counts.add(c.start)
            return c
    return None


def _actors(head: Token, tok: Token, etype: str, sub: str | None, is_verb: bool) -> tuple[str | None, str | None]:
    """actor1 (the doer) and actor2 (the target) of a trigger's clause, in the roles its
    event type allows (actors.clause_roles: a protest is made by protesters)."""
    actor1 = _actor_of(head, ("nsubj",)) if is_verb or head.lemma_.lower() in EVENTIVE_VERBS else None
    if not is_verb:
        actor1 = actor1 or normalise_actor([c for c in tok.children if c.dep_ in ("poss", "compound", "amod")])
    actor2 = _actor_of(head, ("dobj",)) if is_verb else None
    if etype in ("clash", "bombardment"):
        actor2 = actor2 or target_actor(head, tok)  # "air strikes against IS positions"
    if etype == "attack_on_civilians":
        actor2 = "civilians"
        if is_verb and finds_bodies(head):
            actor1 = None  # who found the bodies did not kill (event_breadth)
    if etype == "defection":
        objs = [c for c in head.children if c.dep_ == "dobj"]
        actor1 = normalise_actor(list(objs[0].subtree)) if objs else actor1
        actor2 = None
    if head.lemma_.lower() == "come" and any(c.dep_ == "prep" and c.lower_ == "under" for c in head.children):
        actor1, actor2 = None, actor2 or actor1  # "the district came under fire": the subject was hit
    if actor1 == "civilians" and etype in _TOLL_TYPES | {"control_change"}:
        # civilians are the target of violence, never its doer ("leaving hundreds injured")
        actor1, actor2 = None, actor2 or "civilians"
    return clause_roles(etype, sub, actor1, actor2)


def _trigger_incidents(r: SceneReader, u: ReadingUnit, headline_only: bool) -> str | None:
    """One record per triggered clause (per place when places are coordinated).

    Returns the last source named in the unit, so that the next sentences can inherit it.
    """
    source_seen = None
    for gov_i, trigs in u.groups.items():
        source_seen = _clause_incidents(r, u, r.doc[gov_i], trigs, headline_only) or source_seen
    return source_seen


def _unresolved_clause_place(head: Token, tok: Token, u: ReadingUnit) -> Span | None:
    """A place the gazetteer lacks, kept as text with no point (event_breadth): in the
    clause, else anywhere in the unit when it is plainly a place ("did a sit-in protest
    refusing to work at their schools in Zanjan city")."""
    place = unresolved_place(_local(head, tok), u.span, u.excluded)
    if place is None:
        place = unresolved_place({t.i for t in u.span}, u.span, u.excluded, strict=True)
    return place


def _clause_incidents(r: SceneReader, u: ReadingUnit, head: Token, trigs: list, headline_only: bool) -> str | None:
    """The records of one triggered clause headed by ``head``; returns the clause's source."""
    unit = u.span
    # a crowd's violence told by the clause's verb outranks the occasion it happened in
    # ("rioters clashed with soldiers during their raid": a riot, not a raid)
    trigs.sort(key=lambda t: (not (t[3] and t[1] == "protest" and t[2] in _RIOT_SUBS), _PRIORITY.index(t[1])))
    tok, etype, sub, is_verb = trigs[0]
    place, qual, pbasis = r.find_place(head, tok, unit, u.excluded)
    source, sverb = find_source(tok, unit, u.speaker, r.last_source)
    source = r.via_outlet(source, u.speaker, u.idx)
    status = claim_status(unit, u.next, sverb, source, tok)
    if etype == "control_change" and status in ("disputed", "denied"):
        sub = "claimed"
    count = _tied_toll(r, u, head)
    value, dbasis = r.find_date(head, unit, _FAMILY.get(etype, etype), pbasis)
    if place is None:
        place, pbasis = _unresolved_clause_place(head, tok, u), "unresolved"
    retold = _retold_event(r, u, tok, etype, is_verb, pbasis)
    if retold is not None:
        # "the clashes started after ...": the event already told, not a new one where the
        # anaphor points
        add_telling(retold, unit)
        _give_toll(r, u, retold, count)
        return source
    if place is None or _generic(head, tok, unit, r, in_headline=headline_only):
        target = _scene_event(r, u, kind=_named_kind(_count_gov(count), count)) if count is not None else None
        # (not an event of its own sentence: "airstrikes on Aleppo and a US-led raid that killed
        # scores" are two events)
        if target is not None and target["char_start"] != unit.start_char:
            # "...detonated an IED targeting the brigade. The blast killed 1": a clause that
            # gives no record of its own tells the toll of the event on the scene
            _give_toll(r, u, target, count)
        return source
    pbasis, places, coordinated, members = _clause_places(r, u, head, tok, place, pbasis)
    if len(places) > 1 or members:
        # "Fighting in Homs and Hama and Idlib, killing 4 and injuring 9": one record per
        # place; a toll over all of them cannot be split, so no place gets it (documented)
        count = None
        _drop_clause_tolls(r, u, head)
    actor1, actor2 = _actors(head, tok, etype, sub, is_verb)
    if etype == "defection" and not source:
        source = _defector_named(head)
    if count is not None:
        _use_count(r, u.used_counts, count)  # its coordinated tolls are in this record
    common = {
        "pbasis": pbasis,
        "value": value,
        "dbasis": dbasis,
        "actor1": actor1,
        "actor2": actor2,
        "source": source,
        "status": status,
        "is_verb": is_verb,
    }
    if pbasis == "area":
        # villages the gazetteer lacks, each on the area the account is about
        _area_records(r, u, head, (etype, sub), place, qual, count, bool(members), common)
        if not members:
            return source
    for k, pl in enumerate(places):
        _add_incident(r, unit, etype, sub, pl, qual if k == 0 else pl._.place_qualifier, count=count, **common)
    _members_on_their_town(r, u, (etype, sub), [p for p in coordinated if p not in places], common)
    for other_type, other_sub in _coordinated_kinds(trigs):
        # "Air strikes and mortar fire struck the villages": two kinds of violence, two records
        for pl in places:
            _add_incident(r, unit, other_type, other_sub, pl, pl._.place_qualifier, count=None, **common)
    return source


def _clause_places(r: SceneReader, u: ReadingUnit, head: Token, tok: Token, place: Span, pbasis: str):
    """(basis, places, coordinated mentions, list members) of a clause placed at ``place``: the
    places coordinated with it, or the members of a list it opens, one record each."""
    if pbasis == "clause" and len(r.named_places.get((place.start, u.span.start)) or ()) > 1:
        pbasis = "area"  # listed quarters the gazetteer lacks ("the neighborhoods of A B and C"): one record each
    # a name the gazetteer lacks is one place ("Suleymanpasa town, Tekirdag": the province follows)
    coordinated = [place] if pbasis == "unresolved" else _coordinated(place, r.places)
    places = _resolved_first(coordinated)
    members = _list_members(r, u, head, tok, place) if len(places) == 1 and pbasis == "clause" else []
    if members:
        pbasis, places = "area", [m for m in members if m._.place_id]
    return pbasis, places, coordinated, members


def _area_records(
    r: SceneReader, u: ReadingUnit, head: Token, kind: tuple, place: Span, qual, count, listed: bool, common: dict
) -> None:
    """Records on the area ``place`` for the places in it the gazetteer lacks (named), or one
    for the area itself unless the clause listed resolved places in it."""
    named_here = r.named_places.get((place.start, u.span.start))
    names: list[str | None] = list(named_here) if named_here else [None]
    if len(names) > 1:
        _drop_clause_tolls(r, u, head)
    for name_ in names if named_here or not listed else []:
        _add_incident(
            r, u.span, kind[0], kind[1], place, qual, count=count if len(names) == 1 else None, named=name_, **common
        )


def _defector_named(head: Token) -> str | None:
    """ "Abu Omar left his unit": the defector who tells of his own defection is its source."""
    subj = [c for c in head.children if c.dep_ == "nsubj"]
    if subj and subj[0].pos_ == "PROPN":
        return head.doc[subj[0].left_edge.i : subj[0].i + 1].text
    return None


def _members_on_their_town(r: SceneReader, u: ReadingUnit, kind: tuple, dropped: list[Span], common: dict) -> None:
    """ "shelled the districts of Bab Qibli and Tal Abu Hanak in Hama city": a member the gazetteer
    lacks, listed beside resolved ones, sits on the town the phrase puts it in (named as the
    text names it); with no such town it gives no record."""
    for m in dropped:
        outer = r.container(m, u.span, u.excluded) or r.town_of_part(m, u.span, u.excluded)
        if outer is not None:
            _add_incident(r, u.span, kind[0], kind[1], outer, None, count=None, named=m.text, **common)


def _resolved_first(places: list[Span]) -> list[Span]:
    """Coordinated places without the members the gazetteer lacks, when some have a point:
    a record with no point beside its resolved siblings only adds a row off the map."""
    resolved = [p for p in places if p._.place_id]
    return resolved if resolved and len(resolved) < len(places) else places


def _list_members(r: SceneReader, u: ReadingUnit, head: Token, tok: Token, place: Span) -> list[Span]:
    """The places the clause lists inside its area ``place`` ("positions in the surroundings
    of A B and C in Aleppo"), each the place of a record of its own; the members the gazetteer
    lacks are named on the area (``r.named_places``)."""
    if (place.start, u.span.start) in r.named_places:
        return []  # the area stands for a village the gazetteer lacks ("Tokhar part of Manbij")
    local = {i for i in _local(head, tok) if u.span.start <= i < u.span.end} - u.excluded
    members = listed_within(place, [p for p in r.places if p.start in local or (p.end - 1) in local])
    if members and sibling_of_list(place, members):
        # "in the surrounding of A B ... and in the village of C": C is one more member, not the
        # area they lie in; the members the gazetteer lacks get no point (never C's)
        return [place] + [m for m in members if m._.place_id]
    if members:
        r.named_places[(place.start, u.span.start)] = [m.text for m in members if not m._.place_id]
    return members


#: adverbs that tell what happens time and again, not one event ("militants routinely fire
#: mortars"): lexicon/word_lists.tsv habitual_adverbs
_HABITUAL_ADVERBS = word_list("habitual_adverbs")


def _habitual(head: Token) -> bool:
    """ "militants routinely fire mortars into Tartus", "the eastern suburbs of X have
    repeatedly come under mortar fire": no event on a day or span, the background of the account."""
    advs = {c.lower_ for c in head.children if c.dep_ == "advmod"}
    perfect = any(c.dep_ in ("aux", "auxpass") and c.lemma_.lower() == "have" for c in head.children)
    return bool(advs & _HABITUAL_ADVERBS) or (perfect and "previously" in advs)


def _give_toll(r: SceneReader, u: ReadingUnit, target: dict, count: Span | None) -> None:
    """The clause's toll, if any, is the event ``target``'s."""
    if count is not None:
        _use_count(r, u.used_counts, count)
        _attach_toll(r, target, count)


_DEFINITE = frozenset({"the", "these", "this", "those"})


def _retold_event(r: SceneReader, u: ReadingUnit, tok: Token, etype: str, is_verb: bool, pbasis) -> dict | None:
    """The record an event noun with a definite article retells when its clause names no place
    of its own ("...clashes erupted in Qalamoun. The sources said the clashes started after
    ..."): the last event of that kind told before, if any."""
    if is_verb or pbasis != "anaphor" or not any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in tok.children):
        return None
    for start, i in reversed(r.scene):
        if start < u.span.start_char and r.incidents[i]["event_type"] == etype:
            return r.incidents[i]
    return None


def _drop_clause_tolls(r: SceneReader, u: ReadingUnit, head: Token) -> None:
    """Mark the death and injury tolls of the clause headed by ``head`` as taken."""
    for c in r.counts:
        if not (u.span.start <= c.start < u.span.end) or (c._.count or {}).get("count_type") not in (
            "killed",
            "injured",
        ):
            continue
        gov = _count_gov(c)
        for _ in range(3):  # "targeted ..., killing 71 and injuring 81": up through the gerunds
            if gov.i == head.i or gov.dep_ not in ("advcl", "conj", "xcomp"):
                break
            gov = gov.head
        if gov.i == head.i:
            _use_count(r, u.used_counts, c)


def _coordinated_kinds(trigs: list) -> list[tuple[str, str | None]]:
    """Other kinds of remote violence named side by side with the clause's first trigger
    ("air strikes and tank fire", "shelling and air strikes")."""
    first = trigs[0]
    out = []
    for tok, etype, sub, _ in trigs[1:]:
        linked = tok.head.i == first[0].i or first[0].head.i == tok.i or tok.head.i == first[0].head.i
        if (
            (tok.dep_ == "conj" or first[0].dep_ == "conj")
            and linked
            and etype == "bombardment" == first[1]
            and sub
            and first[2]
            and sub != first[2]
            and (etype, sub) not in out
        ):
            out.append((etype, sub))
    return out


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
