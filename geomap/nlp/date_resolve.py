"""Date expressions resolved against an anchor date (the article's publication date).

``resolve_date`` turns one expression as written ("Tuesday", "about 15 days ago", "since March
2011", "09-07-2014", "during Eid al-Adha") into ``{date_start, date_end, date_precision}``;
``geomap.nlp.dates`` finds the expressions in a text. The conventions are listed there.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache

from geomap.nlp.holidays import HOLIDAY_RE as _HOLIDAY_RE
from geomap.nlp.holidays import resolve_holiday

__all__ = ["resolve_date", "MONTHS", "WEEKDAYS", "MONTH_RE", "MONTH_STEMS", "WD_RE", "NUM_RE", "UNIT_RE"]

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
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

MONTH_RE = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
WD_RE = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
NUM_RE = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|few|several|a couple of|couple of)"
UNIT_RE = r"(?:days?|weeks?|months?|years?)"


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
    numeric = _numeric_date(text, anchor)
    if numeric is not None:
        return numeric
    t = text.lower().replace(",", " ").replace(".", " ")
    t = re.sub(r"\s+", " ", t).strip()
    m = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", t)
    if m:
        try:
            d = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return _value(d, d, "day")
        except ValueError:
            return None
    month_re = MONTH_RE.replace(r"\.?", "")
    t = _month_part_words(t)
    ranged = _day_range(t, month_re, anchor) or _week_of_month(t, month_re, anchor) or _season(t)
    if ranged is not None:
        return ranged
    # "July 30 2012", "30 July 2012", "July 30"
    m = re.search(rf"\b({month_re})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+(\d{{4}}))?\b", t) or None
    day_first = re.search(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({month_re})(?:\s+(\d{{4}}))?\b", t)
    if m:
        return _day_of_month(int(m[2]), MONTHS[m[1]], m[3], anchor)
    if day_first:
        return _day_of_month(int(day_first[1]), MONTHS[day_first[2]], day_first[3], anchor)
    m = re.search(rf"\b({month_re})(?:\s+of)?(?:\s+(\d{{4}}))?\b", t)
    if m and (m[2] or re.fullmatch(rf"(?:in |early |late |mid-? ?|since |from )?{month_re}(?: \d{{4}})?", t)):
        return _month_span(t, MONTHS[m[1]], m[2], anchor)
    m = re.fullmatch(r"(?:in |since |from |the year )?(\d{4})", t)
    if m and 1900 <= int(m[1]) <= 2100:
        y = int(m[1])
        return _value(dt.date(y, 1, 1), dt.date(y, 12, 31), "year")
    return None


def _month_part_words(t: str) -> str:
    """ "the end of June" is "late June", "the beginning of June" "early June"."""
    t = re.sub(r"^(?:at |in |by |towards? |until )?the (?:end|close) of ", "late ", t)
    t = re.sub(r"^(?:at |in |by |from )?the (?:beginning|start) of ", "early ", t)
    t = re.sub(r"^(?:in |by )?the middle of ", "mid-", t)
    # "earlier in June", "in earlier June", "later in June": some time in the month, the whole month
    return re.sub(rf"^(?:in )?(?:earlier|later) (?:in )?(?={MONTH_RE})", "in ", t)


#: "July 15-16", "between July 10 and 12", "10-12 July 2016", "from 10 to 12 July"
_RANGE_JOIN = r"\s*(?:-|–|to|and|through|until)\s*"


def _day_range(t: str, month_re: str, anchor: dt.date | None) -> dict | None:
    """A span of days within one month: from the first day to the last, each a stated day."""
    year = r"(?:\s+(\d{4}))?"
    m = re.fullmatch(
        rf"(?:between |from |on )?({month_re}) (\d{{1,2}})(?:st|nd|rd|th)?{_RANGE_JOIN}(\d{{1,2}})(?:st|nd|rd|th)?{year}",
        t,
    )
    if m:
        month, first, last, year_text = m[1], m[2], m[3], m[4]
    else:
        m = re.fullmatch(
            rf"(?:between |from |on )?(\d{{1,2}})(?:st|nd|rd|th)?{_RANGE_JOIN}(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?({month_re}){year}",
            t,
        )
        if m is None:
            return None
        first, last, month, year_text = m[1], m[2], m[3], m[4]
    start = _day_of_month(int(first), MONTHS[month], year_text, anchor)
    end = _day_of_month(int(last), MONTHS[month], year_text, anchor)
    if start is None or end is None or start["date_start"] is None or end["date_start"] is None:
        return start if start is not None and start["date_start"] is None else None
    if end["date_start"] < start["date_start"]:
        return None
    return _value(start["date_start"], end["date_start"], "day")


_WEEK_ORDINALS = {"first": 1, "1st": 1, "second": 8, "2nd": 8, "third": 15, "3rd": 15, "fourth": 22, "4th": 22}


def _week_of_month(t: str, month_re: str, anchor: dt.date | None) -> dict | None:
    """ "the first week of July", "the last week of June 2015": seven days of that month."""
    m = re.fullmatch(
        rf"(?:in |during |over )?the (first|1st|second|2nd|third|3rd|fourth|4th|last) week of ({month_re})(?:\s+(\d{{4}}))?",
        t,
    )
    if m is None:
        return None
    month = _month_span("", MONTHS[m[2]], m[3], anchor)
    if month is None or month["date_start"] is None:
        return month
    first, last = month["date_start"], month["date_end"]
    start = last - dt.timedelta(days=6) if m[1] == "last" else first.replace(day=_WEEK_ORDINALS[m[1]])
    return _value(start, start + dt.timedelta(days=6), "week")


#: seasons of the northern hemisphere, as months (winter straddles two years: left undated)
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}


def _season(t: str) -> dict | None:
    """ "the summer of 2014", "in spring 2013": the season's three months of that year."""
    m = re.fullmatch(r"(?:in |during |over |since )?(?:the )?(spring|summer|autumn|fall)(?: of)? (\d{4})", t)
    if m is None:
        return None
    first, last = _SEASONS[m[1]]
    year = int(m[2])
    return _value(dt.date(year, first, 1), _month_end(year, last), "month")


_NUMERIC_DATE = re.compile(r"\b(\d{1,2})([-./])(\d{1,2})\2((?:19|20)\d\d)\b")


def _numeric_date(text: str, anchor: dt.date | None) -> dict | None:
    """ "09-07-2014", "17.12.2014", "7/9/2014": day and month in either order. A number over 12
    is the day; when both could be the month, day-first (the order of the region's outlets)
    unless only the month-first reading lies within a week of the anchor (the article's date)."""
    m = _NUMERIC_DATE.search(text)
    if m is None:
        return None
    a, b, year = int(m[1]), int(m[3]), int(m[4])
    readings = []
    for day, month in ((a, b), (b, a)):
        try:
            readings.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not readings:
        return None
    near = [r for r in readings if anchor is not None and abs((r - anchor).days) <= 7]
    d = near[0] if len(near) == 1 else readings[0]
    return _value(d, d, "day")


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
    # "earlier this week", "later this month", "earlier in the week": the same span as "this week"
    t = re.sub(r"^(?:earlier|later) (?=this )", "", t)
    t = re.sub(r"^(?:earlier|later) in the (week|month|year)$", r"this \1", t)
    approx = bool(re.match(r"(?:about|around|nearly|some|almost|roughly) ", t))
    t = re.sub(r"^(?:about|around|nearly|some|almost|roughly) ", "", t)
    # a named day or period always answers (a value, or unknown without an anchor)
    return (
        _relative_day(t, anchor)
        or _relative_period(t, anchor)
        or _part_of_relative_month(t, anchor)
        or _relative_count(t, anchor, approx)
    )


def _part_of_relative_month(t: str, anchor: dt.date | None) -> dict | None:
    """ "late last month", "early this month": the month narrowed as "late June" is."""
    m = re.fullmatch(r"(early|late|mid)-? ?((?:this|last) month)", t)
    if m is None:
        return None
    month = _relative_period(m[2], anchor)
    if month is None or month["date_start"] is None:
        return month
    part = _month_span(m[1], month["date_start"].month, str(month["date_start"].year), None)
    if part is None or part["date_start"] > month["date_end"]:
        return None  # "late this month" on the 5th: not yet
    return _value(part["date_start"], min(part["date_end"], month["date_end"]), "month")


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
        rf"(?:last |this |early |late |earlier |later )?(?:on )?({WD_RE})(?: (?:night|morning|afternoon|evening))?", t
    )
    if m:
        if anchor is None:
            return _unknown()
        d = _last_weekday(anchor, WEEKDAYS[m[1]])
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


#: "(in) recent days / weeks": the days before the anchor they allow, and the precision
_RECENT = {"recent days": (7, "week"), "the recent days": (7, "week"), "recent weeks": (30, "month")}


def _relative_period(t: str, anchor: dt.date | None) -> dict | None:
    """ "this week", "last month", "this year"...: the calendar period around the anchor;
    "recent days" the week up to it."""
    if t in _RECENT:
        if anchor is None:
            return _unknown()
        days, precision = _RECENT[t]
        return _value(anchor - dt.timedelta(days=days - 1), anchor, precision)
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
    m = re.fullmatch(rf"({NUM_RE}) ({UNIT_RE}) ago", t)
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
    m = re.fullmatch(rf"(?:the )?(?:past|last) (?:({NUM_RE}) )?hours?", t)
    if m:
        if anchor is None:
            return _unknown()
        hours = _num(m[1]) if m[1] else 1
        days = max(1, -(-(hours or 24) // 24))
        return _value(anchor - dt.timedelta(days=days), anchor, "day")
    m = re.fullmatch(rf"(?:the )?(?:past|last) (?:({NUM_RE}) )?({UNIT_RE})", t)
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
    m = re.search(rf"({WD_RE}) (?:to|and|into) ({WD_RE})", text.lower())
    if not m or not re.search(r"\bnight\b|\bovernight\b", text.lower()):
        return None
    if anchor is None:
        return _unknown()
    end = _last_weekday(anchor, WEEKDAYS[m[2]])
    start = end - dt.timedelta(days=(WEEKDAYS[m[2]] - WEEKDAYS[m[1]]) % 7 or 7)
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
    if re.search(r"\bnight\b|\bovernight\b", low) and re.search(rf"{WD_RE} (?:to|and|into) {WD_RE}", low):
        return _night_of(t, anchor)
    if re.search(_HOLIDAY_RE, t, re.I):
        return resolve_holiday(t, anchor)
    return None


def _dateparser(text: str, anchor: dt.date | None) -> dict | None:
    """Last resort for spelled-out absolute dates our patterns miss (slow: cached, rare)."""
    # Only spelled-out calendar dates: a month name or a four-digit year must be present,
    # otherwise dateparser turns durations ("16 months") into dates.
    if not re.search(rf"\b{MONTH_RE}\b|\b(?:19|20)\d\d\b", text, re.I):
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
