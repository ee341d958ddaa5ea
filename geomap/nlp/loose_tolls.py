"""Tolls that no triggered clause took, for ``geomap.nlp.events``.

A death or injury count whose clause tells no event of its own belongs to the violent event on
the scene ("...an air strike on the town. Five people were killed."; "3 fatalities." is the
whole toll of the account), else it is a ``casualties`` record where its sentence places it
(a running toll "since 2011" with no place sits on the article's country). A crowd's size
("Hundreds of students took to Salamiyah's streets") is a protest of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from geomap.nlp.actors import clause_roles
from geomap.nlp.attribution import claim_status, find_source
from geomap.nlp.counts import states_total, toll_value
from geomap.nlp.event_lexicon import CIVILIAN_NOUNS, NOUN_TRIGGERS, word_list
from geomap.nlp.event_records import _VIOLENT_TYPES, _add_incident, add_toll
from geomap.nlp.event_triggers import _ARMED, _actor_of, _hypothetical
from geomap.nlp.event_units import ReadingUnit, _local
from geomap.nlp.scene_dates import stated_date
from geomap.nlp.tolls import _count_gov, _count_value, _fold_toll, _use_count
from geomap.nlp.unresolved_places import unresolved_place
from geomap.schema import read_table

if TYPE_CHECKING:  # the reader is only an argument here
    from geomap.nlp.event_scene import SceneReader

_TOLL_TYPES = _VIOLENT_TYPES | {"casualties"}
_RIOT_SUBS = frozenset({"violent demonstration", "mob violence"})


def _protest_size(r: SceneReader, u: ReadingUnit, c: Span) -> None:
    """ "Hundreds of students took to Salamiyah's streets": a protest, with its size."""
    head = _count_gov(c)
    if any(head.i == g for g in u.groups):
        return
    place, qual, pbasis = r.find_place(head, c.root, u.span, u.excluded)
    if place is None:
        return
    u.used_counts.add(c.start)
    value, dbasis = r.find_date(head, u.span, "protest", pbasis)
    source, sverb = find_source(c.root, u.span, u.speaker, r.last_source)
    status = claim_status(u.span, u.next, sverb, source, c.root)
    _add_incident(
        r, u.span, "protest", None, place, qual, pbasis, value, dbasis, "civilians", None, c, source, status, False
    )


def _cause(head: Token) -> Token | None:
    """The weapon or attack the toll's verb has for subject ("another rocket shell that fell
    in X left 5 civilians dead", "the blast killed 3"), if any."""
    for s in head.children:
        if s.dep_ == "nsubj" and s.pos_ == "NOUN" and NOUN_TRIGGERS.get(s.lemma_.lower(), ("",))[0] in _TOLL_TYPES:
            return s
    return None


def _toll_place(r: SceneReader, u: ReadingUnit, head: Token, c: Span):
    """(place, qualifier, basis) of a toll not tied to a described attack."""
    unit = u.span
    # "Israel killed 5", "Iran has lost 40 advisers": the subject of the toll's verb is who
    # killed or lost them, not where
    finite = head.pos_ == "VERB" and head.tag_ != "VBG"  # (a gerund's "subject" is often a misparse)
    subjects = {s.i for s in head.children if s.dep_ == "nsubj" and finite}
    doers = {i for p in r.places if p.root.i in subjects for i in range(p.start, p.end)}
    tokens = _local(head, c.root)
    own = _gapped_segment(r, head, c)
    if own and not any(p.start in own for p in r.places):
        # "killed 7 in X and 9 in <a name not read as a place>": not X's, left without a place
        return None, None, None
    if own:
        tokens = own  # "killed 7 in X on Saturday and at least 9 others in clashes in Y": Y's 9
    cause = _cause(head)
    if cause is not None:
        tokens |= {t.i for t in cause.subtree}  # "a shell that fell in X left 5 dead": where it fell
    place, qual, pbasis = r.find_place(head, c.root, unit, u.excluded | doers, tokens=tokens, whole_sentence=False)
    if place is None and head.pos_ not in ("VERB", "AUX") and not any(t.pos_ in ("VERB", "AUX") for t in unit):
        # a verbless headline ("Some 25 deaths in the strikes on the Houla plain"):
        # the fragment is the toll's clause
        place, qual, pbasis = r.find_place(
            head, c.root, unit, u.excluded, tokens={t.i for t in unit}, whole_sentence=False
        )
    return place, qual, pbasis


def _gapped_segment(r: SceneReader, head: Token, c: Span) -> set[int]:
    """The words from ``c`` to the next toll of the same verb, when an earlier toll of that verb
    comes first in its sentence ("killed seven soldiers in X and at least nine others in Y"):
    the second toll's own phrase, whatever the parser hung its place on."""
    tolls = [
        d
        for d in r.counts
        if d.sent.start == c.sent.start
        and (d._.count or {}).get("count_type") in ("killed", "injured")
        and _count_gov(d).i == head.i
    ]
    if not any(d.start < c.start for d in tolls):
        return set()
    end = min((d.start for d in tolls if d.start > c.start), default=c.sent.end)
    return set(range(c.start, end))


_SCENE_UNITS = 3
#: how far back a sentence that states the whole toll ("3 fatalities.") looks for its event
_TOTAL_UNITS = 5
#: protests where force was used: their dead and wounded are theirs
_FORCEFUL_PROTESTS = _RIOT_SUBS | {"with intervention", "excessive force"}


def _takes_toll(rec: dict) -> bool:
    """The record is a violent event (or a protest met with force) a loose toll may belong to."""
    return (
        rec["event_type"] in _TOLL_TYPES
        or rec["event_type"] == "control_change"
        or (rec["event_type"] == "protest" and rec.get("sub_type") in _FORCEFUL_PROTESTS)
    )


def _told_here(r: SceneReader, u: ReadingUnit) -> dict | None:
    """The violent event this unit told last, if any."""
    for start, i in reversed(r.scene):
        if start != u.span.start_char:
            if start < u.span.start_char:
                break
            continue
        if _takes_toll(r.incidents[i]):
            return r.incidents[i]
    return None


def _scene_event(r: SceneReader, u: ReadingUnit, reach: int = _SCENE_UNITS, kind: str | None = None) -> dict | None:
    """The violent event told last in this or the previous ``reach`` units ("...an air strike
    on the town. Five people were killed."), to which a toll without a place of its own belongs;
    the last one of ``kind`` when the toll names its event ("were killed in the battle"); for
    ``kind="total"`` ("3 fatalities.") the last one whose dead were told."""
    lo = r.units[max(0, u.idx - reach)].start_char
    told = [r.incidents[i] for start, i in reversed(r.scene) if start >= lo]
    told = [rec for rec in told if _takes_toll(rec)]
    if kind == "total":
        # the whole toll of the account: the event whose dead were already told, else the last
        counted = [rec for rec in told if rec.get("count_type") == "killed"]
        return next(iter(counted or told), None)
    return next((rec for rec in told if rec["event_type"] == kind), None) or next(iter(told), None)


def _named_kind(head: Token, c: Span) -> str | None:
    """The kind of event a toll's clause names ("killed in the clashes", "in the attack")."""
    doc = head.doc
    for i in sorted(_local(head, c.root)):
        tok = doc[i]
        trig = NOUN_TRIGGERS.get(tok.lemma_.lower()) if tok.pos_ == "NOUN" and tok.dep_ == "pobj" else None
        if trig is not None:
            return trig[0]
    return None


def _toll_incidents(r: SceneReader, u: ReadingUnit) -> None:
    """Records for the unit's tolls that no triggered clause took."""
    unit = u.span
    orphans: list[Span] = []
    for c in r.counts:
        if c.start in u.used_counts or not (unit.start <= c.start < unit.end) or c.start in u.excluded:
            continue
        ctype = (c._.count or {}).get("count_type")
        if ctype == "protesters" and not _hypothetical(_count_gov(c), unit):
            _protest_size(r, u, c)
        elif ctype in ("killed", "injured") and _toll_record(r, u, c):
            orphans.append(c)  # an event later in the sentence may still take it
    # "Nine Dead, 20 Hurt in Mortar Fire on Hama": a toll whose own clause
    # names no place belongs to the event its sentence places
    target = _told_here(r, u)
    if orphans and target is not None:
        for c in orphans:
            _use_count(r, u.used_counts, c)
            _attach_toll(r, target, c)


def _attach_toll(r: SceneReader, target: dict, c: Span, total: bool = False) -> None:
    """Give the loose toll ``c`` to the event ``target`` on the scene. A different death toll
    of an event that already has one is another event's ("shelled Hama, killing four, a day
    after security forces killed 80 there"; "Four more ... were killed"), so it is left out
    rather than read as a range; a stated total replaces it."""
    cval = _count_value(r, c)
    known = target.get("count_best") if target.get("count_type") == "killed" else None
    if not total and cval.get("count_type") == "killed" and known is not None and known != cval.get("count_best"):
        return
    add_toll(target, cval, total=total)


#: "a total of", "in the process", "so far": lexicon/word_lists.tsv running_total_phrases
_RUNNING_TOTAL = tuple(w.replace("_", " ") for w in word_list("running_total_phrases"))


def _running_total_phrase(head: Token, c: Span) -> bool:
    """ "a total of 40 civilians have been killed in the process", "so far": a running total over
    an operation or a war, not the toll of one day's event (nor a record of its own)."""
    doc = c.doc
    before = doc[max(c.sent.start, c.start - 4) : c.start].text.lower()
    clause = " ".join(t.lower_ for t in head.subtree)
    return any(before.endswith(p) or f" {p} " in f" {clause} " for p in _RUNNING_TOTAL)


def _recalled_toll(head: Token) -> bool:
    """ "in retaliation for an attack that killed 24 people", "after a raid that left 5 dead":
    the toll of an earlier event given as a reason, not of the event told."""
    noun = head.head
    return (
        head.dep_ in ("relcl", "acl")
        and noun.dep_ == "pobj"
        and noun.head.lower_ in ("for", "after", "following", "since")
    )


def _cumulative(head: Token) -> bool:
    """ "have been killed", "killed across Syria since ...": a running toll, not one event's."""
    return any(a.lower_ in ("have", "has") and a.dep_ in ("aux", "auxpass") for a in head.children) or any(
        t.lower_ == "since" for t in head.subtree
    )


def _running_total(head: Token, c: Span) -> bool:
    """ "the death toll has risen to 23", "the toll reached 3": the value of a toll noun, which
    tells an event's total so far (not the war's: no "since")."""
    return toll_value(c) and not any(t.lower_ == "since" for t in head.subtree)


def _toll_on_scene(r: SceneReader, u: ReadingUnit, head: Token, c: Span) -> bool:
    """Give a toll with no place of its own to the violent event on the scene ("...an air strike
    on the town. Five people were killed."); True when there is none."""
    total = states_total(c)
    kind = _named_kind(head, c) or ("total" if total else None)
    target = _scene_event(r, u, _TOTAL_UNITS if total else _SCENE_UNITS, kind)
    if target is None:
        return True
    unit = u.span
    unnamed = unresolved_place(_local(head, c.root), unit, u.excluded) or unresolved_place(
        {t.i for t in unit}, unit, u.excluded, strict=True
    )
    if unnamed is not None and (target["place"] is None or unnamed.text != target["place"].text):
        # "the toll in al-Warda neighborhood rose to 2": a place the gazetteer lacks is
        # still another place than the scene's; the toll is left out rather than misplaced
        return False
    _use_count(r, u.used_counts, c)
    if _elsewhere(c):
        return False  # "Elsewhere, five soldiers were killed": no toll of the scene's event
    if not total and _another_day(stated_date(r, head, unit), target) and _same_scene(head, c):
        # "Jets struck X on Friday. The day before, shelling had left four dead": the dead of
        # another day of the account, at the scene's place, are another event, not its toll
        where = (target["place"], target.get("place_qualifier"), "anaphor")
        _casualty_record(r, u, head, c, where, cumulative=False)
        return False
    _attach_toll(r, target, c, total=total)
    return False


#: days apart within which a toll of another day is on the scene's place: the same week's
#: account ("the day before", "on Monday")
_SCENE_DAYS = 7
_SCOPE = {
    r["list"]: tuple(w.strip() for w in r["words"].split(";"))
    for r in read_table(Path(__file__).with_name("lexicon") / "toll_scope.tsv")
}
#: "Elsewhere, ...", "nationwide": lexicon/toll_scope.tsv
_OTHER_PLACE = _SCOPE["other_place_phrases"]
#: "died of their wounds": lexicon/toll_scope.tsv
_LATER_DEATH_NOUNS = frozenset(_SCOPE["later_death_nouns"])


def _another_day(own: dict | None, target: dict) -> bool:
    """The toll's own single day is another day of the same week's account than the single day
    of the event on the scene (an event recalled from years before sets no scene; the scene
    event's wounded who died later are told as such: ``_same_scene``)."""
    if own is None or own.get("date_precision") != "day" or own.get("date_start") is None:
        return False
    day = target.get("date_start")
    if target.get("date_precision") != "day" or day is None or target.get("place") is None:
        return False
    return 0 < abs((day - own["date_start"]).days) <= _SCENE_DAYS


def _elsewhere(c: Span) -> bool:
    """The toll's sentence puts it elsewhere than the scene ("Elsewhere, ...", "nationwide",
    "across the country")."""
    sent = f" {' '.join(t.lower_ for t in c.sent)} "
    return any(f" {p} " in sent for p in _OTHER_PLACE)


def _same_scene(head: Token, c: Span) -> bool:
    """Nothing in the toll's sentence tells dead the scene's event left ("died of their
    wounds") or adds to its toll ("two more were killed")."""
    doc = c.doc
    if c.end < len(doc) and doc[c.end].lower_ == "more":
        return False
    # (the toll's own verb: "six were killed, among them a man who died of his wounds" is theirs)
    return not any(
        t.lower_ in _LATER_DEATH_NOUNS for p in head.children if p.lower_ in ("of", "from") for t in p.children
    )


def _toll_record(r: SceneReader, u: ReadingUnit, c: Span) -> bool:
    """Give the death or injury count ``c`` to the event it belongs to, or a record of its own.

    Returns True when the count is left over: no place of its own and no event on the scene.
    """
    unit = u.span
    told_here = _told_here(r, u)
    if c._.count["count_type"] == "injured" and told_here is not None:
        # "killing 4 farmers and wounding 6": the wounded of the event just told
        _use_count(r, u.used_counts, c)
        _attach_toll(r, told_here, c)
        return False
    head = _count_gov(c)
    if _hypothetical(head, unit) or _recalled_toll(head) or _running_total_phrase(head, c):
        return False
    u.used_counts.add(c.start)
    place, qual, pbasis = _toll_place(r, u, head, c)
    # "the death toll has risen to 23" with no place of its own: the event's total so far
    cumulative = _cumulative(head) and not (place is None and _running_total(head, c))
    if place is None and not cumulative:
        return _toll_on_scene(r, u, head, c)
    if place is None:
        # a cumulative toll ("45 have been killed in three days of attacks on Eastern
        # Ghouta") sits where its sentence says
        place, qual, pbasis = r.find_place(head, c.root, unit, u.excluded)
    if place is None and r.main_country is not None:
        # a cumulative toll ("have been killed since 2011") without a place is the country's
        place, qual, pbasis = r.main_country, None, "country"
    if place is None:
        return False  # a later member of a coordinated toll may still find the place
    _use_count(r, u.used_counts, c)
    _casualty_record(r, u, head, c, (place, qual, pbasis), cumulative)
    return False


def _casualty_record(r: SceneReader, u: ReadingUnit, head: Token, c: Span, where: tuple, cumulative: bool) -> None:
    """A record of its own for the toll ``c`` at ``where`` (place, qualifier, basis): a
    ``casualties`` record, or the kind of violence its clause names as their cause."""
    unit = u.span
    place, qual, pbasis = where
    value, dbasis = r.find_date(head, unit, "violence", pbasis, cumulative=cumulative)
    source, sverb = find_source(c.root, unit, u.speaker, r.last_source)
    status = claim_status(unit, u.next, sverb, source, c.root)
    victims = {t.lemma_.lower() for t in c.root.subtree} | {t.lemma_.lower() for t in r.doc[c.end : c.end + 3]}
    etype, sub = "casualties", None
    actor1 = _actor_of(head, ("nsubj",)) if head.lemma_.lower() in ("kill", "massacre", "execute", "shoot") else None
    if actor1 in _ARMED and victims & CIVILIAN_NOUNS:
        etype = "attack_on_civilians"
    cause = _cause(head)
    if cause is not None:
        etype, sub = NOUN_TRIGGERS[cause.lemma_.lower()]  # the kind of violence that took them
    if _fold_toll(r, unit, place, c):
        return
    actor2 = "civilians" if etype == "attack_on_civilians" else None
    # civilians named as the doer of a toll are its victims (actors.clause_roles)
    actor1, actor2 = clause_roles(etype, None, actor1, actor2)
    _add_incident(r, unit, etype, sub, place, qual, pbasis, value, dbasis, actor1, actor2, c, source, status, False)
