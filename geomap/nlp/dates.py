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
- "about 15 days ago" keeps the day but its precision becomes "week" (approximate);
- "since March 2011" starts on 2011-03-01 and ends on the anchor date;
- relative expressions with no publication date resolve to ``None`` with precision "unknown";
  nothing is guessed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from geomap.nlp import doccache, extensions  # noqa: F401
from geomap.nlp.holidays import HOLIDAY_RE as _HOLIDAY_RE
from geomap.nlp.holidays import HOLIDAYS, resolve_holiday

__all__ = ["resolve_date", "find_date_spans", "opening_date", "scene_date", "DateAnnotator", "HOLIDAYS"]


_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_NUMWORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "few": 3,
    "several": 3,
    "couple of": 2,
    "a couple of": 2,
}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_PRECISION_OF_UNIT = {"day": "day", "week": "week", "month": "month", "year": "year"}

_MONTH_RE = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WD_RE = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NUM_RE = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|few|several|a couple of|couple of)"
_UNIT_RE = r"(?:days?|weeks?|months?|years?)"

#: Patterns the small English model misses or splits; matched on the raw text.
_EXTRA_PATTERNS = [
    re.compile(rf"\b{_WD_RE}\s+(?:night|morning|afternoon|evening)\b", re.I),
    re.compile(rf"\b(?:late|early|mid-?)\s*{_MONTH_RE}(?:\s+\d{{4}})?\b", re.I),
    re.compile(rf"\b(?:since|from)\s+(?:{_MONTH_RE}\s+)?\d{{4}}\b", re.I),
    re.compile(rf"\b(?:about|around|nearly|some|almost)?\s*{_NUM_RE}\s+{_UNIT_RE}\s+ago\b", re.I),
    re.compile(rf"\b(?:in\s+)?(?:just\s+)?the\s+(?:past|last)\s+(?:{_NUM_RE}\s+)?(?:{_UNIT_RE}|hours?)\b", re.I),
    re.compile(r"\b(?:last|this|next)\s+(?:night|week|month|year|weekend)\b", re.I),
    re.compile(r"\b(?:over|during|at)\s+the\s+(?:past\s+)?weekend\b", re.I),
    re.compile(r"\b(?:yesterday|today|tonight)\b", re.I),
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
    ("late", "early", "mid"),
    ("since", "from"),
    ("ago",),
    ("past", "last"),
    ("night", "week", "month", "year"),
    ("weekend",),
    ("yesterday", "today", "tonight"),
    ("-",),
    _MONTH_STEMS,
    _MONTH_STEMS,
    ("earlier", "later"),
    ("night",),
    tuple(sorted({re.split(r"[-\s]+", a.lower())[0] for h in HOLIDAYS for a in h["aliases"]})),
]


def _unknown() -> dict:
    return {"date_start": None, "date_end": None, "date_precision": "unknown"}


def _value(start, end, precision) -> dict:
    return {"date_start": start, "date_end": end, "date_precision": precision}


def _num(word: str) -> int | None:
    word = word.strip().lower()
    if word.isdigit():
        return int(word)
    return _NUMWORDS.get(word)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _last_weekday(anchor: dt.date, weekday: int) -> dt.date:
    return anchor - dt.timedelta(days=(anchor.weekday() - weekday) % 7)


def _absolute(text: str, anchor: dt.date | None) -> dict | None:
    """Resolve a date that names its own calendar position (day, month or year)."""
    t = text.lower().replace(",", " ").replace(".", " ")
    t = re.sub(r"\s+", " ", t).strip()
    m = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", t)
    if m:
        try:
            d = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return _value(d, d, "day")
        except ValueError:
            return None
    month_re = _MONTH_RE.replace(r"\.?", "")
    # "July 30 2012", "30 July 2012", "July 30"
    m = re.search(rf"\b({month_re})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+(\d{{4}}))?\b", t) or None
    day_first = re.search(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({month_re})(?:\s+(\d{{4}}))?\b", t)
    if m:
        return _day_of_month(int(m[2]), _MONTHS[m[1]], m[3], anchor)
    if day_first:
        return _day_of_month(int(day_first[1]), _MONTHS[day_first[2]], day_first[3], anchor)
    m = re.search(rf"\b({month_re})(?:\s+of)?(?:\s+(\d{{4}}))?\b", t)
    if m and (m[2] or re.fullmatch(rf"(?:in |early |late |mid-? ?|since |from )?{month_re}(?: \d{{4}})?", t)):
        return _month_span(t, _MONTHS[m[1]], m[2], anchor)
    m = re.fullmatch(r"(?:in |since |from |the year )?(\d{4})", t)
    if m and 1900 <= int(m[1]) <= 2100:
        y = int(m[1])
        return _value(dt.date(y, 1, 1), dt.date(y, 12, 31), "year")
    return None


def _day_of_month(day: int, month: int, year_text: str | None, anchor: dt.date | None) -> dict | None:
    """A day of a month, in ``year_text`` or else in the anchor's year (unknown without an anchor)."""
    if year_text is None:
        if anchor is None:
            return _unknown()
        year = anchor.year
        # A month after publication without a year belongs to the previous year.
        try:
            if dt.date(year, month, day) > anchor + dt.timedelta(days=1):
                year -= 1
        except ValueError:
            return None
    else:
        year = int(year_text)
    try:
        d = dt.date(year, month, day)
    except ValueError:
        return None
    return _value(d, d, "day")


def _month_span(t: str, month: int, year_text: str | None, anchor: dt.date | None) -> dict | None:
    """A month ("early", "mid-" and "late" narrow it), in ``year_text`` or the latest before the anchor."""
    if year_text:
        year = int(year_text)
    elif anchor is not None:
        year = anchor.year if month <= anchor.month else anchor.year - 1
    else:
        return _unknown()
    start, end = dt.date(year, month, 1), _month_end(year, month)
    if re.search(r"\blate\b", t):
        start = dt.date(year, month, 21)
    elif re.search(r"\bearly\b", t):
        end = dt.date(year, month, 10)
    elif re.search(r"\bmid", t):
        start, end = dt.date(year, month, 11), dt.date(year, month, 20)
    return _value(start, end, "month")


def _relative(text: str, anchor: dt.date | None) -> dict | None:
    """Resolve an expression that only makes sense against an anchor date."""
    t = re.sub(r"\s+", " ", text.lower().replace("’", "'")).strip()
    t = re.sub(r"^(?:(?:on|in|during|over|by|just|of|within) )+", "", t)
    # "earlier this week", "later this month": the same span as "this week"
    t = re.sub(r"^(?:earlier|later) (?=this )", "", t)
    approx = bool(re.match(r"(?:about|around|nearly|some|almost|roughly) ", t))
    t = re.sub(r"^(?:about|around|nearly|some|almost|roughly) ", "", t)
    # a named day or period always answers (a value, or unknown without an anchor)
    return _relative_day(t, anchor) or _relative_period(t, anchor) or _relative_count(t, anchor, approx)


def _relative_day(t: str, anchor: dt.date | None) -> dict | None:
    """ "today", "yesterday", "(last) Monday", "the weekend": one day (or the weekend)."""
    if re.fullmatch(r"(?:early |late )?(?:today|tonight|this (?:morning|afternoon|evening))", t):
        return _unknown() if anchor is None else _value(anchor, anchor, "day")
    if re.fullmatch(r"(?:yesterday|last night)(?: (?:morning|afternoon|evening|night))?", t):
        if anchor is None:
            return _unknown()
        d = anchor - dt.timedelta(days=1)
        return _value(d, d, "day")
    m = re.fullmatch(
        rf"(?:last |this |early |late |earlier |later )?(?:on )?({_WD_RE})(?: (?:night|morning|afternoon|evening))?", t
    )
    if m:
        if anchor is None:
            return _unknown()
        d = _last_weekday(anchor, _WEEKDAYS[m[1]])
        if t.startswith("last ") and d == anchor:
            d -= dt.timedelta(days=7)
        return _value(d, d, "day")
    if t in ("the weekend", "the past weekend"):
        # the latest weekend on or before the anchor, Friday to Sunday: the region's weekend
        # (Friday-Saturday) and the wire services' (Saturday-Sunday) both fall inside it
        if anchor is None:
            return _unknown()
        friday = anchor - dt.timedelta(days=(anchor.weekday() - 4) % 7)
        return _value(friday, min(friday + dt.timedelta(days=2), anchor), "day")
    return None


def _relative_period(t: str, anchor: dt.date | None) -> dict | None:
    """ "this week", "last month", "this year"...: the calendar period around the anchor."""
    if t not in (
        "this week",
        "this weekend",
        "last week",
        "last weekend",
        "this month",
        "last month",
        "this year",
        "last year",
    ):
        return None
    if anchor is None:
        return _unknown()
    if t in ("this week", "this weekend"):
        return _value(anchor - dt.timedelta(days=anchor.weekday()), anchor, "week")
    if t in ("last week", "last weekend"):
        monday = anchor - dt.timedelta(days=anchor.weekday() + 7)
        return _value(monday, monday + dt.timedelta(days=6), "week")
    if t == "this month":
        return _value(anchor.replace(day=1), anchor, "month")
    if t == "last month":
        first = anchor.replace(day=1) - dt.timedelta(days=1)
        return _value(first.replace(day=1), first, "month")
    y = anchor.year - (t == "last year")
    return _value(dt.date(y, 1, 1), anchor if t == "this year" else dt.date(y, 12, 31), "year")


def _relative_count(t: str, anchor: dt.date | None, approx: bool) -> dict | None:
    """ "three days ago", "the past 48 hours", "the last two weeks": counted units back from the anchor."""
    m = re.fullmatch(rf"({_NUM_RE}) ({_UNIT_RE}) ago", t)
    if m:
        n, unit = _num(m[1]), m[2].rstrip("s")
        if n is None:
            return None
        if anchor is None:
            return _unknown()
        d = anchor - dt.timedelta(days=n * _UNIT_DAYS[unit])
        precision = _PRECISION_OF_UNIT[unit]
        if approx and precision == "day":
            precision = "week"
        return _value(d, d, precision)
    m = re.fullmatch(rf"(?:the )?(?:past|last) (?:({_NUM_RE}) )?hours?", t)
    if m:
        if anchor is None:
            return _unknown()
        hours = _num(m[1]) if m[1] else 1
        days = max(1, -(-(hours or 24) // 24))
        return _value(anchor - dt.timedelta(days=days), anchor, "day")
    m = re.fullmatch(rf"(?:the )?(?:past|last) (?:({_NUM_RE}) )?({_UNIT_RE})", t)
    if m:
        n = _num(m[1]) if m[1] else 1
        unit = m[2].rstrip("s")
        if n is None:
            return None
        if anchor is None:
            return _unknown()
        span_days = n * _UNIT_DAYS[unit]
        precision = "day" if span_days <= 3 else "week" if span_days <= 10 else "month" if span_days <= 100 else "year"
        return _value(anchor - dt.timedelta(days=span_days), anchor, precision)
    return None


def _night_of(text: str, anchor: dt.date | None) -> dict | None:
    """ "the night of Monday to Tuesday": from the first weekday to the second, before the anchor."""
    m = re.search(rf"({_WD_RE}) (?:to|and|into) ({_WD_RE})", text.lower())
    if not m or not re.search(r"\bnight\b|\bovernight\b", text.lower()):
        return None
    if anchor is None:
        return _unknown()
    end = _last_weekday(anchor, _WEEKDAYS[m[2]])
    start = end - dt.timedelta(days=(_WEEKDAYS[m[2]] - _WEEKDAYS[m[1]]) % 7 or 7)
    return _value(start, end, "day")


@lru_cache(maxsize=4096)
def _resolve_cached(text: str, anchor: dt.date | None) -> dict | None:
    t = text.strip()
    low = t.lower()
    since = re.match(r"(?:ever )?since\s+(.*)", low)
    if since:
        inner = _special(since[1], anchor) or _absolute(since[1], anchor) or _relative(since[1], anchor)
        if inner is None or inner["date_start"] is None:
            return inner
        return _value(inner["date_start"], anchor, inner["date_precision"])
    return _special(t, anchor) or _absolute(t, anchor) or _relative(t, anchor) or _dateparser(t, anchor)


def _special(t: str, anchor: dt.date | None) -> dict | None:
    """A night spanning two weekdays, or a holiday; None for any other expression."""
    low = t.lower()
    if re.search(r"\bnight\b|\bovernight\b", low) and re.search(rf"{_WD_RE} (?:to|and|into) {_WD_RE}", low):
        return _night_of(t, anchor)
    if re.search(_HOLIDAY_RE, t, re.I):
        return resolve_holiday(t, anchor)
    return None


def _dateparser(text: str, anchor: dt.date | None) -> dict | None:
    """Last resort for spelled-out absolute dates our patterns miss (slow: cached, rare)."""
    # Only spelled-out calendar dates: a month name or a four-digit year must be present,
    # otherwise dateparser turns durations ("16 months") into dates.
    if not re.search(rf"\b{_MONTH_RE}\b|\b(?:19|20)\d\d\b", text, re.I):
        return None
    import dateparser  # lazy: import costs ~0.3 s

    base = dt.datetime.combine(anchor, dt.time()) if anchor else dt.datetime(2000, 1, 1)
    parsed = dateparser.parse(
        text,
        languages=["en"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "STRICT_PARSING": True},
    )
    if parsed is None:
        return None
    d = parsed.date()
    return _value(d, d, "day")


def resolve_date(text: str, published: dt.date | None) -> dict | None:
    """Resolve one date expression against an anchor date.

    Parameters
    ----------
    text : str
        The expression as written ("Tuesday", "about 15 days ago", "since March 2011",
        "July 30, 2012", "in the past two days").
    published : datetime.date or None
        The anchor: the article's publication date, or the date of the statement that
        contains the expression.

    Returns
    -------
    dict or None
        ``{"date_start", "date_end", "date_precision"}``; ``None`` when the text is not a
        resolvable date (a duration such as "16 months", a bare "hours"). Relative
        expressions without an anchor give ``None`` dates with precision ``"unknown"``.
    """
    if isinstance(published, dt.datetime):
        published = published.date()
    try:
        return _resolve_cached(re.sub(r"\s+", " ", text), published)
    except (OverflowError, ValueError):
        # An anchor at the calendar's edge (0001-01-01, 9999-12-31): "yesterday" has no date.
        return {"date_start": None, "date_end": None, "date_precision": "unknown"}


_DURATION = re.compile(rf"^(?:about |nearly |some |more than |at least |over )?{_NUM_RE} {_UNIT_RE}$", re.I)
_VAGUE = re.compile(
    r"^(?:the )?(?:hours?|days?|weeks?|months?|years?|night|morning|evening|decades?|recent (?:days|weeks|months))$",
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
    """True for a weekday used as a noun modifier ("Friday prayers")."""
    tok = span[-1]
    return len(span) == 1 and tok.lower_ in _WEEKDAYS and tok.dep_ == "compound"


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
        dates = []
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
            value = resolve_date(text, published)
            if value is None:
                continue
            span._.date_value = value
            dates.append(span)
        doc._.dates = dates
        return doc


@Language.factory("geomap_dates")
def make_date_annotator(nlp: Language, name: str) -> DateAnnotator:
    """Factory for the ``geomap_dates`` pipeline component."""
    return DateAnnotator(nlp, name)
