"""The date of an event clause, for ``geomap.nlp.event_scene.SceneReader.find_date``.

In order: the clause's own date expression or a governing clause's (or the one opening the
sentence), then for a running toll the span from the conflict's start to the statement, then
the day a statement was made, then the date of the same kind of event told just before, then
the scene date the account set, then the week up to publication (``date_basis``
``"publication"``). Only a stated date is passed on to the following sentences.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from geomap.nlp.date_resolve import _num
from geomap.nlp.dates import _DATE_WORDS, opening_date, resolve_date, scene_date
from geomap.nlp.event_lexicon import SPEECH_VERBS, verb_lemma, word_list
from geomap.nlp.event_units import _local, unit_index

if TYPE_CHECKING:
    from geomap.nlp.event_scene import SceneReader

_RANGE_RE = re.compile(r"\b(?:past|last)\s+(?:\w+\s+)?(?:days?|weeks?|months?)\b|\bago\b", re.I)


def _hedge(verb: Token) -> bool:
    """ "(as reported)", "as stated": a hedge on the date, not a statement made that day."""
    return any(c.lower_ == "as" and c.dep_ in ("advmod", "mark") for c in verb.children)


def _said_on(d: Span) -> bool:
    """The date expression tells when something was said ("said Tuesday", "said on June 9",
    "In June activists said")."""
    head = d.root.head
    if head.dep_ == "prep" and head.lower_ in ("on", "in", "at") and head.head.pos_ in ("VERB", "AUX"):
        head = head.head  # the preposition hangs the date on the verb
        # "Fighting was reported in Homs on Tuesday": a passive report's date is the event's
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in head.children):
            return False
    return (head.lemma_.lower() in SPEECH_VERBS and not _hedge(head)) or (d.root.lemma_.lower() in SPEECH_VERBS)


#: verbs whose perfect tells a situation still going on ("fighting has continued")
_ONGOING_VERBS = word_list("ongoing_verbs")
#: participles describing an argument that say what it is, not what was done to it: their day
#: dates the clause ("struck depots belonging to X on Friday"), an eventive one's does not
_STATIVE_PARTICIPLES = word_list("stative_participles")
#: nouns of a stretch of time ("all week", "for days")
_DURATION_NOUNS = word_list("duration_nouns")


def _lasting(head: Token) -> bool:
    """The clause tells a stretch of time, not a day: "all week", "for days", "for weeks"."""
    for i in _local(head):
        t = head.doc[i]
        if t.lemma_.lower() not in _DURATION_NOUNS:
            continue
        if any(c.lower_ == "all" for c in t.children) or (t.head.lower_ == "for" and t.tag_ == "NNS"):
            return True
    return False


def _continuing(head: Token) -> bool:
    """A perfect that tells a situation lasting up to the moment of speech, not a deed done
    before it: "there has been fierce shelling", "have been shelling", "fighting has raged"."""
    return (
        any(c.dep_ == "expl" for c in head.children)
        or (head.tag_ == "VBG" and any(c.dep_ == "aux" and c.lower_ == "been" for c in head.children))
        or verb_lemma(head) in _ONGOING_VERBS
    )


def _said_bound(value: dict, head: Token) -> dict:
    """When a clause in the perfect was done, by a statement's day ("have seized ..., the
    Pentagon said on June 9"): on or before that day, the week up to it (like the publication
    week), never the day itself; a month or year, a clause in the simple past, or a perfect
    that tells a situation still going on that day ("there has been fierce shelling"), keeps
    the statement's date."""
    end = value.get("date_end")
    if value.get("date_precision") != "day" or end is None:
        return dict(value)
    if _lasting(head):
        # "had been bombing X all week, activists said on Saturday": the week up to that day
        return {"date_start": end - dt.timedelta(days=6), "date_end": end, "date_precision": "week"}
    perfect = any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in head.children)
    if not perfect or _continuing(head):
        return dict(value)
    return {"date_start": end - dt.timedelta(days=6), "date_end": end, "date_precision": "week"}


def _date_scope(node: Token) -> set[int]:
    """The tokens whose date expression dates ``node``'s clause: the clause, with the
    stative participles describing its arguments ("struck depots belonging to the Nusra Front
    ... on Friday"; not "positions captured by rebels on Monday", the capture's day) and, for a verb the parser hung on its subject noun, that noun's phrases ("The
    armed gangs on Friday pounded ...")."""
    local = _local(node)
    for arg in node.children:
        for t in arg.children:
            if t.dep_ == "acl" and t.tag_ in ("VBG", "VBN") and t.lemma_.lower() in _STATIVE_PARTICIPLES:
                local |= {x.i for x in t.subtree}
    if node.dep_ == "acl":
        local |= {x.i for p in node.head.children if p.dep_ == "prep" for x in p.subtree}
    return local


def _since(d: Span) -> bool:
    """ "have been shelling X since Monday": from that day to the statement, not the day."""
    return d[0].lower_ == "since" or (d.root.head.lower_ == "since" and d.root.head.i < d.start)


def _own_date(head: Token, unit: Span, other: list[Span]) -> Span | None:
    """The date expression of the clause or of a clause governing it (below any speech verb),
    else the one opening the sentence ("On 20 February 2022, ...")."""
    chain = [head] + [a for a in head.ancestors if a.pos_ in ("VERB", "AUX")]
    for node in chain:
        if node.lemma_.lower() in SPEECH_VERBS and node is not head:
            break
        local = _date_scope(node)
        hits = [d for d in other if d.root.i in local]
        if hits:
            return min(hits, key=lambda d: abs(d.root.i - head.i))
    return opening_date(unit, other)


#: "a day after", "two weeks before", "hours after": lexicon/date_words.tsv
_OFFSET_NOUNS = _DATE_WORDS["offset_nouns"]
_OFFSET_MARKS = _DATE_WORDS["offset_marks"]
_HISTORY_MEASURES = _DATE_WORDS["history_measures"]
_DAYS_PER_OFFSET = {"week": 7, "hour": 0}


_OTHER_TIME_MARKS = _DATE_WORDS["other_time_marks"]


def told_at_another_time(clause: Token, measured: bool = False) -> bool:
    """The clause is marked as happening at another time than the clause it hangs on ("after
    troops killed 40 there", "before rebels shelled X"): another event, not that clause's
    outcome. With ``measured``, only when a measure says how long ("a day after"): "killed
    after a shell hit the market" tells the shell's outcome."""
    if not any(c.dep_ == "mark" and c.lower_ in _OTHER_TIME_MARKS for c in clause.children):
        return False
    return not measured or any(c.dep_ == "npadvmod" and c.lemma_.lower() in _OFFSET_NOUNS for c in clause.children)


def _offset_clause(head: Token) -> tuple[Token, Token, int] | None:
    """(measure noun, mark, days) when ``head`` lies in a clause told as "<measure> after/before"
    another ("shelled X on Tuesday, a day after troops killed 40 there"; "hours before"), with
    days < 0 for "after" (the clause happened that long before the other). A measure without a
    number ("days after") tells no day."""
    for node in [head, *head.ancestors]:
        marks = [c for c in node.children if c.dep_ == "mark" and c.lower_ in _OFFSET_MARKS and c.i < head.i]
        if not marks:
            continue
        for m in node.children:
            if m.dep_ != "npadvmod" or m.lemma_.lower() not in _OFFSET_NOUNS or m.i > marks[0].i:
                continue
            per = _DAYS_PER_OFFSET.get(m.lemma_.lower(), 1)
            numbers = [c for c in m.children if c.dep_ in ("det", "nummod") and _num(c.text) is not None]
            if per and m.tag_ == "NNS" and not numbers:
                return None  # "days after": some days, no day
            n = (_num(numbers[0].text) or 1) if numbers else 1
            sign = -1 if marks[0].lower_ == "after" else 1
            return m, marks[0], sign * n * per
        return None
    return None


def _offset_value(r: SceneReader, head: Token, unit: Span) -> dict | None:
    """The day of a clause told as "a day after" another: the single day stated before the
    measure in its sentence, moved by the measure ("hours after": that day or the one before).
    None when the clause states a day of its own or the other clause states none."""
    found = _offset_clause(head)
    if found is None:
        return None
    measure, mark, days = found
    in_unit = [d for d in r.dates if unit.start <= d.start and d.end <= unit.end]
    if any(d.start > mark.i for d in in_unit):
        return None  # "a day after troops killed 40 there on Monday": its own date
    days_before = [
        d._.date_value
        for d in in_unit
        if d.end <= measure.left_edge.i
        and d._.date_value.get("date_precision") == "day"
        and d._.date_value.get("date_start") is not None
        and d._.date_value["date_start"] == d._.date_value.get("date_end")
    ]
    if not days_before:
        return None
    day = days_before[-1]["date_start"] + dt.timedelta(days=days)
    start = day - dt.timedelta(days=1) if days == 0 and mark.lower_ == "after" else day
    end = day + dt.timedelta(days=1) if days == 0 and mark.lower_ == "before" else day
    return {"date_start": start, "date_end": end, "date_precision": "day"}


def _cumulative_value(r: SceneReader, unit: Span, anchor: dt.date | None) -> tuple[dict, str]:
    """A running toll without a date of its own: from the conflict's start (usually stated just
    before the toll) to the statement or publication."""
    prev = [
        d
        for d in r.dates
        if d.end <= unit.start and unit.start - d.start < 80 and d._.date_value["date_precision"] in ("month", "year")
    ]
    start = prev[-1]._.date_value if prev else None
    if start and start["date_start"] and anchor and start["date_start"] < anchor:
        return {
            "date_start": start["date_start"],
            "date_end": anchor,
            "date_precision": start["date_precision"],
        }, "context"
    return {"date_start": None, "date_end": anchor, "date_precision": "unknown"}, "publication"


def _recalled(head: Token) -> bool:
    """The clause recalls an earlier event as background: a clause "before"/"since" something,
    or "after" something and hanging from no past-tense event ("putting an end to the chaos ...
    after it fell to ISIS"). (A past perfect alone is no sign: reported speech shifts tenses
    back, "state media reported that troops had regained control".) Only asked of a clause
    with no date of its own or of a clause governing it. The clause is the one the event's
    verb belongs to: "weeks after the army managed to retake X", "after rebels were able to
    seize X", "after troops shelled X and stormed Y" are one clause with the "after"."""
    while head.dep_ in ("xcomp", "acomp", "conj") and head.head is not head:
        head = head.head
    marks = {c.lower_ for c in head.children if c.dep_ == "mark"}
    if head.dep_ != "advcl" or not marks & {"after", "since", "before"}:
        return False
    if _measured_history(head):
        return True
    # "Before the army regained Aleppo, the group said ...": with no day of its own, a clause
    # told as what came before or since another is history, whatever the tense it hangs on
    return bool(marks & {"before", "since"}) or head.head.tag_ != "VBD"


def _frames_sentence(head: Token) -> bool:
    """A "before" clause opens the sentence and hangs on its root ("Before the army regained
    Aleppo, the group said ..."): the whole sentence is told as of that earlier time. (A
    "since" clause is not: "Since X, militants have shelled the town" runs until now.)"""
    while head.dep_ in ("xcomp", "acomp", "conj") and head.head is not head:
        head = head.head
    before = any(c.dep_ == "mark" and c.lower_ == "before" for c in head.children)
    return before and head.dep_ == "advcl" and head.head.dep_ == "ROOT" and head.i < head.head.i


def _outside_history(head: Token, found: Span | None) -> Span | None:
    """``found`` unless it is the governing clause's date and the clause is measured history:
    in "shelled X on Monday, weeks after the army retook Y" Monday is not the retaking's day."""
    while head.dep_ in ("xcomp", "acomp", "conj") and head.head is not head:
        head = head.head
    if found is None or head.dep_ != "advcl" or not _measured_history(head):
        return found
    inside = head.left_edge.i <= found.start and found.end - 1 <= head.right_edge.i
    return found if inside else None


def _measured_history(clause: Token) -> bool:
    """A measure of days or more before "after" ("weeks after", "two years after") puts the
    clause that long before the one it hangs on: with no day of its own it has no known day."""
    after = [c for c in clause.children if c.dep_ == "mark" and c.lower_ == "after"]
    return bool(after) and any(
        c.dep_ in ("npadvmod", "dep") and c.lemma_.lower() in _HISTORY_MEASURES and c.i < after[0].i
        for c in clause.children
    )


def _inherited_value(r: SceneReader, unit: Span, family: str, head: Token) -> tuple[dict, str]:
    """A clause with no date: the same kind of event's date told just before, the scene date,
    else the publication week; history the article recalls inherits none of them and is only
    known to be before publication."""
    idx = unit_index(r, unit)
    if _recalled(head):
        history = {"date_start": None, "date_end": r.published, "date_precision": "unknown"}
        if _frames_sentence(head):
            # "Before the army regained Aleppo, the group said ... . Backed by Kurds, the army
            # broke the siege of X.": the account of that time goes on, with no day either
            r.recent.append((idx, family, history))
        return dict(history), "publication"
    for j, fam, value in reversed(r.recent):
        if idx - j > 2:
            break
        if fam == family:
            # an account that goes on ("...on Saturday. Five were killed in X. Another shell
            # fell in Y") keeps its day from sentence to sentence
            r.recent.append((idx, family, value))
            return dict(value), "context"
    scene = scene_date(unit, r.dates)  # "On 14 May 2022, X ... Turkish forces also shelled the area."
    if scene is not None:
        return dict(scene._.date_value), "context"
    if r.published is None:
        return {"date_start": None, "date_end": None, "date_precision": "unknown"}, "unknown"
    return {
        "date_start": r.published - dt.timedelta(days=6),
        "date_end": r.published,
        "date_precision": "week",
    }, "publication"


def stated_date(r: SceneReader, head: Token, unit: Span) -> dict | None:
    """The date the clause headed by ``head`` states itself (or a clause governing it, below any
    speech verb), as ``clause_date`` would read it, without passing it on to later sentences;
    None when it states none ("four had died there the day before" -> that day)."""
    offset = _offset_value(r, head, unit)
    if offset is not None:
        return offset
    in_unit = [d for d in r.dates if unit.start <= d.start and d.end <= unit.end]
    opening = opening_date(unit, in_unit)
    other = [d for d in in_unit if d is opening or not _said_on(d)]
    found = _outside_history(head, _own_date(head, unit, other))
    return dict(found._.date_value) if found is not None else None


def clause_date(r: SceneReader, head: Token, unit: Span, family: str, cumulative: bool = False) -> tuple[dict, str]:
    """(date_value, basis) for the clause headed by ``head`` in ``unit``.

    ``family`` groups event kinds whose dates carry over to the next sentences; a
    ``cumulative`` toll spans from its start to the statement.
    """
    in_unit = [d for d in r.dates if unit.start <= d.start and d.end <= unit.end]
    opening = opening_date(unit, in_unit)
    # "On 5 June, the Pentagon said ...": a date opening the sentence frames all of it
    speech = [d for d in in_unit if _said_on(d) and d is not opening]
    other = [d for d in in_unit if d not in speech]
    anchor = speech[0]._.date_value["date_start"] if speech else r.published
    offset = _offset_value(r, head, unit)
    if offset is not None:
        r.recent.append((unit_index(r, unit), family, offset))
        return offset, "stated"
    found = _outside_history(head, _own_date(head, unit, other))
    if found is not None:
        value = dict(found._.date_value)
        if speech and _RANGE_RE.search(found.text):
            value = resolve_date(found.text, anchor) or value
        if (cumulative or _since(found)) and value.get("date_start"):
            value = {
                "date_start": value["date_start"],
                "date_end": anchor,
                "date_precision": value["date_precision"],
            }
        r.recent.append((unit_index(r, unit), family, value))
        return value, "stated"
    if cumulative:
        return _cumulative_value(r, unit, anchor)
    if speech:
        # the day it was said bounds the event; it is not inherited by later sentences
        return _said_bound(speech[0]._.date_value, head), "statement"
    return _inherited_value(r, unit, family, head)
