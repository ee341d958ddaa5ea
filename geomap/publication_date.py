"""An article's publication date: from metadata values, or from its dateline or opening text.

``parse_date`` reads a date given as metadata (front matter, jsonl/csv fields, ``articles.csv``,
HTML meta tags, ``--date``); ``find_text_date`` finds the article's own date near the top of
its text. A partial or impossible date is never completed or guessed: it is None.
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["parse_date", "find_text_date", "plausible_date", "PUBLISHED_YEARS"]

_MONTHS = {
    m.lower(): i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH_RE = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
# "July 30, 2012", "30 July 2012", "2012-07-30", optionally after a weekday.
_DATE_PATTERNS = [
    re.compile(_MONTH_RE + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_RE + r",?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>\d\d)-(?P<day>\d\d)\b"),
    # "04-06-2016", "06.04.2017": day first, as outlets of the region write it (month first
    # only when the first number cannot be a month: "06-25-2016")
    re.compile(r"(?<![\d.-])(?P<dfirst>\d{1,2})[-.](?P<dsecond>\d{1,2})[-.](?P<year>(?:19|20)\d\d)(?!\d)"),
]
_WEEKDAY_RE = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)?"
# How far into the text a date still counts as the article's own (dateline or byline date).
_DATELINE_CHARS = 800
_DATELINE_LINES = 12

#: Publication dates outside these years are read as mistakes (``0001-01-01`` placeholders):
#: the date stays empty, with a note, rather than sinking relative-date arithmetic.
PUBLISHED_YEARS = (1900, 2100)


# --------------------------------------------------------------------------- dates


#: ISO dates (optionally with a time) and year/month/day with slashes.
_NUMERIC_DATES = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
)


def parse_date(value: Any) -> _dt.date | None:
    """Parse a publication date given as metadata.

    Parameters
    ----------
    value : str, datetime.date, datetime.datetime, pandas.Timestamp or None
        ``2012-07-30``, ``2012-07-30T10:00:00Z``, ``July 30, 2012``, ``30 July 2012``...

    Returns
    -------
    datetime.date or None
        None when the value is empty or cannot be read as a full calendar date (a date is
        never guessed from a partial one).
    """
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    s = str(value).strip()
    if not s:
        return None
    for pattern in _NUMERIC_DATES:
        m = pattern.match(s)
        if m:
            try:
                return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    found = _find_date(s, anchored=True)
    return found


def plausible_date(d: _dt.date) -> bool:
    """True when ``d`` can be a news article's publication date (see ``PUBLISHED_YEARS``)."""
    return PUBLISHED_YEARS[0] <= d.year <= PUBLISHED_YEARS[1]


def _date_from_match(m: re.Match) -> _dt.date | None:
    gd = m.groupdict()
    if gd.get("dfirst"):
        a, b = int(gd["dfirst"]), int(gd["dsecond"])
        day, month = (a, b) if b <= 12 else (b, a)
        try:
            return _dt.date(int(gd["year"]), month, day)
        except ValueError:
            return None
    try:
        month = int(gd["mnum"]) if gd.get("mnum") else _MONTHS[gd["month"].lower().rstrip(".")]
        return _dt.date(int(gd["year"]), month, int(gd["day"]))
    except (KeyError, ValueError):
        return None


def _find_date(s: str, anchored: bool = False) -> _dt.date | None:
    best = None
    for pat in _DATE_PATTERNS:
        if anchored:
            m = re.fullmatch(r"\s*" + _WEEKDAY_RE + "(?:" + pat.pattern + r")\s*\.?\s*", s, pat.flags)
            if m:
                return _date_from_match(m)
            continue
        m = pat.search(s)
        if m and (best is None or m.start() < best[0]):
            d = _date_from_match(m)
            if d:
                best = (m.start(), d)
    return best[1] if best else None


#: Words that introduce an article's own date at its top ("Published June 20 2016").
_DATE_LABEL = r"(?:(?:date\s+of\s+publication|published(?:\s+on)?|updated|posted|last\s+updated|date)\s*:?\s*)?"
#: How far into the text a weekday-named full date ("AFP Sunday 18 Sep 2016") or a clock time
#: followed by a date ("0041 06.04.2017") still counts as the article's dateline.
_BYLINE_CHARS = 300


def _leading_date(head: str) -> _dt.date | None:
    """The article's own date when the text opens with it or carries it in a byline.

    "Sun 16 Apr 2017 Rebels...", "Published June 20 2016 At least...", "04-06-2016 40
    Civilians..." (a date first, text after it on the same line); "... AFP Sunday 18 Sep 2016
    More than..." (a weekday with a full date near the top); "... Middle East 0041 06.04.2017"
    (a clock time and a date). A date in the article's prose ("On March 15, 2011, protests
    began") is none of these.
    """
    for pat in _DATE_PATTERNS:
        m = re.match(r"\s*" + _DATE_LABEL + _WEEKDAY_RE + "(?:" + pat.pattern + ")", head, pat.flags)
        if m:
            return _date_from_match(m)
    top = head[:_BYLINE_CHARS]
    weekday = r"(?<!\bon )(?<!\bOn )\b(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+"
    for pat in _DATE_PATTERNS:
        for lead in (weekday, r"\b(?:[01]\d|2[0-3])[0-5]\d\s+"):
            m = re.search(lead + "(?:" + pat.pattern + ")", top, pat.flags)
            if m:
                return _date_from_match(m)
    return None


#: Phrases that make a line a photo caption (see the file's header).
CAPTIONS_PATH = Path(__file__).resolve().parent / "vocab" / "photo_captions.tsv"


@lru_cache(maxsize=1)
def _caption_patterns() -> tuple[re.Pattern, re.Pattern]:
    """(a line opening like a caption, a closing parenthesis holding a photo credit)."""
    rows = [
        line.rstrip("\n").split("\t")
        for line in CAPTIONS_PATH.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ][1:]

    def alternation(where: str) -> str:
        return "|".join(re.escape(p.strip()) for p, w in rows if w.strip() == where)

    start = re.compile(r"\s*(?:" + alternation("start") + r")(?![A-Za-z])", re.I)
    credit = re.compile(r"\((?:[^()]*[\s/,])?(?:" + alternation("credit") + r")[^()]*\)\s*\.?\s*$", re.I)
    return start, credit


def _without_captions(head: str) -> str:
    """``head`` with its photo-caption lines emptied (their dates are the picture's).

    A text that is nothing but a caption (an agency's photo item) is its own article: kept whole.
    """
    start, credit = _caption_patterns()
    lines = head.split("\n")
    kept = ["" if start.match(line) or credit.search(line) else line for line in lines]
    return "\n".join(kept) if any(line.strip() for line in kept) else head


def find_text_date(text: str) -> tuple[_dt.date | None, str]:
    """Find the article's own date near the top of its text.

    Returns ``(date, "dateline")`` when a line near the top is a date by itself or a dateline
    ("ALEPPO, Syria, July 30, 2012 (AP) -"), ``(date, "text")`` when a full date is stated in
    the opening text, else ``(None, "none")``. Photo captions ("FILE - In this Friday, Dec. 14,
    2012 file photo ...", ``vocab/photo_captions.tsv``) are not read: they date the picture.
    """
    head = _without_captions(text[:_DATELINE_CHARS])
    d = _leading_date(head)
    if d:
        return d, "dateline"
    for line in head.splitlines()[:_DATELINE_LINES]:
        line = line.strip()
        if not line or len(line) > 120:
            continue
        # A line that is only a date (optionally "Published"/"Updated"/byline-ish prefixes).
        stripped = re.sub(r"^(?:published|updated|posted|last updated|date)\s*:?\s*", "", line, flags=re.I)
        stripped = re.sub(r"\s*(?:\d{1,2}[:.]\d\d\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)\s*$", "", stripped, flags=re.I)
        d = _find_date(stripped, anchored=True)
        if d:
            return d, "dateline"
    # "ALEPPO, Syria, July 30, 2012 (Reuters) -" style datelines start the first paragraph.
    m = re.search(
        r"^[A-Z][A-Z .'-]{2,40},(?:\s*[A-Z][A-Za-z .'-]{2,30},)?\s*(.{6,30}?)\s*(?:\(|--|-|—|–)",
        head,
        re.M,
    )
    if m:
        d = _find_date(m.group(1))
        if d:
            return d, "dateline"
    d = _find_date(head)
    if d:
        return d, "text"
    return None, "none"
