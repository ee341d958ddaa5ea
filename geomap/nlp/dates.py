"""Date expressions in article text, resolved against the article's publication date.

The component ``geomap_dates`` collects candidate spans (spaCy's DATE/TIME entities plus
patterns the small English model misses, such as "Monday night" or "since March 2011"), drops
the ones that are not event dates (durations like "16 months", years inside names like "1925
Geneva protocols", habitual "every Friday") and stores the rest in ``doc._.dates`` with
``Span._.date_value = {date_start, date_end, date_precision}``.

Conventions (documented for users in docs/event-types.md):

- a weekday names the most recent such day on or before publication ("Tuesday");
- "last week" is the previous calendar week (Monday-Sunday); "this week" runs from Monday to
  publication; "in the past week" / "the past N days" end at the anchor date;
- "in recent days" is the week up to the anchor, "in recent weeks" the 30 days up to it
  ("recent months" and "recently" are left undated);
- "about 15 days ago" keeps the day but its precision becomes "week" (approximate);
- "since March 2011" starts on 2011-03-01 and ends on the anchor date;
- relative expressions with no publication date resolve to ``None`` with precision "unknown";
  nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from geomap.nlp import doccache, extensions  # noqa: F401
from geomap.nlp.date_resolve import MONTH_RE as _MONTH_RE
from geomap.nlp.date_resolve import MONTH_STEMS as _MONTH_STEMS
from geomap.nlp.date_resolve import MONTHS as _MONTHS
from geomap.nlp.date_resolve import NUM_RE as _NUM_RE
from geomap.nlp.date_resolve import UNIT_RE as _UNIT_RE
from geomap.nlp.date_resolve import WD_RE as _WD_RE
from geomap.nlp.date_resolve import WEEKDAYS as _WEEKDAYS
from geomap.nlp.date_resolve import resolve_date
from geomap.nlp.holidays import HOLIDAY_RE as _HOLIDAY_RE
from geomap.nlp.holidays import HOLIDAYS
from geomap.schema import read_table

__all__ = ["resolve_date", "find_date_spans", "opening_date", "scene_date", "DateAnnotator", "HOLIDAYS"]


#: Patterns the small English model misses or splits; matched on the raw text.
_EXTRA_PATTERNS = [
    re.compile(rf"\b{_WD_RE}\s+(?:night|morning|afternoon|evening)\b", re.I),
    re.compile(rf"\b(?:late|early|mid-?|(?:earlier|later)\s+(?:in\s+)?)\s*{_MONTH_RE}(?:\s+\d{{4}})?\b", re.I),
    re.compile(rf"\b(?:since|from)\s+(?:{_MONTH_RE}\s+)?\d{{4}}\b", re.I),
    re.compile(rf"\b(?:about|around|nearly|some|almost)?\s*{_NUM_RE}\s+{_UNIT_RE}\s+ago\b", re.I),
    re.compile(rf"\b(?:in\s+)?(?:just\s+)?the\s+(?:past|last)\s+(?:{_NUM_RE}\s+)?(?:{_UNIT_RE}|hours?)\b", re.I),
    re.compile(r"\b(?:last|this|next)\s+(?:night|week|month|year|weekend)\b", re.I),
    re.compile(r"\b(?:over|during|at)\s+the\s+(?:past\s+)?weekend\b", re.I),
    re.compile(r"\b(?:yesterday|today|tonight)\b", re.I),
    # "the previous night", "a day earlier": the day before the last date told
    re.compile(
        r"\b(?:the\s+(?:previous|preceding)\s+(?:day|night|evening|morning|afternoon)|a\s+day\s+earlier)\b", re.I
    ),
    # "the day before", "the night before" told alone: the day before the last date told ("the
    # day before the vote", "the night before Eid" count from something else)
    re.compile(
        r"\b(?:the|a)\s+(?:day|night)\s+before\b"
        r"(?!\s+(?:the|a|an|his|her|its|their|this|that|these|those|yesterday)\b)(?!\s+(?-i:[A-Z]))",
        re.I,
    ),
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    # "12 July 2012", "July 12, 2012": a full date the model cuts to its month ("July 2012")
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RE}(?:,?\s+(?:19|20)\d\d)?\b", re.I),
    re.compile(rf"\b{_MONTH_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d\d)?\b", re.I),
    # "earlier Wednesday", "later on Monday": the weekday the model often leaves out
    re.compile(rf"\b(?:earlier|later)\s+(?:on\s+)?{_WD_RE}\b", re.I),
    # "(on) the night of Monday to Tuesday", "overnight Monday to Tuesday"
    re.compile(
        rf"\b(?:(?:on\s+)?the\s+night\s+(?:of|between|from)|overnight(?:\s+from)?)\s+{_WD_RE}\s+(?:to|and|into)\s+{_WD_RE}\b",
        re.I,
    ),
    # a holiday after a preposition, optionally a day of it and a year ("during Eid al-Adha in 2016")
    re.compile(
        rf"\b(?:during|on|in|over|since|before|after|throughout|for|ahead\s+of|by)\s+(?:the\s+)?"
        rf"(?:(?:first|second|third|fourth|last|1st|2nd|3rd|4th)\s+day\s+of\s+(?:the\s+)?)?"
        rf"(?:(?:holy\s+)?month\s+of\s+)?{_HOLIDAY_RE}(?:\s+(?:holidays?|festival|feast))?"
        rf"(?:,?\s+(?:in\s+|of\s+)?(?:19|20)\d\d)?\b",
        re.I,
    ),
]
#: For each of _EXTRA_PATTERNS, words one of which any match contains (case-folded): a text
#: holding none of them cannot match, so the pattern's scan of the whole text is skipped.
#: tests/test_speed_exact.py checks every match on the seeds and a corpus against these.
_EXTRA_NEEDS: list[tuple[str, ...]] = [
    ("night", "morning", "afternoon", "evening"),
    ("late", "early", "mid", "earlier"),
    ("since", "from"),
    ("ago",),
    ("past", "last"),
    ("night", "week", "month", "year"),
    ("weekend",),
    ("yesterday", "today", "tonight"),
    ("previous", "preceding", "earlier"),
    ("before",),
    ("-",),
    _MONTH_STEMS,
    _MONTH_STEMS,
    ("earlier", "later"),
    ("night",),
    tuple(sorted({re.split(r"[-\s]+", a.lower())[0] for h in HOLIDAYS for a in h["aliases"]})),
]


_DATE_WORDS = {
    r["list"]: frozenset(r["words"].split()) for r in read_table(Path(__file__).with_name("lexicon") / "date_words.tsv")
}
_WEEKDAY_NOUNS = _DATE_WORDS["weekday_nouns"]
_DURATION = re.compile(rf"^(?:about |nearly |some |more than |at least |over )?{_NUM_RE} {_UNIT_RE}$", re.I)
_VAGUE = re.compile(
    r"^(?:the )?(?:hours?|days?|weeks?|months?|years?|night|morning|evening|decades?|recent months)$",
    re.I,
)


def _is_name_year(span: Span) -> bool:
    """True for a year that modifies a noun ("1925 Geneva protocols", "2012 Olympics")."""
    if not re.fullmatch(r"\d{4}", span.text):
        return False
    tok = span[-1]
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    if nxt is not None and nxt.pos_ in ("PROPN", "NOUN", "ADJ") and tok.head.i > tok.i:
        return True
    return tok.dep_ in ("compound", "nummod", "amod") and tok.head.pos_ in ("NOUN", "PROPN")


def _is_name_date(span: Span) -> bool:
    """True for a date inside a name ("the February 14 Youth Coalition", "the March 8 alliance"):
    the date modifies a capitalised noun right after it."""
    doc = span.doc
    if span.end >= len(doc):
        return False
    nxt = doc[span.end]
    if not (nxt.is_title and nxt.pos_ in ("PROPN", "NOUN")) or nxt.lower_ in _MONTHS or nxt.lower_ in _WEEKDAYS:
        return False
    return (
        span.root.head.i >= span.end
        and span.root.head.pos_ in ("PROPN", "NOUN")
        and span.root.dep_ in ("compound", "nmod", "nummod", "amod")
    )


def _is_modifier(span: Span) -> bool:
    """True for a weekday used as a noun modifier ("Friday prayers"), not for one the parser hung
    on the subject ("Monday tanks shelled Hama")."""
    tok = span[-1]
    return (
        len(span) == 1
        and tok.lower_ in _WEEKDAYS
        and tok.dep_ == "compound"
        and tok.head.lemma_.lower() in _WEEKDAY_NOUNS
    )


def _is_habitual(span: Span) -> bool:
    prev = span.doc[span.start - 1] if span.start > 0 else None
    return (
        prev is not None
        and prev.lower_ in ("every", "each", "on", "most")
        and (prev.lower_ != "on" or (span.start > 1 and span.doc[span.start - 2].lower_ == "every"))
    )


def find_date_spans(doc: Doc) -> list[Span]:
    """Candidate date spans of ``doc``: NER DATE/TIME plus extra patterns, longest first.

    Parameters
    ----------
    doc : spacy.tokens.Doc

    Returns
    -------
    list of Span
        Non-overlapping spans sorted by position (not yet resolved or filtered).
    """
    cands: list[Span] = [e for e in doc.ents if e.label_ in ("DATE", "TIME")]
    text = doccache.text(doc)  # Doc.text is rebuilt on every access
    folded = doccache.casefold_like_re(text)
    for pattern, needs in zip(_EXTRA_PATTERNS, _EXTRA_NEEDS):
        if not any(w in folded for w in needs):
            continue
        for m in pattern.finditer(text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is not None and span.text.strip():
                cands.append(span)
    # "since" directly before an entity date belongs to it ("since March 2011").
    grown = []
    for s in cands:
        if s.start > 0 and doc[s.start - 1].lower_ == "since":
            s = doc[s.start - 1 : s.end]
        grown.append(s)
    grown.sort(key=lambda s: (-(s.end - s.start), s.start))
    taken: set[int] = set()
    out = []
    for s in grown:
        if any(i in taken for i in range(s.start, s.end)):
            continue
        taken.update(range(s.start, s.end))
        out.append(s)
    return sorted(out, key=lambda s: s.start)


def opening_date(unit: Span, dates: list[Span]) -> Span | None:
    """The date that opens a sentence and so frames all of it ("On 20 February 2022, ...").

    A date counts when only a preposition or adverb ("On", "Around", "Earlier"), or a label
    ending in a colon ("Movement of forces: On 18 April 2022, ..."), comes before it in the unit,
    and a comma follows it. A clause whose parse hangs the date on another verb (a parenthesis,
    a coordinated verb) still took place on that date.

    Parameters
    ----------
    unit : Span
        A sentence (or headline line).
    dates : list of Span
        Resolved date spans (``doc._.dates``); only those inside ``unit`` are considered.

    Returns
    -------
    Span or None
    """
    doc = unit.doc
    for d in dates:
        if not (unit.start <= d.start and d.end <= unit.end):
            continue
        before = [t for t in doc[unit.start : d.start] if not t.is_space]
        colon = max((k for k, t in enumerate(before) if t.text == ":"), default=-1)
        before = before[colon + 1 :]
        if len(before) > 2 or any(t.pos_ not in ("ADP", "ADV", "PUNCT", "SCONJ") for t in before):
            return None
        nxt = doc[d.end] if d.end < unit.end else None
        # "On 3 May 2012, ...", "Around 3 May 2012 (as reported), ..."
        return d if nxt is not None and nxt.text in (",", "(") else None
    return None


def scene_date(unit: Span, dates: list[Span], back: int = 2) -> Span | None:
    """The date that opened one of the ``back`` sentences before ``unit`` in its paragraph.

    ACLED notes and news paragraphs set the day once ("On 14 May 2022, militants attacked ...
    Turkish forces also carried out air strikes in the same area."): a later sentence with no
    date of its own continues that scene. A blank line (a new paragraph) or another date in
    between ends it. The caller marks such a date as inferred (``context``).
    """
    doc = unit.doc
    sent = unit
    for _ in range(back):
        if sent.start == 0:
            return None
        gap = doc[sent.start - 1]
        if gap.is_space and gap.text.count("\n") >= 2:
            return None  # a new paragraph
        prev = doc[sent.start - 1].sent
        if "\n\n" in doc[prev.start : sent.start].text:
            return None
        inside = [d for d in dates if prev.start <= d.start and d.end <= prev.end]
        opening = opening_date(prev, inside)
        if opening is not None:
            return opening
        if inside:
            return None  # a sentence with its own date in between
        sent = prev
    return None


class DateAnnotator:
    """spaCy component: fills ``doc._.dates`` with resolved date spans."""

    def __init__(self, nlp: Language, name: str = "geomap_dates"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        meta = doc._.meta if isinstance(doc._.meta, dict) else {}
        published = meta.get("published")
        if isinstance(published, str):
            try:
                published = dt.date.fromisoformat(published[:10])
            except ValueError:
                published = None
        elif isinstance(published, dt.datetime):
            published = published.date()
        elif not isinstance(published, dt.date):
            published = None
        dates: list[Span] = []
        for span in find_date_spans(doc):
            text = span.text.strip()
            # Strip a leading determiner/qualifier the NER keeps ("just the past two days").
            if (
                _VAGUE.match(text)
                or _is_name_year(span)
                or _is_habitual(span)
                or _is_modifier(span)
                or _is_name_date(span)
            ):
                continue
            if _DURATION.match(text) and not text.lower().endswith("ago"):
                continue
            if _DAY_BEFORE.match(text):
                value = _day_before(span, dates, published)
            else:
                value = resolve_date(text, published)
            if value is None:
                span, value = _resolvable_head(span, published)
            if value is None or _is_dateline(span, value, published):
                continue
            span._.date_value = _quoted_deictic(span, value)
            dates.append(span)
        doc._.dates = dates
        return doc


#: "today", "tonight", "this morning", "yesterday", "last night": days counted from the speaker's day
_DEICTIC_DAY = re.compile(
    r"^(?:early |late )?(?:today|tonight|yesterday|last night|this (?:morning|afternoon|evening))"
    r"(?: (?:morning|afternoon|evening|night))?$",
    re.I,
)
_OPEN_QUOTE, _CLOSE_QUOTE = "\u201c", "\u201d"


def _in_quotation(span: Span) -> bool:
    """Whether the span lies inside a direct quotation opened earlier in its sentence."""
    text = span.doc.text[span.sent.start_char : span.start_char]
    opened = False
    for ch in text:
        if ch == '"':
            opened = not opened
        elif ch in (_OPEN_QUOTE, _CLOSE_QUOTE):
            opened = ch == _OPEN_QUOTE
    return opened


def _quoted_deictic(span: Span, value: dict) -> dict:
    """A "today" (or "yesterday") inside a quotation counts from the day the speaker spoke, which
    a report may publish the next day ('"our gunners hit three positions today" the ministry
    said', in a report dated the morning after): the day before is possible too, so the span
    starts one day earlier instead of claiming the publication day."""
    start = value.get("date_start")
    if start is None or not _DEICTIC_DAY.match(span.text.strip()) or not _in_quotation(span):
        return value
    return {**value, "date_start": start - dt.timedelta(days=1)}


_DAY_BEFORE = re.compile(
    r"^(?:the (?:previous|preceding) (?:day|night|evening|morning|afternoon)|a day earlier|(?:the|a) (?:day|night) before)$",
    re.I,
)
#: sentences back in which "the previous day" finds the day it counts from
_DAY_BEFORE_SENTS = 2


def _day_before(span: Span, earlier: list[Span], published: dt.date | None) -> dict | None:
    """ "the previous night", "a day earlier": the day before the last single day told in this
    sentence or the ``_DAY_BEFORE_SENTS`` before it ("medics said on Tuesday that a shell hit the
    market the previous night" is Monday; "two died in Hama on Tuesday. Four had died there the
    previous day" too), else the day before publication; unknown without either."""
    first_sent = span.sent
    for _ in range(_DAY_BEFORE_SENTS):
        if first_sent.start == 0:
            break
        first_sent = span.doc[first_sent.start - 1].sent
    for d in reversed(earlier):
        if d.start < first_sent.start:
            break
        v = d._.date_value
        if v["date_precision"] == "day" and v["date_start"] is not None and v["date_start"] == v["date_end"]:
            day = v["date_start"] - dt.timedelta(days=1)
            return {"date_start": day, "date_end": day, "date_precision": "day"}
    if published is None:
        return None
    day = published - dt.timedelta(days=1)
    return {"date_start": day, "date_end": day, "date_precision": "day"}


#: how far into the text an article's dateline may sit (after a headline and an agency's name)
_DATELINE_CHARS = 200
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
#: what follows a wire dateline's date with no year: "DAMASCUS, Oct. 3 (Xinhua) --", "Oct 3 (Reuters) -"
_WIRE_AFTER = re.compile(r"\s*(?:\([A-Za-z][\w .&-]{0,30}\)\s*)?(?:--|-|\u2014|\u2013)\s")


def _is_dateline(span: Span, value: dict, published: dt.date | None) -> bool:
    """The article's own dateline ("Tue Mar 8 2016 12 Soldiers Killed ...", "AFP Tuesday 8 Mar
    2016 At least nine ...", "Posted March 8 2016 Two ...", "HOMS, Oct. 3 (Xinhua) --"): the day
    the report was published, near the top, with its year or a wire's dash after it, no
    preposition before it and no comma after it. It tells when the report appeared, not when
    anything in it happened: an event it would date is only known to be before it (the
    publication window), so it is no event date."""
    if published is None or span.start_char > _DATELINE_CHARS:
        return False
    if not (_YEAR.search(span.text) or _WIRE_AFTER.match(doccache.text(span.doc)[span.end_char : span.end_char + 40])):
        return False
    start, end = value.get("date_start"), value.get("date_end")
    if start is None or start != end or abs((start - published).days) > 1:
        return False
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    if before is not None and (before.pos_ in ("ADP", "SCONJ") or before.lower_ in ("on", "since", "until", "by")):
        return False
    return after is None or after.text not in (",", ")")


#: words at which a date entity the model ran on can be cut ("Tuesday after days of fighting";
#: "on Monday, days after the army retook X": the comma ends the day)
_DATE_CUTS = frozenset({"after", "before", "following", "amid", "during", "when", "as", ","})


def _resolvable_head(span: Span, published: dt.date | None) -> tuple[Span, dict | None]:
    """The date at the start of an entity the model ran on past it: "Tuesday after days" (of
    fierce fighting) is Tuesday; the rest is the lead-up, not a date of its own."""
    for tok in span[1:]:
        if tok.lower_ in _DATE_CUTS:
            head = span.doc[span.start : tok.i]
            return head, resolve_date(head.text.strip(), published)
    return span, None


@Language.factory("geomap_dates")
def make_date_annotator(nlp: Language, name: str) -> DateAnnotator:
    """Factory for the ``geomap_dates`` pipeline component."""
    return DateAnnotator(nlp, name)
